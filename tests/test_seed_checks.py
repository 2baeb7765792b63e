"""A workbook filled with the figures of a real self-evaluation report gets the findings
a careful reader makes (issue 5). Seed: ../shared/seeds/hengyang-county-2023-self-evaluation.txt.

From the report: 编制 13+16+6+4 = 39, 在职 35; 年初预算 424.89 万元; 决算总支出 1380.82 万元
("较预算增加955.93万元"); "三公" 预算 7.56, 决算 0.53; 政府采购 488.28; 自评 98 分.
Inputs the report does not give are neutral placeholders (marked), chosen so that they
cannot produce a finding of their own.
"""

from addin.book import write_case
from addin.openpyxl_book import OpenpyxlBook
from addin.scoring import assess
from addin.template import build_workbook

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
})


def _assess(inputs):
    book = OpenpyxlBook(build_workbook())
    write_case(book, inputs, [])
    return assess(book)


def test_budget_as_printed_does_not_reconcile():
    # 424.89 + 0 − 0 = 424.89, not the 1380.82 the report spends: an 错误, no score
    result = _assess(AS_PRINTED)
    assert [(p.id, p.name, p.expected, p.found) for p in result.errors] == \
        [("V201", "全年预算", "424.89", "1380.82")]
    assert result.evaluation is None


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
