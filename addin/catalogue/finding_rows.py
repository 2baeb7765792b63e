"""The checks of one 扣分记录 row (V301–V308), stated once for both doors: ``read_row`` and
``said`` are what ``preval validate`` reports on a row (addin.checks.findings), ``row_cells``
the formulas of the row's 实时校验 cell and its hidden helpers (template 0.9), which say the
same ids and words in the same order where preval does not run.
The profile's indicators, sub-items and caps are written into the formulas as array constants:
a workbook scored by another profile gets new formulas, as its other computed cells do.

How a row is read, in both (udfs.inputs states the reading of text):
- 指标: its text (a number as ``&`` writes it) trimmed; ascii digits (at most 15) name the
  indicator by its number, other text by its name or an alias, exactly; anything but the name
  itself is V308 (the score formulas' SUMIFS count only the dropdown's spelling);
- 子项: read by ``normalize_subitem``; anything but that reading itself is V308;
- 扣分: as a worksheet formula reads a number (udfs.money.cell_number), a text's spelling of a
  number by one_cell's helper cells;
- 事由: missing when nothing but spaces (``one_cell._blank``);
- a row counts toward a sub-item's sum (V307) once V301–V303 pass.
V306 (an amount other than the rubric's) is each deductive rule kind's ``fits`` and
``fits_formula`` (udfs.rules), worded by its ``rubric_amounts``.
An error value (#N/A) is read as its code, as the readers hand it over; Excel 365's newer
codes (#SPILL! …) show as #N/A in the formulas.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from addin.catalogue import CATALOGUE, ERROR, HINT
from addin.catalogue.one_cell import _blank, _spells, digits_out_formula, number_text_formula
from addin.catalogue.wording import quoted
from udfs.errors import NotANumber, TextNumber
from udfs.inputs import CIRCLED, SPACES, WHOLE_SPELLINGS, normalize_subitem, small_number, trimmed
from udfs.money import MAX_ABS, ZERO, cell_number, fmt_num, general
from udfs.profile import WHOLE, Indicator, Part, Profile

LIVE_IDS = ("V301", "V302", "V303", "V304", "V305", "V306", "V307", "V308")
JOIN = "；"  # between two findings in one 实时校验 cell, as on the input sheets
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")  # by ERROR.TYPE


def cap(ind: Indicator, part: Part | None) -> Decimal:
    """What a row's deductions may take at most: the sub-item's points, else the indicator's."""
    if part is None or ind.shared_cap or part.points is None:
        return ind.weight
    return part.points


def _parts(profile: Profile) -> list[tuple[str, Indicator, Part]]:
    """The sub-items a row may name, as the formulas key them ("14|⑤"), in the profile's order."""
    return [(f"{i.no}|{p.shown}", i, p) for i in profile.indicators for p in i.parts if not p.quantitative]


def _keys(profile: Profile) -> dict[str, int]:
    """What names an indicator, by its number: its name and aliases (a later one wins, as in
    Profile.indicator)."""
    return {name: ind.no for ind in profile.indicators for name in (ind.name, *ind.aliases)}


def indicator_of(profile: Profile, raw: object) -> Indicator | None:
    key = trimmed(general(raw))
    number = small_number(key)
    no = number if number is not None else _keys(profile).get(key)
    return next((ind for ind in profile.indicators if ind.no == no), None)


def reason_missing(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and trimmed(raw) == "")


@dataclass(frozen=True)
class Row:
    """One 扣分记录 row as read for its checks."""
    row: int
    values: tuple
    ind: Indicator | None
    points: str  # "" a number, "text" text spelling a number, "bad" anything else
    amount: Decimal
    subitem: str
    part: Part | None
    part_no: int = 0  # the part's place in ``_parts`` from 1 (0: the whole indicator, or none)

    @property
    def deductible(self) -> bool:
        return self.ind is not None and self.ind.deductible(self.subitem)

    @property
    def fatal(self) -> bool:
        """V301, V303 or V302: the row names nothing it can take points from."""
        return self.ind is None or self.points != "" or not self.deductible

    @property
    def cap(self) -> Decimal:
        assert self.ind is not None
        return cap(self.ind, self.part)

    @property
    def rubric(self) -> str:
        """The rubric's amounts when the row's is not one of them (V306; not where V304 says
        more, nor on a veto)."""
        if self.fatal or self.part is None or self.part.rule.vetoes or self.over_cap:
            return ""
        return self.part.rule.differs(self.part, self.amount)

    @property
    def over_cap(self) -> bool:
        """One row past the cap is scored as rows adding past it are: 扣完为止 (a veto zeroes
        the indicator whatever the amount)."""
        return self.amount > self.cap and not (self.part is not None and self.part.rule.vetoes)


