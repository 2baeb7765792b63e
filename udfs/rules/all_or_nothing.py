"""``all_or_nothing``: the sub-item's points, or none."""

from __future__ import annotations

from udfs.money import fmt_num
from udfs.rules.deductive import DeductiveRule
from udfs.rules.formula import num


class AllOrNothing(DeductiveRule):
    """The sub-item's points unless the evaluators deduct them; the rubric's deduction is the
    whole sub-item, another amount is accepted and flagged (提示).

    附件1 绩效目标合理性 ①: "有目标，计1分，否则不得分". Example: 1 deducted leaves 0; 0.5 deducted
    leaves 0.5 and is flagged ("1分（全有或全无）").
    """

    kind = "all_or_nothing"
    title = "全有或全无"
    examples = (({"points": 1}, "1", "0"), ({"points": 1}, "0.5", "0.5"), ({"points": 1}, "0", "1"))

    def rubric_amounts(self, part):
        return "" if part.points is None else f"{fmt_num(part.points)}分（全有或全无）"

    def fits(self, part, amount):
        return part.points is None or amount == part.points

    def fits_formula(self, part, x):
        return "" if part.points is None else f"{x}={num(part.points)}"


RULE = AllOrNothing()
