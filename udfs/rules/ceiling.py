"""``ceiling``: full points up to 100%, each step above deducts."""

from __future__ import annotations

from dataclasses import dataclass

from udfs.errors import ProfileError
from udfs.money import ONE, fmt_num
from udfs.rules import fields as F
from udfs.rules.base import Over
from udfs.rules.formula import num, text
from udfs.rules.rated import OVER, RatedParams, RatedRule, over_edges, over_penalty, over_penalty_formula, over_penalty_words


@dataclass(frozen=True, kw_only=True)
class CeilingParams(RatedParams):
    over: Over | None = None  # required (the loader says so): 每超出 step 扣 deduct 分


class Ceiling(RatedRule):
    """Full points while the rate is at most 100%; above it, 每超出 step 扣 deduct 分, floor 0.

    附件1 在职人员控制率: "在职人员控制率≤100%计2分,每超出1%扣0.2分,扣完为止"; 政府采购执行率
    "≤100%，计1分，每超过1%扣0.1分，扣完为止". Example: 在职人员控制率 of 2 points at 101.5% scores 1.8 (one
    whole step of 1%); at 115% it scores 0 (15 steps would deduct 3).
    """

    kind = "ceiling"
    title = "不超过100%得满分"
    params = CeilingParams
    fields = (*F.RATED, OVER)
    examples = (({"rate": "staff", "points": 2, "over": {"step": 0.01, "deduct": 0.2}}, "1", "2"),
                ({"rate": "staff", "points": 2, "over": {"step": 0.01, "deduct": 0.2}}, "1.015", "1.8"),
                ({"rate": "staff", "points": 2, "over": {"step": 0.01, "deduct": 0.2}}, "1.15", "0"))

    def check(self, params, where):
        if params.over is None:
            raise ProfileError(f"{where}: ceiling 规则需要 over（每超出多少扣多少分）")

    def score(self, part, value, options):
        if value <= ONE or part.params.over is None:
            return part.full, f"≤100%，计{fmt_num(part.full)}分"
        return over_penalty(part, part.params.over, value, options)

    def formula(self, part, x, options):
        return f"IF({x}<=1,{num(part.full)},{over_penalty_formula(part, part.params.over, x, options)})"

    def words_formula(self, part, x, options):
        full = text(f"≤100%，计{fmt_num(part.full)}分")
        if part.params.over is None:
            return full
        return f"IF({x}<=1,{full},{over_penalty_words(part, part.params.over, x, options)})"

    def edges(self, part):
        return over_edges(part.params.over)


RULE = Ceiling()
