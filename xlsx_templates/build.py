"""Build the standard workbook 部门整体支出绩效评价.xlsx from code and a profile.

First slice (issue 4): the input side — 填表说明, 基础信息, 财务数据, 扣分记录 and the
read-only 指标体系 — with every contract name as a workbook-scoped defined name on a
yellow, unlocked, validated cell. Still to come: 指标计算, 评分表, 评分说明, 汇总, 校验结果
with live PREVAL_* formulas (see the issue note).

Run: python -m xlsx_templates.build [OUT.xlsx] [--profile NAME]
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from udfs.contract import CHOICE, COUNT, FINDINGS_HEADER, INPUTS, MONEY, RATE, TEXT, YEAR
from udfs.profile import WHOLE, Profile, load_profile

TEMPLATE_VERSION = "0.1"
FILE_NAME = "部门整体支出绩效评价.xlsx"
INPUT_FILL = PatternFill("solid", start_color="FFFF99", end_color="FFFF99")
HEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="黑体", size=14, bold=True)
BODY_FONT = Font(name="宋体", size=11)
HEADER_FONT = Font(name="黑体", size=11)
FIXED_TIME = datetime(2024, 1, 1)  # fixed document times: two builds give the same content

NUMBER_FORMATS = {MONEY: "#,##0.00", COUNT: "0", RATE: "0.00%", YEAR: "0"}
FINDINGS_ROWS = 200  # 扣分记录 rows prepared with dropdowns and unlocked cells

SHEET_OF_KIND = {MONEY: "财务数据"}  # everything else goes to 基础信息


def _title(ws, text: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = ws.cell(1, 1, text)
    cell.font = TITLE_FONT
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28


def _header(ws, row: int, labels: tuple[str, ...]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row, col, label)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _finish_sheet(ws, landscape: bool = False) -> None:
    """A4 print setup, then sheet protection (every sheet gets both)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = "1:2"
    ws.protection.sheet = True  # no password: protects formulas from slips, not from users


def _validation(spec) -> DataValidation | None:
    prompt = {"showInputMessage": True, "promptTitle": spec.name[:32], "prompt": spec.label[:250]}
    if spec.kind == CHOICE:
        dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True, **prompt)
    elif spec.kind in (MONEY, COUNT):
        dv = DataValidation(type="decimal" if spec.kind == MONEY else "whole", operator="greaterThanOrEqual",
                            formula1="0", allow_blank=True, **prompt)
    elif spec.kind == RATE:
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True, **prompt)
    elif spec.kind == YEAR:
        dv = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100",
                            allow_blank=True, **prompt)
    else:
        return None
    dv.showErrorMessage = True
    dv.errorTitle = "输入有误"
    dv.error = {CHOICE: "请从下拉列表中选择。", MONEY: "请输入不小于0的金额（万元，保留2位小数）。",
                COUNT: "请输入不小于0的整数。", RATE: "请输入0%到100%之间的百分比。",
                YEAR: "请输入四位年份。"}[spec.kind]
    return dv


