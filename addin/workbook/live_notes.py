"""The 评分说明 by formula: each indicator's 评分依据 (计算过程) and 扣分事由 as worksheet
formulas that say what ``udfs.engine.score_indicator`` says, character for character, and
change with every input — where preval does not run (WPS, LibreOffice, macro-blocked Excel).

The sentence is put together here as the engine puts it together: the value parts' lines (a
rate's working from ``udfs.rates``, the rule kind's words from its ``words_formula``), a
zero_if condition, a veto, each deducted sub-item with its 事由, the sub-items without a
finding, a whole-indicator deduction, "合计扣…扣完为止", "，得N分". The numbers it reads are
the workbook's own (指标计算's 公式计算 columns and deduction sums); the 事由 of a sub-item
are joined from 扣分记录 by hidden helper columns (``reason_cells``) — a running join per
sub-item with COUNTIF/INDEX/MATCH, since Excel 2016 and older WPS have no TEXTJOIN or FILTER.
"""

from __future__ import annotations

from collections.abc import Sequence

from addin.catalogue import finding_rows
from addin.catalogue.finding_rows import _text_of, _trimmed
from addin.catalogue.wording import general
from addin.workbook import layout as L
from addin.workbook import native as N
from addin.workbook.cell_text import MAX_CELL_TEXT
from udfs.engine import NOTHING_FOUND, UNNAMED_DEDUCTION, Evaluation
from udfs.inputs import trimmed
from udfs.money import fmt_num
from udfs.profile import WHOLE, Indicator, Part, Profile
from udfs.rates import RATES, IdentitySpec
from udfs.rules.formula import DIV0, NOT_APPLICABLE, num, percent, shown, text
from udfs.rules.rated import BOTH_ZERO, ZERO_BASE

# what 评分依据 shows while an indicator cannot be scored (an input empty or not a number)
NOT_YET = "（尚不能计算：有输入为空或有误，见各输入旁的“实时校验”）"
REASON_HELPERS = ("事由文本", "佐证文本", "事由键", "事由序号", "事由序键", "事由累计",
                  "记录键", "记录序号", "记录序键", "记录累计")
SEP = "#"  # between a key and its occurrence number ("14|①#2")


def reason_columns() -> dict[str, str]:
    """The reason helpers' letters, after the live checks' (finding_rows.HELPERS)."""
    first = L.FINDINGS_HELPERS_FROM + len(finding_rows.HELPERS)
    return {name: L.col(first + n) for n, name in enumerate(REASON_HELPERS)}


def _whole(letter: str) -> str:
    return f"'{L.FINDINGS}'!${letter}${L.FINDINGS_FIRST}:${letter}${L.FINDINGS_LAST}"


def reason_cells(row: int) -> dict[str, str]:
    """Column letter -> formula of one 扣分记录 row's reason helpers: the row's 事由 joined with
    those of the rows above on the same sub-item (事由累计, "、"), and its 事由（佐证：…） joined
    with the rows above on the same indicator (记录累计, "；"), as the engine joins them."""
    c = reason_columns()
    helpers = {name: L.col(L.FINDINGS_HELPERS_FROM + n) for n, name in enumerate(finding_rows.HELPERS)}
    d, e = (f"{L.col(L.FINDINGS_COLUMNS[k])}{row}" for k in ("事由", "佐证材料"))
    h = {name: f"{letter}{row}" for name, letter in c.items()}
    counted, number = f'{helpers["计入键"]}{row}', f'{helpers["指标序号"]}{row}'
    out = {
        "事由文本": _trimmed(_text_of(d)),
        "佐证文本": _trimmed(_text_of(e)),
        "事由键": f'IF(AND({counted}<>"",{h["事由文本"]}<>""),{counted},"")',
        "记录键": f'IF({counted}="","",{number}&"|")',
    }
    for key, nth, keyed, joined, word, sep in (
            ("事由键", "事由序号", "事由序键", "事由累计", h["事由文本"], "、"),
            ("记录键", "记录序号", "记录序键", "记录累计",
             f'{h["事由文本"]}&IF({h["佐证文本"]}="","","（佐证："&{h["佐证文本"]}&"）")', "；")):
        first = f"${c[key]}${L.FINDINGS_FIRST}"
        out[nth] = f'IF({h[key]}="","",COUNTIF({first}:{h[key]},{h[key]}))'
        out[keyed] = f'IF({h[key]}="","",{h[key]}&"{SEP}"&{h[nth]})'
        if row == L.FINDINGS_FIRST:
            before = '""'
        elif row == L.FINDINGS_FIRST + 1:  # one row above: it is the earlier occurrence
            before = f'IF({h[nth]}=1,"",${c[joined]}${L.FINDINGS_FIRST}&"{sep}")'
        else:
            above = (f"${c[name]}${L.FINDINGS_FIRST}:${c[name]}${row - 1}" for name in (joined, keyed))
            joined_above, keyed_above = above
            before = (f'IF({h[nth]}=1,"",INDEX({joined_above},MATCH({h[key]}&"{SEP}"&({h[nth]}-1),{keyed_above},0))'
                      f'&"{sep}")')
        out[joined] = f'IF({h[key]}="","",{before}&{word})'
    return {c[name]: "=" + formula for name, formula in out.items()}


