"""The input side of the standard workbook: 填表说明, 基础信息, 财务数据, 扣分记录 and the
read-only 指标体系. Every contract name is a workbook-scoped defined name on a yellow,
unlocked, validated cell."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from addin.catalogue.finding_rows import HELPERS
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.live_notes import REASON_HELPERS
from addin.workbook.printed_rubric import RUBRIC_COLUMNS, embedded_cells, guide_grade_line, rubric_row, rubric_title
from addin.workbook.style import (
    BODY_FONT,
    HEADER_FONT,
    WRAP_TOP,
    as_input,
    body,
    finish_sheet,
    header,
    title,
    widths,
    wrapped_height,
)
from udfs.contract import CHOICE, COUNT, FINDINGS_HEADER, INPUTS, MONEY, POINTS, RATE, YEAR, display_order
from udfs.profile import Profile

LIVE_FONT = Font(name="宋体", size=10, color="9C0006")


def define(wb: Workbook, name: str, sheet: str, coordinate: str) -> None:
    column = "".join(ch for ch in coordinate if ch.isalpha())
    row = coordinate[len(column):]
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!${column}${row}")


def _validation(spec) -> DataValidation | None:
    prompt = {"showInputMessage": True, "promptTitle": spec.name[:32], "prompt": spec.label[:250]}
    if spec.kind == CHOICE:
        dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True, **prompt)
    elif spec.signed:  # any number: only text is refused
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True,
                            **prompt)
    elif spec.kind in (MONEY, COUNT):
        dv = DataValidation(type="decimal" if spec.kind == MONEY else "whole", operator="greaterThanOrEqual",
                            formula1="0", allow_blank=True, **prompt)
    elif spec.kind == RATE:
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True, **prompt)
    elif spec.kind == POINTS:
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True, **prompt)
    elif spec.kind == YEAR:
        dv = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100",
                            allow_blank=True, **prompt)
    else:
        return None
    dv.showErrorMessage = True
    dv.errorTitle = "输入有误"
    dv.error = "请输入金额（万元，保留2位小数，可为负数）。" if spec.signed else {
        CHOICE: "请从下拉列表中选择。", MONEY: "请输入不小于0的金额（万元，保留2位小数）。",
        COUNT: "请输入不小于0的整数。", RATE: "请输入0%到100%之间的百分比。",
        YEAR: "请输入四位年份。", POINTS: "请输入0到100之间的分数。"}[spec.kind]
    return dv


def input_sheet(wb: Workbook, sheet: str, heading: str, formulas: Mapping[tuple[str, str], str]) -> None:
    """An input sheet; ``formulas``: the program's (its 实时校验 column, 0.9)."""
    ws = wb.create_sheet(sheet)
    title(ws, heading, 4)
    header(ws, 2, ("项目", "填报值", "单位", "说明", "实时校验"))
    specs = display_order([s for s in INPUTS if L.input_sheet_of(s) == sheet])
    cells = L.input_cells()
    for row, spec in enumerate(specs, start=L.INPUT_FIRST_ROW):
        assert cells[spec.name] == (sheet, f"{L.INPUT_COLUMN}{row}")  # one statement of where inputs are
        body(ws.cell(row, 1), spec.name)
        value = as_input(ws.cell(row, 2))
        value.number_format = L.input_format(spec)
        body(ws.cell(row, 3), spec.unit or ("选择" if spec.kind == CHOICE else ""))
        body(ws.cell(row, 4), spec.label)
        dv = _validation(spec)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(value.coordinate)
        define(wb, spec.name, sheet, value.coordinate)
        live = f"{L.LIVE_COLUMN}{row}"
        body(ws[live], formulas.get((sheet, live)), align=WRAP_TOP).font = LIVE_FONT
        for helper in (f"{column}{row}" for column in L.LIVE_HIDDEN_COLUMNS):
            ws[helper].value = formulas.get((sheet, helper))
    widths(ws, dict(zip("ABCDE", (18, 18, 8, 56, 40), strict=True)))
    for column in L.LIVE_HIDDEN_COLUMNS:  # the formulas' steps, not the reader's
        ws.column_dimensions[column].hidden = True
    ws.freeze_panes = "A3"
    if (sheet, L.LIVE_GATE[1]) in formulas:
        ws[L.LIVE_GATE[1]].value = formulas[(sheet, L.LIVE_GATE[1])]
    # the 实时校验 column is for the screen: the printed sheet is the four columns it always was
    ws.print_area = f"A1:D{L.INPUT_FIRST_ROW + len(specs) - 1}"
    finish_sheet(ws)


