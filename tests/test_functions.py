"""The PREVAL_* cell functions: values, error texts, and the limits Excel imposes."""

import inspect

import pytest

from udfs import functions as F
from udfs.cell_values import ERROR_CODES, MachineryFailure

# design.md "PREVAL_* functions" catalogue
CATALOGUE = {
    "PREVAL_STAFFRATE", "PREVAL_SANGONGCHANGE", "PREVAL_SANGONGRATE", "PREVAL_KEYSPENDRATE",
    "PREVAL_NONTAXRATE", "PREVAL_EXECRATE", "PREVAL_ADJUSTRATE", "PREVAL_CARRYOVERRATE",
    "PREVAL_PUBLICCOSTRATE", "PREVAL_PROCURERATE", "PREVAL_COMPLETIONRATE", "PREVAL_TIMELYRATE",
    "PREVAL_QUALITYRATE", "PREVAL_KEYTASKRATE", "PREVAL_PROJECTEXECRATE", "PREVAL_CARRYOVERCHANGE",
    "PREVAL_SCORE", "PREVAL_DEDUCT", "PREVAL_TOTAL",
    "PREVAL_GRADE",
}


def test_catalogue_is_complete():
    assert {f.__name__ for f in F.catalogue()} == CATALOGUE


def test_help_texts_fit_the_function_wizard():
    for func in F.catalogue():
        doc = func.__doc__ or ""
        assert 0 < len(doc) < 255, func.__name__
        params = list(inspect.signature(func).parameters)
        assert set(func.__preval_args__) == set(params), func.__name__
        for name, text in func.__preval_args__.items():
            assert 0 < len(text) < 255, (func.__name__, name)
            assert all(ord(ch) < 128 for ch in name)  # VBA wrappers need ASCII names


@pytest.mark.parametrize("func,args,expected", [
    (F.PREVAL_STAFFRATE, (29.0, 34.0), 29 / 34),
    (F.PREVAL_EXECRATE, (1660.95, 2160.62), 1660.95 / 2160.62),
    (F.PREVAL_ADJUSTRATE, (289.90, 952.15), 289.90 / 952.15),
    (F.PREVAL_SANGONGCHANGE, (24.0, 24.0), 0.0),
    (F.PREVAL_KEYTASKRATE, (10, 10), 1.0),
    # issue 17: the reference report's projects, 1014.07 spent of 1500.29 = 67.59%; 结转结余
    # 499.67 against a last year's 400: (499.67 − 400)/400 = 24.9175%
    (F.PREVAL_PROJECTEXECRATE, (1014.07, 1500.29), 1014.07 / 1500.29),
    (F.PREVAL_CARRYOVERCHANGE, (499.67, 400), 0.249175),
])
def test_rates_return_fractions(func, args, expected):
    assert func(*args) == pytest.approx(expected, rel=1e-12)


def test_reference_scores_through_cells():
    # reference-case.md: 7 -> 2 (76.87% + 监控), 8 -> 0, 5 -> 1.54, 6 -> 1 (无), 24 -> 3.5
    assert F.PREVAL_SCORE("预算执行率", [0.7687, "是"]) == 2.0
    assert F.PREVAL_SCORE("预算调整率", F.PREVAL_ADJUSTRATE(289.90, 952.15)) == 0.0
    assert F.PREVAL_SCORE(5, F.PREVAL_KEYSPENDRATE(263.07, 341.82)) == 1.54
    assert F.PREVAL_SCORE("非税收入完成率", F.PREVAL_NONTAXRATE(0, 0)) == 1.0
    assert F.PREVAL_SCORE("完成及时性", 1.0, None, 0.5) == 3.5
    assert F.PREVAL_DEDUCT("资金使用合规性", [[0, 1, 0, 0, 0, 0.5, 1]]) == 4.5
    assert F.PREVAL_SCORE("三公经费变动率", 0.0, "hunan-nianchu") == 2.0
    assert F.PREVAL_TOTAL([[11.04], [33.2], [19.5], [16.65]]) == 80.39
    assert F.PREVAL_GRADE(80.39) == "良"
    assert F.PREVAL_GRADE(89.99) == "良" and F.PREVAL_GRADE(90) == "优"
    assert F.PREVAL_GRADE(80.39, "是") == "中"


def test_zero_denominator_flows_into_the_score():
    # 采购预算 0 with purchases: ① scores 0, ② ③ keep 0.5 each
    assert F.PREVAL_SCORE("政府采购执行率和规范性", F.PREVAL_PROCURERATE(5, 0)) == 1.0


