"""preval report (issue 6): the reference case's Word report, opened with python-docx, says
80.39 and 良 and carries all 28 rows of 附件1 with the scores of reference-case.md."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from addin.cli import main
from tests.support.expected import EXPECTED, GRADE, SECTIONS, TOTAL
from tests.support.workbooks import reference_workbook


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


# a copy of ../shared/seeds/shaoyang-xinfang-2022-evaluation.txt: CI runs a clone without ../shared
SEED = Path(__file__).resolve().parent / "fixtures" / "seeds" / "shaoyang-xinfang-2022-evaluation.txt"


def seed_headings() -> list[str]:
    """The report's own headings, read from the seed: "一、…" and the short "（一）…" lines of its
    body (before the 附件 list), parentheses and spaces normalised as Word prints them."""
    out = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = line.strip().replace("(", "（").replace(")", "）").replace(" ", "")
        if line.startswith("附件："):
            break
        if re.match(r"^[一二三四五六七八九十]、", line) or (re.match(r"^（[一二三四五六七八九十]）", line)
                                                        and len(line) < 20 and not line.endswith("。")):
            out.append(line)
    return out


def test_every_heading_of_the_seed_appears_in_order(report):
    # issue 18 must-show: the report in the seed's structure, compared section by section
    headings = [p.text for p in report.paragraphs if p.style.name.startswith("Heading")]
    wanted = seed_headings()
    assert len(wanted) == 16 and wanted[0] == "一、部门概况" and wanted[-1] == "六、改进措施及有关建议"
    # 五's themes are the case's own (the seed's are 4 long sentences, not headings)
    at = [headings.index(h) for h in wanted]
    assert at == sorted(at), [h for h in wanted if h not in headings]
    assert headings[-2:] == ["附件1", "附件2"]
    assert report.paragraphs[1].text == "邵阳市信访局2022年度部门整体支出绩效评价报告"
    assert report.paragraphs[0].text == "邵益会[2022]绩字第0000号"  # the 文号 typed on 报告内容


def test_conclusion_states_total_grade_and_sections(report):
    text = _text(report)
    assert f"得分为{TOTAL}分，评价等级为“{GRADE}”" in text
    for section, points in SECTIONS.items():
        assert f"{section}{points}分" in text


def test_annex1_has_the_seeds_8_columns_and_the_28_reference_scores(report):
    table = next(t for t in report.tables if t.rows[0].cells[2].text == "三级指标")
    # the seed's 附件1 header: 一级指标 二级指标 三级指标 分值 指标说明 评分标准 评价依据 评分
    assert [c.text for c in table.rows[0].cells] == ["一级指标", "二级指标", "三级指标", "分值", "指标说明", "评分标准",
                                                     "评价依据", "评分"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == 28 + 2
    for (no, name, weight, _rate, score), row in zip(EXPECTED, rows[:28], strict=True):
        assert row[2] == name and Decimal(row[3]) == Decimal(weight) and Decimal(row[7]) == Decimal(score), no
    # every row carries its 一级/二级 labels with their points, as the seed prints them
    # ("投入 (14分)", "目标设定 (7分)"), so a page that starts mid-group still shows them
    assert rows[0][:2] == ["投入（14分）", "目标设定（7分）"] and rows[2][:2] == ["投入（14分）", "预算配置（7分）"]
    assert rows[27][:2] == ["效果（17分）", "履职效益（17分）"]
    assert "在职人员控制率=" in rows[2][5] and rows[28][0] == "合计" and rows[28][7] == TOTAL and rows[29][7] == GRADE


def test_problems_are_the_findings_and_the_lost_indicators_in_plain_words(report):
    text = _text(report)
    # issue 18: the evaluators' 扣分 findings with their evidence, grouped by 二级指标 theme
    assert "1例：部分费用无发票入账（佐证材料：2022年12月6号凭证）" in text
    problems = text[text.index("五、存在的问题及原因分析"):text.index("六、改进措施及有关建议")]
    themes = [line for line in problems.split("\n") if line.startswith("（")]
    assert themes[:3] == ["（一）目标设定方面", "（二）预算配置方面", "（三）预算执行方面"]
    # a figure's loss with the rubric's words that cost it (附件1 预算调整率: "大于10%不得分")
    assert "预算调整率未得满分（2分，得0.00分）：预算调整率为30.45%，评分标准为“大于10%不得分”。" in problems
    # 附件2 workings with the real numbers (附件2 item 8 of the seed), the recital and the 佐证 line
    assert "预算调整率=(388.91+0.00+409.46+700.00−1208.47)/(2160.62−1208.47)×100%=30.45%，大于10%不得分" in text
    assert f"其中：投入指标得分{SECTIONS['投入']}分，过程指标得分{SECTIONS['过程']}分" in text
    assert "8、预算调整率指标标准分值2分，得分0分。" in text and "佐证材料：见评价资料第    页。" in text
    tables = "\n".join(c.text for t in report.tables for row in t.rows for c in row.cells)
    assert "。。" not in text + tables  # each sentence ends once, whatever its parts end with


def test_official_document_fonts_and_tables_that_keep_rows_together(report):
    body = next(p for p in report.paragraphs if p.text.startswith("（七）评价结论。根据部门整体支出绩效评价指标体系"))
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in body.runs}
    assert fonts == {"仿宋"} and body.runs[0].font.size.pt == 16
    heading = next(p for p in report.paragraphs if p.text == "三、绩效评价工作情况及评价结论")
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    for table in report.tables:
        for row in table.rows:
            props = row._tr.trPr
            assert props is not None and props.find(qn("w:cantSplit")) is not None
    annex = next(t for t in report.tables if t.rows[0].cells[2].text == "三级指标")
    assert annex.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_only_full_marks_draw_a_full_bar_and_shares_have_two_decimals():
    from addin.report.content import share
    from addin.report.word import bar_cells

    # issue 18: 97.9% drew a full bar. Whole 5% cells, rounded down: 投入 11.04 of 14 = 78.86% ->
    # 15.77 -> 15 cells; 97.9% -> 19.58 -> 19; only 100% gives 20
    assert bar_cells(Decimal("11.04"), Decimal("14")) == 15
    assert bar_cells(Decimal("16.65"), Decimal("17")) == 19  # 97.94%
    assert bar_cells(Decimal("17"), Decimal("17")) == 20
    assert bar_cells(Decimal("0"), Decimal("0")) == 0
    assert share(Decimal("11.04"), Decimal("14")) == "78.86%"  # as 汇总 shows it, not 78.9%


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
    assert "预算调整率得0分（满分2分），预算调整率为30.45%（计算过程见附件2第8项）" in everything


def _docx_text(path) -> str:
    doc = Document(str(path))
    return _text(doc) + "\n" + "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)


def test_an_empty_report_text_is_a_visible_marker(tmp_path):
    # issue 18: a workbook whose 报告内容 is empty gives 【待填写：…】 where each text goes
    from udfs import reference_case

    blank = {name: None for name in reference_case.REPORT_TEXTS if isinstance(reference_case.REPORT_TEXTS[name], str)}
    src = reference_workbook(tmp_path / "空.xlsx", **blank)
    assert main(["report", str(src)]) == 0
    text = _docx_text(tmp_path / "空_评价报告.docx")
    for marker in ("【待填写：文号】", "【待填写：评价机构】", "【待填写：部门主要职责】", "【待填写：部门绩效总目标】",
                   "【待填写：职责履行和主要绩效情况】", "【待填写：报告日期】", "【待填写：评价依据（文件名称及文号）】"):
        assert marker in text, marker
    # the steps a new workbook holds already (评价工作情况), and the budget the figures give
    assert "（三）实地查看。现场查看实物资产等。" in text and "年末结转和结余499.67万元" in text


def test_the_self_evaluation_report_has_the_self_evaluations_structure(tmp_path, capsys):
    # issue 18: 自评报告 as the self-evaluation seeds write it (seed 002: 一、基本情况 二、预算支出情况
    # 三、部门整体支出绩效情况 四、…绩效目标完成情况 五、存在的问题及改进措施)
    src = reference_workbook(tmp_path / "单位.xlsx")
    assert main(["report", str(src), "--kind", "自评"]) == 0
    doc = Document(str(tmp_path / "单位_自评报告.docx"))
    level1 = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert level1 == ["一、部门（单位）基本情况", "二、预算支出情况", "三、部门整体支出绩效情况", "四、绩效指标完成情况",
                      "五、存在的问题及原因", "六、改进措施及建议", "七、其他需要说明的情况", "附件1", "附件2"]
    text = _docx_text(tmp_path / "单位_自评报告.docx")
    assert doc.paragraphs[0].text == "邵阳市信访局2022年度部门整体支出绩效自评报告"
    assert f"本单位2022年度部门整体支出绩效自评得分为{TOTAL}分，自评等级为“{GRADE}”" in text
    assert "邵阳市信访局是市政府工作部门" in text and "评价机构" not in text
    assert main(["report", str(src), "--kind", "第三方"]) == 2
    assert "--kind 应为 评价 或 自评" in capsys.readouterr().err


def test_the_self_evaluation_report_speaks_for_the_department_and_uses_what_it_typed(tmp_path):
    # issue 28, item 3: first person, every typed text, its own 自评总分 beside the computed one
    import openpyxl

    from addin.workbook import layout as L
    from udfs.profile import load_profile

    src = reference_workbook(tmp_path / "单位.xlsx", 自评总分=98, 绩效指标完成情况="1. 信访总量同比下降30.9%。\n2. 创建示范县4个。")
    wb = openpyxl.load_workbook(src)
    layout = L.Layout(load_profile())
    wb[L.SCORES].cell(L.row_of(8), layout.self_score).value = 2  # 预算调整率: the rubric gives 0 for 30.45%
    wb.save(src)
    out = tmp_path / "自评.docx"
    assert main(["report", str(src), "--kind", "自评", "-o", str(out)]) == 0
    text = _docx_text(out)
    # 98 − 80.39 = 17.61
    assert f"本单位自评总分98分，按评分标准计算为{TOTAL}分（评价等级“{GRADE}”），相差17.61分" in text
    assert "预算调整率自评2分，按评分标准计算为0分" in text
    assert "根据《中华人民共和国预算法》" in text and "本单位对2022年度部门整体支出开展了绩效自评" in text
    for typed in ("1. 信访总量同比下降30.9%。", "2. 创建示范县4个。", "1. 确保全市信访总量同比下降30%。"):
        assert typed in text.split("\n"), typed  # each typed line its own paragraph, verbatim
    for outsider in ("经查", "评价组", "见评价资料第", "该部门"):
        assert outsider not in text, outsider


def test_unscored_scored_and_final_workbooks_give_the_same_report(tmp_path):
    # issue 18: preval report works on all three; the figures come from the inputs
    src = reference_workbook(tmp_path / "甲.xlsx")
    assert main(["score", str(src)]) == 0 and main(["finalize", str(src)]) == 0
    annexes = []
    for name in ("甲.xlsx", "甲_评分.xlsx", "甲_定稿.xlsx"):
        out = tmp_path / f"{name}.docx"
        assert main(["report", str(tmp_path / name), "-o", str(out)]) == 0
        doc = Document(str(out))
        table = next(t for t in doc.tables if t.rows[0].cells[2].text == "三级指标")
        annexes.append([[c.text for c in row.cells] for row in table.rows])
    assert annexes[0] == annexes[1] == annexes[2] and annexes[0][-2][7] == TOTAL
    # issue 28, item 5: the 合计 row shows the 100 points beside the total (a merge over 分值 lost it)
    assert annexes[0][-2] == ["合计", "合计", "合计", "100", "", "", "", TOTAL]


def test_a_workbook_without_the_report_sheet_still_scores_and_reports(tmp_path):
    # 报告内容 is optional (older templates have none): deleting it loses only the texts
    import openpyxl

    from addin.workbook import layout as L

    src = reference_workbook(tmp_path / "无报告内容.xlsx")
    wb = openpyxl.load_workbook(src)
    del wb[L.REPORT]
    wb.save(src)
    assert main(["report", str(src)]) == 0
    assert "【待填写：文号】" in _docx_text(tmp_path / "无报告内容_评价报告.docx")


def _paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_the_unit_is_named_once_each_typed_line_is_a_paragraph_and_staffing_said_once(tmp_path):
    """Issue 28, item 2, as seed 002 showed it: "衡阳县行政审批服务局衡阳县行政审批服务局为正科级…",
    the staffing sentence after the clerk's own, a second typed line a soft break without indent."""
    unit = "衡阳县行政审批服务局"
    typed = f"{unit}为正科级行政单位，内设股室5个。\n单位编制情况：核定编制人数为20人，实有在职人员18人。"
    src = reference_workbook(tmp_path / "单位.xlsx", 单位名称=unit, 机构设置=typed, 编制数=20, 在职人数=18)
    assert main(["report", str(src)]) == 0
    paragraphs = _paragraphs(tmp_path / "单位_评价报告.docx")
    first = next(n for n, p in enumerate(paragraphs) if p.startswith(f"{unit}为正科级"))
    assert paragraphs[first] == f"{unit}为正科级行政单位，内设股室5个。"  # the name once, nothing glued on
    assert paragraphs[first + 1] == "单位编制情况：核定编制人数为20人，实有在职人员18人。"  # its own paragraph
    text = "\n".join(paragraphs)
    assert unit * 2 not in text and text.count("核定编制人数为20人") == 1 and "\n" not in paragraphs[first]
    # a text that does not state the figures: the unit is prefixed and the figures from the inputs follow
    src = reference_workbook(tmp_path / "另一.xlsx", 单位名称=unit, 机构设置="为正科级行政单位。", 编制数=20, 在职人数=18)
    assert main(["report", str(src)]) == 0
    text = "\n".join(_paragraphs(tmp_path / "另一_评价报告.docx"))
    assert f"{unit}为正科级行政单位。核定编制人数为20人，截至" in text and "实有在职人员18人。" in text
    # a text whose digits only contain the figures (2020年, 120平方米) does not state them
    src = reference_workbook(tmp_path / "年份.xlsx", 单位名称=unit, 机构设置="2020年核定编制，办公用房180平方米。",
                             编制数=20, 在职人数=18)
    assert main(["report", str(src)]) == 0
    assert "核定编制人数为20人" in "\n".join(_paragraphs(tmp_path / "年份_评价报告.docx"))
    # the 自评报告 names the unit once too
    src = reference_workbook(tmp_path / "自评.xlsx", 单位名称=unit, 机构设置=typed, 编制数=20, 在职人数=18)
    assert main(["report", str(src), "--kind", "自评"]) == 0
    text = "\n".join(_paragraphs(tmp_path / "自评_自评报告.docx"))
    assert f"{unit}为正科级行政单位" in text and unit * 2 not in text


