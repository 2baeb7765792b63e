from decimal import Decimal

import pytest

from udfs.contract import NAMES
from udfs.profile import ProfileError, available_profiles, load_profile, parse_profile


def test_both_profiles_ship_and_load():
    assert {"shaoyang-2022", "hunan-nianchu"} <= set(available_profiles())


@pytest.mark.parametrize("name", ["shaoyang-2022", "hunan-nianchu"])
def test_rubric_shape(name):
    prof = load_profile(name)
    assert len(prof.indicators) == 28
    # 附件1: 投入(14分) 过程(47分) 产出(22分) 效果(17分), 合计 100
    assert prof.section_weights() == {"投入": Decimal(14), "过程": Decimal(47),
                                      "产出": Decimal(22), "效果": Decimal(17)}
    for ind in prof.indicators:
        assert ind.explain and ind.standard and ind.evidence, ind.name
        for part in ind.parts:
            if part.input:
                assert part.input in NAMES


def test_grade_limits_from_design():
    prof = load_profile()
    assert [(float(m), g) for m, g in prof.grades] == [(90, "优"), (80, "良"), (60, "中"), (0, "差")]


def test_grade_wording_and_sections_are_read_from_the_rubric():
    # design.md: ≥ 90 优, [80, 90) 良, [60, 80) 中, < 60 差 — as the workbook states it
    prof = load_profile()
    assert prof.grade_wording() == "90分及以上为优，80–90分为良，60–80分为中，60分以下为差"
    assert prof.sections == ("投入", "过程", "产出", "效果") and prof.grade_names == ("优", "良", "中", "差")
    other = parse_profile({"grade": [{"min": 0, "grade": "不合格"}, {"min": 85.5, "grade": "优秀"},
                                     {"min": 70, "grade": "合格"}]})
    assert other.grade_wording() == "85.5分及以上为优秀，70–85.5分为合格，70分以下为不合格"


def test_indicator_lookup_by_number_name_and_alias():
    prof = load_profile()
    assert prof.indicator(8).name == "预算调整率"
    assert prof.indicator("8").name == "预算调整率"
    assert prof.indicator("人员控制率").name == "在职人员控制率"  # 附件1 spelling
    assert prof.indicator("完成及时率").name == "完成及时性"
    assert prof.indicator("不存在") is None


def _minimal(**part):
    return {
        "profile": {"name": "t"},
        "grade": [{"min": 0, "grade": "差"}],
        "indicator": [{"no": 1, "level1": "投入", "level2": "x", "name": "x", "weight": 1,
                       "parts": [{"id": "①", "kind": "all_or_nothing", "points": 1, **part}]}],
    }


def test_unknown_key_is_named():
    with pytest.raises(ProfileError, match="pointz"):
        parse_profile(_minimal(pointz=3))


def test_unknown_kind_is_named():
    with pytest.raises(ProfileError, match="percent"):
        parse_profile(_minimal(kind="percent"))


def test_parts_must_add_up_to_the_weight():
    data = _minimal(points=0.5)
    with pytest.raises(ProfileError, match="不等于指标分值"):
        parse_profile(data)


def test_unknown_option_and_bad_denominator():
    data = _minimal()
    data["options"] = {"adjust_denominator": "决算数"}
    with pytest.raises(ProfileError, match="adjust_denominator"):
        parse_profile(data)
    data["options"] = {"typo_option": 1}
    with pytest.raises(ProfileError, match="typo_option"):
        parse_profile(data)


def test_unknown_profile_name_lists_the_available_ones():
    with pytest.raises(ProfileError, match="shaoyang-2022"):
        load_profile("nowhere")


