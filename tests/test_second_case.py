"""Issue 28's second case: seed 002 (衡阳县行政审批服务局 2023) with every optional input filled
(tests/support/second_case.py). Its 自评报告 has every section seed 002 has, nothing left
【待填写】, the department's typed words verbatim, seed 002's figures as it states them, the
unit named once and never glued onto the department's own subject."""

from __future__ import annotations

import pytest

from addin.books.openpyxl_book import OpenpyxlBook
from addin.books.package_book import PackageBook
from addin.case import write_case
from addin.report.content import build_content
from addin.report.self_report import build_self_content
from addin.scoring import assess
from addin.workbook.build import build_workbook
from tests.support import second_case as C
from udfs.contract import INPUTS

# seed 002's sections (its own headings) -> where the 自评报告 says the same
SEED_002 = {
    "一、部门、单位基本情况": "一、部门（单位）基本情况",
    "（一）机构设置情况": "（一）机构设置情况",
    "（二）人员编制情况": "（二）人员编制情况",
    "二、预算支出情况": "二、预算支出情况",
    "（一）部门预决算情况": "（一）部门预决算情况",
    "1.“三公”经费执行情况": "（四）“三公经费”支出情况",
    "2.政府采购执行情况": "（五）政府采购情况",
    "3.资产管理情况": "（六）资产管理情况",
    "3、部门整体支出绩效情况": "三、部门整体支出绩效情况",
    "（二）评价指标分析": "（二）评价指标分析",
    "四、项目绩效目标完成情况": "四、绩效指标完成情况",
    "五、存在的问题及改进措施 1.存在的问题": "五、存在的问题及原因",
    "五、存在的问题及改进措施 2.改进措施": "六、改进措施及建议",
    "六、其他需要说明的情况": "七、其他需要说明的情况",
}
# seed 002's figures, as it prints them (万元)
FIGURES = ("424.89", "1380.82", "426.92", "953.90", "7.56", "0.53", "488.28", "39.21", "449.07", "856.68", "626.98",
           "229.70", "1624.13")


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    book = OpenpyxlBook(build_workbook())
    write_case(book, C.INPUTS, C.FINDINGS, C.PROJECTS)
    path = tmp_path_factory.mktemp("case") / "衡阳县行政审批服务局.xlsx"
    book.wb.save(path)
    result = assess(PackageBook(path))
    assert result.errors == [] and result.evaluation is not None
    return result


def _walk(sections, depth=0):
    for s in sections:
        yield s, depth
        yield from _walk(s.subsections, depth + 1)


def _text(content) -> str:
    return "\n".join(line for s, _ in _walk(content.sections) for line in [s.heading, *s.paragraphs])


def test_the_case_fills_every_input():
    assert [spec.name for spec in INPUTS if spec.name not in C.INPUTS] == []
    assert sum(p[2] for p in C.PROJECTS) == pytest.approx(C.INPUTS["项目支出"])


def test_the_self_report_has_every_section_of_seed_002_and_nothing_to_fill_in(scored):
    content = build_self_content(scored.evaluation, scored.inputs, scored.profile, scored.problems, scored.projects)
    sections = {s.heading: s for s, _ in _walk(content.sections)}
    missing = [seed for seed, ours in SEED_002.items() if ours not in sections]
    assert missing == []
    empty = [ours for ours in SEED_002.values() if not (sections[ours].paragraphs or sections[ours].subsections)]
    assert empty == []
    assert content.pending() == []
    text = _text(content)
    assert [f for f in FIGURES if f not in text] == []
    # seed 002 三(1): "部门整体支出绩效自评评分98分": the department's score said, beside the computed one
    assert "本单位自评总分98分" in text


def test_the_departments_words_are_its_own(scored):
    content = build_self_content(scored.evaluation, scored.inputs, scored.profile, scored.problems, scored.projects)
    text = _text(content)
    for name in ("绩效总目标", "职责履行情况", "问题及原因分析", "改进措施", "部门职责", "项目管理情况", "基本支出情况"):
        assert C.INPUTS[name] in text, name
    for line in C.INPUTS["绩效指标完成情况"].split("\n"):
        assert line in text
    # seed 002 opens with its short name: kept as typed, the full name not glued before it
    assert C.INPUTS["机构设置"] in text
    assert "衡阳县行政审批服务局县行政审批局" not in text and "衡阳县行政审批服务局" * 2 not in text
    assert "经查" not in text and "评价组" not in text and "见评价资料第" not in text


def test_the_projects_table_adds_up_to_the_project_spending(scored):
    content = build_self_content(scored.evaluation, scored.inputs, scored.profile, scored.problems, scored.projects)
    table = next(t for s, _ in _walk(content.sections) for t in s.tables if t.caption == "项目明细收支情况")
    assert len(table.rows) == len(C.PROJECTS) + 1
    assert table.rows[-1] == ("", "合计", "953.90", "953.90", "0.00")


def test_the_third_party_report_of_the_same_case_leaves_nothing_to_fill_in(scored):
    content = build_content(scored.evaluation, scored.inputs, scored.profile, scored.problems, scored.projects)
    assert content.pending() == []
    text = _text(content)
    assert "衡阳县行政审批服务局县行政审批局" not in text
    signed = "\n".join(content.signature)
    assert C.INPUTS["项目负责人"] in signed and C.INPUTS["注册会计师"] in signed


# seed 003's sections (shaoyang-xinfang-2022-evaluation.txt) -> the third-party report's headings
SEED_003 = ("一、部门概况", "（一）部门基本情况", "（二）主要职责", "二、部门整体支出管理及使用情况",
            "（一）预算执行、使用、管理总体情况", "（二）基本支出情况", "（三）项目支出情况", "（四）“三公经费”支出情况",
            "（五）政府采购执行情况", "三、绩效评价工作情况及评价结论", "四、部门整体支出绩效情况", "（一）部门绩效总目标",
            "（二）主要绩效指标完成情况", "（三）职责履行和主要绩效情况", "五、存在的问题及原因分析", "六、改进措施及有关建议")


def test_the_reference_cases_report_has_every_section_of_seed_003(tmp_path):
    from udfs import reference_case as R

    book = OpenpyxlBook(build_workbook())
    write_case(book, R.RAW_INPUTS, R.RAW_FINDINGS, R.RAW_PROJECTS)
    book.wb.save(tmp_path / "ref.xlsx")
    result = assess(PackageBook(tmp_path / "ref.xlsx"))
    content = build_content(result.evaluation, result.inputs, result.profile, result.problems, result.projects)
    sections = {s.heading: s for s, _ in _walk(content.sections)}
    assert [h for h in SEED_003 if h not in sections] == []
    assert [h for h in SEED_003 if not (sections[h].paragraphs or sections[h].subsections)] == []
    # the department's words on its 基本支出 follow the figures (0.10)
    assert sections["（二）基本支出情况"].paragraphs[-1] == R.RAW_INPUTS["基本支出情况"]
    # seed 003 二(三)'s table, with its 合计
    table = next(t for t in sections["（三）项目支出情况"].tables)
    assert table.rows[-1] == ("", "合计", "1500.29", "1014.07", "486.22")
    # seed 003 closes with its 附件 list and the evaluating body's signature
    assert content.closing and content.signature[0] == R.RAW_INPUTS["评价机构"]
