"""One reading of every file (issue 25): a value the workbook's own formulas do not count as a
number is not a number to any door of preval either.

Each spelling below is what a paste into a yellow cell stores as text (Excel's green triangle):
the workbook's formulas (COUNT, ISNUMBER, SUMIFS) skip it, so validate (PackageBook), batch
(CalamineBook) and the cell functions must refuse it too — never score it.
"""

from __future__ import annotations

import re
import warnings
import zipfile

import pytest

from addin.batch.run import score_one
from addin.books.calamine_book import CalamineBook
from addin.books.openpyxl_book import OpenpyxlBook
from addin.books.package_book import PackageBook
from addin.case import write_case
from addin.scoring import assess
from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from udfs import functions, reference_case

BASE = reference_case.RAW_INPUTS
FINDINGS = reference_case.RAW_FINDINGS
FREE_ROW = L.FINDINGS_FIRST + len(FINDINGS)

# what a clerk sees in 预算执行数 (1660.95 in the reference case), stored as text
TEXT_SPELLINGS = {
    "ascii": "1660.95",
    "full-width": "１６６０.９５",
    "arabic-indic": "١٦٦٠.٩٥",
    "mathematical-bold": "𝟏𝟔𝟔𝟎.𝟗𝟓",
    "thousands-comma": "1,660.95",
    "exponent": "1.66095e3",
    "underscore": "16_60.95",
    "decimal-comma": "1660,95",
    "huge": "1e12",
    "percent": "95.62%",
}


def _write(tmp_path, name, inputs=None, findings=None):
    book = OpenpyxlBook(build_workbook())
    write_case(book, dict(BASE, **(inputs or {})), FINDINGS if findings is None else findings)
    path = tmp_path / f"{name}.xlsx"
    book.wb.save(path)
    return path


def _where(name):
    (sheet, ref), = build_workbook().defined_names[name].destinations
    return f"{sheet}!{ref.replace('$', '')}"


def _seen(result):
    return sorted((p.id, p.where) for p in result.problems)


@pytest.mark.parametrize("spelling", TEXT_SPELLINGS.values(), ids=TEXT_SPELLINGS.keys())
def test_a_number_stored_as_text_is_an_error_for_every_door(tmp_path, spelling):
    name = "满意率" if spelling.endswith("%") else "预算执行数"
    path = _write(tmp_path, "text", {name: spelling})
    validate = assess(PackageBook(path))
    batch = assess(CalamineBook(path))
    assert ("V111", _where(name)) in _seen(validate)
    assert validate.evaluation is None and batch.evaluation is None
    assert _seen(batch) == _seen(validate)  # one reading: the same findings from both readers
    outcome = score_one(str(path))
    assert outcome.row is None and "文本格式" in outcome.reason


def test_the_same_number_typed_as_a_number_scores(tmp_path):
    result = assess(PackageBook(_write(tmp_path, "number")))
    assert result.evaluation is not None and str(result.evaluation.total) == "80.39"


@pytest.mark.parametrize("amount", ["1", "１", "0.5"])
def test_a_deduction_typed_as_text_is_v303_not_counted(tmp_path, amount):
    row = ("信息公开性", "①", amount, "未公开", "")
    path = _write(tmp_path, "cut", findings=[*FINDINGS, row])
    for result in (assess(PackageBook(path)), assess(CalamineBook(path))):
        assert ("V303", f"扣分记录!C{FREE_ROW}") in _seen(result)
        assert result.evaluation is None


@pytest.mark.parametrize("spelling", ["资产管理安全性 ", "\u3000资产管理安全性", "资产管理安全性\u00a0"],
                         ids=["trailing-space", "ideographic-space", "nbsp"])
def test_an_indicator_name_spelled_otherwise_is_v308(tmp_path, spelling):
    # the workbook's SUMIFS does not count such a row, so the engine may not either
    row = (spelling, "①", 0.1, "一例未登记", "")
    path = _write(tmp_path, "name", findings=[*FINDINGS, row])
    for result in (assess(PackageBook(path)), assess(CalamineBook(path))):
        assert ("V308", f"扣分记录!A{FREE_ROW}") in _seen(result)
        assert result.evaluation is None


