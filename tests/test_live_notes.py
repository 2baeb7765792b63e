"""The 评分说明 by formula (addin.workbook.live_notes, issue 30): each indicator's 评分依据 and
扣分事由, computed by the workbook's own formulas, say what the engine says, character for
character — for the reference case (whose lines are written out here from the seed report),
for the edge sets of tests/support/native_cases and for 300 generated departments with
deductions, 事由 and 佐证 of every shape.

The formulas are evaluated with the `formulas` package over the built template, with the
live-notes cells put into it (tests/support/workbook_eval reads the rest from the file).
"""

from __future__ import annotations

import os
import random

import pytest

from addin.workbook import layout as L
from addin.workbook import live_checks
from addin.workbook import live_notes as LN
from addin.workbook.native import beyond_limits
from tests.support import native_cases
from tests.support.workbook_eval import WorkbookFormulas
from udfs import engine
from udfs.errors import EngineError
from udfs.inputs import Finding, Inputs
from udfs.profile import WHOLE, load_profile
from udfs.reference_case import RAW_FINDINGS, RAW_INPUTS

PROFILE = load_profile("shaoyang-2022")
# generated departments in the suite (1.2 s each with the `formulas` package);
# bench/live_notes_parity.py runs more: PREVAL_LIVE_NOTES_CASES=1000
CASES = int(os.environ.get("PREVAL_LIVE_NOTES_CASES", "120"))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> WorkbookFormulas:
    from tests.support.workbooks import reference_workbook

    workbook = WorkbookFormulas(reference_workbook(tmp_path_factory.mktemp("notes") / "notes.xlsx"))
    workbook.texts.update(LN.note_cells(PROFILE, "0.10"))
    return workbook


def _engine_notes(raw: dict, rows: list[tuple]) -> dict[int, tuple[str, str] | None]:
    """Indicator no -> (评分依据, 扣分事由) as the engine words them (None: it cannot score it)."""
    inputs = Inputs.from_mapping(raw)
    findings = [Finding.make(*row, row=n) for n, row in enumerate(rows, start=L.FINDINGS_FIRST)]
    options = PROFILE.options
    out: dict[int, tuple[str, str] | None] = {}
    for ind in PROFILE.indicators:
        own = [f for f in findings if PROFILE.indicator(f.indicator) is ind]
        try:
            deductions, reasons = engine.group_findings(ind, own)
            values = {p.id: (engine.rate_value(p.rate, inputs, options) if p.rated
                             else engine.PartValue(inputs[p.input])) for p in ind.value_parts}
            _, _, basis = engine.score_indicator(ind, values, deductions, options,
                                                 engine.condition_rates(ind, inputs, options), reasons)
        except EngineError:
            out[ind.no] = None
            continue
        said = "；".join(f.reason + (f"（佐证：{f.evidence}）" if f.evidence else "") for f in own)  # as fill writes it
        out[ind.no] = (basis, said)
    return out


_EMPTY_ROW: dict[str, object] = {}  # helper column letter -> what an empty 扣分记录 row shows there


def _formula_notes(book: WorkbookFormulas, raw: dict, rows: list[tuple]) -> dict[int, tuple[str, str]]:
    """The live 评分说明 for ``raw`` and ``rows``. The 扣分记录 rows below the filled ones are
    empty: their helpers are given what the formulas compute for an empty row (computed once,
    for the last row), instead of being computed 190 times a set."""
    helpers = [letter for letter in (*live_checks.findings_columns().values(), *LN.reason_columns().values())]
    if not _EMPTY_ROW:
        book.load(raw, [])
        _EMPTY_ROW.update({c: book.value(L.FINDINGS, f"{c}{L.FINDINGS_LAST}") for c in helpers})
        assert _EMPTY_ROW[LN.reason_columns()["记录累计"]] == "" and _EMPTY_ROW[live_checks.findings_columns()["计入键"]] == ""
    book.load(raw, rows)
    for row in range(L.FINDINGS_FIRST + len(rows), L.FINDINGS_LAST + 1):
        for c in helpers:
            book._set[(L.FINDINGS, f"{c}{row}")] = _EMPTY_ROW[c]
    cells = [(L.NOTES, L.at(column, L.row_of(i.no))) for i in PROFILE.indicators
             for column in (L.NOTES_BASIS, L.NOTES_REASONS)]
    got = book.evaluate(cells)
    return {i.no: tuple("" if got[(L.NOTES, L.at(c, L.row_of(i.no)))] is None else got[(L.NOTES, L.at(c, L.row_of(i.no)))]
                        for c in (L.NOTES_BASIS, L.NOTES_REASONS)) for i in PROFILE.indicators}


