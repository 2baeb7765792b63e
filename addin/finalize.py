"""定稿: a values-only copy of a scored workbook. Every formula is replaced by the value it
computes — the workbook's own formulas, recalculated headlessly with PREVAL_* registered —
so any spreadsheet program shows the same numbers without the add-in. No formulas, no
dropdowns, no conditional formats, every cell locked, every sheet protected."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidationList

from addin.books.openpyxl_book import OpenpyxlBook, open_book, save_book
from addin.checks.final import STAMP_PREFIX, digest
from addin.scoring import Result, beside, fill_scored, refuse_macro_workbook
from addin.workbook import layout as L
from addin.workbook.formula_meaning import same_formula
from addin.workbook.formulas import status_formula


def _values(book: OpenpyxlBook) -> dict[tuple[str, str], object]:
    from addin.workbook.recalc import recalculate  # seconds to import and run: only here

    fd, tmp = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        book.wb.save(tmp)
        return recalculate(tmp)
    finally:
        os.unlink(tmp)


def freeze_values(book: OpenpyxlBook, result: Result, when: datetime) -> None:
    """Replace every formula of ``book`` by its value; lock and protect everything."""
    values = _values(book)
    status, links = status_formula(L.Layout(result.profile), result.version), book.external_links()
    stamp = f"{STAMP_PREFIX}{when:%Y-%m-%d %H:%M} 计算后固定，不含公式"
    for ws in book.wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    # the status line, in whatever spelling it was saved, says what this is now
                    is_status = same_formula(cell.value, status, links)
                    value = stamp if is_status else values.get((ws.title.upper(), cell.coordinate))
                    cell.value = None if value == "" else value
                if cell.has_style and not cell.protection.locked:
                    cell.protection = Protection(locked=True)
        ws.data_validations = DataValidationList()
        ws.conditional_formatting = ConditionalFormattingList()
        ws.protection.sheet = True
    # the mark: a 定稿 is never rescored, and an edit after this moment is reported (V405)
    for name, text in ((L.FINAL_NAME, f"{when:%Y-%m-%d %H:%M}"), (L.FINAL_DIGEST_NAME, digest(book, result.profile))):
        book.wb.defined_names[name] = DefinedName(name, attr_text=f'"{text}"')


def finalize_file(src: str | os.PathLike, out: str | os.PathLike | None = None,
                  when: datetime | None = None) -> tuple[Result, Path | None]:
    """Score ``src`` (nothing is written when a check is an 错误) and write its 定稿."""
    src = Path(src)
    when = when or datetime.now()
    refuse_macro_workbook(src)
    book = open_book(src)  # a new, values-only file: openpyxl builds it
    result = fill_scored(book, src, when)
    if result.evaluation is None:
        return result, None
    freeze_values(book, result, when)
    return result, save_book(book, Path(out) if out else beside(src, "_定稿"))
