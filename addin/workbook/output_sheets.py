"""The computed side of the standard workbook: 指标计算, 评分表, 评分说明, 汇总, 校验结果 —
where each formula of ``addin.workbook.formulas`` goes and how the sheets look. The status
line under each title says whether the reader sees live or last computed numbers, and warns
when an input changed after that computation (the 输入快照 block on 指标计算).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break

from addin.workbook import layout as L
from addin.workbook import native as N
from addin.workbook.formulas import snapshot_flag, status_formula, title_formula, value_formulas
from addin.workbook.printed_rubric import summary_grade_line, value_label
from addin.workbook.style import (
    CACHE_FILL,
    CENTER,
    NOTE_FONT,
    RATE_FORMAT,
    SCORE_FORMAT,
    WRAP_TOP,
    as_input,
    body,
    finish_sheet,
    header,
    title,
    widths,
    wrapped_height,
)
from udfs.contract import NAMES
from udfs.profile import Profile

NOT_COMPUTED = L.NOT_COMPUTED
PENDING_TEXT = "（运行 preval score 或“计算评分”后生成）"
NOTES_WIDTHS = {"A": 5, "B": 20, "C": 8, "D": 8, "E": 70, "F": 40}
DEDUCTION_FORMAT = L.DEDUCTION_FORMAT


Cells = dict[tuple[str, str], str]  # (sheet, "G11") -> formula


def add_disagreement_highlight(ws, cells: str) -> None:
    """核对 = 不一致 in red bold: the add-in and the workbook's formulas differ."""
    ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=['"不一致"'],
                                                    font=Font(color="C00000", bold=True)))


def calc_sheet(wb: Workbook, profile: Profile, layout: L.Layout, cells: Cells) -> None:
    """``cells``: formulas.formula_cells, the formula of every program cell (the builder places
    them, never works one out again); likewise for scores_sheet and summary_sheet."""
    ws = wb.create_sheet(L.CALC)
    subs = layout.subitems
    labels = ("序号", "三级指标", "分值", "取值说明", "取值一", "取值二", *[f"扣分{s}" for s in subs[:-1]],
              "整体扣分—", "preval计算值·取值一", "preval计算值·得分")
    title(ws, "指标计算（公式自动计算，请勿修改）", len(labels))
    ws.cell(2, 1, "取值由 PREVAL_* 函数按“基础信息”“财务数据”计算（未加载加载项时取右侧“公式计算”列）；"
                  "扣分按“扣分记录”逐子项汇总；灰色列为 preval 最近一次计算的结果。").font = NOTE_FONT
    header(ws, 3, labels)
    ws.row_dimensions[3].height = 30
    # the SUMIFS criteria read the sub-item from the header: ① … ⑦
    for n, sub in enumerate(subs[:-1]):
        ws.cell(3, layout.FIRST_SUB + n, sub)
    for ind in profile.indicators:
        row = L.row_of(ind.no)
        body(ws.cell(row, layout.NO), ind.no, align=CENTER)
        body(ws.cell(row, layout.NAME), ind.name)
        body(ws.cell(row, layout.WEIGHT), float(ind.weight), SCORE_FORMAT, CENTER)
        body(ws.cell(row, layout.WHAT), value_label(ind))
        rated = [is_rate for _, is_rate in value_formulas(ind, profile, layout)]
        for n, column in enumerate((layout.VALUE1, layout.VALUE2)):
            fmt = RATE_FORMAT if n < len(rated) and rated[n] else None
            body(ws.cell(row, column), cells.get((L.CALC, L.at(column, row))), fmt, CENTER)
        for column in range(layout.FIRST_SUB, layout.last_sub + 1):
            body(ws.cell(row, column), cells[(L.CALC, L.at(column, row))], DEDUCTION_FORMAT, CENTER)
        for column, fmt in ((layout.cached_value, RATE_FORMAT), (layout.cached_score, SCORE_FORMAT)):
            # an indicator without a rate has no value to compute: "—", not a "未计算" that
            # scoring would never replace
            shown = "—" if column == layout.cached_value and ind.rate_part is None else NOT_COMPUTED
            cell = body(ws.cell(row, column), shown, fmt, CENTER)
            cell.fill = CACHE_FILL
    _calc_caches(ws, layout)
    _input_snapshot(ws, layout)
    _native_columns(ws, profile, layout)
    sizes = {"A": 5, "B": 20, "C": 6, "D": 30, "E": 10, "F": 10}
    sizes.update({L.col(c): 7 for c in range(layout.FIRST_SUB, layout.last_sub + 1)})
    sizes.update({L.col(layout.cached_value): 11, L.col(layout.cached_score): 11, L.col(layout.snap_name): 14,
                  L.col(layout.snap_value): 14, L.col(layout.snap_changed): 8})
    sizes.update({L.col(c): 11 for c in range(layout.native_value1, layout.agree + 1)})
    widths(ws, sizes)
    for ind in profile.indicators:
        ws.row_dimensions[L.row_of(ind.no)].height = wrapped_height(ws, L.row_of(ind.no), {"B": 20, "D": 30})
    ws.freeze_panes = "C4"
    ws.print_area = f"A1:{L.col(layout.cached_score)}{layout.last_row}"
    finish_sheet(ws, landscape=True, title_rows="1:3")