def _compare(book, raw, rows, name) -> int:
    want, got = _engine_notes(raw, rows), _formula_notes(book, raw, rows)
    compared = 0
    for no, expected in want.items():
        if expected is None:  # the engine stops: the cell says it cannot compute yet
            assert got[no][0] == LN.NOT_YET, (name, no, got[no])
            continue
        assert got[no] == expected, (name, no, got[no], expected)
        compared += 1
    return compared


def test_the_reference_case_reads_as_the_seed_report(book):
    # 附件2 of seed 003 (shaoyang-xinfang-2022-evaluation.txt), items 3, 5, 8 and 2
    got = _formula_notes(book, dict(RAW_INPUTS), list(RAW_FINDINGS))
    assert got[3][0] == "在职人员控制率=29/34×100%=85.29%，≤100%，计2分，得2分"
    assert got[5][0] == "重点支出安排率=263.07/341.82×100%=76.96%，得分=76.96%×2=1.54，得1.54分"
    assert got[8][0] == "预算调整率=(388.91+0.00+409.46+700.00−1208.47)/(2160.62−1208.47)×100%=30.45%，大于10%不得分，得0分"
    assert got[2][0] == ("②绩效目标不够细化、量化，扣1分；③与年度任务对应程度大于50%，未全部对应，扣0.5分；"
                         "①④未发现不符合要求的情形，计2分，得2.5分")
    assert got[2][1] == "绩效目标不够细化、量化（佐证：绩效目标申报表）；与年度任务对应程度大于50%，未全部对应（佐证：绩效目标申报表）"
    assert got[1] == ("经查未发现不符合要求的情形，得3分", "")


def test_every_formula_fits_excel(book):
    for key, formula in LN.note_cells(PROFILE, "0.10").items():
        assert not beyond_limits(formula), (key, beyond_limits(formula))


REASONS = ["未按规定公开", " 两个  空格 ", "", "制度不全", "资产未入账\n（附表）", "5", None]


def _generated(rng: random.Random, n: int) -> tuple[dict, list[tuple]]:
    """A random department (native_cases) with rows of every shape: several on one sub-item,
    on the whole indicator, blank or spaced 事由, 佐证 or none, caps reached and passed, vetoes."""
    case = native_cases.random_case(rng, PROFILE, n)
    rows = []
    for _ in range(rng.choice([0, 1, 3, 6, 12])):
        ind = rng.choice(PROFILE.indicators)
        ids = [p.shown for p in ind.finding_parts if not (p.rule.vetoes and rng.random() < 0.8)] + [WHOLE]
        rows.append((ind.name, rng.choice(ids), rng.choice([0.1, 0.2, 0.25, 0.3, 0.5, 1, 1.5, 3]),
                     rng.choice(REASONS), rng.choice(["", "", "会议纪要", None])))
    return case.inputs, rows


def test_the_edge_sets_read_as_the_engine_says(book):
    compared = 0
    for case in native_cases.edge_cases():
        compared += _compare(book, case.inputs, [(*row, "") if len(row) < 5 else row for row in case.findings], case.name)
    assert compared > 100


def test_generated_departments_read_as_the_engine_says(book):
    rng = random.Random(30)
    compared = 0
    for n in range(CASES):
        raw, rows = _generated(rng, n)
        compared += _compare(book, raw, rows, f"generated {n}")
    assert compared > CASES * 20
