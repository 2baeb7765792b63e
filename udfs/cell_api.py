"""The PREVAL_* functions' logic, free of xlwings: cell values in, cell values out.

``udfs.functions`` only adds the xlwings decorators and the guard around these.
Rates are returned as float fractions (the cell is formatted as %), scores as floats with
2 decimals, problems as ``CellError`` (see ``udfs.cell_values``).
"""

from __future__ import annotations

from decimal import Decimal

from udfs import engine
from udfs.cell_values import NOT_APPLICABLE, CellError, MachineryFailure, flatten, number, pass_on_error, text
from udfs.contract import NO, YES
from udfs.errors import EngineError
from udfs.inputs import CIRCLED
from udfs.money import ZERO, quantize
from udfs.profile import WHOLE, Indicator, Profile, load_profile
from udfs.rates import RATES


def _profile(name: object) -> Profile:
    """The rubric named in the workbook. One this installation does not have is not the
    clerk's input error: the workbook's own formulas compute it (MachineryFailure)."""
    try:
        return load_profile(text(name) or None)
    except EngineError as exc:
        raise MachineryFailure(str(exc)) from None


def rate(rate_id: str, *args: object) -> float | str:
    """A rate of ``udfs.rates.RATES`` from cell values. 0/0 -> "无" (no such item, e.g. 无非税收入)."""
    spec = RATES[rate_id]
    values = [number(a, op.label) for a, op in zip(args, spec.operands, strict=True)]
    if len(values) == 2 and values[0] == ZERO and values[1] == ZERO:
        return NOT_APPLICABLE
    try:
        return float(spec.of(*values))
    except EngineError as exc:
        raise CellError(exc.code, str(exc)) from None


def _indicator(profile: Profile, key: object) -> Indicator:
    ind = profile.indicator(text(key))
    if ind is None:
        raise CellError("#VALUE!", f"未知的指标“{text(key)[:20]}”")
    return ind


def _part_value(part, raw: object) -> engine.PartValue:
    if not part.rated:
        pass_on_error(raw, part.label)
        # as typed: the rule trims what TRIM trims, like the workbook's own formula
        return engine.PartValue(None if raw is None or raw == "" else str(raw))
    if isinstance(raw, str) and raw.strip() == NOT_APPLICABLE:
        return engine.PartValue(None, special=engine.BOTH_ZERO)
    if isinstance(raw, str) and raw.startswith("#DIV/0!"):
        return engine.PartValue(None, special=engine.ZERO_BASE)
    value = number(raw, part.label)
    if value is None:
        raise CellError("#VALUE!", f"缺少{part.label}")
    return engine.PartValue(value)


def _deductions(ind: Indicator, raw: object) -> dict[str, Decimal]:
    """Deductions as one of:
    - a number: the whole indicator;
    - one cell per deductible sub-item, in order (optionally one more for the whole);
    - the workbook's fixed layout: one column per circled number ①, ②, … (every
      indicator in the same columns, as on 指标计算), the last column for the whole.
      A sub-item the indicator cannot be deducted on must then be empty or 0."""
    cells = flatten(raw)
    parts = ind.finding_parts
    if len(cells) == 1:
        value = number(cells[0], "扣分")
        return {WHOLE: value} if value else {}
    if len(cells) in (len(parts), len(parts) + 1):
        ids = [p.id for p in parts] + [WHOLE]
    elif len(cells) > len(parts) + 1 and len(cells) - 1 <= len(CIRCLED):
        ids = list(CIRCLED[:len(cells) - 1]) + [WHOLE]
    else:
        raise CellError("#VALUE!", f"{ind.name}的扣分应为1个数或{len(parts)}个子项的扣分")
    out = {}
    for part_id, cell in zip(ids, cells, strict=False):
        value = number(cell, f"子项{part_id}扣分")
        if not value:
            continue
        part = ind.part(part_id)  # by column: the id, not the label a 扣分记录 row uses
        if part_id != WHOLE and (part is None or part.quantitative):
            raise CellError("#VALUE!", f"{ind.name}没有可扣分的子项{part_id}（可用：{ind.deductible_ids}）")
        out[part_id] = value
    return out


def score(indicator: object, value: object, profile: object = None, deductions: object = None) -> float:
    """Score of one indicator from its value(s) and deductions."""
    prof = _profile(profile)
    return _score(prof, _indicator(prof, indicator), value, deductions)


def _score(prof: Profile, ind: Indicator, value: object, deductions: object) -> float:
    needed = ind.value_parts
    cells = flatten(value) if needed else []
    if len(cells) < len(needed):
        labels = "、".join(p.label for p in needed)
        raise CellError("#VALUE!", f"{ind.name}需要{len(needed)}个值：{labels}")
    values = {p.id: _part_value(p, c) for p, c in zip(needed, cells, strict=False)}
    conditions: dict[str, Decimal | None] = {}
    for cond, cell in zip(ind.zero_if, cells[len(needed):], strict=False):
        if isinstance(cell, str) and cell.startswith("#DIV/0!"):  # spent with nothing budgeted
            conditions[cond.rate] = engine.ABOVE_ANY
        elif cell is not None and not isinstance(cell, str):
            conditions[cond.rate] = number(cell, cond.label)
    cuts = _deductions(ind, deductions) if deductions is not None else {}
    try:
        result, _, _ = engine.score_indicator(ind, values, cuts, prof.options, conditions)
    except EngineError as exc:  # anything else is a bug: the guard logs it (udfs.cell_values)
        raise CellError(exc.code, str(exc)) from None
    return float(result)


def deduct(indicator: object, deductions: object, profile: object = None) -> float:
    """Score of an indicator scored from 扣分记录 only (start full, deduct)."""
    prof = _profile(profile)
    ind = _indicator(prof, indicator)
    if ind.value_parts:
        raise CellError("#VALUE!", f"{ind.name}含计算项，请用PREVAL_SCORE")
    return _score(prof, ind, None, deductions)


def total(scores: object) -> float:
    """Sum of scores, half-up to 2 decimals; empty cells are skipped, an error is passed on."""
    acc = ZERO
    for cell in flatten(scores):
        if isinstance(cell, str) and not cell.strip():
            continue
        value = number(cell, "得分")
        if value is not None:
            acc += value
    return float(quantize(acc, 2))


def grade(total_score: object, serious: object = None, profile: object = None) -> str:
    prof = _profile(profile)
    value = number(total_score, "总分")
    if value is None:
        raise CellError("#VALUE!", "缺少总分")
    if value < 0 or value > 100:
        raise CellError("#NUM!", "总分应在0到100之间")
    flag = text(serious)
    if flag not in ("", YES, NO):
        raise CellError("#VALUE!", "严重违纪应填“是”或“否”")
    return engine.grade_for(value, prof, flag == YES)