def _calc_caches(ws, layout: L.Layout) -> None:
    """Last computed section scores, total, grade and time, for the fallbacks."""
    label_col, value_col = layout.cached_score - 1, layout.cached_score
    top = layout.cache_first - 1
    ws.cell(top, label_col, "preval 最近一次计算结果").font = NOTE_FONT
    for key in layout.cache_keys:
        row = layout.cache_row(key)
        body(ws.cell(row, label_col), key)
        cell = body(ws.cell(row, value_col), NOT_COMPUTED if key in (*layout.sections, "总分", "等级") else None,
                    SCORE_FORMAT if key not in ("等级", "计算时间", "扣分行数") else None, CENTER)
        cell.fill = CACHE_FILL


NATIVE_HEADER = ("公式计算·取值一", "公式计算·取值二", "公式计算·计算项得分", "公式计算·得分", "核对")


def _native_columns(ws, profile: Profile, layout: L.Layout) -> None:
    """The rubric as ordinary formulas (addin.workbook.native): what every PREVAL_* cell
    shows when the add-in cannot compute, and 核对 = the shown result equals it."""
    header(ws, L.FIRST_ROW - 1, NATIVE_HEADER, first_column=layout.native_value1)
    cells = N.native_cells(profile)
    rated = {L.row_of(i.no): [p.rated for p in i.value_parts] + [True] * len(i.zero_if)
             for i in profile.indicators}
    for (_, ref), formula in cells.items():
        cell = ws[ref]
        column, row = cell.column, cell.row
        if column in (layout.native_value1, layout.native_value2):
            n = column - layout.native_value1
            kinds = rated.get(row, [])
            fmt = RATE_FORMAT if n < len(kinds) and kinds[n] else None
        else:
            fmt = None if column == layout.agree or row == layout.cache_row("等级") else SCORE_FORMAT
        body(cell, formula, fmt, CENTER)
    label_col = layout.native_points
    ws.cell(layout.cache_first - 1, label_col, "工作簿公式计算结果").font = NOTE_FONT
    for key in (*layout.sections, "总分", "等级"):
        body(ws.cell(layout.cache_row(key), label_col), key)
    add_disagreement_highlight(ws, f"{L.col(layout.agree)}{L.FIRST_ROW}:{L.col(layout.agree)}{layout.cache_row('等级')}")


def _input_snapshot(ws, layout: L.Layout) -> None:
    """Every input as it was at the last computation; 已修改 = 1 when it differs now."""
    name_col, value_col, flag_col = layout.snap_name, layout.snap_value, layout.snap_changed
    header_row = L.FIRST_ROW - 1
    for column, label in ((name_col, "输入快照·名称"), (value_col, "计算时的值"), (flag_col, "已修改")):
        cell = ws.cell(header_row, column, label)
        cell.font, cell.alignment = NOTE_FONT, CENTER
    for name in NAMES:
        row = layout.snapshot_row(name)
        ws.cell(row, name_col, name).font = NOTE_FONT
        ws.cell(row, value_col).font = NOTE_FONT
        ws.cell(row, flag_col, snapshot_flag(layout, name)).font = NOTE_FONT


def _status_line(ws, layout: L.Layout, width: int, lines: int = 1) -> None:
    """The status formula under the title, wrapped over ``lines`` lines where the sheet is
    narrow (汇总): it names the source of the numbers and the age of the 评分说明."""
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    cell = ws.cell(2, 1, status_formula(layout))
    cell.font, cell.alignment = NOTE_FONT, WRAP_TOP
    if lines > 1:
        ws.row_dimensions[2].height = 14 * lines


