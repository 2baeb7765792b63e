"""preval report (issue 6): the reference case's Word report, opened with python-docx, says
80.39 and 良 and carries all 28 rows of 附件1 with the scores of reference-case.md."""

from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn

from addin.cli import main
from expected import EXPECTED, GRADE, SECTIONS, TOTAL
from workbooks import reference_workbook


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    src = reference_workbook(tmp / "参考案例.xlsx")
    before = src.read_bytes()
    assert main(["report", str(src)]) == 0
    assert src.read_bytes() == before
    return Document(str(tmp / "参考案例_评价报告.docx"))


def _text(doc):
    return "\n".join(p.text for p in doc.paragraphs)


def test_structure_of_the_seed_reports(report):
    headings = [p.text for p in report.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["一、基本情况", "二、评价结论", "三、指标分析", "四、存在的问题", "五、建议", "附件1", "附件2"]
    assert report.paragraphs[0].text == "邵阳市信访局2022年度部门整体支出绩效评价报告"


def test_conclusion_states_total_grade_and_sections(report):
    text = _text(report)
    assert f"得分为{TOTAL}分，评价等级为“{GRADE}”" in text
    for section, points in SECTIONS.items():
        assert f"{section}{points}分" in text


def test_annex1_has_the_28_reference_scores(report):
    table = next(t for t in report.tables if t.rows[0].cells[2].text == "三级指标")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == 28 + 2
    for (no, name, weight, _rate, score), row in zip(EXPECTED, rows[:28], strict=True):
        assert row[2] == name and Decimal(row[3]) == Decimal(weight) and Decimal(row[4]) == Decimal(score), no
    assert rows[28][0] == "合计" and rows[28][4] == TOTAL and rows[29][4] == GRADE


def test_problems_are_the_findings_and_the_lost_indicators_in_plain_words(report):
    text = _text(report)
    # issue 18: the evaluators' 扣分 findings with their evidence, grouped by 二级指标 theme
    assert "1例：部分费用无发票入账（佐证材料：2022年12月6号凭证）" in text
    problems = text[text.index("四、存在的问题"):text.index("五、建议")]
    themes = [line for line in problems.split("\n") if line.startswith("（")]
    assert themes[:3] == ["（一）目标设定方面", "（二）预算配置方面", "（三）预算执行方面"]
    assert "预算调整率未得满分（2分，得0.00分）：预算调整率为30.45%。" in problems
    # 附件2 workings with the real numbers (附件2 item 8 of the seed), the recital and the 佐证 line
    assert "预算调整率=(388.91+0.00+409.46+700.00−1208.47)/(2160.62−1208.47)×100%=30.45%，大于10%不得分" in text
    assert f"其中：投入指标得分{SECTIONS['投入']}分，过程指标得分{SECTIONS['过程']}分" in text
    assert "8、预算调整率指标标准分值2分，得分0分。" in text and "佐证材料：见评价资料第    页。" in text
    tables = "\n".join(c.text for t in report.tables for row in t.rows for c in row.cells)
    assert "。。" not in text + tables  # each sentence ends once, whatever its parts end with


def test_official_document_fonts_and_tables_that_keep_rows_together(report):
    body = next(p for p in report.paragraphs if p.text.startswith("根据部门整体支出绩效评价指标体系"))
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in body.runs}
    assert fonts == {"仿宋"} and body.runs[0].font.size.pt == 16
    heading = next(p for p in report.paragraphs if p.text == "二、评价结论")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    for table in report.tables:
        for row in table.rows:
            props = row._tr.trPr
            assert props is not None and props.find(qn("w:cantSplit")) is not None
    annex = next(t for t in report.tables if t.rows[0].cells[2].text == "三级指标")
    assert annex.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_bar_cells_round_half_up_like_the_rest_of_the_report():
    from decimal import Decimal

    from addin.report.word import bar_cells

    # 投入 11.04 of 14: 11.04/14*20 = 15.77 -> 16 cells; 0.5 of 4: 2.5 -> 3 (half-even would give 2)
    assert bar_cells(Decimal("11.04"), Decimal("14")) == 16
    assert bar_cells(Decimal("0.5"), Decimal("4")) == 3
    assert bar_cells(Decimal("0"), Decimal("0")) == 0


def test_no_tool_language_and_each_calculation_once(report):
    # issue 18 must-show: no check id, no sheet!cell address and no "评分档案" anywhere in the
    # document (附件 included); each calculation sentence appears exactly once (附件2); the body
    # refers to it
    import re

    from udfs import reference_case
    from udfs.engine import evaluate
    from udfs.profile import load_profile

    tables = "\n".join(c.text for t in report.tables for row in t.rows for c in row.cells)
    everything = _text(report) + "\n" + tables
    assert not re.search(r"V\d{3}", everything)
    assert not re.search(r"[\u4e00-\u9fff\w]+![A-Z]+\d+", everything)
    assert "评分档案" not in everything
    ev = evaluate(reference_case.inputs(), reference_case.findings(), load_profile("shaoyang-2022"))
    calculations = [r.basis.split("，")[0] for r in ev.indicators if "=" in r.basis.split("，")[0]]
    assert len(calculations) == 14  # the 14 rates of the reference case ("预算调整率=(…)/(…)×100%=30.45%")
    for calculation in calculations:
        assert everything.count(calculation) == 1, calculation
    assert "预算调整率（2分）得0分：预算调整率为30.45%（计算过程见附件2第8项）。" in everything
