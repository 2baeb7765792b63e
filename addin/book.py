"""The one small interface between preval and a workbook (design.md, "one engine, three
front doors"): an openpyxl implementation for the CLI (``addin.openpyxl_book``) and an
xlwings one for the ribbon. Everything above it — reading the case, checks, filling the
output sheets — is written against ``Book`` and does not know which one it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from udfs.contract import BY_NAME, NAMES

from . import layout as L


class Book(Protocol):
    reads_formulas: bool  # False for a reader that sees only saved values (no V103/V401)

    def sheet_names(self) -> list[str]: ...

    def name_target(self, name: str) -> tuple[str, str] | None:
        """(sheet, "B5") a workbook-scoped defined name points at, or None."""

    def get(self, sheet: str, coordinate: str) -> object:
        """The cell as typed: a number, text, None, or a formula as "=…" text."""

    def block(self, sheet: str, first_row: int, last_row: int, columns: int) -> list[tuple]:
        """Values of columns 1..``columns`` on rows first_row..last_row."""

    def merged(self, sheet: str, coordinate: str) -> bool:
        """Whether the cell is part of a merged range (an input must not be)."""

    def put(self, sheet: str, coordinate: str, value: object) -> None: ...

    def link(self, sheet: str, coordinate: str, target: str) -> None:
        """Make the cell a hyperlink to ``target`` ("'Sheet'!B5") inside the workbook."""

    def fit_rows(self, sheet: str, first_row: int, last_row: int) -> None:
        """Make rows tall enough for their wrapped text (Excel: AutoFit)."""


_CELL_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


def parse_cell_ref(text: str) -> tuple[str, str] | None:
    """"'财务数据'!$B$5" (as a defined name refers to it, with or without "=") -> ("财务数据", "B5");
    None for a range, a formula or anything else."""
    match = _CELL_REF.match(text.strip())
    if not match:
        return None
    sheet = (match.group(1) or "").replace("''", "'") or match.group(2)
    return sheet, f"{match.group(3)}{match.group(4)}"


@dataclass(frozen=True)
class Located:
    """A value with the cell it came from (for messages that point at the cell)."""

    value: object
    sheet: str
    cell: str

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}"


@dataclass(frozen=True)
class Case:
    """What a filled workbook holds: the named inputs and the 扣分记录 rows, as typed."""

    inputs: Mapping[str, Located]
    findings: Sequence[tuple[int, tuple]]  # (sheet row, (指标, 子项, 扣分, 事由, 佐证材料))
    missing_names: tuple[str, ...] = ()
    missing_sheets: tuple[str, ...] = ()
    merged_inputs: tuple[Located, ...] = ()  # input cells merged with others: the layout was changed


def read_case(book: Book) -> Case:
    present = set(book.sheet_names())
    missing_sheets = tuple(s for s in L.SHEETS if s not in present)
    inputs, missing, merged = {}, [], []
    for name in NAMES:
        target = book.name_target(name)
        if target is None or target[0] not in present:
            if BY_NAME[name].required:  # an optional input added later may be absent from older workbooks
                missing.append(name)
            continue
        inputs[name] = Located(book.get(*target), *target)
        if book.merged(*target):
            merged.append(inputs[name])
    findings = []
    if L.FINDINGS in present:
        width = len(L.FINDINGS_COLUMNS)
        rows = book.block(L.FINDINGS, L.FINDINGS_FIRST, L.FINDINGS_LAST, width)
        for row, values in enumerate(rows, start=L.FINDINGS_FIRST):
            if any(v not in (None, "") for v in values):
                findings.append((row, tuple(values)))
    return Case(inputs, findings, tuple(missing), missing_sheets, tuple(merged))


def write_case(book: Book, raw_inputs: Mapping[str, object], raw_findings: Iterable[Sequence]) -> None:
    """Fill a blank standard workbook (demo, tests, batch generation) — never used on a
    user's file, whose inputs are theirs."""
    for name, value in raw_inputs.items():
        target = book.name_target(name)
        if target is None:
            raise KeyError(name)
        book.put(*target, value)
    for row, values in enumerate(raw_findings, start=L.FINDINGS_FIRST):
        for column, value in enumerate(values, start=1):
            book.put(L.FINDINGS, f"{L.col(column)}{row}", value)
