"""Random values in every input: scoring either succeeds or names the cells at fault —
never a traceback, never a changed input (issue 5)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.checks import CATALOGUE, ERROR
from addin.scoring import assess
from addin.workbook.build import build_workbook
from udfs import reference_case
from udfs.contract import NAMES

BOOK = OpenpyxlBook(build_workbook())  # one workbook, refilled per example (building costs 150 ms)

cell_values = st.one_of(
    st.none(), st.integers(-10**13, 10**13), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1e6, max_value=1e6).map(float),
    # a workbook cannot hold control characters, so no cell can contain them
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(["是", "否", "良好", "部分整改", "=1+1", "95%", "1,234.5", "—", ""]),
)


def _read_inputs(book):
    return {n: book.get(*book.name_target(n)) for n in NAMES}


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(NAMES), cell_values, max_size=8),
       st.lists(st.tuples(st.sampled_from(["信息公开性", "资金使用合规性", "x", None]),
                          st.sampled_from(["①", "②", "⑤", "—", "1", None]),
                          cell_values, st.sampled_from(["事由", None]), st.none()), max_size=3))
def test_random_inputs_score_or_point_at_the_cell(changes, extra_findings):
    findings = [*reference_case.RAW_FINDINGS, *extra_findings]
    # clear the rows a previous example may have filled
    write_case(BOOK, {}, [(None,) * 5] * (len(reference_case.RAW_FINDINGS) + 3))
    write_case(BOOK, {**reference_case.RAW_INPUTS, "自评总分": None, **changes}, findings)
    before = _read_inputs(BOOK)
    result = assess(BOOK)
    assert _read_inputs(BOOK) == before
    assert (result.evaluation is None) == bool(result.errors)
    for p in result.problems:
        assert p.id in CATALOGUE and p.severity == CATALOGUE[p.id].severity
        assert p.sheet and p.cell and any("\u4e00" <= ch <= "\u9fff" for ch in p.message)
    if result.evaluation is not None:
        assert 0 <= result.evaluation.total <= 100
        assert result.evaluation.grade in ("优", "良", "中", "差")
    else:
        assert any(p.severity == ERROR for p in result.problems)
