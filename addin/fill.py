"""Write an evaluation into the output sheets of a standard workbook (through ``Book``).

Only computed places are written: the grey "preval 计算值" cache cells and the input
snapshot on 指标计算, the 评分说明 text and the 校验结果 rows, and a computed cell whose formula
was changed or deleted gets its formula back (V401). Input cells are never touched, and a
formula that means what it should, in whatever spelling the application saved, stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from addin.books.protocol import Book
from addin.case import Case
from addin.checks import Problem
from addin.checks.formulas import expected_formula, revised_cells
from addin.computed import NO_ITEM, STATUS_SHEETS, computed_values, status_after_score
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.formulas import formula_cells
from addin.workbook.live_notes import noted
from addin.workbook.printed_rubric import embedded_cells, printed_rubric
from udfs.engine import Evaluation
from udfs.inputs import Inputs
from udfs.money import ZERO, quantize, to_decimal
from udfs.profile import Profile


def _findings_fingerprint(case: Case) -> tuple[float, int]:
    """What the status line compares: SUM(扣分) rounded to 2 and COUNTA(指标)."""
    total, count = ZERO, 0
    for _, values in case.findings:
        amount = values[L.FINDINGS_COLUMNS["扣分"] - 1]
        if isinstance(amount, (int, float)) and not isinstance(amount, bool):
            total += to_decimal(amount) or ZERO
        if values[L.FINDINGS_COLUMNS["指标"] - 1] not in (None, ""):
            count += 1
    return float(quantize(total, 2)), count


def fill_outputs(book: Book, case: Case, ev: Evaluation, inputs: Inputs | None, profile: Profile,
                 problems: Sequence[Problem] = (), when: datetime | None = None,
                 version: str = versions.CURRENT, made: Profile | None = None) -> None:
    """``made``: the rubric the workbook was made with, where ``profile`` (another) scored it:
    its formulas, printed rows and carried copy become ``profile``'s (``carry_rubric``)."""
    layout = L.Layout(profile, version)
    put = book.put
    if made is not None and made is not profile:
        carry_rubric(book, profile, made, version)
    values = computed_values(profile, case, ev, inputs, version) if inputs is not None else {}
    restored = restore_formulas(book, profile, problems, values, version, made)
    by_no = {r.no: r for r in ev.indicators}
    for ind in profile.indicators:
        result, row = by_no[ind.no], L.row_of(ind.no)
        if ind.rate_part is not None:
            put(L.CALC, L.at(layout.cached_value, row), NO_ITEM if result.rate is None else float(result.rate))
        put(L.CALC, L.at(layout.cached_score, row), float(result.score))
        if not versions.live_notes(version):  # from 0.11 formulas: their values are saved with the rest
            put(L.NOTES, L.at(L.NOTES_BASIS, row), result.basis)
            put(L.NOTES, L.at(L.NOTES_REASONS, row), "；".join(noted(f.reason, f.evidence) for f in result.findings) or None)
    cache = lambda key, value: put(L.CALC, L.at(layout.cached_score, layout.cache_row(key)), value)  # noqa: E731
    for section in layout.sections:
        cache(section, float(ev.sections[section]))
    cache("总分", float(ev.total))
    cache("等级", ev.grade)
    stamp = (when or datetime.now()).strftime("%Y-%m-%d %H:%M")
    cache("计算时间", stamp)
    amount, count = _findings_fingerprint(case)
    cache("扣分合计", amount)
    cache("扣分行数", count)
    for name in versions.names(version):  # the inputs this workbook's template has
        loc = case.inputs.get(name)
        put(L.CALC, L.at(layout.snap_value, layout.snapshot_row(name)), None if loc is None else loc.value)
    if values:
        values.update({(sheet, "A2"): status_after_score(version, stamp) for sheet in STATUS_SHEETS})
        save_computed(book, values, restored)
    book.fit_rows(L.NOTES, L.FIRST_ROW, layout.last_row)  # to the text just written or saved
    fill_checks(book, problems)