@pytest.mark.parametrize("args,code,word", [
    ((29, 0), "#DIV/0!", "编制数"),
    ((None, 34), "#VALUE!", "在职人数"),
    (("二十九", 34), "#VALUE!", "二十九"),
])
def test_bad_rate_inputs_give_error_text(args, code, word):
    result = F.PREVAL_STAFFRATE(*args)
    assert isinstance(result, str) and result.startswith(code) and word in result


def test_upstream_error_text_is_passed_on():
    upstream = F.PREVAL_STAFFRATE(29, 0)
    assert F.PREVAL_SCORE("在职人员控制率", upstream).startswith("#")
    assert F.PREVAL_TOTAL([1, "#VALUE! 在职人数为空"]).startswith("#VALUE!")


@pytest.mark.parametrize("bad", [None, "文字", 0, 1e308, -1e308, True, [], [[None, None]]])
def test_no_function_raises_on_odd_input(bad):
    # the rubric's name is no input: an unknown one is the machinery's failure (below)
    for func in F.catalogue():
        params = list(inspect.signature(func).parameters)
        for pos, param in enumerate(params):
            if param == "profile":
                continue
            args = ["预算调整率" if func is F.PREVAL_SCORE and i == 0 else None if p == "profile" else 1.0
                    for i, p in enumerate(params)]
            args[pos] = bad
            result = func(*args)
            assert isinstance(result, (float, int, str)), (func.__name__, args, result)
            if isinstance(result, str) and result.startswith("#"):
                assert result.startswith(ERROR_CODES) and len(result) <= 120
                assert "Traceback" not in result
                assert "计算出错" not in result  # every odd input has its own message


def test_unexpected_exception_is_logged_not_shown(tmp_path, monkeypatch):
    from udfs import cell_api

    monkeypatch.setenv("PREVAL_LOG", str(tmp_path / "udf.log"))

    def boom(*_):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(cell_api, "total", boom)
    with pytest.raises(MachineryFailure) as failure:  # the VBA wrapper makes it #N/A (issue 16)
        F.PREVAL_TOTAL([1, 2])
    assert "internal detail" not in str(failure.value)
    assert "RuntimeError: internal detail" in (tmp_path / "udf.log").read_text(encoding="utf-8")


def test_a_programming_error_in_the_engine_is_logged_not_passed_off_as_bad_input(tmp_path, monkeypatch):
    # issue 13: a ValueError inside the engine used to show in the cell as
    # "#VALUE! not enough values to unpack…" and reach no log
    from udfs import engine

    monkeypatch.setenv("PREVAL_LOG", str(tmp_path / "udf.log"))

    def bug(*_args, **_kwargs):
        first, second, third = (1, 2)  # the kind of slip the issue describes
        return first, second, third

    monkeypatch.setattr(engine, "score_indicator", bug)
    with pytest.raises(MachineryFailure, match="PREVAL_SCORE计算出错，详见日志 udf.log"):
        F.PREVAL_SCORE("预算执行率", [0.7687, "是"])
    log = (tmp_path / "udf.log").read_text(encoding="utf-8")
    assert "PREVAL_SCORE failed" in log and "Traceback (most recent call last)" in log
    assert "ValueError: not enough values to unpack" in log


def test_an_engine_error_is_still_the_users_message():
    # the rubric's own refusal (an unknown 工作质量等级) is shown, not logged as a bug
    result = F.PREVAL_SCORE("部门整体工作质量", "很好")
    assert result.startswith("#VALUE! ") and "很好" in result and "计算出错" not in result


def test_a_rubric_this_installation_lacks_is_the_machinerys_failure_not_the_inputs(tmp_path, monkeypatch):
    # issue 16: a workbook made for a rubric this preval does not have computes through its
    # own formulas: the call raises (the VBA wrapper returns #N/A, IFERROR falls back) and
    # the reason is in the log, while a bad input keeps its visible text
    monkeypatch.setenv("PREVAL_LOG", str(tmp_path / "udf.log"))
    for call in (lambda: F.PREVAL_SCORE("预算执行率", [0.7687, "是"], "changsha-2031"),
                 lambda: F.PREVAL_DEDUCT("信息公开性", 0.3, "changsha-2031"),
                 lambda: F.PREVAL_GRADE(80, "否", "changsha-2031")):
        with pytest.raises(MachineryFailure):
            call()
    assert "未找到评分档案“changsha-2031”" in (tmp_path / "udf.log").read_text(encoding="utf-8")
    assert F.PREVAL_SCORE("预算执行率", ["", "是"]).startswith("#VALUE! ")
