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
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.formulas import formula_cells
from addin.workbook.printed_rubric import embedded_cells, printed_rubric
from udfs.cell_values import NOT_APPLICABLE, CellError
from udfs.engine import BOTH_ZERO, Evaluation, group_findings, rate_value, value_points
from udfs.errors import DomainError
from udfs.inputs import Inputs
from udfs.money import ZERO, quantize, to_decimal
from udfs.profile import WHOLE, Options, Profile
from udfs.rates import RATES

NO_ITEM = NOT_APPLICABLE  # what PREVAL_* rate cells show for 0/0
AGREE = "一致"  # a 核对 cell when the add-in and the workbook's formulas give the same


def _cell(column: int, row: int) -> str:
    return f"{L.col(column)}{row}"


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
    restore_formulas(book, profile, problems, case, ev, inputs, version, made)
    by_no = {r.no: r for r in ev.indicators}
    for ind in profile.indicators:
        result, row = by_no[ind.no], L.row_of(ind.no)
        if ind.rate_part is not None:
            put(L.CALC, _cell(layout.cached_value, row), NO_ITEM if result.rate is None else float(result.rate))
        put(L.CALC, _cell(layout.cached_score, row), float(result.score))
        put(L.NOTES, f"E{row}", result.basis)
        put(L.NOTES, f"F{row}", "；".join(
            f.reason + (f"（佐证：{f.evidence}）" if f.evidence else "") for f in result.findings) or None)
    book.fit_rows(L.NOTES, L.FIRST_ROW, layout.last_row)
    cache = lambda key, value: put(L.CALC, _cell(layout.cached_score, layout.cache_row(key)), value)  # noqa: E731
    for section in layout.sections:
        cache(section, float(ev.sections[section]))
    cache("总分", float(ev.total))
    cache("等级", ev.grade)
    cache("计算时间", (when or datetime.now()).strftime("%Y-%m-%d %H:%M"))
    amount, count = _findings_fingerprint(case)
    cache("扣分合计", amount)
    cache("扣分行数", count)
    for name in versions.names(version):  # the inputs this workbook's template has
        loc = case.inputs.get(name)
        put(L.CALC, _cell(layout.snap_value, layout.snapshot_row(name)), None if loc is None else loc.value)
    fill_checks(book, problems)


def restore_formulas(book: Book, profile: Profile, problems: Sequence[Problem],
                     case: Case | None = None, ev: Evaluation | None = None, inputs: Inputs | None = None,
                     version: str = versions.CURRENT, made: Profile | None = None) -> None:
    """Put back the program's formula (of the workbook's template version) in every computed
    cell found changed (V401), and in every cell where ``profile``'s formula is not that of
    ``made``, the rubric the workbook was made with: the output sheets belong to the program;
    an input cell is never written. With the evaluation, each formula is saved with the value
    it computes."""
    values = engine_values(profile, case, ev, inputs, version) if case and ev and inputs else {}
    cells = [(p.sheet, p.cell) for p in problems if p.id == "V401"]
    if made is not None and made is not profile:
        now, before = formula_cells(profile, version), formula_cells(made, version)
        cells += [key for key, formula in now.items() if before.get(key) != formula]
    if any(p.id == "V409" for p in problems):  # written by an earlier preval: one finding for all
        cells += revised_cells(book, profile, version)
    for sheet, cell in cells:
        book.put_formula(sheet, cell, expected_formula(profile, sheet, cell, version), values.get((sheet, cell)))


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


def rate_cell(rate_id: str, inputs: Inputs, options: Options) -> object:
    """What a PREVAL_* rate cell shows (``udfs.cell_api.rate``): the exact ratio, "无" for
    0/0, else the error's text ("#DIV/0! 公用经费预算为0，无法计算")."""
    try:
        return float(RATES[rate_id].compute(inputs.numbers(), options)[0])
    except DomainError as exc:
        if rate_value(rate_id, inputs, options).special == BOTH_ZERO:
            return NO_ITEM
        return CellError(exc.code, str(exc)).text()


