"""The 绩效评价 ribbon (issue 7), checked without Excel: the ribbon XML and the VBA callbacks
agree, every RunPython target exists, and a fake of xlwings' Book/Sheet/Range drives 校验 and
计算评分 end to end on the reference case (reference-case.md)."""

import re
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin import ribbon
from addin.excel import ribbon as ribbon_impl
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.live_notes import note_cells
from tests.support import cells
from tests.support.expected import EXPECTED, GRADE, TOTAL
from tests.support.fake_xlwings import FakeBook
from tests.support.workbook_eval import WorkbookFormulas
from tests.support.workbooks import reference_workbook
from udfs import reference_case
from udfs.contract import NAMES
from udfs.profile import load_profile

VBA = Path(ribbon_impl.__file__).parent / "vba"
CUSTOM_UI = "{http://schemas.microsoft.com/office/2009/07/customui}"


def test_ribbon_xml_is_well_formed_with_unique_ids_and_the_nine_buttons():
    root = ET.parse(VBA / "customUI14.xml").getroot()
    assert root.tag == f"{CUSTOM_UI}customUI"
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    (tab,) = root.iter(f"{CUSTOM_UI}tab")
    assert tab.get("label") == "绩效评价"
    labels = [b.get("label") for b in root.iter(f"{CUSTOM_UI}button")]
    assert labels == ["校验", "计算评分", "导入决算", "生成报告", "自评报告", "导出定稿", "设置", "帮助",
                      "重启 Python"]  # 自评: issue 18; 导入决算: issue 29
    for button in root.iter(f"{CUSTOM_UI}button"):
        assert button.get("imageMso") and button.get("screentip") and len(button.get("supertip")) < 1024


def test_every_on_action_has_a_callback_sub_and_every_target_is_callable():
    root = ET.parse(VBA / "customUI14.xml").getroot()
    actions = {b.get("onAction") for b in root.iter(f"{CUSTOM_UI}button")}
    bas = (VBA / "preval_ribbon.bas").read_text(encoding="utf-8")
    subs = dict(re.findall(r'Public Sub (\w+)\(control As IRibbonControl\)\s+CallPreval "(\w+)"', bas))
    assert set(subs) | {"PrevalRestart"} == actions  # 重启 Python is VBA's own: no Python to call
    assert re.search(r"Public Sub PrevalRestart\(control As IRibbonControl\).*?KillPy.*?XLPy.*?End Sub", bas, re.S)
    assert 'RunPython "import addin.ribbon; addin.ribbon." & action & "()"' in bas
    for target in subs.values():
        assert callable(getattr(ribbon, target)), target


def _inputs(wb):
    out = {}
    for name in NAMES:
        (sheet, ref), = wb.defined_names[name].destinations
        out[name] = wb[sheet][ref.replace("$", "")].value
    return out


@pytest.fixture()
def book(tmp_path):
    path = reference_workbook(tmp_path / "参考案例.xlsx")
    return FakeBook(openpyxl.load_workbook(path), path)


def test_score_fills_the_reference_scores_and_leaves_inputs_and_protection(book):
    before = _inputs(book.wb)
    ribbon.score(book)
    (message, mode), = book.app.alerts
    assert mode == "info" and f"总分 {TOTAL} 分" in message and GRADE in message
    layout = L.Layout(load_profile())
    calc = book.wb[L.CALC]
    for no, name, _w, _r, score in EXPECTED:
        assert Decimal(str(calc.cell(L.row_of(no), layout.cached_score).value)) == Decimal(score), name
    assert f"{calc.cell(layout.cache_row('总分'), layout.cached_score).value:.2f}" == TOTAL
    # the 评分说明 are the template's live formulas (0.11), left for Excel to compute: 预算调整率's reads 30.45%
    basis = (L.NOTES, cells.basis(8))
    assert book.wb[basis[0]][basis[1]].value == note_cells(load_profile(), versions.CURRENT)[basis]
    scored = Path(book.fullname).with_name("scored.xlsx")
    book.wb.save(scored)
    live = WorkbookFormulas(scored)
    live.load({}, reference_case.RAW_FINDINGS)
    assert "=30.45%，大于10%不得分" in live.evaluate([basis])[basis]
    assert book.wb[L.CHECKS]["A4"].value == "V306"
    assert book.wb[L.CHECKS]["C4"].hyperlink.location == "'扣分记录'!C11"
    assert _inputs(book.wb) == before
    assert all(ws.protection.sheet for ws in book.wb.worksheets)  # protected again
    assert book.app.status_bar is False and len(book.app.status_history) > 2
    assert book.active == L.SCORES


