"""The 评分说明 by formula, case by case: what the engine says for a department (``engine_notes``),
what the workbook's own formulas say (``formula_notes``, with the `formulas` package), and
departments generated with 扣分记录 rows of every shape (``generated``) — shared by
tests/test_live_notes.py and the benches that compare more of them (bench/live_notes_*.py)."""

from __future__ import annotations

import random

from addin.workbook import layout as L
from addin.workbook import live_checks
from addin.workbook import live_notes as LN
from tests.support import native_cases
from tests.support.workbook_eval import WorkbookFormulas
from udfs import engine
from udfs.errors import EngineError
from udfs.inputs import Finding, Inputs
from udfs.profile import WHOLE, load_profile

PROFILE = load_profile("shaoyang-2022")


def engine_notes(raw: dict, rows: list[tuple]) -> dict[int, tuple[str, str] | None]:
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


def formula_notes(book: WorkbookFormulas, raw: dict, rows: list[tuple]) -> dict[int, tuple[str, str]]:
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


REASONS = ["未按规定公开", " 两个  空格 ", "", "制度不全", "资产未入账\n（附表）", "5", None]


def generated(rng: random.Random, n: int) -> tuple[dict, list[tuple]]:
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
