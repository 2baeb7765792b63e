"""存在的问题 and 改进措施 say only what the data says (issue 28, item 1): a problem or a
suggestion only for an indicator below full marks, never naming a subject that earned full
marks; typed text verbatim, with generated lines only for what it does not mention.

The case after seed 002 (衡阳县行政审批服务局 2023): 公用经费 within budget, no 结转结余, 采购 as
planned, 资金使用 and 信息公开 without findings — all full marks by 附件1's lines — while
预算调整率 is 30.45% (大于10%不得分)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from addin.report.lost import advice, lost, numeral, problems, subjects
from udfs import reference_case as R
from udfs.engine import evaluate
from udfs.inputs import Finding, Inputs
from udfs.profile import load_profile, parse_profile
from udfs.profile.serialize import to_data

FULL_MARKS = {"公用经费实际": 100, "公用经费预算": 106.84,  # 公用经费控制率 93.60% <= 100%: full
              "结转结余": 0,  # 结转结余率 0%
              "采购预算": 160, "采购实际": 156.25}  # 97.66%
CLEAN = [f for f in R.RAW_FINDINGS if f[0] not in ("资金使用合规性", "信息公开性", "政府采购执行率和规范性")]


def _case(changes=None, rows=CLEAN, profile=None):
    profile = profile or load_profile()
    inputs = Inputs.from_mapping({**R.RAW_INPUTS, **FULL_MARKS, **(changes or {})})
    ev = evaluate(inputs, [Finding.make(*row, row=n) for n, row in enumerate(rows, start=2)], profile)
    return ev, inputs, profile


def _texts(ev, inputs, profile, typed_problems=None, typed_advice=None):
    said = [line for p in problems(ev, profile, inputs, typed_problems) for line in [p.heading, *p.lines]]
    return said, advice(ev, profile, typed_advice)


def test_nothing_at_full_marks_is_a_problem_or_a_suggestion():
    ev, inputs, profile = _case()
    scores = {r.name: r for r in ev.indicators}
    for name in ("公用经费控制率", "结转结余率", "政府采购执行率和规范性", "资金使用合规性", "信息公开性"):
        assert not lost(scores[name]), name
    assert lost(scores["预算调整率"])
    said, suggested = _texts(ev, inputs, profile)
    text = "\n".join(said + suggested)
    for subject in ("公用经费", "结转结余", "政府采购", "资金审核", "信息公开", "预决算信息"):
        assert subject not in text, subject
    assert "预算调整率未得满分（2分，得0.00分）：预算调整率为30.45%，评分标准为“大于10%不得分”。" in text
    assert any(line.startswith("（") and "严格控制预算调整" in line for line in suggested)


def test_a_rubric_without_an_indicators_advice_uses_its_groups_only_where_it_names_nothing_at_full_marks():
    data = to_data(load_profile())
    data["advice"] = {k: v for k, v in data["advice"].items() if k in {i["level2"] for i in data["indicator"]}}
    # 目标设定's two indicators both lose points here (绩效目标合理性 a finding of its own)
    rows = [*CLEAN, ("绩效目标合理性", "①", 1, "绩效目标与中长期规划不符", "绩效目标申报表")]
    ev, inputs, profile = _case(rows=rows, profile=parse_profile(data))
    _said, suggested = _texts(ev, inputs, profile)
    text = "\n".join(suggested)
    assert suggested[0] == "（一）目标设定方面：" + data["advice"]["目标设定"]
    # 预算执行's text asks to 压减公用经费, 减少结转结余 and buy as planned: all at full marks here
    assert "压减公用经费" not in text and "针对预算调整率失分的问题（2分，得0.00分）制定整改措施" in text
    # seed 002: "严把资金审核关…及时公开预决算信息" although 资金使用合规性 and 信息公开性 are at full marks
    assert "资金审核" not in text and "公开预决算信息" not in text
    # 履职效益's names 经济效益 and 生态效益, at full marks: 满意度 gets the plain sentence
    assert "生态效益" not in text and "针对社会公众或服务对象满意度失分的问题" in text


def test_typed_text_stands_and_only_what_it_does_not_mention_is_added():
    ev, inputs, profile = _case()
    typed = "（一）预算调整频繁。年中追加388.91万元，预算调整率达30.45%。\n（二）绩效指标不够细化、量化。"
    said, suggested = _texts(ev, inputs, profile, typed, "1. 严格控制预算调整和追加。\n2. 细化绩效指标。")
    assert said[:3] == ["", "（一）预算调整频繁。年中追加388.91万元，预算调整率达30.45%。", "（二）绩效指标不够细化、量化。"]
    rest = "\n".join(said[3:])
    assert "此外，以下失分上文未述及：" in rest and "预算调整率" not in rest and "绩效指标明确性" not in rest
    assert "1. 固定资产保管和使用情况：未实行编码管理（佐证材料：固定资产账）。" in rest  # lost, not mentioned above
    assert "（四）资产管理方面" in rest  # under its theme, numbered among what is added
    assert suggested[:2] == ["1. 严格控制预算调整和追加。", "2. 细化绩效指标。"]
    assert "严格控制预算调整" not in "\n".join(suggested[2:]) and "重视固定资产管理" in "\n".join(suggested[2:])
    # typed text that covers every lost point: nothing added
    everything = "；".join(r.name for r in ev.indicators if lost(r))
    said, suggested = _texts(ev, inputs, profile, everything, everything)
    assert said == ["", everything] and suggested == [everything]


def test_items_are_numbered_past_ten():
    assert [numeral(n) for n in (1, 9, 10, 11, 20, 21)] == ["一", "九", "十", "十一", "二十", "二十一"]


def test_subjects_are_what_a_sentence_names():
    assert subjects("公用经费控制率") == ("公用经费控制率", "公用经费控制", "公用经费")
    assert "生态效益" in subjects("经济/社会/生态效益") and "社会公众" in subjects("社会公众或服务对象满意度")
    assert "政府采购" in subjects("政府采购执行率和规范性") and "预算" not in subjects("预算执行率")
    assert "信息公开" in subjects("信息公开性") and "固定资产" in subjects("固定资产保管和使用情况")


NAMES = [i.name for i in load_profile().indicators]
ROWS = st.lists(st.sampled_from(R.RAW_FINDINGS), max_size=8, unique=True)
CHANGES = st.fixed_dictionaries({
    "公用经费实际": st.sampled_from([50, 106.84, 514.5]), "结转结余": st.sampled_from([0, 20, 499.67]),
    "采购实际": st.sampled_from([30, 156.25, 156.97]), "满意率": st.sampled_from([0.8, 0.95, 1]),
    "追加预算": st.sampled_from([0, 50, 388.91]), "及时完成数": st.sampled_from([8, 10]),
})


@settings(max_examples=60, deadline=None)
@given(changes=CHANGES, rows=ROWS, typed=st.sampled_from([None, "预算调整率偏高。", "（一）资产台账不全。\n（二）其他。"]))
def test_no_generated_line_concerns_an_indicator_at_full_marks(changes, rows, typed):
    ev, inputs, profile = _case(changes, rows)
    full = [r for r in ev.indicators if not lost(r)]
    said, suggested = _texts(ev, inputs, profile, typed, typed)
    for line in said:
        named = re.match(r"\d+\. (.+?)(：|未得满分)", line)
        if named:  # every numbered problem line is about an indicator below full marks
            assert named[1] in NAMES and lost(next(r for r in ev.indicators if r.name == named[1])), line
    for r in full:  # no suggestion is the advice of an indicator at full marks
        own = profile.advice_for(r.name)
        assert all(own not in line for line in suggested), r.name
    if typed:  # typed text verbatim, line by line, before anything generated
        lines = typed.split("\n")
        assert said[1:1 + len(lines)] == lines and suggested[:len(lines)] == lines


def test_a_figure_the_typed_text_states_is_not_repeated():
    # issue 28: no generated sentence repeats a figure the typed text states (30.45% is 预算调整率's,
    # though the text never names the indicator)
    ev, inputs, profile = _case()
    said, _ = _texts(ev, inputs, profile, "年中追加较多，调整比例达30.45%。")
    assert not any("30.45%" in line for line in said[2:])
    said, _ = _texts(ev, inputs, profile, "年中追加较多，调整比例达130.45%。")  # another figure
    assert any("预算调整率为30.45%" in line for line in said[2:])


UNITS = st.sampled_from(["衡阳县行政审批服务局", "邵阳市信访局", "某某县财政局"])
OPENINGS = st.sampled_from(["{unit}为正科级行政单位。", "为正科级行政单位，内设股室5个。", "是市政府工作部门。",
                            "县行政审批局为正科级全额拨款行政单位。", "{unit}{unit}为正科级。", "2020年核定编制。"])


@settings(max_examples=60, deadline=None)
@given(unit=UNITS, opening=OPENINGS, second=st.sampled_from(["", "\n内设9个机构。"]), kind=st.sampled_from(["评价", "自评"]))
def test_the_unit_is_never_glued_onto_itself_and_the_typed_setup_stays(unit, opening, second, kind):
    # issue 28, items 2 and 3: whatever the clerk begins 机构设置 with, the report never doubles the
    # unit's name; a text with no subject of its own (是/为…) gets the name before it, others stay
    from addin.report.content import build_content
    from addin.report.self_report import build_self_content

    typed = opening.format(unit=unit) + second
    ev, inputs, profile = _case({"单位名称": unit, "机构设置": typed})
    build = build_content if kind == "评价" else build_self_content
    content = build(ev, inputs, profile, [])
    text = "\n".join(line for s in content.walk() for line in [s.heading, *s.paragraphs])
    doubled = unit * 2 in typed  # the clerk's own slip is theirs, kept verbatim
    assert (unit * 2 in text) == doubled
    first = typed.split("\n")[0]
    expected = f"{unit}{first}" if first.startswith(("是", "为")) else first
    assert any(p.startswith(expected) for s in content.walk() for p in s.paragraphs), expected
    if second:  # its own paragraph (the staffing sentence may follow it)
        assert any(p.startswith("内设9个机构。") for s in content.walk() for p in s.paragraphs)
