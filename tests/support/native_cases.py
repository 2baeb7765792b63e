"""Input sets for the workbook's own formulas and what the engine makes of them (``engine_scores``,
one side of the annex1 parity test; the oracle of every comparison is tests/support/annex1.py).

Shared by tests/test_native.py (the `formulas` package, a few dozen sets) and
bench/native_libreoffice.py (LibreOffice headless, hundreds of workbooks). Every edge the
issue names has a set: band edges exactly on 95%, 90%, 80%, 10%, 5% and 100%, a rate that
reaches an edge only by half-up rounding (79.995% -> 80.00%), over-steps on an exact 1% or
5% boundary (115% on a 5% step is 2.9999999999999982 steps in binary), 0/0 and x/0 with each
rule, 超支 (三公 spent over budget; execution over 100%), deductions summing exactly to a
cap or beyond it, 0.1+0.2, products landing on …5 (65.25%×2 = 1.305 -> 1.31), 严重违纪
with a total exactly on a grade limit, synonyms, and inputs the rubric cannot score.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from udfs import engine
from udfs.errors import EngineError
from udfs.inputs import Finding, Inputs
from udfs.money import ZERO, quantize
from udfs.profile import WHOLE, Profile
from udfs.reference_case import RAW_FINDINGS, RAW_INPUTS


@dataclass
class Case:
    name: str
    inputs: dict[str, object]
    findings: list[tuple] = field(default_factory=list)


def _case(name: str, findings=None, **changes) -> Case:
    return Case(name, {**RAW_INPUTS, **changes}, list(RAW_FINDINGS if findings is None else findings))


def edge_cases() -> list[Case]:
    ref = list(RAW_FINDINGS)
    return [
        _case("reference"),
        _case("edges at 95%, 10%, 101% and 65.25%×2",
              全年预算=2000, 预算执行数=1900, 结转结余=200, 追加预算=200, 追减预算=0, 上年结转=0, 其他收入=0, 调整剔除数=0, 年初预算=2000,
              编制数=100, 在职人数=101, 重点支出预算=100, 重点支出实际=65.25,
              公用经费预算=0, 公用经费实际=50, 采购预算=100, 采购实际=101,
              三公预算本年=24, 三公预算上年=24, 三公实际=24),
        _case("edges at 90%, 5%, 115% steps, x/0 and 超支",
              全年预算=2000, 预算执行数=1800, 结转结余=200.1, 追加预算=100, 追减预算=0, 上年结转=0, 其他收入=0, 调整剔除数=0, 年初预算=2000,
              编制数=100, 在职人数=115, 重点支出预算=100, 重点支出实际=115,
              非税收入预算=0, 非税收入实际=5, 公用经费预算=0, 公用经费实际=0, 采购预算=0, 采购实际=3,
              三公预算本年=20, 三公预算上年=24, 三公实际=25),
        _case("79.995% rounds to 80%, 109.99% staff, 105% key spending, 4.99% adjustment",
              全年预算=2000, 预算执行数=1599.9, 结转结余=0, 追加预算=99.8, 追减预算=0, 上年结转=0, 其他收入=0, 调整剔除数=0, 年初预算=2000,
              编制数=10000, 在职人数=10999, 重点支出预算=100, 重点支出实际=105,
              三公预算本年=25, 三公预算上年=24, 三公实际=25),
        _case("execution over 100%, 95.625% satisfaction, 7/9 on time, nothing done",
              全年预算=2000, 预算执行数=2100, 满意率=0.95625, 计划工作数=9, 实际完成数=9, 及时完成数=7, 质量达标数=0,
              重点交办数=7, 重点完成数=8),
        _case("a ratio the rubric cannot score (x/0 without a rule)", 重点交办数=0, 重点完成数=3,
              三公预算上年=0, 三公预算本年=10),
        _case("total exactly 80.00", findings=[*ref, ("资产管理安全性", "①", 0.39, "差0.39分到80分", "")]),
        _case("total exactly 80.00 with 严重违纪", findings=[*ref, ("资产管理安全性", "①", 0.39, "差0.39分", "")],
              严重违纪="是"),
        _case("total 79.99", findings=[*ref, ("资产管理安全性", "①", 0.4, "差0.4分", "")]),
        _case("caps: exactly full, beyond full, shared cap, veto, whole indicator, 0.1+0.2", findings=[
            ("资金使用合规性", "①", 0.5, "a", ""), ("资金使用合规性", "①", 0.5, "b", ""),
            ("管理制度健全性", "①", 2, "c", ""), ("管理制度健全性", "②", 2, "d", ""), ("管理制度健全性", "③", 2, "e", ""),
            ("绩效目标合理性", "①", 2, "f", ""), ("绩效目标合理性", "②", 2, "g", ""),
            ("信息公开性", "①", 0.1, "h", ""), ("信息公开性", "①", 0.2, "i", ""),
            ("完成及时性", WHOLE, 5, "j", ""), ("实际完成率", WHOLE, 0.25, "k", ""),
        ]),
        _case("a veto", findings=[*ref, ("资金使用合规性", "⑤", 0.1, "挤占挪用", "")]),
        _case("synonyms and 否", 工作质量等级="优", 整改情况="无", 绩效监控="否"),
        _case("a category the rubric does not know", 工作质量等级="很好"),
        _case("an empty input", 全年预算=None),
    ]


def _money(rng: random.Random, top: float = 2000) -> float:
    return round(rng.uniform(0, top), 2)


def random_case(rng: random.Random, profile: Profile, n: int) -> Case:
    budget = _money(rng) + 1
    planned = rng.randint(1, 40)
    raw = {
        **RAW_INPUTS,
        "编制数": rng.randint(1, 200), "在职人数": rng.randint(0, 220),
        "三公预算本年": _money(rng, 60), "三公预算上年": _money(rng, 60) + 0.01, "三公实际": _money(rng, 70),
        "重点支出预算": _money(rng, 500) + 0.01, "重点支出实际": _money(rng, 600),
        "非税收入预算": rng.choice([0, _money(rng, 50)]), "非税收入实际": rng.choice([0, _money(rng, 60)]),
        "年初预算": _money(rng) + 1, "追加预算": _money(rng, 800), "追减预算": _money(rng, 100),
        "全年预算": budget, "预算执行数": round(budget * rng.uniform(0.6, 1.1), 2),
        "调整剔除数": _money(rng, 50), "结转结余": round(budget * rng.uniform(0, 0.3), 2),
        "公用经费预算": _money(rng, 200) + 0.01, "公用经费实际": _money(rng, 300),
        "采购预算": _money(rng, 100) + 0.01, "采购实际": _money(rng, 130),
        "绩效监控": rng.choice(["是", "否"]), "工作质量等级": rng.choice(["优秀", "良好", "合格", "不合格"]),
        "计划工作数": planned, "实际完成数": rng.randint(0, planned), "及时完成数": rng.randint(0, planned),
        "质量达标数": rng.randint(0, planned), "重点交办数": planned, "重点完成数": rng.randint(0, planned),
        "满意率": round(rng.uniform(0.6, 1), 4), "整改情况": rng.choice(["全部整改", "部分整改", "未整改", "无上轮问题"]),
        "严重违纪": rng.choice(["否"] * 5 + ["是"]),
    }
    findings = []
    for _ in range(rng.randint(0, 10)):
        ind = rng.choice(profile.indicators)
        ids = [p.shown for p in ind.finding_parts] + [WHOLE]  # as a 扣分记录 row names them
        findings.append((ind.name, rng.choice(ids), rng.choice([0.1, 0.2, 0.25, 0.3, 0.5, 1, 1.5]), "随机扣分", ""))
    return Case(f"random {n}", raw, findings)


def cases(profile: Profile, randoms: int, seed: int = 16) -> list[Case]:
    rng = random.Random(seed)
    return edge_cases() + [random_case(rng, profile, n) for n in range(randoms)]


def engine_scores(case: Case, profile: Profile) -> dict[str, object]:
    """What the engine gives: {indicator no: score or None (cannot be scored)}, each
    section when its indicators have scores, 总分 and 等级 when all have (else None)."""
    inputs = Inputs.from_mapping(case.inputs)
    findings = [Finding.make(*row, row=n) for n, row in enumerate(case.findings, start=2)]
    options = profile.options
    by_no: dict[int, list[Finding]] = {}
    for f in findings:
        ind = profile.indicator(f.indicator)
        assert ind is not None, f.indicator
        by_no.setdefault(ind.no, []).append(f)
    out: dict[str, object] = {}
    for ind in profile.indicators:
        try:
            deductions, _reasons = engine.group_findings(ind, by_no.get(ind.no, []))
            values = {p.id: (engine.rate_value(p.rate, inputs, options) if p.rated
                             else engine.PartValue(inputs[p.input])) for p in ind.value_parts}
            conditions = engine.condition_rates(ind, inputs, options)
            score, _, _ = engine.score_indicator(ind, values, deductions, options, conditions)
            out[ind.no] = score
        except EngineError:
            out[ind.no] = None
    if any(out[i.no] is None for i in profile.indicators):
        # the engine stops; a section whose own indicators all have scores still adds up
        for section in profile.sections:
            scores = [out[i.no] for i in profile.indicators if i.level1 == section]
            out[section] = None if None in scores else quantize(sum(scores, ZERO), options.score_places)
        return out | {"总分": None, "等级": None}
    ev = engine.evaluate(inputs, findings, profile)
    out.update({s: ev.sections[s] for s in profile.sections})
    out["总分"], out["等级"] = ev.total, ev.grade
    assert ev.total == quantize(sum((out[i.no] for i in profile.indicators), ZERO), options.score_places)
    return out
