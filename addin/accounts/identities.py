"""The 决算's own arithmetic, checked before any of it is typed into the workbook: the
identities the national template's tables obey (stated once, as data), and the 基本支出 lines
that are part of a 三公 figure. A difference of 0.01 is rounding and is named as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from addin.accounts.figures import Figure, Problem
from udfs.money import fmt_money

CENT = Decimal("0.01")
# (what is checked, the total, its parts): every figure present, or the identity is not checked
SUMS = (
    ("收入支出决算总表的收入方", "总计收入", ("本年收入合计", "使用非财政拨款结余", "上年结转结余")),
    ("收入支出决算总表的支出方", "总计支出", ("预算执行数", "结余分配", "结转结余")),
    ("收入支出决算总表的收支两方", "总计收入", ("总计支出",)),
    ("收入支出决算总表与支出决算表", "预算执行数", ("支出合计",)),
    ("支出决算表", "支出合计", ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")),
    ("一般公共预算财政拨款支出决算表", "一般公共预算支出", ("一般公共预算基本支出", "一般公共预算项目支出")),
    ("基本支出决算表与一般公共预算财政拨款支出决算表", "一般公共预算基本支出", ("人员经费", "公用经费实际")),
    ("“三公”经费的预算数", "三公预算本年", ("出国经费预算", "公务用车经费预算", "公务接待经费预算")),
    ("“三公”经费的决算数", "三公实际", ("出国经费", "公务用车经费", "公务接待经费")),
    ("公务用车购置及运行费的预算数", "公务用车经费预算", ("公务用车购置预算", "公务用车运行预算")),
    ("公务用车购置及运行费的决算数", "公务用车经费", ("公务用车购置", "公务用车运行")),
    ("政府采购", "采购实际", ("采购货物", "采购工程", "采购服务")),
)
OPTIONAL = {"使用非财政拨款结余", "结余分配", "上缴上级支出", "经营支出", "对附属单位补助支出"}  # absent: 0
# (part, whole, why): a figure that is part of another cannot exceed it
_IN_THREE = "三公经费应包括基本支出中的这部分（三公经费也可能由项目支出列支）"
_RUNNING = "机关运行经费是一般公共预算财政拨款基本支出中行政单位（含参公事业单位）的日常公用经费，不应大于公用经费合计"
AT_MOST = (("基本支出30212", "出国经费", _IN_THREE), ("基本支出30217", "公务接待经费", _IN_THREE),
           ("基本支出30231", "公务用车运行", _IN_THREE), ("基本支出31013", "公务用车购置", _IN_THREE),
           ("机关运行经费", "公用经费实际", _RUNNING))


def _shown(f: Figure) -> str:
    return f"{f.label} {fmt_money(f.amount)}"


def check(figures: Mapping[str, Figure]) -> list[Problem]:
    problems = []
    for what, total_key, part_keys in SUMS:
        total = figures.get(total_key)
        parts = [figures.get(k) for k in part_keys]
        if total is None or any(p is None and k not in OPTIONAL for p, k in zip(parts, part_keys, strict=True)):
            continue
        present = [p for p in parts if p is not None]
        if len(present) == 1 and len(part_keys) > 1:
            continue  # one part alone says nothing a table's reader would check
        summed = sum((p.amount for p in present), Decimal(0))
        gap = total.amount - summed
        if gap == 0:
            continue
        sides = " + ".join(_shown(p) for p in present if p.amount or len(present) <= 2)
        text = f"{what}不平：{_shown(total)}，而 {sides or '各项'} = {fmt_money(summed)}"
        if abs(gap) == CENT:
            problems.append(Problem("提示", total.where, text + "，相差 0.01 万元，是四舍五入所致"))
        else:
            problems.append(Problem("不符", total.where, text + f"，相差 {fmt_money(abs(gap))} 万元；请核对决算原表"))
    budget, general, spent = (figures.get(k) for k in ("年初预算", "一般公共预算支出", "预算执行数"))
    if budget is not None and general is not None and spent is not None and spent.amount != general.amount:
        problems.append(Problem("提示", budget.where, f"年初预算取自一般公共预算财政拨款的年初预算，而部门本年支出合计 "
                                f"{fmt_money(spent.amount)} 万元不止一般公共预算财政拨款支出 {fmt_money(general.amount)} 万元"
                                "（另有其他资金）：如评分按全部资金的年初预算计算，请改填"))
    for part_key, whole_key, why in AT_MOST:
        part, whole = figures.get(part_key), figures.get(whole_key)
        if part is not None and whole is not None and part.amount > whole.amount:
            problems.append(Problem("提示", part.where, f"“{part.label}” {fmt_money(part.amount)} 万元大于"
                                    f"{_shown(whole)} 万元（{whole.where}）：{why}，请核对"))
    return problems