def _joined_for(key: str, which: str) -> str:
    """The last running join of ``key`` ("14|①" for 事由, "14|" for 记录), "" when none."""
    c = reason_columns()
    keys, keyed, joined = ((_whole(c[f"{which}{n}"])) for n in ("键", "序键", "累计"))
    return f'IFERROR(INDEX({joined},MATCH("{key}{SEP}"&COUNTIF({keys},"{key}"),{keyed},0)),"")'


def _why(ind: Indicator, part: Part | None) -> str:
    """"、".join(事由) of the rows on the part (the whole indicator: None), or the fallback."""
    reasons = _joined_for(f"{ind.no}|{WHOLE if part is None else part.shown}", "事由")
    fallback = UNNAMED_DEDUCTION if part is None else part.label
    return f"IF({reasons}=\"\",{text(fallback)},{reasons})"


def _value_line(part: Part, value: str, profile: Profile) -> str:
    """One value part's line: "预算调整率=(…)/(…)×100%=30.45%，大于10%不得分"."""
    options = profile.options
    if not part.rated:
        return part.rule.words_formula(part, value, options)
    spec, rule = RATES[part.rate], part.rule
    x = f"ROUND({value},{options.rate_places})"
    label = text(spec.label)
    pct = percent(x)
    words = rule.words_formula(part, x, options)
    if isinstance(spec, IdentitySpec):  # the working is the rate itself: said once
        working = percent(f"ROUND({value},4)")  # fmt_pct rounds half-up; TEXT of a binary 0.95625 gives 95.62%
        line = f'IF({working}={pct},{label}&"="&{pct},{label}&"="&{working}&"×100%="&{pct})&"，"&{words}'
    else:
        line = f'{label}&"="&{spec.working_formula(options)}&"×100%="&{pct}&"，"&{words}'
    specials = []
    for which, what, test in ((BOTH_ZERO, "分子分母均为0（无此项）", f'{value}="{NOT_APPLICABLE}"'),
                              (ZERO_BASE, "分母为0", f'LEFT({value},{len(DIV0)})="{DIV0}"')):
        said = rule.special_words_formula(part, which, options)  # type: ignore[attr-defined]
        specials.append((test, "NA()" if said is None else f'{text(f"{spec.label}：{what}，")}&{said}'))
    return f"IF(ISNUMBER({value}),{line},IF({specials[0][0]},{specials[0][1]},IF({specials[1][0]},{specials[1][1]},NA())))"


def _ref(column: int, row: int) -> str:
    return f"'{L.CALC}'!${L.col(column)}${row}"


