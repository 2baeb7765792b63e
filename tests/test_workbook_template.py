"""The standard workbook as built: the committed copy is what the code builds, every
formula cell is locked, every sheet is protected and set up for A4."""

import openpyxl
import pytest

from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from udfs.profile import load_profile
from xlsx_templates.build import COMMITTED

IND = load_profile("shaoyang-2022").indicators


def _content(wb):
    """Everything a user or a formula depends on, cell by cell (not the zip's bytes,
    whose timestamps differ between two saves)."""
    cells = []
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None or c.has_style:
                    cells.append((ws.title, c.coordinate, c.value, c.number_format, c.protection.locked,
                                  c.fill.fgColor.rgb if c.fill and c.fill.fill_type else None))
        cells.append((ws.title, "merged", sorted(str(r) for r in ws.merged_cells.ranges)))
        cells.append((ws.title, "validations", sorted((dv.type, str(dv.sqref), dv.formula1)
                                                      for dv in ws.data_validations.dataValidation)))
        cells.append((ws.title, "setup", ws.protection.sheet, ws.page_setup.paperSize, ws.print_area,
                      sorted((k, v.width) for k, v in ws.column_dimensions.items())))
    names = sorted((n, d.attr_text) for n, d in wb.defined_names.items())
    return wb.sheetnames, names, cells


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "built.xlsx"
    build_workbook().save(path)
    return openpyxl.load_workbook(path)


def test_committed_workbook_is_the_build(book):
    assert COMMITTED.exists(), "run: python -m xlsx_templates.build"
    assert _content(openpyxl.load_workbook(COMMITTED)) == _content(book), \
        "the committed workbook is out of date: python -m xlsx_templates.build"


def test_sheets_in_reading_order(book):
    assert book.sheetnames == list(L.SHEETS)


def test_every_formula_cell_is_locked_and_every_sheet_protected(book):
    formulas = 0
    for ws in book:
        assert ws.protection.sheet, ws.title
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, ws.title
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    formulas += 1
                    assert c.protection.locked, f"{ws.title}!{c.coordinate}"
    assert formulas > 300


def test_every_score_is_a_live_preval_formula_with_a_fallback(book):
    ws = book[L.SCORES]
    for no in range(1, 29):
        formula = ws[f"G{L.row_of(no)}"].value
        assert formula.startswith(("=IFERROR(PREVAL_SCORE(", "=IFERROR(PREVAL_DEDUCT(")), no
    # the fallback is the rubric as ordinary formulas (公式计算·取值一 of the same row, issue 16)
    layout = L.Layout(load_profile(None))
    assert L.col(layout.native_value1) == "V"
    assert book[L.CALC][f"E{L.row_of(8)}"].value == \
        "=IFERROR(PREVAL_ADJUSTRATE(追加预算+追减预算+上年结转+其他收入-调整剔除数,全年预算-调整剔除数),'指标计算'!$V$11)"
    assert book[L.SCORES][f"G{L.row_of(8)}"].value.endswith(",'指标计算'!$Y$11)")


def test_score_sheet_merges_first_and_second_level_like_annex_1(book):
    merged = {str(r) for r in book[L.SCORES].merged_cells.ranges}
    # 投入 = indicators 1–6, 目标设定 = 1–2, 预算执行 = 7–12
    # 一级 within each 二级 group (issue 18: every printed page shows its labels)
    assert f"A{L.row_of(1)}:A{L.row_of(2)}" in merged and f"A{L.row_of(3)}:A{L.row_of(6)}" in merged
    assert f"A{L.row_of(1)}:A{L.row_of(6)}" not in merged
    assert f"B{L.row_of(1)}:B{L.row_of(2)}" in merged
    assert f"B{L.row_of(7)}:B{L.row_of(12)}" in merged


def test_the_printed_score_sheet_is_annex_1_without_the_status_line(book):
    ws = book[L.SCORES]
    assert ws.print_area.endswith("$A$3:$G$33") and ws.print_title_rows == "$3:$3"  # row 2 (status) off
    assert "附件1" in ws.oddHeader.center.text
    # a page break only between 二级 groups: the row after a break starts a group
    starts = {L.row_of(1)} | {L.row_of(n) for n in range(2, 29)
                              if (IND[n - 1].level1, IND[n - 1].level2) != (IND[n - 2].level1, IND[n - 2].level2)}
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks and all(b + 1 in starts for b in breaks)


def test_summary_has_a_chart(tmp_path):
    path = tmp_path / "c.xlsx"
    build_workbook().save(path)
    import xml.etree.ElementTree as ET
    import zipfile

    with zipfile.ZipFile(path) as z:
        (name,) = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        root = ET.fromstring(z.read(name))
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    series = list(root.iter(f"{c}ser"))
    assert len(series) == 2  # 满分, 得分
    # values only on the 得分 bars: side-by-side labels overlapped (效果 17.00 / 16.65)
    assert series[0].find(f"{c}dLbls") is None
    assert series[1].find(f"{c}dLbls/{c}showVal").get("val") == "1"
