"""preval batch (issue 6): a folder with good, broken and foreign files. Every good one is in
the 汇总 table with its right total, every bad one is listed with its reason, exit 0."""

import openpyxl
import pytest

from addin.cli import main
from tests.support.expected import TOTAL
from tests.support.workbooks import reference_workbook


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("各单位")
    reference_workbook(d / "01信访局.xlsx")  # the reference case: 80.39 良
    # 三公 本年 21.6 against 上年 24: 变动率 (21.6−24)/24 = −10%, negative → 2 points (附件1)
    # instead of the reference case's 1 for a change of 0 → 80.39 + 1 = 81.39
    reference_workbook(d / "02另一单位.xlsx", 单位名称="另一单位", 三公预算本年=21.6)
    reference_workbook(d / "03有错误.xlsx", 单位名称="有错误单位", 全年预算="两千万")
    (d / "04不是工作簿.xlsx").write_bytes(b"hello")
    (d / "05说明.txt").write_text("附件说明", encoding="utf-8")
    openpyxl.Workbook().save(d / "06其他模板.xlsx")
    (d / "~$01信访局.xlsx").write_bytes(b"lock")  # Excel's lock file: not a workbook of the batch
    return d


@pytest.mark.parametrize("workers", ["1", "2"])
def test_good_files_are_ranked_and_bad_ones_listed(folder, tmp_path, capsys, workers):
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "--workers", workers]) == 0
    assert "已评分 2 个，未能评分 4 个" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    rows = [r for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    header = [c.value for c in wb["汇总"][3]]
    table = [dict(zip(header, r, strict=True)) for r in rows]
    # 三公 21.6 vs 24: change −10% → 2 points (附件1: 负数计2分) instead of 1 → 80.39 + 1
    assert [(t["排名"], t["单位名称"], f"{t['总分']:.2f}", t["等级"]) for t in table] == \
        [(1, "另一单位", "81.39", "良"), (2, "邵阳市信访局", f"{TOTAL}", "良")]
    assert table[1]["投入"] == 11.04 and table[1]["提示数"] == 1 and table[1]["错误数"] == 0
    reasons = {r[0]: r[1] for r in wb["未能评分"].iter_rows(min_row=4, values_only=True)}
    assert set(reasons) == {"03有错误.xlsx", "04不是工作簿.xlsx", "05说明.txt", "06其他模板.xlsx"}
    assert "全年预算" in reasons["03有错误.xlsx"] and "错误" in reasons["03有错误.xlsx"]
    assert "不是 Excel 工作簿" in reasons["04不是工作簿.xlsx"]
    assert "不是标准评价工作簿" in reasons["06其他模板.xlsx"]
    dist = {r[0]: r[1] for r in wb["等级分布"].iter_rows(min_row=4, values_only=True)}
    assert dist == {"优": 0, "良": 2, "中": 0, "差": 0}
    assert wb["等级分布"]._charts


def test_a_folder_where_nothing_scores_exits_2(tmp_path, capsys):
    (tmp_path / "a.xlsx").write_bytes(b"x")
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "汇总.xlsx")]) == 2
    assert "都未能评分" in capsys.readouterr().err
    assert not (tmp_path / "汇总.xlsx").exists()