def test_validate_lists_an_error_and_does_not_score(tmp_path):
    path = reference_workbook(tmp_path / "错.xlsx", 全年预算="两千万")
    book = FakeBook(openpyxl.load_workbook(path), path)
    ribbon.validate(book)
    (message, mode), = book.app.alerts
    assert mode == "critical" and "1 个错误" in message
    checks = book.wb[L.CHECKS]
    assert (checks["A4"].value, checks["B4"].value) == ("V102", "错误")
    assert checks["C4"].hyperlink is not None
    layout = L.Layout(load_profile())
    assert book.wb[L.CALC].cell(L.row_of(1), layout.cached_score).value == "未计算"
    assert book.active == L.CHECKS and book.app.status_bar is False


def test_an_unexpected_error_is_one_chinese_message_and_a_log_entry(book, monkeypatch, tmp_path):
    log = tmp_path / "udf.log"
    monkeypatch.setenv("PREVAL_LOG", str(log))

    def broken(_book):
        raise ZeroDivisionError("boom")
    monkeypatch.setattr("addin.scoring.assess", broken)
    ribbon.score(book)  # must not raise
    (message, mode), = book.app.alerts
    assert mode == "critical" and "程序内部出错" in message and "Traceback" not in message
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert book.app.status_bar is False
    assert all(ws.protection.sheet for ws in book.wb.worksheets)


def test_report_is_written_beside_the_workbook(book, tmp_path):
    ribbon.report(book)
    (message, mode), = book.app.alerts
    assert mode == "info" and (tmp_path / "参考案例_评价报告.docx").exists()


def test_the_self_evaluation_report_button_writes_the_自评报告(book, tmp_path):
    from docx import Document

    ribbon.self_report(book)
    (message, mode), = book.app.alerts
    out = tmp_path / "参考案例_自评报告.docx"
    assert mode == "info" and "已生成自评报告" in message and out.exists()
    assert Document(str(out)).paragraphs[0].text.endswith("年度部门整体支出绩效自评报告")


def test_help_opens_the_instructions_and_writes_the_rules_beside_the_log(book, monkeypatch, tmp_path):
    monkeypatch.setenv("PREVAL_LOG", str(tmp_path / "logs" / "udf.log"))
    ribbon.help(book)
    (message, mode), = book.app.alerts
    rules = tmp_path / "logs" / "校验规则.txt"
    assert mode == "info" and str(rules) in message and book.active == "填表说明"
    raw = rules.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Notepad needs the BOM for Chinese
    text = raw.decode("utf-8-sig")
    # two rules as docs/checks.md states them
    assert "| V101 | 错误 | 必填项为空 |" in text and "| V202 | 提示 |" in text


def test_no_workbook_to_call_from_is_logged_not_raised(monkeypatch, tmp_path):
    log = tmp_path / "udf.log"
    monkeypatch.setenv("PREVAL_LOG", str(log))

    def no_caller():
        raise RuntimeError("Book.caller() failed")
    monkeypatch.setattr(ribbon_impl, "_caller", no_caller)
    ribbon.score()  # must not raise: RunPython would show the traceback
    assert "Book.caller() failed" in log.read_text(encoding="utf-8")