def test_report_says_what_is_still_to_be_written(tmp_path, capsys):
    # issue 28, item 8: a report with 【待填写】 markers says how many and which
    blank = {name: None for name in ("文号", "评价机构", "报告日期")}
    src = reference_workbook(tmp_path / "缺.xlsx", **blank)
    assert main(["report", str(src)]) == 0
    out = capsys.readouterr().out
    # the seed has no 负债/净资产, no 上年 因公出国 and no 上年 采购 by kind: those cells are blank too
    assert ("报告中还有 6 处待填写：文号、评价机构、报告日期、“三公经费”支出情况表1处空白、政府采购支出构成表3处空白、"
            "资产情况表2处空白") in out
    text = _docx_text(tmp_path / "缺_评价报告.docx")
    assert text.count("【待填写：评价机构】") >= 2  # named once in the message, however often it is printed
    everything = {"出国经费上年": 0, "采购货物上年": 30, "采购工程上年": 31.88, "采购服务上年": 30, "负债总额": 100,
                  "净资产": 589.36}
    assert main(["report", str(reference_workbook(tmp_path / "全.xlsx", **everything))]) == 0
    assert "待填写" not in capsys.readouterr().out


def test_document_properties_are_the_reports_own_in_chinese(tmp_path):
    # issue 28, item 7: not "generated by python-docx", by "preval", in en-US
    import zipfile

    from udfs import reference_case

    src = reference_workbook(tmp_path / "单位.xlsx")
    assert main(["report", str(src)]) == 0 and main(["report", str(src), "--kind", "自评"]) == 0
    for name, author in (("单位_评价报告.docx", reference_case.REPORT_TEXTS["评价机构"]), ("单位_自评报告.docx", "邵阳市信访局")):
        props = Document(str(tmp_path / name)).core_properties
        assert props.author == props.last_modified_by == author
        assert props.title.startswith("邵阳市信访局2022年度部门整体支出绩效") and props.language == "zh-CN"
        assert props.comments == "" and props.created.year >= 2026
        with zipfile.ZipFile(tmp_path / name) as z:
            package = b"".join(z.read(n) for n in ("docProps/core.xml", "docProps/app.xml", "word/styles.xml")
                               if n in z.namelist()).decode()
        assert "python-docx" not in package and "preval" not in package
        assert set(re.findall(r'<w:lang [^>]*w:eastAsia="([^"]+)"', package)) == {"zh-CN"}