def test_sections_and_grades_come_from_each_files_rubric(tmp_path):
    # issue 13: the columns and grades were written out in code; a rubric with other
    # section names lost its columns without a word
    from addin.batch.run import Outcome
    from addin.batch.summary import write_summary

    ours = Outcome("a.xlsx", {"单位名称": "甲", "年度": 2022, "投入": 11.04, "过程": 33.2, "产出": 19.5,
                              "效果": 16.65, "总分": 80.39, "等级": "良", "错误数": 0, "提示数": 0, "文件": "a.xlsx"},
                   sections=("投入", "过程", "产出", "效果"), grades=("优", "良", "中", "差"))
    other = Outcome("b.xlsx", {"单位名称": "乙", "年度": 2022, "决策": 20.0, "绩效": 50.0, "总分": 70.0,
                               "等级": "合格", "错误数": 0, "提示数": 0, "文件": "b.xlsx"},
                    sections=("决策", "绩效"), grades=("优秀", "合格", "不合格"))
    out = write_summary([ours, other], tmp_path / "汇总.xlsx")
    wb = openpyxl.load_workbook(out)
    header = [c.value for c in wb["汇总"][3]]
    assert header == ["排名", "单位名称", "年度", "投入", "过程", "产出", "效果", "决策", "绩效",
                      "总分", "等级", "错误数", "提示数", "评分档案来源", "外部位置", "文件"]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["乙"]["决策"] == 20.0 and rows["乙"]["投入"] is None
    dist = {r[0]: r[1] for r in wb["等级分布"].iter_rows(min_row=4, values_only=True)}
    assert dist == {"优": 0, "良": 1, "中": 0, "差": 0, "优秀": 0, "合格": 1, "不合格": 0}


# issue 17: a bureau's folder as it really is — a unit's workbook beside its _评分 and _定稿
# copies, last year's files, a unit scored under another rubric
WITHOUT_COMPLIANCE = [f for f in __import__("udfs.reference_case").reference_case.RAW_FINDINGS if f[0] != "资金使用合规性"]


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    import os

    from addin.books.openpyxl_book import OpenpyxlBook
    from addin.case import write_case
    from addin.workbook.build import build_workbook
    from udfs import reference_case

    d = tmp_path_factory.mktemp("财政局")
    x = reference_workbook(d / "甲局.xlsx")  # 80.39
    assert main(["score", str(x)]) == 0 and main(["finalize", str(x)]) == 0
    # the reference case less its three 资金使用合规性 findings (1 + 1 + 0.5): 80.39 + 2.5 = 82.89;
    # 三公 21.6 against 24: −10% scores 2 instead of 1: 83.89
    reference_workbook(d / "乙局.xlsx", findings=WITHOUT_COMPLIANCE, 单位名称="乙局", 三公预算本年=21.6)
    reference_workbook(d / "甲局2021.xlsx", 评价年度=2021)
    wb = build_workbook("hunan-nianchu")  # 三公 0 change scores 2 there: 81.39
    write_case(OpenpyxlBook(wb), dict(reference_case.RAW_INPUTS, 单位名称="丙局"), reference_case.RAW_FINDINGS)
    wb.save(d / "丙局.xlsx")
    for age, name in enumerate(("甲局_定稿.xlsx", "甲局_评分.xlsx", "甲局.xlsx")):
        os.utime(d / name, (1_700_000_000 - 3600 * age, 1_700_000_000 - 3600 * age))  # 定稿 newest
    return d


def _table(ws, header_row=3):
    header = [c.value for c in ws[header_row]]
    return [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=header_row + 1, values_only=True) if r[0] is not None]


def test_each_unit_counts_once_per_year_and_rubric(bureau, tmp_path, capsys):
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(bureau), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "已评分 6 个" in said and "2 个重复" in said
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "2022年排名-shaoyang-2022", "2022年排名-hunan-nianchu", "2021年排名",
                             "等级分布", "指标失分分析", "重复文件", "未能评分"]
    overview = _table(wb["汇总"])
    assert [(t["年度"], t["单位数"], t["排名表"]) for t in overview] == \
        [(2022, 2, "2022年排名-shaoyang-2022"), (2022, 1, "2022年排名-hunan-nianchu"), (2021, 1, "2021年排名")]
    ranking = _table(wb["2022年排名-shaoyang-2022"])
    assert [(t["排名"], t["单位名称"], f"{t['总分']:.2f}", t["文件"]) for t in ranking] == \
        [(1, "乙局", "83.89", "乙局.xlsx"), (2, "邵阳市信访局", f"{TOTAL}", "甲局_定稿.xlsx")]
    assert [(t["单位名称"], f"{t['总分']:.2f}") for t in _table(wb["2022年排名-hunan-nianchu"])] == [("丙局", "81.39")]
    assert "评分档案：部门整体支出绩效评价指标体系（变体" in wb["2022年排名-hunan-nianchu"]["A1"].value
    dupes = _table(wb["重复文件"])
    assert [t["文件"] for t in dupes] == ["甲局.xlsx", "甲局_评分.xlsx"]
    assert all("保留为定稿的 甲局_定稿.xlsx" in t["未计入排名的原因"] and "总分相同" in t["未计入排名的原因"]
               for t in dupes)