def test_score_reads_and_writes_by_block(book):
    # issue 14: one 计算评分 cost ~940 reads and 151 writes through COM, one per cell. Now a
    # sheet is read in one go and writes go in runs: the bounds leave room, not slack
    # (counted here: ~200 calls, 30 writes; names and merged-cell probes are the rest). Issues
    # 17/18 added 28 optional names (a name lookup and a merged probe each, ~3 calls) and the
    # embedded rubric (~6 reads): counted 295. Issue 24 checks what the reader sees: each
    # sheet's visibility and its own names (2 a sheet), the result names on 汇总, the number
    # formats of the inputs and 扣分 by runs of cells expected alike: counted 343. Template 0.8
    # added 16 optional names (~3 calls each): counted 399. V508 reads the formats of the results
    # on 评分表, 评分说明 and 汇总 by runs of cells: counted 457.
    ribbon.score(book)
    (message, mode), = book.app.alerts
    assert mode == "info"
    assert book.com_calls <= 470 and book.com_writes <= 40, (book.com_calls, book.com_writes)


def test_the_fill_leaves_excel_as_it_found_it(book):
    before = {ws.title: (ws.protection.objects, ws.protection.scenarios, ws.protection.formatCells)
              for ws in book.wb.worksheets}
    ribbon.score(book)
    assert book.app.screen_updating is True and book.app.calculation == "automatic"
    after = {ws.title: (ws.protection.objects, ws.protection.scenarios, ws.protection.formatCells)
             for ws in book.wb.worksheets}
    assert after == before  # each sheet protected again with its own flags (汇总's chart stays free)
    assert all(ws.protection.sheet for ws in book.wb.worksheets)


FINAL_ACCOUNTS = Path(__file__).parent / "fixtures" / "final_accounts"


def test_import_final_accounts_writes_and_opens_a_copy_and_leaves_the_open_workbook(tmp_path):
    path = reference_workbook(tmp_path / "参考案例.xlsx", 预算执行数=None, 结转结余=None)
    book = FakeBook(openpyxl.load_workbook(path), path)
    before = _inputs(book.wb)
    book.app.api.chosen = (str(FINAL_ACCOUNTS / "hunan-2023.html"),)
    ribbon.import_final_accounts(book)
    (message, mode), = book.app.alerts
    out = tmp_path / "参考案例_导入.xlsx"
    assert book.app.books.opened == [str(out)]
    sys.path.insert(0, str(FINAL_ACCOUNTS))
    from make import EXPECTED as PRINTED
    from make import NARRATIVE_EXPECTED, UNIT

    printed = dict(PRINTED, **NARRATIVE_EXPECTED)  # amounts; the titles' name and year below
    blank = {k for k in printed if k in before and before[k] is None}  # what the copy may receive
    assert {"预算执行数", "结转结余"} <= blank
    assert f"已从决算导入 {len(blank)} 项" in message and "参考案例_导入.xlsx" in message
    kept = message.split("未覆盖：")[1].split("（")[0].split("、")
    differing = {k for k in printed if before.get(k) is not None and Decimal(str(before[k])) != Decimal(printed[k])}
    assert before["单位名称"] != UNIT and before["评价年度"] != 2023  # the reference case's own, typed: kept
    assert set(kept) == differing | {"单位名称", "评价年度"}
    assert _inputs(book.wb) == before  # the open workbook: not a cell changed
    written = _inputs(openpyxl.load_workbook(out))
    assert all(Decimal(str(written[k])) == Decimal(printed[k]) for k in blank)
    assert mode == "info"  # the fixture's 决算 agrees with itself


def test_import_final_accounts_cancelled_changes_nothing(book):
    book.app.api.chosen = False
    ribbon.import_final_accounts(book)
    (message, _), = book.app.alerts
    assert message == "未选择文件，未做任何修改。" and book.app.books.opened == []