def test_a_sub_item_with_a_space_is_v308(tmp_path):
    row = ("资产管理安全性", "① ", 0.1, "一例未登记", "")
    result = assess(PackageBook(_write(tmp_path, "sub", findings=[*FINDINGS, row])))
    assert ("V308", f"扣分记录!B{FREE_ROW}") in _seen(result)


@pytest.mark.parametrize("spelling", ["1660.95", "１６６０", "1,660.95"])
def test_the_cell_functions_refuse_text_numbers(spelling):
    shown = functions.PREVAL_EXECRATE(spelling, 2160.62)
    assert shown.startswith("#VALUE!") and "文本格式" in shown
    assert functions.PREVAL_EXECRATE(1660.95, 2160.62) == pytest.approx(1660.95 / 2160.62)


def test_the_workbooks_formulas_leave_a_text_number_unscored(tmp_path):
    path = _write(tmp_path, "text", {"预算执行数": "1660.95"})
    values = _recalculated(path, add_in=False)
    layout = L.Layout(reference_case_profile())
    total = values[(L.SUMMARY.upper(), layout.summary_cell('合计'))]
    assert total in (None, "")
    # and with the number typed as a number the same formulas give the seed's total
    values = _recalculated(_write(tmp_path, "number"), add_in=False)
    assert values[(L.SUMMARY.upper(), layout.summary_cell('合计'))] == pytest.approx(80.39)


def reference_case_profile():
    from udfs.profile import load_profile

    return load_profile(None)


# ---------------------------------------------------------------- issue 25, items 2 and 3

# 结转结余率 "本年超支的，计0分": 2000.01 spent of a 2000 budget is 超支, although the rate shows
# as 100.00%; everything else as the reference case, with the figures made to add up
OVERSPENT = {"年初预算": 2000, "追加预算": 0, "追减预算": 0, "上年结转": 0, "其他收入": 0, "全年预算": 2000,
             "调整剔除数": 0, "预算执行数": 2000.01, "结转结余": 0, "基本支出": 646.88, "项目支出": 1353.13,
             "项目预算": 1500}
# 三公经费变动率 "年度内“三公经费”完成数超过预算数，则该项计0分": 1000.04 of 1000; the budget falls
# (1000 against 1200: "变动率为负数，计2分"), so only the overspending can take the 2 points away
SANGONG_OVER = {"三公预算本年": 1000, "三公预算上年": 1200, "三公实际": 1000.04, "公务用车经费": 998.93,
                "公务接待经费": 1.11, "出国经费": 0}
# 经济/社会/生态效益 (9 points) with a whole-indicator deduction of 0.125: 9 − 0.125 = 8.875,
# rounded half-up once, at the score: 8.88 (not 9 − 0.13 = 8.87)
THIRD_DECIMAL = ("经济/社会/生态效益", "—", 0.125, "部分效益指标未量化", "")


_MODELS: dict[bool, object] = {}


def _recalculated(path, add_in):
    """The workbook's formulas computed for the file at ``path`` (as recalc.recalculate would,
    with or without the add-in), by the template compiled once per mode: these tests' files
    differ from it only in inputs and 扣分记录 rows (recompiling each took 15 s)."""
    import tempfile
    from pathlib import Path

    from tests.support.native_model import PLACEHOLDER, ROWS, Model

    if add_in not in _MODELS:
        with tempfile.TemporaryDirectory() as tmp:  # every row the model sets is a cell of the compiled file
            template = _write(Path(tmp), "template", findings=[PLACEHOLDER] * ROWS)
            _MODELS[add_in] = Model(template, reference_case_profile(), add_in=add_in)
    return _MODELS[add_in].run_file(path)


def _score_cells(path, add_in):
    profile = reference_case_profile()
    layout = L.Layout(profile)
    values = _recalculated(path, add_in)
    return {ind.name: values[(L.SCORES.upper(), f"{layout.score_letter}{L.row_of(ind.no)}")] for ind in profile.indicators}


AMOUNT_CASES = {
    "overspent by 0.01": (OVERSPENT, [], "结转结余率", 0),
    "三公 over budget by 0.04": (SANGONG_OVER, [], "三公经费变动率", 0),
    "three-decimal whole deduction": ({}, [THIRD_DECIMAL], "经济/社会/生态效益", 8.88),
}


