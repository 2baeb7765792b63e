"""Departments to score three ways (issue 25): every band edge of 附件1, the amount comparisons
(超支 by 0.01), deductions with a third decimal, the figures real departments have (no 三公,
no 重点工作, blank 追加), grade edges with and without 严重违纪, and random departments.

Each set is (name, inputs as cells hold them, 扣分记录 rows). The edges are built on the
reference case (udfs.reference_case, the seed's inputs) with the figures around one edge
changed; what each set must score is not stated here: tests/support/annex1.py says it.
"""

from __future__ import annotations

import random

from udfs.reference_case import RAW_FINDINGS, RAW_INPUTS

# budgets that make the adjustment and execution rates easy to place: 全年 2000 from 年初 alone
PLAIN_BUDGET = {"年初预算": 2000, "追加预算": 0, "追减预算": 0, "上年结转": 0, "其他收入": 0, "全年预算": 2000,
                "调整剔除数": 0, "预算执行数": 1900, "结转结余": 100}


def _set(name, findings=None, **changes):
    return name, {**RAW_INPUTS, **changes}, list(RAW_FINDINGS if findings is None else findings)


def _edges() -> list:
    out = [_set("reference")]
    for spent in (1900, 1899.99, 1800, 1799.99, 1600, 1599.99, 1599.9, 1599.89, 2000, 2000.01, 0):
        out.append(_set(f"execution {spent}/2000", **{**PLAIN_BUDGET, "预算执行数": spent}))
    for added in (99.8, 99.9, 100, 200, 200.1, 200.2, 0):
        out.append(_set(f"adjustment {added}/2000", **{**PLAIN_BUDGET, "年初预算": 2000 - added, "追加预算": added}))
    for excluded in (0, 50, 1999.99):
        out.append(_set(f"adjustment less {excluded} excluded", **{**PLAIN_BUDGET, "年初预算": 1800, "追加预算": 200,
                                                                   "调整剔除数": excluded}))
    for left in (200, 200.1, 199.9, 0):
        out.append(_set(f"carryover {left}/2000", **{**PLAIN_BUDGET, "结转结余": left}))
    for staff in (100, 101, 101.5, 102, 109.99, 110, 115, 120, 200, 0):
        out.append(_set(f"staff {staff}/100", 编制数=100, 在职人数=staff))
    out.append(_set("staff x/0", 编制数=0, 在职人数=3))
    for actual in (100, 65.25, 100.01, 104.99, 105, 110, 115, 120, 150, 0):
        out.append(_set(f"key spending {actual}/100", 重点支出预算=100, 重点支出实际=actual))
    out += [_set("key spending 0/0", 重点支出预算=0, 重点支出实际=0), _set("key spending x/0", 重点支出预算=0, 重点支出实际=5)]
    for actual, budget in ((0, 0), (5, 0), (50, 100), (100, 100), (120, 100), (0, 100)):
        out.append(_set(f"non-tax {actual}/{budget}", 非税收入预算=budget, 非税收入实际=actual))
    for actual, budget in ((106.84, 106.84), (106.85, 106.84), (0, 0), (5, 0), (50, 100)):
        out.append(_set(f"public cost {actual}/{budget}", 公用经费预算=budget, 公用经费实际=actual))
    for actual, budget in ((30, 30), (30.3, 30), (30.31, 30), (33, 30), (33.01, 30), (60, 30), (0, 0), (3, 0)):
        out.append(_set(f"procurement {actual}/{budget}", 采购预算=budget, 采购实际=actual))
    for this, last, actual in ((24, 24, 13.73), (23.99, 24, 13.73), (24.01, 24, 13.73), (24, 24, 24), (24, 24, 24.01),
                               (1000, 1200, 1000.04), (1000, 1200, 1000), (5, 0, 4), (0, 0, 0), (0, 0, 1), (0, 10, 0)):
        out.append(_set(f"三公 {this}/{last}, spent {actual}", 三公预算本年=this, 三公预算上年=last, 三公实际=actual))
    for planned, done in ((10, 10), (10, 9), (9, 7), (7, 8), (12, 11)):
        out.append(_set(f"tasks {done}/{planned}", 计划工作数=planned, 实际完成数=done, 及时完成数=done, 质量达标数=done,
                        重点交办数=planned, 重点完成数=done))
    out += [_set("no 重点工作", 重点交办数=0, 重点完成数=0), _set("重点工作 x/0", 重点交办数=0, 重点完成数=2),
            _set("no planned work", 计划工作数=0, 实际完成数=0, 及时完成数=0, 质量达标数=0)]
    for rate in (0.95, 0.9562, 0.95625, 0.95624, 1, 0.6):
        out.append(_set(f"satisfaction {rate}", 满意率=rate))
    for category in ("优秀", "良好", "合格", "不合格"):
        out.append(_set(f"quality {category}", 工作质量等级=category))
    for state in ("全部整改", "部分整改", "未整改", "无上轮问题"):
        out.append(_set(f"rectification {state}", 整改情况=state))
    out.append(_set("no monitoring", 绩效监控="否"))
    # blank amounts a budget may not have
    for name in ("追加预算", "追减预算", "调整剔除数", "上年结转", "其他收入"):
        out.append(_set(f"{name} blank", **{**PLAIN_BUDGET, name: None}))
    # grade edges: the reference case is 80.39; a 扣分 of 0.39 lands on 80.00 exactly
    ref = list(RAW_FINDINGS)
    for cut, serious in ((0.39, "否"), (0.39, "是"), (0.4, "否"), (0.4, "是")):
        out.append(_set(f"total 80.39−{cut}, 严重违纪 {serious}",
                        findings=[*ref, ("资产管理安全性", "①", cut, "差一点", "")], 严重违纪=serious))
    # third-decimal and capped deductions
    for name, sub, cut in (("经济/社会/生态效益", "—", 0.125), ("经济/社会/生态效益", "①", 0.125), ("实际完成率", "—", 0.125),
                           ("信息公开性", "①", 0.375), ("绩效目标合理性", "②", 0.125), ("资产管理安全性", "④采购", 0.3),
                           ("资产管理安全性", "④外租", 0.3),
                           ("资产管理安全性", "①", 0.6), ("管理制度健全性", "①", 7), ("资金使用合规性", "⑤", 0.1),
                           ("资金使用合规性", "⑤", 9), ("预算执行率", "—", 5), ("绩效指标明确性", "②", 0.5)):
        out.append(_set(f"扣分 {name}{sub} {cut}", findings=[*ref, (name, sub, cut, "扣分事由", "")]))
    # a department that does everything the rubric asks (100 points), and 90.00 exactly
    model = {**PLAIN_BUDGET, "预算执行数": 2000, "结转结余": 0, "编制数": 30, "在职人数": 30, "三公预算本年": 20,
             "三公预算上年": 24, "三公实际": 20, "重点支出预算": 300, "重点支出实际": 300, "公用经费预算": 100,
             "公用经费实际": 100, "采购预算": 100, "采购实际": 100, "工作质量等级": "优秀", "计划工作数": 10, "实际完成数": 10,
             "及时完成数": 10, "质量达标数": 10, "重点交办数": 5, "重点完成数": 5, "满意率": 1, "整改情况": "全部整改"}
    out.append(_set("a model department", findings=[], **model))
    ninety = [("经济/社会/生态效益", "①", 9, "无效益材料", ""), ("绩效目标合理性", "①", 1, "不符合规划", "")]
    out.append(_set("total 90.00", findings=ninety, **model))
    out.append(_set("total 90.00 with 严重违纪", findings=ninety, **{**model, "严重违纪": "是"}))
    # issue 25 item 1: 0.3 on the 采购 half and 0.2 on the 外租 half leave 1.50 of 2
    out.append(_set("④ both halves to their caps", findings=[("资产管理安全性", "④采购", 0.3, "采购未履行手续", ""),
                                                             ("资产管理安全性", "④外租", 0.2, "外租未走程序", "")]))
    # 2 − (0.1 + 1.5 + 0.25 + 0.125) = 0.025: 0.03 half-up (2 − 1.975 is 0.02499999999999991 in binary)
    out.append(_set("预算执行率 2 less 1.975", findings=[("预算执行率", "—", cut, "扣分", "") for cut in (0.1, 1.5, 0.25, 0.125)]))
    out.append(_set("0.1+0.2 on one item", findings=[("信息公开性", "①", 0.1, "a", ""), ("信息公开性", "①", 0.2, "b", "")]))
    out.append(_set("no findings", findings=[]))
    return out


