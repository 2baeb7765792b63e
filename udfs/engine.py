"""The rubric engine: inputs + findings + profile -> every indicator's rate, score, basis;
section totals; total; grade. It reads no file and imports neither xlwings nor pandas.

Two entry points share one scorer:
- ``evaluate`` computes each indicator's values from the defined-name inputs (CLI, ribbon);
- ``score_indicator`` scores values handed in directly (the PREVAL_* cell functions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from udfs.contract import YES
from udfs.errors import DomainError, FindingError
from udfs.inputs import Finding, Inputs
from udfs.money import ZERO, fmt_num, fmt_pct, quantize
from udfs.profile import WHOLE, Indicator, Options, Part, Profile
from udfs.rates import RATES
from udfs.rules.rated import BOTH_ZERO, ZERO_BASE

COMPARE_PLACES = 12  # a zero_if ratio of two amounts: exact for any budget under 10^9 万元
# a zero_if ratio with a zero denominator and a positive numerator (三公 spent with no 三公
# budget): above any threshold, "完成数超过预算数"
ABOVE_ANY = Decimal("Infinity")
__all__ = ["BOTH_ZERO", "ZERO_BASE"]  # what a rate with no value is (udfs.rules.rated)

# the evaluator's words in a basis (the 自评报告 says them in the department's voice)
NOTHING_FOUND = "经查未发现不符合要求的情形"
UNNAMED_DEDUCTION = "评价组扣分"


@dataclass(frozen=True)
class PartValue:
    """What a value part is scored on: a rate (rounded), a 是/否 or category text."""

    value: object = None
    expr: str = ""  # the rate's formula with the real numbers, e.g. "29/34"
    special: str = ""  # BOTH_ZERO | ZERO_BASE when the rate has no value
    error: DomainError | None = field(default=None, compare=False)  # why not, with a special: a cell shows it


@dataclass(frozen=True)
class IndicatorResult:
    no: int
    level1: str
    level2: str
    name: str
    weight: Decimal
    rate: Decimal | None
    score: Decimal
    basis: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    unit: str
    year: int | None
    profile: str
    indicators: tuple[IndicatorResult, ...]
    sections: dict[str, Decimal]
    section_weights: dict[str, Decimal]
    total: Decimal
    grade: str
    serious_violation: bool = False
    findings: tuple[Finding, ...] = field(default_factory=tuple)


def inputs_needed(profile: Profile) -> frozenset[str]:
    """Every input the rubric scores on: its rates' operands and its 是/否 and category inputs."""
    names: set[str] = set()
    for ind in profile.indicators:
        for part in ind.value_parts:
            names.update(RATES[part.rate].inputs_used(profile.options) if part.rated else (part.input,))
        for cond in ind.zero_if:
            names.update(RATES[cond.rate].inputs_used(profile.options))
    return frozenset(names)


# ---------------------------------------------------------------- scoring one indicator

def _rate_part(part: Part, pv: PartValue, options: Options) -> tuple[Decimal, str, Decimal | None]:
    spec = RATES[part.rate]
    label = spec.label
    if pv.special:
        what = "分子分母均为0（无此项）" if pv.special == BOTH_ZERO else "分母为0"
        scored = part.rule.special(part, pv.special, options)  # type: ignore[attr-defined]
        if scored is None:  # the rubric says nothing of it
            raise DomainError(f"{label}：{what}，无法计算", code="#DIV/0!")
        points, words, rate = scored
        return points, f"{label}：{what}，{words}", rate
    if not isinstance(pv.value, Decimal):
        raise DomainError(f"{label}为空或不是数字", code="#VALUE!")
    rate = quantize(pv.value, options.rate_places)
    points, text = part.rule.score(part, rate, options)
    shown = f"{label}={pv.expr}×100%={fmt_pct(rate)}" if pv.expr and pv.expr != fmt_pct(rate) \
        else f"{label}={fmt_pct(rate)}"
    return points, f"{shown}，{text}", rate


def _part_points(part: Part, pv: PartValue, options: Options) -> tuple[Decimal, str, Decimal | None]:
    """(points, basis text, rate shown) of one value part; a DomainError when it cannot be scored."""
    if part.rated:
        return _rate_part(part, pv, options)
    points, text = part.rule.score(part, pv.value, options)
    return points, text, None


