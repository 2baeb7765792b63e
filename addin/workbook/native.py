"""The rubric compiled to ordinary worksheet formulas, so a workbook computes its scores in
WPS, Excel for Mac, LibreOffice and Excel without the add-in.

A part's formula is its rule kind's (``udfs.rules``, each kind's ``formula`` beside its
``score``); here the rates, the indicator's deductions and conditions, sections, total and
grade are put together in the 指标计算 layout. Only functions Excel 2010, WPS and LibreOffice all have are used (IF, IFERROR, AND,
OR, ISNUMBER, COUNT, ROUND, ROUNDUP, INT, MIN, MAX, SUM, TRIM, LEFT, CHOOSE, NA); no LET,
LAMBDA, XLOOKUP or dynamic arrays.

The engine is Decimal, half-up. The formulas give the same numbers because
- a rate is rounded to the profile's places (ROUND(v,4)) before it is compared or
  multiplied, as the engine does; ROUND in Excel and LibreOffice rounds the decimal value
  the cell shows (ROUND(1.005,2)=1.01), like Decimal half-up;
- over-steps are counted on the rounded ratio (INT(ROUND((x-1)/step,6))): (1.15-1)/0.05 is
  2.9999999999999982 in binary, and a plain INT would count 2 steps where the rubric
  counts 3;
- every score is ROUND(…,2) at the points where the engine quantizes.

Where an engine evaluation would stop (an empty input, a 是/否 cell with other text, a
zero denominator the rubric does not score), the formula shows an empty cell rather than a
number the rubric does not give.
"""

from __future__ import annotations

from addin.workbook import layout as L
from addin.workbook import versions
from udfs.contract import BY_NAME, YES
from udfs.engine import COMPARE_PLACES
from udfs.errors import ProfileError
from udfs.profile import Condition, Indicator, Options, Profile
from udfs.rates import RATES
from udfs.rules.formula import DIV0, NOT_APPLICABLE, num

# The compiler's revision within a template version. A workbook saved by an earlier preval
# holds that revision's formulas: they are restored like any changed formula, but named as
# preval's update (V409), not as the user's change (V401). Revision 2: "超支" and "完成数超过
# 预算数" compare the amounts (COMPARE_PLACES), not the rate rounded for display; a
# whole-indicator deduction is not rounded to 2 decimals before it is subtracted; 追加预算,
# 追减预算 and 调整剔除数 count 0 when blank, as 上年结转 did; a sub-item with its own spelling
# (资产管理安全性 "④外租") is summed by that spelling; points less deductions are cleared of binary
# noise (ROUND(…,10)) before the score is rounded to 2.
REVISION = 2


class NativeError(ProfileError):
    """A rubric the compiler cannot express in the workbook's layout (two value columns, a
    condition on a rate no indicator computes): the rubric's fault, said in Chinese."""


# ---------------------------------------------------------------- rates

_BLANK_ZERO_R1 = ("上年结转", "其他收入")  # revision 1 had only these count 0 when blank


def rate_expr(rate_id: str, options: Options, revision: int = REVISION) -> str:
    """A rate from the inputs: "" while an input is empty, "无" for 0/0, "#DIV/0! …" text
    for x/0 (the same texts the PREVAL_* rate functions return), else the exact quotient."""
    spec = RATES[rate_id]

    def blank_is_zero(name: str) -> bool:
        return BY_NAME[name].blank_is_zero and (revision >= 2 or name in _BLANK_ZERO_R1)

    # an amount a budget may not have (追加, 上年结转) is 0 when blank, in the formula as in the engine
    names = tuple(n for n in dict.fromkeys(spec.inputs_used(options)) if not blank_is_zero(n))
    numerator, denominator = spec.native_terms(options)
    missing = f"COUNT({','.join(names)})<{len(names)}"
    if denominator is None:
        return f'IF({missing},"",{numerator})'
    zero = f'"{DIV0} {spec.denominator(options)}为0，无法计算"'
    return (f'IF({missing},"",IF({_is_zero(denominator)},IF({_is_zero(numerator)},"{NOT_APPLICABLE}",{zero}),'
            f"{numerator}/{denominator}))")


def _is_zero(term: str) -> str:
    """term = 0; a difference of money amounts is rounded first: 0.1+0.2-0.3 is not 0 in
    binary, while the engine's Decimal says 0 (no such item)."""
    return f"ROUND({term},6)=0" if term.startswith("(") else f"{term}=0"


MAX_FORMULA, MAX_NESTING = 8192, 64  # Excel's limits (LibreOffice shows an empty cell past them)


