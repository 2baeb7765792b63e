"""A workbook filled with the figures of a real self-evaluation report gets the findings
a careful reader makes (issue 5). Seeds: ../shared/seeds/hengyang-county-2023-self-evaluation.txt
and shaodong-2022-self-evaluation.txt.

From the report: 编制 13+16+6+4 = 39, 在职 35; 年初预算 424.89 万元; 决算总支出 1380.82 万元
("较预算增加955.93万元"); "三公" 预算 7.56, 决算 0.53; 政府采购 488.28; 自评 98 分.
Inputs the report does not give are neutral placeholders (marked), chosen so that they
cannot produce a finding of their own.
"""

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.scoring import assess
from addin.workbook import layout as L
from addin.workbook.build import build_workbook

PLACEHOLDERS = {  # not in the report
    "三公预算上年": 7.56, "重点支出预算": 100, "重点支出实际": 100, "非税收入预算": 0, "非税收入实际": 0,
    "调整剔除数": 0, "公用经费预算": 50, "公用经费实际": 50, "采购预算": 488.28,
    "绩效监控": "是", "工作质量等级": "优秀", "计划工作数": 10, "实际完成数": 10, "及时完成数": 10,
    "质量达标数": 10, "重点交办数": 10, "重点完成数": 10, "满意率": 0.98, "问卷份数": 30,
    "整改情况": "无上轮问题", "严重违纪": "否",
}
AS_PRINTED = dict(PLACEHOLDERS, **{
    "单位名称": "衡阳县行政审批服务局", "评价年度": 2023, "编制数": 39, "在职人数": 35,
    "三公预算本年": 7.56, "三公实际": 0.53, "采购实际": 488.28,
    "年初预算": 424.89, "追加预算": 0, "追减预算": 0, "全年预算": 1380.82,
    "预算执行数": 1380.82, "结转结余": 0, "自评总分": 98,
    # "总支出1380.82万元，其中：基本支出426.92万元…项目支出953.90万元"; "三公"决算 0.53 =
    # 因公出国 0 + 公务用车 0 + 公务接待 0.53
    "基本支出": 426.92, "项目支出": 953.90, "出国经费": 0, "公务用车经费": 0, "公务接待经费": 0.53,
})


def _assess(inputs, self_report=()):
    book = OpenpyxlBook(build_workbook())
    write_case(book, inputs, [])
    for no, column, value in self_report:
        book.put(L.SCORES, f"{L.col(column)}{L.row_of(no)}", value)
    return assess(book)


def test_budget_as_printed_does_not_reconcile():
    # 424.89 + 0 − 0 = 424.89, not the 1380.82 the report spends: an 错误, no score
    result = _assess(AS_PRINTED)
    assert [(p.id, p.name, p.expected, p.found) for p in result.errors] == \
        [("V201", "全年预算", "424.89", "1380.82")]
    assert result.evaluation is None


def test_the_seeds_figures_are_plausible():
    # issue 17: no V21x on figures a real report printed (both seeds; 邵东 below uses these
    # budget figures), 错误 or 提示
    for figures in (AS_PRINTED, dict(AS_PRINTED, 追加预算=955.93)):
        assert [p.id for p in _assess(figures).problems if p.id.startswith("V21")] == []


def test_reconciled_budget_cannot_support_a_self_score_of_98():
    # with the report's 955.93 increase as 追加: 预算调整率 = 955.93/1380.82 = 69.23% (>10%: 0 of 2),
    # "三公"变动率 (7.56−7.56)/7.56 = 0 (1 of 2 in this profile): at most 97 points
    result = _assess(dict(AS_PRINTED, 追加预算=955.93))
    assert result.errors == []
    ev = result.evaluation
    adjust = ev.indicators[7]
    assert (adjust.name, float(adjust.rate), float(adjust.score)) == ("预算调整率", 0.6923, 0.0)
    assert ev.total <= 97
    (hint,) = [p for p in result.problems if p.id == "V402"]
    assert (hint.severity, hint.found) == ("提示", "98") and "自评总分98分" in hint.message


# 邵东市行政审批服务局 2022: "市长信箱共受理各类信件108件，办结104件，办结率96.42%" and
# "好差评系统…主动评价982083条，好评数982081条…实际好评率100%". Mapped onto the rubric: letters
# received = 计划工作数, settled = 实际完成数 (实际完成率, indicator 23); the 好评率 as 满意率 (28).
# The report gives no budget figures: those are the Hengyang placeholders (no finding of their own).
SHAODONG = dict(AS_PRINTED, 追加预算=955.93, 自评总分=None, 单位名称="邵东市行政审批服务局", 评价年度=2022,
                计划工作数=108, 实际完成数=104, 及时完成数=104, 质量达标数=104,
                满意率=982081 / 982083, 问卷份数=982083)
COMPLETION, SATISFACTION = 23, 28
SELF_RATE = 9  # 评分表 column I, 部门自报比率 (template 0.7)


def test_a_printed_rate_the_counts_do_not_give_is_flagged():
    # 104/108 = 0.962962… = 96.30%, not 96.42%; 982081/982083 = 99.9998% = 100.00% as printed
    result = _assess(SHAODONG, [(COMPLETION, SELF_RATE, "96.42%"), (SATISFACTION, SELF_RATE, 1)])
    assert result.errors == []
    found = [(p.id, p.where, p.expected, p.found) for p in result.problems if p.id.startswith("V4")]
    assert found == [("V404", f"评分表!I{L.row_of(COMPLETION)}", "96.30%", "96.42%")]
    (hint,) = [p for p in result.problems if p.id == "V404"]
    assert "96.42%" in hint.message and "104/108" in hint.message  # the basis shows the counts


def test_shaodong_figures_raise_no_plausibility_finding():
    result = _assess(SHAODONG)
    assert result.errors == [] and [p.id for p in result.problems if p.id.startswith("V21")] == []
