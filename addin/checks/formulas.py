"""V4xx: the computed sheets themselves — a score cell typed over is a wrong score that
looks right."""

from __future__ import annotations

from addin.books.protocol import Book
from addin.checks import Problem, problem, shown
from addin.workbook.formulas import formula_cells
from udfs.profile import Profile

_EXPECTED: dict[str, tuple[tuple[tuple[str, str], str], ...]] = {}


def _expected(profile: Profile) -> tuple[tuple[tuple[str, str], str], ...]:
    # profiles are loaded once per name (udfs.profile.load_profile caches them)
    if profile.name not in _EXPECTED:
        _EXPECTED[profile.name] = tuple(formula_cells(profile).items())
    return _EXPECTED[profile.name]


def check_formulas(book: Book, profile: Profile) -> list[Problem]:
    out = []
    for (sheet, cell), formula in _expected(profile):
        found = book.get(sheet, cell)
        if found != formula:
            what = "改成了数值" if not (isinstance(found, str) and found.startswith("=")) else "改成了其他公式"
            out.append(problem("V401", sheet, cell, "公式", f"{sheet}!{cell} 的公式被{what}（{shown(found)}）",
                               formula[:60], found))
    return out
