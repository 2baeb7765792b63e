"""What a firing check produces (the catalogue of checks is ``addin.catalogue``).

错误 blocks scoring, 提示 does not. A ``Problem`` is one check firing on one cell, with a
Chinese message stating what was expected and what was found. Checks read values and
never change them. The ids, severities and their meaning are the catalogue's (V1xx one input
cell, V2xx figures against each other, V3xx 扣分记录 rows, V4xx the computed sheets, V5xx the
workbook's structure); ``python -m addin.checks`` prints it as ``docs/checks.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal

from addin.catalogue import CATALOGUE, ERROR, HINT, Check, catalogue_markdown

__all__ = ["CATALOGUE", "ERROR", "HINT", "Check", "Problem", "catalogue_markdown", "errors", "problem", "shown"]


@dataclass(frozen=True)
class Problem:
    id: str
    severity: str
    sheet: str
    cell: str
    name: str
    message: str
    expected: str = ""
    found: str = ""

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict:
        return asdict(self)


def shown(value: object) -> str:
    """A value as the workbook shows it: 1500, 1660.95, never 1.5E+3 or 1500.0."""
    if value is None:
        return "（空）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite():
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value)[:60]


def problem(check_id: str, sheet: str, cell: str, name: str, message: str,
            expected: object = "", found: object = "") -> Problem:
    check = CATALOGUE[check_id]
    return Problem(check.id, check.severity, sheet, cell, name, message, str(expected), shown(found))


def errors(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
