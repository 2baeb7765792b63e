"""定稿: a values-only copy of a scored workbook. Every formula is replaced by the value it
computes — preval's sheets by the values of the evaluation (``addin.computed``), a user's
own sheets by the values their program saved — so any spreadsheet program shows the same
numbers without the add-in. No formulas, no dropdowns, no conditional formats, every cell
locked, every sheet protected."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from addin.books.atomic import check_output
from addin.books.final_xml import Final
from addin.books.package_book import PackageBook
from addin.checks import problem
from addin.checks.final import STAMP_PREFIX, digest, rubric_digest
from addin.computed import computed_values
from addin.scoring import Result, beside, open_scored, refuse_macro_workbook
from addin.seal import SEAL_NAME, load_private, seal
from addin.workbook import layout as L
from addin.workbook.formula_meaning import same_formula
from addin.workbook.formulas import status_formula


def freeze_values(book: PackageBook, result: Result, when: datetime, key: Path | None = None) -> list[str]:
    """Replace every formula of ``book`` by its value and mark it as a 定稿 (locked and
    protected when saved, ``addin.books.final_xml``). Returns the formula cells that had no
    value to keep (left empty)."""
    assert result.evaluation is not None and result.inputs is not None  # only a scored workbook is frozen
    values = computed_values(result.profile, result.case, result.evaluation, result.inputs, result.version)
    status, links = status_formula(L.Layout(result.profile, result.version), result.version), book.external_links()
    stamp = f"{STAMP_PREFIX}{when:%Y-%m-%d %H:%M} 计算后固定，不含公式"
    unsaved: list[str] = []
    for sheet in book.sheet_names():
        for cell, formula in book.formulas(sheet).items():
            if sheet in L.SHEETS and cell == "A2" and same_formula(formula, status, links):
                value: object = stamp  # the status line (row 2 of our sheets), in whatever spelling it was saved
            elif (sheet, cell) in values:
                value = values[(sheet, cell)]
            else:
                # a user's own formula (or one of ours we did not write): the value the
                # user's program saved with it
                value = book.saved_value(sheet, cell)
                if value is None:
                    unsaved.append(f"{sheet}!{cell}")
            book.put(sheet, cell, None if value == "" else value)
    # the mark: a 定稿 is never rescored, and an edit after this moment is reported (V405)
    content = digest(book, result.profile, result.version)
    names = {L.FINAL_NAME: f"{when:%Y-%m-%d %H:%M}", L.FINAL_DIGEST_NAME: content}
    if key is not None:  # who sealed it: the evaluator's private key signs content, rubric and time
        names[SEAL_NAME] = seal(key, names[L.FINAL_NAME], content, rubric_digest(result.profile))
    book.final = Final(names)
    return unsaved


def finalize_file(src: str | os.PathLike, out: str | os.PathLike | None = None,
                  when: datetime | None = None, key: Path | None = None,
                  use_carried: bool = False) -> tuple[Result, Path | None]:
    """Score ``src`` (nothing is written when a check is an 错误) and write its 定稿: the
    package as it was, but every formula a value, no dropdowns or conditional formats, every
    cell locked, every sheet protected (a user's images and text boxes come along)."""
    src = Path(src)
    when = when or datetime.now()
    refuse_macro_workbook(src)
    target = Path(out) if out else beside(src, "_定稿")
    check_output(target, [src])
    if key is not None:
        load_private(key)  # a wrong key file is said before any work
    book, result = open_scored(src, when, use_carried)
    if result.evaluation is None:
        return result, None
    unsaved = freeze_values(book, result, when, key)
    if unsaved:
        cells = "、".join(unsaved[:5]) + (f"等{len(unsaved)}个单元格" if len(unsaved) > 5 else "")
        result.problems.append(problem("V406", unsaved[0].split("!")[0], unsaved[0].split("!")[1], "定稿",
                                       f"自行添加的工作表中 {cells} 的公式没有保存的计算结果，定稿中为空",
                                       "Excel 保存的计算结果", "无"))
    written = book.save(target)
    result.dropped = list(book.final.dropped) if book.final is not None else []
    return result, written
