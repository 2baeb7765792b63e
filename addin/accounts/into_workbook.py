"""The figures written into a copy of the evaluation workbook: a new standard workbook, or a
copy of the clerk's (theirs is never touched). An input the clerk typed is kept unless --force,
and then every replaced value is listed old → new. Only input cells are written, through the
package writer that keeps every other byte of the file."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from addin.accounts.figures import Figure
from addin.books.package_book import PackageBook
from addin.case import read_case
from udfs.contract import BY_NAME, COUNT, INPUTS, MONEY, TEXT, YEAR
from udfs.errors import NotANumber, TextNumber
from udfs.money import to_decimal


@dataclass
class Written:
    path: Path
    imported: list[tuple[Figure, str]] = field(default_factory=list)  # (figure, sheet!cell)
    same: list[Figure] = field(default_factory=list)  # the workbook already held this value
    kept: list[tuple[Figure, object]] = field(default_factory=list)  # typed differently: not replaced
    replaced: list[tuple[Figure, object]] = field(default_factory=list)  # --force: (figure, old value)
    remaining: list[str] = field(default_factory=list)  # required inputs still blank
    notes_refused: list[str] = field(default_factory=list)  # sheets with notes of their own: sources not noted


def _typed(value: object) -> Decimal | None | str:
    try:
        return to_decimal(value)
    except (NotANumber, TextNumber):
        return str(value)


def _cell_value(kind: str, figure: Figure) -> object:
    if kind == TEXT:
        return str(figure.value)
    return float(figure.amount) if kind == MONEY else int(figure.amount)


def write(figures: dict[str, Figure], source: Path, out: Path, force: bool) -> Written:
    book = PackageBook(source)
    case = read_case(book)
    result = Written(out)
    for name, figure in figures.items():
        spec = BY_NAME.get(name)
        if spec is None or spec.kind not in (MONEY, COUNT, YEAR, TEXT) or name not in case.inputs:
            continue  # a figure the checks use, or an input this workbook's version lacks
        cell = case.inputs[name]
        old = cell.value
        now = _typed(old)
        if now is None:
            pass
        elif now == figure.value:
            result.same.append(figure)
            continue
        elif not force:
            result.kept.append((figure, old))
            continue
        else:
            result.replaced.append((figure, old))
        book.put(cell.sheet, cell.cell, _cell_value(spec.kind, figure))
        book.note(cell.sheet, cell.cell, f"preval 从决算导入：{figure.where}")
        result.imported.append((figure, cell.where))
    filled = set(figures) & set(case.inputs)
    result.remaining = [s.name for s in INPUTS if s.required and s.name in case.inputs and s.name not in filled
                        and _typed(case.inputs[s.name].value) is None]
    book.save(out)
    result.notes_refused = list(book.notes_refused)
    return result


def write_new(figures: dict[str, Figure], template: bytes, out: Path) -> Written:
    """A new standard workbook holding the figures."""
    with tempfile.TemporaryDirectory(prefix="preval-") as tmp:
        blank = Path(tmp) / "template.xlsx"
        blank.write_bytes(template)
        return write(figures, blank, out, force=False)

