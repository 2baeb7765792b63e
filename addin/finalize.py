"""定稿: a values-only copy of a scored workbook. Every formula is replaced by the value it
computes — preval's sheets by the values of the evaluation (``addin.final_values``), a user's
own sheets by the values their program saved — so any spreadsheet program shows the same
numbers without the add-in. No formulas, no dropdowns, no conditional formats, every cell
locked, every sheet protected."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidationList

from addin.books.openpyxl_book import OpenpyxlBook, open_book, save_book
from addin.checks import problem
from addin.checks.final import STAMP_PREFIX, digest
from addin.final_values import final_values
from addin.scoring import Result, beside, fill_scored, refuse_macro_workbook
from addin.workbook import layout as L
from addin.workbook.formula_meaning import same_formula
from addin.workbook.formulas import status_formula


def _saved_values(src: Path, cells: set[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """The values the user's program saved with the formulas of the user's own sheets, and
    with ``cells`` of ours."""
    from openpyxl import load_workbook

    wb = load_workbook(src, data_only=True)  # not read_only: its rows run to the farthest cell, every cell made
    return {(ws.title, cell.coordinate): cell.value for ws in wb.worksheets
            for cell in ws._cells.values()
            if cell.value is not None and (ws.title not in L.SHEETS or (ws.title, cell.coordinate) in cells)}


def _formula_cells(book: OpenpyxlBook) -> dict[tuple[str, str], str]:
    return {(ws.title, cell.coordinate): cell.value for ws in book.wb.worksheets for cell in ws._cells.values()
            if isinstance(cell.value, str) and cell.value.startswith("=")}


def freeze_values(book: OpenpyxlBook, result: Result, when: datetime, src: Path | None = None) -> list[str]:
    """Replace every formula of ``book`` by its value; lock and protect everything. Returns
    the cells of a user's own sheets whose formula had no saved value (left empty)."""
    values = final_values(result)
    status, links = status_formula(L.Layout(result.profile, result.version), result.version), book.external_links()
    # what the evaluation does not give (a user's own sheets, a formula of ours we did not
    # write) keeps the value the user's program saved with it
    is_status = lambda sheet, cell, formula: (  # noqa: E731 - on our sheets' row 2 (layout), in any spelling
        sheet in L.SHEETS and cell == "A2" and same_formula(formula, status, links))
    unknown = {key for key, formula in _formula_cells(book).items() if key not in values and not is_status(*key, formula)}
    saved = _saved_values(src, unknown) if src is not None and unknown else {}
    stamp = f"{STAMP_PREFIX}{when:%Y-%m-%d %H:%M} 计算后固定，不含公式"
    unsaved: list[str] = []
    for ws in book.wb.worksheets:
        for cell in ws._cells.values():  # the cells there are, not the rectangle up to the farthest
            if isinstance(cell.value, str) and cell.value.startswith("="):
                key = (ws.title, cell.coordinate)
                if is_status(ws.title, cell.coordinate, cell.value):
                    value: object = stamp  # the status line, in whatever spelling it was saved
                elif key in values:
                    value = values[key]
                else:
                    value = saved.get(key)
                    if value is None:
                        unsaved.append(f"{ws.title}!{cell.coordinate}")
                cell.value = None if value == "" else value
            if cell.has_style and not cell.protection.locked:
                cell.protection = Protection(locked=True)
        ws.data_validations = DataValidationList()
        ws.conditional_formatting = ConditionalFormattingList()
        ws.protection.sheet = True
    # the mark: a 定稿 is never rescored, and an edit after this moment is reported (V405)
    for name, text in ((L.FINAL_NAME, f"{when:%Y-%m-%d %H:%M}"), (L.FINAL_DIGEST_NAME, digest(book, result.profile, result.version))):
        book.wb.defined_names[name] = DefinedName(name, attr_text=f'"{text}"')
    return unsaved


FINAL_HINT = "定稿是重新生成的只含数值的文件，带不上这些内容：请另存一份副本，在副本中删除它们后对副本导出定稿（原文件未改动）"


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
    unsaved = freeze_values(book, result, when, src)
    if unsaved:
        cells = "、".join(unsaved[:5]) + (f"等{len(unsaved)}个单元格" if len(unsaved) > 5 else "")
        result.problems.append(problem("V406", unsaved[0].split("!")[0], unsaved[0].split("!")[1], "定稿",
                                       f"自行添加的工作表中 {cells} 的公式没有保存的计算结果，定稿中为空",
                                       "Excel 保存的计算结果", "无"))
    return result, save_book(book, Path(out) if out else beside(src, "_定稿"), hint=FINAL_HINT)
