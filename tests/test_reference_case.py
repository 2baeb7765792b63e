"""The reference case (reference-case.md): every number here is printed in the report."""

from decimal import Decimal

import pytest

from tests.support.expected import EXPECTED
from udfs import reference_case
from udfs.engine import evaluate


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
    assert "(388.91+0.00+409.46+700.00−1208.47)/(2160.62−1208.47)" in adjust and "30.45%" in adjust
    assert "大于10%不得分" in adjust
    # 附件2 item 3: "29/34×100%=85.29%"
    assert "29/34×100%=85.29%" in reference.indicators[2].basis
    # 附件2 item 28: "95.62%×8=7.65"
    assert "95.62%×8=7.65" in reference.indicators[27].basis
    # findings are explained with their 事由
    assert "未实行编码管理" in reference.indicators[20].basis


def test_variant_profile_differences(variant):
    """hunan-nianchu: 三公 zero change scores 2 (not 1); 调整率 over 年初预算.

    Hand calculation: 调整数 = 388.91 + 0 + 409.46 + 700 − 1208.47 = 289.90; 289.90 / 662.25 = 0.437750…
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