def beyond_limits(formula: str) -> str:
    """What Excel could not hold of ``formula`` ("" when it fits)."""
    if len(formula) > MAX_FORMULA:
        return f"公式长 {len(formula)} 个字符，超过 Excel 的 {MAX_FORMULA} 字符上限"
    depth = deepest = 0
    quoted = False
    for ch in formula:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif not quoted and ch == ")":
            depth -= 1
    if deepest > MAX_NESTING:
        return f"公式嵌套 {deepest} 层，超过 Excel 的 {MAX_NESTING} 层上限"
    return ""


def oversized(profile: Profile) -> list[tuple[Indicator, str]]:
    """Indicators whose compiled formulas Excel could not hold, with the reason."""
    rows = {L.row_of(ind.no): ind for ind in profile.indicators}
    out: dict[int, tuple[Indicator, str]] = {}
    for (_sheet, cell), formula in native_cells(profile).items():
        ind = rows.get(int("".join(ch for ch in cell if ch.isdigit())))
        why = beyond_limits(formula)
        if why and ind is not None and ind.no not in out:
            out[ind.no] = (ind, why)
    return list(out.values())


# ---------------------------------------------------------------- the cells of 指标计算

def _ref(column: int, row: int) -> str:
    return f"${L.col(column)}${row}"


def _owner(profile: Profile, rate_id: str) -> Indicator:
    owner = next((i for i in profile.indicators if i.value_parts and i.value_parts[0].rate == rate_id), None)
    if owner is None:
        raise NativeError(f"计0分条件引用的比率“{RATES[rate_id].label}”没有任何指标计分，工作簿公式无处取值")
    return owner


def value_formulas(ind: Indicator, profile: Profile, layout: L.Layout, revision: int = REVISION) -> list[str]:
    """公式计算 取值一/取值二: the indicator's values without any PREVAL_* call, in
    PREVAL_SCORE's order (value parts, then the rates of its zero_if conditions)."""
    out = []
    for part in ind.value_parts:
        if part.rated:
            out.append(f"={rate_expr(part.rate, profile.options, revision)}")
        else:
            out.append(f'=IF({part.input}="","",{part.input})')
    for cond in ind.zero_if:  # another indicator's 取值一: refer to it
        out.append(f"={_ref(layout.native_value1, L.row_of(_owner(profile, cond.rate).no))}")
    if len(out) > 2:
        raise NativeError(f"{ind.name}：工作簿每个指标有两个取值列，该指标的计分子项和计0分条件需要{len(out)}个")
    return out


def points_formula(ind: Indicator, profile: Profile, layout: L.Layout) -> str | None:
    """计算项得分: the points of the value parts, empty when one cannot be scored."""
    if not ind.value_parts:
        return None
    row = L.row_of(ind.no)
    terms = []
    for part, column in zip(ind.value_parts, (layout.native_value1, layout.native_value2), strict=False):
        terms.append(part.rule.cell_formula(part, _ref(column, row), profile.options))
    return f'=IFERROR({"+".join(terms)},"")'


def _cut(ind: Indicator, layout: L.Layout, part_id: str) -> str:
    return _ref(layout.FIRST_SUB + layout.subitems.index(part_id), L.row_of(ind.no))


def _condition(cond: Condition, profile: Profile, layout: L.Layout, revision: int = REVISION) -> tuple[str, str]:
    """(the condition's value cell, the test "the indicator scores 0"): the exact ratio of
    two amounts (2000.01 of 2000 is 超支 although it shows as 100.00%)."""
    c = _ref(layout.native_value1, L.row_of(_owner(profile, cond.rate).no))
    if revision < 2:
        rounded = f"ROUND(IF(ISNUMBER({c}),{c},0),{profile.options.rate_places})"
        return c, f"AND(ISNUMBER({c}),{rounded}>{num(cond.above)})"
    rounded = f"ROUND(IF(ISNUMBER({c}),{c},0),{COMPARE_PLACES})"
    # x/0 (三公 spent, nothing budgeted) is over any budget
    return c, f'OR(LEFT({c}&"",{len(DIV0)})="{DIV0}",AND(ISNUMBER({c}),{rounded}>{num(cond.above)}))'


def score_formula(ind: Indicator, profile: Profile, layout: L.Layout, revision: int = REVISION) -> str:
    """公式计算 得分 of one indicator, as ``udfs.engine.score_indicator`` computes it."""
    row = L.row_of(ind.no)
    places = profile.options.score_places
    kept, shared = [], []
    vetoes = []
    for part in ind.finding_parts:
        cut = _cut(ind, layout, part.id)
        if part.rule.vetoes:
            vetoes.append(f"{cut}>0")
        if ind.shared_cap:
            shared.append(cut)
        else:
            kept.append(part.rule.formula(part, cut, profile.options))
    total = []
    points = _ref(layout.native_points, row)
    if ind.value_parts:
        total.append(points)
    total += [num(ind.weight)] if ind.shared_cap else kept
    deducted = [*shared, _cut(ind, layout, L.WHOLE)]
    left = f"{'+'.join(total) or '0'}-{'-'.join(deducted)}"
    if revision >= 2:  # 2−1.975 is 0.02499999999999991 in binary: ROUND(…,2) would give 0.02, the rubric 0.03
        left = f"ROUND({left},10)"
    body = f"ROUND(MIN(MAX({left},0),{num(ind.weight)}),{places})"
    if vetoes:
        body = f"IF(OR({','.join(vetoes)}),0,{body})"
    for cond in reversed(ind.zero_if):
        value, zero = _condition(cond, profile, layout, revision)
        body = f'IF({value}="","",IF({zero},0,{body}))'
    if ind.value_parts:
        body = f'IF({points}="","",{body})'
    return f"={body}"


