"""The standard workbook as built: the committed copy is what the code builds, every
formula cell is locked, every sheet is protected and set up for A4."""

import openpyxl
import pytest

from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from tests.support import cells
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
        formula = ws[cells.score(no)].value
        assert formula.startswith(("=IFERROR(PREVAL_SCORE(", "=IFERROR(PREVAL_DEDUCT(")), no
    # the fallback is the rubric as ordinary formulas (公式计算·取值一 of the same row, issue 16)
    layout = L.Layout(load_profile(None))
    assert L.col(layout.native_value1) == "V"
    assert book[L.CALC][cells.value1(8)].value == \
        "=IFERROR(PREVAL_ADJUSTRATE(追加预算+追减预算+上年结转+其他收入-调整剔除数,全年预算-调整剔除数),'指标计算'!$V$11)"
    assert book[L.SCORES][cells.score(8)].value.endswith(",'指标计算'!$Y$11)")


def test_score_sheet_has_annex_1s_eight_columns(book):
    # the seed's 附件1 header: 一级指标 二级指标 三级指标 分值 指标说明 评分标准 评价依据 评分
    ws = book[L.SCORES]
    assert [ws.cell(3, c).value for c in range(1, 9)] == [
        "一级指标", "二级指标", "三级指标", "分值", "指标说明", "评分标准", "评价依据", "得分"]
    # 附件1 of the seed, 预算调整率: "部门（单位）本年度预算调整数与预算数的比率 …"
    assert ws[f"E{L.row_of(8)}"].value.startswith("部门（单位）本年度预算调整数与预算数的比率")
    assert ws[f"F{L.row_of(8)}"].value.startswith("预算调整率=（预算调整数/预算数）×100%")


def _merged_runs(ws, column: str) -> list[tuple[int, int]]:
    """(first, last) rows of the label cells in ``column``: merged ranges, or single rows."""
    merged = {r.min_row: r.max_row for r in ws.merged_cells.ranges if r.min_col == r.max_col == ord(column) - 64}
    runs, row = [], L.row_of(1)
    while row <= L.row_of(28):
        last = merged.get(row, row)
        runs.append((row, last))
        row = last + 1
    return runs


def test_score_sheet_labels_every_row_and_every_printed_page(book):
    ws = book[L.SCORES]
    # 一级 within each 二级 group, never over two groups: 目标设定 = 1–2; 预算配置 = 3–6 starts on
    # the first page's free half and goes on, labelled again, on the second
    runs = _merged_runs(ws, "A")
    assert (L.row_of(1), L.row_of(2)) in runs and (L.row_of(3), L.row_of(4)) in runs and (L.row_of(5), L.row_of(6)) in runs
    assert _merged_runs(ws, "B") == runs
    for first, last in runs:  # one 二级 group per run, its labels in its first cell
        group = {(IND[r - L.FIRST_ROW].level1, IND[r - L.FIRST_ROW].level2) for r in range(first, last + 1)}
        assert group == {(ws[f"A{first}"].value, ws[f"B{first}"].value)}, (first, last)
    # a page break never cuts a run: each printed page starts with a labelled row
    breaks = [b.id for b in ws.row_breaks.brk]
    starts = {first for first, _ in runs}
    assert breaks and all(b + 1 in starts for b in breaks)


def test_every_printed_page_of_the_score_sheet_names_the_unit_and_year(book):
    # issue 28, item 5: the print area began at row 3, so printouts of two departments could not
    # be told apart; the title (unit and year, a formula), the status line and the header repeat
    ws = book[L.SCORES]
    assert ws.print_area.endswith("$A$1:$H$33") and ws.print_title_rows == "$1:$3"
    assert "单位名称" in ws["A1"].value and "评价年度" in ws["A1"].value
    assert ws.oddHeader.left.text == "附件1" and "&P" in ws.oddFooter.center.text
    assert ws.page_setup.orientation == "landscape"
    # no printed page holds more rows than fit: 595 pt less margins, the title, status and header rows
    breaks = [b.id for b in ws.row_breaks.brk] + [L.row_of(28) + 2]
    first = L.row_of(1)
    margins = (ws.page_margins.top + ws.page_margins.bottom) * 72
    repeated = sum(ws.row_dimensions[r].height or 15 for r in (1, 2)) + 20
    for last in breaks:
        height = sum(ws.row_dimensions[r].height or 15 for r in range(first, last + 1))
        assert height + margins + repeated <= 595, (first, last, height)
        first = last + 1
    # no page left mostly empty: a group that does not fit fills the rest of a page more than a
    # third free (the reference rubric's 附件1 took 9 pages, some of one group of two rows)
    assert len(breaks) <= 7
    # 合计's 分值 (100.00) fits its column: 5 characters of Excel's width unit showed ###
    assert ws.column_dimensions["D"].width >= len("100.00")


def test_titles_shrink_to_their_width_rather_than_being_cut(book):
    # 汇总's title is 4 columns wide: "阳县行政审批服务局2023年度部门整体支出绩效评价汇" was cut at both ends
    for sheet in (L.SCORES, L.NOTES, L.SUMMARY, L.GUIDE, L.REPORT):
        assert book[sheet]["A1"].alignment.shrink_to_fit, sheet


def test_report_text_rows_fit_what_is_typed(book):
    # issue 28, item 5: a fixed 32 pt row cut off a text of several paragraphs in Excel
    ws = book[L.REPORT]
    rows = {ws.cell(r, 1).value: r for r in range(L.INPUT_FIRST_ROW, ws.max_row + 1)}
    assert ws.row_dimensions[rows["问题及原因分析"]].customHeight is not True
    assert ws.row_dimensions[rows["评价工作情况"]].height >= 16 * 7  # the prefilled steps show whole
    assert "Alt+Enter" in ws["A1"].value


def test_the_group_taller_than_a_page_is_cut_with_its_labels_on_both_pages(book):
    # 预算执行 (indicators 7–12) is taller than a landscape page in Excel's 宋体: two runs,
    # each with 过程 and 预算执行
    runs = [(a, b) for a, b in _merged_runs(book[L.SCORES], "B") if L.row_of(7) <= a <= L.row_of(12)]
    assert len(runs) == 2 and runs[0][0] == L.row_of(7) and runs[-1][1] == L.row_of(12)
    for first, _ in runs:
        assert (book[L.SCORES][f"A{first}"].value, book[L.SCORES][f"B{first}"].value) == ("过程", "预算执行")


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