def test_lost_points_by_indicator_are_the_hand_counts(bureau, tmp_path):
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(bureau), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["指标失分分析"]
    assert "2022年度" in ws["A1"].value and "2个单位" in ws["A1"].value
    rows = _table(ws)[:28]  # the first block: 甲局 and 乙局 of 2022 under the reference rubric
    by_name = {r["三级指标"]: r for r in rows}
    # 预算调整率 30.45% and 公用经费控制率 481.56% score 0 of 2 in both: the weakest, by 序号
    assert [(r["序号"], r["平均得分率"]) for r in rows[:2]] == [(8, 0), (10, 0)]
    assert (by_name["预算调整率"]["失分单位数"], by_name["预算调整率"]["失分合计"]) == (2, 4)
    assert by_name["预算调整率"]["主要扣分原因"] == "按填报数据计分未得满分（2个单位）"
    # 三公经费变动率: 甲 1 (0 change), 乙 2 (−10%): mean 1.5 of 2 = 75%, one unit lost 1 point
    sangong = by_name["三公经费变动率"]
    assert (sangong["平均得分"], sangong["平均得分率"], sangong["失分单位数"], sangong["失分合计"]) == (1.5, 0.75, 1, 1)
    # 资金使用合规性 7 points: 甲 4.5 (−1 −1 −0.5), 乙 7: mean 5.75, 5.75/7 = 82.14%
    compliance = by_name["资金使用合规性"]
    assert (compliance["平均得分"], compliance["平均得分率"], compliance["失分单位数"], compliance["失分合计"]) == \
        (5.75, 0.8214, 1, 2.5)
    # 政府采购: both lose 1 on the rate (523.23%: 1 − …) and 0.5 on 电子卖场: figures and finding
    procure = by_name["政府采购执行率和规范性"]["主要扣分原因"].split("\n")
    assert procure == ["按填报数据计分未得满分（2个单位）", "部分采购未通过电子卖场（2个单位）"]
    assert by_name["绩效指标明确性"]["主要扣分原因"].split("\n")[0] == "与年度任务对应程度大于50%，未全部对应（2个单位）"
    assert ws._charts


def test_batch_reports_every_error_validate_reports_formula_checks_included(tmp_path, capsys):
    """A formula typed into an input, saved with its value as Excel saves it: validate's V103.
    Batch read values only (calamine) and ranked the file; it now reads as validate reads."""
    from addin.books.workbook_xml import read_map
    from addin.workbook import layout as L
    from tests.support.package import rewrite, sub

    folder = tmp_path / "报送"
    folder.mkdir()
    book = reference_workbook(tmp_path / "参考案例.xlsx")
    mapping = read_map(book)
    cell = mapping.names["预算执行数"].split("!")[1].replace("$", "")
    path = rewrite(book, folder / "公式输入.xlsx", {mapping.sheets[L.MONEY]: sub(
        rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', f'<c r="{cell}"><f>1000+660.95</f><v>1660.95</v></c>')})
    assert main(["validate", str(path)]) == 1
    v103 = next(line for line in capsys.readouterr().out.splitlines() if "V103" in line)
    assert f"{L.MONEY}!{cell}" in v103
    assert main(["batch", str(folder), "-o", str(tmp_path / "汇总.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "[未能评分] 公式输入.xlsx：有1个错误" in err and f"{L.MONEY}!{cell}" in err
