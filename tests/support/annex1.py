"""附件1 stated a second time, apart from the engine: the test oracle of issue 25.

Each of the 28 indicators of the reference rubric (shaoyang-xinfang-2022-evaluation.txt, 附件1)
is scored here as its text says, with the sentence it comes from. Nothing here imports
``udfs`` or ``addin``: the engine and the workbook's formulas are compared with this, never
with themselves. Where 附件1 is silent, the reading is the one the profile documents and the
README's option table states (the source is given beside it):

- rates are rounded half-up to 0.01% before they are compared or multiplied, scores to 0.01
  (附件2 "76.96%×2=1.54");
- "以上/以下/以内" include the number (民法典 第1259条); "每超出1%扣0.2分" counts whole steps;
- 三公经费变动率 exactly 0 scores 1 (附件2 item 4); no 三公 in either year is a change of 0;
- 预算调整率 = (追加 + 追减 + 上年结转 + 其他收入 − 剔除) / (全年预算 − 剔除) (附件2 item 8);
- 0/0 of 非税收入 (附件2 item 6), 公用经费, 三公, 采购, 重点支出 and 重点工作 is full marks;
- 无上轮问题 scores as 全部整改; 严重违纪 moves the grade down one (资金使用合规性 ⑧).

A value is None where the rubric gives no score (a zero denominator it says nothing of):
the engine refuses such a workbook (V206) and the workbook's formulas leave the cell empty.

``Reading`` states the two open points other evaluators read otherwise (the hunan-nianchu
variant: "调整率以年初预算为分母", and 三公 unchanged at 2 points): the tests name the reading
they score by, here, never by asking the profile.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

D = Decimal
ZERO, ONE = D(0), D(1)
WHOLE = "—"


@dataclass(frozen=True)
class Reading:
    unchanged_sangong: int = 1  # 附件2 item 4: "(24-24)/24×100%=0，计1分"
    adjust_base: str = "全年预算减剔除"  # 附件2 item 8: (2160.62-…)/(2160.62-1158.47-50); or "年初预算"


SHAOYANG = Reading()
NIANCHU = Reading(unchanged_sangong=2, adjust_base="年初预算")
READINGS = {"shaoyang-2022": SHAOYANG, "hunan-nianchu": NIANCHU}  # each shipped rubric, by its name


def half_up(x: Decimal, places: int) -> Decimal:
    return x.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate4(numerator: Decimal, denominator: Decimal) -> Decimal:
    return half_up(numerator / denominator, 4)


def whole_steps(excess: Decimal, step: str) -> int:
    return math.floor(excess / D(step))


class Unscorable(Exception):
    """The rubric gives no score for these figures."""


def _n(raw: Mapping[str, object], name: str, blank_is_zero: bool = False) -> Decimal:
    value = raw.get(name)
    if value is None or value == "":
        if blank_is_zero:
            return ZERO
        raise Unscorable(name)
    return D(str(value))


def _ratio_score(rate: Decimal, points: int) -> Decimal:
    """"该项得分=…率×N分" (above 100%: the full N, no over rule in these sentences)."""
    return D(points) if rate > ONE else half_up(rate * points, 2)


# ---------------------------------------------------------------- the value parts, by indicator

def staff(raw, _):  # 3 在职人员控制率
    """"在职人员控制率≤100%计2分，每超出1%扣0.2分，扣完为止。\""""
    posts = _n(raw, "编制数")
    if posts == 0:
        raise Unscorable("编制数")
    rate = rate4(_n(raw, "在职人数"), posts)
    return D(2) if rate <= ONE else max(D(2) - D("0.2") * whole_steps(rate - ONE, "0.01"), ZERO)


def sangong_change(raw, _, reading: Reading = SHAOYANG):  # 4 三公经费变动率
    """"变动率为负数，计2分，变动率为正数，计0分。年度内“三公经费”完成数超过预算数，则该项计0分。\""""
    this, last = _n(raw, "三公预算本年"), _n(raw, "三公预算上年")
    if _n(raw, "三公实际") > this:  # an amount over its budget, not a rate shown as 100.00%
        return ZERO
    unchanged = D(reading.unchanged_sangong)
    if last == 0:
        return unchanged if this == 0 else ZERO  # nothing either year: no change; from nothing: an increase
    change = rate4(this - last, last)
    return D(2) if change < 0 else unchanged if change == 0 else ZERO


