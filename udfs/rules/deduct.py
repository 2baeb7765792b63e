"""``deduct``: each case the evaluators find deducts its amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from udfs.money import ZERO, fmt_num
from udfs.rules import fields as F
from udfs.rules.base import Params
from udfs.rules.deductive import DeductiveRule
from udfs.rules.formula import num


@dataclass(frozen=True, kw_only=True)
class DeductParams(Params):
    # the rubric's amount a case (the evaluator's amount stands; another one is a 提示)
    per_case: Decimal | None = None


class Deduct(DeductiveRule):
    """The sub-item's points less what the 扣分记录 rows on it deduct, floor 0; the rubric's
    amount a case (``per_case``) is what validation expects, a deduction that is not a whole
    number of cases is a 提示.

    附件1 资金使用合规性 ③: "重大项目开支和大额资金使用经集体研究决策…每发现一例扣0.5分，扣完为止".
    Example: 1 point, two cases of 0.5 leave 0; 0.75 deducted is flagged ("每例0.5分的整数倍").
    """

    kind = "deduct"
    title = "每例扣分"
    params = DeductParams
    fields = (F.NumberField("per_case", "每例扣分", ("per_case",), not_negative=True),)
    examples = (({"points": 1, "per_case": 0.5}, "1", "0"), ({"points": 1, "per_case": 0.5}, "0.5", "0.5"),
                ({"points": 1, "per_case": 0.5}, "3", "0"))

    def rubric_amounts(self, part):
        per_case = part.params.per_case
        return f"每例{fmt_num(per_case)}分的整数倍" if per_case else ""

    def fits(self, part, amount):
        per_case = part.params.per_case
        return not per_case or amount % per_case == ZERO

    def fits_formula(self, part, x):
        per_case = part.params.per_case
        if not per_case:
            return ""
        cases = f"ROUND({x}/{num(per_case)},9)"  # 0.3/0.1 is 2.9999999999999996 in binary
        return f"{cases}=INT({cases})"


RULE = Deduct()
