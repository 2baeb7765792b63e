"""How every sheet of the standard workbook looks: fills, fonts, titles, headers, A4
print setup and protection. The builder and the fill share it, so a filled sheet looks
like the template it came from."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from addin.workbook import layout as L
from addin.workbook.row_height import text_height

INPUT_FILL = PatternFill("solid", start_color="FFFF99", end_color="FFFF99")
HEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
CACHE_FILL = PatternFill("solid", start_color="EDEDED", end_color="EDEDED")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="黑体", size=14, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEADER_FONT = Font(name="黑体", size=11)
NOTE_FONT = Font(name="宋体", size=10, color="7F7F7F")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

RATE_FORMAT, SCORE_FORMAT = L.RATE_FORMAT, L.SCORE_FORMAT
MONEY_FORMAT = "#,##0.00"


def title(ws, text: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = ws.cell(1, 1, text)
    cell.font = TITLE_FONT
    # shrunk to the merged width rather than cut at both ends: a long unit name (汇总 is 4 columns)
    cell.alignment = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)
    ws.row_dimensions[1].height = 28


def header(ws, row: int, labels: tuple[str, ...], first_column: int = 1) -> None:
    for col, label in enumerate(labels, start=first_column):
        cell = ws.cell(row, col, label)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = CENTER


def body(cell, value=None, number_format: str | None = None, align=None):
    """A bordered body cell (locked, as every non-input cell)."""
    if value is not None:
        cell.value = value
    cell.font, cell.border = BODY_FONT, BORDER
    cell.alignment = align or WRAP_TOP
    if number_format:
        cell.number_format = number_format
    return cell


def as_input(cell):
    """A yellow, bordered, unlocked cell: the only kind a user types into."""
    cell.fill, cell.border = INPUT_FILL, BORDER
    cell.protection = Protection(locked=False)
    return cell


def widths(ws, sizes: Mapping[str, float]) -> None:
    for letter, width in sizes.items():
        ws.column_dimensions[letter].width = width


def finish_sheet(ws, landscape: bool = False, title_rows: str = "1:2", protect: bool = True) -> None:
    """A4 print setup, then sheet protection (every sheet of the standard workbook; a
    consolidation the bureau sorts and annotates is left unprotected)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = title_rows
    ws.protection.sheet = protect  # no password: protects formulas from slips, not from users


def wrapped_height(ws, row: int, sizes: Mapping[str, float], line: float = 15.0, fill: float = 0.9) -> float:
    """Row height (pt) that shows all wrapped text of an openpyxl sheet's ``row``."""
    return text_height({letter: ws[f"{letter}{row}"].value for letter in sizes}, sizes, line, fill)
