"""The rubric compiled to ordinary worksheet formulas, so a workbook computes its scores in
WPS, Excel for Mac, LibreOffice and Excel without the add-in (issue 16).

Every rule kind of ``udfs.profile`` has a compilation here, driven by the same profile data
the engine reads; a kind without one stops the build (``NativeError``), never a user's
file. Only functions Excel 2010, WPS and LibreOffice all have are used (IF, IFERROR, AND,
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

from collections.abc import Callable
from decimal import Decimal

from addin.workbook import layout as L
from addin.workbook import versions
from udfs.contract import BY_NAME, YES
from udfs.engine import COMPARE_PLACES
from udfs.profile import RATED, Condition, Indicator, Options, Part, Profile
from udfs.profile.model import KINDS, Band
from udfs.rates import RATES

NOT_APPLICABLE = "无"  # what a 0/0 rate shows, as PREVAL_* rates do
# The compiler's revision within a template version. A workbook saved by an earlier preval
# holds that revision's formulas: they are restored like any changed formula, but named as
# preval's update (V409), not as the user's change (V401). Revision 2: "超支" and "完成数超过
# 预算数" compare the amounts (COMPARE_PLACES), not the rate rounded for display; a
# whole-indicator deduction is not rounded to 2 decimals before it is subtracted; 追加预算,
# 追减预算 and 调整剔除数 count 0 when blank, as 上年结转 did; a sub-item with its own spelling
# (资产管理安全性 "④外租") is summed by that spelling; points less deductions are cleared of binary
# noise (ROUND(…,10)) before the score is rounded to 2.
REVISION = 2

DIV0 = "#DIV/0!"  # a x/0 rate shows text starting with it, as PREVAL_* rates do


class NativeError(ValueError):
    """A profile the compiler cannot express as worksheet formulas (a new rule kind)."""


def num(value: Decimal | int) -> str:
    """A number as a formula literal: 0.95, 2, 0.2 (never 2E+1)."""
    text = format(Decimal(value).normalize(), "f")
    return text


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


# ---------------------------------------------------------------- one part, from its value

def _special(rule: str, part: Part, compiled: str = "NA()") -> str:
    """Points when a rate has no value (0/0 or x/0): the part's rule, or no score;
    ``compiled``: the part's formula at a rate of 0 (rule "as_zero")."""
    return {"full": num(part.full), "zero": "0", "as_zero": compiled}.get(rule, "NA()")


def _steps(x: str, step: Decimal, options: Options, start: str = "1", below: bool = False) -> str:
    distance = f"({start}-{x})" if below else f"({x}-{start})"
    ratio = f"ROUND({distance}/{num(step)},6)"  # a whole number of steps stays whole
    return f"INT({ratio})" if options.over_step == "floor" else f"ROUNDUP({ratio},0)"


def _over(part: Part, x: str, options: Options) -> str:
    if part.over is None:
        return num(part.full)
    return f"MAX({num(part.full)}-{num(part.over.deduct)}*{_steps(x, part.over.step, options)},0)"


def _ratio(part: Part, x: str, options: Options) -> str:
    ratio = f"IF({x}<=1,ROUND({x}*{num(part.full)},{options.score_places}),{_over(part, x, options)})"
    if part.full_at is None:
        return ratio
    reached = f"{x}{'>=' if options.yishang_inclusive else '>'}{num(part.full_at)}"
    return f"IF(AND({reached},{x}<=1),{num(part.full)},{ratio})"


def _steps_rule(part: Part, x: str, options: Options) -> str:
    """Full points within the target, each step beyond it deducts (rules.score_steps)."""
    cuts = []
    for over, below in ((part.over, False), (part.under, True)):
        if over is not None:
            start = num(over.start)
            beyond = f"{x}<{start}" if below else f"{x}>{start}"
            cuts.append(f"IF({beyond},{num(over.deduct)}*{_steps(x, over.step, options, start, below)},0)")
    return f"MAX({num(part.full)}-{'-'.join(cuts)},0)"


def _ceiling(part: Part, x: str, options: Options) -> str:
    return f"IF({x}<=1,{num(part.full)},{_over(part, x, options)})"


def _band_test(band: Band, x: str) -> str:
    tests = []
    if band.min is not None:
        tests.append(f"{x}{'>=' if band.min_incl else '>'}{num(band.min)}")
    if band.max is not None:
        tests.append(f"{x}{'<=' if band.max_incl else '<'}{num(band.max)}")
    if not tests:
        return "TRUE"
    return tests[0] if len(tests) == 1 else f"AND({','.join(tests)})"