@pytest.mark.parametrize("inputs,extra,indicator,score", AMOUNT_CASES.values(), ids=AMOUNT_CASES.keys())
def test_amounts_are_compared_and_deductions_rounded_where_the_rubric_says(tmp_path, inputs, extra, indicator, score):
    path = _write(tmp_path, "edge", inputs, [*FINDINGS, *extra])
    result = assess(PackageBook(path))
    assert result.errors == []
    engine = {r.name: float(r.score) for r in result.evaluation.indicators}
    assert engine[indicator] == score
    assert _score_cells(path, add_in=False)[indicator] == pytest.approx(score)  # the workbook's own formulas
    assert _score_cells(path, add_in=True)[indicator] == pytest.approx(score)  # PREVAL_SCORE in Excel


def test_exactly_on_budget_is_not_overspent(tmp_path):
    path = _write(tmp_path, "on", {**OVERSPENT, "预算执行数": 2000, "项目支出": 1353.12})
    result = assess(PackageBook(path))
    # 结转结余 0 of 2000 = 0% ≤ 10%: 1 point (rubric: "结余率≤10%的，计1分")
    assert {r.name: float(r.score) for r in result.evaluation.indicators}["结转结余率"] == 1
    assert _score_cells(path, add_in=False)["结转结余率"] == pytest.approx(1)


# ---------------------------------------------------------------- issue 25, item 8: what real departments have

def _scores(path):
    result = assess(PackageBook(path))
    assert result.errors == [], [(p.id, p.message) for p in result.errors]
    return {r.name: float(r.score) for r in result.evaluation.indicators}, result


SCORED_NOW = {
    # 三公预算上年 0 and a budget this year: "变动率为正数，计0分" (附件1)
    "三公 new this year": ({"三公预算本年": 5, "三公预算上年": 0, "三公实际": 4, "公务用车经费": 2.89}, "三公经费变动率", 0),
    # no 三公经费 in either year: no change, as a 变动率 of 0 -> this rubric's zero-change points (1,
    # 附件2 item 4); 三公经费控制率 0/0 is full (2)
    "no 三公 at all": ({"三公预算本年": 0, "三公预算上年": 0, "三公实际": 0, "公务用车经费": 0, "公务接待经费": 0},
                       "三公经费变动率", 1),
    # no 重点支出 budgeted or spent: full (2), read as 附件2 item 6 reads 无非税收入
    "no 重点支出": ({"重点支出预算": 0, "重点支出实际": 0}, "重点支出安排率", 2),
    # no 重点工作 assigned: full (4)
    "no 重点工作": ({"重点交办数": 0, "重点完成数": 0}, "重点工作办结率", 4),
}


@pytest.mark.parametrize("inputs,indicator,score", SCORED_NOW.values(), ids=SCORED_NOW.keys())
def test_what_real_departments_have_is_scored(tmp_path, inputs, indicator, score):
    path = _write(tmp_path, "real", inputs)
    engine, _ = _scores(path)
    assert engine[indicator] == score
    assert _score_cells(path, add_in=False)[indicator] == pytest.approx(score)


def test_no_三公_at_all_keeps_the_control_rate_full(tmp_path):
    engine, _ = _scores(_write(tmp_path, "real", SCORED_NOW["no 三公 at all"][0]))
    assert engine["三公经费控制率"] == 2


@pytest.mark.parametrize("name", ["追加预算", "追减预算", "调整剔除数"])
def test_an_amount_a_budget_did_not_have_may_be_left_blank(tmp_path, name):
    # "没有的不填，按0计" (README): 年初 2000 + nothing else = 全年 2000, nothing excluded
    budget = {"年初预算": 2000, "追加预算": 0, "追减预算": 0, "上年结转": 0, "其他收入": 0, "全年预算": 2000,
              "调整剔除数": 0, "预算执行数": 1660.95, "结转结余": 339.05, "项目预算": 1500}
    path = _write(tmp_path, "blank", {**budget, name: None})
    engine, result = _scores(path)
    # 预算调整率 = (0 + 0 + 0 + 0 − 0)/(2000 − 0) = 0%: "预算调整率<5%，计2分"
    adjust = next(r for r in result.evaluation.indicators if r.name == "预算调整率")
    assert adjust.rate == 0 and engine["预算调整率"] == 2
    assert _score_cells(path, add_in=False)["预算调整率"] == pytest.approx(2)


