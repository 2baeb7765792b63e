"""Every check fires on the mistake it names and stays quiet on the reference case.

Each case changes the reference case (reference-case.md) in one place and names the one
check id it must produce, at the one cell it must point to. The numbers are chosen by hand
against the rule: e.g. 年初 662.25 + 追加 388.91 − 追减 0 + 上年结转 409.46 + 其他收入 700 = 2160.62, so 全年预算 2100
must fire V201.
"""

import openpyxl
import pytest

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.checks import CATALOGUE, catalogue_markdown
from addin.scoring import assess
from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from addin.workbook.formulas import formula_cells
from tests.support import cells
from udfs import reference_case
from udfs.profile import load_profile

BASE = reference_case.RAW_INPUTS
FINDINGS = reference_case.RAW_FINDINGS
FIXED_ASSET_ROW = 11  # the reference case's own 提示 (V306), present in every case below


def _assess(inputs=None, findings=None, damage=None):
    book = OpenpyxlBook(build_workbook())
    write_case(book, dict(BASE, **(inputs or {})), FINDINGS if findings is None else findings)
    if damage:
        damage(book.wb)
    return assess(book)


def _where(name):
    wb = build_workbook()
    (sheet, ref), = wb.defined_names[name].destinations
    return f"{sheet}!{ref.replace('$', '')}"


def _found(result):
    return {(p.id, p.where) for p in result.problems} - {("V306", f"扣分记录!C{FIXED_ASSET_ROW}")}


def test_the_reference_case_has_no_error_and_only_its_known_hint():
    result = _assess()
    assert result.errors == []
    assert [(p.id, p.where) for p in result.problems] == [("V306", f"扣分记录!C{FIXED_ASSET_ROW}")]
    assert result.evaluation is not None


INPUT_CASES = [
    ("V101", {"编制数": None}, "编制数"),
    ("V102", {"全年预算": "2160.62万元"}, "全年预算"),
    ("V103", {"在职人数": "=20+9"}, "在职人数"),
    ("V104", {"追减预算": -5}, "追减预算"),
    ("V105", {"工作质量等级": "较好"}, "工作质量等级"),
    ("V106", {"评价年度": 2022.5}, "评价年度"),
    ("V107", {"满意率": 95.62}, "满意率"),
    ("V108", {"非税收入预算": 600000, "非税收入实际": 600000}, "非税收入预算"),  # 60亿: 元?
    ("V109", {"问卷份数": 29}, "问卷份数"),
    ("V110", {"在职人数": 29.5}, "在职人数"),
    ("V111", {"预算执行数": "1660.95"}, "预算执行数"),  # pasted as text (tests/test_one_reading.py: every spelling)
    ("V201", {"全年预算": 2100, "结转结余": 439.05}, "全年预算"),
    ("V202", {"结转结余": 500}, "结转结余"),
    ("V203", {"预算执行数": 2200, "结转结余": 0, "项目支出": 1553.12}, "预算执行数"),  # 646.88 + 1553.12
    ("V204", {"三公实际": 24.5, "公务用车经费": 23.39}, "三公实际"),  # 0 + 23.39 + 1.11
    ("V205", {"在职人数": 35}, "在职人数"),
    ("V206", {"编制数": 0}, "编制数"),  # 29 in post / 0 posts: the rubric says nothing
    ("V208", {"采购预算": 0}, "采购预算"),  # 156.97 bought / 0 budgeted: the profile scores it 0
    ("V207", {"及时完成数": 11}, "及时完成数"),
    # issue 17: plausibility against the workbook's own figures (reference: 全年预算 2160.62,
    # 预算执行数 1660.95 = 基本 646.88 + 项目 1014.07, 三公实际 13.73 = 0 + 12.62 + 1.11)
    ("V210", {"采购预算": 2200}, "采购预算"),  # 2200 > 全年预算 2160.62 (rate 156.97/2200 = 7%)
    ("V210", {"公用经费实际": 1661, "公用经费预算": 1661}, "公用经费实际"),  # > 1660.95 spent
    ("V211", {"项目支出": 1000}, "基本支出"),  # 646.88 + 1000 = 1646.88 ≠ 1660.95
    ("V211", {"公务接待经费": 1.2}, "出国经费"),  # 0 + 12.62 + 1.2 = 13.82 ≠ 13.73
    # template 0.8's detail (reference: 基本支出 646.88 of which 人员经费 533.67; 三公预算 24 = 0 + 12 + 12)
    ("V210", {"人员经费": 700}, "人员经费"),  # 700 > 基本支出 646.88
    ("V211", {"公务接待经费预算": 10}, "出国经费预算"),  # 0 + 12 + 10 = 22 ≠ 24
    ("V211", {"负债总额": 100, "净资产": 500}, "负债总额"),  # 100 + 500 = 600 ≠ 资产总额 689.36
    ("V212", {"三公预算上年": 2}, "三公预算本年"),  # (24 − 2)/2 = 1100% > 1000%
    ("V213", {"三公预算上年": 240000}, "三公预算上年"),  # 24 万元 last year typed in 元: 10000×
]


