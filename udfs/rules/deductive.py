"""What the kinds scored from the evaluators' 扣分记录 share: a part's points less what its
rows deduct, floor 0 (unless the indicator's parts share one cap, which the engine and the
indicator's formula handle)."""

from __future__ import annotations

from decimal import Decimal

from udfs.rules.base import FINDINGS, Rule
from udfs.rules.formula import num


class DeductiveRule(Rule):
    scored_from = FINDINGS
    points_required = False  # a shared cap (shared_cap) needs none: the loader checks the rest

    def score(self, part, value, options):
        """(points left, "") after ``value`` points deducted."""
        cut = value if isinstance(value, Decimal) else Decimal(str(value))
        return self.left(part, cut), ""

    def formula(self, part, x, options):
        return f"MAX({num(part.full)}-{x},0)"

    def words_formula(self, part, x, options):
        return '""'  # the engine words a deduction (udfs.engine.score_indicator), not the kind

    def edges(self, part):
        full = part.full
        return (Decimal(0), Decimal("0.1"), full / 2, full - Decimal("0.01"), full, full + Decimal("0.5"))