def scores_sheet(wb: Workbook, profile: Profile, layout: L.Layout, cells: Cells) -> None:
    """附件1 as the seed prints it, 8 columns: 一级/二级 merged over their rows, 三级, 分值,
    指标说明, 评分标准, 评价依据, 得分."""
    ws = wb.create_sheet(L.SCORES)
    labels = layout.scores_labels
    title(ws, "", len(labels))
    ws.cell(1, 1).value = title_formula(L.SCORES)
    _status_line(ws, layout, len(labels))
    header(ws, 3, labels)
    for ind in profile.indicators:
        row = L.row_of(ind.no)
        for column, value in enumerate((ind.level1, ind.level2, ind.name), start=1):
            body(ws.cell(row, column), value, align=CENTER)
        body(ws.cell(row, L.SCORES_WEIGHT), float(ind.weight), SCORE_FORMAT, CENTER)
        for column, text in enumerate((ind.explain, ind.standard, ind.evidence), start=L.SCORES_WEIGHT + 1):
            body(ws.cell(row, column), text)
        body(ws.cell(row, layout.score), cells[(L.SCORES, L.at(layout.score, row))], SCORE_FORMAT, CENTER)
    total_row, grade_row = layout.last_row + 1, layout.last_row + 2
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=3)
    body(ws.cell(total_row, 1), "合计", align=CENTER)
    weight = L.col(L.SCORES_WEIGHT)
    body(ws.cell(total_row, L.SCORES_WEIGHT), f"=SUM({weight}{L.FIRST_ROW}:{weight}{layout.last_row})", SCORE_FORMAT, CENTER)
    body(ws.cell(total_row, layout.score), cells[(L.SCORES, L.at(layout.score, total_row))], SCORE_FORMAT, CENTER)
    ws.merge_cells(start_row=grade_row, start_column=1, end_row=grade_row, end_column=3)
    body(ws.cell(grade_row, 1), "评价等级", align=CENTER)
    body(ws.cell(grade_row, layout.score), cells[(L.SCORES, L.at(layout.score, grade_row))], align=CENTER)
    for row in (total_row, grade_row):
        for column in range(2, layout.score):
            if (row, column) != (total_row, 4):
                body(ws.cell(row, column))
    _self_report_columns(ws, profile, layout)
    # 139 width units (7w + 5 px each: 760 pt): the 8 columns fit a landscape A4 page inside
    # SCORE_MARGINS (770 pt) at 100%, the scale the page breaks below are computed for
    sizes = dict(zip("ABCDEFGH", (7, 8, 12, 7, 25, 49, 24, 7), strict=True))  # 分值 7: "100.00", not ###
    widths(ws, {**sizes, L.col(layout.self_rate): 11, L.col(layout.self_score): 11})
    for ind in profile.indicators:
        # as Excel's 宋体 fills a line: the sheet is printed as 附件1, where loose rows cost pages
        ws.row_dimensions[L.row_of(ind.no)].height = wrapped_height(ws, L.row_of(ind.no), sizes, fill=0.95)
    # 一级 and 二级 merged over each printed run of a 二级 group, not over the whole group:
    # every printed page shows the labels of its rows
    for first, last in _printed_runs(ws, profile):
        if last > first:
            for column in (1, 2):
                ws.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    ws.freeze_panes = "A4"
    # printed as 附件1: the title with the unit and year, the status line and the header row on
    # every page (printouts of two departments must be told apart; a page header cannot show a
    # cell), "附件1" in the page header, and each 二级 group kept on one page
    ws.print_area = f"A1:{layout.score_letter}{grade_row}"
    ws.oddHeader.left.text = "附件1"
    ws.oddHeader.left.font, ws.oddHeader.left.size = "黑体,Bold", 14
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.page_margins = SCORE_MARGINS
    finish_sheet(ws, landscape=True, title_rows="1:3")


