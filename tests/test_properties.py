"""Property tests: every score stays in [0, weight]; scores move the way the rubric says."""

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from udfs.contract import COUNT, INPUTS, MONEY, RATE
from udfs.engine import PartValue, evaluate, score_indicator
from udfs.inputs import Finding, Inputs
from udfs.profile import WHOLE, load_profile

PROFILES = [load_profile("shaoyang-2022"), load_profile("hunan-nianchu")]
rates = st.decimals(min_value=D(0), max_value=D(6), places=4)
cuts = st.decimals(min_value=D(0), max_value=D(10), places=2)


def _value_for(part, data):
    if part.kind == "yesno":
        return PartValue(data.draw(st.sampled_from(["是", "否"])))
    if part.kind == "category":
        return PartValue(data.draw(st.sampled_from(sorted(part.params.map))))
    return PartValue(data.draw(rates))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_indicator_score_in_range(data):
    prof = data.draw(st.sampled_from(PROFILES))
    ind = data.draw(st.sampled_from(prof.indicators))
    values = {p.id: _value_for(p, data) for p in ind.value_parts}
    ids = [p.id for p in ind.finding_parts] + [WHOLE]
    deductions = data.draw(st.dictionaries(st.sampled_from(ids), cuts, max_size=len(ids)))
    conditions = {c.rate: data.draw(rates) for c in ind.zero_if}
    score, _, basis = score_indicator(ind, values, deductions, prof.options, conditions)
    assert D(0) <= score <= ind.weight
    assert score == score.quantize(D("0.01"))
    assert basis.endswith("分")


def _score(name, rate, deductions=None, second=None):
    prof = PROFILES[0]
    ind = prof.indicator(name)
    values = {ind.value_parts[0].id: PartValue(rate)}
    if second is not None:
        values[ind.value_parts[1].id] = PartValue(second)
    return score_indicator(ind, values, deductions or {}, prof.options)[0]


@settings(max_examples=200, deadline=None)
@given(a=rates, b=rates)
def test_monotone_where_the_rubric_says_so(a, b):
    low, high = min(a, b), max(a, b)
    # higher is better up to 100%: ratio × weight
    for name in ("实际完成率", "完成及时性", "质量达标率", "重点工作办结率", "社会公众或服务对象满意度"):
        assert _score(name, low) <= _score(name, high)
    assert _score("预算执行率", low, second="是") <= _score("预算执行率", high, second="是")
    # lower is better: adjustments, carry-over, control rates, staff above 100%
    for name in ("预算调整率", "结转结余率", "公用经费控制率", "三公经费控制率", "在职人员控制率",
                 "政府采购执行率和规范性", "三公经费变动率"):
        assert _score(name, low) >= _score(name, high)
    # 重点支出安排率 rises to 100% then falls by steps
    if high <= 1:
        assert _score("重点支出安排率", low) <= _score("重点支出安排率", high)
    if low >= 1:
        assert _score("重点支出安排率", low) >= _score("重点支出安排率", high)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_more_deductions_never_raise_a_score(data):
    prof = PROFILES[0]
    ind = data.draw(st.sampled_from([i for i in prof.indicators if not i.value_parts]))
    ids = [p.id for p in ind.finding_parts] + [WHOLE]
    base = data.draw(st.dictionaries(st.sampled_from(ids), cuts))
    extra_id = data.draw(st.sampled_from(ids))
    more = dict(base)
    more[extra_id] = more.get(extra_id, D(0)) + data.draw(cuts)
    first = score_indicator(ind, {}, base, prof.options)[0]
    second = score_indicator(ind, {}, more, prof.options)[0]
    assert second <= first


def _input_strategy(spec):
    if spec.kind == MONEY:
        return st.decimals(min_value=D("0.01"), max_value=D(5000), places=2)
    if spec.kind == COUNT:
        return st.integers(min_value=1, max_value=200)
    if spec.kind == RATE:
        return st.decimals(min_value=D(0), max_value=D(1), places=4)
    if spec.choices:
        return st.sampled_from(spec.choices)
    return st.just("测试单位") if spec.name == "单位名称" else st.just(2023)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({s.name: _input_strategy(s) for s in INPUTS}), st.sampled_from(PROFILES))
def test_whole_evaluation_is_consistent(raw, prof):
    # budgets that add up (年初 + 追加 − 追减 + 上年结转 + 其他收入 = 全年, 剔除 within 追加), as
    # validation requires
    raw["追减预算"] = min(raw["追减预算"], raw["年初预算"] / 2).quantize(D("0.01"))
    raw["调整剔除数"] = min(raw["调整剔除数"], raw["追加预算"])
    raw["全年预算"] = raw["年初预算"] + raw["追加预算"] - raw["追减预算"] + raw["上年结转"] + raw["其他收入"]
    ev = evaluate(Inputs.from_mapping(raw), [Finding.make("资金使用合规性", "②", D("0.5"))], prof)
    assert len(ev.indicators) == 28
    for section, weight in ev.section_weights.items():
        assert D(0) <= ev.sections[section] <= weight
    assert ev.total == sum(ev.sections.values())
    assert D(0) <= ev.total <= D(100)
    expected = next(g for low, g in prof.grades if ev.total >= low)
    if raw["严重违纪"] == "否":
        assert ev.grade == expected


def test_inconsistent_budget_is_refused_with_a_named_reason():
    import pytest

    from udfs import reference_case
    from udfs.errors import DomainError

    raw = dict(reference_case.RAW_INPUTS, 调整剔除数=2160.62)  # = 全年预算: denominator 0
    with pytest.raises(DomainError, match="预算调整率"):
        evaluate(Inputs.from_mapping(raw), [], PROFILES[0])
