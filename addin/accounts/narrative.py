"""The standard sentences of a 决算's narrative (二、…情况说明), read where the text layer
holds them in reading order: "一般公共预算财政拨款支出年初预算为X万元，支出决算为Y万元，完成
年初预算的Z%", "政府采购支出总额X万元，其中：货物…、工程…、服务…" and "机关运行经费支出X万元".
Every percentage such a sentence prints against its own two figures is checked: "…预算为X万元，
支出决算为Y万元，完成预算的Z%" (each 功能科目 and the 三公 sentence too) and "X万元，比2023年度
减少Y万元，下降Z%" (against last year's X + Y). A PDF whose numbers sit apart from their words
(some typesetting puts them in another text run) gives no match: nothing is guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from addin.accounts.figures import Figure, Problem
from addin.accounts.source import Source
from addin.accounts.tables import amount
from udfs.money import money

CENT = Decimal("0.01")

_N = r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)"  # ASCII digits: what amount() reads
_BUDGET = re.compile(r"一般公共预算财政拨款支出(年初|全年)预算为" + _N + r"万元[，,]支出决算为" + _N
                     + r"万元[，,]完成(?:年初|全年)?预算的" + _N + "%")
_PART = r"(?:政府采购)?{}(?:采购)?(?:支出|金额)?" + _N + "万元"
_PROCUREMENT = re.compile(r"政府采购(?:支出)?(?:总额|金额)(?:[（(][^）)]{0,20}[）)])?为?" + _N + r"万元[，,]?其中[：:]"
                          + "[、，,]".join(_PART.format(word) for word in ("货物", "工程", "服务")))
_RUNNING = re.compile(r"机关运行经费(?:支出)?(?:决算)?为?" + _N + "万元")
_DONE = re.compile(r"预算为" + _N + r"万元[，,]支出决算为" + _N + r"万元[，,]完成(?:年初|全年)?预算的" + _N + "%")
_CHANGE = re.compile(_N + r"万元[，,]?(?:比|较)(?:上年|上年度|20\d\d年度?)(?:决算)?数?(增加|减少|增长|下降)" + _N
                     + r"万元[，,](?:增长|下降)(?:[（(](?:增长|下降)[)）])?" + _N + "%")
_SPACE = re.compile(r"\s+")


def _flat(source: Source) -> tuple[str, list[tuple[int, str]]]:
    """The running text without spaces or line breaks, and where each page's part starts."""
    text, starts = "", []
    for where, page in source.texts:
        starts.append((len(text), where))
        text += _SPACE.sub("", page)
    return text, starts


def _where(source: Source, starts: list[tuple[int, str]], at: int, words: str) -> str:
    page = next((w for start, w in reversed(starts) if start <= at), "")
    return f"{source.name}{page}正文“{words}”"


def sentences(source: Source) -> tuple[list[Figure], list[Problem]]:
    """The figures the sentences state, and a 提示 where a printed percentage is not what its
    own two figures give."""
    text, starts = _flat(source)
    figures: list[Figure] = []
    problems: list[Problem] = []
    m = _BUDGET.search(text)
    if m:
        where = _where(source, starts, m.start(), m.group(0))
        budget, spent = (money(amount(g) or Decimal(0)) for g in m.groups()[1:3])
        figures.append(Figure(m.group(1) + "预算", budget, f"一般公共预算财政拨款支出{m.group(1)}预算", where))
        figures.append(Figure("一般公共预算支出", spent, "一般公共预算财政拨款支出决算", where))
    for m in _DONE.finditer(text):
        budget, spent, rate = (money(amount(g) or Decimal(0)) for g in m.groups())
        done = (spent / budget * 100).quantize(CENT) if budget else None
        if done is not None and abs(done - rate) > CENT:
            problems.append(Problem("提示", _where(source, starts, m.start(), m.group(0)),
                                    f"正文写完成预算的 {rate}%，而 {spent}÷{budget} = {done}%"))
    for m in _CHANGE.finditer(text):
        now, by, rate = (money(amount(g) or Decimal(0)) for g in m.group(1, 3, 4))
        up = m.group(2) in ("增加", "增长")
        before = now - by if up else now + by
        changed = (by / before * 100).quantize(CENT) if before > 0 else None
        if changed is not None and abs(changed - rate) > CENT:
            problems.append(Problem("提示", _where(source, starts, m.start(), m.group(0)),
                                    f"正文写变动 {rate}%，而 {by}÷上年 {before}（{now}{'−' if up else '+'}{by}）= {changed}%"))
    m = _RUNNING.search(text)
    if m:
        figures.append(Figure("机关运行经费", money(amount(m.group(1)) or Decimal(0)), "机关运行经费",
                              _where(source, starts, m.start(), m.group(0))))
    m = _PROCUREMENT.search(text)
    if m:
        where = _where(source, starts, m.start(), m.group(0))
        for key, words, raw in zip(("采购实际", "采购货物", "采购工程", "采购服务"),
                                   ("政府采购支出总额", "货物采购", "工程采购", "服务采购"), m.groups(), strict=True):
            figures.append(Figure(key, money(amount(raw) or Decimal(0)), words, where))
    return figures, problems