@pytest.mark.parametrize("check,change,name", INPUT_CASES, ids=[c[0] for c in INPUT_CASES])
def test_input_check_fires_at_its_cell(check, change, name):
    found = _found(_assess(change))
    assert (check, _where(name)) in found
    # one mistake, one finding (V108 and V211 name the first of the figures concerned)
    assert {c for c, _ in found} == {check}


def test_a_rate_typed_as_a_number_blocks_scoring():
    result = _assess({"满意率": 95.62})
    assert result.evaluation is None and result.errors[0].id == "V107"
    assert "95.62%" in result.errors[0].message


ROW = L.FINDINGS_FIRST + len(FINDINGS)  # the first free 扣分记录 row
FINDING_CASES = [
    ("V301", ("不存在的指标", "①", 1, "x", ""), "A"),
    ("V302", ("在职人员控制率", "①", 1, "x", ""), "B"),
    ("V303", ("信息公开性", "①", "一分", "x", ""), "C"),
    ("V304", ("资产管理制度健全性", "①", 1, "x", ""), "C"),  # ① is worth 0.5
    ("V305", ("资产管理安全性", "①", 0.1, None, ""), "D"),
    ("V306", ("资产管理安全性", "①", 0.15, "x", ""), "C"),  # 每例0.1
    ("V308", ("“三公经费”变动率", "—", 0.5, "x", ""), "A"),  # an alias, not the dropdown's name
    ("V308", ("资产管理安全性", "1", 0.1, "x", ""), "B"),
]


@pytest.mark.parametrize("check,row,column", FINDING_CASES, ids=[f"{c[0]}-{c[2]}" for c in FINDING_CASES])
def test_findings_check_fires_at_its_cell(check, row, column):
    found = _found(_assess(findings=[*FINDINGS, row]))
    assert found == {(check, f"扣分记录!{column}{ROW}")}


def test_deductions_adding_up_over_the_cap_are_a_hint():
    extra = [("资产管理安全性", "④外租", 0.1, "外租未走程序", ""), ("资产管理安全性", "④外租", 0.2, "又一例", "")]
    found = _found(_assess(findings=[*FINDINGS, *extra]))
    assert ("V307", f"扣分记录!C{ROW + 1}") in found  # 附件1: 外租资产…计0.2分: 0.1 + 0.2 > 0.2


def test_an_overwritten_score_cell_is_a_hint_and_scoring_goes_on():
    # issue 14: the output formulas belong to the program, which restores them when it
    # scores (tests/test_round_trip.py); only a problem in the inputs blocks scoring
    def type_over(wb):
        wb[L.SCORES][cells.score(8)].value = 2

    result = _assess(damage=type_over)
    assert ("V401", "提示", f"评分表!{cells.score(8)}") in {(p.id, p.severity, p.where) for p in result.problems}
    assert result.errors == [] and result.evaluation is not None


def test_formula_cells_are_the_built_workbooks_formulas(tmp_path):
    path = tmp_path / "b.xlsx"
    build_workbook().save(path)
    wb = openpyxl.load_workbook(path)
    expected = formula_cells(load_profile(None))
    assert len(expected) > 28 * 9
    for (sheet, cell), formula in expected.items():
        assert wb[sheet][cell].value == formula, (sheet, cell)


def test_every_program_formula_has_the_value_a_score_saves_beside_it(tmp_path):
    # one map: the cells the builder and V401 know are the cells a score gives values for
    from addin.books.package_book import PackageBook
    from addin.computed import computed_values
    from tests.support.workbooks import reference_workbook

    result = assess(PackageBook(reference_workbook(tmp_path / "r.xlsx")))
    values = computed_values(result.profile, result.case, result.evaluation, result.inputs, result.version)
    cells = formula_cells(result.profile)
    assert set(cells) - set(values) == set()
    total = (L.SUMMARY, L.Layout(result.profile).summary_cell("合计"))
    assert cells[total].startswith("=IFERROR(PREVAL_TOTAL(") and f"{values[total]:.2f}" == "80.39"


