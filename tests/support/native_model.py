"""The standard workbook compiled once with the `formulas` package, recalculated per case
without the add-in: what test_native and the rubric workbook's tests evaluate the workbook's
own formulas with."""

from __future__ import annotations

import formulas
import numpy as np
import openpyxl
import schedula as sh

from addin.workbook import layout as L
from tests.support.native_cases import Case
from tests.support.recalc import findings_as_saved, spreadsheet_functions, values_of
from udfs.contract import NAMES


def sheet_of(wb, upper: str) -> str:
    return next(name for name in wb.sheetnames if name.upper() == upper)


PLACEHOLDER = ("（占位）", "—", 0, "占位", None)  # a 扣分记录 row no indicator matches
ROWS = 16  # 扣分记录 rows the model keeps as cells (a case uses at most 12)


class Model:
    """A workbook compiled once; ``run(case)`` recalculates it with the case's inputs."""

    def __init__(self, path, profile, add_in: bool = False):
        self.profile, self.layout, self.add_in = profile, L.Layout(profile), add_in
        self.done: dict[str, dict] = {}
        wb = openpyxl.load_workbook(path)
        self.inputs = {}
        for name in NAMES:
            (sheet, ref), = wb.defined_names[name].destinations
            self.inputs[name] = (sheet.upper(), ref.replace("$", ""))
        # 扣分记录's live cells stay at their saved values, as in recalc.recalculate: their 4,000
        # formulas would triple the compile and every run; tests/test_live_findings.py computes them
        with findings_as_saved(path) as readable, spreadsheet_functions(add_in):
            self.model = formulas.ExcelModel().loads(str(readable)).finish()
            solution = self.model.calculate()
        self.keys = {}
        for key in solution:
            ref = key.split("]", 1)[-1]
            if "!" in ref and ":" not in ref:
                sheet, cell = ref.rsplit("!", 1)
                self.keys[(sheet.strip("'").upper(), cell.upper())] = key

    def run(self, case) -> dict:
        if case.name not in self.done:  # the parity and the hand-calculation tests share runs
            self.done[case.name] = self._run(case)
        return self.done[case.name]

    def _run(self, case) -> dict:
        overrides = {}
        for name, value in case.inputs.items():
            overrides[self.keys[self.inputs[name]]] = np.array([[sh.EMPTY]], object) if value is None else value  # an emptied cell
        rows = [*case.findings, *[PLACEHOLDER] * (ROWS - len(case.findings))]
        for row, values in enumerate(rows, start=L.FINDINGS_FIRST):
            for column, value in enumerate(values[:3], start=1):
                overrides[self.keys[(L.FINDINGS, f"{L.col(column)}{row}")]] = value
        with spreadsheet_functions(self.add_in):
            return values_of(self.model.calculate(inputs=overrides))

    def run_file(self, path) -> dict:
        """What ``recalc.recalculate(path)`` gives for a workbook made from the same template
        with other inputs and 扣分记录 rows: the file's input cells and rows as openpyxl reads
        them, computed by this model (compiled once instead of per file)."""
        wb = openpyxl.load_workbook(path)
        inputs = {name: wb[sheet_of(wb, sheet)][ref].value for name, (sheet, ref) in self.inputs.items()}
        ws = wb[L.FINDINGS]
        rows = [tuple(ws.cell(row, column).value for column in range(1, 4))
                for row in range(L.FINDINGS_FIRST, ws.max_row + 1)]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        if len(rows) > ROWS:
            raise ValueError(f"{len(rows)} 扣分记录 rows: the model keeps {ROWS}")
        return self._run(Case(str(path), inputs, [row + (None, None) for row in rows]))
