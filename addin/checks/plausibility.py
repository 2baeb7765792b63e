"""V210–V213: figures that are possible one by one but not beside the workbook's own other
figures — a part larger than its whole, parts that do not add up to their total, a rate no
department reaches, two related amounts 1000 times apart (one typed in 元, one in 万元).

The wholes and pairs are data (the tables below); the thresholds are the workbook's own
figures, so a small department and a large one are judged alike.
"""

from __future__ import annotations

from collections.abc import Callable

from addin.case import Case
from addin.catalogue import ratios
from addin.catalogue.figures import STATEMENTS, TOLERANCE
from addin.checks import Problem, problem
from udfs.inputs import Inputs
from udfs.money import ZERO, fmt_money
from udfs.profile import Profile

# total = sum of its parts, checked when any part is filled (an unfilled part counts as 0)
SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("预算执行数", ("基本支出", "项目支出")),
    ("三公实际", ("出国经费", "公务用车经费", "公务接待经费")),
    ("三公实际上年", ("出国经费上年", "公务用车经费上年", "公务接待经费上年")),
    ("采购实际", ("采购货物", "采购工程", "采购服务")),
    # template 0.8
    ("三公预算本年", ("出国经费预算", "公务用车经费预算", "公务接待经费预算")),
    ("采购实际上年", ("采购货物上年", "采购工程上年", "采购服务上年")),
    ("资产总额", ("负债总额", "净资产")),
)



Where = Callable[[str], tuple[str, str, str]]


def check_plausibility(case: Case, inputs: Inputs, profile: Profile) -> list[Problem]:
    at: Where = lambda name: (case.inputs[name].sheet, case.inputs[name].cell, name)  # noqa: E731
    v = inputs.get
    out: list[Problem] = []
    for statement in STATEMENTS:  # V210, stated once with its live formula
        if statement.id == "V210" and statement.test(v):
            part, whole = statement.names
            out.append(problem("V210", *at(part), statement.text(v), f"不大于{fmt_money(v(whole))}", fmt_money(v(part))))
    for total, parts in SUMS:
        given = {p: v(p) for p in parts}
        whole = v(total)
        if whole is None or all(x is None for x in given.values()):
            continue
        added = sum((x or ZERO for x in given.values()), ZERO)
        if abs(added - whole) > TOLERANCE:
            terms = " + ".join(f"{p} {fmt_money(x) if x is not None else '（空）'}" for p, x in given.items())
            first = next(p for p, x in given.items() if x is not None)
            out.append(problem("V211", *at(first), f"{terms} = {fmt_money(added)}，与{total} {fmt_money(whole)} "
                               f"相差 {fmt_money(added - whole)} 万元", fmt_money(whole), fmt_money(added)))
    for statement in STATEMENTS:  # V213, stated once with its live formula
        if statement.id == "V213" and statement.test(v):
            big, small = statement.names
            out.append(problem("V213", *at(big), statement.text(v), f"与{small}同一数量级", fmt_money(v(big))))
    for statement in ratios.statements(profile):  # V212, stated once with its live formula (V213 said first)
        if statement.id == "V212" and statement.test(v):
            shown = next(p for p in statement.parts if isinstance(p, ratios.Percent)).text(v)
            out.append(problem("V212", *at(statement.at), statement.text(v), "不超过1000%", f"{shown}%"))
    return out
