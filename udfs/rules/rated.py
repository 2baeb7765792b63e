"""What the four kinds scored from a rate share: the rate they read, what a rate with no
value scores (0/0: ``both_zero``; x/0: ``zero_base``), the rounding of the rate before a
formula compares it, and the over-100% penalty of ``ratio`` and ``ceiling``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from udfs.money import ONE, ZERO, fmt_num, fmt_pct
from udfs.options import Options
from udfs.rules import fields as F
from udfs.rules.base import RATE, Over, Params, Rule, Scored, over_steps, pct
from udfs.rules.formula import DIV0, NOT_APPLICABLE, joined, num, percent, shown, step_count, text

BOTH_ZERO = "both_zero"  # numerator and denominator both 0 (无此项)
ZERO_BASE = "zero_base"  # denominator 0, numerator > 0


@dataclass(frozen=True, kw_only=True)
class RatedParams(Params):
    rate: str
    both_zero: str = ""  # "full" | "zero" | "as_zero" (as a rate of 0)
    zero_base: str = ""  # "full" | "zero"

    def when(self, which: str) -> str:
        """What the rubric scores a rate with no value (``which``: BOTH_ZERO or ZERO_BASE)."""
        return self.both_zero if which == BOTH_ZERO else self.zero_base


def rated(part: Scored) -> RatedParams:
    """The parameters of a part scored from a rate (its kind's Params derive from RatedParams)."""
    return cast(RatedParams, part.params)


class RatedRule(Rule):
    scored_from = RATE
    params = RatedParams

    def special(self, part: Scored, which: str, options: Options) -> tuple[Decimal, str, Decimal | None] | None:
        """(points, words, rate shown) of a rate with no value (``which``: BOTH_ZERO or
        ZERO_BASE) as the part's rubric scores it; None where it says nothing."""
        rule = rated(part).when(which)
        if rule == "full":
            return part.full, f"计满分{fmt_num(part.full)}分", None
        if rule == "zero":
            return ZERO, "计0分", None
        if rule == "as_zero":  # nothing either year: no change, scored as a rate of 0
            points, text = self.score(part, ZERO, options)
            return points, f"按比率为0计，{text}", ZERO
        return None

    def special_words_formula(self, part: Scored, which: str, options: Options) -> str | None:
        """``special``'s words as a formula (None where the rubric says nothing)."""
        rule = rated(part).when(which)
        if rule == "full":
            return text(f"计满分{fmt_num(part.full)}分")
        if rule == "zero":
            return text("计0分")
        if rule == "as_zero":
            return joined(text("按比率为0计，"), self.words_formula(part, "0", options))
        return None

    def cell_formula(self, part: Scored, value: str, options: Options) -> str:
        """The part's points from its value cell: a rate (rounded to the profile's places, as
        the engine rounds it), "无" for 0/0 or "#DIV/0! …" for x/0."""
        x = f"ROUND({value},{options.rate_places})"
        params = rated(part)

        def special(rule: str, at_zero: str = "NA()") -> str:
            return {"full": num(part.full), "zero": "0", "as_zero": at_zero}.get(rule, "NA()")

        at_zero = self.formula(part, "0", options) if params.both_zero == "as_zero" else "NA()"
        return (f'IF(ISNUMBER({value}),{self.formula(part, x, options)},IF({value}="{NOT_APPLICABLE}",'
                f'{special(params.both_zero, at_zero)},IF(LEFT({value},{len(DIV0)})="{DIV0}",'
                f"{special(params.zero_base)},NA())))")


def over_penalty(part: Scored, over: Over, rate: Decimal, options: Options) -> tuple[Decimal, str]:
    """"超出100%，每超出 step 扣 deduct 分", floor 0 ("扣完为止")."""
    steps = over_steps(rate, over.step, options.over_step)
    deduct = over.deduct * steps if steps else ZERO
    score = max(part.full - deduct, ZERO)
    rule = f"超出100%，每超出{pct(over.step)}扣{fmt_num(over.deduct)}分"
    if not steps:
        return score, f"{rule}，不足{pct(over.step)}不扣分"
    if deduct > part.full:
        return score, f"{rule}，超出{fmt_pct(rate - ONE)}应扣{fmt_num(deduct)}分，扣完为止，实扣{fmt_num(part.full)}分"
    return score, f"{rule}，超出{fmt_pct(rate - ONE)}扣{fmt_num(deduct)}分"


def over_penalty_formula(part: Scored, over: Over | None, x: str, options: Options) -> str:
    if over is None:
        return num(part.full)
    return f"MAX({num(part.full)}-{num(over.deduct)}*{step_count(x, over.step, options)},0)"


def over_penalty_words(part: Scored, over: Over, x: str, options: Options) -> str:
    """``over_penalty``'s words as a formula of the rounded rate ``x`` (above 100%)."""
    steps = step_count(x, over.step, options)
    rule = f"超出100%，每超出{pct(over.step)}扣{fmt_num(over.deduct)}分"
    beyond = joined(text(f"{rule}，超出"), percent(f"{x}-1"))
    cut = f"{num(over.deduct)}*{steps}"
    capped = joined(beyond, text("应扣"), shown(cut), text(f"分，扣完为止，实扣{fmt_num(part.full)}分"))
    return (f'IF({steps}=0,{text(f"{rule}，不足{pct(over.step)}不扣分")},'
            f'IF(ROUND({cut},9)>{num(part.full)},{capped},{joined(beyond, text("扣"), shown(cut), text("分"))}))')


def over_edges(over: Over | None) -> tuple[Decimal, ...]:
    """Around 100% and the first steps above it."""
    out = [Decimal("0"), Decimal("0.5"), Decimal("0.9999"), ONE, Decimal("1.0001")]
    if over is not None:
        for n in (1, 2, 3, 10, 1000):
            edge = ONE + over.step * n
            out += [edge - Decimal("0.0001"), edge, edge + Decimal("0.0001")]
    return tuple(out)


OVER = F.penalty("over", "超出100%每档扣分")
