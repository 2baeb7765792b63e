"""The 评分说明 by formula (addin.workbook.live_notes, issue 30): each indicator's 评分依据 and
扣分事由, computed by the workbook's own formulas, say what the engine says, character for
character — for the reference case (whose lines are written out here from the seed report),
for the edge sets of tests/support/native_cases and for 300 generated departments with
deductions, 事由 and 佐证 of every shape.

The formulas are the built template's own (0.11 on), evaluated with the `formulas` package
(tests/support/workbook_eval, tests/support/notes_cases); bench/live_notes_libreoffice.py
compares the same cases as LibreOffice computes them.
"""

from __future__ import annotations

import os
import random
import re

import pytest

from addin.workbook import layout as L
from addin.workbook import live_notes as LN
from addin.workbook import versions
from addin.workbook.native import beyond_limits
from tests.support import native_cases
from tests.support.excel_limits import SHARED_FUNCTIONS, most_arguments
from tests.support.notes_cases import PROFILE, engine_notes, formula_notes, generated
from tests.support.workbook_eval import WorkbookFormulas
from udfs.reference_case import RAW_FINDINGS, RAW_INPUTS

# generated departments in the suite (1.2 s each with the `formulas` package);
# bench/live_notes_parity.py runs more: PREVAL_LIVE_NOTES_CASES=1000
CASES = int(os.environ.get("PREVAL_LIVE_NOTES_CASES", "120"))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> WorkbookFormulas:
    from tests.support.workbooks import reference_workbook

    workbook = WorkbookFormulas(reference_workbook(tmp_path_factory.mktemp("notes") / "notes.xlsx"))
    cells = LN.note_cells(PROFILE, versions.CURRENT)
    # the template (0.11 on) carries them: what is evaluated below is the workbook's own text
    assert {key: workbook.texts.get(key) for key in cells} == cells
    return workbook


def _compare(book, raw, rows, name) -> int:
    want, got = engine_notes(raw, rows), formula_notes(book, raw, rows)
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
    got = formula_notes(book, dict(RAW_INPUTS), list(RAW_FINDINGS))
    assert got[3][0] == "在职人员控制率=29/34×100%=85.29%，≤100%，计2分，得2分"
    assert got[5][0] == "重点支出安排率=263.07/341.82×100%=76.96%，得分=76.96%×2=1.54，得1.54分"
    assert got[8][0] == "预算调整率=(388.91+0.00+409.46+700.00−1208.47)/(2160.62−1208.47)×100%=30.45%，大于10%不得分，得0分"
    assert got[2][0] == ("②绩效目标不够细化、量化，扣1分；③与年度任务对应程度大于50%，未全部对应，扣0.5分；"
                         "①④未发现不符合要求的情形，计2分，得2.5分")
    assert got[2][1] == "绩效目标不够细化、量化（佐证：绩效目标申报表）；与年度任务对应程度大于50%，未全部对应（佐证：绩效目标申报表）"
    assert got[1] == ("经查未发现不符合要求的情形，得3分", "")


def test_every_formula_fits_excel(book):
    # the live checks' functions and the lookups every one of Excel 2010, WPS 2019 and LibreOffice 7 has
    shared = SHARED_FUNCTIONS | {"COUNTIF", "INDEX", "MATCH", "IFERROR", "NA", "MAX"}
    for key, formula in LN.note_cells(PROFILE, versions.CURRENT).items():
        assert not beyond_limits(formula), (key, beyond_limits(formula))
        assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', '""', formula))) <= shared, key
        assert most_arguments(formula) <= 30, key
        assert "TEXTJOIN" not in formula and "FILTER(" not in formula  # Excel 2016 and older WPS lack them


def test_the_edge_sets_read_as_the_engine_says(book):
    compared = 0
    for case in native_cases.edge_cases():
        compared += _compare(book, case.inputs, [(*row, "") if len(row) < 5 else row for row in case.findings], case.name)
    assert compared > 100


def test_generated_departments_read_as_the_engine_says(book):
    rng = random.Random(30)
    compared = 0
    for n in range(CASES):
        raw, rows = generated(rng, n)
        compared += _compare(book, raw, rows, f"generated {n}")
    assert compared > CASES * 20


def test_the_helpers_preval_score_saves_are_what_the_formulas_compute(book):
    # preval score saves each helper's value beside its formula (LibreOffice does not recalculate
    # on load): for rows of every shape those values are the formulas' own, cell by cell
    rng = random.Random(31)
    compared = 0
    for n in range(40):
        raw, rows = generated(rng, n)
        formula_notes(book, raw, rows)  # loads the set
        filled = [(row, tuple(values)) for row, values in enumerate(rows, start=L.FINDINGS_FIRST)]
        saved = LN.reason_values(PROFILE, filled)
        for (sheet, cell), value in saved.items():
            if int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) < L.FINDINGS_FIRST + len(rows):
                got = book.value(sheet, cell)
                assert ("" if got is None else got) == value, (n, cell, got, value)
                compared += 1
    assert compared > 1000


def test_a_long_reason_is_said_whole(book):
    # 9,000 characters of 事由 on one sub-item: longer than any fixed length a formula might cut at,
    # shorter than a cell's 32,767
    long = "未按规定公开预算" * 1125
    rows = [("信息公开性", "①", 0.1, long, "网页截图"), ("信息公开性", "①", 0.1, "又一条", "")]
    got = formula_notes(book, dict(RAW_INPUTS), rows)[15]
    # ① is 1 point of 4 (附件1): 4 − 0.2 = 3.8, ② and ③ kept whole (3 points)
    assert got[0] == f"①{long}、又一条，扣0.2分；②③未发现不符合要求的情形，计3分，得3.8分"
    assert got == engine_notes(dict(RAW_INPUTS), rows)[15]
    assert got[1] == f"{long}（佐证：网页截图）；又一条"
