"""V4xx: the computed sheets themselves. Their formulas belong to the program: a score
cell typed over is a wrong score that looks right, so it is found and, when scoring,
restored (``addin.fill``). Compared by meaning (``addin.workbook.formula_meaning``): the
spelling Excel or LibreOffice saved is the same formula."""

from __future__ import annotations

import weakref

from addin.books.protocol import ReadBook
from addin.checks import Problem, problem, shown
from addin.workbook import versions
from addin.workbook.formula_meaning import Canonical, canonical, same_formula
from addin.workbook.formulas import formula_cells
from addin.workbook.native import REVISION
from udfs.profile import Profile
from udfs.profile.serialize import canonical_text, digest

Expected = dict[tuple[str, str], str]
_EXPECTED: dict[tuple[object, ...], Expected] = {}
_MEANING: dict[str, Canonical] = {}  # canonical(formula), made when a spelling differs


def _expected(profile: Profile, version: str, revision: int = REVISION) -> Expected:
    # keyed by the rubric's content, not its name: a re-imported rubric, or a carried and an
    # installed rubric of one name, compile to other formulas
    key = (content_key(profile), version, revision)
    if key not in _EXPECTED:
        _EXPECTED[key] = formula_cells(profile, version, revision)
    return _EXPECTED[key]


_CONTENT: dict[int, tuple[weakref.ref, str]] = {}


def content_key(profile: Profile) -> str:
    """The digest of the rubric's canonical text, computed once per profile object; the entry
    goes when the object does (a long Excel session parses a carried rubric per workbook)."""
    kept = _CONTENT.get(id(profile))
    if kept is None or kept[0]() is not profile:
        kept = _CONTENT[id(profile)] = (weakref.ref(profile), digest(canonical_text(profile)))
        weakref.finalize(profile, _CONTENT.pop, id(profile), None)
    return kept[1]


def _meaning(formula: str) -> Canonical:
    # tokenizing all ~400 expected formulas costs 0.2 s; a workbook preval wrote has them
    # letter for letter, so only the ones spelled otherwise are tokenized
    if formula not in _MEANING:
        _MEANING[formula] = canonical(formula)
    return _MEANING[formula]


def check_formulas(book: ReadBook, profile: Profile, version: str = versions.CURRENT) -> list[Problem]:
    """V401 against the formulas of the workbook's own template version; the cells an earlier
    preval wrote (the compiler's previous revision) are one V409, not the user's change."""
    out = []
    links = book.external_links()
    revised = []
    for (sheet, cell), formula in _expected(profile, version).items():
        found = book.get(sheet, cell)
        if found == formula or (isinstance(found, str) and same_formula(found, formula, links, _meaning(formula))):
            continue
        if revision_before(found, _expected(profile, version, REVISION - 1).get((sheet, cell)), links):
            revised.append((sheet, cell))
            continue
        what = "改成了数值" if not (isinstance(found, str) and found.startswith("=")) else "改成了其他公式"
        if found is None:
            what = "删除了"
        out.append(problem("V401", sheet, cell, "公式", f"{sheet}!{cell} 的公式被{what}（{shown(found)}），"
                           "计算评分时恢复原公式", formula[:60], found))
    if revised:
        sheet, cell = revised[0]
        listed = "、".join(c for _, c in revised[:4]) + ("等" if len(revised) > 4 else "")
        out.append(problem("V409", sheet, cell, "公式", f"{sheet} 的 {listed} 共{len(revised)}个单元格是早先版本的 preval "
                           "写入的公式，本版本修正了其计算（“超支”按金额比较、整体扣分不先取两位小数），计算评分时更新",
                           f"第{REVISION}版公式", f"第{REVISION - 1}版公式"))
    return out


def revised_cells(book: ReadBook, profile: Profile, version: str = versions.CURRENT) -> list[tuple[str, str]]:
    """The cells holding what the compiler's previous revision wrote (what a V409 updates)."""
    links = book.external_links()
    before = _expected(profile, version, REVISION - 1)
    return [key for key, formula in _expected(profile, version).items()
            if before.get(key) != formula and revision_before(book.get(*key), before.get(key), links)]


def revision_before(found: object, before: str | None, links) -> bool:
    """The cell holds what the compiler's previous revision wrote (preval's update, not the user's)."""
    if before is None or not isinstance(found, str):
        return False
    return found == before or same_formula(found, before, links, _meaning(before))


def expected_formula(profile: Profile, sheet: str, cell: str, version: str = versions.CURRENT) -> str:
    """The formula a program-owned cell must hold (what a V401 finding restores)."""
    return _expected(profile, version)[(sheet, cell)]