def basis_formula(ind: Indicator, profile: Profile, layout: L.Layout) -> str:
    """评分依据 of one indicator as ``score_indicator`` words it."""
    row = L.row_of(ind.no)
    cut = {p.id: _ref(layout.FIRST_SUB + layout.subitems.index(p.id), row) for p in ind.finding_parts}
    whole = _ref(layout.FIRST_SUB + layout.subitems.index(WHOLE), row)
    score, points = _ref(layout.native_score, row), _ref(layout.native_points, row)
    several = len(ind.parts) > 1
    lines = []
    for part, column in zip(ind.value_parts, (layout.native_value1, layout.native_value2), strict=False):
        line = _value_line(part, _ref(column, row), profile)
        lines.append(f"{text(part.id)}&{line}" if several else line)
    values = '&"；"&'.join(lines)
    pieces = [f'"；"&{line}' for line in lines]
    for part in ind.finding_parts:
        if part.rule.vetoes:
            continue  # said alone, before everything else (below)
        capped = "" if ind.shared_cap else \
            f'&IF(ROUND({cut[part.id]},9)>{num(part.full)},{text(f"，该子项扣完为止，实扣{fmt_num(part.full)}分")},"")'
        pieces.append(f'IF({cut[part.id]}>0,{text("；" + part.shown)}&{_why(ind, part)}&"，扣"&{shown(cut[part.id])}&"分"{capped},"")')
    if not ind.shared_cap and several and ind.finding_parts:
        free = {p.id: f"({cut[p.id]}<=0)" for p in ind.finding_parts}
        count = "+".join(free.values())
        kept = "+".join(f"{free[p.id]}*{num(p.full)}" for p in ind.finding_parts)
        one = "&".join(f'IF({free[p.id]},{text(f"{p.shown}{p.label}，")},"")' for p in ind.finding_parts)
        many = "&".join(f'IF({free[p.id]},{text(p.shown)},"")' for p in ind.finding_parts)
        pieces.append(f'IF({count}>0,"；"&IF({count}=1,{one},{many})&"未发现不符合要求的情形，计"&{shown(kept)}&"分","")')
    pieces.append(f'IF({whole}>0,"；"&{_why(ind, None)}&"，扣"&{shown(whole)}&"分","")')
    total = "+".join(([points] if ind.value_parts else [])
                     + ([num(ind.weight)] if ind.shared_cap else [p.rule.formula(p, cut[p.id], profile.options)
                                                                   for p in ind.finding_parts])) or "0"
    # a shared cap takes every sub-item's deduction from the indicator's points, as the whole one
    deducted = "+".join([*(cut[p.id] for p in ind.finding_parts if ind.shared_cap), whole])
    t, dd = f"ROUND({total},9)", f"ROUND({deducted},9)"
    over = f"OR(AND({dd}>{t},{t}>0)" + (f",{dd}>{num(ind.weight)})" if ind.shared_cap else ")")
    pieces.append(f'IF({over},"；合计扣"&{shown(deducted)}&"分，扣完为止，实扣"&{shown(f"MIN({total},{num(ind.weight)})")}&"分","")')
    # MID drops the first piece's "；"; as long as a cell's text can be, so long 事由 are not cut
    body = f'MID({"&".join(pieces)},2,{MAX_CELL_TEXT})'
    if not ind.value_parts:
        eventful = f"OR({','.join(f'{cut[p.id]}>0' for p in ind.finding_parts)},{whole}>0)"
        body = f"IF({eventful},{body},{text(NOTHING_FOUND)})"
    sentence = f'{body}&"，得"&{shown(score)}&"分"'
    for part in reversed([p for p in ind.finding_parts if p.rule.vetoes]):
        sentence = (f'IF({cut[part.id]}>0,{text(part.shown)}&{_why(ind, part)}&"，发生1例本指标全扣，得0分",'
                    f"{sentence})")
    for cond in reversed(ind.zero_if):
        _value, zero = N._condition(cond, profile, layout)
        # the same test as the score's, its cells on 指标计算 named from this sheet
        zero = zero.replace(f"${L.col(layout.native_value1)}$", f"'{L.CALC}'!${L.col(layout.native_value1)}$")
        sentence = f'IF({zero},{values}&"；"&{text(cond.label)}&"，得0分",{sentence})'
    return f'=IF({score}="",{text(NOT_YET)},IFERROR({sentence},{text(NOT_YET)}))'


