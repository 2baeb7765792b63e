"""A ``ReadBook`` over python-calamine (no writing methods at all): a second, independent reader
the conformance tests hold to the package reader (tests/support/book_conformance.py); no command uses it
since batch reads as validate reads (issue 24). Reading costs ~5 ms a workbook.

What calamine gives is each cell's value — for a formula, the value Excel saved with it,
never the formula text. So this book cannot tell an input typed as a formula (V103) or an
overwritten formula cell (V401); ``reads_formulas`` says so and ``assess`` skips V401.
Defined names are not exposed by calamine: they are read from xl/workbook.xml.
"""

from __future__ import annotations

from pathlib import Path

import python_calamine
from openpyxl.utils.cell import coordinate_to_tuple

from addin.books.file_guard import check_package
from addin.books.protocol import parse_cell_ref
from addin.books.workbook_xml import external_targets, read_map
from addin.errors import BadFile

# calamine holds a sheet's whole used range as one dense grid: one stray cell at XFD1048576
# asks for 17 billion cells. Past this many, the sheet is read with openpyxl's streaming
# reader instead, up to the rows and columns preval reads at all.
MAX_GRID_CELLS = 1_000_000
BOUNDED_ROWS, BOUNDED_COLUMNS = 20_000, 30


class CalamineBook:
    reads_formulas = False

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._package = check_package(self.path)
        try:
            self._wb = python_calamine.CalamineWorkbook.from_path(str(self.path))
            self._map = read_map(self.path)
        except Exception as exc:  # noqa: BLE001 - calamine and the XML parser raise many kinds
            raise BadFile(f"{self.path.name} 无法打开（文件已损坏或不是 .xlsx：{type(exc).__name__}）",
                          hint="请在 Excel 中打开并另存为 .xlsx 后再试") from None
        self._names = self._map.names
        self._sheets: dict[str, tuple] = {}

    def _grid(self, sheet: str) -> tuple[tuple[int, int], list[list], list]:
        """(first used cell, values from there, merged ranges), read once per sheet."""
        if sheet not in self._sheets:
            part = self._map.sheets.get(sheet, "")
            self._package.reading(part, sheet)
            rows, columns = self._package.extent(part)
            if rows * columns > MAX_GRID_CELLS:
                self._sheets[sheet] = ((0, 0), self._bounded(sheet, rows, columns), [])
            else:
                ws = self._wb.get_sheet_by_name(sheet)
                start, grid = ws.start or (0, 0), ws.to_python()
                self._put_errors(part, start, grid)
                self._sheets[sheet] = (start, grid, ws.merged_cell_ranges or [])
        return self._sheets[sheet]

    def _put_errors(self, part: str, start: tuple[int, int], grid: list[list]) -> None:
        """calamine shows an error value (#N/A, #DIV/0!) as "", an empty cell: put its text
        back, as our package reader and openpyxl give it (one reading: "#N/A" in an input is
        V102 in validate and in batch alike, not a missing input in one of them)."""
        import zipfile

        from addin.books.sheet_xml import error_cells

        with zipfile.ZipFile(self.path) as z:
            errors = error_cells(z.read(part)) if part in z.namelist() else {}
        for (row, column), text in errors.items():
            r, c = row - 1 - start[0], column - 1 - start[1]
            if 0 <= r < len(grid) and 0 <= c < len(grid[r]) and grid[r][c] == "":
                grid[r][c] = text

    def _bounded(self, sheet: str, rows: int, columns: int) -> list[list]:
        """The top-left corner of a huge sheet, streamed (memory bounded by the corner)."""
        from openpyxl import load_workbook

        wb = load_workbook(self.path, read_only=True, data_only=True)
        try:
            return [["" if v is None else v for v in row] for row in wb[sheet].iter_rows(
                max_row=min(rows, BOUNDED_ROWS), max_col=min(columns, BOUNDED_COLUMNS), values_only=True)]
        finally:
            wb.close()

    def has_formulas(self, sheet: str) -> bool:
        import re
        import zipfile

        part = self._map.sheets.get(sheet, "")
        with zipfile.ZipFile(self.path) as z:  # calamine gives values only: look at the XML
            return part in z.namelist() and re.search(rb"<f[\s>/]", z.read(part)) is not None

    def reaches_out(self) -> list[tuple[str, str]]:
        return external_targets(self.path)

    def saved_value(self, sheet: str, coordinate: str) -> object:
        value = self.get(sheet, coordinate)  # calamine reads a formula cell's saved value
        return None if value == "" else value

    def number_formats(self, sheet: str, cells: dict[str, str]) -> dict[str, str]:
        return {cell: self.number_format(sheet, cell) for cell in cells}

    def number_format(self, sheet: str, coordinate: str) -> str:
        import zipfile

        from addin.books.sheet_xml import cell_styles, read_styles
        from addin.books.workbook_xml import relationships

        if not hasattr(self, "_formats"):
            with zipfile.ZipFile(self.path) as z:
                styles = next((t for kind, t, _ in relationships(z, "xl/workbook.xml").values() if kind.endswith("/styles")), "")
                self._formats = read_styles(z.read(styles) if styles in z.namelist() else None, False).formats
            self._cell_styles: dict[str, dict[str, int]] = {}
        if sheet not in self._cell_styles:
            part = self._map.sheets.get(sheet, "")
            with zipfile.ZipFile(self.path) as z:
                self._cell_styles[sheet] = cell_styles(z.read(part)) if part in z.namelist() else {}
        index = self._cell_styles[sheet].get(coordinate, 0)
        return self._formats[index] if index < len(self._formats) else "General"

    def sheet_names(self) -> list[str]:
        return list(self._wb.sheet_names)

    def local_names(self) -> list[tuple[str, str, str]]:
        return list(self._map.local)

    def sheet_states(self) -> dict[str, str]:
        return dict(self._map.states)

    def name_text(self, name: str) -> str | None:
        return self._names.get(name)

    def name_target(self, name: str) -> tuple[str, str] | None:
        text = self._names.get(name)
        return None if text is None else parse_cell_ref(text)

    def _value(self, sheet: str, row: int, column: int) -> object:
        """Cell (1-based row, column); calamine's grid starts at the first used cell and
        shows an empty cell as ""."""
        (r0, c0), grid, _ = self._grid(sheet)
        r, c = row - 1 - r0, column - 1 - c0
        if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
            value = grid[r][c]
            return None if value == "" else value
        return None

    def get(self, sheet: str, coordinate: str) -> object:
        return self._value(sheet, *coordinate_to_tuple(coordinate))

    def block(self, sheet: str, first_row: int, last_row: int, columns: int) -> list[tuple]:
        return [tuple(self._value(sheet, r, c) for c in range(1, columns + 1))
                for r in range(first_row, last_row + 1)]

    def used_rows(self, sheet: str, first_row: int, columns: int) -> list[int]:
        (r0, c0), grid, _ = self._grid(sheet)
        return [r0 + n + 1 for n, row in enumerate(grid) if r0 + n + 1 >= first_row
                and any(v != "" for v in row[max(0, -c0):max(0, columns - c0)])]

    def merged(self, sheet: str, coordinate: str) -> bool:
        row, column = coordinate_to_tuple(coordinate)
        return any(r1 <= row - 1 <= r2 and c1 <= column - 1 <= c2
                   for (r1, c1), (r2, c2) in self._grid(sheet)[2])

    def external_links(self) -> tuple[str, ...]:
        return ()  # only formulas refer to them, and this reader sees no formula