def _input_sheet(wb: Workbook, title: str, heading: str, specs) -> None:
    ws = wb.create_sheet(title)
    _title(ws, heading, 4)
    _header(ws, 2, ("项目", "填报值", "单位", "说明"))
    for row, spec in enumerate(specs, start=3):
        ws.cell(row, 1, spec.name).font = BODY_FONT
        value = ws.cell(row, 2)
        value.fill, value.border = INPUT_FILL, BORDER
        value.protection = Protection(locked=False)
        value.number_format = NUMBER_FORMATS.get(spec.kind, "@" if spec.kind == TEXT else "General")
        ws.cell(row, 3, spec.unit or ("选择" if spec.kind == CHOICE else "")).font = BODY_FONT
        ws.cell(row, 4, spec.label).font = BODY_FONT
        for col in (1, 3, 4):
            ws.cell(row, col).border = BORDER
        dv = _validation(spec)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(value.coordinate)
        ref = f"'{title}'!${value.column_letter}${row}"
        wb.defined_names[spec.name] = DefinedName(spec.name, attr_text=ref)
    for col, width in zip("ABCD", (18, 18, 8, 56)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    _finish_sheet(ws)


def _findings_sheet(wb: Workbook, profile: Profile) -> None:
    ws = wb.create_sheet("扣分记录")
    # contract: header in row 1 — 指标 | 子项 | 扣分 | 事由 | 佐证材料
    _header(ws, 1, FINDINGS_HEADER)
    names = [ind.name for ind in profile.indicators]
    lists = wb["指标体系"]
    subitems = sorted({p.id for ind in profile.indicators for p in ind.finding_parts}) + [WHOLE]
    # dropdown sources live on the read-only 指标体系 sheet (column J/K), not in a long literal
    for n, name in enumerate(names, start=3):
        lists.cell(n, 10, name)
    for n, sub in enumerate(subitems, start=3):
        lists.cell(n, 11, sub)
    lists.cell(2, 10, "指标下拉").font = HEADER_FONT
    lists.cell(2, 11, "子项下拉").font = HEADER_FONT
    for col in "JK":  # dropdown sources: needed by Excel, not by a reader
        lists.column_dimensions[col].hidden = True
    last = FINDINGS_ROWS + 1
    checks = (
        DataValidation(type="list", formula1=f"'指标体系'!$J$3:$J${2 + len(names)}", allow_blank=True),
        DataValidation(type="list", formula1=f"'指标体系'!$K$3:$K${2 + len(subitems)}", allow_blank=True),
        DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True),
    )
    for dv, col in zip(checks, "ABC"):
        dv.showErrorMessage, dv.errorTitle = True, "输入有误"
        dv.error = "请从下拉列表中选择。" if col != "C" else "扣分应为0到100之间的分数。"
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{last}")
    for row in range(2, last + 1):
        for col in range(1, 6):
            cell = ws.cell(row, col)
            cell.fill, cell.border = INPUT_FILL, BORDER
            cell.protection = Protection(locked=False)
        ws.cell(row, 3).number_format = "0.00"
    for col, width in zip("ABCDE", (26, 8, 8, 48, 36)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    _finish_sheet(ws, landscape=True)
    ws.print_title_rows = "1:1"


def _rubric_sheet(wb: Workbook, profile: Profile) -> None:
    ws = wb.create_sheet("指标体系")
    _title(ws, f"指标体系（只读）：{profile.title}", 8)
    _header(ws, 2, ("序号", "一级指标", "二级指标", "三级指标", "分值", "指标说明", "评分标准", "评价依据"))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, ind in enumerate(profile.indicators, start=3):
        values = (ind.no, ind.level1, ind.level2, ind.name, float(ind.weight), ind.explain, ind.standard, ind.evidence)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.font, cell.border, cell.alignment = BODY_FONT, BORDER, wrap
    widths = dict(zip("ABCDEFGH", (6, 8, 10, 18, 6, 36, 60, 30)))
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    for row in range(3, 3 + len(profile.indicators)):
        ws.row_dimensions[row].height = _wrapped_height(ws, row, widths)
    ws.freeze_panes = "A3"
    ws.print_area = f"A1:H{2 + len(profile.indicators)}"
    _finish_sheet(ws, landscape=True)


def _wrapped_height(ws, row: int, widths: dict[str, float]) -> float:
    """Row height (pt) that shows all wrapped text: neither openpyxl nor LibreOffice sizes
    rows on their own. A CJK character is about 2 width units of a column."""
    lines = 1
    for col, width in widths.items():
        value = ws[f"{col}{row}"].value
        if isinstance(value, str):
            units = sum(2 if ord(ch) > 255 else 1 for ch in value)
            lines = max(lines, -(-units // max(int(width) - 3, 1)))
    return 15.0 * lines


def _instructions_sheet(wb: Workbook, profile: Profile) -> None:
    ws = wb.active
    ws.title = "填表说明"
    _title(ws, "部门整体支出绩效评价工作簿 填表说明", 2)
    lines = (
        ("模板版本", TEMPLATE_VERSION),
        ("评分档案", profile.name),
        ("1", "只需填写黄色单元格；其他单元格由公式计算，已锁定（工作表保护，无密码）。"),
        ("2", "金额单位均为万元，保留2位小数；比率按百分比填写（如95.62%）。"),
        ("3", "“基础信息”填写单位、人员、任务数与满意度；“财务数据”填写预算、决算与采购数据。"),
        ("4", "“扣分记录”每行一条扣分：选择指标和子项（①②…，整个指标选“—”），填写扣分、事由和佐证材料。"),
        ("5", "评分标准见“指标体系”表；评价等级：90分及以上为优，80–90分为良，60–80分为中，60分以下为差。"),
    )
    for row, (key, text) in enumerate(lines, start=3):
        ws.cell(row, 1, key).font = HEADER_FONT
        cell = ws.cell(row, 2, text)
        cell.font, cell.alignment = BODY_FONT, Alignment(wrap_text=True)
    wb.defined_names["模板版本"] = DefinedName("模板版本", attr_text="'填表说明'!$B$3")
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 90
    _finish_sheet(ws)


def build_workbook(profile_name: str | None = None) -> Workbook:
    profile = load_profile(profile_name)
    wb = Workbook()
    _instructions_sheet(wb, profile)
    _input_sheet(wb, "基础信息", "基础信息",
                 [s for s in INPUTS if SHEET_OF_KIND.get(s.kind, "基础信息") == "基础信息"])
    _input_sheet(wb, "财务数据", "财务数据（单位：万元）",
                 [s for s in INPUTS if SHEET_OF_KIND.get(s.kind) == "财务数据"])
    _rubric_sheet(wb, profile)
    _findings_sheet(wb, profile)
    wb.move_sheet("扣分记录", offset=-1)  # inputs first, the read-only rubric last
    wb.properties.creator = "preval"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    return wb


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    profile = None
    if "--profile" in args:
        i = args.index("--profile")
        profile = args[i + 1]
        del args[i:i + 2]
    out = Path(args[0]) if args else Path("out") / FILE_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(profile).save(out)
    print(f"已生成 {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