def reasons_formula(ind: Indicator) -> str:
    """扣分事由及佐证材料: the indicator's rows' 事由（佐证：…）, joined by "；"."""
    return "=" + _joined_for(f"{ind.no}|", "记录")


def note_cells(profile: Profile, version: str) -> dict[tuple[str, str], str]:
    """(sheet, cell) -> formula of the live 评分说明 (评分依据, 扣分事由) and its 扣分记录 helpers."""
    layout = L.Layout(profile, version)
    out: dict[tuple[str, str], str] = {}
    for ind in profile.indicators:
        row = L.row_of(ind.no)
        out[(L.NOTES, L.at(L.NOTES_BASIS, row))] = basis_formula(ind, profile, layout)
        out[(L.NOTES, L.at(L.NOTES_REASONS, row))] = reasons_formula(ind)
    for row in range(L.FINDINGS_FIRST, L.FINDINGS_LAST + 1):
        for letter, formula in reason_cells(row).items():
            out[(L.FINDINGS, f"{letter}{row}")] = formula
    return out


def noted(reason: str, evidence: str) -> str:
    """One 扣分记录 row in 扣分事由及佐证材料, as ``preval score`` writes it."""
    return reason + (f"（佐证：{evidence}）" if evidence else "")


def note_values(profile: Profile, ev: Evaluation, rows: Sequence[tuple[int, tuple]]) -> dict[tuple[str, str], object]:
    """What every cell of ``note_cells`` shows right after ``preval score`` (saved beside the
    formulas): the engine's 评分依据 and findings, and the helpers' running joins for the filled
    扣分记录 ``rows`` ((row, values), as Case.findings), by ``finding_rows.walk``'s reading
    (``reason_values``)."""
    out = reason_values(profile, rows)
    for result in ev.indicators:
        row = L.row_of(result.no)
        out[(L.NOTES, L.at(L.NOTES_BASIS, row))] = result.basis
        out[(L.NOTES, L.at(L.NOTES_REASONS, row))] = "；".join(noted(f.reason, f.evidence) for f in result.findings)
    return out


def reason_values(profile: Profile, rows: Sequence[tuple[int, tuple]]) -> dict[tuple[str, str], object]:
    """What the 扣分记录 reason helpers (``reason_cells``) show for the filled ``rows``."""
    out: dict[tuple[str, str], object] = {}
    columns, filled = reason_columns(), dict(rows)
    every = ((row, tuple(filled.get(row, (None,) * 5))) for row in range(L.FINDINGS_FIRST, L.FINDINGS_LAST + 1))
    seen: dict[str, list[str]] = {}  # key -> the joined words so far
    at = {k: L.FINDINGS_COLUMNS[k] - 1 for k in ("事由", "佐证材料")}
    for r, _before in finding_rows.walk(profile, every):
        reason, evidence = (trimmed(general((r.values + (None,) * 5)[at[k]])) for k in ("事由", "佐证材料"))
        counted = finding_rows.key(r)
        cells: dict[str, object] = {"事由文本": reason, "佐证文本": evidence}
        for key_name, which, key, word in (
                ("事由键", "事由", f"{counted[0]}|{counted[1]}" if counted and reason else "", reason),
                ("记录键", "记录", f"{counted[0]}|" if counted else "", noted(reason, evidence))):
            cells[key_name] = key
            if not key:
                cells.update({f"{which}序号": "", f"{which}序键": "", f"{which}累计": ""})
                continue
            words = seen.setdefault(key, [])
            words.append(word)
            cells.update({f"{which}序号": float(len(words)), f"{which}序键": f"{key}{SEP}{len(words)}",
                          f"{which}累计": ("、" if which == "事由" else "；").join(words)})
        for name, value in cells.items():
            out[(L.FINDINGS, f"{columns[name]}{r.row}")] = value
    return out