def read_row(profile: Profile, row: int, values: tuple) -> Row:
    indicator, subitem, points = (tuple(values) + (None,) * 5)[:3]
    ind = indicator_of(profile, indicator)
    state, amount = "", ZERO
    try:
        number = cell_number(points)
    except TextNumber:
        state = "text"
    except NotANumber:
        state = "bad"
    else:
        if number is None or number < 0:
            state = "bad"
        else:
            amount = number
    sub = normalize_subitem(subitem)
    part = ind.chosen(sub) if ind else None
    part_no = next((n for n, (_k, _i, p) in enumerate(_parts(profile), start=1) if p is part), 0) if part else 0
    return Row(row, tuple(values), ind, state, amount, sub, part, part_no if part and not part.quantitative else 0)


def _texts(r: Row, before: Decimal) -> dict[str, str]:
    """What the words quote, by slot (``WORDS``); ``before``: the row's sub-item's sum above it."""
    indicator, subitem, points = (r.values + (None,) * 5)[:3]
    out = {"row": str(r.row), "shown": "（空）" if indicator in (None, "") else general(indicator)[:60],
           "indicator": general(indicator), "subitem_typed": general(subitem), "points": general(points),
           "sub": r.subitem}
    if r.ind is not None:
        out["name"] = r.ind.name
        out["part"] = r.subitem if r.part is not None else ""
        if r.deductible:
            out["cap"], out["total"], out["rubric"] = fmt_num(r.cap), fmt_num(before + r.amount), r.rubric
    return out


WORDS: dict[str, tuple[str, ...]] = {  # a slot is "{name}"; the rest is literal
    "V301": ("第", "{row}", "行的指标“", "{shown}", "”不在指标体系中"),
    "V303 text": ("第", "{row}", "行（", "{name}", "）的扣分是文本格式的数字（“", "{points}", "”），工作簿公式不计入，请转换为数字"),
    "V303": ("第", "{row}", "行（", "{name}", "）的扣分应为不小于0的数字"),
    "V302": ("第", "{row}", "行：", "{name}", "没有可扣分的子项“", "{sub}", "”"),
    "V308 指标": ("第", "{row}", "行的指标写作“", "{indicator}", "”，请从下拉列表选择“", "{name}", "”"),
    "V308 子项": ("第", "{row}", "行的子项写作“", "{subitem_typed}", "”，请从下拉列表选择“", "{sub}", "”"),
    "V304": ("第", "{row}", "行：", "{name}", "{part}", "最多", "{cap}", "分，本行扣", "{points}", "分，按扣完为止计（扣",
             "{cap}", "分）"),
    "V305": ("第", "{row}", "行（", "{name}", "扣", "{points}", "分）没有写事由"),
    "V306": ("第", "{row}", "行（", "{name}", "{sub}", "）：评分标准为", "{rubric}", "，本行扣", "{points}", "分（按填写的扣分计算）"),
    "V307": ("{name}", "{part}", "扣分合计", "{total}", "分，超过分值", "{cap}", "分，按扣完为止计"),
}


def _slot(part: str) -> str | None:
    return part[1:-1] if part.startswith("{") and part.endswith("}") else None


def _say(key: str, column: str, texts: dict[str, str]) -> tuple[str, str, str]:
    return key[:4], column, "".join(texts[s] if (s := _slot(p)) else p for p in WORDS[key])


def said(r: Row, before: Decimal) -> list[tuple[str, str, str]]:
    """(id, 扣分记录 column, message) of what fires on the row, in order."""
    texts = _texts(r, before)
    if r.ind is None:
        return [_say("V301", "指标", texts)]
    if r.points:
        return [_say("V303 text" if r.points == "text" else "V303", "扣分", texts)]
    if not r.deductible:
        return [_say("V302", "子项", texts)]
    indicator, subitem = (r.values + (None,) * 5)[:2]
    out = []
    if indicator != r.ind.name:
        out.append(_say("V308 指标", "指标", texts))
    if subitem not in (None, "") and subitem != r.subitem:
        out.append(_say("V308 子项", "子项", texts))
    if r.over_cap:
        out.append(_say("V304", "扣分", texts))
    if reason_missing(r.values[3] if len(r.values) > 3 else None):
        out.append(_say("V305", "事由", texts))
    if r.rubric:
        out.append(_say("V306", "扣分", texts))
    if before <= r.cap < before + r.amount and not r.over_cap:  # the row that takes the sum past the cap
        out.append(_say("V307", "扣分", texts))
    return out