def _self_report_columns(ws, profile: Profile, layout: L.Layout) -> None:
    """Yellow, optional: what the department's self-evaluation printed. Outside the print
    area, so the printed table stays 附件1's. A rate cell only where the indicator has one."""
    header(ws, 3, L.SELF_HEADER, first_column=layout.self_rate)
    ws.cell(2, layout.self_rate, "选填，与计算结果核对").font = NOTE_FONT
    for ind in profile.indicators:
        row = L.row_of(ind.no)
        for column, number_format, is_input in ((layout.self_rate, RATE_FORMAT, ind.rate_part is not None),
                                                (layout.self_score, SCORE_FORMAT, True)):
            cell = body(ws.cell(row, column), None, number_format, CENTER)
            if is_input:
                as_input(cell)
            else:
                cell.fill = CACHE_FILL


# points of rows on a landscape A4 page (595 pt) inside SCORE_MARGINS (0.7 + 0.5 in = 86 pt),
# under the repeated title, status line and header row (28 + 15 + ~20 pt), with room to spare
PRINTABLE_HEIGHT = 425
SCORE_MARGINS = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.5, header=0.3, footer=0.25)


def _printed_runs(ws, profile: Profile) -> list[tuple[int, int]]:
    """(first, last) rows of each 二级 group as printed, with a manual page break before
    each page: a group that does not fit on the rest of a page starts the next one; a group
    taller than a page is cut where the page is full, and each part is a run of its own.
    Row heights are the builder's; the table prints at 100% on a landscape A4 page."""
    groups: dict[tuple[str, str], list[int]] = {}  # 二级 groups are contiguous in a rubric
    for ind in profile.indicators:
        groups.setdefault((ind.level1, ind.level2), []).append(L.row_of(ind.no))
    height = lambda row: ws.row_dimensions[row].height or 15  # noqa: E731
    runs: list[tuple[int, int]] = []
    used = 0.0
    for rows in groups.values():
        room = PRINTABLE_HEIGHT - used
        # a group that does not fit the rest of the page starts the next one, unless more than
        # a third of the page is still free: then it fills that and goes on, labelled, on the
        # next (pages of one row each made 附件1 run to 6 or 7 pages)
        if used and sum(map(height, rows)) > room and room < PRINTABLE_HEIGHT / 3:
            ws.row_breaks.append(Break(id=rows[0] - 1))  # the break goes after the row before
            used = 0.0
        first = rows[0]
        for row in rows:
            if used and used + height(row) > PRINTABLE_HEIGHT:  # only in a group taller than a page
                runs.append((first, row - 1))
                ws.row_breaks.append(Break(id=row - 1))
                first, used = row, 0.0
            used += height(row)
        runs.append((first, rows[-1]))
    return runs


def notes_sheet(wb: Workbook, profile: Profile, layout: L.Layout, cells: Cells) -> None:
    """附件2 style: per indicator the full marks, the score and how it was reached — from 0.11
    by formula (``live_notes``), before that the text ``preval score`` last wrote."""
    ws = wb.create_sheet(L.NOTES)
    labels = ("序号", "三级指标", "标准分值", "得分", "评分依据", "扣分事由及佐证材料")
    title(ws, "", len(labels))
    ws.cell(1, 1).value = title_formula(L.NOTES)  # the unit and year, as 评分表's title
    _status_line(ws, layout, len(labels))
    header(ws, 3, labels)
    for ind in profile.indicators:
        row = L.row_of(ind.no)
        body(ws.cell(row, L.NOTES_NO), ind.no, align=CENTER)
        body(ws.cell(row, L.NOTES_NAME), ind.name)
        body(ws.cell(row, L.NOTES_WEIGHT), float(ind.weight), SCORE_FORMAT, CENTER)
        body(ws.cell(row, L.NOTES_SCORE), f"='{L.SCORES}'!{layout.score_letter}{row}", SCORE_FORMAT, CENTER)
        body(ws.cell(row, L.NOTES_BASIS), cells.get((L.NOTES, L.at(L.NOTES_BASIS, row)), PENDING_TEXT))
        body(ws.cell(row, L.NOTES_REASONS), cells.get((L.NOTES, L.at(L.NOTES_REASONS, row))))
    widths(ws, NOTES_WIDTHS)
    ws.freeze_panes = "A4"
    finish_sheet(ws, landscape=True, title_rows="1:3")


