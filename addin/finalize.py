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
from openpyxl.worksheet.datavalidation import DataValidationList

from addin.books.openpyxl_book import OpenpyxlBook, save_book
from addin.scoring import Result, beside, open_scored
from addin.workbook import layout as L
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
    status = status_formula(L.Layout(result.profile))
    stamp = f"定稿：以下数值由 preval 于 {when:%Y-%m-%d %H:%M} 计算后固定，不含公式"
    for ws in book.wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    value = stamp if cell.value == status else values.get((ws.title.upper(), cell.coordinate))
                    cell.value = None if value == "" else value
                if cell.has_style and not cell.protection.locked:
                    cell.protection = Protection(locked=True)
        ws.data_validations = DataValidationList()
        ws.conditional_formatting = ConditionalFormattingList()
        ws.protection.sheet = True


def finalize_file(src: str | os.PathLike, out: str | os.PathLike | None = None,
                  when: datetime | None = None) -> tuple[Result, Path | None]:
    """Score ``src`` (nothing is written when a check is an 错误) and write its 定稿."""
    src = Path(src)
    when = when or datetime.now()
    book, result = open_scored(src, when)
    if result.evaluation is None:
        return result, None
    freeze_values(book, result, when)
    return result, save_book(book, Path(out) if out else beside(src, "_定稿"))