def _bands(part: Part, x: str, options: Options) -> str:
    out = "NA()"  # a rate in no band: the engine stops there too
    for band in reversed(part.bands):
        out = f"IF({_band_test(band, x)},{num(band.points)},{out})"
    return out


def _rated(rule: Callable[[Part, str, Options], str]) -> Callable[[Part, str, Options], str]:
    def compiled(part: Part, value: str, options: Options) -> str:
        x = f"ROUND({value},{options.rate_places})"
        at_zero = rule(part, "0", options) if part.both_zero == "as_zero" else "NA()"
        return (f'IF(ISNUMBER({value}),{rule(part, x, options)},IF({value}="{NOT_APPLICABLE}",'
                f'{_special(part.both_zero, part, at_zero)},IF(LEFT({value},{len(DIV0)})="{DIV0}",'
                f"{_special(part.zero_base, part)},NA())))")
    return compiled


def _yesno(part: Part, value: str, options: Options) -> str:
    text = f"TRIM({value})"
    return f'IF({text}="{YES}",{num(part.full)},IF(OR({text}="否",{text}=""),0,NA()))'


def _category(part: Part, value: str, options: Options) -> str:
    text = f"TRIM({value})"
    choices = [(key, points) for key, points in part.map.items()]
    choices += [(alias, part.map[key]) for alias, key in part.synonyms.items() if key in part.map]
    out = "NA()"
    for key, points in reversed(choices):
        out = f'IF({text}="{key}",{num(points)},{out})'
    return out


# rule kind -> formula of a value part's points from its value cell (None: a deductive
# kind, compiled in score_formula from its 扣分 column)
PART_FORMULAS: dict[str, Callable[[Part, str, Options], str] | None] = {
    "ratio": _rated(_ratio), "ceiling": _rated(_ceiling), "bands": _rated(_bands), "steps": _rated(_steps_rule),
    "yesno": _yesno, "category": _category,
    "deduct": None, "all_or_nothing": None, "judgement": None, "veto": None,
}


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


def check_kinds(profile: Profile) -> None:
    for ind in profile.indicators:
        for part in ind.parts:
            if part.kind not in PART_FORMULAS:
                raise NativeError(f"{ind.name} {part.id}: rule kind {part.kind!r} has no worksheet formula "
                                  "(add it to addin.workbook.native.PART_FORMULAS)")


# ---------------------------------------------------------------- the cells of 指标计算

def _ref(column: int, row: int) -> str:
    return f"${L.col(column)}${row}"


def _owner(profile: Profile, rate_id: str) -> Indicator:
    owner = next((i for i in profile.indicators if i.value_parts and i.value_parts[0].rate == rate_id), None)
    if owner is None:
        raise NativeError(f"no indicator computes {rate_id}")
    return owner


def value_formulas(ind: Indicator, profile: Profile, layout: L.Layout, revision: int = REVISION) -> list[str]:
    """公式计算 取值一/取值二: the indicator's values without any PREVAL_* call, in
    PREVAL_SCORE's order (value parts, then the rates of its zero_if conditions)."""
    out = []
    for part in ind.value_parts:
        if part.kind in RATED:
            out.append(f"={rate_expr(part.rate, profile.options, revision)}")
        else:
            out.append(f'=IF({part.input}="","",{part.input})')
    for cond in ind.zero_if:  # another indicator's 取值一: refer to it
        out.append(f"={_ref(layout.native_value1, L.row_of(_owner(profile, cond.rate).no))}")
    if len(out) > 2:
        raise NativeError(f"{ind.name}: the workbook has two value columns, the indicator needs {len(out)}")
    return out


def points_formula(ind: Indicator, profile: Profile, layout: L.Layout) -> str | None:
    """计算项得分: the points of the value parts, empty when one cannot be scored."""
    if not ind.value_parts:
        return None
    row = L.row_of(ind.no)
    terms = []
    for part, column in zip(ind.value_parts, (layout.native_value1, layout.native_value2), strict=False):
        compile_part = PART_FORMULAS[part.kind]
        assert compile_part is not None  # value parts are quantitative kinds
        terms.append(compile_part(part, _ref(column, row), profile.options))
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
        if part.kind == "veto":
            vetoes.append(f"{cut}>0")
        if ind.shared_cap:
            shared.append(cut)
        else:
            kept.append(f"MAX({num(part.full)}-{cut},0)")
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
    check_kinds(profile)
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


assert set(PART_FORMULAS) == set(KINDS), "every rule kind of udfs.profile needs a worksheet formula"
