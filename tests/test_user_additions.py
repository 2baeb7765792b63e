"""What a user added to the workbook survives `preval score` — or nothing is written."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import LineChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from PIL import Image as PILImage

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.cli import main
from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from tests.support import cells
from udfs import reference_case
from udfs.profile import load_profile


@pytest.fixture()
def decorated(tmp_path):
    wb = build_workbook()
    write_case(OpenpyxlBook(wb), reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS)
    notes = wb.create_sheet("我的备注")
    notes["A1"], notes["A2"], notes["A3"] = "说明", 3, 5
    png = io.BytesIO()
    PILImage.new("RGB", (40, 20), "red").save(png, format="PNG")
    notes.add_image(Image(png), "C1")
    chart = LineChart()
    chart.add_data(Reference(notes, min_col=1, min_row=2, max_row=3))
    notes.add_chart(chart, "C10")
    wb[L.MONEY]["D5"].comment = Comment("与决算报表核对过", "张会计")
    wb[L.MONEY].column_dimensions["D"].width = 70
    path = tmp_path / "mine.xlsx"
    wb.save(path)
    return path


def _parts(path):
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def test_image_chart_sheet_comment_and_width_survive_score(decorated, capsys):
    assert main(["score", str(decorated)]) == 0
    out = decorated.with_name("mine_评分.xlsx")
    parts = _parts(out)
    assert any(n.startswith("xl/media/") for n in parts)
    assert sum(n.startswith("xl/charts/chart") for n in parts) == 2  # 汇总's and the user's
    wb = openpyxl.load_workbook(out)
    assert wb["我的备注"]["A1"].value == "说明" and len(wb["我的备注"]._images) == 1
    assert wb[L.MONEY]["D5"].comment.text == "与决算报表核对过"
    assert wb[L.MONEY].column_dimensions["D"].width == 70


def test_an_embedded_object_is_kept_byte_for_byte(decorated, capsys):
    # issue 15: an openpyxl round trip dropped an embedded object (so scoring used to stop
    # here); the package writer copies every part preval does not own
    with zipfile.ZipFile(decorated, "a") as z:
        z.writestr("xl/embeddings/oleObject1.bin", b"\1" * 64)
    before = decorated.read_bytes()
    assert main(["score", str(decorated)]) == 0
    out = decorated.with_name("mine_评分.xlsx")
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/embeddings/oleObject1.bin") == b"\1" * 64
    assert decorated.read_bytes() == before
    assert not [p for p in decorated.parent.iterdir() if p.name.startswith(".preval-")]


# ---------------------------------------------------------------- issue 15: what openpyxl drops

USER_CONTENT = Path(__file__).parent / "fixtures" / "user-content-v0.7.xlsx"  # made by make_fixtures.py


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    out = tmp_path_factory.mktemp("kept") / "评分.xlsx"
    assert main(["score", str(USER_CONTENT), "-o", str(out)]) == 0
    with zipfile.ZipFile(USER_CONTENT) as z:
        before = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(out) as z:
        after = {n: z.read(n) for n in z.namelist()}
    return before, after, out


def _sheet_part(parts, sheet):
    import re

    from addin.books.workbook_xml import _resolve

    wb = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="([^"]+)"', wb).group(1)
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    return _resolve("xl/workbook.xml", re.search(rf'Target="([^"]+)" Id="{rid}"', rels).group(1))


def test_only_the_parts_preval_owns_change(kept):
    before, after, _ = kept
    # the fixture carries the rubric of its day, which the installed one has changed since: the
    # installed one scores (V407), and its formulas and words go into 评分表 and 指标体系 too;
    # 汇总's formulas get the values they now compute saved beside them
    written = {_sheet_part(before, s) for s in (L.CALC, L.NOTES, L.CHECKS, L.SCORES, L.RUBRIC, L.SUMMARY)} \
        | {"xl/workbook.xml"}
    assert set(after) == set(before)
    assert {n for n in before if before[n] != after[n]} == written


@pytest.mark.parametrize("what", ["text box", "rich text", "sparklines", "x14 data validation", "customXml"])
def test_what_a_user_added_survives_byte_for_byte(kept, what):
    from fixtures.make_fixtures import CUSTOM_XML, RICH_RUNS, SPARKLINE_URI, TEXT_BOX, X14_DV_URI

    before, after, _ = kept
    if what == "text box":
        assert after["xl/drawings/drawing9.xml"] == before["xl/drawings/drawing9.xml"]
        assert TEXT_BOX[0] in after["xl/drawings/drawing9.xml"].decode()
        assert b'r:id="rIdTextBox"' in after[_sheet_part(after, L.BASICS)]
    elif what == "rich text":
        assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
        assert all(run in after["xl/sharedStrings.xml"].decode() for run in RICH_RUNS)
    elif what == "sparklines":  # in 评分说明, a sheet preval writes into
        notes = after[_sheet_part(after, L.NOTES)].decode()
        assert SPARKLINE_URI in notes and notes.count("<x14:sparkline>") == 1
        assert notes.split("<extLst>")[1] == before[_sheet_part(before, L.NOTES)].decode().split("<extLst>")[1]
    elif what == "x14 data validation":  # in 财务数据 (untouched) and 校验结果 (written)
        assert after[_sheet_part(after, L.MONEY)] == before[_sheet_part(before, L.MONEY)]
        checks = after[_sheet_part(after, L.CHECKS)].decode()
        assert X14_DV_URI in checks and checks.split("<extLst>")[1] == \
            before[_sheet_part(before, L.CHECKS)].decode().split("<extLst>")[1]
    else:
        assert after["customXml/item1.xml"] == CUSTOM_XML.encode()
        assert b"../customXml/item1.xml" in after["xl/_rels/workbook.xml.rels"]


def test_the_kept_file_reads_back_with_both_readers(kept):
    from python_calamine import CalamineWorkbook

    _, _, out = kept
    wb = openpyxl.load_workbook(out)
    layout = L.Layout(load_profile())
    assert wb[L.CALC].cell(layout.cache_row("总分"), layout.cached_score).value == 80.39
    assert wb[L.FINDINGS]["D5"].value == "".join(__import__("fixtures.make_fixtures", fromlist=["RICH_RUNS"]).RICH_RUNS)
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(L.CALC).to_python()
    assert grid[layout.cache_row("总分") - 1][layout.cached_score - 1] == 80.39


@pytest.mark.filterwarnings("ignore:.*not supported and will be removed:UserWarning")
def test_an_openpyxl_round_trip_would_have_lost_them(tmp_path):
    # the fixture is worth its name: the old way of saving drops every one of them
    out = tmp_path / "openpyxl.xlsx"
    openpyxl.load_workbook(USER_CONTENT).save(out)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        text = "".join(z.read(n).decode("utf-8", "replace") for n in names if n.endswith(".xml"))
    assert "xl/drawings/drawing9.xml" not in names and "customXml/item1.xml" not in names
    assert "sparklineGroups" not in text and "x14:dataValidations" not in text


# ---------------------------------------------------------------- the 定稿 (the same package, frozen)

def test_a_final_copy_keeps_what_a_user_added_and_drops_only_dropdowns_and_formats(tmp_path, capsys):
    # issue 19: the 定稿 is the package with values for formulas (no openpyxl rewrite), so the
    # text box, rich text, sparklines and customXml arrive; dropdowns (also Excel 2010's
    # x14 ones) and conditional formats are removed by design, every sheet is protected
    from fixtures.make_fixtures import CUSTOM_XML, RICH_RUNS, SPARKLINE_URI, TEXT_BOX, X14_DV_URI

    out = tmp_path / "定稿.xlsx"
    assert main(["finalize", str(USER_CONTENT), "-o", str(out)]) == 0
    with zipfile.ZipFile(USER_CONTENT) as z:
        before = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(out) as z:
        after = {n: z.read(n) for n in z.namelist()}
    assert set(after) == set(before) - {"xl/calcChain.xml"}
    assert after["xl/drawings/drawing9.xml"] == before["xl/drawings/drawing9.xml"]
    assert TEXT_BOX[0] in after["xl/drawings/drawing9.xml"].decode()
    assert all(run in after["xl/sharedStrings.xml"].decode() for run in RICH_RUNS)
    assert after["customXml/item1.xml"] == CUSTOM_XML.encode()
    notes = after[_sheet_part(after, L.NOTES)].decode()
    assert SPARKLINE_URI in notes and notes.count("<x14:sparkline>") == 1
    present = after["xl/workbook.xml"].decode()  # a 0.7 workbook: no 项目明细 (0.10)
    sheets = [after[_sheet_part(after, s)].decode() for s in L.SHEETS if f'name="{s}"' in present]
    assert len(sheets) == len(L.SHEETS) - 1
    assert X14_DV_URI in before[_sheet_part(before, L.CHECKS)].decode()
    assert not any(X14_DV_URI in x or "<dataValidation" in x or "<conditionalFormatting" in x or "<f>" in x
                   or "<f " in x for x in sheets)
    assert all('<sheetProtection sheet="1"' in x for x in sheets)
    wb = openpyxl.load_workbook(out)
    assert all(ws.protection.sheet for ws in wb.worksheets)
    assert wb[L.SCORES][cells.total()].value == 80.39
    assert main(["validate", str(out)]) == 0 and "V405" not in capsys.readouterr().out  # its digest holds


def test_a_final_copy_keeps_rich_text_images_charts_and_comments(decorated, tmp_path, capsys):
    wb = openpyxl.load_workbook(decorated, rich_text=True)
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    wb["我的备注"]["A1"] = CellRichText("说明：", TextBlock(InlineFont(b=True, color="FF0000"), "已核对"))
    wb.save(decorated)
    out = tmp_path / "定稿.xlsx"
    assert main(["finalize", str(decorated), "-o", str(out)]) == 0
    final = openpyxl.load_workbook(out, rich_text=True)
    cell = final["我的备注"]["A1"].value
    assert isinstance(cell, CellRichText) and str(cell) == "说明：已核对" and cell[1].font.b
    assert len(final["我的备注"]._images) == 1 and final[L.MONEY]["D5"].comment.text == "与决算报表核对过"
    assert sum(n.startswith("xl/charts/chart") for n in _parts(out)) == 2