def test_one_row_past_its_cap_is_scored_like_rows_adding_past_it(tmp_path):
    # 资产管理制度健全性 (1 point): ① is 0.5; a row deducting 1 from ① leaves ② = 0.5 (扣完为止)
    row = ("资产管理制度健全性", "①", 1, "制度不全", "")
    path = _write(tmp_path, "cap", findings=[*FINDINGS, row])
    engine, result = _scores(path)
    assert ("V304", "提示", f"扣分记录!C{FREE_ROW}") in {(p.id, p.severity, p.where) for p in result.problems}
    assert engine["资产管理制度健全性"] == 0.5
    assert _score_cells(path, add_in=False)["资产管理制度健全性"] == pytest.approx(0.5)


# ---------------------------------------------------------------- issue 25, items 6 and 7: at the package level

def _parts(path):
    with zipfile.ZipFile(path) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def _repack(path, parts, out):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate entries this test makes
        for info, data in parts:
            z.writestr(info.filename, data)
    return out


def _sheet_part(path, sheet):
    from addin.books.workbook_xml import read_map

    return read_map(path).sheets[sheet]


def _replace(path, part, old: bytes, new: bytes, out, count=1):
    parts = [(i, d.replace(old, new, count) if i.filename == part else d) for i, d in _parts(path)]
    assert any(old in d for i, d in _parts(path) if i.filename == part), (part, old)
    return _repack(path, parts, out)


def _text_part(path, text):
    """The part that holds ``text`` (a shared-strings table or a sheet's inline string)."""
    return next(i.filename for i, d in _parts(path) if text.encode() in d)


ESCAPES = {
    # Excel writes a carriage return pasted into a cell as _x000D_: a line break to every reader,
    # which a 事由 reads as a space (udfs.inputs.trimmed, as the live 评分说明's formula reads it)
    "carriage return": ("出差无审批单_x000D_培训无签到表", "出差无审批单 培训无签到表"),
    # _x005F_ is an underscore: the text "_x0030_" itself
    "escaped underscore": ("凭证_x005F_x0030_号", "凭证_x0030_号"),
}