def summary_sheet(wb: Workbook, profile: Profile, layout: L.Layout, cells: Cells) -> None:
    ws = wb.create_sheet(L.SUMMARY)
    labels = ("一级指标", "满分", "得分", "得分率")
    title(ws, "", len(labels))
    ws.cell(1, 1).value = title_formula(L.SUMMARY)
    _status_line(ws, layout, len(labels), lines=3)
    header(ws, 3, labels)
    weights = profile.section_weights()
    full, got = L.col(L.SUMMARY_WEIGHT), L.col(L.SUMMARY_SCORE)
    label, weight, score, rate = L.SUMMARY_LABEL, L.SUMMARY_WEIGHT, L.SUMMARY_SCORE, L.SUMMARY_RATE
    for section in layout.sections:
        row = layout.summary_row(section)
        body(ws.cell(row, label), section, align=CENTER)
        body(ws.cell(row, weight), float(weights[section]), SCORE_FORMAT, CENTER)
        body(ws.cell(row, score), cells[(L.SUMMARY, layout.summary_cell(section))], SCORE_FORMAT, CENTER)
        body(ws.cell(row, rate), f'=IFERROR({got}{row}/{full}{row},"")', RATE_FORMAT, CENTER)
    first, last = layout.summary_row(layout.sections[0]), layout.summary_row(layout.sections[-1])
    total, grade, serious = (layout.summary_row(k) for k in ("合计", "评价等级", "严重违纪"))
    body(ws.cell(total, label), "合计", align=CENTER)
    body(ws.cell(total, weight), f"=SUM({full}{first}:{full}{last})", SCORE_FORMAT, CENTER)
    body(ws.cell(total, score), cells[(L.SUMMARY, layout.summary_cell("合计"))], SCORE_FORMAT, CENTER)
    body(ws.cell(total, rate), f'=IFERROR({got}{total}/{full}{total},"")', RATE_FORMAT, CENTER)
    body(ws.cell(grade, label), "评价等级", align=CENTER)
    body(ws.cell(grade, score), cells[(L.SUMMARY, layout.summary_cell("评价等级"))], align=CENTER)
    body(ws.cell(serious, label), "严重违纪", align=CENTER)
    body(ws.cell(serious, score), '=IF(严重违纪="","",严重违纪)', align=CENTER)
    for row in (grade, serious):
        for column in (weight, rate):
            body(ws.cell(row, column))
    for name, target in layout.result_names().items():  # 总分, 评价等级, 投入得分 …
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    ws.cell(layout.summary_row("等级说明"), 1, summary_grade_line(profile)).font = NOTE_FONT
    live = L.at(1, layout.summary_row("实时校验"))
    if (L.SUMMARY, live) in cells:
        ws[live].value, ws[live].font = cells[(L.SUMMARY, live)], NOTE_FONT
    chart = BarChart()
    chart.type = "col"
    chart.title = "各一级指标得分与满分"
    chart.y_axis.title = "分"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    full, scored = chart.series
    full.graphicalProperties.solidFill = "BFBFBF"  # full marks as the grey backdrop
    full.graphicalProperties.line.solidFill = "BFBFBF"
    # Values on the scored bars only (full marks are in the table above): two labels side by
    # side overlapped where the bars are close (效果 17.00 and 16.65).
    # LibreOffice shows series and category names too unless told not to.
    scored.dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False)
    chart.height, chart.width = 8, 15
    ws.add_chart(chart, f"A{serious + 3}")
    widths(ws, {"A": 14, "B": 12, "C": 12, "D": 12})
    ws.print_area = f"A1:H{serious + 20}"
    finish_sheet(ws, title_rows="1:3")


CHECKS_NOTE = "“错误”须改正后才能计算评分；“提示”请核实。点击位置可跳到对应单元格。"


def checks_sheet(wb: Workbook, cells: Cells) -> None:
    ws = wb.create_sheet(L.CHECKS)
    title(ws, "校验结果", len(L.CHECKS_HEADER))
    live = cells.get((L.CHECKS, L.LIVE_COUNT_CELL))
    note = ws[L.LIVE_COUNT_CELL]
    note.value, note.font = (live or CHECKS_NOTE), NOTE_FONT
    if live:  # the live count, then what this sheet lists (a line of its own)
        ws.merge_cells(f"A2:{L.col(len(L.CHECKS_HEADER))}2")
        note.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[2].height = 30
    header(ws, 3, L.CHECKS_HEADER)
    body(ws.cell(L.FIRST_ROW, 5), "尚未校验" + PENDING_TEXT)
    widths(ws, dict(zip("ABCDEFG", (8, 6, 16, 14, 60, 14, 14), strict=True)))
    ws.freeze_panes = "A4"
    finish_sheet(ws, landscape=True, title_rows="1:3")
