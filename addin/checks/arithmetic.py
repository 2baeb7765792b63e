"""V2xx: figures that must agree with each other (the slips published reports contain)."""

from __future__ import annotations

from addin.case import Case
from addin.catalogue.figures import ABOVE, INCOME, STATEMENTS, Amount
from addin.checks import Problem, problem
from udfs.engine import BOTH_ZERO, ZERO_BASE, rate_value
from udfs.errors import DomainError
from udfs.inputs import Inputs
from udfs.money import fmt_money
from udfs.profile import Profile
from udfs.rates import RATES
from udfs.rules.rated import rated


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
    out += _zero_denominators(case, inputs, profile)
    return out


def _zero_denominators(case: Case, inputs: Inputs, profile: Profile) -> list[Problem]:
    """A rate the profile cannot score: denominator 0 where the rubric says nothing."""
    out, seen = [], set()
    for ind in profile.indicators:
        for part in ind.value_parts:
            if not part.rated or part.rate in seen:
                continue
            seen.add(part.rate)
            spec = RATES[part.rate]
            try:
                pv = rate_value(part.rate, inputs, profile.options)
            except DomainError:
                pv = None
            rule = rated(part).when(pv.special if pv and pv.special else ZERO_BASE)
            if pv is not None and (not pv.special or pv.special == BOTH_ZERO and rule):
                continue
            den = spec.denominator(profile.options)
            if pv is not None and rule:  # only the denominator is 0, and the rubric says what that scores
                scored = "满分" if rule == "full" else "0分"
                out.append(problem("V208", *_at(case, den), f"{ind.name}：{den}为0而{spec.label}的分子不为0，"
                                   f"按评分档案计{scored}，请核实", "大于0", inputs[den]))
                continue
            out.append(problem("V206", *_at(case, den),
                               f"{ind.name}：{spec.label}的分母{den}为0（或为空），无法计算", "大于0", inputs[den]))
    return out
