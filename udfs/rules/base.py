"""What a rule kind is: ``Rule``, the base every file of ``udfs.rules`` derives from.

A rule kind states, in its own file: its typed parameters (a ``Params`` dataclass), the
fields it reads from a profile's TOML and from a row of the rubric workbook
(``udfs.rules.fields``), how a part of that kind scores (points first, then the words that
explain them), its worksheet formula, and its doc block (the class docstring: what it
does, the rubric wording it stands for, an example). The loader, the engine, the formula
compiler, the serialiser, the rubric workbook, the report and docs/rules.md iterate the
registry (``udfs.rules.REGISTRY``) and never spell a kind's name.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import ClassVar

from udfs.money import ONE, ZERO, fmt_num
from udfs.options import Options
from udfs.rules.fields import Field
from udfs.rules.params import Band, Over, Params, Scored

__all__ = ["Band", "Over", "Params", "Scored"]

# what a part is scored from
RATE = "rate"  # a rate computed from the inputs (udfs.rates)
INPUT = "input"  # a 是/否 or category input, as typed
FINDINGS = "findings"  # the evaluators' 扣分记录 rows


def pct(value: Decimal) -> str:
    """A rubric's threshold or step as it prints it: 0.05 -> '5%', 0.005 -> '0.5%'."""
    return f"{fmt_num(value * 100)}%"


def whole_steps(distance: Decimal, step: Decimal, mode: str) -> int:
    """How many ``step``s ``distance`` covers: floor counts completed steps, ceil started ones."""
    excess = distance / step
    return math.floor(excess) if mode == "floor" else math.ceil(excess)


def over_steps(rate: Decimal, step: Decimal, mode: str, start: Decimal = ONE) -> int:
    """How many ``step``s ``rate`` is beyond ``start``."""
    return whole_steps(rate - start, step, mode)


class Rule:
    """A rule kind. Subclasses set the class attributes and implement what their
    ``scored_from`` needs: ``score`` and ``formula`` for a value kind, nothing more (or
    ``differs``, ``vetoes``) for a deductive one."""

    kind: ClassVar[str]  # how a profile's TOML names it
    title: ClassVar[str]  # the rubric workbook's 计分方式 dropdown word
    scored_from: ClassVar[str]  # RATE | INPUT | FINDINGS
    params: ClassVar[type[Params]] = Params
    fields: ClassVar[tuple[Field, ...]] = ()
    # what a part of the kind needs that the fields alone do not say (ProfileError text)
    points_required: ClassVar[bool] = True
    vetoes: ClassVar[bool] = False  # one deduction zeroes the whole indicator (一票否决)
    # (TOML part without id/kind/label, value, points the rubric text gives): the doc block's
    # examples, which tests/rules check in the engine and in the formula
    examples: ClassVar[tuple[tuple[dict, object, str], ...]] = ()

    @property
    def doc(self) -> str:
        return (type(self).__doc__ or "").strip()

    @property
    def quantitative(self) -> bool:
        return self.scored_from != FINDINGS

    def check(self, params: Params, where: str) -> None:
        """Raise ProfileError for parameters that are wrong together (each field checks
        itself when it is read)."""

    # -------------------------------------------------- value kinds

    def score(self, part: Scored, value: object, options: Options) -> tuple[Decimal, str]:
        """(points, the rubric's own wording of the outcome) of a part scored from ``value``:
        a rate (rounded to the profile's places) or the text of an input."""
        raise NotImplementedError(self.kind)

    def formula(self, part: Scored, x: str, options: Options) -> str:
        """The worksheet formula of the part's points from ``x``: the rounded rate, or the
        value cell's text. It gives what ``score`` gives (tests/rules)."""
        raise NotImplementedError(self.kind)

    def words_formula(self, part: Scored, x: str, options: Options) -> str:
        """``score``'s words as a worksheet formula of ``x`` (what ``formula`` reads): the
        评分说明's live 计算过程 (addin.workbook.live_notes). It says what ``score`` says,
        character for character (tests/test_rule_kinds)."""
        raise NotImplementedError(self.kind)

    def cell_formula(self, part: Scored, value: str, options: Options) -> str:
        """The part's points from its value cell (a rated kind first reads what a rate with no
        value shows: udfs.rules.rated)."""
        return self.formula(part, value, options)

    def edges(self, part: Scored) -> tuple[object, ...]:
        """Values at and around the part's thresholds, for the parity test of its formula."""
        return ()

    # -------------------------------------------------- deductive kinds

    def differs(self, part: Scored, amount: Decimal) -> str:
        """The rubric's amount when a deduction of ``amount`` is not one of them ("" when it
        fits): validation flags it as a 提示 (V306), the evaluator's amount stands."""
        return "" if self.fits(part, amount) else self.rubric_amounts(part)

    def rubric_amounts(self, part: Scored) -> str:
        """The amounts the rubric deducts on ``part``, in V306's words ("" when it names none)."""
        return ""

    def fits(self, part: Scored, amount: Decimal) -> bool:
        """A deduction of ``amount`` is one the rubric names (always, where it names none)."""
        return True

    def fits_formula(self, part: Scored, x: str) -> str:
        """``fits`` as a worksheet condition on the amount ``x`` ("" where every amount fits):
        the 扣分记录 row's live V306 (addin.catalogue.finding_rows)."""
        return ""

    @staticmethod
    def left(part: Scored, deducted: Decimal) -> Decimal:
        """Points left on a deductive part after ``deducted`` points, floor 0."""
        return max(part.full - deducted, ZERO)
