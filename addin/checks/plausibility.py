"""V210–V213: figures that are possible one by one but not beside the workbook's own other
figures — a part larger than its whole, parts that do not add up to their total, a rate no
department reaches, two related amounts 1000 times apart (one typed in 元, one in 万元).

The wholes and pairs are data (tables in addin.catalogue.figures); the thresholds are the
workbook's own figures, so a small department and a large one are judged alike.
"""

from __future__ import annotations

from collections.abc import Callable

from addin.case import Case
from addin.catalogue import ratios
from addin.catalogue.figures import STATEMENTS, amount
from addin.checks import Problem, problem
from udfs.inputs import Inputs
from udfs.money import fmt_money
from udfs.profile import Profile

Where = Callable[[str], tuple[str, str, str]]


def check_plausibility(case: Case, inputs: Inputs, profile: Profile) -> list[Problem]:
    at: Where = lambda name: (case.inputs[name].sheet, case.inputs[name].cell, name)  # noqa: E731
    v = inputs.get
    out: list[Problem] = []
    for statement in STATEMENTS:  # V210, stated once with its live formula
        if statement.id == "V210" and statement.test(v):
            part, whole = statement.names
            out.append(problem("V210", *at(part), statement.text(v), f"不大于{fmt_money(v(whole))}", fmt_money(v(part))))
    for statement in STATEMENTS:  # V211, stated once with its live formula
        if statement.id == "V211" and statement.test(v):
            total, *parts = statement.names
            out.append(problem("V211", *at(statement.at), statement.text(v), fmt_money(v(total)), amount(*parts).text(v)))
    for statement in STATEMENTS:  # V213, stated once with its live formula
        if statement.id == "V213" and statement.test(v):
            big, small = statement.names
            out.append(problem("V213", *at(big), statement.text(v), f"与{small}同一数量级", fmt_money(v(big))))
    for statement in ratios.statements(profile):  # V212, stated once with its live formula (V213 said first)
        if statement.id == "V212" and statement.test(v):
            shown = next(p for p in statement.parts if isinstance(p, ratios.Percent)).text(v)
            out.append(problem("V212", *at(statement.at), statement.text(v), "不超过1000%", f"{shown}%"))
    return out
