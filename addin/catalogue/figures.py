"""Checks of figures against each other that a worksheet formula can state (V201–V205, V207,
V210, V211, V213),
stated once for both doors, as ``one_cell`` states the checks of one cell: ``findings`` is
what ``preval validate`` reports (addin.checks.arithmetic, .plausibility), ``formulas`` the
same conditions and words over the defined names, for the 实时校验 column (template 0.9).

Like validate, the workbook says these only when no input has a V1xx 错误: a figure that is
text or negative is no figure to add up (the live cells ask the count of those first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from addin.catalogue.wording import quoted
from udfs.money import ZERO, fmt_money, quantize

TOLERANCE = Decimal("0.01")  # 万元

# (part, whole): spending items are parts of 预算执行数, budget items parts of 全年预算
PARTS_OF: tuple[tuple[str, str], ...] = (
    ("公用经费实际", "预算执行数"), ("三公实际", "预算执行数"), ("采购实际", "预算执行数"),
    ("重点支出实际", "预算执行数"), ("基本支出", "预算执行数"), ("项目支出", "预算执行数"),
    ("公用经费预算", "全年预算"), ("三公预算本年", "全年预算"), ("采购预算", "全年预算"),
    ("重点支出预算", "全年预算"), ("项目预算", "全年预算"), ("调整剔除数", "全年预算"),
    ("人员经费", "基本支出"), ("人员经费上年", "基本支出上年"),  # template 0.8
)
# amounts of the same item (budget and actual, this year and last year)
PAIRS: tuple[tuple[str, str], ...] = (
    ("全年预算", "预算执行数"), ("年初预算", "全年预算"), ("项目预算", "项目支出"),
    ("公用经费预算", "公用经费实际"), ("采购预算", "采购实际"), ("重点支出预算", "重点支出实际"),
    ("三公预算本年", "三公实际"), ("三公预算上年", "三公预算本年"), ("非税收入预算", "非税收入实际"),
    ("基本支出上年", "基本支出"), ("人员经费上年", "人员经费"), ("采购实际上年", "采购实际"),  # template 0.8
)
# total = sum of its parts (V211), checked when any part is filled (an unfilled part counts as 0)
SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("预算执行数", ("基本支出", "项目支出")),
    ("三公实际", ("出国经费", "公务用车经费", "公务接待经费")),
    ("三公实际上年", ("出国经费上年", "公务用车经费上年", "公务接待经费上年")),
    ("采购实际", ("采购货物", "采购工程", "采购服务")),
    ("三公预算本年", ("出国经费预算", "公务用车经费预算", "公务接待经费预算")),  # template 0.8
    ("采购实际上年", ("采购货物上年", "采购工程上年", "采购服务上年")),
    ("资产总额", ("负债总额", "净资产")),
)
YUAN_RATIO = Decimal(1000)  # 元 vs 万元 is 10000×; a real pair is rarely 10× apart
# 全年预算 as a budget is composed (V201); a blank part is 0
INCOME: tuple[tuple[str, int], ...] = (("年初预算", 1), ("追加预算", 1), ("追减预算", -1), ("上年结转", 1),
                                       ("其他收入", 1))

Values = Callable[[str], Decimal | None]


@dataclass(frozen=True)
class Amount:
    """A sum of inputs (a blank one is 0), in a message as fmt_money writes it: 2 decimals,
    half-up, no thousands separator."""
    terms: tuple[tuple[str, int], ...]

    def value(self, v: Values) -> Decimal:
        return sum((sign * (v(name) or ZERO) for name, sign in self.terms), ZERO)

    def text(self, v: Values) -> str:
        return fmt_money(self.value(v))

    def expression(self) -> str:
        out = ""
        for name, sign in self.terms:
            out += ("-" if sign < 0 else "+" if out else "") + f"N({name})"
        return out

    def formula(self) -> str:
        return f'TEXT(ROUND({self.expression()},2),"0.00")'


@dataclass(frozen=True)
class IfNonzero:
    """Words said only where the input is not 0 (上年结转 in V201's sum)."""
    name: str
    parts: tuple


@dataclass(frozen=True)
class Ratio:
    """How many times one input is another, as a whole number (half-up)."""
    numerator: str
    denominator: str

    def text(self, v: Values) -> str:
        return str(quantize((v(self.numerator) or ZERO) / (v(self.denominator) or ZERO), 0))

    def formula(self) -> str:
        return f'TEXT(ROUND({self.numerator}/{self.denominator},6),"0")'


@dataclass(frozen=True)
class Shown:
    """An input as the cell shows it in General (13.73, 1000): ``&`` joins a number so."""
    name: str

    def text(self, v: Values) -> str:
        value = v(self.name)
        return "" if value is None else format(value.normalize(), "f")

    def formula(self) -> str:
        return self.name


@dataclass(frozen=True)
class Given:
    """An amount that may be blank: 2 decimals as fmt_money writes them, or "（空）"."""
    name: str

    def text(self, v: Values) -> str:
        value = v(self.name)
        return "（空）" if value is None else fmt_money(value)

    def formula(self) -> str:
        return f'IF(ISNUMBER({self.name}),TEXT(ROUND({self.name},2),"0.00"),"（空）")'


def amount(*names: str) -> Amount:
    return Amount(tuple((n, 1) for n in names))


def _text(parts: tuple, v: Values) -> str:
    """The words of ``parts``: a str as it is, a value part (Amount, Ratio, Shown,
    ratios.Percent) by its ``text``."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, IfNonzero):
            out.append(_text(part.parts, v) if v(part.name) else "")
        else:
            out.append(part.text(v))
    return "".join(out)


def _formula(parts: tuple) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(quoted(part))
        elif isinstance(part, IfNonzero):
            out.append(f'IF(N({part.name})<>0,{_formula(part.parts)},"")')
        else:
            out.append(part.formula())
    return "&".join(out)


@dataclass(frozen=True)
class Statement:
    """One figure check on one input's cell: the test in Python and as a formula, and the words."""
    id: str
    at: str  # the input whose cell the finding is at
    test: Callable[[Values], bool]
    condition: str  # the same test over the defined names
    parts: tuple
    names: tuple[str, ...] = ()  # the inputs compared (V203: part, whole; V213: big, small)

    def text(self, v: Values) -> str:
        return _text(self.parts, v)

    def formula(self) -> str:
        return _formula(self.parts)


def _income() -> Statement:
    want = Amount(INCOME)
    differ = Amount((("全年预算", 1), *((n, -s) for n, s in INCOME)))
    return Statement(
        "V201", "全年预算",
        lambda v: None not in (v("年初预算"), v("全年预算")) and abs(differ.value(v)) > TOLERANCE,
        f"AND(ISNUMBER(年初预算),ISNUMBER(全年预算),ABS(ROUND({differ.expression()},6))>{TOLERANCE})",
        ("年初预算 ", amount("年初预算"), " + 追加 ", amount("追加预算"), " − 追减 ", amount("追减预算"),
         IfNonzero("上年结转", (" + 上年结转 ", amount("上年结转"))), IfNonzero("其他收入", (" + 其他收入 ", amount("其他收入"))),
         " = ", want, "，与全年预算 ", amount("全年预算"), " 相差 ", differ, " 万元"))


def _carried() -> Statement:
    """V202: 结转结余 is 全年预算 − 预算执行数 (no expectation when spending exceeds the budget: V203)."""
    left = Amount((("全年预算", 1), ("预算执行数", -1)))
    off = Amount((("全年预算", 1), ("预算执行数", -1), ("结转结余", -1)))

    def test(v: Values) -> bool:
        total, spent, carry = v("全年预算"), v("预算执行数"), v("结转结余")
        if total is None or spent is None or carry is None:
            return False
        return spent <= total and abs(off.value(v)) > TOLERANCE

    return Statement(
        "V202", "结转结余", test,
        f"AND(ISNUMBER(全年预算),ISNUMBER(预算执行数),ISNUMBER(结转结余),ROUND(预算执行数-全年预算,6)<=0,"
        f"ABS(ROUND({off.expression()},6))>{TOLERANCE})",
        ("全年预算 ", amount("全年预算"), " − 预算执行数 ", amount("预算执行数"), " = ", left, "，结转结余填的是 ",
         amount("结转结余")))


# (check, part, whole): a count or amount above what it is a part of (提示: it can happen)
ABOVE: tuple[tuple[str, str, str], ...] = (
    ("V203", "预算执行数", "全年预算"), ("V204", "三公实际", "三公预算本年"), ("V205", "在职人数", "编制数"),
    ("V207", "实际完成数", "计划工作数"), ("V207", "及时完成数", "计划工作数"),
    ("V207", "质量达标数", "计划工作数"), ("V207", "重点完成数", "重点交办数"))


def _above(check_id: str, part: str, whole: str) -> Statement:
    def test(v: Values) -> bool:
        a, b = v(part), v(whole)
        return a is not None and b is not None and b > 0 and a > b

    return Statement(check_id, part, test, f"AND(ISNUMBER({part}),ISNUMBER({whole}),{whole}>0,{part}>{whole})",
                     (f"{part} ", Shown(part), f" 大于 {whole} ", Shown(whole)), (part, whole))


def _part(part: str, whole: str) -> Statement:
    def test(v: Values) -> bool:
        a, b = v(part), v(whole)
        return a is not None and b is not None and a - b > TOLERANCE

    return Statement(
        "V210", part, test, f"AND(ISNUMBER({part}),ISNUMBER({whole}),ROUND({part}-{whole},6)>{TOLERANCE})",
        (f"{part} ", amount(part), f" 万元大于{whole} ", amount(whole), " 万元，部分不能大于整体；请核对两者的口径和单位"),
        (part, whole))


def _apart(big: str, small: str, first: bool) -> Statement:
    """V213 at ``big`` when it is at least 1000 times ``small`` (``first``: the pair's first,
    which wins a tie, as validate takes the first as the larger when the two are equal)."""
    def test(v: Values) -> bool:
        a, b = v(big), v(small)
        if a is None or b is None or a <= ZERO or b <= ZERO or (a < b if first else a <= b):
            return False
        return a / b >= YUAN_RATIO

    compare = ">=" if first else ">"
    return Statement(
        "V213", big, test, f"AND(ISNUMBER({big}),ISNUMBER({small}),{big}>0,{small}>0,{big}{compare}{small},"
                           f"ROUND({big}-{YUAN_RATIO}*{small},6)>=0)",  # no division: AND evaluates every argument
        (f"{big} ", amount(big), f" 万元是{small} ", amount(small), " 万元的 ", Ratio(big, small),
         " 倍，是否其中一个按元填写了？（金额单位为万元）"), (big, small))


def _sum(total: str, parts: tuple[str, ...], i: int) -> Statement:
    """V211 at ``parts[i]`` when it is the first part filled (one finding per sum, at the first
    figure concerned, as validate says it) and the filled parts do not add up to ``total``."""
    added, off = amount(*parts), Amount((*((p, 1) for p in parts), (total, -1)))

    def test(v: Values) -> bool:
        if any(v(p) is not None for p in parts[:i]) or v(parts[i]) is None or v(total) is None:
            return False
        return abs(off.value(v)) > TOLERANCE

    blank = [f"NOT(ISNUMBER({p}))" for p in parts[:i]]
    words: list = []
    for p in parts:
        words += [" + " if words else "", f"{p} ", Given(p)]
    return Statement(
        "V211", parts[i], test,
        f"AND({','.join(blank + [f'ISNUMBER({parts[i]})', f'ISNUMBER({total})'])},ABS(ROUND({off.expression()},6))>{TOLERANCE})",
        (*words, " = ", added, f"，与{total} ", amount(total), " 相差 ", off, " 万元"), (total, *parts))


def _statements() -> tuple[Statement, ...]:
    pairs = [s for one, other in PAIRS for s in (_apart(one, other, True), _apart(other, one, False))]
    sums = [_sum(total, parts, i) for total, parts in SUMS for i in range(len(parts))]
    return (_income(), _carried(), *(_above(*a) for a in ABOVE), *(_part(p, w) for p, w in PARTS_OF), *sums, *pairs)


# The figure checks, in validate's order. An input a workbook's version lacks reads as blank
# (``v`` gives None), as validate has always read it; the live cells are 0.9's, which has them all.
STATEMENTS: tuple[Statement, ...] = _statements()
