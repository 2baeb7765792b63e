"""``ratio``: 得分 = 比率 × 分值."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from udfs.money import ONE, fmt_num, fmt_pct, quantize
from udfs.rules import fields as F
from udfs.rules.base import Over, pct
from udfs.rules.formula import joined, num, percent, shown, text
from udfs.rules.rated import OVER, RatedParams, RatedRule, over_edges, over_penalty, over_penalty_formula, over_penalty_words


@dataclass(frozen=True, kw_only=True)
class RatioParams(RatedParams):
    over: Over | None = None  # above 100%: 每超出 step 扣 deduct 分 (else full points)
    full_at: Decimal | None = None  # full points from this rate up ("95%以上得满分")


class Ratio(RatedRule):
    """The points times the rate, rounded half-up to 2 decimals; above 100% full points, less
    the over-steps where the rubric has them; with ``full_at``, full points from that rate up.

    附件1 重点支出安排率: "该项得分=安排率×2分。每超出5%扣0.5分,扣完为止"; 实际完成率 "得分=实际完成率
    ×分值"; a variant's 满意度 "95%以上得满分". Example (the seed report): 重点支出安排率 76.96% scores
    "76.96%×2=1.54"; at 110% two whole steps of 5% deduct 1, it scores 1.
    """

    kind = "ratio"
    title = "比率×分值"
    params = RatioParams
    fields = (*F.RATED, OVER, F.NumberField("full_at", "达到即得满分", ("full_at",)))
    examples = (({"rate": "keyspend", "points": 2, "over": {"step": 0.05, "deduct": 0.5}}, "0.7696", "1.54"),
                ({"rate": "keyspend", "points": 2, "over": {"step": 0.05, "deduct": 0.5}}, "1.1", "1"),
                ({"rate": "keyspend", "points": 2, "over": {"step": 0.05, "deduct": 0.5}}, "1.0999", "1.5"),
                ({"rate": "satisfaction", "points": 8, "full_at": 0.95}, "0.95", "8"),
                ({"rate": "satisfaction", "points": 8, "full_at": 0.95}, "0.9499", "7.6"))

    def score(self, part, value, options):
        full_at, over = part.params.full_at, part.params.over
        rate = value
        if full_at is not None and rate <= ONE and (rate > full_at or rate == full_at and options.yishang_inclusive):
            return part.full, f"达到{pct(full_at)}，计满分{fmt_num(part.full)}分"
        if rate <= ONE:
            score = quantize(rate * part.full, options.score_places)
            return score, f"得分={fmt_pct(rate)}×{fmt_num(part.full)}={fmt_num(score)}"
        if over is None:
            return part.full, f"超过100%，计满分{fmt_num(part.full)}分"
        return over_penalty(part, over, rate, options)

    def formula(self, part, x, options):
        full_at = part.params.full_at
        ratio = (f"IF({x}<=1,ROUND({x}*{num(part.full)},{options.score_places}),"
                 f"{over_penalty_formula(part, part.params.over, x, options)})")
        if full_at is None:
            return ratio
        reached = f"{x}{'>=' if options.yishang_inclusive else '>'}{num(full_at)}"
        return f"IF(AND({reached},{x}<=1),{num(part.full)},{ratio})"

    def words_formula(self, part, x, options):
        full_at, over = part.params.full_at, part.params.over
        full = fmt_num(part.full)
        times = joined(text("得分="), percent(x), text(f"×{full}="), shown(f"ROUND({x}*{num(part.full)},{options.score_places})"))
        above = text(f"超过100%，计满分{full}分") if over is None else over_penalty_words(part, over, x, options)
        words = f"IF({x}<=1,{times},{above})"
        if full_at is None:
            return words
        reached = f"{x}{'>=' if options.yishang_inclusive else '>'}{num(full_at)}"
        return f'IF(AND({reached},{x}<=1),{text(f"达到{pct(full_at)}，计满分{full}分")},{words})'

    def edges(self, part):
        out = over_edges(part.params.over) + (Decimal("0.6525"), Decimal("0.4975"), Decimal("0.0025"))
        if part.params.full_at is not None:
            out += (part.params.full_at - Decimal("0.0001"), part.params.full_at, part.params.full_at + Decimal("0.0001"))
        return out


RULE = Ratio()