def key(r: Row) -> tuple[int, str] | None:
    """The sub-item a row's amount adds to (V307), once V301–V303 pass."""
    return None if r.fatal or r.ind is None else (r.ind.no, r.subitem)


def walk(profile: Profile, rows: Iterable[tuple[int, tuple]]) -> Iterator[tuple[Row, Decimal]]:
    """Each row read, with its sub-item's sum of the rows above it (V307's ``before``): the
    running sum validate reports from and the live cells' saved values are made of."""
    sums: dict[tuple[int, str], Decimal] = {}
    for row, values in rows:
        r = read_row(profile, row, values)
        k = key(r)
        before = sums.get(k, ZERO) if k else ZERO
        if k:
            sums[k] = before + r.amount
        yield r, before


# ---------------------------------------------------------------- the same checks as formulas

# the hidden helper columns of a 扣分记录 row, right of 实时校验 (layout.FINDINGS_LIVE_COLUMN)
HELPERS = ("指标文本", "指标键", "指标序号", "指标名称", "子项文本", "子项键", "子项去括号", "子项", "分值", "扣分文本", "扣分文本余",
           "扣分状态", "计入键", "计入扣分", "之前合计", "部分序号", "评分标准扣分", "错误数", "提示数")


def _array(values) -> str:
    return "{" + ",".join(quoted(v) if isinstance(v, str) else general(v) for v in values) + "}"


def _text_of(ref: str) -> str:
    """general(): an error as its code, TRUE/FALSE, a number as & writes it."""
    codes = ",".join(quoted(c) for c in ERROR_CODES)
    return (f"IF(ISERROR({ref}),CHOOSE(MIN(ERROR.TYPE({ref}),{len(ERROR_CODES)}),{codes}),"
            f'IF(ISLOGICAL({ref}),IF({ref},"TRUE","FALSE"),{ref}&""))')


def _trimmed(ref: str) -> str:
    expr = ref
    for c in SPACES:
        expr = f'SUBSTITUTE({expr},{f"CHAR({ord(c)})" if ord(c) < 128 else quoted(c)}," ")'
    return f"TRIM({expr})"


def _small_number(ref: str) -> str:
    """small_number's test: 1–15 ascii digits."""
    rest = ref
    for d in "0123456789":
        rest = f'SUBSTITUTE({rest},"{d}","")'
    return f"AND(LEN({ref})>0,LEN({ref})<=15,LEN({rest})=0)"


def _unbracketed(ref: str) -> str:
    """normalize_subitem's brackets: one ( （ off the front, then one ) ） off the end (the
    test is a number: Excel ranks TRUE above every number in a comparison)."""
    front = f'(OR(LEFT({ref})="(",LEFT({ref})="（")*1)'
    back = f'IF(LEN({ref})>{front},OR(RIGHT({ref})=")",RIGHT({ref})="）")*1,0)'
    return f"MID({ref},1+{front},LEN({ref})-{front}-{back})"


_CHOOSE_MAX = 29  # LibreOffice's CHOOSE takes 30 arguments (Err:508 beyond); Excel's 254


def _pick(index: str, items: list[str], offset: int = 0) -> str:
    """CHOOSE(index, items…) in pieces LibreOffice accepts."""
    if len(items) <= _CHOOSE_MAX:
        at = f"{index}-{offset}" if offset else index
        return f"CHOOSE({at},{','.join(items)})"
    head = _pick(index, items[:_CHOOSE_MAX], offset)
    return f"IF({index}<={offset + _CHOOSE_MAX},{head},{_pick(index, items[_CHOOSE_MAX:], offset + _CHOOSE_MAX)})"


def _exact_in(ref: str, values) -> str:
    return f"SUMPRODUCT(EXACT({ref},{_array(values)})*1)"