@pytest.mark.parametrize("stored,meant", ESCAPES.values(), ids=ESCAPES.keys())
def test_excels_escapes_are_read_alike_by_every_door(tmp_path, stored, meant):
    placeholder = "PLACEHOLDER-REASON"  # openpyxl writes CJK as character references: an ASCII mark to replace
    row = ("资产管理安全性", "①", 0.1, placeholder, "")
    plain = _write(tmp_path, "plain", findings=[*FINDINGS, row])
    path = _replace(plain, _text_part(plain, placeholder), placeholder.encode(), stored.encode(), tmp_path / "esc.xlsx")
    reasons = []
    for book in (PackageBook(path), CalamineBook(path)):
        result = assess(book)
        (finding,) = [f for f in result.evaluation.findings if f.row == FREE_ROW]
        reasons.append(finding.reason)
    assert reasons == [meant, meant]
    from addin.cli import main

    out = tmp_path / "报告.docx"
    assert main(["report", str(path), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        document = z.read("word/document.xml").decode()
    assert "_x000D_" not in document and "x005F" not in document


def test_an_escaped_digit_is_text_to_every_reader(tmp_path):
    # "_x0031_660.95" is the text "1660.95" (calamine decodes it; our reader must too): V111 for both
    plain = _write(tmp_path, "plain", {"预算执行数": "PLACEHOLDER-NUMBER"})
    path = _replace(plain, _text_part(plain, "PLACEHOLDER-NUMBER"), b"PLACEHOLDER-NUMBER", b"_x0031_660.95",
                    tmp_path / "digit.xlsx")
    for book in (PackageBook(path), CalamineBook(path)):
        assert ("V111", _where("预算执行数")) in _seen(assess(book))


def _ambiguous(path):
    from addin.errors import BadFile

    for reader in (PackageBook, CalamineBook):
        with pytest.raises(BadFile) as refused:
            reader(path)
        assert "两种读法" in refused.value.message
    outcome = score_one(str(path))
    assert outcome.row is None and "两种读法" in outcome.reason


def test_a_package_with_a_part_twice_is_refused(tmp_path):
    plain = _write(tmp_path, "plain")
    part = _sheet_part(plain, L.INPUTS_FINANCE if hasattr(L, "INPUTS_FINANCE") else "财务数据")
    parts = _parts(plain)
    (info, data), = [(i, d) for i, d in parts if i.filename == part]
    _ambiguous(_repack(plain, [*parts, (info, data.replace(b"<v>1660.95</v>", b"<v>2052.59</v>"))], tmp_path / "twice.xlsx"))


def test_two_sheets_of_one_name_are_refused(tmp_path):
    plain = _write(tmp_path, "plain")
    workbook = dict((i.filename, d) for i, d in _parts(plain))["xl/workbook.xml"].decode()
    first = re.search(r'<sheet [^>]*name="财务数据"[^>]*/>', workbook).group(0)
    other = re.search(r'<sheet [^>]*name="汇总"[^>]*/>', workbook).group(0)
    renamed = other.replace('name="汇总"', 'name="财务数据"')
    _ambiguous(_replace(plain, "xl/workbook.xml", other.encode(), renamed.encode(), tmp_path / "names.xlsx"))
    assert first  # the real one is still there


def test_a_defined_name_twice_in_one_scope_is_refused(tmp_path):
    plain = _write(tmp_path, "plain")
    workbook = dict((i.filename, d) for i, d in _parts(plain))["xl/workbook.xml"].decode()
    name = re.search(r'<definedName name="预算执行数"[^>]*>[^<]*</definedName>', workbook).group(0)
    twice = name + name.replace(">", ">", 1).replace("$B$", "$C$")
    _ambiguous(_replace(plain, "xl/workbook.xml", name.encode(), twice.encode(), tmp_path / "dup-name.xlsx"))


CELL_TRICKS = {
    "a cell twice in its row": lambda xml, ref: re.sub(rf'(<c r="{ref}"[^>]*>.*?</c>)', r"\1\1", xml, count=1),
    "two values in one cell": lambda xml, ref: re.sub(rf'(<c r="{ref}"[^>]*>)(<v>[^<]*</v>)', r"\1\2<v>2052.59</v>", xml,
                                                      count=1),
}


@pytest.mark.parametrize("trick", CELL_TRICKS.values(), ids=CELL_TRICKS.keys())
def test_a_cell_with_two_readings_is_refused(tmp_path, trick):
    plain = _write(tmp_path, "plain")
    sheet, ref = _where("预算执行数").split("!")
    part = _sheet_part(plain, sheet)
    xml = dict((i.filename, d) for i, d in _parts(plain))[part].decode()
    changed = trick(xml, ref)
    assert changed != xml
    parts = [(i, changed.encode() if i.filename == part else d) for i, d in _parts(plain)]
    _ambiguous(_repack(plain, parts, tmp_path / "cell.xlsx"))


def test_a_row_twice_is_refused(tmp_path):
    plain = _write(tmp_path, "plain")
    sheet, ref = _where("预算执行数").split("!")
    row = re.sub(r"[A-Z]", "", ref)
    part = _sheet_part(plain, sheet)
    xml = dict((i.filename, d) for i, d in _parts(plain))[part].decode()
    whole = re.search(rf'<row r="{row}"[^>]*>.*?</row>', xml).group(0)
    changed = xml.replace(whole, whole + whole.replace("1660.95", "2052.59"), 1)
    parts = [(i, changed.encode() if i.filename == part else d) for i, d in _parts(plain)]
    _ambiguous(_repack(plain, parts, tmp_path / "row.xlsx"))


@pytest.mark.parametrize("spelling", ["良好\u00a0", "\u3000良好", "良好\t"], ids=["nbsp", "ideographic-space", "tab"])
def test_a_choice_with_another_space_is_no_choice_to_any_door(tmp_path, spelling):
    # the workbook's formulas TRIM only spaces: 工作质量等级 "良好" + NBSP scores nothing there
    path = _write(tmp_path, "choice", {"工作质量等级": spelling})
    for book in (PackageBook(path), CalamineBook(path)):
        result = assess(book)
        assert ("V105", _where("工作质量等级")) in _seen(result) and result.evaluation is None
    assert functions.PREVAL_SCORE("部门整体工作质量", spelling).startswith("#VALUE!")
    assert functions.PREVAL_SCORE("部门整体工作质量", " 良好 ") == 4  # spaces, as TRIM: 良好 = 4 分


# ---------------------------------------------------------------- issue 25, item 1: 资产管理安全性 ④

def test_the_two_halves_of_item_4_are_chosen_by_the_rubrics_words(tmp_path):
    # 附件1: "④资产购置履行政府采购手续，计0.3分…；外租资产全部走合规程序，计0.2分…扣完为止"
    rows = [("资产管理安全性", "④采购", 0.3, "采购未履行手续", ""), ("资产管理安全性", "④外租", 0.2, "外租未走程序", "")]
    path = _write(tmp_path, "halves", findings=[*FINDINGS, *rows])
    result = assess(PackageBook(path))
    assert result.errors == []
    score = {r.name: float(r.score) for r in result.evaluation.indicators}["资产管理安全性"]
    assert score == 1.5  # 2 − 0.3 − 0.2, each half within its own cap
    assert _score_cells(path, add_in=False)["资产管理安全性"] == pytest.approx(1.5)
    assert _score_cells(path, add_in=True)["资产管理安全性"] == pytest.approx(1.5)


def test_an_outside_lease_deduction_is_capped_at_its_own_half(tmp_path):
    # 0.3 on 外租 (worth 0.2): 扣完为止 at 0.2 -> 1.80, with V304
    path = _write(tmp_path, "lease", findings=[*FINDINGS, ("资产管理安全性", "④外租", 0.3, "三例外租未走程序", "")])
    result = assess(PackageBook(path))
    assert ("V304", f"扣分记录!C{FREE_ROW}") in _seen(result)
    assert {r.name: float(r.score) for r in result.evaluation.indicators}["资产管理安全性"] == 1.8
    assert _score_cells(path, add_in=False)["资产管理安全性"] == pytest.approx(1.8)


@pytest.mark.parametrize("sub", ["④", "⑤"])
def test_a_number_the_rubric_does_not_show_alone_is_refused(tmp_path, sub):
    path = _write(tmp_path, "plain", findings=[*FINDINGS, ("资产管理安全性", sub, 0.1, "一例", "")])
    result = assess(PackageBook(path))
    (v302,) = [p for p in result.problems if p.id == "V302"]
    assert v302.where == f"扣分记录!B{FREE_ROW}" and "④采购、④外租" in v302.expected


def test_the_dropdown_offers_the_halves_and_the_standard_explains_them(tmp_path):
    import openpyxl

    path = _write(tmp_path, "plain")
    wb = openpyxl.load_workbook(path)
    offered = [wb[L.RUBRIC].cell(r, 11).value for r in range(3, 3 + 20)]
    assert "④采购" in offered and "④外租" in offered and "⑤" in offered  # ⑤ is another indicator's
    standard = reference_case_profile().indicator("资产管理安全性").standard
    assert "“④采购”" in standard and "“④外租”" in standard


def test_points_less_deductions_are_rounded_once_not_after_binary_noise(tmp_path):
    # 预算执行率: ① 76.87% < 80% = 0, ② 绩效监控 是 = 2; whole deductions 0.1 + 1.5 + 0.25 + 0.125 = 1.975:
    # 2 − 1.975 = 0.025, half-up 0.03 (in binary 2 − 1.975 = 0.02499999999999991, which ROUND gives as 0.02)
    rows = [("预算执行率", "—", cut, "扣分事由", "") for cut in (0.1, 1.5, 0.25, 0.125)]
    path = _write(tmp_path, "noise", findings=[*FINDINGS, *rows])
    result = assess(PackageBook(path))
    assert {r.name: float(r.score) for r in result.evaluation.indicators}["预算执行率"] == 0.03
    assert _score_cells(path, add_in=False)["预算执行率"] == pytest.approx(0.03)
