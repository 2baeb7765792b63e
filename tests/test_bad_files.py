"""Files that are not a usable evaluation workbook (issue 5, "bad files"): each is refused
with one Chinese message and exit code 2, no traceback, nothing written, the original
byte-identical."""

import zipfile

import openpyxl
import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile

from addin.books import file_guard
from addin.cli import main
from tests.support.workbooks import reference_workbook


@pytest.fixture()
def filled(tmp_path):
    return reference_workbook(tmp_path / "参考案例.xlsx")


def _refused(path, capsys, *words):
    before = path.read_bytes()
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("错误：")
    for word in words:
        assert word in err, err
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def _rewrite(src, dst, change):
    """Copy an .xlsx part by part, ``change(name, data) -> data``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))


def test_an_old_xls_is_named_as_such(tmp_path, capsys):
    book = xlwt.Workbook()
    book.add_sheet("基础信息").write(0, 0, "单位名称")
    path = tmp_path / "旧版.xls"
    book.save(str(path))
    _refused(path, capsys, "Excel 97-2003", "另存为")


def test_a_password_protected_xlsx_is_named_as_encrypted(filled, tmp_path, capsys):
    path = tmp_path / "加密.xlsx"
    with open(filled, "rb") as plain, open(path, "wb") as out:
        OOXMLFile(plain).encrypt("123456", out)
    filled.unlink()
    _refused(path, capsys, "打开密码", "清空密码")


def test_an_ole_file_that_is_neither_is_not_called_a_workbook(tmp_path, capsys):
    path = tmp_path / "x.xlsx"
    path.write_bytes(file_guard.OLE_MAGIC + b"\0" * 600)
    _refused(path, capsys, "不是 Excel 工作簿")


def test_a_zip_bomb_is_refused_before_unpacking(filled, tmp_path, capsys):
    # 5 MB of one repeated row deflates to a few KB: a ratio no worksheet written by Excel has
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' \
        + b'<row><c><v>0</v></c></row>' * 200_000 + b"</sheetData></worksheet>"
    path = tmp_path / "bomb.xlsx"
    _rewrite(filled, path, lambda name, data: sheet if name == "xl/worksheets/sheet2.xml" else data)
    filled.unlink()
    _refused(path, capsys, "压缩炸弹")


def test_a_workbook_too_large_unpacked_is_refused(filled, tmp_path, capsys, monkeypatch):
    # a real sheet of 30,000 rows is a few MB; the limit is lowered so the test stays small
    wb = openpyxl.load_workbook(filled)
    ws = wb.create_sheet("明细")
    for n in range(30_000):
        ws.append([n, f"凭证{n}", n * 1.5, "办公费"])
    path = tmp_path / "large.xlsx"
    wb.save(path)
    filled.unlink()
    monkeypatch.setattr(file_guard, "MAX_PART", 2**20)
    _refused(path, capsys, "解压后过大")


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')


def test_an_xml_entity_declaration_is_refused(filled, tmp_path, capsys):
    path = tmp_path / "entity.xlsx"

    def change(name, data):
        if name == "xl/workbook.xml":
            return BILLION_LAUGHS + data.split(b"?>", 1)[-1]
        return data
    _rewrite(filled, path, change)
    filled.unlink()
    _refused(path, capsys, "XML 实体")


def test_a_truncated_file_is_called_truncated(filled, capsys):
    # issue 31: it was called "不是 Excel 工作簿（.xlsx）", which sends the user to another file
    filled.write_bytes(filled.read_bytes()[:5000])
    _refused(filled, capsys, "不完整", "被截断")


def test_a_merged_input_cell_is_a_changed_layout(filled, capsys):
    wb = openpyxl.load_workbook(filled)
    (sheet, ref), = wb.defined_names["全年预算"].destinations
    cell = wb[sheet][ref.replace("$", "")]
    wb[sheet].merge_cells(start_row=cell.row, start_column=cell.column,
                          end_row=cell.row, end_column=cell.column + 1)
    wb.save(filled)
    _refused(filled, capsys, f"{sheet}!{cell.coordinate}", "合并")


def test_the_guard_passes_a_workbook_a_user_really_has(filled):
    # the standard workbook with its chart: nothing above is triggered by a normal file
    file_guard.check_package(filled)
    with zipfile.ZipFile(filled) as z:
        assert any(n.startswith("xl/charts/") for n in z.namelist())
        assert max(i.file_size for i in z.infolist()) < file_guard.MAX_PART