def row_cells(profile: Profile, row: int, columns: dict[str, str], cells: tuple[str, ...], first: int) -> dict[str, str]:
    """Column letter -> formula of the row's live cells: ``columns`` the helper name (and
    "实时校验") -> letter, ``cells`` the row's letters 指标 子项 扣分 事由 佐证材料, ``first``
    the first 扣分记录 row (where the sums above start)."""
    a, b, c, d, e = (f"{x}{row}" for x in cells)
    h = {name: f"{letter}{row}" for name, letter in columns.items()}
    inds = profile.indicators
    assert [i.no for i in inds] == list(range(1, len(inds) + 1)), "_pick reads indicators by number"
    keys = _keys(profile)
    listed = _parts(profile)
    parts = {k: (cap(i, p), p.rule.vetoes) for k, i, p in listed}
    vetoes = [k for k, (_, veto) in parts.items() if veto]
    nos = [i.no for i in inds]
    key_, unbracketed = h["指标键"], h["子项去括号"]
    by_number = f"SUMPRODUCT((VALUE({key_})={_array(nos)})*{_array(nos)})"
    by_name = f"SUMPRODUCT(EXACT({key_},{_array(keys)})*{_array(keys.values())})"
    number = f"VALUE({unbracketed})"
    circled = f"IF(AND({number}>=1,{number}<={len(CIRCLED)}),MID({quoted(CIRCLED)},{number},1),{unbracketed})"
    out = {
        "指标文本": _text_of(a),
        "指标键": _trimmed(h["指标文本"]),
        "指标序号": f'IF({key_}="",0,IF({_small_number(key_)},{by_number},{by_name}))',
        "指标名称": f'IF({h["指标序号"]}=0,"",{_pick(h["指标序号"], [quoted(i.name) for i in inds])})',
        "子项文本": _text_of(b),
        "子项键": _trimmed(h["子项文本"]),
        "子项去括号": _unbracketed(h["子项键"]),
        "子项": (f'IF({_exact_in(unbracketed, WHOLE_SPELLINGS)}>0,{quoted(WHOLE)},'
               f"IF({_small_number(unbracketed)},{circled},{unbracketed}))"),
    }
    part_key = f'{h["指标序号"]}&"|"&{h["子项"]}'
    weights, caps = _pick(h["指标序号"], [general(i.weight) for i in inds]), _array(v[0] for v in parts.values())
    out["分值"] = (f'IF({h["指标序号"]}=0,-1,IF({h["子项"]}={quoted(WHOLE)},{weights},'
                 f'IF({_exact_in(part_key, parts)}=0,-1,SUMPRODUCT(EXACT({part_key},{_array(parts)})*{caps}))))')
    out["扣分文本"] = number_text_formula(c)[1:]
    out["扣分文本余"] = digits_out_formula(h["扣分文本"])[1:]
    out["扣分状态"] = (f'IF(ISERROR({c}),2,IF({_blank(c)},2,IF(ISLOGICAL({c}),2,IF(ISTEXT({c}),'
                   f'IF({_spells(h["扣分文本"], h["扣分文本余"])},1,2),IF(OR(ABS({c})>{MAX_ABS},{c}<0),2,0)))))')
    out["计入键"] = f'IF(AND({h["指标序号"]}>0,{h["扣分状态"]}=0,{h["分值"]}>=0),{part_key},"")'
    out["计入扣分"] = f'IF({h["计入键"]}="",0,{c})'
    if row == first:
        out["之前合计"] = "0"
    else:
        keys_above, amounts_above = (f"${columns[n]}${first}:${columns[n]}${row - 1}" for n in ("计入键", "计入扣分"))
        out["之前合计"] = f'SUMPRODUCT(({keys_above}={h["计入键"]})*{amounts_above})'
    veto = f"{_exact_in(part_key, vetoes)}=0" if vetoes else ""
    over = f'AND({c}>{h["分值"]}' + (f",{veto})" if veto else ")")
    idx = h["部分序号"]
    out["部分序号"] = f'IF({h["分值"]}<0,0,SUMPRODUCT(EXACT({part_key},{_array(parts)})*{_array(range(1, len(listed) + 1))}))'
    fits = _pick(idx, [p.rule.fits_formula(p, c) or "1" for _k, _i, p in listed])
    words = _pick(idx, [quoted(p.rule.rubric_amounts(p)) for _k, _i, p in listed])
    fine = f"AND({idx}>0,NOT({over}))" + (f"*({veto})" if veto else "")
    out["评分标准扣分"] = (f'IF(AND({h["指标序号"]}>0,{h["扣分状态"]}=0,{h["分值"]}>=0),IF({fine},IF({fits},"",{words}),""),"")')
    fills = "+".join(f"IF(ISERROR({x}),1,LEN({x}&\"\"))" for x in (c, d, e))
    filled = f'LEN({h["指标文本"]}&{h["子项文本"]})+{fills}>0'
    ok = f'AND({h["指标序号"]}>0,{h["扣分状态"]}=0,{h["分值"]}>=0)'
    v308a = f'NOT(EXACT({h["指标文本"]},{h["指标名称"]}))'
    v308b = f'AND({h["子项文本"]}<>"",NOT(EXACT({h["子项文本"]},{h["子项"]})))'
    v305 = f"AND(NOT(ISERROR({d})),{_blank(d)})"
    before = f'ROUND({h["之前合计"]},9)'
    v307 = f'AND({before}<={h["分值"]},{h["分值"]}<ROUND({h["之前合计"]}+{c},9),NOT({over}))'
    slots = {"row": str(row), "shown": f'IF({h["指标文本"]}="","（空）",LEFT({h["指标文本"]},60))', "indicator": h["指标文本"],
             "subitem_typed": h["子项文本"], "points": f"{c}&\"\"", "sub": h["子项"], "name": h["指标名称"],
             "part": f'IF({h["子项"]}={quoted(WHOLE)},"",{h["子项"]})', "cap": f'{h["分值"]}&""',
             "total": f'({h["之前合计"]}+{c})&""', "rubric": h["评分标准扣分"]}

    def says(word: str, lead: str = "") -> str:  # lead: JOIN before all but the first, which MID drops
        pieces = [quoted(lead + word[:4] + " ")]
        for p in WORDS[word]:
            pieces.append(slots[s] if (s := _slot(p)) else quoted(p))
        return "&".join(pieces)

    fatal = (f'IF({h["指标序号"]}=0,{says("V301")},IF({h["扣分状态"]}=1,{says("V303 text")},IF({h["扣分状态"]}=2,{says("V303")},'
             f'IF({h["分值"]}<0,{says("V302")},""))))')
    rest = "&".join(f'IF({cond},{says(word, JOIN)},"")' for cond, word in (
        (v308a, "V308 指标"), (v308b, "V308 子项"), (over, "V304"), (v305, "V305"), (f'{h["评分标准扣分"]}<>""', "V306"),
        (v307, "V307")))
    out["实时校验"] = f'IF({filled},IF({ok},MID({rest},2,4000),{fatal}),"")'
    out["错误数"] = f"IF({filled},IF({ok},({v308a})+({v308b})+({v305}),1),0)"
    out["提示数"] = f'IF(AND({filled},{ok}),({over})+({h["评分标准扣分"]}<>"")+({v307}),0)'
    return {columns[name]: "=" + formula for name, formula in out.items()}


