"""Every rule kind at its band edges, over-100% steps and floors (thresholds from 附件1)."""

from dataclasses import replace
from decimal import Decimal as D

import pytest

from udfs.engine import BOTH_ZERO, ZERO_BASE, PartValue, score_indicator
from udfs.errors import RuleValueError
from udfs.profile import WHOLE


def score(profile, name, *values, deductions=None, conditions=None, options=None):
    ind = profile.indicator(name)
    pvs = {}
    for part, value in zip(ind.value_parts, values, strict=False):
        if value in (BOTH_ZERO, ZERO_BASE):
            pvs[part.id] = PartValue(None, special=value)
        else:
            pvs[part.id] = PartValue(D(value) if isinstance(value, (str, int)) and part.rate else value)
    result, _, _ = score_indicator(ind, pvs, deductions or {}, options or profile.options, conditions)
    return result


# 预算执行率 ①: "95%以上计2分，95-90%（含）计1分，90-80%（含）计0.5分，小于80%不得分"
@pytest.mark.parametrize("rate,points", [
    ("0.95", "2"), ("1.2", "2"), ("0.9499", "1"), ("0.90", "1"),
    ("0.8999", "0.5"), ("0.80", "0.5"), ("0.7999", "0"), ("0", "0"),
])
def test_exec_rate_bands(profile, rate, points):
    assert score(profile, "预算执行率", rate, "否") == D(points)
    assert score(profile, "预算执行率", rate, "是") == D(points) + 2


def test_rate_is_rounded_to_the_printed_percent_before_banding(profile):
    # 0.949951 is printed 95.00% (half-up at 0.01%): the report's reader sees 95%以上 -> 2
    assert score(profile, "预算执行率", "0.949951", "否") == D(2)
    assert score(profile, "预算执行率", "0.949949", "否") == D(1)


# 预算调整率: "<5%，计2分；5-10%（含），计1分；大于10%不得分"
@pytest.mark.parametrize("rate,points", [
    ("-0.02", "2"), ("0", "2"), ("0.0499", "2"), ("0.05", "1"), ("0.10", "1"), ("0.1001", "0"),
])
def test_adjust_rate_bands(profile, rate, points):
    assert score(profile, "预算调整率", rate) == D(points)


# 结转结余率: "≤10%计1分；>10%（不含）0.5分；本年超支的，计0分"
@pytest.mark.parametrize("rate,exec_rate,points", [
    ("0.10", "0.9", "1"), ("0.1001", "0.9", "0.5"), ("0", "1", "1"), ("0", "1.0001", "0"),
])
def test_carryover_bands_and_overspend(profile, rate, exec_rate, points):
    assert score(profile, "结转结余率", rate, conditions={"exec": D(exec_rate)}) == D(points)


# 公用经费/三公经费控制率: "≤100%计2分，>100%计0分"
@pytest.mark.parametrize("name", ["公用经费控制率", "三公经费控制率"])
@pytest.mark.parametrize("rate,points", [("1", "2"), ("0.5", "2"), ("1.0001", "0")])
def test_control_rates(profile, name, rate, points):
    assert score(profile, name, rate) == D(points)


# 在职人员控制率: "≤100%计2分，每超出1%扣0.2分，扣完为止"
@pytest.mark.parametrize("rate,points", [
    ("1", "2"), ("0.5", "2"), ("1.01", "1.8"), ("1.0199", "1.8"), ("1.02", "1.6"),
    ("1.10", "0"), ("1.5", "0"),
])
def test_staff_rate_steps(profile, rate, points):
    assert score(profile, "在职人员控制率", rate) == D(points)


def test_over_step_ceil_option_counts_a_started_step(profile):
    ceil = replace(profile.options, over_step="ceil")
    assert score(profile, "在职人员控制率", "1.005", options=ceil) == D("1.8")
    assert score(profile, "在职人员控制率", "1.005") == D("2")  # floor: no full 1% exceeded


# 重点支出安排率: "得分=安排率×2分。每超出5%扣0.5分，扣完为止"
@pytest.mark.parametrize("rate,points", [
    ("0.7696", "1.54"),  # 附件2 item 5
    ("0.5", "1"), ("1", "2"), ("1.0499", "2"), ("1.05", "1.5"), ("1.10", "1"),
    ("1.20", "0"), ("1.25", "0"), ("3", "0"), ("0", "0"),
])
def test_keyspend_ratio_and_steps(profile, rate, points):
    assert score(profile, "重点支出安排率", rate) == D(points)


# 政府采购 ①: "≤100%，计1分，每超过1%扣0.1分，扣完为止" (+ ② 0.5 + ③ 0.5)
@pytest.mark.parametrize("rate,points", [("1", "2"), ("1.01", "1.9"), ("1.05", "1.5"), ("1.10", "1"),
                                         ("5.2323", "1")])
def test_procurement(profile, rate, points):
    assert score(profile, "政府采购执行率和规范性", rate) == D(points)


# 三公经费变动率: "负数计2分，正数计0分"; exactly 0 is the profile option; 完成数超过预算数 -> 0
@pytest.mark.parametrize("rate,ours,variant_points", [("-0.01", "2", "2"), ("0", "1", "2"), ("0.01", "0", "0")])
def test_sangong_change(profile, variant, rate, ours, variant_points):
    assert score(profile, "三公经费变动率", rate) == D(ours)
    assert score(variant, "三公经费变动率", rate) == D(variant_points)


@pytest.mark.parametrize("control,points", [("1", "2"), ("1.0001", "0")])
def test_sangong_change_zero_when_spending_exceeds_budget(profile, control, points):
    assert score(profile, "三公经费变动率", "-0.1", conditions={"sangong_control": D(control)}) == D(points)


