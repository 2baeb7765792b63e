"""The workbook's own input checks (template 0.9): where each statement of
``addin.catalogue.one_cell`` (one cell), ``addin.catalogue.figures`` (figures against each
other) and ``addin.catalogue.ratios`` (the profile's rates) goes on 基础信息 and 财务数据, and
the count on 校验结果 and 汇总.

An input's row: E 实时校验, what the reader sees — the cell's own finding, then its figure
findings, joined by "；"; hidden beside it F and G (the cell's text as a number's spelling),
H (the cell's own finding, V1xx), I (its figure findings), J and K (how many of those are
错误 and 提示).
The figure checks speak only when no input has a V1xx 错误 (the count of those is in 财务数据!H2),
as validate checks figures only when every input is one. The count says "实时校验：N 个错误，
M 个提示"; N is validate's number of 错误 among these checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from addin.catalogue import CATALOGUE, ERROR, HINT, finding_rows
from addin.catalogue import figures as F
from addin.catalogue.one_cell import LIVE_IDS, NUMBER_KINDS, digits_out_formula, live_formula, live_text, number_text_formula
from addin.catalogue.ratios import figure_statements
from addin.catalogue.wording import quoted
from addin.workbook import layout as L
from addin.workbook import versions
from udfs.contract import BY_NAME
from udfs.engine import inputs_needed
from udfs.inputs import Inputs
from udfs.profile import Profile

LIVE_HINTS = tuple(i for i in LIVE_IDS if CATALOGUE[i].severity == HINT)
LIVE_SCOPE = ("（输入单元格的检查和全年预算、结转结余、超支、部分与整体、分项之和、元与万元、比率分母为0或超过1000%的核对，"
              "见“基础信息”“财务数据”的“实时校验”列；扣分记录各行的指标、子项、扣分额和事由，见“扣分记录”的“实时校验”列；"
              "公式和评分档案由“绩效评价→校验”或 preval validate 检查）。"
              "下表是上次校验的结果："
              "“错误”须改正后才能计算评分；“提示”请核实。点击位置可跳到对应单元格。")
JOIN = finding_rows.JOIN
Cells = dict[tuple[str, str], str]


def findings_columns() -> dict[str, str]:
    """扣分记录's live columns: 实时校验 and the hidden helpers (finding_rows.HELPERS) -> letter."""
    helpers = {name: L.col(L.FINDINGS_HELPERS_FROM + n) for n, name in enumerate(finding_rows.HELPERS)}
    return {"实时校验": L.FINDINGS_LIVE_COLUMN, **helpers}


def _findings_cells(profile: Profile) -> Cells:
    columns, cells = findings_columns(), tuple(L.col(n) for n in L.FINDINGS_COLUMNS.values())
    out: Cells = {}
    for row in range(L.FINDINGS_FIRST, L.FINDINGS_LAST + 1):
        for letter, formula in finding_rows.row_cells(profile, row, columns, cells, L.FINDINGS_FIRST).items():
            out[(L.FINDINGS, f"{letter}{row}")] = formula
    return out


def _findings_range(name: str) -> str:
    letter = findings_columns()[name]
    return f"'{L.FINDINGS}'!${letter}${L.FINDINGS_FIRST}:${letter}${L.FINDINGS_LAST}"


def live_rows(version: str = versions.CURRENT) -> dict[str, tuple[str, int]]:
    """Input name -> (sheet, row) of the inputs on the two live sheets."""
    out = {}
    for name, (sheet, cell) in L.input_cells(version).items():
        if sheet in L.LIVE_SHEETS:
            out[name] = (sheet, int(cell[len(L.INPUT_COLUMN):]))
    return out


def _range(sheet: str, column: str, rows: list[int]) -> str:
    return f"'{sheet}'!${column}${min(rows)}:${column}${max(rows)}"


def _hints(ranges: list[str]) -> str:
    return "+".join(f'SUMPRODUCT((LEFT({r},{len(i)})="{i}")*1)' for r in ranges for i in LIVE_HINTS)


