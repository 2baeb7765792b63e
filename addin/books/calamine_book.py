"""A read-only ``Book`` over python-calamine, for batch consolidation where reading is the
cost (~5 ms a workbook against ~100 ms with openpyxl).

What calamine gives is each cell's value — for a formula, the value Excel saved with it,
never the formula text. So this book cannot tell an input typed as a formula (V103) or an
overwritten formula cell (V401); ``reads_formulas`` says so and ``assess`` skips V401.
Defined names are not exposed by calamine: they are read from xl/workbook.xml.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import python_calamine
from openpyxl.utils.cell import coordinate_to_tuple

from addin.books.file_guard import check_package
from addin.books.protocol import parse_cell_ref
from addin.errors import BadFile

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def defined_names(path: Path) -> dict[str, str]:
    """Workbook-scoped names: name -> what it refers to, as text."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("xl/workbook.xml"))
    out = {}
    for el in root.iter(f"{MAIN_NS}definedName"):
        name = el.get("name")
        if el.get("localSheetId") is None and name and el.text:
            out[name] = el.text
    return out


class CalamineBook:
    reads_formulas = False

    def __init__(self, path: str | Path):
        self.path = Path(path)
        check_package(self.path)
        try:
            self._wb = python_calamine.CalamineWorkbook.from_path(str(self.path))
            self._names = defined_names(self.path)
        except Exception as exc:  # noqa: BLE001 - calamine and ElementTree raise many kinds
            raise BadFile(f"{self.path.name} 无法打开（文件已损坏或不是 .xlsx：{type(exc).__name__}）",
                          hint="请在 Excel 中打开并另存为 .xlsx 后再试") from None
        self._sheets: dict[str, tuple] = {}

    def _grid(self, sheet: str) -> tuple[tuple[int, int], list[list], list]:
        """(first used cell, values from there, merged ranges), read once per sheet."""
        if sheet not in self._sheets:
            ws = self._wb.get_sheet_by_name(sheet)
            self._sheets[sheet] = (ws.start or (0, 0), ws.to_python(), ws.merged_cell_ranges or [])
        return self._sheets[sheet]

    def sheet_names(self) -> list[str]:
        return list(self._wb.sheet_names)

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

    def merged(self, sheet: str, coordinate: str) -> bool:
        row, column = coordinate_to_tuple(coordinate)
        return any(r1 <= row - 1 <= r2 and c1 <= column - 1 <= c2
                   for (r1, c1), (r2, c2) in self._grid(sheet)[2])

    def external_links(self) -> tuple[str, ...]:
        return ()  # only formulas refer to them, and this reader sees no formula

    # read-only: batch never fills a workbook
    def put(self, sheet: str, coordinate: str, value: object) -> None:
        raise TypeError("CalamineBook is read-only")

    def link(self, sheet: str, coordinate: str, target: str) -> None:
        raise TypeError("CalamineBook is read-only")

    def fit_rows(self, sheet: str, first_row: int, last_row: int) -> None:
        raise TypeError("CalamineBook is read-only")

    def flush(self) -> None:
        pass