# ratio × weight: 满意度 "该项得分=满意率×8分"; completion rates "完成率×4分"
@pytest.mark.parametrize("name,rate,points", [
    ("社会公众或服务对象满意度", "0.9562", "7.65"),  # 附件2 item 28: 95.62%×8=7.65
    ("社会公众或服务对象满意度", "1", "8"),
    ("实际完成率", "0.9", "3.6"), ("实际完成率", "1.2", "4"),
    ("完成及时性", "0.855", "3.42"),  # 85.5%×4 = 3.42
    ("重点工作办结率", "0.66666", "2.67"),  # 66.67%×4 = 2.6668 -> 2.67
])
def test_ratio_times_weight(profile, name, rate, points):
    assert score(profile, name, rate) == D(points)


def test_half_up_not_bankers_rounding(profile):
    # 0.53125 -> 53.13% (half-up at 0.01%); 53.13% × 8 = 4.2504 -> 4.25
    assert score(profile, "社会公众或服务对象满意度", "0.53125") == D("4.25")
    # 0.55625×4: rate 55.63% (half-up; banker's would give 55.62%) × 4 = 2.2252 -> 2.23
    assert score(profile, "实际完成率", "0.55625") == D("2.23")


def test_zero_denominator_rules(profile):
    # 附件2 item 6: 无非税收入 -> full marks
    assert score(profile, "非税收入完成率", BOTH_ZERO) == D(1)
    # procurement without a budget but with purchases: ① 0, ② and ③ kept
    assert score(profile, "政府采购执行率和规范性", ZERO_BASE) == D(1)
    assert score(profile, "政府采购执行率和规范性", BOTH_ZERO) == D(2)
    assert score(profile, "公用经费控制率", ZERO_BASE) == D(0)


def test_rate_without_rule_for_zero_denominator_is_an_error(profile):
    from udfs.errors import DomainError

    with pytest.raises(DomainError):
        score(profile, "在职人员控制率", ZERO_BASE)


# deductions: per sub-item caps, shared caps, veto, all-or-nothing, whole-indicator overrides
def test_deductions_cap_per_sub_item(profile):
    # 资金使用合规性 ② "计1分，1例不符合扣0.5分": 6 cases (3 points) still cost only 1
    assert score(profile, "资金使用合规性", deductions={"②": D(3)}) == D(6)
    assert score(profile, "资金使用合规性", deductions={"②": D(1), "⑥": D("0.5"), "⑦": D(1)}) == D("4.5")


def test_veto_zeroes_the_indicator(profile):
    # ⑤ "发生1例不符合本指标的现象7分全扣"
    assert score(profile, "资金使用合规性", deductions={"⑤": D("0.5")}) == D(0)


def test_shared_cap_deducts_until_nothing_is_left(profile):
    # 绩效目标合理性: "以上各项每发现一起不符合要求扣1分，扣完为止" — 2 cases on ① cost 2
    assert score(profile, "绩效目标合理性", deductions={"①": D(2)}) == D(1)
    assert score(profile, "管理制度健全性", deductions={"③": D(4), "⑦": D(5)}) == D(0)


def test_all_or_nothing_accepts_a_free_amount(profile):
    # reference case: 0.5 on 固定资产 ① where the rubric says 1 — the human decision stands
    assert score(profile, "固定资产保管和使用情况", deductions={"①": D("0.5")}) == D("1.5")
    assert score(profile, "固定资产保管和使用情况", deductions={"①": D(1)}) == D(1)


def test_whole_indicator_deduction_overrides_a_count_score_with_floor(profile):
    assert score(profile, "完成及时性", "1", deductions={WHOLE: D("0.5")}) == D("3.5")
    assert score(profile, "完成及时性", "0.5", deductions={WHOLE: D(9)}) == D(0)


@pytest.mark.parametrize("level,points", [("优秀", 6), ("良好", 4), ("合格", 2), ("不合格", 0), ("一般", 2)])
def test_work_quality_category(profile, level, points):
    assert score(profile, "部门整体工作质量", level) == D(points)


@pytest.mark.parametrize("state,points", [("全部整改", 3), ("部分整改", 1), ("未整改", 0), ("无上轮问题", 3)])
def test_rectification_category(profile, state, points):
    assert score(profile, "重点绩效评价整改情况", state) == D(points)


@pytest.mark.parametrize("name,value", [("部门整体工作质量", "很好"), ("预算执行率", None)])
def test_unknown_category_or_yes_no_is_rejected(profile, name, value):
    with pytest.raises(RuleValueError):
        if name == "预算执行率":
            score(profile, name, "0.9", "也许")
        else:
            score(profile, name, value)


def test_an_over_penalty_says_the_excess_and_what_counted():
    # issue 18: "共423档扣1分" was jargon. 政府采购执行率 523.23%, 每超出1%扣0.1分, 1 point:
    # 423 steps would deduct 42.3, the part has 1 — "扣完为止，实扣1分"; 101.5%: one step, 0.1
    from decimal import Decimal as D

    from udfs.profile import load_profile
    from udfs.rules.ceiling import RULE

    profile = load_profile("shaoyang-2022")
    part = profile.indicator("政府采购执行率和规范性").parts[0]
    assert RULE.score(part, D("5.2323"), profile.options) == \
        (0, "超出100%，每超出1%扣0.1分，超出423.23%应扣42.3分，扣完为止，实扣1分")
    assert RULE.score(part, D("1.015"), profile.options)[1] == "超出100%，每超出1%扣0.1分，超出1.50%扣0.1分"
    assert RULE.score(part, D("1.005"), profile.options)[1] == "超出100%，每超出1%扣0.1分，不足1%不扣分"