def row_values(r: Row, before: Decimal) -> dict[str, object]:
    """What the row's live cells show (``row_cells``), by the Python reading: the helper name
    (and "实时校验") -> value. The spelling helpers of 扣分 are "" (what they hold for a number)."""
    indicator, subitem = (r.values + (None,) * 5)[:2]
    sub_key = trimmed(general(subitem))
    unbracketed = sub_key[1:] if sub_key.startswith(("(", "（")) else sub_key
    unbracketed = unbracketed[:-1] if unbracketed.endswith((")", "）")) else unbracketed
    counted = key(r)
    fired = said(r, before) if any(v not in (None, "") for v in r.values) else []
    out: dict[str, object] = {
        "指标文本": general(indicator), "指标键": trimmed(general(indicator)), "指标序号": r.ind.no if r.ind else 0,
        "指标名称": r.ind.name if r.ind else "", "子项文本": general(subitem), "子项键": sub_key, "子项去括号": unbracketed,
        "子项": r.subitem, "分值": float(r.cap) if r.ind is not None and r.deductible else -1, "扣分文本": "", "扣分文本余": "",
        "扣分状态": {"": 0, "text": 1, "bad": 2}[r.points], "计入键": f"{counted[0]}|{counted[1]}" if counted else "",
        "计入扣分": float(r.amount) if counted else 0, "之前合计": float(before), "部分序号": r.part_no,
        "评分标准扣分": r.rubric,
        "错误数": sum(CATALOGUE[i].severity == ERROR for i, _c, _m in fired),
        "提示数": sum(CATALOGUE[i].severity == HINT for i, _c, _m in fired),
        "实时校验": JOIN.join(f"{i} {m}" for i, _c, m in fired)}
    return out
