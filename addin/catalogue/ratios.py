"""Checks of the rates a profile scores (V206, V208, V212), stated once for both doors as
``figures`` states the checks of figures against each other: ``preval validate`` runs each
statement's ``test`` (addin.checks.arithmetic, .plausibility), the 实时校验 column its
``condition`` and ``formula`` (template 0.9).

The statements depend on the profile: which rates it scores (each once, by the first
indicator that scores it, in profile order) and what its rubric says of a zero denominator
(``both_zero`` / ``zero_base``: no finding where it says 0/0 scores, V208 where it says x/0
scores, V206 where it says nothing). A rate's numerator and denominator come from
``udfs.rates`` (the same ``Term``s the engine divides).

Python and formula read the figures alike: a blank amount that a budget may not have is 0
(N() in the formula), any other blank makes the rate not computable (COUNT); a sum of amounts
is 0 when it rounds to 0 at 6 decimals (0.1+0.2−0.3 in binary), as the workbook's score
formulas test it (addin.workbook.native); a rate above 1000% is tested without dividing, and
shown in % rounded at 6 then 2 decimals, half-up, from num×10000/den (the binary quotient
num/den×100 falls just below a half where the decimal one is on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from addin.catalogue.figures import STATEMENTS as FIGURES
from addin.catalogue.figures import Amount, Statement, Values
from udfs.contract import BY_NAME
from udfs.money import ZERO, quantize
from udfs.options import Options
from udfs.profile import Profile
from udfs.rates import RATES, RateSpec, Term
from udfs.rules.rated import BOTH_ZERO, ZERO_BASE, rated

IDS = ("V206", "V208", "V212")
LIMIT = Decimal(10)  # 1000%
ZERO_PLACES = 6


def _amount(term: Term) -> Amount:
    """The engine's numerator or denominator as figures reads a sum (a blank is 0, N() in the formula)."""
    return Amount(tuple((n, 1) for n in term.plus) + tuple((n, -1) for n in term.minus))


def _is_zero(term: Amount, v: Values) -> bool:
    value = term.value(v)
    return (value if len(term.terms) == 1 else quantize(value, ZERO_PLACES)) == ZERO


def _zero_formula(term: Amount) -> str:
    return f"{term.expression()}=0" if len(term.terms) == 1 else f"ROUND({term.expression()},{ZERO_PLACES})=0"


@dataclass(frozen=True)
class Percent:
    """A rate in % with 2 decimals, as ``TEXT(…,"0.00")`` shows it."""
    numerator: Amount
    denominator: Amount | None

    def value(self, v: Values) -> Decimal:
        scaled = self.numerator.value(v) * 10000
        if self.denominator is not None:
            scaled /= self.denominator.value(v)
        return quantize(quantize(scaled, 4), 0) / 100

    def text(self, v: Values) -> str:
        return f"{self.value(v):.2f}"

    def formula(self) -> str:
        den = f"/({self.denominator.expression()})" if self.denominator is not None else ""
        return f'TEXT(ROUND(ROUND(({self.numerator.expression()})*10000{den},4),0)/100,"0.00")'


@dataclass(frozen=True)
class _Rate:
    """One scored rate: its terms, the inputs it reads and which of them may be blank."""
    spec: RateSpec
    numerator: Amount
    denominator: Amount | None
    used: tuple[str, ...]

    @property
    def counted(self) -> tuple[str, ...]:
        """The inputs that must be numbers (a blank 追加预算 is 0)."""
        return tuple(n for n in self.used if not BY_NAME[n].blank_is_zero)

    def missing(self, v: Values) -> bool:
        return any(v(n) is None for n in self.counted)

    def missing_formula(self) -> str:
        return f"COUNT({','.join(self.counted)})<{len(self.counted)}"

    def present_formula(self) -> list[str]:
        """The test that every counted input is a number ([] when none is counted)."""
        return [f"COUNT({','.join(self.counted)})={len(self.counted)}"] if self.counted else []


def _all(tests: list[str]) -> str:
    return tests[0] if len(tests) == 1 else f"AND({','.join(tests)})"


def _any(tests: list[str]) -> str:
    return tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"


