"""The formulas of the standard workbook's computed cells, as text (without Excel).

Every score is a live PREVAL_* formula over the defined names, wrapped as
``IFERROR(PREVAL_…(…), <fallback>)``: with the add-in Excel computes it; without it (WPS,
LibreOffice, Excel on another machine, Python not running) the call is an error value and
the cell shows the fallback. From template 0.6 the fallback is the rubric compiled to
ordinary formulas (``addin.workbook.native``, the 公式计算 columns of 指标计算), so the
numbers stay live; in 0.4/0.5 workbooks it is the value ``preval score`` last wrote into
the grey "preval 计算值" columns. A workbook is always checked against its own version.

The builder writes these strings, the V401 check compares a user's workbook with them
(``formula_cells``) and the 定稿 recognises the status line by them: one module, so the
three cannot drift apart.
"""

from __future__ import annotations

from addin.workbook import layout as L
from addin.workbook import native as N
from addin.workbook import versions
from addin.workbook.live_checks import live_cells
from addin.workbook.live_notes import note_cells
from udfs.profile import Indicator, Profile
from udfs.rates import RATES


def title_formula(sheet: str) -> str:
    """Row 1 of a result sheet: the unit and year as typed, then ``layout.TITLES[sheet]``."""
    return f'=IF(单位名称="","",单位名称)&IF(评价年度="","",评价年度&"年度")&"{L.TITLES[sheet]}"'


def calc_ref(column: int, row: int) -> str:
    """An absolute reference to a cell of 指标计算, from another sheet."""
    return f"'{L.CALC}'!${L.col(column)}${row}"


def cached_ref(layout: L.Layout, key: str) -> str:
    """Reference to the last computed section score, 总分, 等级, 计算时间 … on 指标计算."""
    return calc_ref(layout.cached_score, layout.cache_row(key))


def fallback_ref(layout: L.Layout, row: int, version: str) -> str:
    """What a PREVAL_* score or total in ``row`` of 指标计算 falls back to: the 公式计算
    cell (0.6 on) or the last computed value."""
    return calc_ref(layout.native_score if versions.native(version) else layout.cached_score, row)


def value_formulas(ind: Indicator, profile: Profile, layout: L.Layout,
                   version: str = versions.CURRENT) -> list[tuple[str, bool]]:
    """(formula, is a rate) of the indicator's values in PREVAL_SCORE's order: value
    parts, then the rates of its zero_if conditions."""
    options = profile.options
    row = L.row_of(ind.no)
    out = []
    for n, part in enumerate(ind.value_parts):
        if not part.rated:
            out.append((f'=IF({part.input}="","",{part.input})', False))
            continue
        formula = RATES[part.rate].cell_formula(versions.options_for(options, version))
        if versions.native(version):
            fallback = calc_ref((layout.native_value1, layout.native_value2)[n], row)
        else:  # only 取值一 has a cached value; a later rate without the add-in stays empty
            fallback = calc_ref(layout.cached_value, row) if n == 0 else '""'
        out.append((f"=IFERROR({formula},{fallback})", True))
    for cond in ind.zero_if:
        # the same rate is another indicator's 取值一: refer to it, one UDF call fewer
        owner = next((i for i in profile.indicators if i.value_parts and i.value_parts[0].rate == cond.rate), None)
        if owner is None:
            raise ValueError(f"{ind.name}: no indicator computes {cond.rate}")
        out.append((f"={L.col(layout.VALUE1)}{L.row_of(owner.no)}", True))
    if len(out) > 2:
        raise ValueError(f"{ind.name}: the workbook has two value columns, the indicator needs {len(out)}")
    return out


