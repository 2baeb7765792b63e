"""What a filled workbook holds, read through ``Book``: the named inputs and the 扣分记录
rows as typed (``read_case``), and the reverse for demo and test workbooks (``write_case``).
The first step of the pipeline: read → check → evaluate → fill."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from addin.books.protocol import Book, ReadBook
from addin.workbook import layout as L
from udfs.contract import BY_NAME, NAMES


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
    findings_beyond: tuple[int, ...] = ()  # 扣分记录 rows after the prepared ones: no formula counts them
    projects: Sequence[tuple[int, tuple]] = ()  # 项目明细 (0.10): (sheet row, (项目名称, 拨入, 支出, 结转))


def read_case(book: ReadBook) -> Case:
    present = set(book.sheet_names())
    missing_sheets = tuple(s for s in L.REQUIRED_SHEETS if s not in present)
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
        beyond = tuple(book.used_rows(L.FINDINGS, L.FINDINGS_LAST + 1, width))
    else:
        beyond = ()
    return Case(inputs, findings, tuple(missing), missing_sheets, tuple(merged), beyond, _projects(book, present))


def _projects(book: ReadBook, present: set[str]) -> tuple[tuple[int, tuple], ...]:
    """项目明细's filled rows, where the sheet is (0.10 on)."""
    if L.PROJECTS not in present:
        return ()
    rows = book.block(L.PROJECTS, L.PROJECTS_FIRST, L.PROJECTS_LAST, len(L.PROJECTS_HEADER))
    return tuple((row, tuple(values)) for row, values in enumerate(rows, start=L.PROJECTS_FIRST)
                 if any(v not in (None, "") for v in values))


def write_case(book: Book, raw_inputs: Mapping[str, object], raw_findings: Iterable[Sequence],
               raw_projects: Iterable[Sequence] = ()) -> None:
    """Fill a blank standard workbook (demo, tests, batch generation) — never used on a
    user's file, whose inputs are theirs."""
    def put(sheet: str, cell: str, value: object) -> None:
        # a test may type a formula where a clerk would (V103): as a formula, not as text
        if isinstance(value, str) and value.startswith("="):
            book.put_formula(sheet, cell, value)
        else:
            book.put(sheet, cell, value)

    for name, value in raw_inputs.items():
        target = book.name_target(name)
        if target is None:
            raise KeyError(name)
        put(*target, value)
    for row, values in enumerate(raw_findings, start=L.FINDINGS_FIRST):
        for column, value in enumerate(values, start=1):
            put(L.FINDINGS, f"{L.col(column)}{row}", value)
    for row, values in enumerate(raw_projects, start=L.PROJECTS_FIRST):
        for column, value in enumerate(values, start=1):
            put(L.PROJECTS, f"{L.col(column)}{row}", value)
