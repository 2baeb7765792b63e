"""The checks of one input cell (V1xx), stated once for both doors: ``findings`` is what
``preval validate`` reports on a cell, ``live_formula`` the worksheet formula of the cell's
实时校验 neighbour (template 0.9), which says the same — id, words, order — where preval does
not run (WPS, LibreOffice, macro-blocked Excel). The words are ``wording``'s, one statement
rendered twice; the conditions are written side by side, each formula beside its test.

V103 (a formula in an input cell) is Python's only: ISFORMULA is missing from Excel 2010.
Where a formula cannot read a cell as Python does, the difference is named at the formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from addin.catalogue import CATALOGUE, ERROR
from addin.catalogue.wording import CELL, CELL_PERCENT, CELL_YI, Wording, quoted
from udfs.contract import BY_NAME, CHOICE, COUNT, MONEY, POINTS, RATE, TEXT, YEAR
from udfs.errors import InputError
from udfs.inputs import TEXT_NUMBER, convert
from udfs.money import MAX_ABS

YUAN_SUSPECT = Decimal(500000)  # 万元: 50亿元; above it a figure was most likely typed in 元
LIVE_IDS = ("V101", "V102", "V104", "V105", "V106", "V107", "V108", "V109", "V110", "V111")
NUMBER_KINDS = (MONEY, COUNT, RATE, POINTS, YEAR)


def expected_text(spec) -> str:
    if spec.kind == CHOICE:
        return "/".join(spec.choices)
    if spec.signed:
        return "金额（万元，可为负数）"
    return {MONEY: "不小于0的金额（万元）", COUNT: "不小于0的整数", RATE: "0%–100%的比率",
            YEAR: "四位年份", TEXT: "文字", POINTS: "0–100的分数"}[spec.kind]


_BEFORE, _AFTER = TEXT_NUMBER.split("{raw}")


def wording(check_id: str, spec) -> Wording:
    """The message of ``check_id`` on the input ``spec``, for the check and its live cell."""
    name = spec.name
    return {
        "V101": lambda: Wording(f"请填写{name}（{spec.label}）"),
        "V102": lambda: Wording(f"{name}应为{expected_text(spec)}"),
        "V104": lambda: Wording(f"{name}不能为负数"),
        "V105": lambda: Wording(f"{name}应从下拉列表选择"),
        "V106": lambda: Wording(f"{name}应为{expected_text(spec)}"),
        "V107": lambda: Wording(f"{name}填的是 ", CELL, "，应为百分比 ", CELL, "%（单元格中输入 ", CELL, "% 或 ",
                                CELL_PERCENT, "）"),
        "V108": lambda: Wording(f"{name}为 ", CELL, " 万元（", CELL_YI, " 亿元），是否按元填写了？"),
        "V109": lambda: Wording("问卷份数为 ", CELL, " 份，少于评分标准要求的30份"),
        "V110": lambda: Wording(f"{name}应为整数"),
        "V111": lambda: Wording(f"{name}：{_BEFORE}", CELL, _AFTER),
    }[check_id]()


@dataclass(frozen=True)
class Finding:
    id: str
    message: str
    expected: str


def required(spec, needed: bool) -> bool:
    """``needed``: an optional input the rubric scores on (项目预算 for 项目资金执行率). An
    amount a budget may not have (追加, 上年结转 …) counts 0 when blank, everywhere."""
    return not spec.blank_is_zero and (spec.required or needed)


def findings(name: str, raw: object, needed: bool = False) -> tuple[list[Finding], object]:
    """What is wrong with input ``name`` holding ``raw`` (at most one 错误, else 提示), and its
    value when it can be used. ``live_formula`` states the same checks in the same order."""
    spec = BY_NAME[name]
    want = expected_text(spec)

    def found(check_id: str, expected: str = want) -> Finding:
        return Finding(check_id, wording(check_id, spec).text(raw), expected)

    if isinstance(raw, str) and raw.startswith("="):
        return [Finding("V103", f"{name}填的是公式，请改为数值本身", want)], None
    try:
        value = convert(name, raw)
    except InputError as exc:
        if exc.text_number:
            return [found("V111")], None
        return [found("V106" if spec.kind == YEAR else "V102")], None
    if value is None:  # an empty or blank cell
        return ([found("V101")] if required(spec, needed) else []), None
    if spec.kind == CHOICE and value not in spec.choices:
        return [found("V105")], None
    if not isinstance(value, Decimal):  # text, a choice, a year: nothing more to check
        return [], raw
    fired = [check_id for test, check_id, _formula in _number_tests(spec) if test(value)]
    wrong = [check_id for check_id in fired if CATALOGUE[check_id].severity == ERROR]
    if wrong:
        return [found(wrong[0], "0%–100%" if wrong[0] == "V107" else want)], None
    return [found(check_id, {"V108": "万元", "V109": "不少于30"}[check_id]) for check_id in fired], raw


def _number_tests(spec):
    """(test on the value, id, the same test as a formula on the cell "{}") of a number
    input, in the order they are tried; a YEAR's whole-number test is ``convert``'s."""
    tests = []
    if spec.kind == YEAR:
        tests.append((lambda v: False, "V106", "{0}<>INT({0})"))
    elif not spec.signed:
        tests.append((lambda v: v < 0, "V104", "{0}<0"))
    if spec.kind == RATE:
        tests.append((lambda v: Decimal(1) < v <= Decimal(100), "V107", "AND({0}>1,{0}<=100)"))
    if spec.kind == COUNT:
        tests.append((lambda v: v != v.to_integral_value(), "V110", "{0}<>INT({0})"))
    if spec.kind == MONEY:
        tests.append((lambda v: v > YUAN_SUSPECT, "V108", "{0}>" + str(YUAN_SUSPECT)))
    if spec.name == "问卷份数":
        tests.append((lambda v: v < 30, "V109", "{0}<30"))
    return tests


# ---------------------------------------------------------------- the same checks as formulas

_CONTROLS = ("CHAR(9)", "CHAR(10)", "CHAR(13)")
# what udfs.money.spells_number reads past: NFKC's full-width forms, then separators. Other
# Unicode digits (Arabic-Indic, mathematical) and a tab inside the digits are read as a number's
# spelling by Python and not by the formula: both say 错误, under V111 and V102.
_FULL_WIDTH = {chr(0xFF10 + d): str(d) for d in range(10)} | {"．": ".", "＋": "+", "－": "-", "ｅ": "e", "Ｅ": "e"}
_SEPARATORS = (",", "，", "_", "＿", " ", "\u00a0", "\u3000", "'", "＇", "’", "%", "％")
_DIGITS = tuple("0123456789")


def _substitute(expr: str, pairs) -> str:
    for old, new in pairs:
        old = old if old.startswith("CHAR(") else quoted(old)
        expr = f"SUBSTITUTE({expr},{old},{quoted(new)})"
    return expr


def _blank(ref: str) -> str:
    """Empty, or only spaces and the like: what ``convert`` reads as an empty cell (str.strip)."""
    spaces = [(c, " ") for c in (*_CONTROLS, "\u00a0", "\u3000")]
    return f"LEN(TRIM({_substitute(ref, spaces)}))=0"


def number_text_formula(ref: str) -> str:
    """The first helper cell beside a number input (hidden): the cell's text as
    ``spells_number`` reads it — full-width forms made plain, separators gone, lower case,
    "e+"/"e-" as "e" — or "" for a cell that holds no text."""
    plain = _substitute(ref, [*_FULL_WIDTH.items(), *((s, "") for s in (*_SEPARATORS, *_CONTROLS))])
    return f'=IF(ISTEXT({ref}),{_substitute(f"LOWER({plain})", [("e+", "e"), ("e-", "e")])},"")'


def digits_out_formula(text_ref: str) -> str:
    """The second helper cell: that text without its digits (what is left must be a number's
    punctuation, in a number's order)."""
    return "=" + _substitute(text_ref, [(d, "") for d in _DIGITS])


def _spells(text: str, rest: str) -> str:
    """Whether the helper cells' text spells a number (``Decimal`` would read it), from the
    text and the text without digits: a digit; only ".", "e" and signs besides; at most one
    "." and one "e"; a sign only first; with an "e", a digit before it and only digits after."""
    def count(char: str) -> str:
        return f'LEN({text})-LEN(SUBSTITUTE({text},"{char}",""))'

    signs = f'LEN({text})-LEN(SUBSTITUTE(SUBSTITUTE({text},"+",""),"-",""))'
    leading = f'OR(LEFT({text})="+",LEFT({text})="-")'
    exponent = (f'IF(ISNUMBER(FIND("e",{text})),AND(FIND("e",{text})>FIND("e",{rest}),RIGHT({rest})="e",'
                f'RIGHT({text})<>"e"),LEN({text})>0)')  # not TRUE: LibreOffice saves it as TRUE()
    return (f"AND(LEN({text})>LEN({rest}),LEN({_substitute(rest, [(c, '') for c in '.e+-'])})=0,"
            f"{count('.')}<=1,{count('e')}<=1,{signs}<=IF({leading},1,0),{exponent})")


def live_formula(name: str, ref: str, helpers: tuple[str, str], needed: bool = False) -> str | None:
    """The 实时校验 cell of input ``name`` at ``ref``: "id message" of the first check of
    ``findings`` that fires, else "" (``helpers``: its ``number_text_formula`` and
    ``digits_out_formula`` cells). None where no check can fire (an optional text)."""
    spec = BY_NAME[name]

    def says(check_id: str) -> str:
        return Wording(f"{check_id} ", *wording(check_id, spec).parts).formula(ref)

    empty = says("V101") if required(spec, needed) else '""'
    if spec.kind == TEXT:
        return f'=IF(ISERROR({ref}),"",IF({_blank(ref)},{empty},""))' if empty != '""' else None
    if spec.kind == CHOICE:  # TRIM also joins inner spaces: no choice has any, so either way no match
        listed = ",".join(f"TRIM({ref})={quoted(c)}" for c in spec.choices)
        return f'=IF(ISERROR({ref}),{says("V105")},IF({_blank(ref)},{empty},IF(OR({listed}),"",{says("V105")})))'
    bad = says("V106" if spec.kind == YEAR else "V102")
    number = '""'
    for _test, check_id, test in reversed(_number_tests(spec)):
        number = f"IF({test.format(ref)},{says(check_id)},{number})"
    return (f"=IF(ISERROR({ref}),{bad},IF({_blank(ref)},{empty},IF(ISLOGICAL({ref}),{bad},"
            f'IF(ISTEXT({ref}),IF({_spells(*helpers)},{says("V111")},{bad}),'
            f"IF(ABS({ref})>{MAX_ABS},{bad},{number})))))")


def live_text(name: str, raw: object, needed: bool = False) -> str:
    """What the 实时校验 cell of ``name`` shows for ``raw``, by the Python check: "" or "id message"."""
    found = [f for f in findings(name, raw, needed)[0] if f.id in LIVE_IDS]
    return f"{found[0].id} {found[0].message}" if found else ""