def test_spending_sections_and_tables_as_the_seed_prints_them(tmp_path):
    # issue 28, item 4: seed 003 二(二) 基本支出 646.88 against 上年 651.09 (合计 -4.21, -0.65%), split
    # into 人员经费 and 公用经费; 二(四) the 三公 items against 预算 and 上年; 二(五) 上年采购 91.88; 资产
    src = reference_workbook(tmp_path / "单位.xlsx")
    out = tmp_path / "报告.docx"
    assert main(["report", str(src), "-o", str(out)]) == 0
    doc = Document(str(out))
    text = _docx_text(out)
    assert ("2022年度实际发生基本支出共646.88万元，其中：人员经费533.67万元，公用经费113.21万元；"
            "比上年651.09万元减少4.21万元，减少0.65%。") in text
    tables = {t.rows[1].cells[0].text: [[c.text for c in r.cells] for r in t.rows] for t in doc.tables if len(t.rows) > 1}
    basic = tables["人员经费"]
    assert basic[1:] == [["人员经费", "533.67", "579.35", "-45.68", "-7.88%"],
                         ["公用经费", "113.21", "71.74", "41.47", "57.81%"],  # the seed's 商品和服务 row
                         ["合计", "646.88", "651.09", "-4.21", "-0.65%"]]
    sangong = tables["因公出国（境）费"]
    assert ["公务接待费", "12.00", "1.11", "1.14"] in sangong and ["公务用车购置及运行费", "12.00", "12.62", "10.03"] in sangong
    assert "上年政府采购实际支出91.88万元" in text
    assert "截至2022年12月31日，资产总额689.36万元，固定资产原值243.76万元。" in text
    # numbered in reading order: the five of 二、 (项目明细 second) before 三、's section scores
    assert "表1  基本支出构成（单位：万元）" in text and "表2  项目明细收支情况（单位：万元）" in text
    assert "表6  各一级指标得分" in text
    assert "项目负责人：__________" in text and "中国注册会计师：__________" in text


def test_annex_2_says_what_each_sub_item_gave(tmp_path):
    # issue 28, item 9: seed 003 附件2 item 12 — ① 执行率 523.23% loses its 1 point, ② 部分采购未通过电子
    # 卖场 its 0.5, ③ 内控制度 keeps 0.5: 2 − 1.5 = 0.5; the basis said ① and ② and "得0.5分" only
    src = reference_workbook(tmp_path / "单位.xlsx")
    out = tmp_path / "报告.docx"
    assert main(["report", str(src), "-o", str(out)]) == 0
    text = _docx_text(out)
    assert "②部分采购未通过电子卖场，扣0.5分；③建立政府采购内部控制制度，未发现不符合要求的情形，计0.5分，得0.5分" in text
    # an indicator where nothing happened still says so once
    assert "经查未发现不符合要求的情形，得6分" in text