@pytest.mark.parametrize("part,message", [
    ({"kind": "steps", "rate": "exec"}, "需要 over 或 under"),
    ({"kind": "ratio", "rate": "exec", "under": {"step": 0.05, "deduct": 2}}, "只用于 steps"),
    ({"kind": "ceiling", "rate": "exec", "over": {"step": 0.01, "deduct": 0.2, "from": 0}}, "未知的键 from"),
    ({"kind": "bands", "rate": "exec", "full_at": 0.95, "bands": [{"points": 1}]}, "只用于 ratio"),
    ({"kind": "steps", "rate": "exec", "over": {"step": 0, "deduct": 1}}, "step 应大于0"),
    ({"kind": "steps", "rate": "exec", "over": {"step": 0.1, "deduct": 1, "from": 0.5},
      "under": {"step": 0.1, "deduct": 1, "from": 0.9}}, "under.from 不能大于 over.from"),
])
def test_a_threshold_rule_written_wrongly_is_named(part, message):
    # issue 17: the new rule kinds check their parameters as the old ones do
    with pytest.raises(ProfileError, match=message):
        parse_profile(_minimal(**part))


def test_a_variant_overrides_single_indicators_of_its_base(tmp_path, monkeypatch):
    # "邵阳 2022 except …": [[override]] replaces what it states of one indicator
    monkeypatch.setenv("PREVAL_PROFILES", str(tmp_path))
    (tmp_path / "shaoyang-except.toml").write_text(
        '[profile]\nname = "shaoyang-except"\ntitle = "邵阳变体"\nextends = "shaoyang-2022"\n\n'
        '[[override]]\nname = "社会公众或服务对象满意度"\n'
        'parts = [ { id = "①", kind = "ratio", rate = "satisfaction", points = 8, full_at = 0.95, label = "满意率" } ]\n\n'
        '[[override]]\nno = 27\nstandard = "改写的评分标准"\n', encoding="utf-8")
    base, variant = load_profile("shaoyang-2022"), load_profile("shaoyang-except")
    assert variant.indicator(28).parts[0].params.full_at == Decimal("0.95") and base.indicator(28).parts[0].params.full_at is None
    assert variant.indicator(27).standard == "改写的评分标准" and variant.indicator(27).parts == base.indicator(27).parts
    assert [i for i in variant.indicators if i.no not in (27, 28)] == [i for i in base.indicators if i.no not in (27, 28)]
    (tmp_path / "bad-except.toml").write_text(
        '[profile]\nname = "bad-except"\nextends = "shaoyang-2022"\n[[override]]\nname = "不存在的指标"\nweight = 1\n',
        encoding="utf-8")
    with pytest.raises(ProfileError, match="没有指标“不存在的指标”"):
        load_profile("bad-except")


def test_a_rubric_scoring_payment_progress_requires_it_and_scores_its_steps(tmp_path, monkeypatch):
    # issue 17: 支付进度 is typed in (as the finance system shows it); a rubric that scores it
    # ("支付进度100%得满分，每低5%扣0.5分", 1 point) makes the optional input required there
    from addin.books.openpyxl_book import OpenpyxlBook
    from addin.case import write_case
    from addin.scoring import assess
    from addin.workbook.build import build_workbook
    from udfs import reference_case
    from udfs.engine import evaluate
    from udfs.inputs import Inputs

    monkeypatch.setenv("PREVAL_PROFILES", str(tmp_path))
    (tmp_path / "payment-test.toml").write_text(
        '[profile]\nname = "payment-test"\ntitle = "支付进度测试"\nextends = "shaoyang-2022"\n\n'
        '[[override]]\nname = "非税收入完成率"\n'
        'parts = [ { id = "①", kind = "steps", rate = "payment", points = 1, '
        'under = { step = 0.05, deduct = 0.5, from = 1 }, label = "支付进度" } ]\n', encoding="utf-8")
    profile = load_profile("payment-test")

    def score(progress):
        inputs = Inputs.from_mapping({**reference_case.RAW_INPUTS, "支付进度": progress})
        return evaluate(inputs, reference_case.findings(), profile).indicators[5].score

    # 100%: full; 97% is 3% below, less than a 5% step: 1; 95%: one step, 0.5; 90%: two, 0
    assert [score(p) for p in (1, 0.97, 0.95, 0.9)] == [1, 1, Decimal("0.5"), 0]
    book = OpenpyxlBook(build_workbook("payment-test"))
    write_case(book, reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS)  # 支付进度 left empty
    result = assess(book)
    assert [(p.id, p.name) for p in result.errors] == [("V101", "支付进度")] and result.evaluation is None
