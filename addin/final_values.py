"""The value of every formula on preval's own sheets right after scoring, from the evaluation
the engine has just made: what Excel with the add-in shows once it has recalculated. The 定稿
writes these values instead of its formulas without recalculating the workbook (the
headless recalculation took 3–8 s and pulled scipy into the runtime).

The cells are those the template builder writes formulas into (``addin.workbook``): the
computed cells of ``formulas.formula_cells`` (``fill.engine_values``, which the V401 repair
also writes beside its formulas), and the rest by their place — the input snapshot's 已修改
flags, the titles, 评分说明's scores, 汇总's totals and rates. A formula found elsewhere on our sheets is not guessed: the 定稿 keeps the
value the user's program saved with it (``finalize``).
"""

from __future__ import annotations

from addin.fill import engine_values
from addin.scoring import Result
from addin.workbook import layout as L
from addin.workbook import versions
from udfs.money import ZERO

Values = dict[tuple[str, str], object]


def _text(value: object) -> str:
    """A cell value as Excel's & joins it: 2022.0 -> "2022"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def final_values(result: Result) -> Values:
    """(sheet, cell) -> value of every formula cell the template has on our sheets, but the
    status lines (the 定稿 writes its own stamp there)."""
    profile, case, ev, inputs = result.profile, result.case, result.evaluation, result.inputs
    assert ev is not None and inputs is not None  # only a scored workbook is frozen
    layout = L.Layout(profile, result.version)
    out: Values = dict(engine_values(profile, case, ev, inputs, result.version))
    for indicator in ev.indicators:
        out[(L.NOTES, f"D{L.row_of(indicator.no)}")] = float(indicator.score)
    # the input snapshot was just taken: nothing differs from it
    for name in versions.names(result.version):
        out[(L.CALC, f"{L.col(layout.snap_changed)}{layout.snapshot_row(name)}")] = 0
    unit, year = (case.inputs.get(n) for n in ("单位名称", "评价年度"))
    head = _text(unit.value if unit else None) + (f"{_text(year.value)}年度" if year and year.value not in (None, "") else "")
    for sheet, suffix in L.TITLES.items():
        out[(sheet, "A1")] = head + suffix
    weights = profile.section_weights()
    total_weight = sum(weights.values(), ZERO)
    out[(L.SCORES, f"D{layout.last_row + 1}")] = float(total_weight)
    for key, points, weight in [*((s, ev.sections[s], weights[s]) for s in layout.sections),
                                ("合计", ev.total, total_weight)]:
        out[(L.SUMMARY, f"D{layout.summary_row(key)}")] = float(points / weight) if weight else ""
    out[(L.SUMMARY, f"B{layout.summary_row('合计')}")] = float(total_weight)
    serious = case.inputs.get("严重违纪")
    out[(L.SUMMARY, f"C{layout.summary_row('严重违纪')}")] = "" if serious is None or serious.value is None \
        else serious.value
    return out