def keyspend(raw, _):  # 5 重点支出安排率
    """"该项得分=安排率×2分。每超出5%扣0.5分，扣完为止。\""""
    budget, actual = _n(raw, "重点支出预算"), _n(raw, "重点支出实际")
    if budget == 0:
        if actual == 0:
            return D(2)
        raise Unscorable("重点支出预算")
    rate = rate4(actual, budget)
    if rate <= ONE:
        return half_up(rate * 2, 2)
    return max(D(2) - D("0.5") * whole_steps(rate - ONE, "0.05"), ZERO)


def nontax(raw, _):  # 6 非税收入完成率
    """"该项得分=完成率×1分。" 附件2 item 6: "该部门无非税收入，计1分\""""
    budget = _n(raw, "非税收入预算")
    if budget == 0:
        return ONE
    return _ratio_score(rate4(_n(raw, "非税收入实际"), budget), 1)


def execution(raw, _):  # 7 预算执行率 ① and ②
    """"全年预算执行率95%以上计2分，95-90%（含），计1分，90-80%（含），计0.5分，小于80%不得分；
    实施项目资金运行监控的得2分，未实施的不得分。\""""
    budget = _n(raw, "全年预算")
    if budget == 0:
        raise Unscorable("全年预算")
    rate = rate4(_n(raw, "预算执行数"), budget)
    first = D(2) if rate >= D("0.95") else ONE if rate >= D("0.90") else D("0.5") if rate >= D("0.80") else ZERO
    return first + (D(2) if raw.get("绩效监控") == "是" else ZERO)


def adjustment(raw, _, reading: Reading = SHAOYANG):  # 8 预算调整率
    """"预算调整率<5%，计2分；5-10%（含），计1分；大于10%不得分。" 附件2 item 8 for the terms."""
    excluded = _n(raw, "调整剔除数", True)
    change = sum((_n(raw, k, True) for k in ("追加预算", "追减预算", "上年结转", "其他收入")), ZERO) - excluded
    if reading.adjust_base == "年初预算":
        base = _n(raw, "年初预算")
    else:
        base = _n(raw, "全年预算") - excluded
    if base == 0:
        raise Unscorable(reading.adjust_base)
    rate = rate4(change, base)
    return D(2) if rate < D("0.05") else ONE if rate <= D("0.10") else ZERO


def carryover(raw, _):  # 9 结转结余率
    """"结余率≤10%的，计1分；结余率>10%（不含），0.5分；本年超支的，计0分。\""""
    budget = _n(raw, "全年预算")
    if budget == 0:
        raise Unscorable("全年预算")
    rate = rate4(_n(raw, "结转结余"), budget)  # computed (and required) before 超支 is looked at
    if _n(raw, "预算执行数") > budget:
        return ZERO
    return ONE if rate <= D("0.10") else D("0.5")


def _control(raw, actual_name: str, budget_name: str, points: int) -> Decimal:
    """"控制率≤100%，计N分，控制率>100%，计0分。" (0/0: nothing budgeted, nothing spent: full)"""
    actual, budget = _n(raw, actual_name), _n(raw, budget_name)
    if budget == 0:
        return D(points) if actual == 0 else ZERO
    return D(points) if rate4(actual, budget) <= ONE else ZERO


def publiccost(raw, _):  # 10
    return _control(raw, "公用经费实际", "公用经费预算", 2)


def sangong_control(raw, _):  # 11
    return _control(raw, "三公实际", "三公预算本年", 2)


def procurement(raw, _):  # 12 ①
    """"政府采购执行率≤100%，计1分，每超过1%扣0.1分，扣完为止。\""""
    actual, budget = _n(raw, "采购实际"), _n(raw, "采购预算")
    if budget == 0:
        return ONE if actual == 0 else ZERO
    rate = rate4(actual, budget)
    return ONE if rate <= ONE else max(ONE - D("0.1") * whole_steps(rate - ONE, "0.01"), ZERO)