def _money(rng: random.Random, top: float) -> float:
    return round(rng.uniform(0, top), 2)


# 子项 a random 扣分 may name, by indicator: what the rubric text numbers (资产管理安全性 ④ in its
# two halves, as its 评分标准 cell tells the clerk to write them)
DEDUCTIBLE = {
    "绩效目标合理性": "①②③—", "绩效指标明确性": "①②③④—", "政府采购执行率和规范性": "②③—", "管理制度健全性": "①②③④⑤⑥⑦—",
    "资金使用合规性": "①②③④⑥⑦—", "信息公开性": "①②③—", "非税收入管理": "①②—", "绩效自评管理情况": "①②③④—",
    "资产管理制度健全性": "①②—",
    "资产管理安全性": ("①", "②", "③", "④采购", "④外租", "—"), "固定资产保管和使用情况": "①②③—", "经济/社会/生态效益": "①—",
    "预算执行率": "—", "实际完成率": "—", "完成及时性": "—", "社会公众或服务对象满意度": "—",
}


def _random(rng: random.Random, n: int):
    budget = _money(rng, 3000) + 1
    initial = round(budget * rng.uniform(0.3, 1), 2)
    planned = rng.randint(1, 40)
    key_tasks = rng.choice([0, rng.randint(1, 20)])
    raw = {
        **RAW_INPUTS,
        "编制数": rng.randint(1, 200), "在职人数": rng.randint(0, 230),
        "三公预算本年": rng.choice([0, _money(rng, 60)]), "三公预算上年": rng.choice([0, _money(rng, 60)]),
        "三公实际": _money(rng, 70),
        "重点支出预算": rng.choice([0, _money(rng, 500)]), "重点支出实际": _money(rng, 600),
        "非税收入预算": rng.choice([0, _money(rng, 50)]), "非税收入实际": rng.choice([0, _money(rng, 60)]),
        "年初预算": initial, "追加预算": round(budget - initial, 2), "追减预算": rng.choice([None, 0, _money(rng, 50)]),
        "上年结转": None, "其他收入": None, "全年预算": budget,
        "预算执行数": round(budget * rng.uniform(0.6, 1.05), 2), "调整剔除数": rng.choice([None, _money(rng, 50)]),
        "结转结余": round(budget * rng.uniform(0, 0.3), 2),
        "公用经费预算": rng.choice([0, _money(rng, 200)]), "公用经费实际": _money(rng, 250),
        "采购预算": rng.choice([0, _money(rng, 100)]), "采购实际": _money(rng, 130),
        "绩效监控": rng.choice(["是", "否"]), "工作质量等级": rng.choice(["优秀", "良好", "合格", "不合格"]),
        "计划工作数": planned, "实际完成数": rng.randint(0, planned + 2), "及时完成数": rng.randint(0, planned),
        "质量达标数": rng.randint(0, planned), "重点交办数": key_tasks,
        "重点完成数": rng.randint(0, key_tasks) if key_tasks else 0,
        "满意率": round(rng.uniform(0.6, 1), rng.choice([2, 4, 5])),
        "整改情况": rng.choice(["全部整改", "部分整改", "未整改", "无上轮问题"]), "严重违纪": rng.choice(["否"] * 6 + ["是"]),
    }
    if raw["重点支出预算"] == 0 and rng.random() < 0.8:  # mostly none spent either (0/0 scores; x/0 cannot)
        raw["重点支出实际"] = 0
    if raw["追减预算"]:
        raw["追加预算"] = round(raw["追加预算"] + raw["追减预算"], 2)
    if rng.random() < 0.05:  # a 三公 spent exactly at or just over its budget
        raw["三公实际"] = round(raw["三公预算本年"] + rng.choice([0, 0.01]), 2)
    findings = []
    names = list(DEDUCTIBLE)
    for _ in range(rng.randint(0, 12)):
        name = rng.choice(names)
        sub = rng.choice(DEDUCTIBLE[name])
        cut = rng.choice([0.1, 0.2, 0.25, 0.3, 0.5, 1, 1.5, 0.125, 2])
        findings.append((name, sub, cut, "随机扣分", ""))
    return f"random {n}", raw, findings


def sets(randoms: int, seed: int = 25) -> list:
    rng = random.Random(seed)
    return _edges() + [_random(rng, n) for n in range(randoms)]