def test_every_check_in_the_catalogue_is_exercised_by_some_test():
    # derived from the catalogue: a check added without a test that names its id fails here
    import re
    from pathlib import Path

    named: set[str] = {c for c, *_ in INPUT_CASES} | {c for c, *_ in FINDING_CASES}
    for path in Path(__file__).parent.glob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == Path(__file__).name:  # not this test's own text
            text = re.sub(r"def test_every_check_in_the_catalogue_is_exercised_by_some_test.*?\n(?=def )", "", text,
                          flags=re.S)
        named |= set(re.findall(r'"(V\d{3})"', text))
    assert set(CATALOGUE) <= named, sorted(set(CATALOGUE) - named)


def test_docs_checks_md_is_generated_from_the_catalogue():
    from pathlib import Path
    doc = Path(__file__).parent.parent / "docs" / "checks.md"
    assert doc.read_text(encoding="utf-8") == catalogue_markdown(), "run: python -m addin.checks > docs/checks.md"


def test_a_self_score_that_differs_is_a_hint():
    found = {(p.id, p.severity) for p in _assess({"自评总分": 95}).problems}
    assert ("V402", "提示") in found
    assert "V402" not in {p.id for p in _assess({"自评总分": 80.39}).problems}  # the report's own total


# 评分表 of template 0.7: the 8 printed columns A:H (score in H), then 部门自报比率 I and
# 部门自评得分 J
SELF_RATE, SELF_SCORE = 9, 10


def _claim(no, column, value):
    def put(wb):
        wb[L.SCORES].cell(L.row_of(no), column).value = value
    return put


@pytest.mark.parametrize("no,column,value,fires", [
    # 预算调整率 (8): 附件2 prints 30.45% and 0 points
    (8, SELF_RATE, 0.3045, None), (8, SELF_SCORE, 0, None),
    (8, SELF_RATE, "30.45%", None),  # as copied from the report's text
    (8, SELF_RATE, 0.3054, "V404"),  # digits swapped
    (8, SELF_RATE, 30.45, "V404"),  # the percent slip: 3045%
    (8, SELF_SCORE, 2, "V403"),  # a department that gives itself full marks
    # 在职人员控制率 (3): 29/34 = 85.294…% shows as 85.29%; compared at 2 decimals of a percent,
    # 85.30% is a different figure
    (3, SELF_RATE, 0.853, "V404"), (3, SELF_RATE, 0.8529, None),
    # 满意度 (28): 7.65 of 8 in 附件2
    (28, SELF_SCORE, 7.65, None), (28, SELF_SCORE, 7.66, "V403"),
])
def test_self_reported_rates_and_scores_are_compared(no, column, value, fires):
    result = _assess(damage=_claim(no, column, value))
    assert result.errors == []
    cell = f"{L.col(column)}{L.row_of(no)}"
    found = [(p.id, p.severity, p.sheet, p.cell) for p in result.problems if p.id in ("V403", "V404")]
    assert found == ([(fires, "提示", L.SCORES, cell)] if fires else [])


def test_the_percent_slip_is_named_in_the_message():
    (hint,) = [p for p in _assess(damage=_claim(8, SELF_RATE, 30.45)).problems if p.id == "V404"]
    assert "应填 30.45%" in hint.message and hint.expected == "30.45%" and hint.found == "3045.00%"


def test_a_self_report_that_is_not_a_number_is_an_error_at_its_cell():
    result = _assess(damage=_claim(8, SELF_SCORE, "满分"))
    assert [(p.id, p.where) for p in result.errors] == [("V102", f"{L.SCORES}!J{L.row_of(8)}")]
    assert result.evaluation is None


def test_the_grey_rate_cell_of_an_indicator_without_a_rate_is_not_read():
    # 绩效目标合理性 (1) is judged, not computed: a value in its grey cell is ignored
    result = _assess(damage=_claim(1, SELF_RATE, "x"))
    assert result.errors == [] and not [p for p in result.problems if p.id in ("V102", "V404")]