def report_sheet(wb: Workbook) -> None:
    """报告内容: the texts the evaluation report prints beyond the figures, each a wide,
    wrapped, yellow cell (optional: an empty one shows as 【待填写：…】 in the report)."""
    ws = wb.create_sheet(L.REPORT)
    title(ws, "报告内容（选填：评价报告中的文字部分；一个单元格可写几段，段与段之间按 Alt+Enter 换行；不填的在报告中显示【待填写】）", 3)
    header(ws, 2, ("项目", "内容", "说明"))
    specs = [s for s in INPUTS if s.report]
    cells = L.input_cells()
    for row, spec in enumerate(specs, start=L.INPUT_FIRST_ROW):
        assert cells[spec.name] == (L.REPORT, f"{L.INPUT_COLUMN}{row}")
        body(ws.cell(row, 1), spec.name)
        cell = as_input(ws.cell(row, 2))
        cell.number_format = L.input_format(spec)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if spec.default:
            cell.value = spec.default
        body(ws.cell(row, 3), spec.label)
        if spec.default:  # the prefilled steps show whole; an empty row keeps no fixed height, so
            # Excel and LibreOffice fit it to what the clerk types (a fixed height cut it off)
            ws.row_dimensions[row].height = 16 * min(spec.default.count("\n") + 2, 8)
        define(wb, spec.name, L.REPORT, cell.coordinate)
    widths(ws, {"A": 14, "B": 90, "C": 40})
    ws.freeze_panes = "B3"
    finish_sheet(ws, landscape=True)


def findings_sheet(wb: Workbook, profile: Profile, formulas: Mapping[tuple[str, str], str]) -> None:
    """扣分记录; ``formulas``: the program's (each row's 实时校验 and its hidden helpers, 0.9)."""
    ws = wb.create_sheet(L.FINDINGS)
    # contract: header in row 1 — 指标 | 子项 | 扣分 | 事由 | 佐证材料, then 实时校验 (not printed)
    header(ws, 1, (*FINDINGS_HEADER, "实时校验"))
    names = [ind.name for ind in profile.indicators]
    lists = wb[L.RUBRIC]
    subitems = L.Layout(profile).subitem_choices
    # dropdown sources live on the read-only 指标体系 sheet (column J/K), not in a long literal
    for n, name in enumerate(names, start=3):
        lists.cell(n, 10, name)
    for n, sub in enumerate(subitems, start=3):
        lists.cell(n, 11, sub)
    lists.cell(2, 10, "指标下拉").font = HEADER_FONT
    lists.cell(2, 11, "子项下拉").font = HEADER_FONT
    for letter in "JK":  # dropdown sources: needed by Excel, not by a reader
        lists.column_dimensions[letter].hidden = True
    checks = (
        DataValidation(type="list", formula1=f"'{L.RUBRIC}'!$J$3:$J${2 + len(names)}", allow_blank=True),
        DataValidation(type="list", formula1=f"'{L.RUBRIC}'!$K$3:$K${2 + len(subitems)}", allow_blank=True),
        DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True),
    )
    for dv, letter in zip(checks, "ABC", strict=True):
        dv.showErrorMessage, dv.errorTitle = True, "输入有误"
        dv.error = "请从下拉列表中选择。" if letter != "C" else "扣分应为0到100之间的分数。"
        ws.add_data_validation(dv)
        dv.add(f"{letter}{L.FINDINGS_FIRST}:{letter}{L.FINDINGS_LAST}")
    for row in range(L.FINDINGS_FIRST, L.FINDINGS_LAST + 1):
        for column in range(1, 6):
            as_input(ws.cell(row, column))
        ws.cell(row, 3).number_format = L.FINDINGS_POINTS_FORMAT
        for column in range(L.FINDINGS_HELPERS_FROM - 1, L.FINDINGS_HELPERS_FROM + len(HELPERS) + len(REASON_HELPERS)):
            cell = ws.cell(row, column)
            cell.value = formulas.get((L.FINDINGS, cell.coordinate))
        body(ws[f"{L.FINDINGS_LIVE_COLUMN}{row}"], ws[f"{L.FINDINGS_LIVE_COLUMN}{row}"].value, align=WRAP_TOP).font = LIVE_FONT
    widths(ws, dict(zip("ABCDEF", (26, 8, 8, 48, 36, 40), strict=True)))
    # the formulas' steps: the live checks', then the 评分说明's running joins of 事由
    for column in range(L.FINDINGS_HELPERS_FROM, L.FINDINGS_HELPERS_FROM + len(HELPERS) + len(REASON_HELPERS)):
        ws.column_dimensions[L.col(column)].hidden = True
    ws.freeze_panes = "A2"
    ws.print_area = f"A1:E{L.FINDINGS_LAST}"  # 实时校验 is for the screen
    finish_sheet(ws, landscape=True, title_rows="1:1")


def projects_sheet(wb: Workbook) -> None:
    """项目明细 (0.10): the projects' figures the report's table lists (seed 003 二(三)), in 万元;
    the 合计 is the report's (no formula here: a row added below the prepared ones would be
    outside it)."""
    ws = wb.create_sheet(L.PROJECTS)
    header(ws, 1, (L.PROJECTS_HEADER[0], *(f"{label}（万元）" for label in L.PROJECTS_HEADER[1:])))
    amounts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    amounts.showErrorMessage, amounts.errorTitle = True, "输入有误"
    amounts.error = "金额应为不小于0的数字（单位：万元）。"
    ws.add_data_validation(amounts)
    amounts.add(f"B{L.PROJECTS_FIRST}:D{L.PROJECTS_LAST}")
    for row in range(L.PROJECTS_FIRST, L.PROJECTS_LAST + 1):
        for column in range(1, len(L.PROJECTS_HEADER) + 1):
            cell = as_input(ws.cell(row, column))
            cell.font = BODY_FONT
            if column > 1:
                cell.number_format = L.INPUT_FORMATS[MONEY]
    widths(ws, dict(zip("ABCD", (44, 20, 20, 24), strict=True)))
    ws.freeze_panes = "A2"
    ws.print_area = f"A1:D{L.PROJECTS_LAST}"
    finish_sheet(ws, title_rows="1:1")


