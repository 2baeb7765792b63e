"""The standard sentences of a 决算's narrative (二、…情况说明), read where the text layer
holds them in reading order: "一般公共预算财政拨款支出年初预算为X万元，支出决算为Y万元，完成
年初预算的Z%" and "政府采购支出总额X万元，其中：货物…、工程…、服务…". A PDF whose numbers
sit apart from their words (some typesetting puts them in another text run) gives no match:
nothing is guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from addin.accounts.figures import Figure, Problem
from addin.accounts.source import Source
from addin.accounts.tables import amount
from udfs.money import money

_N = r"(-?[0-9][0-9,]*(?:\.[0-9]+)?)"  # ASCII digits: what amount() reads
_BUDGET = re.compile(r"一般公共预算财政拨款支出(年初|全年)预算为" + _N + r"万元[，,]支出决算为" + _N
                     + r"万元[，,]完成(?:年初|全年)?预算的" + _N + "%")
_PART = r"(?:政府采购)?{}(?:采购)?(?:支出|金额)?" + _N + "万元"
_PROCUREMENT = re.compile(r"政府采购(?:支出)?(?:总额|金额)(?:[（(][^）)]{0,20}[）)])?为?" + _N + r"万元[，,]?其中[：:]"
                          + "[、，,]".join(_PART.format(word) for word in ("货物", "工程", "服务")))
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
        budget, spent, rate = (money(amount(g) or Decimal(0)) for g in m.groups()[1:])
        figures.append(Figure(m.group(1) + "预算", budget, f"一般公共预算财政拨款支出{m.group(1)}预算", where))
        figures.append(Figure("一般公共预算支出", spent, "一般公共预算财政拨款支出决算", where))
        if budget:
            computed = (spent / budget * 100).quantize(Decimal("0.01"))
            if abs(computed - rate) > Decimal("0.01"):
                problems.append(Problem("提示", where, f"正文写完成年初预算的 {rate}%，而 {spent}÷{budget} = {computed}%"))
    m = _PROCUREMENT.search(text)
    if m:
        where = _where(source, starts, m.start(), m.group(0))
        for key, words, raw in zip(("采购实际", "采购货物", "采购工程", "采购服务"),
                                   ("政府采购支出总额", "货物采购", "工程采购", "服务采购"), m.groups(), strict=True):
            figures.append(Figure(key, money(amount(raw) or Decimal(0)), words, where))
    return figures, problems
