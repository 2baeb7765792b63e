"""What a user added to the workbook survives `preval score` — or nothing is written."""

import io
import zipfile

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
from udfs import reference_case


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


def test_a_part_that_would_be_lost_stops_the_write(decorated, capsys):
    # an embedded object openpyxl does not carry over
    with zipfile.ZipFile(decorated, "a") as z:
        z.writestr("xl/embeddings/oleObject1.bin", b"\0" * 64)
    before = decorated.read_bytes()
    assert main(["score", str(decorated)]) == 2
    err = capsys.readouterr().err
    assert "嵌入对象" in err and "未写入任何文件" in err
    assert not decorated.with_name("mine_评分.xlsx").exists()
    assert decorated.read_bytes() == before
    assert not [p for p in decorated.parent.iterdir() if p.name.startswith(".preval-")]
