"""项目明细 (template 0.10, issue 28 item 4): the projects seed 003 lists in 二(三), typed one a
row, checked (V601–V603), read alike by every reader and printed as the report's table with
its 合计. Expected figures are seed 003's table: 1500.29, 1014.07, 486.22."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from addin.books.calamine_book import CalamineBook
from addin.books.openpyxl_book import OpenpyxlBook
from addin.books.package_book import PackageBook
from addin.case import write_case
from addin.report.content import build_content
from addin.scoring import assess
from addin.upgrade import upgrade_file
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.build import build_workbook
from udfs import reference_case

FIXTURES = Path(__file__).parent / "fixtures"
SEED_003 = [  # 二(三) 项目明细收支情况, as printed (127.8 shows as 127.80)
    ("1", "信访工作经费", "144.82", "127.80", "17.02"),
    ("2", "“治重化积”专项", "120.00", "60.00", "60.00"),
    ("3", "驻京维稳劝返工作经费", "1158.47", "751.00", "407.47"),
    ("4", "春风行动款", "11.00", "11.00", "0.00"),
    ("5", "信访局网络信访数字证书更新费用", "6.00", "6.00", "0.00"),
    ("6", "市信访局接待中心维修改造项目经费", "50.00", "48.27", "1.73"),
    ("7", "社会治理重点工作攻坚行动经费", "10.00", "10.00", "0.00"),
    ("", "合计", "1500.29", "1014.07", "486.22"),
]


def _write(tmp_path, projects, name="case"):
    book = OpenpyxlBook(build_workbook())
    write_case(book, reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS, projects)
    path = tmp_path / f"{name}.xlsx"
    book.wb.save(path)
    return path


def _table(content, caption):
    def walk(sections):
        for s in sections:
            yield from s.tables
            yield from walk(s.subsections)
    return next((t for t in walk(content.sections) if t.caption == caption), None)


def _problems(result):
    return sorted((p.id, p.severity, p.where) for p in result.problems if p.id.startswith("V6"))


def test_the_sheet_is_an_input_table_after_the_findings():
    wb = build_workbook()
    assert wb.sheetnames.index(L.PROJECTS) == wb.sheetnames.index(L.FINDINGS) + 1
    ws = wb[L.PROJECTS]
    assert [ws.cell(1, c).value for c in range(1, 5)] == ["项目名称", "本年实际拨入（万元）", "本年实际支出（万元）",
                                                          "年末结转和结余（万元）"]
    assert ws.protection.sheet  # the header is the program's; the 50 rows are the clerk's
    assert all(not ws.cell(r, c).protection.locked for r in (2, 51) for c in range(1, 5))
    assert ws.cell(52, 1).protection.locked
    assert ws["C2"].number_format == "#,##0.00" and ws.print_area == "'项目明细'!$A$1:$D$51"
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.operator, dv.formula1, str(dv.sqref)) == ("decimal", "greaterThanOrEqual", "0", "B2:D51")
    assert "项目明细" in wb[L.GUIDE]["B7"].value
    assert versions.projects(versions.CURRENT) and versions.projects("0.10") and not versions.projects("0.9")


def test_the_report_lists_seed_003s_projects_with_their_totals(tmp_path):
    path = _write(tmp_path, reference_case.RAW_PROJECTS)
    result = assess(PackageBook(path))
    assert result.errors == [] and _problems(result) == []
    content = build_content(result.evaluation, result.inputs, result.profile, result.problems, result.projects)
    table = _table(content, "项目明细收支情况")
    assert table.header == ("序号", "项目名称", "本年实际拨入", "本年实际支出", "年末结转和结余")
    assert [tuple(r) for r in table.rows] == SEED_003
    (section,) = [s for top in content.sections for s in top.subsections if s.heading == "（三）项目支出情况"]
    # seed 003: "1. 项目管理情况。该单位对专项经费…" then "2. 项目具体支出明细情况。2022 年度…"
    assert section.paragraphs[0].startswith("1.项目管理情况。该单位对专项经费的使用管理按照内部财务制度的要求执行。")
    assert section.paragraphs[1].startswith("2.项目具体支出明细情况。2022年度实际发生项目支出共1014.07万元")


def test_every_reader_reads_the_rows_alike(tmp_path):
    path = _write(tmp_path, reference_case.RAW_PROJECTS)
    package, calamine = assess(PackageBook(path)), assess(CalamineBook(path))
    assert package.projects == calamine.projects and len(package.projects) == 7
    assert str(package.projects[0].spent) == "127.8"


@pytest.mark.parametrize("row,expected", [
    (("信访工作经费", 144.82, "127.80", 17.02), [("V601", "错误", "项目明细!C2")]),  # a number stored as text
    (("信访工作经费", 144.82, "一百", 17.02), [("V601", "错误", "项目明细!C2")]),
    (("信访工作经费", -144.82, 127.8, 17.02), [("V601", "错误", "项目明细!B2")]),
    ((None, 144.82, 127.8, 17.02), [("V603", "错误", "项目明细!A2")]),
])
def test_a_row_that_is_not_figures_is_an_error_where_it_is(tmp_path, row, expected):
    path = _write(tmp_path, [row, *reference_case.RAW_PROJECTS[1:]])
    result = assess(PackageBook(path))
    assert _problems(result) == expected
    assert _problems(assess(CalamineBook(path))) == expected  # batch reads it alike


def test_projects_that_do_not_add_up_to_the_project_spending_are_a_hint(tmp_path):
    # without 信访局网络信访数字证书更新费用 (6.00): 1008.07 against 项目支出 1014.07
    rows = [r for r in reference_case.RAW_PROJECTS if r[0] != "信访局网络信访数字证书更新费用"]
    result = assess(PackageBook(_write(tmp_path, rows)))
    (v602,) = [p for p in result.problems if p.id == "V602"]
    assert v602.severity == "提示" and v602.where == "项目明细!C2"
    assert v602.message == "项目明细的本年实际支出合计1008.07万元，与“财务数据”的项目支出1014.07万元不符"
    assert result.evaluation is not None  # no score depends on the rows
    # within 0.01 万元: no hint
    rows = [*reference_case.RAW_PROJECTS[:-1], ("社会治理重点工作攻坚行动经费", 10, 10.01, 0)]
    assert _problems(assess(PackageBook(_write(tmp_path, rows, "near")))) == []


def test_without_projects_the_table_is_there_to_be_written_in(tmp_path):
    # "these sections and their tables always appear … 【待填写】 in what is empty" (issue 28)
    result = assess(PackageBook(_write(tmp_path, [])))
    content = build_content(result.evaluation, result.inputs, result.profile, result.problems, result.projects)
    table = _table(content, "项目明细收支情况")
    assert [tuple(r) for r in table.rows] == [("1", "【待填写】", "【待填写】", "【待填写】", "【待填写】"),
                                             ("", "合计", "【待填写】", "1014.07", "【待填写】")]
    assert "项目明细（在工作簿“项目明细”表逐项填写后重新生成）" in content.pending()
    assert "项目明细收支情况表6处空白" in content.pending()
    # a department without project spending has no table to fill
    result = assess(PackageBook(_write(tmp_path, [], "none")))
    none = build_content(result.evaluation, result.inputs.__class__.from_mapping(
        {**{k: v for k, v in reference_case.RAW_INPUTS.items()}, "项目支出": 0}), result.profile, [], [])
    assert _table(none, "项目明细收支情况") is None


def test_an_older_workbook_has_no_such_sheet_and_upgrades_to_one(tmp_path):
    old = FIXTURES / "reference-input-libreoffice-v0.9.xlsx"
    result = assess(PackageBook(old))
    assert result.version == "0.9" and result.errors == [] and result.projects == [] and _problems(result) == []
    up = upgrade_file(old, tmp_path / "up.xlsx")
    wb = openpyxl.load_workbook(up.out)
    assert L.PROJECTS in wb.sheetnames and wb[L.PROJECTS]["A2"].value is None
    again = assess(PackageBook(up.out))
    assert again.version == versions.CURRENT and again.errors == []
