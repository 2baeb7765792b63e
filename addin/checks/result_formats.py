"""V508: a score, total or 评分说明 of preval's whose number format shows something other than
what it computes.

The inputs' formats are V506 (``structure.check_formats``); the results are what the bureau
reads and prints, and whoever sends the workbook can format them too: 汇总's 80.39 shown as
"95.00" by a literal format, a 0.5 hidden with ";;;", a 评分依据 replaced on screen by the
fourth section of ``;;;"经查未发现不符合要求的情形"``. What each cell computes comes from the
evaluation (``scoring.shown_values``); the formats the template gives these cells are fine, in
the spelling any application saves them (LibreOffice writes ``0.00;\\-0.00;""``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from addin.books.protocol import ReadBook
from addin.checks import Problem, problem, shown
from addin.workbook import layout as L
from addin.workbook.number_format import misleads

TEMPLATE_FORMATS = frozenset({L.SCORE_FORMAT, L.RATE_FORMAT, L.DEDUCTION_FORMAT})
# what the results are read and printed from; 指标计算, the working sheet behind them, is not
# looked at (its scores are 评分表's, its rates are said in 评分说明; in Excel each column of it
# would be one more call)
RESULT_SHEETS = (L.SCORES, L.NOTES, L.SUMMARY)
_NEEDLESS_ESCAPE = re.compile(r"\\([-+()/: ])")  # characters a format shows as they are, escaped or not


def plain(code: str) -> str:
    """A format code without escapes that change nothing ("0.00;\\-0.00" is "0.00;-0.00")."""
    return _NEEDLESS_ESCAPE.sub(r"\1", code)


def check_result_formats(book: ReadBook, values: Mapping[tuple[str, str], object]) -> list[Problem]:
    """V508 for every result cell in ``values`` ((sheet, cell) -> what it computes) whose
    format would show something else."""
    out: list[Problem] = []
    present = set(book.sheet_names())
    for sheet in RESULT_SHEETS:
        cells = {cell: "" for (s, cell), value in values.items() if s == sheet and value not in (None, "")}
        if not cells or sheet not in present:
            continue
        for cell, code in book.number_formats(sheet, cells).items():
            value = values[(sheet, cell)]
            why = misleads(plain(code), value, TEMPLATE_FORMATS)
            if why:
                out.append(problem("V508", sheet, cell, f"{sheet}!{cell}",
                                   f"{sheet}!{cell} 的单元格格式“{code}”{why}：打印和屏幕上看到的不是 preval 计算的结果"
                                   f" {shown(value)}", "显示计算结果本身的格式", code))
    return out
