"""The reference case (reference-case.md): every number here is printed in the report."""

from decimal import Decimal

import pytest

from udfs import reference_case
from udfs.engine import evaluate

# (no, 三级指标, 分值, rate as printed in 附件2 or None, 得分) — reference-case.md "Expected"
EXPECTED = [
    (1, "绩效目标合理性", "3", None, "3"),
    (2, "绩效指标明确性", "4", None, "2.5"),
    (3, "在职人员控制率", "2", "0.8529", "2"),
    (4, "三公经费变动率", "2", "0.0000", "1"),
    (5, "重点支出安排率", "2", "0.7696", "1.54"),
    (6, "非税收入完成率", "1", None, "1"),
    (7, "预算执行率", "4", "0.7687", "2"),
    (8, "预算调整率", "2", "0.3045", "0"),
    (9, "结转结余率", "1", "0.2313", "0.5"),
    (10, "公用经费控制率", "2", "4.8156", "0"),
    (11, "三公经费控制率", "2", "0.5721", "2"),
    (12, "政府采购执行率和规范性", "2", "5.2323", "0.5"),
    (13, "管理制度健全性", "6", None, "6"),
    (14, "资金使用合规性", "7", None, "4.5"),
    (15, "信息公开性", "4", None, "3.7"),
    (16, "非税收入管理", "1", None, "1"),
    (17, "绩效自评管理情况", "8", None, "7.5"),
    (18, "重点绩效评价整改情况", "3", None, "1"),
    (19, "资产管理制度健全性", "1", None, "1"),
    (20, "资产管理安全性", "2", None, "2"),
    (21, "固定资产保管和使用情况", "2", None, "1.5"),
    (22, "部门整体工作质量", "6", None, "4"),
    (23, "实际完成率", "4", "1", "4"),
    (24, "完成及时性", "4", "1", "3.5"),
    (25, "质量达标率", "4", "1", "4"),
    (26, "重点工作办结率", "4", "1", "4"),
    (27, "经济/社会/生态效益", "9", None, "9"),
    (28, "社会公众或服务对象满意度", "8", "0.9562", "7.65"),
]


@pytest.mark.parametrize("no,name,weight,rate,score", EXPECTED, ids=[e[1] for e in EXPECTED])
def test_indicator_matches_report(reference, no, name, weight, rate, score):
    result = reference.indicators[no - 1]
    assert (result.no, result.name, result.weight) == (no, name, Decimal(weight))
    assert result.score == Decimal(score)
    if rate is not None:
        assert result.rate == Decimal(rate)


def test_sections_total_and_grade(reference):
    assert reference.sections == {"投入": Decimal("11.04"), "过程": Decimal("33.20"),
                                  "产出": Decimal("19.50"), "效果": Decimal("16.65")}
    assert reference.total == Decimal("80.39")
    assert reference.grade == "良"


def test_basis_lines_carry_the_reports_arithmetic(reference):
    # 附件2 item 8: "(2160.62-662.25-1158.47-50)/(2160.62-1158.47-50)=30.45%", 大于10%不得分
    adjust = reference.indicators[7].basis
    assert "(1498.37+0.00−1208.47)/(2160.62−1208.47)" in adjust and "30.45%" in adjust
    assert "大于10%不得分" in adjust
    # 附件2 item 3: "29/34×100%=85.29%"
    assert "29/34×100%=85.29%" in reference.indicators[2].basis
    # 附件2 item 28: "95.62%×8=7.65"
    assert "95.62%×8=7.65" in reference.indicators[27].basis
    # findings are explained with their 事由
    assert "未实行编码管理" in reference.indicators[20].basis


def test_variant_profile_differences(variant):
    """hunan-nianchu: 三公 zero change scores 2 (not 1); 调整率 over 年初预算.

    Hand calculation: 调整数 = 1498.37 + 0 − 1208.47 = 289.90; 289.90 / 662.25 = 0.437750…
    -> 43.78% (half-up), still > 10% -> 0. Total 80.39 + 1 = 81.39, still 良 (80 ≤ t < 90).
    """
    ev = evaluate(reference_case.inputs(), reference_case.findings(), variant)
    assert ev.indicators[3].score == Decimal("2")
    assert ev.indicators[7].rate == Decimal("0.4378")
    assert "662.25" in ev.indicators[7].basis
    assert ev.indicators[7].score == Decimal("0")
    assert ev.sections["投入"] == Decimal("12.04")
    assert ev.total == Decimal("81.39")
    assert ev.grade == "良"


def test_serious_violation_moves_grade_down(profile):
    raw = dict(reference_case.RAW_INPUTS, 严重违纪="是")
    from udfs.inputs import Inputs

    ev = evaluate(Inputs.from_mapping(raw), reference_case.findings(), profile)
    assert ev.total == Decimal("80.39")
    assert ev.grade == "中"  # 良 moved down one level (资金使用合规性 ⑧)