def save_computed(book: Book, values: dict[tuple[str, str], object], restored: set[tuple[str, str]]) -> None:
    """Beside every formula of ours that a score gives a new meaning, the value it now computes
    (its text kept, in whatever spelling the application saved it): LibreOffice does not
    recalculate on load by default, and showed "评分说明尚未生成" above the 评分说明 just written."""
    for (sheet, cell), value in values.items():
        if (sheet, cell) not in restored:  # a restored formula was written with its value
            book.put_cached(sheet, cell, value)


def restore_formulas(book: Book, profile: Profile, problems: Sequence[Problem],
                     values: dict[tuple[str, str], object], version: str = versions.CURRENT,
                     made: Profile | None = None) -> set[tuple[str, str]]:
    """Put back the program's formula (of the workbook's template version) in every computed
    cell found changed (V401), and in every cell where ``profile``'s formula is not that of
    ``made``, the rubric the workbook was made with: the output sheets belong to the program;
    an input cell is never written. Each formula is saved with its value in ``values`` (the
    evaluation's, ``computed.computed_values``). Returns the cells written."""
    cells = [(p.sheet, p.cell) for p in problems if p.id == "V401"]
    if made is not None and made is not profile:
        now, before = formula_cells(profile, version), formula_cells(made, version)
        cells += [key for key, formula in now.items() if before.get(key) != formula]
    if any(p.id == "V409" for p in problems):  # written by an earlier preval: one finding for all
        cells += revised_cells(book, profile, version)
    for sheet, cell in cells:
        book.put_formula(sheet, cell, expected_formula(profile, sheet, cell, version), values.get((sheet, cell)))
    return set(cells)


def carry_rubric(book: Book, profile: Profile, made: Profile, version: str = versions.CURRENT) -> None:
    """The workbook printed and carried ``made``; ``profile`` scored it: its words and points
    go where ``made``'s were, and it is carried in 指标体系's hidden column instead (the
    formulas follow in ``restore_formulas``). Only cells that differ are written; the two
    rubrics share the layout (``printed_rubric.layout_differences``), and none of these cells
    is an input."""
    now, before = printed_rubric(profile, L.Layout(profile, version)), printed_rubric(made, L.Layout(made, version))
    for (sheet, cell), value in now.items():
        if before.get((sheet, cell)) != value:
            book.put(sheet, cell, value)
    carried, old = embedded_cells(profile), embedded_cells(made)
    for cell, text in carried.items():
        book.put(L.RUBRIC, cell, text)
    for cell in old.keys() - carried.keys():  # a shorter rubric: no chunk of the other left behind
        book.put(L.RUBRIC, cell, None)


def fill_checks(book: Book, problems: Sequence[Problem]) -> None:
    """One row per problem with a link to its cell; earlier rows are cleared."""
    width = len(L.CHECKS_HEADER)
    old = book.block(L.CHECKS, L.FIRST_ROW, L.FIRST_ROW + L.CHECK_ROWS - 1, width)
    for n, values in enumerate(old):
        for column, value in enumerate(values, start=1):
            if value is not None:
                book.put(L.CHECKS, L.at(column, L.FIRST_ROW + n), None)
    if not problems:
        book.put(L.CHECKS, L.at(L.CHECKS_COLUMNS["说明"], L.FIRST_ROW), "未发现错误或提示。")
        book.flush()
        return
    for n, p in enumerate(problems[: L.CHECK_ROWS]):
        row = L.FIRST_ROW + n
        for column, value in enumerate((p.id, p.severity, p.where, p.name, p.message, p.expected, p.found), start=1):
            book.put(L.CHECKS, L.at(column, row), value or None)
        if p.cell:
            book.link(L.CHECKS, L.at(L.CHECKS_COLUMNS["位置"], row), f"'{p.sheet}'!{p.cell}")
    book.fit_rows(L.CHECKS, L.FIRST_ROW, L.FIRST_ROW + min(len(problems), L.CHECK_ROWS) - 1)
    book.flush()  # a live workbook sends the whole fill now, in blocks
