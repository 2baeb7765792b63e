"""The one small interface between preval and a workbook (design.md, "one engine, three
front doors"), in two parts as pandas keeps its readers apart from its writers: ``ReadBook``,
what reading the case and every check need, and ``Book``, a ReadBook that preval also writes
(the output sheets, 校验结果, a 定稿). Implementations: the package reader and writer every
command uses (``addin.books.package_book``), an xlwings one for the ribbon
(``addin.books.xlwings_book``), an openpyxl one for building and upgrading
(``addin.books.openpyxl_book``) and a calamine one, a ReadBook only (``addin.books.calamine_book``,
the second reader the conformance tests hold to the first). Everything above is written against
these and does not know which one it has.
"""

from __future__ import annotations

import re
from typing import Protocol


class ReadBook(Protocol):
    reads_formulas: bool  # False for a reader that sees only saved values (no V103/V401)

    def sheet_names(self) -> list[str]: ...

    def name_target(self, name: str) -> tuple[str, str] | None:
        """(sheet, "B5") a workbook-scoped defined name points at, or None."""

    def name_text(self, name: str) -> str | None:
        """What a workbook-scoped defined name refers to, as text without "=" (a reference
        or a constant such as '"2026-11-23 18:00"'), or None when there is no such name."""

    def has_formulas(self, sheet: str) -> bool:
        """Whether any cell of ``sheet`` holds a formula (a 定稿 has none left)."""

    def reaches_out(self) -> list[tuple[str, str]]:
        """(what, where) of every place Excel contacts when the file is opened (external
        workbooks, linked pictures and objects, data connections), preval.xlam aside."""

    def saved_value(self, sheet: str, coordinate: str) -> object:
        """The value the application saved with a formula cell: what a linked workbook or a
        reader that does not recalculate shows (None when none was saved or the book is live)."""

    def number_formats(self, sheet: str, cells: dict[str, str]) -> dict[str, str]:
        """Cell -> its number format code as stored ("General", "#,##0.00", '"1660.95"'), for
        the ``cells`` given with the format each is expected to have (a live workbook asks
        a run of cells expected alike in one call)."""

    def local_names(self) -> list[tuple[str, str, str]]:
        """(sheet, name, text) of every sheet-scoped defined name (Excel's print areas among
        them): one named like a workbook name shadows it on its sheet."""

    def sheet_states(self) -> dict[str, str]:
        """Sheet -> "visible", "hidden" or "veryHidden" (hidden so that only VBA shows it)."""

    def get(self, sheet: str, coordinate: str) -> object:
        """The cell as typed: a number, text, None, or a formula as "=…" text."""

    def block(self, sheet: str, first_row: int, last_row: int, columns: int) -> list[tuple]:
        """Values of columns 1..``columns`` on rows first_row..last_row."""

    def used_rows(self, sheet: str, first_row: int, columns: int) -> list[int]:
        """Rows from ``first_row`` on that hold anything in columns 1..``columns``, in order
        (found without walking the empty rows between them)."""

    def merged(self, sheet: str, coordinate: str) -> bool:
        """Whether the cell is part of a merged range (an input must not be)."""

    def external_links(self) -> tuple[str, ...]:
        """Targets of the workbook's external links in order: ``[n]!`` in a formula is the
        n-th. Excel stores a loaded add-in's function that way (addin.workbook.formula_meaning)."""



class Book(ReadBook, Protocol):
    """A workbook preval writes into: only its own cells, never an input (fill, finalize)."""

    def put(self, sheet: str, coordinate: str, value: object) -> None:
        """Write a value; a str is always written as text, never as a formula
        (addin.workbook.cell_text)."""

    def put_formula(self, sheet: str, coordinate: str, formula: str, cached: object = None) -> None:
        """Write a formula ("=…"): only the program's own, into a cell the program owns.
        ``cached`` is the engine's value of it: a file keeps it as the formula's saved value
        (what a reader that does not recalculate shows); a live workbook computes its own."""

    def put_cached(self, sheet: str, coordinate: str, value: object) -> None:
        """Save ``value`` as the formula's value in a cell that holds a formula, the formula's text
        as it is; a cell without a formula is left alone. A live workbook computes its own."""

    def link(self, sheet: str, coordinate: str, target: str) -> None:
        """Make the cell a hyperlink to ``target`` ("'Sheet'!B5") inside the workbook."""

    def fit_rows(self, sheet: str, first_row: int, last_row: int) -> None:
        """Make rows tall enough for their wrapped text (Excel: AutoFit)."""

    def flush(self) -> None:
        """Complete the writes so far (a live workbook sends them in blocks; a file keeps
        them until it is saved)."""


_CELL_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


def parse_cell_ref(text: str) -> tuple[str, str] | None:
    """"'财务数据'!$B$5" (as a defined name refers to it, with or without "=") -> ("财务数据", "B5");
    None for a range, a formula or anything else."""
    match = _CELL_REF.match(text.strip())
    if not match:
        return None
    sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
    column, row = match.group(3), int(match.group(4))
    if not 1 <= row <= 1_048_576 or (len(column), column) > (3, "XFD"):  # outside Excel's grid
        return None
    return sheet, f"{column}{row}"