def deduction_formulas(layout: L.Layout, row: int, revision: int = N.REVISION,
                       ind: Indicator | None = None) -> dict[int, str]:
    """column -> SUMIFS of 扣分记录 for one indicator row: ① … ⑦ from the header, then the
    rest (whole indicator: everything on this indicator not on a numbered sub-item). The
    rest is rounded only to drop binary noise (0.3−0.1−0.2): a 0.125 deduction stays 0.125,
    as the engine subtracts it (revision 1 rounded it to 0.13)."""
    amount, which, sub_col = (L.findings_range(L.FINDINGS_COLUMNS[k]) for k in ("扣分", "指标", "子项"))
    out = {}
    for column in range(layout.FIRST_SUB, layout.last_sub):
        part = ind.part(layout.subitems[column - layout.FIRST_SUB]) if ind is not None else None
        # the sub-item as a 扣分记录 row names it: the column's number, or the part's own
        # spelling where the rubric's number has two halves (资产管理安全性 "④外租")
        criterion = f'"{part.choice}"' if part is not None and part.choice and revision >= 2 else f"{L.col(column)}$3"
        out[column] = f"=SUMIFS({amount},{which},$B{row},{sub_col},{criterion})"
    first, last = L.col(layout.FIRST_SUB), L.col(layout.last_sub - 1)
    places = 10 if revision >= 2 else 2
    out[layout.last_sub] = f"=ROUND(SUMIFS({amount},{which},$B{row})-SUM({first}{row}:{last}{row}),{places})"
    return out


def snapshot_flag(layout: L.Layout, name: str) -> str:
    """1 when input ``name`` differs from its value at the last computation (输入快照), else 0."""
    snap = f"{L.col(layout.snap_value)}{layout.snapshot_row(name)}"
    return f"=IF({name}={snap},0,1)"


def changed_expr(layout: L.Layout, version: str = versions.CURRENT) -> str:
    names = versions.names(version)
    first, last = layout.snapshot_row(names[0]), layout.snapshot_row(names[-1])
    flags = calc_ref(layout.snap_changed, first) + f":${L.col(layout.snap_changed)}${last}"
    total = cached_ref(layout, "扣分合计")
    count = cached_ref(layout, "扣分行数")
    amount, which = L.findings_range(L.FINDINGS_COLUMNS["扣分"]), L.findings_range(L.FINDINGS_COLUMNS["指标"])
    return f"SUM({flags})+(ROUND(SUM({amount}),2)<>{total})+(COUNTA({which})<>{count})"


def status_formula(layout: L.Layout, version: str = versions.CURRENT) -> str:
    """Which numbers the reader sees: live (add-in loaded), the last computation, or stale —
    in the form the workbook's template ``version`` wrote (``versions.live_test``). From 0.6
    the numbers are always live (add-in or the workbook's own formulas); the line then says
    which, whether the two agree, and whether the 评分说明 text is still current."""
    when = cached_ref(layout, "计算时间")
    live = "实时计算（已加载 preval 加载项）"
    if versions.native(version):
        return _native_status(layout, when, live, version)
    cached = (f'IF({when}="","未加载 preval 加载项，尚未计算：请运行 preval score 或在 Excel 中点击“绩效评价→计算评分”",'
              f'IF({changed_expr(layout, version)}>0,"注意：输入在计算后已修改，下列得分为 "&{when}&" 的计算结果，请重新计算评分",'
              f'"下列得分为 preval 于 "&{when}&" 计算的结果（未加载加载项）"))')
    if versions.live_test(version) == "ISERROR":
        return f'=IF(ISERROR(PREVAL_TOTAL(0)),{cached},"{live}")'
    return f'=IF(ISNUMBER(PREVAL_TOTAL(0)),"{live}",{cached})'


LIVE_NOTES = "；评分说明随输入实时更新"  # the status line's clause from 0.11 (versions.live_notes)


def _native_status(layout: L.Layout, when: str, live: str, version: str) -> str:
    total = calc_ref(layout.native_score, layout.cache_row("总分"))
    first, last = L.FIRST_ROW, layout.cache_row("等级")
    agree = f"{calc_ref(layout.agree, first)}:${L.col(layout.agree)}${last}"
    source = f'IF(ISNUMBER(PREVAL_TOTAL(0)),"{live}","实时计算（工作簿公式，未加载 preval 加载项）")'
    differ = f'IF(COUNTIF({agree},"不一致")>0,"；注意：加载项与工作簿公式的结果不一致，见“指标计算”核对列","")'
    where = ("见“基础信息”“财务数据”的实时校验列，或点击“绩效评价→校验”、运行 preval validate" if versions.live_checks(version)
             else "请点击“绩效评价→校验”或运行 preval validate 查看原因")
    missing = f'IF(ISNUMBER({total}),"","；部分得分无法计算：{where}")'
    if versions.live_notes(version):  # the 评分说明 are formulas too: never stale
        notes = f'"{LIVE_NOTES}"'
    else:
        notes = (f'IF({when}="","；评分说明尚未生成（运行 preval score 或点击“计算评分”后生成）",'
                 f'IF({changed_expr(layout, version)}>0,"；输入在 "&{when}&" 生成评分说明后已修改，评分说明需重新生成",'
                 f'"；评分说明为 preval 于 "&{when}&" 生成"))')
    return f"={source}&{differ}&{missing}&{notes}"


