"""Build the standard workbook 部门整体支出绩效评价.xlsx from code and a profile.

Deterministic: two builds give the same cells, names and styles (document times are fixed).
``xlsx_templates/build.py`` writes the committed copy; ``preval new`` writes a fresh one.
"""

from __future__ import annotations

from datetime import datetime

from openpyxl import Workbook

from addin.workbook import layout as L
from addin.workbook.formulas import formula_cells
from addin.workbook.highlight import add_highlights, add_live_highlights
from addin.workbook.input_sheets import (
    findings_sheet,
    input_sheet,
    instructions_sheet,
    projects_sheet,
    report_sheet,
    rubric_sheet,
)
from addin.workbook.output_sheets import calc_sheet, checks_sheet, notes_sheet, scores_sheet, summary_sheet
from udfs.profile import Profile, load_profile

FIXED_TIME = datetime(2024, 1, 1)  # fixed document times: two builds give the same content


def build_workbook(profile_name: str | None = None) -> Workbook:
    return build_workbook_for(load_profile(profile_name))


def build_workbook_for(profile: Profile) -> Workbook:
    layout = L.Layout(profile)
    cells = formula_cells(profile)  # every program formula, where it stands: stated once
    wb = Workbook()
    instructions_sheet(wb, profile)
    input_sheet(wb, L.BASICS, "基础信息", cells)
    input_sheet(wb, L.MONEY, "财务数据（单位：万元）", cells)
    rubric_sheet(wb, profile)  # first: 扣分记录's dropdowns are sourced from it
    findings_sheet(wb, profile, cells)
    projects_sheet(wb)
    report_sheet(wb)
    calc_sheet(wb, profile, layout, cells)
    scores_sheet(wb, profile, layout, cells)
    notes_sheet(wb, profile, layout, cells)
    summary_sheet(wb, profile, layout, cells)
    checks_sheet(wb, cells)
    add_highlights(wb, profile)
    add_live_highlights(wb)
    wb._sheets = [wb[name] for name in L.SHEETS]  # the order users read them in
    wb.active = wb.sheetnames.index(L.GUIDE)
    wb.calculation.fullCalcOnLoad = True  # Excel with the add-in recomputes on open
    wb.properties.creator = "preval"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    return wb
