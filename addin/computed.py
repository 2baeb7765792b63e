"""The value of every formula on preval's own sheets right after scoring, from the evaluation
the engine has just made: what an application shows once it has recalculated. ``preval score``
saves these values beside the formulas, so an application that does not recalculate on load
(LibreOffice's default, a viewer, calamine) shows the same; the 定稿 writes them instead of
its formulas (the headless recalculation took 3–8 s and pulled scipy into the runtime).

The cells are those the template builder writes formulas into (``addin.workbook``): the
computed cells of ``formulas.formula_cells`` (``engine_values``, which the V401 repair also
writes beside its formulas), and the rest by their place — the input snapshot's 已修改 flags,
the titles, 评分说明's scores, 汇总's totals and rates, the status lines. A formula found
elsewhere on our sheets is not guessed.
"""

from __future__ import annotations

from decimal import Decimal

from addin.case import Case
from addin.catalogue.wording import general
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.formulas import LIVE_NOTES
from addin.workbook.live_checks import live_values
from addin.workbook.live_notes import note_values
from udfs.cell_values import NOT_APPLICABLE, CellError
from udfs.engine import BOTH_ZERO, Evaluation, group_findings, rate_value, value_points
from udfs.errors import DomainError
from udfs.inputs import Inputs
from udfs.money import ZERO, quantize
from udfs.profile import WHOLE, Options, Profile

Values = dict[tuple[str, str], object]
NO_ITEM = NOT_APPLICABLE  # what PREVAL_* rate cells show for 0/0
AGREE = "一致"  # a 核对 cell when the add-in and the workbook's formulas give the same
STATUS_SHEETS = (L.SCORES, L.NOTES, L.SUMMARY)  # the sheets with a status line in row 2


def rate_cell(rate_id: str, inputs: Inputs, options: Options) -> object:
    """What a PREVAL_* rate cell shows (``udfs.cell_api.rate``): the exact ratio, "无" for
    0/0, else the error's text ("#DIV/0! 公用经费预算为0，无法计算")."""
    try:
        kept = rate_value(rate_id, inputs, options)
    except DomainError as exc:
        return CellError(exc.code, str(exc)).text()
    if kept.special == BOTH_ZERO:
        return NO_ITEM
    if kept.error is not None:
        return CellError(kept.error.code, str(kept.error)).text()
    assert isinstance(kept.value, Decimal), rate_id  # a rate with no special has its value
    return float(kept.value)


def engine_values(profile: Profile, case: Case, ev: Evaluation, inputs: Inputs,
                  version: str = versions.CURRENT) -> dict[tuple[str, str], object]:
    """(sheet, cell) -> the value the program's formula there computes, from the evaluation
    and the typed inputs: the same cells as ``formula_cells``."""
    layout = L.Layout(profile, version)
    options = profile.options
    by_no = {r.no: r for r in ev.indicators}
    out: dict[tuple[str, str], object] = {}
    for ind in profile.indicators:
        row, result = L.row_of(ind.no), by_no[ind.no]
        values: list[object] = []
        for part in ind.value_parts:
            if part.rated:
                values.append(rate_cell(part.rate, inputs, options))
            else:
                loc = case.inputs.get(part.input)
                values.append("" if loc is None or loc.value is None else loc.value)
        values += [rate_cell(cond.rate, inputs, options) for cond in ind.zero_if]
        if ind.value_parts:  # 公式计算·计算项得分 (template 0.6 on)
            points = value_points(ind, inputs, options)
            out[(L.CALC, L.at(layout.native_points, row))] = "" if points is None else float(points)
        for column, value in zip((layout.VALUE1, layout.VALUE2), values, strict=False):
            out[(L.CALC, L.at(column, row))] = value
        sums, _reasons = group_findings(ind, result.findings)  # by column, as the SUMIFS sum them
        for column, label in zip(range(layout.FIRST_SUB, layout.last_sub), layout.subitems, strict=False):
            out[(L.CALC, L.at(column, row))] = float(sums.get(label, ZERO))
        out[(L.CALC, L.at(layout.last_sub, row))] = float(quantize(sums.get(WHOLE, ZERO), 10))
        out[(L.SCORES, f"{layout.score_letter}{row}")] = float(result.score)
        # the 公式计算 columns (template 0.6 on) compute the same values without the add-in
        for column, value in zip((layout.native_value1, layout.native_value2), values, strict=False):
            out[(L.CALC, L.at(column, row))] = value
        out[(L.CALC, L.at(layout.native_score, row))] = float(result.score)
        out[(L.CALC, L.at(layout.agree, row))] = AGREE
    for key in (*layout.sections, "总分", "等级"):
        row = layout.cache_row(key)
        value = ev.grade if key == "等级" else float(ev.total if key == "总分" else ev.sections[key])
        out[(L.CALC, L.at(layout.native_score, row))] = value
        out[(L.CALC, L.at(layout.agree, row))] = AGREE
    total_row = layout.last_row + 1
    out[(L.SCORES, f"{layout.score_letter}{total_row}")] = float(ev.total)
    out[(L.SCORES, f"{layout.score_letter}{total_row + 1}")] = ev.grade
    for section in layout.sections:
        out[(L.SUMMARY, layout.summary_cell(section))] = float(ev.sections[section])
    out[(L.SUMMARY, layout.summary_cell("合计"))] = float(ev.total)
    out[(L.SUMMARY, layout.summary_cell("评价等级"))] = ev.grade
    return out