def live_cells(profile: Profile, version: str = versions.CURRENT) -> Cells:
    """(sheet, cell) -> formula of every live check cell (template 0.9), the count cells included."""
    needed = inputs_needed(profile)
    by_input: dict[str, list[F.Statement]] = {}
    for statement in figure_statements(profile):
        by_input.setdefault(statement.at, []).append(statement)
    gate = f"'{L.LIVE_GATE[0]}'!${L.LIVE_GATE[1][0]}${L.LIVE_GATE[1][1:]}"
    out: Cells = {}
    used: dict[str, list[int]] = {}
    for name, (sheet, row) in live_rows(version).items():
        cell = f"{L.INPUT_COLUMN}{row}"
        live, text, rest, own, figures, wrong, doubtful = (f"{c}{row}" for c in (L.LIVE_COLUMN, *L.LIVE_HIDDEN_COLUMNS))
        formula = live_formula(name, cell, (text, rest), name in needed)
        if formula is None:
            continue
        used.setdefault(sheet, []).append(row)
        out[(sheet, own)] = formula
        if BY_NAME[name].kind in NUMBER_KINDS:
            out[(sheet, text)], out[(sheet, rest)] = number_text_formula(cell), digits_out_formula(text)
        checks = by_input.get(name, [])
        if not checks:
            out[(sheet, live)] = f"={own}"
            continue
        said = "&".join(f'IF({s.condition},{quoted(JOIN + s.id + " ")}&{s.formula()},"")' for s in checks)
        out[(sheet, figures)] = f'=IF({gate}>0,"",MID({said},2,2000))'
        for cell_of, severity in ((wrong, ERROR), (doubtful, HINT)):
            counted = [f"({s.condition})*1" for s in checks if CATALOGUE[s.id].severity == severity]
            out[(sheet, cell_of)] = f"=IF({gate}>0,0,{'+'.join(counted)})" if counted else "=0"
        out[(sheet, live)] = f'=IF({figures}="",{own},IF({own}="",{figures},{own}&"{JOIN}"&{figures}))'
    own_ranges = [_range(sheet, L.LIVE_HIDDEN_COLUMNS[2], rows) for sheet, rows in used.items()]
    wrong_ranges = [_range(sheet, L.LIVE_HIDDEN_COLUMNS[4], rows) for sheet, rows in used.items()]
    doubt_ranges = [_range(sheet, L.LIVE_HIDDEN_COLUMNS[5], rows) for sheet, rows in used.items()]
    shown = "+".join(f'SUMPRODUCT(({r}<>"")*1)' for r in own_ranges)
    out[L.LIVE_GATE] = f"={shown}-({_hints(own_ranges)})"
    out.update(_findings_cells(profile))
    errors = f"{gate}+" + "+".join(f"SUM({r})" for r in (*wrong_ranges, _findings_range("错误数")))
    hints = f"{_hints(own_ranges)}+" + "+".join(f"SUM({r})" for r in (*doubt_ranges, _findings_range("提示数")))
    out[(L.CHECKS, L.LIVE_COUNT_CELL)] = (f'="实时校验："&({errors})&" 个错误，"&({hints})&" 个提示"'
                                         f"&{quoted(LIVE_SCOPE)}")
    layout = L.Layout(profile, version)
    # 汇总 prints four columns: the count without what it covers (校验结果 says that)
    count = f"'{L.CHECKS}'!{L.LIVE_COUNT_CELL}"
    out[(L.SUMMARY, L.at(1, layout.summary_row("实时校验")))] = f'=LEFT({count},FIND("（",{count})-1)'
    return out


def live_count(errors: int, hints: int, scope: bool = True) -> str:
    """What the count cells show (``live_cells``), from counts made in Python; ``scope``:
    with what the count covers (校验结果), not on 汇总."""
    return f"实时校验：{errors} 个错误，{hints} 个提示" + (LIVE_SCOPE if scope else "")


def _findings_values(profile: Profile, rows: Sequence[tuple[int, tuple]]) -> tuple[dict, int, int]:
    """The 扣分记录 live cells' values for the filled ``rows`` ((row, values), as Case.findings),
    and how many 错误 and 提示 they show."""
    filled, columns = dict(rows), findings_columns()
    out: dict[tuple[str, str], object] = {}
    errors = hints = 0
    every = ((row, tuple(filled.get(row, (None,) * 5))) for row in range(L.FINDINGS_FIRST, L.FINDINGS_LAST + 1))
    for r, before in finding_rows.walk(profile, every):
        for name, value in finding_rows.row_values(r, before).items():
            out[(L.FINDINGS, f"{columns[name]}{r.row}")] = value
        errors += out[(L.FINDINGS, f"{columns['错误数']}{r.row}")]  # type: ignore[operator]
        hints += out[(L.FINDINGS, f"{columns['提示数']}{r.row}")]  # type: ignore[operator]
    return out, errors, hints


def live_values(profile: Profile, raw: Mapping[str, object], version: str = versions.CURRENT,
                findings: Sequence[tuple[int, tuple]] = ()) -> dict:
    """What every cell of ``live_cells`` shows for the inputs ``raw`` (name -> cell value) and
    the filled 扣分记录 rows ``findings`` ((row, values)), worded by the Python checks
    (``preval score`` saves these beside the formulas)."""
    needed, formulas = inputs_needed(profile), live_cells(profile, version)
    rows = {name: at for name, at in live_rows(version).items() if (at[0], f"{L.LIVE_HIDDEN_COLUMNS[2]}{at[1]}") in formulas}
    own = {name: live_text(name, raw.get(name), name in needed) for name in rows}
    hints = sum(1 for t in own.values() if t.startswith(LIVE_HINTS))
    own_errors = sum(1 for t in own.values() if t) - hints
    figures: dict[str, list[str]] = {}
    severities: list[str] = []
    if own_errors == 0:  # as the formulas wait for the count in LIVE_GATE
        v = Inputs.from_mapping({n: raw.get(n) for n in versions.names(version)}).get
        for statement in figure_statements(profile):
            if statement.test(v):
                figures.setdefault(statement.at, []).append(f"{statement.id} {statement.text(v)}")
                severities.append(CATALOGUE[statement.id].severity)
    out: dict[tuple[str, str], object] = {L.LIVE_GATE: own_errors}
    for name, (sheet, row) in rows.items():
        live, text, rest, mine, found, wrong, doubtful = ((sheet, f"{c}{row}")
                                                          for c in (L.LIVE_COLUMN, *L.LIVE_HIDDEN_COLUMNS))
        said = figures.get(name, [])
        out[mine], out[live] = own[name], JOIN.join(t for t in (own[name], *said) if t)
        for helper in (text, rest):
            if helper in formulas:  # "" for a number; tests read the text ones from the formulas
                out[helper] = ""
        if found in formulas:
            out[found] = JOIN.join(said)
            out[wrong], out[doubtful] = (sum(CATALOGUE[t[:4]].severity == k for t in said) for k in (ERROR, HINT))
    on_rows, row_errors, row_hints = _findings_values(profile, findings)
    out.update(on_rows)
    errors, hints = own_errors + severities.count(ERROR) + row_errors, hints + severities.count(HINT) + row_hints
    out[(L.CHECKS, L.LIVE_COUNT_CELL)] = live_count(errors, hints)
    out[(L.SUMMARY, L.at(1, L.Layout(profile, version).summary_row("实时校验")))] = live_count(errors, hints, scope=False)
    return out