def engine_values(profile: Profile, case: Case, ev: Evaluation, inputs: Inputs,
                  version: str = versions.CURRENT) -> dict[tuple[str, str], object]:
    """(sheet, cell) -> the value the program's formula there computes, from the evaluation
    and the typed inputs: the same cells as ``formula_cells``."""
    layout = L.Layout(profile, version)
    options = profile.options
    by_no = {r.no: r for r in ev.indicators}
    out: dict[tuple[str, str], object] = {}
    for ind in profile.indicators:
        row, result = L.row_of(ind.no), by_no[ind.no]
        values: list[object] = []
        for part in ind.value_parts:
            if part.rated:
                values.append(rate_cell(part.rate, inputs, options))
            else:
                loc = case.inputs.get(part.input)
                values.append("" if loc is None or loc.value is None else loc.value)
        values += [rate_cell(cond.rate, inputs, options) for cond in ind.zero_if]
        if ind.value_parts:  # 公式计算·计算项得分 (template 0.6 on)
            points = value_points(ind, inputs, options)
            out[(L.CALC, _cell(layout.native_points, row))] = "" if points is None else float(points)
        for column, value in zip((layout.VALUE1, layout.VALUE2), values, strict=False):
            out[(L.CALC, _cell(column, row))] = value
        sums, _reasons = group_findings(ind, result.findings)  # by column, as the SUMIFS sum them
        for column, label in zip(range(layout.FIRST_SUB, layout.last_sub), layout.subitems, strict=False):
            out[(L.CALC, _cell(column, row))] = float(sums.get(label, ZERO))
        out[(L.CALC, _cell(layout.last_sub, row))] = float(quantize(sums.get(WHOLE, ZERO), 10))
        out[(L.SCORES, f"{layout.score_letter}{row}")] = float(result.score)
        # the 公式计算 columns (template 0.6 on) compute the same values without the add-in
        for column, value in zip((layout.native_value1, layout.native_value2), values, strict=False):
            out[(L.CALC, _cell(column, row))] = value
        out[(L.CALC, _cell(layout.native_score, row))] = float(result.score)
        out[(L.CALC, _cell(layout.agree, row))] = AGREE
    for key in (*layout.sections, "总分", "等级"):
        row = layout.cache_row(key)
        value = ev.grade if key == "等级" else float(ev.total if key == "总分" else ev.sections[key])
        out[(L.CALC, _cell(layout.native_score, row))] = value
        out[(L.CALC, _cell(layout.agree, row))] = AGREE
    total_row = layout.last_row + 1
    out[(L.SCORES, f"{layout.score_letter}{total_row}")] = float(ev.total)
    out[(L.SCORES, f"{layout.score_letter}{total_row + 1}")] = ev.grade
    for section in layout.sections:
        out[(L.SUMMARY, f"C{layout.summary_row(section)}")] = float(ev.sections[section])
    out[(L.SUMMARY, f"C{layout.summary_row('合计')}")] = float(ev.total)
    out[(L.SUMMARY, f"C{layout.summary_row('评价等级')}")] = ev.grade
    return out


def fill_checks(book: Book, problems: Sequence[Problem]) -> None:
    """One row per problem with a link to its cell; earlier rows are cleared."""
    width = len(L.CHECKS_HEADER)
    old = book.block(L.CHECKS, L.FIRST_ROW, L.FIRST_ROW + L.CHECK_ROWS - 1, width)
    for n, values in enumerate(old):
        for column, value in enumerate(values, start=1):
            if value is not None:
                book.put(L.CHECKS, _cell(column, L.FIRST_ROW + n), None)
    if not problems:
        book.put(L.CHECKS, f"E{L.FIRST_ROW}", "未发现错误或提示。")
        book.flush()
        return
    for n, p in enumerate(problems[: L.CHECK_ROWS]):
        row = L.FIRST_ROW + n
        for column, value in enumerate((p.id, p.severity, p.where, p.name, p.message, p.expected, p.found), start=1):
            book.put(L.CHECKS, _cell(column, row), value or None)
        if p.cell:
            book.link(L.CHECKS, f"C{row}", f"'{p.sheet}'!{p.cell}")
    book.fit_rows(L.CHECKS, L.FIRST_ROW, L.FIRST_ROW + min(len(problems), L.CHECK_ROWS) - 1)
    book.flush()  # a live workbook sends the whole fill now, in blocks