def _rate(spec: RateSpec, options: Options) -> _Rate:
    numerator, denominator = spec.terms(options)
    return _Rate(spec, _amount(numerator), _amount(denominator) if denominator else None, spec.inputs_used(options))


def _zero_base(indicator: str, rate: _Rate, both_rule: str, base_rule: str, options: Options) -> list[Statement]:
    """V206 where the rubric says nothing of the zero denominator, V208 where it scores x/0."""
    den = rate.spec.denominator(options)
    assert rate.denominator is not None
    num_zero, den_zero = rate.numerator, rate.denominator

    def cannot(v: Values) -> bool:
        if rate.missing(v):
            return True
        if not _is_zero(den_zero, v):
            return False
        return not (both_rule if _is_zero(num_zero, v) else base_rule)

    # the same choice as ``cannot``, made once: which zero numerators the rubric answers (no
    # TRUE/FALSE constants: LibreOffice saves them as TRUE()/FALSE(), another formula text)
    unanswered = {(False, False): [], (False, True): [_zero_formula(num_zero)],
                  (True, False): [f"NOT({_zero_formula(num_zero)})"], (True, True): None}[(bool(both_rule), bool(base_rule))]
    either = [rate.missing_formula()] if rate.counted else []
    if unanswered is not None:
        either.append(_all([_zero_formula(den_zero), *unanswered]))
    out = [Statement("V206", den, cannot, _any(either), (f"{indicator}：{rate.spec.label}的分母{den}为0（或为空），无法计算",),
                     rate.used)] if either else []  # none: every blank is 0 and the rubric answers both zeros
    if base_rule:
        scored = "满分" if base_rule == "full" else "0分"
        out.append(Statement(
            "V208", den,
            lambda v: not rate.missing(v) and _is_zero(den_zero, v) and not _is_zero(num_zero, v),
            _all([*rate.present_formula(), _zero_formula(den_zero), f"NOT({_zero_formula(num_zero)})"]),
            (f"{indicator}：{den}为0而{rate.spec.label}的分子不为0，按评分档案计{scored}，请核实",), rate.used))
    return out


def _huge(indicator: str, rate: _Rate) -> Statement:
    """V212 at the rate's first input, unless V213 already says one of its inputs is 1000×
    another (the same slip, said once)."""
    apart = tuple(s for s in FIGURES if s.id == "V213" and set(s.names) & set(rate.used))
    num, den = rate.numerator, rate.denominator

    def test(v: Values) -> bool:
        if rate.missing(v) or (den is not None and _is_zero(den, v)) or any(s.test(v) for s in apart):
            return False
        bound = LIMIT * abs(den.value(v)) if den is not None else LIMIT
        return quantize(abs(num.value(v)) - bound, ZERO_PLACES) > ZERO

    bound = f"{LIMIT}*ABS({den.expression()})" if den is not None else f"{LIMIT}"
    tests = [*rate.present_formula(), *((f"NOT({_zero_formula(den)})",) if den is not None else ()),
             f"ROUND(ABS({num.expression()})-{bound},{ZERO_PLACES})>0",
             *((f"NOT(OR({','.join(s.condition for s in apart)}))",) if apart else ())]
    return Statement(
        "V212", rate.used[0], test, _all(tests),
        (f"{indicator}：{rate.spec.label}为 ", Percent(num, den),
         f"%，超过1000%，请核对{'、'.join(rate.used)}是否填错或单位不一致"), rate.used)


def statements(profile: Profile) -> tuple[Statement, ...]:
    """The rate checks of ``profile``, in validate's order: V206/V208 of each scored rate, then
    V212 of each."""
    zero, huge, seen = [], [], set()
    for ind in profile.indicators:
        for part in ind.value_parts:
            if not part.rated or part.rate in seen:
                continue
            seen.add(part.rate)
            rate = _rate(RATES[part.rate], profile.options)
            if rate.denominator is not None:
                params = rated(part)
                zero += _zero_base(ind.name, rate, params.when(BOTH_ZERO), params.when(ZERO_BASE), profile.options)
            huge.append(_huge(ind.name, rate))
    return (*zero, *huge)


def figure_statements(profile: Profile) -> tuple[Statement, ...]:
    """Every figure check of ``profile``: the fixed ones (``figures``) and its rates'."""
    return (*FIGURES, *statements(profile))