def computed_values(profile: Profile, case: Case, ev: Evaluation, inputs: Inputs,
                    version: str = versions.CURRENT) -> Values:
    """(sheet, cell) -> value of every formula cell the template has on our sheets right after
    scoring, but the status lines (``status_after_score``; a 定稿 writes its own stamp there)."""
    layout = L.Layout(profile, version)
    out: Values = dict(engine_values(profile, case, ev, inputs, version))
    for indicator in ev.indicators:
        out[(L.NOTES, L.at(L.NOTES_SCORE, L.row_of(indicator.no)))] = float(indicator.score)
    # the input snapshot was just taken: nothing differs from it
    for name in versions.names(version):
        out[(L.CALC, f"{L.col(layout.snap_changed)}{layout.snapshot_row(name)}")] = 0
    unit, year = (case.inputs.get(n) for n in ("单位名称", "评价年度"))
    head = general(unit.value if unit else None) + (f"{general(year.value)}年度" if year and year.value not in (None, "") else "")
    for sheet, suffix in L.TITLES.items():
        out[(sheet, "A1")] = head + suffix
    weights = profile.section_weights()
    total_weight = sum(weights.values(), ZERO)
    out[(L.SCORES, L.at(L.SCORES_WEIGHT, layout.last_row + 1))] = float(total_weight)
    for key, points, weight in [*((s, ev.sections[s], weights[s]) for s in layout.sections),
                                ("合计", ev.total, total_weight)]:
        out[(L.SUMMARY, layout.summary_cell(key, L.SUMMARY_RATE))] = float(points / weight) if weight else ""
    out[(L.SUMMARY, layout.summary_cell("合计", L.SUMMARY_WEIGHT))] = float(total_weight)
    serious = case.inputs.get("严重违纪")
    out[(L.SUMMARY, layout.summary_cell("严重违纪"))] = "" if serious is None or serious.value is None \
        else serious.value
    if versions.live_checks(version):
        out.update(live_values(profile, {name: loc.value for name, loc in case.inputs.items()}, version, case.findings))
    if versions.live_notes(version):
        out.update(note_values(profile, ev, case.findings))
    return out


def status_after_score(version: str, when: str) -> str:
    """What the status line (``formulas.status_formula``) shows right after a score where the
    add-in is not loaded — the application that does not recalculate is one without it: the
    workbook's own formulas, every 核对 agreeing, every score computed, the 评分说明 just made."""
    if versions.live_notes(version):
        return f"实时计算（工作簿公式，未加载 preval 加载项）{LIVE_NOTES}"
    if versions.native(version):
        return f"实时计算（工作簿公式，未加载 preval 加载项）；评分说明为 preval 于 {when} 生成"
    return f"下列得分为 preval 于 {when} 计算的结果（未加载加载项）"
