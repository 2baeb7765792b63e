"""V1xx: one input cell at a time — present, the right type, plausible."""

from __future__ import annotations

from addin.case import Case
from addin.catalogue.one_cell import findings
from addin.checks import ERROR, Problem, problem
from udfs.contract import NAMES
from udfs.inputs import Inputs


def _one(name: str, raw: object, args: tuple[str, str, str], needed: bool = False) -> tuple[list[Problem], object]:
    """Problems of one cell (``one_cell.findings``, stated once with the cell's live formula),
    and its value when it can be used."""
    found, value = findings(name, raw, needed)
    return [problem(f.id, *args, f.message, f.expected, raw) for f in found], value


def check_inputs(case: Case, needed: frozenset[str] = frozenset()) -> tuple[list[Problem], Inputs | None]:
    """One problem per bad input cell; the typed Inputs when none is an 错误. ``needed``: the
    inputs the rubric scores on (an optional one becomes required)."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for name in NAMES:
        loc = case.inputs.get(name)
        if loc is None:
            continue
        found, value = _one(name, loc.value, (loc.sheet, loc.cell, name), name in needed)
        problems += found
        if value is not None:
            values[name] = value
    if any(p.severity == ERROR for p in problems):
        return problems, None
    return problems, Inputs.from_mapping(values)
