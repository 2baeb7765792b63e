"""The workbook checks its own inputs (template 0.9, issue 30): each input's 实时校验 cell
states validate's V1xx checks as a formula. For a corpus of bad inputs, the formulas (computed
by the `formulas` package, with no preval code) show the same id and the same words at the
same cell as the Python check and as ``preval validate``; the expected id of each case is
written here by hand from docs/checks.md, not taken from either side."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from addin.books.package_book import PackageBook
from addin.scoring import assess
from addin.workbook import layout as L
from addin.workbook.formulas import formula_cells
from addin.workbook.live_checks import live_cells, live_count, live_values
from addin.workbook.native import beyond_limits
from tests.support.excel_limits import SHARED_FUNCTIONS, most_arguments
from tests.support.live_corpus import CORPUS
from tests.support.workbook_eval import WorkbookFormulas
from tests.support.workbooks import reference_workbook
from udfs import reference_case
from udfs.engine import inputs_needed
from udfs.profile import load_profile

PROFILE = load_profile()
NEEDED = inputs_needed(PROFILE)
LIVE = {name: (sheet, f"{L.LIVE_COLUMN}{cell[1:]}") for name, (sheet, cell) in L.input_cells().items()
        if (sheet, f"{L.LIVE_COLUMN}{cell[1:]}") in formula_cells(PROFILE)}

@pytest.fixture(scope="module")
def formulas_of(tmp_path_factory) -> WorkbookFormulas:
    return WorkbookFormulas(reference_workbook(tmp_path_factory.mktemp("live") / "live.xlsx"))


def _shown(book: WorkbookFormulas, raw: dict) -> dict[str, str]:
    book.load(raw, [])
    got = book.evaluate(list(LIVE.values()))
    return {name: got[key] or "" for name, key in LIVE.items()}


def test_every_input_on_the_two_sheets_has_its_live_cell():
    on_sheets = [n for n, (sheet, _cell) in L.input_cells().items() if sheet in L.LIVE_SHEETS]
    optional_texts = [n for n in on_sheets if n not in LIVE]
    assert optional_texts == ["单位编码"]  # an optional text: nothing to check
    assert len(LIVE) == len(on_sheets) - 1


@pytest.mark.parametrize(("name", "raw", "expected"), CORPUS, ids=[f"{n}={r!r}" for n, r, _ in CORPUS])
def test_the_formula_shows_what_the_python_check_says(formulas_of, name, raw, expected):
    raw_inputs = dict(reference_case.RAW_INPUTS, **{name: raw})
    shown = _shown(formulas_of, raw_inputs)
    expected, _, at = expected.partition("@")
    at = at or ("全年预算" if expected == "V201" else name)  # the income identity is said at 全年预算
    assert shown[at][:4] == expected or (shown[at] == "" and expected == "")
    # every cell, not only the changed one: the same words, and no finding the check does not make
    python = live_values(PROFILE, raw_inputs)
    assert shown == {n: python[key] for n, key in LIVE.items()}


def test_the_reference_case_shows_no_finding(formulas_of):
    assert set(_shown(formulas_of, dict(reference_case.RAW_INPUTS)).values()) == {""}


LIVE_IDS = ("V101", "V102", "V104", "V105", "V106", "V107", "V108", "V109", "V110", "V111", "V201", "V202", "V203",
            "V204", "V205", "V206", "V207", "V208", "V210", "V211", "V212", "V213")


def _said(text: str) -> list[tuple[str, str]]:
    """(id, message) of each finding in a 实时校验 cell ("V108 …；V210 …")."""
    return re.findall(r"(?:^|；)(V\d{3}) (.*?)(?=；V\d{3} |$)", text)


@pytest.mark.parametrize(("bad", "errors", "hints"), [
    # V104 编制数, V111 三公实际, V107 满意率; V109 问卷份数, V108 三公预算本年 (the figures wait)
    ({"编制数": -3, "三公实际": "13.73", "满意率": 95.62, "问卷份数": 20, "三公预算本年": 600000}, 3, 2),
    # V201 at 全年预算, V210 公用经费实际 > 预算执行数, V210 三公预算本年 > 全年预算; V108 三公预算本年,
    # V213 三公预算本年 600000 vs 三公实际 13.73 (43700 倍) and vs 三公预算上年 24 (25000 倍), V202 结转结余
    # 499.67 is not 2000 − 1660.95, V212 公用经费控制率 2000/106.84 = 1871.96% (the 变动率 (600000−24)/24 is
    # V213's already), V211 at 出国经费预算: 0 + 12 + 12 = 24 is not 三公预算本年 600000
    ({"全年预算": 2000, "公用经费实际": 2000, "三公预算本年": 600000}, 3, 6),
    # V206 at 计划工作数 three times (实际完成率, 完成及时率, 质量达标率: no rubric answer for x/0), V206
    # 重点支出预算 0; V208 三公预算上年 0 (变动率 x/0 计0分), V208 采购预算 0, V212 追加预算 20000: 预算调整率
    # (20000+0+409.46+700−1208.47)/(2160.62−1208.47) = 2090.11%; V201 at 全年预算 (the 追加 is not in it)
    ({"计划工作数": 0, "重点支出预算": 0, "三公预算上年": 0, "采购预算": 0, "追加预算": 20000}, 5, 3),
    # V210 三公预算本年 > 全年预算; V213 三公预算本年 24000 vs 三公实际 13.73 and vs 三公预算上年 24
    # (two in one cell), V213 重点支出预算 vs 重点支出实际 0.26, V211 at 出国经费预算 (24 is not 24000)
    ({"三公预算本年": 24000, "重点支出实际": 0.26}, 1, 4),
], ids=["cells", "figures", "apart", "rates"])
def test_the_count_and_validate_agree(tmp_path, formulas_of, bad, errors, hints):
    raw = dict(reference_case.RAW_INPUTS, **bad)
    formulas_of.load(raw, [])
    summary = (L.SUMMARY, L.at(1, L.Layout(PROFILE).summary_row("实时校验")))
    count = formulas_of.evaluate([(L.CHECKS, L.LIVE_COUNT_CELL), summary])
    assert count[(L.CHECKS, L.LIVE_COUNT_CELL)] == live_count(errors, hints)  # counted by hand, above
    assert count[summary] == f"实时校验：{errors} 个错误，{hints} 个提示"
    result = assess(PackageBook(reference_workbook(tmp_path / "bad.xlsx", **bad)))  # what preval validate reports
    reported = sorted((p.sheet, p.cell, p.id, p.message) for p in result.problems if p.id in LIVE_IDS)
    shown = sorted((LIVE[n][0], L.INPUT_COLUMN + LIVE[n][1][1:], i, m)
                   for n, text in _shown(formulas_of, raw).items() for i, m in _said(text))
    assert shown == reported
    assert sum(p.severity == "错误" for p in result.problems if p.id in LIVE_IDS) == errors


def test_the_template_prints_without_the_live_column_and_colours_it():
    wb = openpyxl.load_workbook(Path(L.__file__).parents[2] / "xlsx_templates" / L.FILE_NAME)
    for sheet in L.LIVE_SHEETS:
        ws = wb[sheet]
        last = max(int(c[1:]) for s, c in L.input_cells().values() if s == sheet)
        assert ws.print_area == f"'{sheet}'!$A$1:$D${last}"
        assert all(ws.column_dimensions[c].hidden for c in L.LIVE_HIDDEN_COLUMNS)
        own = L.LIVE_HIDDEN_COLUMNS[2]
        rules = [r for cf in ws.conditional_formatting for r in cf.rules if f"${own}" in r.formula[0]]
        assert len(rules) == 2 and any("V108" in r.formula[0] for r in rules)
        assert ws[f"{L.LIVE_COLUMN}2"].value == "实时校验"


def test_the_live_formulas_fit_excel_2010():
    cells = live_cells(PROFILE)
    assert len(cells) > 100
    for key, formula in cells.items():
        assert beyond_limits(formula) == "", key
        outside_strings = re.sub(r'"[^"]*"', '""', formula)
        assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", outside_strings)) <= SHARED_FUNCTIONS, key
        assert most_arguments(formula) <= 30, key  # LibreOffice's CHOOSE says Err:508 past 30
    assert most_arguments("=CHOOSE(1," + ",".join(["1"] * 43) + ")") == 44


@pytest.mark.parametrize(("bad", "at", "expected"), [
    # 1234.565/100 = 1234.565% exactly: half-up 1234.57 (Python's format would say 1234.56, half-even)
    ({"公用经费实际": 1234.565, "公用经费预算": 100}, "公用经费实际",
     "V212 公用经费控制率：公用经费控制率为 1234.57%，超过1000%，请核对公用经费实际、公用经费预算是否填错或单位不一致"),
    # 预算调整率 = (追加 + 追减 + 上年结转 409.46 + 其他收入 700.00 − 剔除 1208.47)/(全年预算 2160.62 − 1208.47) (reference
    # case: 30.45%); 追加 20000: 19900.99/952.15 = 20.901108… → 2090.11%
    ({"追加预算": 20000}, "追加预算",
     "V212 预算调整率：预算调整率为 2090.11%，超过1000%，请核对追加预算、追减预算、上年结转、其他收入、调整剔除数、全年预算"
     "是否填错或单位不一致"),
    # 重点交办数 0 with 重点完成数 not 0: the rubric answers only 0/0 (both_zero = "full")
    ({"重点交办数": 0}, "重点交办数", "V206 重点工作办结率：重点工作办结率的分母重点交办数为0（或为空），无法计算"),
    # 重点交办数 and 重点完成数 both 0: 计满分, no finding at either
    ({"重点交办数": 0, "重点完成数": 0}, "重点交办数", ""),
    ({"三公预算上年": 0}, "三公预算上年",
     "V208 三公经费变动率：三公预算上年为0而“三公经费”变动率的分子不为0，按评分档案计0分，请核实"),
    # 分项之和: 出国经费上年 blank, said at the first part filled; 10.03 + 1.2 = 11.23 − 11.17 = 0.06
    ({"公务接待经费上年": 1.2}, "公务用车经费上年",
     "V211 出国经费上年 （空） + 公务用车经费上年 10.03 + 公务接待经费上年 1.20 = 11.23，与三公实际上年 11.17 相差 0.06 万元"),
    # 负债总额 blank, 净资产 negative (it can be): −50 − 689.36 = −739.36
    ({"净资产": -50}, "净资产", "V211 负债总额 （空） + 净资产 -50.00 = -50.00，与资产总额 689.36 相差 -739.36 万元"),
    # half-up at 2 decimals in every term: 0.006 → 0.01, 12.625 → 12.63; 13.741 − 13.73 = 0.011 is above the
    # 0.01 allowed, shown 0.01 (0.005 would be 0.01 exactly: no finding)
    ({"出国经费": 0.006, "公务用车经费": 12.625}, "出国经费",
     "V211 出国经费 0.01 + 公务用车经费 12.63 + 公务接待经费 1.11 = 13.74，与三公实际 13.73 相差 0.01 万元"),
], ids=["half-up", "adjust", "x/0", "0/0", "rubric-answers", "sum-blank", "sum-negative", "sum-half-up"])
def test_a_check_of_figures_says_the_same_words_in_the_workbook_and_in_validate(tmp_path, formulas_of, bad, at, expected):
    raw = dict(reference_case.RAW_INPUTS, **bad)
    assert _shown(formulas_of, raw)[at] == expected  # the words written above, by hand
    result = assess(PackageBook(reference_workbook(tmp_path / "bad.xlsx", **bad)))
    sheet, cell = L.input_cells()[at]
    said = [f"{p.id} {p.message}" for p in result.problems if (p.sheet, p.cell) == (sheet, cell)]
    assert said == ([expected] if expected else [])
