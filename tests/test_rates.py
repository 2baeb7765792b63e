from decimal import Decimal as D

import pytest

from udfs import rates
from udfs.errors import DomainError
from udfs.rates import RATES


@pytest.mark.parametrize("func,args,expected", [
    # reference-case.md, hand-checked: 29/34, 13.73/24, 1660.95/2160.62 ...
    (RATES["staff"].of, ("29", "34"), D(29) / D(34)),
    (RATES["sangong_change"].of, ("24", "24"), D(0)),
    (RATES["sangong_change"].of, ("18", "24"), D("-0.25")),
    (RATES["sangong_control"].of, ("13.73", "24"), D("13.73") / D(24)),
    (RATES["keyspend"].of, ("263.07", "341.82"), D("263.07") / D("341.82")),
    (RATES["exec"].of, ("1660.95", "2160.62"), D("1660.95") / D("2160.62")),
    (RATES["carryover"].of, ("499.67", "2160.62"), D("499.67") / D("2160.62")),
    (RATES["publiccost"].of, ("514.50", "106.84"), D("514.50") / D("106.84")),
    (RATES["procure"].of, ("156.97", "30"), D("156.97") / D(30)),
    (RATES["completion"].of, ("9", "10"), D("0.9")),
    (RATES["timely"].of, ("8", "10"), D("0.8")),
    (RATES["quality"].of, ("10", "10"), D(1)),
    (RATES["keytask"].of, ("3", "4"), D("0.75")),
    (RATES["nontax"].of, ("50", "40"), D("1.25")),
])
def test_rate_values(func, args, expected):
    assert func(*(D(a) for a in args)) == expected


def test_the_adjustment_counts_the_parts_the_profile_names():
    # design.md: 调整数 = 追加 + 追减 − 剔除; the reference report counts 追加 388.91 + 上年结转 409.46
    # + 其他收入 700 = 1498.37, less 剔除 1208.47 = 289.90 (seed: 预算调整率 30.45%)
    seed = {"追加预算": D("388.91"), "追减预算": D(0), "上年结转": D("409.46"), "其他收入": D(700), "调整剔除数": D("1208.47")}
    adjustment = rates.Term(("追加预算", "追减预算", "上年结转", "其他收入"), ("调整剔除数",))
    assert adjustment.value(seed) == D("289.90")
    assert adjustment.working(seed) == "(388.91+0.00+409.46+700.00−1208.47)"  # as the seed prints it
    assert adjustment.formula() == "(追加预算+追减预算+上年结转+其他收入-调整剔除数)"
    assert rates.Term(("追加预算", "追减预算"), ("调整剔除数",)).value({"追加预算": D(10), "追减预算": D(5),
                                                                   "调整剔除数": D(0)}) == D(15)
    with pytest.raises(DomainError):
        rates.Term(("追加预算",)).value({"追加预算": None})


def test_the_seeds_adjustment_rate_and_its_working():
    # shaoyang-xinfang-2022-evaluation.txt: 预算调整率=(388.91+0.00+409.46+700.00−1208.47)/(2160.62−1208.47)=30.45%
    from udfs.options import Options

    options = Options(adjust_parts=("追加预算", "追减预算", "上年结转", "其他收入"))
    values = {"追加预算": D("388.91"), "追减预算": D(0), "上年结转": D("409.46"), "其他收入": D(700),
              "调整剔除数": D("1208.47"), "全年预算": D("2160.62")}
    rate, working = RATES["adjust"].compute(values, options)
    assert working == "(388.91+0.00+409.46+700.00−1208.47)/(2160.62−1208.47)"
    assert round(rate * 100, 2) == D("30.45")
    assert RATES["adjust"].native_terms(options) == ("(追加预算+追减预算+上年结转+其他收入-调整剔除数)", "(全年预算-调整剔除数)")
    assert RATES["adjust"].cell_args(options) == ("追加预算+追减预算+上年结转+其他收入-调整剔除数", "全年预算-调整剔除数")


@pytest.mark.parametrize("func", [RATES["staff"].of, RATES["exec"].of, RATES["procure"].of,
                                  RATES["keytask"].of, RATES["carryover"].of])
def test_zero_denominator_is_a_domain_error(func):
    with pytest.raises(DomainError) as info:
        func(D(5), D(0))
    assert info.value.code == "#DIV/0!"
    assert "为0" in str(info.value)


@pytest.mark.parametrize("args", [(None, D(3)), (D(3), None)])
def test_empty_input_is_a_value_error(args):
    with pytest.raises(DomainError) as info:
        RATES["staff"].of(*args)
    assert info.value.code == "#VALUE!"
    assert info.value.name in ("在职人数", "编制数")


def test_sangong_change_with_empty_last_year_names_the_input():
    with pytest.raises(DomainError) as info:
        RATES["sangong_change"].of(D(24), None)
    assert info.value.name == "三公预算上年"


def test_a_lone_separator_is_not_a_number_nor_empty():
    # found by tests/test_check_properties.py: "," used to become an empty cell
    from udfs.errors import NotANumber
    from udfs.money import to_decimal
    with pytest.raises(NotANumber):
        to_decimal(",")
    assert to_decimal("  ") is None and to_decimal("1,234.50") == D("1234.50")


def test_a_vanishing_denominator_gives_a_huge_rate_that_still_scores():
    # found by tests/test_check_properties.py: 三公预算 5.6e-41 万元 made quantize() raise
    from udfs import reference_case
    from udfs.engine import evaluate
    from udfs.inputs import Inputs
    from udfs.profile import load_profile
    raw = dict(reference_case.RAW_INPUTS, 三公预算本年=5.629065218206443e-41)
    ev = evaluate(Inputs.from_mapping(raw), reference_case.findings(), load_profile(None))
    sangong = ev.indicators[10]  # 三公经费控制率 far above 100%: 0 points
    assert sangong.score == 0


def test_one_score_computes_each_rate_once(tmp_path, monkeypatch, capsys):
    # the checks, the engine and the cells' saved values all read a rate: they share one
    # computation per evaluation (a score computed 预算调整率 five times before), so they cannot differ
    from addin.cli import main
    from tests.support.workbooks import reference_workbook

    counted: list[str] = []
    compute = rates.RateSpec.compute

    def counting(self, values, options):
        counted.append(self.id)
        return compute(self, values, options)

    monkeypatch.setattr(rates.RateSpec, "compute", counting)
    book = reference_workbook(tmp_path / "参考案例.xlsx", 公用经费预算=0)  # one x/0 as well (公用经费控制率)
    assert main(["score", str(book), "-o", str(tmp_path / "评分.xlsx")]) in (0, 1)
    capsys.readouterr()
    assert "adjust" in counted and "publiccost" in counted
    assert sorted(counted) == sorted(set(counted))