def score_indicator(
    ind: Indicator,
    values: Mapping[str, PartValue],
    deductions: Mapping[str, Decimal],
    options: Options,
    conditions: Mapping[str, Decimal | None] | None = None,
    reasons: Mapping[str, Sequence[str]] | None = None,
) -> tuple[Decimal, Decimal | None, str]:
    """(score, displayed rate, basis) of one indicator.

    ``values``: part id -> PartValue for every value part. ``deductions``: sub-item ->
    points deducted (WHOLE for the indicator as a whole). ``conditions``: rate id -> rate
    for the indicator's zero_if rules (a missing rate is not checked). ``reasons``:
    sub-item -> the 事由 of its findings, for the basis text.
    """
    reasons = reasons or {}
    texts: list[str] = []
    shown_rate: Decimal | None = None
    total = ZERO
    for part in ind.value_parts:
        points, text, rate = _part_points(part, values.get(part.id, PartValue()), options)
        if shown_rate is None:
            shown_rate = rate
        total += points
        texts.append(f"{part.id}{text}" if len(ind.parts) > 1 else text)  # ① labelled like ②

    for cond in ind.zero_if:
        rate = (conditions or {}).get(cond.rate)
        # "超支", "完成数超过预算数": a comparison of the amounts, not of the rate as shown
        # (2000.01 of 2000 shows as 100.00% and is 超支); the workbook's formulas compare at
        # the same places (addin.workbook.native._condition uses COMPARE_PLACES)
        if rate is not None and (rate == ABOVE_ANY or quantize(rate, COMPARE_PLACES) > cond.above):
            return ZERO, shown_rate, "；".join([*texts, cond.label]) + "，得0分"

    deducted_whole = ZERO
    eventful = bool(ind.value_parts)  # something to say beyond "nothing found"
    untouched: list[Part] = []  # sub-items of points of their own without a finding
    for part in ind.finding_parts:
        cut = deductions.get(part.id, ZERO)
        eventful = eventful or cut > ZERO
        if part.rule.vetoes and cut > ZERO:
            why = "、".join(reasons.get(part.id, ())) or part.label
            return ZERO, shown_rate, f"{part.shown}{why}，发生1例本指标全扣，得0分"
        if cut > ZERO:
            why = "、".join(reasons.get(part.id, ())) or part.label
            capped = not ind.shared_cap and cut > part.full
            # more deducted than the sub-item is worth: say what counted, so the arithmetic adds up
            texts.append(f"{part.shown}{why}，扣{fmt_num(cut)}分" +
                         (f"，该子项扣完为止，实扣{fmt_num(part.full)}分" if capped else ""))
        elif not ind.shared_cap and len(ind.parts) > 1:
            untouched.append(part)
        if ind.shared_cap:
            deducted_whole += cut
        else:
            total += part.rule.left(part, cut)
    if untouched:
        # what they gave, so the parts add up to the score (附件2 item 12 said "…，得0.5分"
        # without the 0.5 of ③): one by its label, several by their numbers
        kept = fmt_num(sum((p.full for p in untouched), ZERO))
        named = f"{untouched[0].shown}{untouched[0].label}，" if len(untouched) == 1 else \
            "".join(p.shown for p in untouched)
        texts.append(f"{named}未发现不符合要求的情形，计{kept}分")
    if ind.shared_cap:
        total += ind.weight
    whole = deductions.get(WHOLE, ZERO)
    eventful = eventful or whole > ZERO
    if whole > ZERO:
        why = "、".join(reasons.get(WHOLE, ())) or UNNAMED_DEDUCTION
        texts.append(f"{why}，扣{fmt_num(whole)}分")
    deducted_whole += whole
    if deducted_whole > total > ZERO or (ind.shared_cap and deducted_whole > ind.weight):
        texts.append(f"合计扣{fmt_num(deducted_whole)}分，扣完为止，实扣{fmt_num(min(total, ind.weight))}分")
    score = quantize(min(max(total - deducted_whole, ZERO), ind.weight), options.score_places)
    if not eventful:
        texts = [NOTHING_FOUND]
    return score, shown_rate, "；".join(texts) + f"，得{fmt_num(score)}分"


def value_points(ind: Indicator, inputs: Inputs, options: Options) -> Decimal | None:
    """计算项得分: the points the indicator's value parts give before its deductions and
    conditions (the 公式计算 column of that name); None when one of them cannot be scored."""
    try:
        return sum((_part_points(part, _part_value(part, inputs, options), options)[0] for part in ind.value_parts),
                   ZERO)
    except DomainError:
        return None


# ---------------------------------------------------------------- from inputs