# the short words a clerk may type for the rubric's (the workbook accepts both)
SAID = {"已整改": "全部整改", "基本整改": "部分整改", "无": "无上轮问题",
        "优": "优秀", "良": "良好", "一般": "合格", "较差": "不合格", "差": "不合格"}


def _word(raw, name: str, points: Mapping[str, Decimal]) -> Decimal:
    said = raw.get(name)
    said = SAID.get(said, said) if isinstance(said, str) else said
    if said not in points:
        raise Unscorable(name)  # a word the rubric does not give points for ("很好")
    return points[said]


def rectification(raw, _):  # 18
    """"全部整改，计3分；部分整改，计1分；未整改且无整改情况说明的不计分。\""""
    return _word(raw, "整改情况", {"全部整改": D(3), "部分整改": ONE, "未整改": ZERO, "无上轮问题": D(3)})


def quality_grade(raw, _):  # 22
    """"优秀，计6分；良好，4分；合格，2分；不合格，0分。\""""
    return _word(raw, "工作质量等级", {"优秀": D(6), "良好": D(4), "合格": D(2), "不合格": ZERO})


def _task(raw, done: str, planned: str, empty_full: bool = False) -> Decimal:
    """"该项得分=…率×4分。\""""
    base = _n(raw, planned)
    if base == 0:
        if empty_full and _n(raw, done) == 0:
            return D(4)  # no key work assigned, none left undone
        raise Unscorable(planned)
    return _ratio_score(rate4(_n(raw, done), base), 4)


def satisfaction(raw, _):  # 28
    """"该项得分=满意率×8分。\""""
    return _ratio_score(half_up(_n(raw, "满意率"), 4), 8)


# ---------------------------------------------------------------- the 28 indicators

# (no, name, 一级, weight, value scorer or None, deductible sub-items {id: points} with the
#  veto item marked "veto", whether "以上各项每发现一起…扣完为止" shares one cap)
Indicator = tuple[int, str, str, int, Callable | None, Mapping[str, object], bool]

INDICATORS: tuple[Indicator, ...] = (
    (1, "绩效目标合理性", "投入", 3, None, {"①": 1, "②": 1, "③": 1}, True),
    (2, "绩效指标明确性", "投入", 4, None, {"①": 1, "②": 1, "③": 1, "④": 1}, False),
    (3, "在职人员控制率", "投入", 2, staff, {}, False),
    (4, "三公经费变动率", "投入", 2, sangong_change, {}, False),
    (5, "重点支出安排率", "投入", 2, keyspend, {}, False),
    (6, "非税收入完成率", "投入", 1, nontax, {}, False),
    (7, "预算执行率", "过程", 4, execution, {}, False),
    (8, "预算调整率", "过程", 2, adjustment, {}, False),
    (9, "结转结余率", "过程", 1, carryover, {}, False),
    (10, "公用经费控制率", "过程", 2, publiccost, {}, False),
    (11, "三公经费控制率", "过程", 2, sangong_control, {}, False),
    (12, "政府采购执行率和规范性", "过程", 2, procurement, {"②": D("0.5"), "③": D("0.5")}, False),
    (13, "管理制度健全性", "过程", 6, None, {s: 1 for s in "①②③④⑤⑥⑦"}, True),
    # "⑤…发生1例不符合本指标的现象7分全扣"
    (14, "资金使用合规性", "过程", 7, None, {"①": 1, "②": 1, "③": 1, "④": 1, "⑤": "veto", "⑥": 1, "⑦": 1}, False),
    (15, "信息公开性", "过程", 4, None, {"①": 1, "②": 1, "③": 2}, False),
    (16, "非税收入管理", "过程", 1, None, {"①": D("0.5"), "②": D("0.5")}, False),
    (17, "绩效自评管理情况", "过程", 8, None, {s: 2 for s in "①②③④"}, False),
    (18, "重点绩效评价整改情况", "过程", 3, rectification, {}, False),
    (19, "资产管理制度健全性", "过程", 1, None, {"①": D("0.5"), "②": D("0.5")}, False),
    # "④资产购置履行政府采购手续，计0.3分，…扣完为止；外租资产全部走合规程序，计0.2分，…扣完为止":
    # one number, two halves with their own caps, named in 扣分记录 as the 评分标准 cell says
    (20, "资产管理安全性", "过程", 2, None, {"①": D("0.5"), "②": D("0.5"), "③": D("0.5"), "④采购": D("0.3"),
                                           "④外租": D("0.2")}, False),
    (21, "固定资产保管和使用情况", "过程", 2, None, {"①": 1, "②": D("0.5"), "③": D("0.5")}, False),
    (22, "部门整体工作质量", "产出", 6, quality_grade, {}, False),
    (23, "实际完成率", "产出", 4, lambda raw, _: _task(raw, "实际完成数", "计划工作数"), {}, False),
    (24, "完成及时性", "产出", 4, lambda raw, _: _task(raw, "及时完成数", "计划工作数"), {}, False),
    (25, "质量达标率", "产出", 4, lambda raw, _: _task(raw, "质量达标数", "计划工作数"), {}, False),
    (26, "重点工作办结率", "产出", 4, lambda raw, _: _task(raw, "重点完成数", "重点交办数", empty_full=True), {}, False),
    (27, "经济/社会/生态效益", "效果", 9, None, {"①": 9}, False),
    (28, "社会公众或服务对象满意度", "效果", 8, satisfaction, {}, False),
)
SECTIONS = ("投入", "过程", "产出", "效果")
GRADES = ((D(90), "优"), (D(80), "良"), (D(60), "中"), (ZERO, "差"))


