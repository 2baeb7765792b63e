"""The workbook's own formulas, recalculated without Excel (the `formulas` package).

With our PREVAL_* functions registered this is Excel with the add-in: the cells must give
the report's 28 scores, sections, total and grade. Without them it is WPS, LibreOffice or
Excel without the add-in: every PREVAL_* call is #NAME?, and the workbook's own formulas
(template 0.6, issue 16) must give the same numbers, live.
"""

from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.scoring import score_file
from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from tests.support import cells
from tests.support.expected import EXPECTED, GRADE, SECTIONS, TOTAL
from tests.support.recalc import recalculate
from tests.support.workbook_eval import WorkbookFormulas
from udfs import reference_case
from udfs.profile import load_profile


def _is_error(value) -> bool:
    return isinstance(value, str) and value.startswith("#")


def _filled(path):
    wb = build_workbook()
    write_case(OpenpyxlBook(wb), reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    return _filled(tmp_path_factory.mktemp("wb") / "filled.xlsx")


@pytest.fixture(scope="module")
def live(filled):
    return recalculate(filled)


@pytest.fixture(scope="module")
def scored(filled):
    _, written = score_file(filled, filled.with_name("scored.xlsx"))
    return written


def _formula_cells(path):
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=")]


def _score(values, no):
    return values[(L.SCORES.upper(), cells.score(no))]


def test_every_score_cell_gives_the_reports_score(live):
    for no, name, _, _, score in EXPECTED:
        assert Decimal(str(_score(live, no))) == Decimal(score), name


def test_sections_total_and_grade_from_the_cells(live):
    layout = L.Layout(load_profile(None))
    for section, expected in SECTIONS.items():
        assert Decimal(str(live[(L.SUMMARY, layout.summary_cell(section))])) == Decimal(expected), section
    assert Decimal(str(live[(L.SUMMARY, layout.summary_cell('合计'))])) == Decimal(TOTAL)
    assert live[(L.SUMMARY, layout.summary_cell('评价等级'))] == GRADE
    assert Decimal(str(live[(L.SCORES, cells.total())])) == Decimal(TOTAL)
    assert live[(L.SCORES, cells.grade())] == GRADE


def test_rates_in_the_calc_sheet_are_the_reports(live):
    for no, name, _, rate, _ in EXPECTED:
        if rate is not None:
            value = live[(L.CALC, cells.value1(no))]
            assert round(Decimal(str(value)), 4) == Decimal(rate), name
    assert live[(L.CALC, cells.value1(6))] == "无"  # 非税收入 0/0: no such item


def test_no_formula_cell_is_an_error(filled, live):
    cells = _formula_cells(filled)
    assert len(cells) > 300
    bad = [(s, c, live.get((s.upper(), c))) for s, c in cells if _is_error(live.get((s.upper(), c)))]
    assert bad == []


def test_status_line_says_live(live):
    assert live[(L.SCORES, "A2")].startswith("实时计算")
    assert live[(L.SCORES, "A1")] == "邵阳市信访局2022年度部门整体支出绩效评价评分表"


def test_without_the_add_in_a_scored_workbook_computes_the_same_numbers(scored):
    # issue 16: every PREVAL_* call is #NAME? here, and the cells show the workbook's own
    # formulas (公式计算), not a value frozen at the last computation
    seen = recalculate(scored, add_in=False)
    for no, name, _, _, score in EXPECTED:
        assert Decimal(str(_score(seen, no))) == Decimal(score), name
    assert seen[(L.SUMMARY, cells.summary('合计'))] == float(TOTAL) and seen[(L.SUMMARY, cells.summary('评价等级'))] == GRADE
    status = seen[(L.SCORES, "A2")]
    assert status == "实时计算（工作簿公式，未加载 preval 加载项）；评分说明随输入实时更新"  # template 0.11: live notes
    assert not [c for c in _formula_cells(scored) if _is_error(seen.get((c[0].upper(), c[1])))]
    # the 评分说明 the workbook's formulas give is the text preval score saved beside them
    saved = CalamineWorkbook.from_path(str(scored)).get_sheet_by_name(L.NOTES).to_python()
    for no, name, *_ in EXPECTED:
        row = L.row_of(no)
        for column in (L.NOTES_BASIS, L.NOTES_REASONS):
            assert (seen[(L.NOTES.upper(), L.at(column, row))] or "") == saved[row - 1][column - 1], (name, column)
    # seed 003's 附件2 line for 信息公开性, as the formulas put it together
    assert seen[(L.NOTES.upper(), L.at(L.NOTES_BASIS, L.row_of(15)))] == (
        "②决算填列三公24.62万元与预算公开24万元不一致，扣0.1分；③两张项目自评表支出数与决算不一致，扣0.2分；"
        "①及时、准确、完整公开预决算和绩效管理信息，未发现不符合要求的情形，计1分，得3.7分")


def test_without_the_add_in_an_unscored_workbook_computes_and_explains(filled):
    seen = recalculate(filled, add_in=False)
    for no, name, _, _, score in EXPECTED:
        assert Decimal(str(_score(seen, no))) == Decimal(score), name
    assert seen[(L.SCORES, "A2")].endswith("；评分说明随输入实时更新") and "尚未生成" not in seen[(L.SCORES, "A2")]
    # 1660.95/2160.62 = 76.87%, below 80%: 0 (附件1), and 绩效监控 是: 2
    assert seen[(L.NOTES.upper(), L.at(L.NOTES_BASIS, L.row_of(7)))] == (
        "①预算执行率=1660.95/2160.62×100%=76.87%，小于80%不得分；②实施项目资金运行监控：是，计2分，得2分")


def _edited(scored, tmp_path, change):
    wb = openpyxl.load_workbook(scored)
    change(wb)
    wb.save(tmp_path / "edited.xlsx")
    return recalculate(tmp_path / "edited.xlsx", add_in=False)


def test_an_input_changed_after_scoring_changes_the_score_and_the_notes(scored, tmp_path):
    def budget_2000(wb):
        (sheet, ref), = wb.defined_names["全年预算"].destinations
        wb[sheet][ref.replace("$", "")].value = 2000

    seen = _edited(scored, tmp_path, budget_2000)
    # 预算执行率 = 1660.95/2000 = 83.05%: 80–90% gives 0.5, plus 2 for 绩效监控 = 2.5 (附件1)
    assert _score(seen, 7) == 2.5
    basis = seen[(L.NOTES.upper(), L.at(L.NOTES_BASIS, L.row_of(7)))]
    assert basis.startswith("①预算执行率=1660.95/2000.00×100%=83.05%，") and basis.endswith("，得2.5分")
    assert "需重新生成" not in seen[(L.SCORES, "A2")]  # the notes changed with the input


def test_a_finding_added_after_scoring_changes_the_score_and_the_notes(scored, tmp_path):
    def one_more(wb):
        row = L.FINDINGS_FIRST + len(reference_case.RAW_FINDINGS)
        for column, value in enumerate(("信息公开性", "①", 0.1, "新增"), start=1):
            wb[L.FINDINGS].cell(row, column, value)

    seen = _edited(scored, tmp_path, one_more)
    assert _score(seen, 15) == 3.6  # 信息公开性 3.7 − 0.1 (reference-case.md)
    assert seen[(L.SUMMARY, cells.summary('合计'))] == 80.29
    # recalculate keeps 扣分记录's helpers as saved: the 评分说明 are computed with all of them
    book = WorkbookFormulas(tmp_path / "edited.xlsx")
    book.load({}, [*reference_case.RAW_FINDINGS, ("信息公开性", "①", 0.1, "新增")])
    row = L.row_of(15)
    assert book.evaluate([(L.NOTES, L.at(L.NOTES_BASIS, row))])[(L.NOTES, L.at(L.NOTES_BASIS, row))] == (
        "①新增，扣0.1分；②决算填列三公24.62万元与预算公开24万元不一致，扣0.1分；③两张项目自评表支出数与决算不一致，扣0.2分，得3.6分")
    said = book.evaluate([(L.NOTES, L.at(L.NOTES_REASONS, row))])[(L.NOTES, L.at(L.NOTES_REASONS, row))]
    assert said.endswith("（佐证：项目支出绩效自评表）；新增")
