"""V2xx: figures that must agree with each other (the slips published reports contain)."""

from __future__ import annotations

from addin.case import Case
from addin.catalogue import ratios
from addin.catalogue.figures import ABOVE, INCOME, STATEMENTS, Amount
from addin.checks import Problem, problem
from udfs.inputs import Inputs
from udfs.money import fmt_money
from udfs.profile import Profile


def _at(case: Case, name: str) -> tuple[str, str, str]:
    loc = case.inputs[name]
    return loc.sheet, loc.cell, name


def check_arithmetic(case: Case, inputs: Inputs, profile: Profile) -> list[Problem]:
    v = inputs.get
    out: list[Problem] = []
    for statement in STATEMENTS:  # V201–V205, V207: stated once with their live formulas
        if statement.id not in ("V201", "V202", *(a[0] for a in ABOVE)) or not statement.test(v):
            continue
        message = statement.text(v)
        if statement.id == "V201":
            out.append(problem("V201", *_at(case, statement.at), message, fmt_money(Amount(INCOME).value(v)),
                               fmt_money(v("全年预算"))))
        elif statement.id == "V202":
            left = fmt_money(Amount((("全年预算", 1), ("预算执行数", -1))).value(v))
            out.append(problem("V202", *_at(case, statement.at), message, left, fmt_money(v("结转结余"))))
        else:
            part, whole = statement.names
            out.append(problem(statement.id, *_at(case, part), message, f"不大于{inputs[whole].normalize():f}",
                               inputs[part].normalize()))
    for statement in ratios.statements(profile):  # V206, V208: stated once with their live formulas
        if statement.id in ("V206", "V208") and statement.test(v):
            out.append(problem(statement.id, *_at(case, statement.at), statement.text(v), "大于0", inputs[statement.at]))
    return out