def rate_value(rate_id: str, inputs: Inputs, options: Options) -> PartValue:
    """A rate of the inputs; a zero denominator becomes a special PartValue. Computed once per
    Inputs and options, kept in ``inputs.rates``: the same value wherever it is asked for."""
    key = (rate_id, options)
    if key not in inputs.rates:
        try:
            inputs.rates[key] = _rate_value(rate_id, inputs, options)
        except DomainError as exc:
            inputs.rates[key] = exc
    kept = inputs.rates[key]
    if isinstance(kept, DomainError):
        raise kept
    return kept


def _rate_value(rate_id: str, inputs: Inputs, options: Options) -> PartValue:
    spec = RATES[rate_id]
    try:
        rate, expr = spec.compute(inputs.numbers(), options)
    except DomainError as exc:
        names = set(spec.inputs_used(options))
        used = {n: v for n in names if isinstance(v := inputs[n], Decimal)}
        if exc.code == "#DIV/0!" and len(used) == len(names):  # every input a number: x/0 or 0/0
            both = spec.numerator(used, options) == ZERO
            return PartValue(None, special=BOTH_ZERO if both else ZERO_BASE, error=exc)
        raise
    return PartValue(rate, expr)


def _part_value(part: Part, inputs: Inputs, options: Options) -> PartValue:
    if part.rated:
        return rate_value(part.rate, inputs, options)
    return PartValue(inputs[part.input])


def condition_rates(ind: Indicator, inputs: Inputs, options: Options) -> dict[str, Decimal | None]:
    """The rates of the indicator's zero_if conditions (None: not computable, not checked)."""
    out: dict[str, Decimal | None] = {}
    for cond in ind.zero_if:
        pv = rate_value(cond.rate, inputs, options)
        out[cond.rate] = ABOVE_ANY if pv.special == ZERO_BASE else pv.value if isinstance(pv.value, Decimal) else None
    return out


def group_findings(ind: Indicator, findings: Sequence[Finding]):
    """(points deducted, 事由) by part id — the workbook column a finding is summed in — or WHOLE."""
    deductions: dict[str, Decimal] = {}
    reasons: dict[str, list[str]] = {}
    for f in findings:
        if not ind.deductible(f.subitem):
            raise FindingError(f, f"“{ind.name}”没有可扣分的子项“{f.subitem}”"
                                  f"（可用：{ind.deductible_ids}，或“{WHOLE}”表示整个指标）")
        part = ind.chosen(f.subitem)
        key = WHOLE if part is None else part.id  # deductions are kept by part id (its column)
        deductions[key] = deductions.get(key, ZERO) + f.points
        if f.reason:
            reasons.setdefault(key, []).append(f.reason)
    return deductions, reasons


def grade_for(total: Decimal, profile: Profile, serious: bool = False) -> str:
    """Grade by the profile's limits; a serious violation moves it down one level."""
    names = [g for _, g in profile.grades]
    index = next(n for n, (low, _) in enumerate(profile.grades) if total >= low)
    if serious and profile.options.grade_step_down:
        index = min(index + 1, len(names) - 1)
    return names[index]


def evaluate(inputs: Inputs, findings: Sequence[Finding], profile: Profile) -> Evaluation:
    """Score every indicator of ``profile`` for one department."""
    options = profile.options
    by_indicator: dict[int, list[Finding]] = {}
    for f in findings:
        ind = profile.indicator(f.indicator)
        if ind is None:
            raise FindingError(f, f"未知的指标“{f.indicator}”")
        by_indicator.setdefault(ind.no, []).append(f)

    results = []
    for ind in profile.indicators:
        own = by_indicator.get(ind.no, [])
        deductions, reasons = group_findings(ind, own)
        values = {p.id: _part_value(p, inputs, options) for p in ind.value_parts}
        score, rate, basis = score_indicator(ind, values, deductions, options, condition_rates(ind, inputs, options),
                                             reasons)
        results.append(IndicatorResult(ind.no, ind.level1, ind.level2, ind.name, ind.weight,
                                       rate, score, basis, tuple(own)))

    sections: dict[str, Decimal] = {}
    for r in results:
        sections[r.level1] = sections.get(r.level1, ZERO) + r.score
    sections = {k: quantize(v, options.score_places) for k, v in sections.items()}
    total = quantize(sum(sections.values(), ZERO), options.score_places)
    serious = inputs["严重违纪"] == YES
    return Evaluation(
        unit=str(inputs["单位名称"] or ""), year=inputs["评价年度"], profile=profile.name,
        indicators=tuple(results), sections=sections, section_weights=profile.section_weights(),
        total=total, grade=grade_for(total, profile, serious), serious_violation=serious,
        findings=tuple(findings),
    )
