"""Recalculate a workbook without Excel: the `formulas` package with our PREVAL_*
functions registered the way xlwings hands them cell values. The tests' independent
reading of the workbook's formulas (they give the reference case; the 定稿's values are
what they compute). Slow (seconds) and heavy to import (scipy): a test dependency only."""

from __future__ import annotations

import contextlib
import functools
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import formulas
import numpy as np
import schedula as sh
from formulas.functions import Error, wrap_func, wrap_ufunc
from formulas.functions import text as text_functions

from udfs import functions


def _cell_values(arg):
    """formulas' arrays -> what xlwings passes: a scalar for one cell, else a flat list
    (our functions flatten ranges anyway); empty cells -> None, numpy scalars -> Python."""
    values = []
    for v in np.asarray(arg, object).ravel().tolist():
        if v is sh.EMPTY:
            v = None
        elif isinstance(v, np.generic):
            v = v.item()
        elif isinstance(v, formulas.tokens.operand.XlError):
            v = str(v)
        values.append(v)
    return values[0] if len(values) == 1 else values


def excel_round(x, digits):
    """ROUND as Excel and LibreOffice compute it: on the decimal value the cell holds (15
    significant digits), half away from zero — ROUND(1.005,2)=1.01, ROUND(0.285,2)=0.29.
    `formulas` rounds the binary double (1.00, 0.28); the engine's Decimal half-up agrees
    with the spreadsheets, so the workbook's own formulas are checked against those."""
    value = Decimal(format(float(x), ".15g"))
    return float(value.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP))


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_, str))


def excel_count(*args):
    """COUNT as Excel, WPS and LibreOffice count a reference: numbers only. `formulas`
    counts text that spells a number ("1660.95" stored as text), which no spreadsheet does."""
    return sum(_is_number(v) for a in args for v in np.asarray(a, object).ravel().tolist())


def excel_isnumber(value):
    """ISNUMBER of a reference: false for text, whatever it spells (see ``excel_count``)."""
    return _is_number(np.asarray(value, object).ravel().tolist()[0])


_TEXT_ARGS = text_functions._kw1  # how `formulas` hands a text function its argument (TRIM's own)


def excel_trim(text):
    """TRIM as Excel, WPS and LibreOffice compute it: spaces (32) only, inner runs made one.
    `formulas` uses str.strip, which also takes the NBSP and the full-width space."""
    return re.sub(" +", " ", str(text).strip(" "))


_EXCEL = {"ROUND": lambda: wrap_ufunc(excel_round), "COUNT": lambda: wrap_func(excel_count),
          "ISNUMBER": lambda: wrap_func(excel_isnumber), "TRIM": lambda: wrap_ufunc(excel_trim, **_TEXT_ARGS)}


@contextlib.contextmanager
def spreadsheet_functions(add_in: bool):
    """While inside: Excel's ROUND (``excel_round``), COUNT and ISNUMBER (``excel_count``)
    and, when ``add_in``, PREVAL_* as the add-in's VBA wrappers return them, in `formulas`'
    shared function table."""
    table = formulas.get_functions()
    saved = {name: table.get(name) for name in _EXCEL}
    for name, make in _EXCEL.items():
        table[name] = make()
    if add_in:
        for udf in functions.catalogue():
            table[udf.__name__] = wrap_func(functools.partial(_as_excel_calls, udf))
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # formulas draws a progress bar
            yield
    finally:
        for udf in functions.catalogue():
            table.pop(udf.__name__, None)
        for name, function in saved.items():
            if function is not None:
                table[name] = function


def _as_excel_calls(udf, *args):
    """A PREVAL_* call as the add-in's VBA wrapper returns it: a Python exception (the
    machinery failing, not a bad input) reaches Excel as #N/A (addin.excel.vba_udfs)."""
    try:
        return udf(*(_cell_values(a) for a in args))
    except Exception:  # noqa: BLE001 - exactly what the wrapper's "On Error GoTo failed" does
        return Error.errors["#N/A"]


def recalculate(path, add_in: bool = True) -> dict[tuple[str, str], object]:
    """{(sheet, "A1"): value} for every cell of the workbook after recalculation.
    ``add_in=False`` is a reader without preval: every PREVAL_* call is #NAME?.

    扣分记录's live cells (right of 佐证材料, 200 rows of some twenty formulas) keep the values
    saved with the file: compiling them makes one recalculation 80 s instead of 6. Their
    formulas are computed by tests/test_live_findings.py (tests/support/workbook_eval.py,
    which compiles a row's formula once for all rows) and by LibreOffice in
    bench/live_checks_libreoffice.py."""
    with findings_as_saved(path) as readable, spreadsheet_functions(add_in):
        model = formulas.ExcelModel().loads(str(readable)).finish()
        return values_of(model.calculate())


@contextlib.contextmanager
def findings_as_saved(path):
    """A copy of the workbook at ``path`` whose 扣分记录 live cells are their saved values
    (what ``recalculate`` and tests/support/native_model compile)."""
    import tempfile
    from pathlib import Path

    import openpyxl

    from addin.workbook import layout as L

    wb = openpyxl.load_workbook(path)
    if L.FINDINGS not in wb.sheetnames:
        yield path
        return
    saved = openpyxl.load_workbook(path, data_only=True)[L.FINDINGS]
    ws, first = wb[L.FINDINGS], len(L.FINDINGS_COLUMNS) + 1
    for row in ws.iter_rows(min_row=L.FINDINGS_FIRST, min_col=first):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.value = saved[cell.coordinate].value
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Path(path).name
        wb.save(copy)
        yield copy


def values_of(solution) -> dict[tuple[str, str], object]:
    """A `formulas` solution as {(SHEET, "A1"): value} (sheet names upper-cased)."""
    out = {}
    for key, value in solution.items():
        ref = key.split("]", 1)[-1]
        if ":" in ref or "!" not in ref:  # ranges and defined names
            continue
        sheet, cell = ref.rsplit("!", 1)
        out[(sheet.strip("'").upper(), cell.upper())] = _cell_values(value.value)
    return out
