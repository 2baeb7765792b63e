"""Recalculate a workbook without Excel: the `formulas` package with our PREVAL_*
functions registered the way xlwings hands them cell values. Used by 定稿 (the values it
writes) and by the tests (the workbook's formulas give the reference case). Slow (seconds)
and heavy to import: never on the score path."""

from __future__ import annotations

import contextlib
import io

import formulas
import numpy as np
import schedula as sh
from formulas.functions import wrap_func

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


def _register(table) -> None:
    for udf in functions.catalogue():
        def call(*args, _udf=udf):
            return _udf(*(_cell_values(a) for a in args))
        table[udf.__name__] = wrap_func(call)


def recalculate(path, add_in: bool = True) -> dict[tuple[str, str], object]:
    """{(sheet, "A1"): value} for every cell of the workbook after recalculation.
    ``add_in=False`` is a reader without preval: every PREVAL_* call is #NAME?."""
    table = formulas.get_functions()  # one shared table: register, then take them out again
    if add_in:
        _register(table)
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # formulas draws a progress bar
            model = formulas.ExcelModel().loads(str(path)).finish()
            solution = model.calculate()
    finally:
        for udf in functions.catalogue():
            table.pop(udf.__name__, None)
    out = {}
    for key, value in solution.items():
        ref = key.split("]", 1)[-1]
        if ":" in ref or "!" not in ref:  # ranges and defined names
            continue
        sheet, cell = ref.rsplit("!", 1)
        out[(sheet.strip("'").upper(), cell.upper())] = _cell_values(value.value)
    return out
