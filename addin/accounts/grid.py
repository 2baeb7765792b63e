"""Finding a figure in a printed table: a row by its label, a column by its heading, the way a
reader's eye does it — whatever the format, once the reader has marked merged cells as None
(the part of a cell that spans to the right or below).
"""

from __future__ import annotations

import re
from decimal import Decimal

from addin.accounts.tables import Table, is_blank, looks_like_amount, plain

_PARENTHESIS = re.compile(r"[(（][^()（）]*[)）]$")
_COUNTER = ("行次", "栏次", "编码", "科目编码")  # numbered columns beside an amount: never the amount


def label(value: object) -> str:
    """A row label as compared: plain, without a trailing parenthesis (使用非财政拨款结余（含专用结余）)."""
    return _PARENTHESIS.sub("", plain(value))


def _is_figure(value: object) -> bool:
    """An amount as a data row prints it: with decimals or thousands separators, or a number a
    spreadsheet holds that is not a column number (栏次 rows count 1, 2, 3…)."""
    if isinstance(value, str):  # "约1,181.50" too: a data row with a bad amount is still a data row
        return bool(re.search(r"[0-9０-９][.,．，][0-9０-９]", value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return number != int(number) or abs(number) > 100
    return False


def first_data_row(table: Table) -> int:
    """Where the headings end: the first row with a figure in it (len(rows) for a table of
    blanks, whose headings are then every row)."""
    for index, row in enumerate(table.rows):
        if any(_is_figure(cell) for cell in row.cells):
            return index
    return len(table.rows)


def column_paths(table: Table, upto: int) -> list[tuple[str, ...]]:
    """Each column's headings from the top down, over rows[:upto]. A None heading spans from
    the left only within one heading above it: under a heading that spans two columns, the
    second sub-heading cell is None for 公务接待费 (merged from above), not a second 运行费.
    A blank cell above (a unit line's empty cells) divides nothing."""
    width = max((len(r.cells) for r in table.rows[:upto]), default=0)
    paths: list[list[str]] = [[] for _ in range(width)]
    for depth, row in enumerate(table.rows[:upto]):
        for column in range(width):
            cell = row.cells[column] if column < len(row.cells) else None
            if cell is not None:
                text = plain(cell)
            elif column > 0 and all(not mine or mine == left
                                    for mine, left in zip(paths[column], paths[column - 1][:depth], strict=True)):
                text = paths[column - 1][depth]
            else:
                text = ""
            paths[column].append(text)
    return [tuple(t for t in path if t) for path in paths]


def find_labels(table: Table, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """(row, column) of every cell whose label is one of ``names``, in reading order; the
    headings are searched only when the table has no figures at all."""
    start = first_data_row(table)
    rows = range(start if start < len(table.rows) else 0, len(table.rows))
    return [(r, c) for r in rows for c, cell in enumerate(table.rows[r].cells)
            if cell is not None and label(cell) in names]


def find_column(table: Table, names: tuple[str, ...], before: int) -> int | None:
    """The column headed by one of ``names`` (its deepest heading that is one of them)."""
    for column, path in enumerate(column_paths(table, min(before, first_data_row(table)))):
        if any(label(p) in names for p in path):
            return column
    return None


def value_right_of(table: Table, row: int, column: int) -> tuple[object, int] | None:
    """The amount printed right of a label: the first cell after it that is an amount or blank,
    skipping merged parts and counter columns (行次); None when text comes first (the label
    has no amount of its own)."""
    cells = table.rows[row].cells
    counters = {c for c, path in enumerate(column_paths(table, first_data_row(table)))
                if any(p in _COUNTER for p in path)}
    for c in range(column + 1, len(cells)):
        cell = cells[c]
        if cell is None or c in counters:
            continue
        if is_blank(cell) or looks_like_amount(cell):
            return cell, c
        # text with digits stands where the amount is ("约5", "１６６０"): the caller says so;
        # text without is the next label
        return (cell, c) if re.search(r"[\d０-９]", str(cell)) else None
    return None


def heading_of(path: tuple[str, ...]) -> str:
    """A column's name as messages give it: its deepest heading that is words (a 栏次 row numbers
    the columns 1, 2, 3 below the words)."""
    return next((h for h in reversed(path) if not h.isdigit() and h not in ("栏次", "行次")), "")
