"""preval batch (issue 6): a folder with good, broken and foreign files. Every good one is in
the 汇总 table with its right total, every bad one is listed with its reason, exit 0."""

import openpyxl
import pytest

from addin.cli import main
from expected import TOTAL
from workbooks import reference_workbook


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
                      "总分", "等级", "错误数", "提示数", "文件"]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["乙"]["决策"] == 20.0 and rows["乙"]["投入"] is None
    dist = {r[0]: r[1] for r in wb["等级分布"].iter_rows(min_row=4, values_only=True)}
    assert dist == {"优": 0, "良": 1, "中": 0, "差": 0, "优秀": 0, "合格": 1, "不合格": 0}
