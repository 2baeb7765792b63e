"""V2xx: figures that must agree with each other (the slips published reports contain)."""

from __future__ import annotations

from addin.case import Case
from addin.catalogue.figures import INCOME, TOLERANCE, Amount
from addin.catalogue.figures import findings as figure_findings
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
    total = v("全年预算")
    for name, message in figure_findings(v, "V201"):  # stated once with its live formula
        out.append(problem("V201", *_at(case, name), message, fmt_money(Amount(INCOME).value(v)), fmt_money(total)))
    spent, carry = v("预算执行数"), v("结转结余")
    # when spending exceeds the budget V203 says so; a negative carry-over is no expectation
    if None not in (total, spent, carry) and spent <= total and abs(total - spent - carry) > TOLERANCE:
        out.append(problem("V202", *_at(case, "结转结余"),
                           f"全年预算 {fmt_money(total)} − 预算执行数 {fmt_money(spent)} = {fmt_money(total - spent)}，"
                           f"结转结余填的是 {fmt_money(carry)}", fmt_money(total - spent), fmt_money(carry)))
    pairs = (("V203", "预算执行数", "全年预算"), ("V204", "三公实际", "三公预算本年"), ("V205", "在职人数", "编制数"),
             ("V207", "实际完成数", "计划工作数"), ("V207", "及时完成数", "计划工作数"),
             ("V207", "质量达标数", "计划工作数"), ("V207", "重点完成数", "重点交办数"))
    for check, part, whole in pairs:
        a, b = v(part), v(whole)
        if a is not None and b is not None and b > 0 and a > b:
            out.append(problem(check, *_at(case, part), f"{part} {a.normalize():f} 大于 {whole} {b.normalize():f}",
                               f"不大于{b.normalize():f}", a.normalize()))
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
