"""``judgement``: the evaluators deduct what they judge, within the sub-item."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from udfs.money import fmt_num
from udfs.rules import fields as F
from udfs.rules.base import Params
from udfs.rules.deductive import DeductiveRule
from udfs.rules.formula import num


@dataclass(frozen=True)
class _Amounts(F.Field):
    """The deductions the rubric allows: a TOML list, "0.5、1" in the rubric workbook."""

    def read(self, value, options, where, kind):
        return tuple(F.decimal(s, f"{where}.{self.key}") for s in value)

    def data(self, value):
        return [F.toml_number(s) for s in value] or None

    def to_cells(self, data):
        return {self.key: "、".join(F.plain(s) for s in data or ()) or None}

    def from_cells(self, cells):
        text = cells.text(self.key)
        if not text:
            return None
        try:
            return [F.cell_number(s) for s in text.replace("，", "、").replace(",", "、").split("、") if s.strip()]
        except ValueError as exc:
            cells.bad(self.key, str(exc))
            return None


@dataclass(frozen=True, kw_only=True)
class JudgementParams(Params):
    # the amounts the rubric names (TOML key "steps"): another one is flagged (提示)
    amounts: tuple[Decimal, ...] = ()


class Judgement(DeductiveRule):
    """The sub-item's points less what the evaluators judge, floor 0; where the rubric names
    the amounts ("计1分…计0.5分"), another amount is flagged (提示).

    附件1 绩效目标合理性 ②: "目标明确，细化量化良好…计1分，量化指标为2个，计0.5分，2个以下不得分".
    Example: 0.5 deducted of 1 leaves 0.5; 0.3 deducted is flagged ("0.5或1分").
    """

    kind = "judgement"
    title = "酌情扣分"
    params = JudgementParams
    fields = (_Amounts("steps", "允许的扣分额", ("steps",), attr="amounts"),)
    examples = (({"points": 1, "steps": [0.5, 1]}, "0.5", "0.5"), ({"points": 1, "steps": [0.5, 1]}, "1", "0"))

    def rubric_amounts(self, part):
        amounts = part.params.amounts
        return "或".join(fmt_num(s) for s in amounts) + "分" if amounts else ""

    def fits(self, part, amount):
        amounts = part.params.amounts
        return not amounts or amount in amounts

    def fits_formula(self, part, x):
        amounts = part.params.amounts
        return f"SUMPRODUCT(({x}={{{','.join(num(s) for s in amounts)}}})*1)>0" if amounts else ""


RULE = Judgement()
