"""A score the bureau can rely on (the department that submits a workbook cannot move it
through the file's structure): each attack is rebuilt from the reference-case workbook at the
package level, as a submitter would leave it, and is a 错误 in validate, score and batch —
or, where it is harmless, a 提示 and the seed's 80.39.

Re-pointing 预算执行数 to the cell of 全年预算 would make 预算执行率 100% (附件1: 95%以上计2分,
the seed's 76.87% gets 0) — a better score from figures nobody sees in the yellow cell.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.checks.structure import INVISIBLE, check_template, looks
from addin.cli import main
from addin.workbook import layout as L
from tests.support import package as P
from tests.support.workbooks import reference_workbook
from udfs.profile import load_profile

TOTAL = "80.39"  # shaoyang-xinfang-2022-evaluation.txt: 总分80.39分，等级“良”


@pytest.fixture(scope="module")
def honest(tmp_path_factory) -> Path:
    return reference_workbook(tmp_path_factory.mktemp("trust") / "参考案例.xlsx")


def _cell_of(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        text = z.read(P.WORKBOOK).decode()
    start = text.index(f'<definedName name="{name}"')
    return text[text.index(">", start) + 1:text.index("</definedName>", start)]


def _validate(path: Path, capsys) -> tuple[int, list[dict]]:
    code = main(["validate", str(path), "--json"])
    found = json.loads(capsys.readouterr().out)
    return code, found["findings"]


def _ids(problems) -> list[str]:
    return [p["id"] for p in problems]


def _batch_reason(path: Path, tmp_path: Path, capsys) -> str:
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / path.name).write_bytes(path.read_bytes())
    (folder / "参考.xlsx").write_bytes(reference_workbook(tmp_path / "参考.xlsx").read_bytes())
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1"]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(out)
    ranked = [r[1] for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert len(ranked) == 1  # only the honest copy is ranked
    return {r[0]: r[1] for r in wb["未能评分"].iter_rows(min_row=4, values_only=True)}[path.name]


def test_the_honest_workbook_has_no_structure_finding(honest, capsys):
    code, problems = _validate(honest, capsys)
    assert code == 0 and not [i for i in _ids(problems) if i.startswith("V5")]


def test_a_name_repointed_to_another_cell_is_an_error_in_validate_score_and_batch(honest, tmp_path, capsys):
    budget = _cell_of(honest, "全年预算")  # 2160.62: 预算执行率 would be 100%
    attacked = P.rewrite(honest, tmp_path / "改指.xlsx", {P.WORKBOOK: P.repoint("预算执行数", budget)})
    code, problems = _validate(attacked, capsys)
    v501 = [p for p in problems if p["id"] == "V501"]
    assert code == 1 and len(v501) == 1 and v501[0]["severity"] == "错误"
    sheet, cell = L.input_cells()["预算执行数"]
    assert f"名称“预算执行数”指向 {budget}，应指向 {sheet}!{cell}" in v501[0]["message"]
    assert main(["score", str(attacked), "-o", str(tmp_path / "评分.xlsx")]) == 1
    assert not (tmp_path / "评分.xlsx").exists()
    capsys.readouterr()
    assert "名称“预算执行数”指向" in _batch_reason(attacked, tmp_path, capsys)


@pytest.mark.parametrize("target", ["'财务数据'!$H$5", "'财务数据'!B5", "'财务数据 '!$B$5", "'财务数据'!$B$5:$B$6", "1660.95"])
def test_a_hidden_column_another_sheet_a_relative_reference_or_a_constant_is_refused(honest, tmp_path, capsys, target):
    attacked = P.rewrite(honest, tmp_path / "改指.xlsx", {P.WORKBOOK: P.repoint("结转结余", target)})
    code, problems = _validate(attacked, capsys)
    assert code == 1 and "V501" in _ids(problems), target


def test_a_sheet_scoped_name_shadowing_a_workbook_name_is_an_error(honest, tmp_path, capsys):
    # LibreOffice computed 84.89 with it while preval computed 80.39
    sheets = openpyxl.load_workbook(honest, read_only=True).sheetnames
    attacked = P.rewrite(honest, tmp_path / "遮盖.xlsx", {P.WORKBOOK: P.add_definition(
        "公用经费实际", sheets.index(L.CALC), "'财务数据'!$H$9")})
    code, problems = _validate(attacked, capsys)
    v502 = [p for p in problems if p["id"] == "V502"]
    assert code == 1 and len(v502) == 1 and f"工作表“{L.CALC}”另有一个名为“公用经费实际”的名称" in v502[0]["message"]


def test_the_findings_sheet_swapped_for_an_empty_very_hidden_one_is_an_error(honest, tmp_path, capsys):
    # the real 扣分记录 renamed "扣分记录 " (trailing space), an empty veryHidden 扣分记录 added: 86.69 and nothing said
    attacked = P.with_new_sheet(honest, tmp_path / "换表.xlsx", L.FINDINGS, "veryHidden",
                                {P.WORKBOOK: P.rename_sheet(L.FINDINGS, L.FINDINGS + " ")})
    code, problems = _validate(attacked, capsys)
    assert code == 1
    by_id = {p["id"]: p for p in problems}
    assert "V503" in by_id and "“扣分记录 ”与程序的工作表“扣分记录”名称相似" in by_id["V503"]["message"]
    assert "V504" in by_id and "深度隐藏" in by_id["V504"]["message"]
    assert "错误" in _batch_reason(attacked, tmp_path, capsys)


def test_a_look_alike_with_an_invisible_character_is_shown_with_it(honest, tmp_path, capsys):
    attacked = P.with_new_sheet(honest, tmp_path / "相似.xlsx", L.MONEY + "\u200b")
    code, problems = _validate(attacked, capsys)
    (v503,) = [p for p in problems if p["id"] == "V503"]
    assert code == 1 and "财务数据<U+200B>" in v503["message"]


def test_one_of_our_sheets_hidden_is_an_error(honest, tmp_path, capsys):
    attacked = P.rewrite(honest, tmp_path / "隐藏.xlsx", {P.WORKBOOK: P.sheet_state(L.MONEY, "hidden")})
    code, problems = _validate(attacked, capsys)
    assert code == 1 and [p["sheet"] for p in problems if p["id"] == "V504"] == [L.MONEY]


def test_a_users_own_very_hidden_sheet_is_a_hint_and_the_score_stands(honest, tmp_path, capsys):
    added = P.with_new_sheet(honest, tmp_path / "自加.xlsx", "底稿", "veryHidden")
    code, problems = _validate(added, capsys)
    assert code == 0 and [p["severity"] for p in problems if p["id"] == "V505"] == ["提示"]
    assert main(["score", str(added), "-o", str(tmp_path / "评分.xlsx"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == float(TOTAL)


def test_the_ribbon_reads_the_same_structure(honest):
    from openpyxl.workbook.defined_name import DefinedName

    from addin import ribbon
    from tests.support.fake_xlwings import FakeBook

    wb = openpyxl.load_workbook(honest)
    wb[L.SCORES].defined_names["预算执行数"] = DefinedName("预算执行数", attr_text="'财务数据'!$H$5")
    wb[L.RUBRIC].sheet_state = "hidden"
    book = FakeBook(wb, honest)
    ribbon.validate(book)
    (message, mode), = book.app.alerts
    assert mode == "critical" and "2 个错误" in message
    found = {wb[L.CHECKS].cell(r, 1).value for r in range(4, 10)}
    assert {"V502", "V504"} <= found


# ---------------------------------------------------------------- properties, on the reader's interface

class _Book:
    """The three things the structure check reads, as any Book gives them."""

    def __init__(self, names: dict[str, str], local=(), states=None):
        self._names, self._local = names, list(local)
        self._states = states or {s: "visible" for s in L.SHEETS}

    def name_text(self, name):
        return self._names.get(name)

    def local_names(self):
        return self._local

    def sheet_states(self):
        return self._states

    def reaches_out(self):
        return []


PROFILE = load_profile()
CONTRACT = L.Layout(PROFILE).contract_cells()


def _text(sheet: str, cell: str) -> str:
    column = cell.rstrip("0123456789")
    return f"'{sheet}'!${column}${cell[len(column):]}"


HONEST = {name: _text(*at) for name, at in CONTRACT.items()}


def test_the_contract_is_every_name_the_built_template_has(honest):
    with zipfile.ZipFile(honest) as z:
        text = z.read(P.WORKBOOK).decode()
    for name, target in HONEST.items():
        assert f'<definedName name="{name}">{target}</definedName>' in text, name
    assert check_template(_Book(HONEST), PROFILE, L.versions.CURRENT) == []


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(CONTRACT)), st.sampled_from(L.SHEETS), st.integers(1, 400), st.integers(1, 30))
def test_any_contract_name_pointing_anywhere_else_is_named(name, sheet, row, column):
    target = (sheet, f"{L.col(column)}{row}")
    problems = check_template(_Book({**HONEST, name: _text(*target)}), PROFILE, L.versions.CURRENT)
    if target == CONTRACT[name]:
        assert problems == []
    else:
        assert [(p.id, p.name) for p in problems] == [("V501", name)]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(L.SHEETS), st.lists(st.tuples(st.integers(0, 6), st.sampled_from(sorted(INVISIBLE))), max_size=3),
       st.sampled_from(["", " ", "\u3000", "  "]), st.sampled_from(["", " ", "\u3000"]))
def test_any_look_alike_of_our_sheets_is_named(sheet, inserts, before, after):
    twin = list(sheet)
    for at, ch in inserts:  # invisible anywhere, spaces around
        twin.insert(min(at, len(twin)), ch)
    disguised = before + "".join(twin) + after
    states = {**{s: "visible" for s in L.SHEETS}, disguised: "visible"}
    problems = check_template(_Book(HONEST, states=states), PROFILE, L.versions.CURRENT)
    assert [(p.id, p.name) for p in problems] == ([("V503", sheet)] if disguised != sheet else [])


def test_looks_folds_full_width_invisible_characters_and_the_ends_only():
    assert looks("ＡＢ１") == looks("ab1") and looks("财务数据\u200b") == "财务数据" == looks("\u3000财务\u00a0数据 ")
    assert looks("财务 数据") != looks("财务数据")  # a space inside shows: another name to the eye too
    assert all(looks(f"a{ch}b") == "ab" for ch in INVISIBLE)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(CONTRACT)), st.sampled_from(L.SHEETS))
def test_any_sheet_scoped_twin_of_a_contract_name_is_named(name, sheet):
    problems = check_template(_Book(HONEST, local=[(sheet, name, "'财务数据'!$H$5")]), PROFILE, L.versions.CURRENT)
    assert [(p.id, p.name) for p in problems] == [("V502", name)]


def test_upgrade_does_not_launder_a_repointed_name_into_a_clean_workbook(tmp_path, capsys):
    old = Path(__file__).parent / "fixtures" / "reference-input-v0.4.xlsx"
    budget = _cell_of(old, "全年预算")
    attacked = P.rewrite(old, tmp_path / "旧版.xlsx", {P.WORKBOOK: P.repoint("预算执行数", budget)})
    assert main(["upgrade", str(attacked)]) == 2
    err = capsys.readouterr().err
    assert "工作簿的结构与模板不符，未升级：名称“预算执行数”指向" in err and "Traceback" not in err
    assert not (tmp_path / "旧版_升级.xlsx").exists()
    assert main(["upgrade", str(old), "-o", str(tmp_path / "升级.xlsx")]) == 0  # the honest one still upgrades


# ---------------------------------------------------------------- what preval reads is what a person sees

def test_a_literal_format_showing_the_true_figure_over_a_nicer_one_is_an_error(tmp_path, capsys):
    # 2052.59 typed into 预算执行数 with the custom format "1660.95": every application prints 1660.95
    nicer = reference_workbook(tmp_path / "底.xlsx", 预算执行数=2052.59)
    cell = L.input_cells()["预算执行数"]
    attacked = P.with_format(nicer, tmp_path / "格式.xlsx", {cell: '"1660.95"'})
    code, problems = _validate(attacked, capsys)
    (v506,) = [p for p in problems if p["id"] == "V506"]
    assert code == 1 and v506["severity"] == "错误" and v506["cell"] == cell[1]
    assert "不显示数值，只显示“1660.95”" in v506["message"] and "参与计算的数值 2052.59" in v506["message"]
    assert "不显示数值，只显示“1660.95”" in _batch_reason(attacked, tmp_path, capsys)


@pytest.mark.parametrize("code,why", [(";;;", "隐藏"), ("#,##0.00,", "千位缩放"), ('0.00"元"', "数量级"),
                                      ("[>1000]0.00;0.00", "按数值大小")])
def test_formats_that_hide_scale_or_relabel_an_amount_are_errors(honest, tmp_path, capsys, code, why):
    attacked = P.with_format(honest, tmp_path / "格式.xlsx", {L.input_cells()["全年预算"]: code})
    _, problems = _validate(attacked, capsys)
    assert any(p["id"] == "V506" and why in p["message"] for p in problems), (code, problems)


def test_deductions_set_to_zero_but_shown_as_the_original_amounts_are_errors(tmp_path, capsys):
    # every deduction 0 with a format whose zero section shows the original amount: 86.69, only V306 提示
    from udfs.reference_case import RAW_FINDINGS

    rows = [(ind, sub, 0, reason, ev) for ind, sub, _points, reason, ev in RAW_FINDINGS]
    zeroed = reference_workbook(tmp_path / "零.xlsx", findings=rows)
    formats = {(L.FINDINGS, f"C{row}"): f'0.00;-0.00;"{points}"'
               for row, (_i, _s, points, _r, _e) in enumerate(RAW_FINDINGS, start=L.FINDINGS_FIRST)}
    attacked = P.with_format(zeroed, tmp_path / "扣分格式.xlsx", formats)
    code, problems = _validate(attacked, capsys)
    flagged = [p for p in problems if p["id"] == "V506"]
    assert code == 1 and len(flagged) == len(RAW_FINDINGS)
    assert all("不显示数值，只显示" in p["message"] for p in flagged)


def test_a_date_format_on_an_amount_is_an_error_too(honest, tmp_path, capsys):
    # every reader then takes the cell for a date, as a spreadsheet shows it: not a number (V102)
    attacked = P.with_format(honest, tmp_path / "日期.xlsx", {L.input_cells()["全年预算"]: "yyyy-mm-dd"})
    code, problems = _validate(attacked, capsys)
    assert code == 1 and [p["name"] for p in problems if p["id"] == "V102"] == ["全年预算"]


def test_a_unit_that_matches_the_workbooks_and_fewer_decimals_are_fine(honest, tmp_path, capsys):
    money = L.input_cells()["全年预算"]
    fine = P.with_format(honest, tmp_path / "可.xlsx", {money: '#,##0.00"万元"', L.input_cells()["预算执行数"]: "0.0"})
    code, problems = _validate(fine, capsys)
    assert code == 0 and "V506" not in _ids(problems)


def test_the_ribbon_reads_the_format_as_the_file_does(tmp_path):
    from addin import ribbon
    from tests.support.fake_xlwings import FakeBook

    path = reference_workbook(tmp_path / "参考.xlsx", 预算执行数=2052.59)
    wb = openpyxl.load_workbook(path)
    sheet, cell = L.input_cells()["预算执行数"]
    wb[sheet][cell].number_format = '"1660.95"'
    book = FakeBook(wb, path)
    ribbon.validate(book)
    assert book.app.alerts[0][1] == "critical"
    assert "V506" in {wb[L.CHECKS].cell(r, 1).value for r in range(4, 8)}


@pytest.mark.parametrize("where,code,why,value", [
    # 汇总's 合计 80.39 printed as 95.00; 重点支出安排率's 1.54 hidden; 预算调整率's 评分依据 replaced on screen
    ("合计", '"95.00"', "不显示数值，只显示“95.00”", "80.39"),
    ("score 5", ";;;", "数值被隐藏", "1.54"),
    ("basis 8", ';;;"经查未发现不符合要求的情形，得2分"', "文字显示为“经查未发现不符合要求的情形，得2分”", "预算调整率="),
])
def test_a_result_formatted_to_show_something_else_is_an_error_and_nothing_is_scored(honest, tmp_path, capsys,
                                                                                    where, code, why, value):
    from tests.support import cells

    at = {"合计": (L.SUMMARY, L.Layout(PROFILE).summary_cell("合计")), "score 5": (L.SCORES, cells.score(5)),
          "basis 8": (L.NOTES, cells.basis(8))}[where]
    attacked = P.with_format(honest, tmp_path / "结果格式.xlsx", {at: code})
    status, problems = _validate(attacked, capsys)
    (v508,) = [p for p in problems if p["id"] == "V508"]
    assert status == 1 and v508["severity"] == "错误" and (v508["sheet"], v508["cell"]) == at
    assert why in v508["message"] and f"preval 计算的结果 {value}" in v508["message"]
    assert main(["score", str(attacked), "-o", str(tmp_path / "评分.xlsx")]) == 1
    assert not (tmp_path / "评分.xlsx").exists()


def test_the_templates_result_formats_as_libreoffice_spells_them_are_fine(capsys):
    # LibreOffice saves 指标计算's deduction format 0.00;-0.00;"" as 0.00;\-0.00;"" (no deduction: blank)
    fixture = Path(__file__).parent / "fixtures" / "reference-scored-libreoffice-v0.11.xlsx"
    wb = openpyxl.load_workbook(fixture)
    assert wb[L.CALC]["G4"].number_format == '0.00;\\-0.00;""' and wb[L.CALC]["G4"].value.startswith("=SUMIFS(")
    status, problems = _validate(fixture, capsys)
    assert status == 0 and "V508" not in _ids(problems)


# ---------------------------------------------------------------- the rubric that scores is the one the reader trusts

def _forged(path: Path, dst: Path, edit) -> Path:
    """The workbook with its carried rubric edited and its plain sha256 recomputed, as anyone can."""
    from addin.workbook.input_sheets import embed_rubric
    from udfs.profile import parse_profile
    from udfs.profile.serialize import to_data

    data = to_data(load_profile())
    edit(data)
    wb = openpyxl.load_workbook(path)
    ws = wb[L.RUBRIC]
    for row in range(L.EMBED_DIGEST_ROW, ws.max_row + 1):
        ws[f"{L.EMBED_COLUMN}{row}"] = None
    embed_rubric(ws, parse_profile(data))
    name = data["profile"]["name"]
    wb[L.GUIDE][L.GUIDE_CELLS[L.PROFILE_NAME]] = name
    wb.save(dst)
    return dst


def _generous(data: dict) -> None:
    data["grade"] = [{"min": 80, "grade": "优"}, {"min": 70, "grade": "良"}, {"min": 60, "grade": "中"},
                     {"min": 0, "grade": "差"}]


def test_batch_ranks_by_the_installed_rubric_and_refuses_a_forged_carried_one(honest, tmp_path, capsys):
    forged = _forged(honest, tmp_path / "伪造档案.xlsx", _generous)
    reason = _batch_reason(forged, tmp_path, capsys)
    assert "与本机安装的同名档案不同（等级线）" in reason and "只按本机的档案排名" in reason
    from addin.books.calamine_book import CalamineBook
    from addin.scoring import assess

    batch = assess(CalamineBook(forged), batch=True)
    assert [p.id for p in batch.errors] == ["V412"] and batch.evaluation is None and batch.profile == load_profile()
    # validate and score still say it (the department's own run), as a 提示
    code, problems = _validate(forged, capsys)
    assert code == 0 and [p["severity"] for p in problems if p["id"] == "V407"] == ["提示"]


def test_every_ranked_row_says_which_rubric_scored_it(honest, tmp_path, capsys):
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "参考.xlsx").write_bytes(honest.read_bytes())
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1"]) == 0
    ws = openpyxl.load_workbook(out)["汇总"]
    header = [c.value for c in ws[3]]
    assert ws.cell(4, header.index("评分档案来源") + 1).value == "本机安装"


def test_a_look_alike_rubric_name_is_an_error_everywhere(honest, tmp_path, capsys):
    def disguise(data):
        data["profile"]["name"] = data["profile"]["name"] + "\u200b"  # same title, a name that looks the same

    forged = _forged(honest, tmp_path / "相似档案.xlsx", disguise)
    code, problems = _validate(forged, capsys)
    (v411,) = [p for p in problems if p["id"] == "V411"]
    assert code == 1 and "shaoyang-2022<U+200B>" in v411["message"] and "看起来相同" in v411["message"]
    assert "看起来相同" in _batch_reason(forged, tmp_path, capsys)


# ---------------------------------------------------------------- saved values

def test_a_total_saved_with_another_value_than_the_workbook_computes_is_a_hint(honest, tmp_path, capsys):
    # 汇总's 总分 is what other workbooks link to: edited to 95 in the file, Excel shows 95 until it recalculates
    scored = tmp_path / "评分.xlsx"
    assert main(["score", str(honest), "-o", str(scored)]) == 0
    capsys.readouterr()
    cell = f"C{L.Layout(load_profile()).summary_row('合计')}"
    from addin.books.workbook_xml import read_map

    part = read_map(scored).sheets[L.SUMMARY]
    edited = P.rewrite(scored, tmp_path / "改总分.xlsx", {part: P.sub(rf'(<c r="{cell}"[^>]*>(?:<f>[^<]*</f>)?)<v>[^<]*</v>',
                                                                        r"\g<1><v>95</v>")})
    code, problems = _validate(edited, capsys)
    (v413,) = [p for p in problems if p["id"] == "V413"]
    assert code == 0 and v413["severity"] == "提示" and f"汇总!{cell} 保存的总分为 95，按工作簿数据计算为 {TOTAL}" in v413["message"]
    code, problems = _validate(scored, capsys)  # as preval saved it: nothing to say
    assert "V413" not in _ids(problems)


# ---------------------------------------------------------------- nothing reaches out

_LINKED = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
           b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/relationships/image" Target="file:///\\\\host\\share\\logo.png" TargetMode="External"/></Relationships>')
_CONNECTIONS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<connections xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><connection id="1" name="q" type="4" refreshOnLoad="1">'
                b'<webPr url="http://example.invalid/rates"/></connection></connections>')


def test_every_place_the_file_reaches_on_opening_is_named_in_validate_and_batch(honest, tmp_path, capsys):
    reaching = P.rewrite(honest, tmp_path / "外联.xlsx", {}, {"xl/drawings/_rels/drawing9.xml.rels": _LINKED,
                                                             "xl/connections.xml": _CONNECTIONS})
    code, problems = _validate(reaching, capsys)
    said = sorted(p["message"] for p in problems if p["id"] == "V507")
    assert code == 0 and said == ["打开此文件时 Excel 会访问外部位置：file:///\\\\host\\share\\logo.png（链接的图片）",
                                  "打开此文件时 Excel 会访问外部位置：http://example.invalid/rates（数据连接）"]
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / reaching.name).write_bytes(reaching.read_bytes())
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1"]) == 0
    ws = openpyxl.load_workbook(out)["汇总"]
    header = [c.value for c in ws[3]]
    assert "http://example.invalid/rates" in ws.cell(4, header.index("外部位置") + 1).value
    capsys.readouterr()
    code, problems = _validate(honest, capsys)
    assert "V507" not in _ids(problems)  # the template reaches nowhere (preval.xlam is not counted)


# ---------------------------------------------------------------- batch tells the bureau what it has to decide

def test_a_later_edited_copy_does_not_replace_the_final_and_the_conflict_is_on_the_summary(honest, tmp_path, capsys):
    import os

    folder = tmp_path / "报送"
    folder.mkdir()
    assert main(["finalize", str(honest), "-o", str(folder / "信访局_定稿.xlsx")]) == 0
    # edited afterwards: 绩效监控 否 loses 预算执行率 ② (附件1: 实施项目资金运行监控的得2分), 80.39 − 2 = 78.39
    edited = reference_workbook(folder / "信访局_改.xlsx", 绩效监控="否")
    later = (folder / "信访局_定稿.xlsx").stat().st_mtime + 3600
    os.utime(edited, (later, later))
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1"]) == 0
    capsys.readouterr()
    ws = openpyxl.load_workbook(out)["汇总"]
    header = [c.value for c in ws[3]]
    rows = [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=4, max_row=4, values_only=True)]
    assert [(r["文件"], f"{r['总分']:.2f}") for r in rows] == [("信访局_定稿.xlsx", TOTAL)]
    text = "\n".join(str(c.value) for row in ws.iter_rows(min_row=5) for c in row if c.value)
    assert "冲突：1 个同一单位同一年度的副本总分不同" in text
    assert f"保留 信访局_定稿.xlsx（总分 {TOTAL}，定稿），另有 信访局_改.xlsx（总分 78.39）" in text


def test_one_unit_code_under_two_names_and_one_name_under_two_codes_are_conflicts(tmp_path, capsys):
    # issue 24: 单位编码 identifies a unit where present (template 0.8): a file sent under another
    # unit's name, or a name with two codes, is for the bureau to decide, said on 汇总 and on screen
    folder = tmp_path / "报送"
    folder.mkdir()
    reference_workbook(folder / "信访局.xlsx", 单位编码="430500001")
    reference_workbook(folder / "冒名.xlsx", 单位名称="邵阳市财政局", 单位编码="430500001", 绩效监控="否")
    reference_workbook(folder / "另一编码.xlsx", 单位名称="邵阳市民政局", 单位编码="430500007")
    reference_workbook(folder / "民政局.xlsx", 单位名称="邵阳市民政局", 单位编码="430500009")
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1"]) == 0
    said = capsys.readouterr().err
    assert "[冲突] 单位编码 430500001（2022年度）对应不同的单位名称：" in said
    assert "信访局.xlsx（单位名称 邵阳市信访局）" in said and "冒名.xlsx（单位名称 邵阳市财政局）" in said
    assert "[冲突] 单位名称 邵阳市民政局（2022年度）对应不同的单位编码：" in said
    ws = openpyxl.load_workbook(out)["汇总"]
    text = "\n".join(str(c.value) for row in ws.iter_rows(min_row=5) for c in row if c.value)
    assert "冲突：" in text and "2 处单位编码与单位名称不一致" in text
    assert "单位编码 430500001（2022年度）对应不同的单位名称" in text


# ---------------------------------------------------------------- a 定稿 proves who sealed it

@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    assert main(["key", "new", "评价机构", "-o", str(folder)]) == 0
    assert main(["key", "new", "别人", "-o", str(folder / "other")]) == 0
    return folder


@pytest.fixture(scope="module")
def signed(honest, keys, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("signed") / "定稿.xlsx"
    assert main(["finalize", str(honest), "-o", str(out), "--sign", str(keys / "评价机构.key")]) == 0
    return out


def _verify(path: Path, keys: Path, capsys, *more) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", str(path), "--trust", str(keys / "评价机构.pub"), *more])
    return code, capsys.readouterr().out


def _edited_final(signed: Path, dst: Path, recompute_digest: bool) -> Path:
    """One input changed in the 定稿 (as a zip tool leaves it), the public digest recomputed or not."""
    from addin.books.final_xml import define_names
    from addin.books.package_book import PackageBook
    from addin.books.workbook_xml import read_map
    from addin.checks.final import digest

    sheet, cell = L.input_cells()["预算执行数"]
    part = read_map(signed).sheets[sheet]
    edited = P.rewrite(signed, dst, {part: P.sub(rf'(<c r="{cell}"[^>]*>)<v>[^<]*</v>', r"\g<1><v>2052.59</v>")})
    if recompute_digest:  # the digest is public: any copy of preval computes it
        text = digest(PackageBook(edited), load_profile(), L.versions.CURRENT)
        fixed = dst.with_name("重算" + dst.name)
        P.rewrite(edited, fixed, {P.WORKBOOK: lambda data: define_names(data, {L.FINAL_DIGEST_NAME: text})})
        return fixed
    return edited


def test_key_new_writes_a_private_key_only_its_owner_reads_and_never_overwrites(keys, capsys):
    import stat

    assert stat.S_IMODE((keys / "评价机构.key").stat().st_mode) == 0o600 and (keys / "评价机构.pub").exists()
    before = (keys / "评价机构.key").read_bytes()
    capsys.readouterr()
    assert main(["key", "new", "评价机构", "-o", str(keys)]) == 2
    assert "已存在，不会覆盖" in capsys.readouterr().err and (keys / "评价机构.key").read_bytes() == before


def test_an_honest_signed_final_verifies(signed, keys, capsys):
    code, out = _verify(signed, keys, capsys)
    assert code == 0 and "签名：评价机构（ed25519:" in out and "与信任的公钥 评价机构.pub 一致" in out and "核验通过" in out
    code, problems = _validate(signed, capsys)
    assert code == 0 and not {"V414", "V415", "V416"} & set(_ids(problems))


def test_one_input_changed_does_not_verify_even_with_the_public_digest_recomputed(signed, keys, tmp_path, capsys):
    for recompute in (False, True):
        edited = _edited_final(signed, tmp_path / f"改{recompute}.xlsx", recompute)
        code, out = _verify(edited, keys, capsys)
        assert code == 1 and "签名无效" in out and "核验未通过" in out, recompute
        code, problems = _validate(edited, capsys)
        assert code == 1 and "V415" in _ids(problems)  # a broken signature is an 错误 without --trust too


def test_a_workbook_edited_and_finalized_with_another_key_does_not_verify_against_the_first(honest, keys, tmp_path, capsys):
    edited = reference_workbook(tmp_path / "改.xlsx", 绩效监控="否")
    other = tmp_path / "别人定稿.xlsx"
    assert main(["finalize", str(edited), "-o", str(other), "--sign", str(keys / "other" / "别人.key")]) == 0
    code, out = _verify(other, keys, capsys)
    assert code == 1 and "签名者不在信任列表中" in out
    code, problems = _validate(other, capsys)  # without --trust the signature itself is valid: a hint that it is signed
    assert code == 0
    capsys.readouterr()
    assert main(["validate", str(other), "--trust", str(keys / "评价机构.pub")]) == 1
    assert "该密钥不在信任列表中" in capsys.readouterr().out


def test_a_tampered_signature_value_does_not_verify(signed, keys, tmp_path, capsys):
    from addin.books.final_xml import define_names
    from addin.books.package_book import PackageBook
    from addin.seal import SEAL_NAME

    seal = PackageBook(signed).name_text(SEAL_NAME).strip('"')
    head, signature = seal.rsplit("|", 1)
    flipped = head + "|" + ("B" if signature[0] != "B" else "C") + signature[1:]
    tampered = P.rewrite(signed, tmp_path / "改签名.xlsx", {P.WORKBOOK: lambda data: define_names(data, {SEAL_NAME: flipped})})
    code, out = _verify(tampered, keys, capsys)
    assert code == 1 and "签名无效" in out


def test_an_unsigned_final_is_a_hint_and_with_trust_an_error(honest, keys, tmp_path, capsys):
    plain = tmp_path / "未签名定稿.xlsx"
    assert main(["finalize", str(honest), "-o", str(plain)]) == 0
    capsys.readouterr()
    code, problems = _validate(plain, capsys)
    assert code == 0 and [p["severity"] for p in problems if p["id"] == "V414"] == ["提示"]
    capsys.readouterr()
    assert main(["validate", str(plain), "--trust", str(keys / "评价机构.pub")]) == 1
    assert "V415" in capsys.readouterr().out


def test_a_final_with_its_marker_and_seal_removed_is_an_unsealed_error(signed, tmp_path, capsys):
    from addin.seal import SEAL_NAME

    stripped = P.rewrite(signed, tmp_path / "去标记.xlsx", {P.WORKBOOK: lambda data: re.sub(
        rf'<definedName name="(?:{L.FINAL_NAME}|{L.FINAL_DIGEST_NAME}|{SEAL_NAME})">[^<]*</definedName>'.encode(), b"", data)})
    code, problems = _validate(stripped, capsys)
    assert code == 1 and "V416" in _ids(problems)


def test_batch_with_trust_ranks_only_what_verifies_and_says_why_for_the_rest(signed, keys, tmp_path, capsys):
    folder = tmp_path / "报送"
    folder.mkdir()
    (folder / "签名定稿.xlsx").write_bytes(signed.read_bytes())
    other = reference_workbook(tmp_path / "乙.xlsx", 单位名称="乙局")
    (folder / "乙局底稿.xlsx").write_bytes(other.read_bytes())
    _edited_final(signed, folder / "改过.xlsx", True)
    (folder / "改过.xlsx").rename(folder / "丙.xlsx")  # keep one edited copy, under its own name
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1", "--trust", str(keys / "评价机构.pub")]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(out)
    ranked = [r[-1] for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if r[0] is not None and r[0] != ""]
    assert ranked[:1] == ["签名定稿.xlsx"] and "乙局底稿.xlsx" not in ranked
    reasons = {r[0]: r[1] for r in wb["未能评分"].iter_rows(min_row=4, values_only=True)}
    assert "只汇总评价机构签名的定稿" in reasons["乙局底稿.xlsx"]
    assert "签名" in reasons["重算改过.xlsx"] and "签名" in reasons["丙.xlsx"]


def test_the_final_drops_every_place_it_would_reach_and_says_so(honest, tmp_path, capsys):
    wired = P.sub(r"</Relationships>", '<Relationship Id="rIdConn" Type="http://schemas.openxmlformats.org/officeDocument/'
                  '2006/relationships/connections" Target="connections.xml"/></Relationships>')
    typed = P.sub(r"</Types>", '<Override PartName="/xl/connections.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.connections+xml"/></Types>')
    reaching = P.rewrite(honest, tmp_path / "外联.xlsx", {"xl/_rels/workbook.xml.rels": wired, "[Content_Types].xml": typed},
                         {"xl/drawings/_rels/drawing9.xml.rels": _LINKED, "xl/connections.xml": _CONNECTIONS})
    final = tmp_path / "外联_定稿.xlsx"
    assert main(["finalize", str(reaching), "-o", str(final)]) == 0
    out = capsys.readouterr().out
    assert "定稿中已删除（打开时会访问的外部位置，定稿不需要）：数据连接：http://example.invalid/rates" in out
    assert "链接的图片：file:///\\\\host\\share\\logo.png" in out
    code, problems = _validate(final, capsys)
    assert code == 0 and "V507" not in _ids(problems)
    with zipfile.ZipFile(final) as z:
        assert "xl/connections.xml" not in z.namelist() and b"connections" not in z.read("[Content_Types].xml")
        assert b"rIdConn" not in z.read("xl/_rels/workbook.xml.rels")
    openpyxl.load_workbook(final)  # still a workbook a spreadsheet program opens
    assert (tmp_path / "外联.xlsx").exists() and "V507" in _ids(_validate(reaching, capsys)[1])  # the source keeps them


def test_a_final_whose_structure_is_broken_is_still_called_a_final(signed, keys, tmp_path, capsys):
    """A 定稿 with a sheet hidden after export stopped the checks before the seal, and verify
    said 不是定稿（没有定稿标记）: it has the mark; what is wrong is its structure."""
    hidden = P.rewrite(signed, tmp_path / "隐藏.xlsx", {P.WORKBOOK: P.sheet_state(L.MONEY, "hidden")})
    capsys.readouterr()
    assert main(["verify", str(hidden), "--trust", str(keys / "评价机构.pub")]) == 1
    said = capsys.readouterr()
    assert "不是定稿" not in said.err and "是定稿（导出时间" in said.err and "结构与模板不符" in said.err
    assert f"“{L.MONEY}”被隐藏" in said.err and said.out.strip() == "核验未通过"


def test_a_name_added_by_the_current_version_pointing_elsewhere_is_that_names_fault():
    # 0.10's 基本支出情况 is appended after every other name, so the 0.9 layout fits all the others:
    # it was reported as "模板版本被改动" (V501 on 模板版本) instead of naming it (found by the property above)
    problems = check_template(_Book({**HONEST, "基本支出情况": _text(L.GUIDE, "A1")}), PROFILE, L.versions.CURRENT)
    assert [(p.id, p.name) for p in problems] == [("V501", "基本支出情况")]
    # a 0.9 workbook whose 模板版本 says 0.10 has none of 0.10's names: still the one finding on the version cell
    old = {name: text for name, text in HONEST.items() if name not in ("基本支出情况", "项目管理情况")}
    problems = check_template(_Book(old), PROFILE, L.versions.CURRENT)
    assert [(p.id, p.name) for p in problems] == [("V501", "模板版本")] and "0.9" in problems[0].message