def test_a_finding_past_the_prepared_rows_is_an_error_not_a_silent_difference():
    # issue 15: the same deduction at row 201 lowered the grade, at row 202 it was dropped.
    # 资金使用合规性 ① (1 point, 0.5 a case): 2 cases, 1 point: 80.39 − 1 = 79.39, which is 中 (< 80)
    row = ("资金使用合规性", "①", 1, "2例：会计基础工作不健全", "凭证")

    def at(row_number):
        def damage(wb):
            for column, value in enumerate(row, start=1):
                wb[L.FINDINGS].cell(row_number, column, value)
        return damage

    inside = _assess(damage=at(L.FINDINGS_LAST))
    assert f"{inside.evaluation.total:.2f}" == "79.39" and inside.evaluation.grade == "中"
    outside = _assess(damage=at(L.FINDINGS_LAST + 1))
    assert [(p.id, p.where) for p in outside.errors] == [("V309", f"扣分记录!A{L.FINDINGS_LAST + 1}")]
    assert outside.evaluation is None

    def far(wb):
        for n in range(10_000):
            wb[L.FINDINGS].cell(L.FINDINGS_LAST + 1 + n, 4, "备注")
    many = _assess(damage=far)
    (error,) = many.errors
    assert error.id == "V309" and "共10000行" in error.message


def test_plausibility_checks_stay_quiet_at_their_edges():
    # exactly equal is no part larger than its whole (采购预算 = 全年预算), parts adding up within
    # 0.01 万元 are a match, 1000% is not above 1000%, 999× is not 1000×
    quiet = {"采购预算": 2160.62, "项目支出": 1014.08, "三公预算本年": 22, "三公预算上年": 2, "项目预算": 1.02,
             "公务接待经费预算": 10}  # the 三公 items' budgets still add up: 0 + 12 + 10 = 22
    # 646.88 + 1014.08 = 1660.96, 0.01 over 1660.95; 三公变动率 (22 − 2)/2 = 1000%;
    # 项目 1014.07/1.02 = 994×
    assert _found(_assess(quiet)) == set()


def test_a_part_larger_than_its_whole_blocks_scoring_with_both_figures():
    # the example: 公用经费实际 58200 (元) against a 预算 of 60 and 1660.95 spent
    result = _assess({"公用经费预算": 60, "公用经费实际": 58200})
    assert result.evaluation is None
    (err,) = result.errors
    assert (err.id, err.expected, err.found) == ("V210", "不大于1660.95", "58200.00")
    assert "58200.00 万元大于预算执行数 1660.95 万元" in err.message
    # 58200/60 = 970× is below the 元 ratio, so the rate itself is named: 97000.00%
    (rate,) = [p for p in result.problems if p.id == "V212"]
    assert rate.found == "97000.00%" and "公用经费控制率" in rate.message


def test_deductions_past_a_cap_say_what_counted_and_the_hint_fires_on_the_row_beyond():
    # issue 18: three 0.5 deductions on 资金使用合规性 ① (1 point, per case 0.5): 1.5 deducted,
    # 1 counted ("扣完为止"): 7 − 1 = 6, and the text adds up. V307 fired only when a row crossed
    # the cap, not when the running total had reached it exactly (0.5 + 0.5 = 1, then 0.5 more)
    three = [("资金使用合规性", "①", 0.5, f"第{n}例", "") for n in (1, 2, 3)]
    result = _assess(findings=three)
    (hint,) = [p for p in result.problems if p.id == "V307"]
    assert hint.where == f"扣分记录!C{L.FINDINGS_FIRST + 2}" and hint.found == "1.5"
    compliance = result.evaluation.indicators[13]
    assert compliance.score == 6
    # ②–⑦ (1 point each) say what they kept: 0 + 6 = 6 of 7
    assert "①第1例、第2例、第3例，扣1.5分，该子项扣完为止，实扣1分；②③④⑤⑥⑦未发现不符合要求的情形，计6分，得6分" in compliance.basis


def test_net_assets_may_be_negative_and_no_other_amount_may():
    # 净资产 = 资产总额 − 负债总额 is below 0 where a unit's debts exceed its assets: no V104, and the
    # parts still add up (100 = 105 + (−5)); 资产总额 below 0 stays the V104 every amount gets
    assert _found(_assess({"资产总额": 100, "负债总额": 105, "净资产": -5})) == set()
    assert ("V104", _where("资产总额")) in _found(_assess({"资产总额": -5}))
