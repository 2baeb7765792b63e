"""``Book`` over a live Excel workbook through xlwings (the ribbon's side).

Every call through COM is a round trip to Excel, and a clerk waits for each (once
~940 reads and 151 writes for one 计算评分). So a sheet is read once, whole, in two calls
(its formulas and its values, up to the used range's last cell), and writes are kept until
``flush`` and sent as one call per run of adjacent cells in a column; hyperlinks and row
heights follow the values they belong to. ``flush`` is called by the pipeline when a fill is
complete (``addin.fill``), so a failure half-way writes nothing.

Only the small part of xlwings' API that a fake can reproduce is used: ``book.sheets``,
``book.names``, ``sheet.used_range.last_cell``, ``sheet.range(...).value/.formula/
.merge_cells/.add_hyperlink``, ``.rows.autofit()`` and ``sheet.api.Unprotect/Protect``. The
template protects every sheet (no password); a sheet is unprotected just before it is
written and ``close`` protects it again — the ribbon calls it in ``finally``.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple

from addin.books.protocol import parse_cell_ref
from addin.workbook.cell_text import FORMULA_LEADS, storable

# Worksheet.Protection's flags, which Worksheet.Protect takes under the same names
ALLOW = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
         "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
         "AllowSorting", "AllowFiltering", "AllowUsingPivotTables")


def _two_d(value: object) -> list[list]:
    """What xlwings returns for a block (a scalar for one cell, tuples for more) as rows."""
    if not isinstance(value, (list, tuple)):
        return [[value]]
    if value and not isinstance(value[0], (list, tuple)):
        return [list(value)]
    return [list(row) for row in value]


# Excel's XlSheetVisibility: xlSheetVisible -1, xlSheetHidden 0, xlSheetVeryHidden 2
_VISIBILITY = {-1: "visible", 0: "hidden", 2: "veryHidden"}

class XlwingsBook:
    reads_formulas = True

    def __init__(self, book):
        self.book = book
        self._unprotected: list[tuple[Any, dict]] = []  # (xlwings Sheet, how it was protected)
        self._names: dict[str, str | None] = {}
        self._grids: dict[str, tuple[list[list], list[list]]] = {}  # sheet -> (formulas, values)
        self._pending: dict[str, dict[tuple[int, int], object]] = {}
        self._links: list[tuple[str, str, str]] = []
        self._fits: list[tuple[str, int, int]] = []

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def name_text(self, name: str) -> str | None:
        if name not in self._names:
            try:
                refers_to = self.book.names[name].refers_to
            except Exception:  # noqa: BLE001 - xlwings raises KeyError or a COM error for a missing name
                refers_to = None
            ok = isinstance(refers_to, str) and refers_to.startswith("=")
            self._names[name] = refers_to[1:] if ok else None  # type: ignore[index]  # ok: a str
        return self._names[name]

    def has_formulas(self, sheet: str) -> bool:
        return self.book.sheets[sheet].api.UsedRange.HasFormula is not False  # None: some cells have

    def reaches_out(self) -> list[tuple[str, str]]:
        """From the file as last saved (what the bureau receives), when there is one."""
        from pathlib import Path

        from addin.books.workbook_xml import external_targets

        path = Path(str(self.book.fullname))
        try:
            return external_targets(path) if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file() else []
        except Exception:  # noqa: BLE001 - an unreadable saved copy says nothing about the open workbook
            return []

    def saved_value(self, sheet: str, coordinate: str) -> object:
        return None  # a live workbook recalculates: what it shows is computed, not saved

    def number_formats(self, sheet: str, cells: dict[str, str]) -> dict[str, str]:
        """A run of cells in one column expected to share a format is one call: Excel gives
        the format when they all have it, None when they differ (then cell by cell)."""
        ws, out = self.book.sheets[sheet], {}

        def place(cell: str) -> tuple[str, int]:
            letters = cell.rstrip("0123456789")
            return letters, int(cell[len(letters):])

        runs: list[list[str]] = []
        for cell in sorted(cells, key=place):
            if runs and place(runs[-1][-1]) == (place(cell)[0], place(cell)[1] - 1) and cells[runs[-1][-1]] == cells[cell]:
                runs[-1].append(cell)
            else:
                runs.append([cell])
        for run in runs:
            shared = ws.range(f"{run[0]}:{run[-1]}" if len(run) > 1 else run[0]).number_format
            for cell in run:
                out[cell] = str(shared) if shared is not None else str(ws.range(cell).number_format or "General")
        return out

    def local_names(self) -> list[tuple[str, str, str]]:
        """One call a sheet for the count; the names themselves only where there are any
        (the template has none but Excel's print titles)."""
        out = []
        for sheet in self.book.sheets:
            names = sheet.api.Names
            for n in range(1, names.Count + 1):
                item = names.Item(n)
                name = str(item.Name).rsplit("!", 1)[-1]  # Excel spells a local name "Sheet!name"
                # what it refers to is only asked of a name that could shadow one of ours (not Excel's _xlnm.*)
                text = "" if name.startswith("_xlnm.") else str(item.RefersTo).removeprefix("=")
                out.append((sheet.name, name, text))
        return out

    def sheet_states(self) -> dict[str, str]:
        return {sheet.name: _VISIBILITY.get(sheet.api.Visible, "hidden") for sheet in self.book.sheets}

    def name_target(self, name: str) -> tuple[str, str] | None:
        text = self.name_text(name)
        return None if text is None else parse_cell_ref(text)

    def _grid(self, sheet: str) -> tuple[list[list], list[list]]:
        if sheet not in self._grids:
            ws = self.book.sheets[sheet]
            last = ws.used_range.last_cell
            whole = ws.range((1, 1), (last.row, last.column))
            self._grids[sheet] = (_two_d(whole.formula), _two_d(whole.options(ndim=2).value))
        return self._grids[sheet]

    def _cell(self, sheet: str, row: int, column: int) -> object:
        pending = self._pending.get(sheet, {})
        if (row, column) in pending:
            return pending[(row, column)]
        formulas, values = self._grid(sheet)
        if row > len(formulas) or column > len(formulas[0]):
            return None
        formula = formulas[row - 1][column - 1]
        if isinstance(formula, str) and formula.startswith("="):
            return formula
        return values[row - 1][column - 1]

    def get(self, sheet: str, coordinate: str) -> object:
        return self._cell(sheet, *coordinate_to_tuple(coordinate))

    def block(self, sheet: str, first_row: int, last_row: int, columns: int) -> list[tuple]:
        return [tuple(self._cell(sheet, r, c) for c in range(1, columns + 1)) for r in range(first_row, last_row + 1)]

    def used_rows(self, sheet: str, first_row: int, columns: int) -> list[int]:
        formulas, values = self._grid(sheet)
        return [n + 1 for n, row in enumerate(values) if n + 1 >= first_row
                and any(v not in (None, "") for v in row[:columns])]

    def merged(self, sheet: str, coordinate: str) -> bool:
        return bool(self.book.sheets[sheet].range(coordinate).merge_cells)

    def external_links(self) -> tuple[str, ...]:
        # Through COM a formula never shows "[n]!": Excel reads a bound add-in function as
        # PREVAL_X( and an unbound one with the add-in's path, which needs no link table.
        return ()

    def put(self, sheet: str, coordinate: str, value: object) -> None:
        if isinstance(value, str):
            value = storable(value)
            if value.startswith(FORMULA_LEADS):  # through COM Excel would parse it: make it text
                value = "'" + value
        self._pending.setdefault(sheet, {})[coordinate_to_tuple(coordinate)] = value

    def put_formula(self, sheet: str, coordinate: str, formula: str, cached: object = None) -> None:
        self._pending.setdefault(sheet, {})[coordinate_to_tuple(coordinate)] = formula

    def put_cached(self, sheet: str, coordinate: str, value: object) -> None:
        pass  # Excel computes its formulas: there is no saved value to set

    def link(self, sheet: str, coordinate: str, target: str) -> None:
        self._links.append((sheet, coordinate, target))

    def fit_rows(self, sheet: str, first_row: int, last_row: int) -> None:
        self._fits.append((sheet, first_row, last_row))

    def _writable(self, sheet: str):
        ws = self.book.sheets[sheet]
        if ws.api.ProtectContents and all(done is not ws for done, _ in self._unprotected):
            state = {"DrawingObjects": ws.api.ProtectDrawingObjects, "Scenarios": ws.api.ProtectScenarios,
                     **{flag: getattr(ws.api.Protection, flag) for flag in ALLOW}}
            ws.api.Unprotect("")  # no password, as the template; a password fails, never prompts
            self._unprotected.append((ws, state))
        return ws

    def flush(self) -> None:
        """Send every kept write: one call per run of adjacent rows in a column."""
        for sheet, cells in self._pending.items():
            ws = self._writable(sheet)
            for (row, column), run in _runs(cells):
                target = ws.range((row, column), (row + len(run) - 1, column))
                target.value = [[v] for v in run] if len(run) > 1 else run[0]
            self._grids.pop(sheet, None)  # read again if asked: Excel may have changed what it shows
        for sheet, coordinate, target in self._links:
            rng = self._writable(sheet).range(coordinate)
            shown = str(self._pending[sheet][coordinate_to_tuple(coordinate)]).removeprefix("'")
            rng.add_hyperlink(f"#{target}", text_to_display=shown)
        for sheet, first, last in self._fits:
            self._writable(sheet).range(f"{first}:{last}").rows.autofit()
        self._pending, self._links, self._fits = {}, [], []

    def close(self) -> None:
        """Protect again every sheet this book unprotected, exactly as it was (Protect() alone
        would also lock the drawing objects the template leaves free, such as 汇总's chart).
        Writes not flushed are dropped: they belong to a fill that did not finish."""
        self._pending, self._links, self._fits = {}, [], []
        while self._unprotected:
            ws, state = self._unprotected.pop()
            ws.api.Protect(Contents=True, **state)


def _runs(cells: dict[tuple[int, int], object]):
    """((first row, column), values) for each run of adjacent rows in one column."""
    run: list = []
    start = (0, 0)
    for row, column in sorted(cells, key=lambda rc: (rc[1], rc[0])):
        if run and (column != start[1] or row != start[0] + len(run)):
            yield start, run
            run = []
        if not run:
            start = (row, column)
        run.append(cells[(row, column)])
    if run:
        yield start, run
