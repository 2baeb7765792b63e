"""The workbook's own formulas, evaluated for many input sets without reloading the workbook.

tests/support/recalc.py recalculates a saved file (5 s to load, 1.3 s a calculation); comparing the
formulas with the rubric over hundreds of departments needs something cheaper. Here every
formula of the built standard workbook is compiled once with the `formulas` package (its
parser and its spreadsheet functions, with Excel's ROUND, COUNT and ISNUMBER from
tests/support/recalc.py), and a set is evaluated by putting its inputs into the defined-name cells
and its 扣分记录 rows into that sheet, then computing the cells asked for, each from the
cells its formula refers to (memoised per set). The formula text is the workbook's, read
from the built file, not from preval's formula tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import formulas
import numpy as np
import openpyxl
import schedula as sh
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple, get_column_letter

from tests.support.recalc import _cell_values, spreadsheet_functions

_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


class WorkbookFormulas:
    def __init__(self, path, findings_sheet: str = "扣分记录", first_row: int = 2):
        wb = openpyxl.load_workbook(path)
        self.constants: dict[tuple[str, str], object] = {}
        self.texts: dict[tuple[str, str], str] = {}
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        self.texts[(ws.title, cell.coordinate)] = cell.value
                    elif cell.value is not None:
                        self.constants[(ws.title, cell.coordinate)] = cell.value
        self.names = {}
        for name, dn in wb.defined_names.items():
            for sheet, ref in dn.destinations:
                self.names[name] = (sheet, ref.replace("$", ""))
        self.findings_sheet, self.first_row = findings_sheet, first_row
        self._compiled: dict[tuple[str, str], tuple] = {}
        self._shapes: dict[tuple[str, str], tuple] = {}
        self._set: dict[tuple[str, str], object] = {}
        self._memo: dict[tuple[str, str], object] = {}

    # ------------------------------------------------------------------ one input set

    def load(self, inputs: Mapping[str, object], findings: Sequence[Sequence]) -> None:
        self._set, self._memo = {}, {}
        for name, value in inputs.items():
            if name in self.names:
                self._set[self.names[name]] = value
        for n, row in enumerate(findings):
            for column, value in enumerate(row, start=1):
                self._set[(self.findings_sheet, f"{get_column_letter(column)}{self.first_row + n}")] = value

    def _raw(self, key: tuple[str, str]) -> object:
        if key in self._set:
            return self._set[key]
        if key[0] == self.findings_sheet and key in self.constants:
            row = coordinate_to_tuple(key[1])[0]
            if row >= self.first_row:
                return None  # a filled template's own findings are not this set's
        return self.constants.get(key)

    def value(self, sheet: str, cell: str) -> object:
        """The cell's value as the workbook computes it (a scalar; None for an empty cell)."""
        key = (sheet, cell)
        if key in self._memo:
            return self._memo[key]
        if key not in self.texts or key in self._set:
            value = self._raw(key)
        else:
            func, inputs = self._compile(key)
            args = [self._argument(sheet, ref) for ref in inputs]
            value = _cell_values(func(*args))
            if value is sh.EMPTY:
                value = None
        self._memo[key] = value
        return value

    def _compile(self, key):
        """The compiled formula of the cell ``key`` and the references it reads. A formula that
        reads only cells of its own row (扣分记录's 200 rows of helpers) is compiled once per
        shape and read with the row's references: compiling is what costs (~10 ms a formula)."""
        if key not in self._compiled:
            row = coordinate_to_tuple(key[1])[0]
            shape = (key[0], re.sub(rf"(?<=[A-Z]){row}(?!\d)", "#", self.texts[key]))
            if shape in self._shapes:
                func, base = self._shapes[shape]
                self._compiled[key] = func, [ref[:-len(str(base))] + str(row) for ref in func.inputs]
            else:
                with spreadsheet_functions(add_in=False):
                    func = formulas.Parser().ast(self.texts[key])[1].compile()
                self._compiled[key] = func, list(func.inputs)
                # a range ($AF$2:AF2 is one cell in row 2, rows 2..3 in the next) is no row's own
                if ":" not in self.texts[key] and all(re.fullmatch(rf"[A-Z]{{1,3}}{row}", ref) for ref in func.inputs):
                    self._shapes[shape] = func, row
        return self._compiled[key]

    def _argument(self, sheet: str, ref: str):
        if "!" in ref:
            sheet, ref = ref.rsplit("!", 1)
            sheet = sheet.strip("'")
        elif not _RANGE.match(ref):  # a defined name
            sheet, ref = self.names[ref]
        m = _RANGE.match(ref)
        if m is None:
            raise ValueError(f"cannot evaluate a reference to {ref!r}")
        c1, r1, c2, r2 = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        if c2 is None:
            return self._scalar(self.value(sheet, f"{c1}{r1}"))
        key = (sheet, ref)
        if key not in self._memo:  # a range (扣分记录's 200 rows) is built once per set
            rows = range(r1, int(r2) + 1)
            columns = range(column_index_from_string(c1), column_index_from_string(c2) + 1)
            self._memo[key] = np.array([[self._scalar(self.value(sheet, f"{get_column_letter(c)}{r}")) for c in columns]
                                        for r in rows], object)
        return self._memo[key]

    @staticmethod
    def _scalar(value):
        return sh.EMPTY if value is None else value

    def evaluate(self, cells: Sequence[tuple[str, str]]) -> dict[tuple[str, str], object]:
        with spreadsheet_functions(add_in=False):
            return {key: self.value(*key) for key in cells}