def _cuts(findings: Sequence[Sequence], name: str) -> dict[str, Decimal]:
    cuts: dict[str, Decimal] = {}
    for row in findings:
        if row[0] == name:
            sub = row[1] if row[1] not in (None, "") else WHOLE
            cuts[sub] = cuts.get(sub, ZERO) + D(str(row[2]))
    return cuts


_OPEN = (sangong_change, adjustment)  # the value parts a Reading changes


def indicator_score(ind: Indicator, raw: Mapping[str, object], findings: Sequence[Sequence],
                    reading: Reading = SHAOYANG) -> Decimal | None:
    no, name, _section, weight, value, items, shared = ind
    cuts = _cuts(findings, name)
    try:
        if value is None:
            points = ZERO
        else:
            points = value(raw, cuts, reading) if value in _OPEN else value(raw, cuts)
    except Unscorable:
        return None
    if items.get("⑤") == "veto" and cuts.get("⑤", ZERO) > 0:
        return ZERO
    whole = cuts.get(WHOLE, ZERO)
    if shared:  # "以上各项每发现一起不符合要求扣1分，扣完为止"
        left = D(weight) - sum((c for s, c in cuts.items() if s != WHOLE), ZERO) - whole
    else:  # each item "扣完为止" on its own points, then the whole-indicator deduction
        for sub, worth in items.items():
            worth = ONE if worth == "veto" else D(worth)
            points += max(worth - cuts.get(sub, ZERO), ZERO)
        left = points - whole
    return half_up(min(max(left, ZERO), D(weight)), 2)


def score(raw: Mapping[str, object], findings: Sequence[Sequence], reading: Reading = SHAOYANG) -> dict[object, object]:
    """{indicator no: score or None, each section, "总分", "等级"} as 附件1 gives them."""
    out: dict[object, object] = {ind[0]: indicator_score(ind, raw, findings, reading) for ind in INDICATORS}
    for section in SECTIONS:
        scores = [out[ind[0]] for ind in INDICATORS if ind[2] == section]
        out[section] = None if None in scores else sum(scores, ZERO)
    if any(out[s] is None for s in SECTIONS):
        return out | {"总分": None, "等级": None}
    total = sum((out[s] for s in SECTIONS), ZERO)
    index = next(n for n, (low, _) in enumerate(GRADES) if total >= low)
    if raw.get("严重违纪") == "是":  # 资金使用合规性 ⑧: "评价等级在原来的基础上下调一个等级"
        index = min(index + 1, len(GRADES) - 1)
    return out | {"总分": total, "等级": GRADES[index][1]}
