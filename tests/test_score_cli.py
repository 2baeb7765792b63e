"""`preval new / validate / score` on real files: the contract of design.md."""

import hashlib
import json

import openpyxl
import pytest

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.cli import main
from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from tests.support import cells
from tests.support.expected import EXPECTED, GRADE, SECTIONS, TOTAL
from tests.support.workbooks import reference_workbook
from udfs import reference_case
from udfs.contract import NAMES
from udfs.profile import load_profile


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def filled(tmp_path):
    return reference_workbook(tmp_path / "参考案例.xlsx")


def _inputs(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for name in NAMES:
        (sheet, ref), = wb.defined_names[name].destinations
        out[name] = wb[sheet][ref.replace("$", "")].value
    out["扣分记录"] = [tuple(r) for r in wb[L.FINDINGS].iter_rows(min_row=1, max_row=L.FINDINGS_LAST,
                                                                 max_col=5, values_only=True)]
    return out


def test_score_json_gives_the_reference_case(filled, capsys):
    assert main(["score", str(filled), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(i["no"], i["name"], i["score"]) for i in data["indicators"]] == \
        [(no, name, float(score)) for no, name, _, _, score in EXPECTED]
    assert data["sections"] == {k: float(v) for k, v in SECTIONS.items()}
    assert (data["total"], data["grade"]) == (float(TOTAL), GRADE)
    assert (data["unit"], data["year"], data["profile"]) == ("邵阳市信访局", 2022, "shaoyang-2022")
    # reference-case.md: 固定资产保管和使用情况 ① is all-or-nothing (1 point) in the rubric, the
    # evaluators deducted 0.5 — accepted, and flagged as the one 提示 (扣分记录 row 11)
    assert [(f["id"], f["severity"], f["sheet"], f["cell"]) for f in data["findings"]] == \
        [("V306", "提示", "扣分记录", "C11")]


def test_score_writes_a_copy_and_leaves_the_original_and_its_inputs_alone(filled, capsys):
    before, inputs = _digest(filled), _inputs(filled)
    assert main(["score", str(filled)]) == 0
    out = filled.with_name("参考案例_评分.xlsx")
    assert "已写入" in capsys.readouterr().out and out.exists()
    assert _digest(filled) == before
    assert _inputs(out) == inputs
    wb = openpyxl.load_workbook(out)
    # the 评分说明 are live formulas (template 0.11) with the text score saved beside them
    assert wb[L.NOTES][cells.basis(8)].value.startswith("=IF(")
    notes = openpyxl.load_workbook(out, data_only=True)[L.NOTES]
    assert "30.45%" in notes[cells.basis(8)].value and "不得分" in notes[cells.basis(8)].value
    assert "电子卖场" in notes[cells.reasons(12)].value
    # the live formulas are still there; the grey cache holds the score
    assert wb[L.SCORES][cells.score(8)].value.startswith("=IFERROR(PREVAL_SCORE(")
    cached = L.Layout(load_profile(None)).cached_score
    assert wb[L.CALC][f"{L.col(cached)}{L.row_of(5)}"].value == 1.54
    checks = wb[L.CHECKS]
    assert (checks[f"A{L.FIRST_ROW}"].value, checks[f"C{L.FIRST_ROW}"].value) == ("V306", "扣分记录!C11")
    assert checks[f"C{L.FIRST_ROW}"].hyperlink.location == "'扣分记录'!C11"
    assert checks[f"A{L.FIRST_ROW + 1}"].value is None


def test_scoring_again_keeps_the_previous_result_as_bak(filled, capsys):
    assert main(["score", str(filled)]) == 0
    assert main(["score", str(filled)]) == 0
    assert filled.with_name("参考案例_评分.xlsx.bak").exists()


def test_score_refuses_to_overwrite_its_source(filled, capsys):
    assert main(["score", str(filled), "-o", str(filled)]) == 2
    assert "就是输入文件 参考案例.xlsx，不能覆盖" in capsys.readouterr().err


def test_validation_errors_exit_1_name_the_cell_and_write_nothing(tmp_path, capsys):
    wb = build_workbook()
    raw = dict(reference_case.RAW_INPUTS, 全年预算="2160.62万元", 编制数=None)
    write_case(OpenpyxlBook(wb), raw, [("不存在的指标", "①", 1, "x", "")])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    assert main(["score", str(path)]) == 1
    err = capsys.readouterr().err
    assert "财务数据!B" in err and "全年预算" in err and "V102" in err
    assert "V101" in err and "编制数" in err
    assert "V301" in err and "扣分记录!A2" in err
    assert "Traceback" not in err
    assert not (tmp_path / "bad_评分.xlsx").exists()


def test_validate_json_contract(tmp_path, capsys):
    wb = build_workbook()
    write_case(OpenpyxlBook(wb), dict(reference_case.RAW_INPUTS, 问卷份数=-3), [])
    path = tmp_path / "v.xlsx"
    wb.save(path)
    before = _digest(path)
    assert main(["validate", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 1 and data["hints"] == 0
    (finding,) = data["findings"]
    assert set(finding) == {"id", "severity", "sheet", "cell", "name", "message", "expected", "found"}
    assert (finding["id"], finding["severity"], finding["name"], finding["found"]) == ("V104", "错误", "问卷份数", "-3")
    assert _digest(path) == before


@pytest.mark.parametrize("content,words", [
    (b"not a workbook at all", "不是 Excel 工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "其他 Office 文件"),
])
def test_unusable_files_exit_2_with_one_message(tmp_path, capsys, content, words):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert path.read_bytes() == content


def test_a_workbook_from_another_template_exits_2(tmp_path, capsys):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    assert main(["score", str(path)]) == 2
    assert "不是标准评价工作簿" in capsys.readouterr().err


def test_a_deleted_sheet_exits_2(filled, capsys):
    wb = openpyxl.load_workbook(filled)
    del wb[L.FINDINGS]
    wb.save(filled)
    assert main(["score", str(filled)]) == 2
    assert "缺少工作表：扣分记录" in capsys.readouterr().err


def test_new_writes_a_blank_workbook_and_never_overwrites(tmp_path, capsys):
    path = tmp_path / "新.xlsx"
    assert main(["new", str(path), "--profile", "hunan-nianchu"]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(L.SHEETS)
    (sheet, ref), = wb.defined_names[L.PROFILE_NAME].destinations
    assert wb[sheet][ref.replace("$", "")].value == "hunan-nianchu"
    # the variant's 预算调整率 divides by 年初预算: the cell formula follows the profile
    assert "PREVAL_ADJUSTRATE(追加预算+追减预算+上年结转+其他收入-调整剔除数,年初预算)" in wb[L.CALC][cells.value1(8)].value
    before = _digest(path)
    assert main(["new", str(path)]) == 2
    assert "已存在" in capsys.readouterr().err and _digest(path) == before


def test_a_workbook_whose_optional_name_was_deleted_is_told_which_and_where(filled, capsys):
    # every supported template has 自评总分 (since 0.4): a workbook of them without it was changed
    wb = openpyxl.load_workbook(filled)
    del wb.defined_names["自评总分"]
    wb.save(filled)
    assert main(["score", str(filled)]) == 1
    sheet, cell = L.input_cells()["自评总分"]
    assert f"名称“自评总分”不存在，应指向 {sheet}!{cell}" in capsys.readouterr().err


def test_in_place_keeps_the_original_as_bak_and_leaves_inputs_alone(filled, capsys):
    before, inputs = filled.read_bytes(), _inputs(filled)
    assert main(["score", str(filled), "--in-place"]) == 0
    assert filled.with_name(filled.name + ".bak").read_bytes() == before
    assert _inputs(filled) == inputs
    assert openpyxl.load_workbook(filled, data_only=True)[L.NOTES][cells.basis(8)].value.startswith("预算调整率=")
    assert not filled.with_name("参考案例_评分.xlsx").exists()
    assert main(["score", str(filled), "--in-place", "-o", "x.xlsx"]) == 2