def rubric_sheet(wb: Workbook, profile: Profile) -> None:
    ws = wb.create_sheet(L.RUBRIC)
    title(ws, rubric_title(profile), 8)
    header(ws, 2, RUBRIC_COLUMNS)
    for row, ind in enumerate(profile.indicators, start=3):
        for column, value in enumerate(rubric_row(ind), start=1):
            body(ws.cell(row, column), value, align=WRAP_TOP)
    sizes = dict(zip("ABCDEFGH", (6, 8, 10, 18, 6, 36, 60, 30), strict=True))
    widths(ws, sizes)
    for row in range(3, 3 + len(profile.indicators)):
        ws.row_dimensions[row].height = wrapped_height(ws, row, sizes)
    ws.freeze_panes = "A3"
    ws.print_area = f"A1:H{2 + len(profile.indicators)}"
    embed_rubric(ws, profile)
    finish_sheet(ws, landscape=True)


def embed_rubric(ws, profile: Profile) -> None:
    """The rubric itself, hidden beside its printed form (layout.EMBED_*)."""
    col = L.EMBED_COLUMN
    ws[f"{col}1"] = "评分档案数据（程序使用，请勿修改）"
    for cell, value in embedded_cells(profile).items():
        ws[cell].value = value
        ws[cell].data_type = "s"
    ws.column_dimensions[col].hidden = True



def instructions_sheet(wb: Workbook, profile: Profile) -> None:
    ws = wb.active
    ws.title = L.GUIDE
    title(ws, "部门整体支出绩效评价工作簿 填表说明", 2)
    lines = (
        (L.VERSION_NAME, versions.CURRENT),
        (L.PROFILE_NAME, profile.name),
        ("1", "只需填写黄色单元格；其他单元格由公式计算，已锁定（工作表保护，无密码）。"),
        ("2", "金额单位均为万元，保留2位小数；比率按百分比填写（如95.62%）。数字须为数字格式：从其他文件粘贴后成为文本的数字"
              "（单元格左上角有绿色三角）工作簿公式和 preval 都不计算，请转换为数字。追加预算、追减预算、调整剔除数、"
              "上年结转和结余、其他收入没有的可不填（按0计）。"),
        ("3", "“基础信息”填写单位、人员、任务数与满意度；“财务数据”填写预算、决算与采购数据；“项目明细”（选填，"
              "不影响得分）每行一个项目，照决算填写本年实际拨入、本年实际支出和年末结转和结余，评价报告据此列出项目支出明细表。"),
        ("4", "“扣分记录”每行一条扣分：从下拉列表选择指标和子项（①②…，整个指标选“—”；多一个空格公式就统计不到），"
              "填写扣分、事由和佐证材料；右边的“实时校验”列随填写检查这一行（不打印），有错误的行标红、有提示的标橙。"),
        ("5", "“评分表”“汇总”的得分随输入实时计算：装有“绩效评价”加载项时由 PREVAL_* 函数计算；"
              "未安装加载项时（WPS、LibreOffice、Mac 版 Excel、其他电脑）由工作簿中按同一评分标准写成的普通公式计算，"
              "两者结果相同（“指标计算”表“核对”列）。“评分说明”每个指标的计算过程和扣分事由也是公式，随输入和扣分记录实时变化，"
              "文字与 preval score 生成的相同；表头一行说明得分来源。"),
        ("6", guide_grade_line(profile)),  # on row printed_rubric.GUIDE_GRADE_ROW
        ("7", "校验后，“校验结果”表逐条列出问题（点击位置可跳转），有“错误”的输入单元格标红、“提示”标橙；"
              "颜色随校验结果更新，不会改动填写的数值。"),
        ("8", "选填：“评分表”右侧黄色的“部门自报比率”“部门自评得分”两列可照录部门自评报告中的数字，"
              "校验时与计算结果核对（不打印）；“基础信息”的“自评总分”同理。"),
    )
    for row, (key, text) in enumerate(lines, start=3):
        ws.cell(row, 1, key).font = HEADER_FONT
        cell = ws.cell(row, 2, text)
        cell.font, cell.alignment = BODY_FONT, Alignment(wrap_text=True, vertical="top")
    for name, cell in L.GUIDE_CELLS.items():
        define(wb, name, L.GUIDE, cell)
    sizes = {"A": 10, "B": 90}
    widths(ws, sizes)
    for row in range(5, 3 + len(lines)):
        ws.row_dimensions[row].height = wrapped_height(ws, row, sizes)
    finish_sheet(ws)