def section_formula(profile: Profile, layout: L.Layout, section: str) -> str:
    first, last = layout.section_rows(section)
    scores = f"{_ref(layout.native_score, first)}:{_ref(layout.native_score, last)}"
    return f'=IF(COUNT({scores})<{last - first + 1},"",ROUND(SUM({scores}),{profile.options.score_places}))'


def total_formula(profile: Profile, layout: L.Layout) -> str:
    first, last = (layout.cache_row(s) for s in (layout.sections[0], layout.sections[-1]))
    sections = f"{_ref(layout.native_score, first)}:{_ref(layout.native_score, last)}"
    return (f'=IF(COUNT({sections})<{len(layout.sections)},"",'
            f"ROUND(SUM({sections}),{profile.options.score_places}))")


def grade_formula(profile: Profile, layout: L.Layout) -> str:
    """The grade by the profile's limits; 严重违纪 = 是 moves it down one (when the profile
    says so), as ``udfs.engine.grade_for``."""
    t = _ref(layout.native_score, layout.cache_row("总分"))
    names = [name for _, name in profile.grades]
    index = str(len(names))
    for n in range(len(names) - 1, 0, -1):
        index = f"IF({t}>={num(profile.grades[n - 1][0])},{n},{index})"
    if profile.options.grade_step_down:
        index = f'MIN({len(names)},{index}+IF(TRIM(严重违纪)="{YES}",1,0))'
    choices = ",".join(f'"{name}"' for name in names)
    return f'=IF(ISNUMBER({t}),CHOOSE({index},{choices}),"")'


def agree_formula(shown: str, native: str) -> str:
    """核对: "一致" when the shown result (add-in or formulas) equals the formulas' own;
    empty while neither can be computed or the shown cell holds a message."""
    s, n = f"{shown}&\"\"", f"{native}&\"\""
    numbers = f'IF(ABS({shown}-{native})<0.005,"一致","不一致")'
    texts = f'IF(OR({n}="",LEFT({s},1)="#"),"",IF({s}={n},"一致","不一致"))'
    return (f"=IFERROR(IF(AND(ISNUMBER({shown}),ISNUMBER({native})),{numbers},"
            f'IF(OR(ISNUMBER({shown}),ISNUMBER({native})),"不一致",{texts})),"")')


def native_cells(profile: Profile, version: str = versions.CURRENT, revision: int = REVISION) -> dict[tuple[str, str], str]:
    """(指标计算, cell) -> formula of every 公式计算 and 核对 cell (template 0.6 on), as
    compiler ``revision`` writes them."""
    layout = L.Layout(profile, version)
    out: dict[tuple[str, str], str] = {}

    def put(column: int, row: int, formula: str | None) -> None:
        if formula is not None:
            out[(L.CALC, f"{L.col(column)}{row}")] = formula

    for ind in profile.indicators:
        row = L.row_of(ind.no)
        for column, formula in zip((layout.native_value1, layout.native_value2),
                                   value_formulas(ind, profile, layout, revision), strict=False):
            put(column, row, formula)
        put(layout.native_points, row, points_formula(ind, profile, layout))
        put(layout.native_score, row, score_formula(ind, profile, layout, revision))
        put(layout.agree, row, agree_formula(f"'{L.SCORES}'!${layout.score_letter}${row}", _ref(layout.native_score, row)))
    for section in layout.sections:
        row = layout.cache_row(section)
        put(layout.native_score, row, section_formula(profile, layout, section))
        put(layout.agree, row, agree_formula(f"'{L.SUMMARY}'!$C${layout.summary_row(section)}",
                                             _ref(layout.native_score, row)))
    for key, summary_key, formula in (("总分", "合计", total_formula(profile, layout)),
                                      ("等级", "评价等级", grade_formula(profile, layout))):
        row = layout.cache_row(key)
        put(layout.native_score, row, formula)
        put(layout.agree, row, agree_formula(f"'{L.SUMMARY}'!$C${layout.summary_row(summary_key)}",
                                             _ref(layout.native_score, row)))
    return out

