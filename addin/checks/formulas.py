"""V4xx: the computed sheets themselves. Their formulas belong to the program: a score
cell typed over is a wrong score that looks right, so it is found and, when scoring,
restored (``addin.fill``). Compared by meaning (``addin.workbook.formula_meaning``): the
spelling Excel or LibreOffice saved is the same formula."""

from __future__ import annotations

from addin.books.protocol import Book
from addin.checks import Problem, problem, shown
from addin.workbook import versions
from addin.workbook.formula_meaning import Canonical, canonical, same_formula
from addin.workbook.formulas import formula_cells
from udfs.profile import Profile

Expected = dict[tuple[str, str], str]
_EXPECTED: dict[tuple[str, str], Expected] = {}
_MEANING: dict[str, Canonical] = {}  # canonical(formula), made when a spelling differs


def _expected(profile: Profile, version: str) -> Expected:
    # profiles are loaded once per name (udfs.profile.load_profile caches them)
    key = (profile.name, version)
    if key not in _EXPECTED:
        _EXPECTED[key] = formula_cells(profile, version)
    return _EXPECTED[key]


def _meaning(formula: str) -> Canonical:
    # tokenizing all ~400 expected formulas costs 0.2 s; a workbook preval wrote has them
    # letter for letter, so only the ones spelled otherwise are tokenized
    if formula not in _MEANING:
        _MEANING[formula] = canonical(formula)
    return _MEANING[formula]


def check_formulas(book: Book, profile: Profile, version: str = versions.CURRENT) -> list[Problem]:
    """V401 against the formulas of the workbook's own template version."""
    out = []
    links = book.external_links()
    for (sheet, cell), formula in _expected(profile, version).items():
        found = book.get(sheet, cell)
        if found == formula or (isinstance(found, str) and same_formula(found, formula, links, _meaning(formula))):
            continue
        what = "改成了数值" if not (isinstance(found, str) and found.startswith("=")) else "改成了其他公式"
        if found is None:
            what = "删除了"
        out.append(problem("V401", sheet, cell, "公式", f"{sheet}!{cell} 的公式被{what}（{shown(found)}），"
                           "计算评分时恢复原公式", formula[:60], found))
    return out


def expected_formula(profile: Profile, sheet: str, cell: str, version: str = versions.CURRENT) -> str:
    """The formula a program-owned cell must hold (what a V401 finding restores)."""
    return formula_cells(profile, version)[(sheet, cell)]
