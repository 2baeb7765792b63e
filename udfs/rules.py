"""Scoring of one part of an indicator, one function per rule kind (pure, Decimal).

Each returns (points, text); the text is the rubric's own wording of the outcome
("95%以上计2分", "得分=76.96%×2=1.54"), used to build the basis line of 附件2.
"""

from __future__ import annotations

import math
from decimal import Decimal

from udfs.contract import NO, YES
from udfs.errors import ProfileError, RuleValueError
from udfs.money import ONE, ZERO, fmt_num, fmt_pct, quantize
from udfs.profile import RATED, Options, Over, Part


def over_steps(rate: Decimal, step: Decimal, mode: str, start: Decimal = ONE) -> int:
    """How many ``step``s ``rate`` is beyond ``start`` (above it; pass the distance for below):
    floor counts completed steps, ceil started ones."""
    excess = (rate - start) / step
    return math.floor(excess) if mode == "floor" else math.ceil(excess)


def pct(value: Decimal) -> str:
    """A rubric's threshold or step as it prints it: 0.05 -> '5%', 0.005 -> '0.5%'."""
    return f"{fmt_num(value * 100)}%"


def _over_penalty(part: Part, over: Over, rate: Decimal, options: Options) -> tuple[Decimal, str]:
    steps = over_steps(rate, over.step, options.over_step)
    deduct = over.deduct * steps if steps else ZERO
    score = max(part.full - deduct, ZERO)
    rule = f"超出100%，每超出{pct(over.step)}扣{fmt_num(over.deduct)}分"
    if not steps:
        return score, f"{rule}，不足{pct(over.step)}不扣分"
    if deduct > part.full:
        return score, f"{rule}，超出{fmt_pct(rate - ONE)}应扣{fmt_num(deduct)}分，扣完为止，实扣{fmt_num(part.full)}分"
    return score, f"{rule}，超出{fmt_pct(rate - ONE)}扣{fmt_num(deduct)}分"


def score_ratio(part: Part, rate: Decimal, options: Options) -> tuple[Decimal, str]:
    """得分 = 比率 × 分值; above 100%: full, less the over-steps if the rubric has them;
    with ``full_at``, full points from that rate up ("95%以上得满分")."""
    if part.full_at is not None and rate <= ONE and (rate > part.full_at or rate == part.full_at and options.yishang_inclusive):
        return part.full, f"达到{pct(part.full_at)}，计满分{fmt_num(part.full)}分"
    if rate <= ONE:
        score = quantize(rate * part.full, options.score_places)
        return score, f"得分={fmt_pct(rate)}×{fmt_num(part.full)}={fmt_num(score)}"
    if part.over is None:
        return part.full, f"超过100%，计满分{fmt_num(part.full)}分"
    return _over_penalty(part, part.over, rate, options)


def score_ceiling(part: Part, rate: Decimal, options: Options) -> tuple[Decimal, str]:
    """≤100% full marks; above, 每超出 step 扣 deduct, floor 0."""
    if rate <= ONE or part.over is None:  # the loader requires "over" of a ceiling part
        return part.full, f"≤100%，计{fmt_num(part.full)}分"
    return _over_penalty(part, part.over, rate, options)


def score_steps(part: Part, rate: Decimal, options: Options) -> tuple[Decimal, str]:
    """Full points within the target; each step beyond it (above ``over.start``, below
    ``under.start``) deducts, floor 0 — thresholds and directions are the rubric's."""
    deducted, said = ZERO, []
    for over, beyond, direction in ((part.over, part.over and rate > part.over.start, "高于"),
                                    (part.under, part.under and rate < part.under.start, "低于")):
        if over is None or not beyond:
            continue
        distance = rate - over.start if direction == "高于" else over.start - rate
        steps = over_steps(distance, over.step, options.over_step, ZERO)
        deducted += over.deduct * steps if steps else ZERO
        said.append(f"{direction}{pct(over.start)}，每{direction}{pct(over.step)}扣{fmt_num(over.deduct)}分，"
                    + (f"扣{fmt_num(over.deduct * steps)}分" if steps else "不足一档不扣分"))
    if not said:
        bounds = [f"不高于{pct(part.over.start)}" if part.over else "", f"不低于{pct(part.under.start)}" if part.under else ""]
        return part.full, f"{'且'.join(b for b in bounds if b)}，计满分{fmt_num(part.full)}分"
    score = max(part.full - deducted, ZERO)
    capped = f"，扣完为止（实扣{fmt_num(part.full)}分）" if deducted > part.full else ""
    return score, "；".join(said) + capped  # the basis line adds "，得…分"


def score_bands(part: Part, rate: Decimal, options: Options) -> tuple[Decimal, str]:
    for band in part.bands:
        if band.contains(rate):
            return band.points, band.label
    raise ProfileError(f"{part.label}：{fmt_pct(rate)} 不在评分标准的任何区间内")


def _trimmed(value: object) -> str:
    """A 是/否 or category cell as the workbook's formulas read it (TRIM: spaces only)."""
    return "" if value is None else str(value).strip(" ")


def score_yesno(part: Part, value: object, options: Options) -> tuple[Decimal, str]:
    text = _trimmed(value)
    if text == YES:
        return part.full, f"{part.label}：是，计{fmt_num(part.full)}分"
    if text in (NO, ""):
        return ZERO, f"{part.label}：{text or '未填'}，不得分"
    raise RuleValueError(f"{part.label}应填“是”或“否”，实际为“{text}”")


def score_category(part: Part, value: object, options: Options) -> tuple[Decimal, str]:
    text = _trimmed(value)
    key = part.synonyms.get(text, text)
    if key not in part.map:
        allowed = "、".join(part.map)
        raise RuleValueError(f"{part.label}应为{allowed}之一，实际为“{text or '空'}”")
    points = part.map[key]
    return points, f"{part.label}：{key}，计{fmt_num(points)}分"


RATE_RULES = {"ratio": score_ratio, "ceiling": score_ceiling, "bands": score_bands, "steps": score_steps}
assert tuple(RATE_RULES) == RATED  # profile.py names the kinds, this maps them
VALUE_RULES = {"yesno": score_yesno, "category": score_category}


def score_deductions(part: Part, deducted: Decimal) -> Decimal:
    """Points left on a deductive part after ``deducted`` points, floor 0."""
    return max(part.full - deducted, ZERO)
