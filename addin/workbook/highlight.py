"""Offending inputs are highlighted by conditional formatting, never by changing them.

The rule on every input cell asks whether 校验结果 lists that cell ("财务数据!B7" in column
位置) as an 错误 or a 提示. So whoever writes 校验结果 — ``preval score``/``validate -o``
or the ribbon's 校验 — also lights up the cells, and clearing 校验结果 clears the colour; the
cell's value and its own format are never touched.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill

from addin.workbook import layout as L
from addin.workbook.layout import ERROR, HINT
from addin.workbook.live_checks import LIVE_HINTS, findings_columns, live_rows
from udfs.contract import NAMES
from udfs.profile import Profile

# Excel's own "light red fill with dark red text" and an orange for 提示
STYLES = {ERROR: (PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"), Font(color="9C0006")),
          HINT: (PatternFill("solid", start_color="F8CBAD", end_color="F8CBAD"), Font(color="833C0B"))}


def _column(letter: str) -> str:
    last = L.FIRST_ROW + L.CHECK_ROWS - 1
    return f"'{L.CHECKS}'!${letter}${L.FIRST_ROW}:${letter}${last}"


def listed_formula(sheet: str, severity: str) -> str:
    """True on a cell that 校验结果 lists with ``severity``. ROW()/COLUMN() are the cell being
    formatted, so one rule serves any set of cells."""
    return (f'COUNTIFS({_column("C")},"{sheet}!"&ADDRESS(ROW(),COLUMN(),4),'
            f'{_column("B")},"{severity}")>0')


def input_ranges(wb: Workbook, profile: Profile) -> dict[str, list[str]]:
    """Sheet -> the input cells and ranges a user types into."""
    out: dict[str, list[str]] = {}
    for name in NAMES:
        (sheet, ref), = wb.defined_names[name].destinations
        out.setdefault(sheet, []).append(ref.replace("$", ""))
    last = L.col(len(L.FINDINGS_COLUMNS))
    out[L.FINDINGS] = [f"A{L.FINDINGS_FIRST}:{last}{L.FINDINGS_LAST}"]
    layout = L.Layout(profile)  # the builder's: the current version
    last_row = L.row_of(len(profile.indicators))
    out[L.SCORES] = [f"{L.col(layout.self_rate)}{L.FIRST_ROW}:{L.col(layout.self_score)}{last_row}"]
    return out


def add_highlights(wb: Workbook, profile: Profile) -> None:
    for sheet, refs in input_ranges(wb, profile).items():
        for severity in (ERROR, HINT):  # 错误 first: it wins where a cell has both
            fill, font = STYLES[severity]
            wb[sheet].conditional_formatting.add(
                " ".join(refs), FormulaRule(formula=[listed_formula(sheet, severity)], fill=fill, font=font,
                                            stopIfTrue=True))


def live_rule(severity: str, row: int) -> str:
    """True on a row whose live checks (template 0.9, ``live_checks``) found ``severity``: the
    cell's own finding (hidden column H) or a figure finding (their counts, hidden J and K)."""
    own, wrong, doubtful = (f"${L.LIVE_HIDDEN_COLUMNS[k]}{row}" for k in (2, 4, 5))
    hint = "OR(" + ",".join(f'LEFT({own},{len(i)})="{i}"' for i in LIVE_HINTS) + ")"
    error = f'OR(AND({own}<>"",NOT({hint})),N({wrong})>0)'
    if severity == HINT:
        return f"AND(NOT({error}),OR({hint},N({doubtful})>0))"
    return error


def add_live_highlights(wb: Workbook) -> None:
    """The input and its 实时校验 cell turn red (错误) or orange (提示) as the cell's formula
    finds it, with no preval run (template 0.9)."""
    rows: dict[str, list[int]] = {}
    for sheet, row in live_rows().values():
        rows.setdefault(sheet, []).append(row)
    for sheet, found in rows.items():
        first, last = min(found), max(found)
        cells = f"{L.INPUT_COLUMN}{first}:{L.INPUT_COLUMN}{last} {L.LIVE_COLUMN}{first}:{L.LIVE_COLUMN}{last}"
        for severity in (ERROR, HINT):
            fill, font = STYLES[severity]
            wb[sheet].conditional_formatting.add(
                cells, FormulaRule(formula=[live_rule(severity, first)], fill=fill, font=font, stopIfTrue=True))
    # a 扣分记录 row by its counts (finding_rows: 错误数, 提示数)
    columns = findings_columns()
    wrong, doubtful = (f"${columns[n]}{L.FINDINGS_FIRST}" for n in ("错误数", "提示数"))
    cells = f"A{L.FINDINGS_FIRST}:{L.FINDINGS_LIVE_COLUMN}{L.FINDINGS_LAST}"
    for severity, rule in ((ERROR, f"N({wrong})>0"), (HINT, f"AND(N({wrong})=0,N({doubtful})>0)")):
        fill, font = STYLES[severity]
        wb[L.FINDINGS].conditional_formatting.add(cells, FormulaRule(formula=[rule], fill=fill, font=font, stopIfTrue=True))