def score_formula(ind: Indicator, layout: L.Layout, name_cell: str, version: str = versions.CURRENT) -> str:
    row = L.row_of(ind.no)
    first, last = L.col(layout.FIRST_SUB), L.col(layout.last_sub)
    cuts = f"'{L.CALC}'!${first}${row}:${last}${row}"
    n_values = len(ind.value_parts) + len(ind.zero_if)
    if n_values == 0:
        call = f"PREVAL_DEDUCT({name_cell},{cuts},{L.PROFILE_NAME})"
    else:
        v1 = calc_ref(layout.VALUE1, row)
        values = v1 if n_values == 1 else f"{v1}:${L.col(layout.VALUE2)}${row}"
        call = f"PREVAL_SCORE({name_cell},{values},{L.PROFILE_NAME},{cuts})"
    return f"=IFERROR({call},{fallback_ref(layout, row, version)})"


def total_formula(layout: L.Layout, scores: str, version: str = versions.CURRENT) -> str:
    return f"=IFERROR(PREVAL_TOTAL({scores}),{fallback_ref(layout, layout.cache_row('总分'), version)})"


def grade_formula(layout: L.Layout, total_cell: str, version: str = versions.CURRENT) -> str:
    cache = fallback_ref(layout, layout.cache_row("等级"), version)
    return f"=IFERROR(PREVAL_GRADE({total_cell},严重违纪,{L.PROFILE_NAME}),{cache})"


def section_formula(layout: L.Layout, section: str, version: str = versions.CURRENT) -> str:
    first, last = layout.section_rows(section)
    cache = fallback_ref(layout, layout.cache_row(section), version)
    score = layout.score_letter
    return f"=IFERROR(PREVAL_TOTAL('{L.SCORES}'!{score}{first}:{score}{last}),{cache})"


def formula_cells(profile: Profile, version: str = versions.CURRENT,
                  revision: int = N.REVISION) -> dict[tuple[str, str], str]:
    """(sheet, "G11") -> formula of every cell a score depends on: the values and
    deductions on 指标计算, the scores, totals and grade on 评分表 and 汇总, and (0.6 on) the
    公式计算 and 核对 cells. The builder takes each formula it writes from here; the V401 check
    and its restore compare a user's workbook with those of its own template version, and
    ``addin.computed`` gives the value each of these cells shows."""
    layout = L.Layout(profile, version)
    score = layout.score_letter
    out: dict[tuple[str, str], str] = {}
    for ind in profile.indicators:
        row = L.row_of(ind.no)
        values = value_formulas(ind, profile, layout, version)
        for column, (formula, _) in zip((layout.VALUE1, layout.VALUE2), values, strict=False):
            out[(L.CALC, f"{L.col(column)}{row}")] = formula
        for column, formula in deduction_formulas(layout, row, revision, ind).items():
            out[(L.CALC, f"{L.col(column)}{row}")] = formula
        out[(L.SCORES, f"{score}{row}")] = score_formula(ind, layout, f"$C{row}", version)
    total_row = layout.last_row + 1
    out[(L.SCORES, f"{score}{total_row}")] = total_formula(
        layout, f"{score}{L.FIRST_ROW}:{score}{layout.last_row}", version)
    out[(L.SCORES, f"{score}{total_row + 1}")] = grade_formula(layout, f"{score}{total_row}", version)
    for section in layout.sections:
        out[(L.SUMMARY, layout.summary_cell(section))] = section_formula(layout, section, version)
    out[(L.SUMMARY, layout.summary_cell("合计"))] = total_formula(layout, layout.summary_scores(), version)
    out[(L.SUMMARY, layout.summary_cell("评价等级"))] = grade_formula(layout, layout.summary_cell("合计"), version)
    if versions.native(version):
        out.update(N.native_cells(profile, version, revision))
    if versions.live_checks(version):
        out.update(live_cells(profile, version))
    if versions.live_notes(version):
        out.update(note_cells(profile, version))
    return out
