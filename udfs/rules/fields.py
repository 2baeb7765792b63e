"""The parameters a rule kind reads, each one ``Field``: its TOML key, how it is read and
checked (TOML → typed value), written back (typed → TOML, the table a workbook carries) and
how it appears in a row of the rubric workbook's 指标 sheet (its columns, the text a clerk
types there). A kind lists its fields (``Rule.fields``); the loader, the serialiser and the
rubric workbook's reader and writer go through them.

The fields several kinds share are here; a field only one kind has lives in that kind's
file (bands, the points of a category).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from udfs.contract import BY_NAME, CHOICE
from udfs.errors import ProfileError
from udfs.options import Options
from udfs.rates import RATES
from udfs.rules.params import Over

# The order of a part's keys in the table a workbook carries (its digest is taken of that
# text, a format other programs read): the part's own keys and every field's, old first. A
# new field goes at the end.
DATA_ORDER = ("id", "kind", "label", "points", "rate", "input", "both_zero", "zero_base", "choice", "per_case",
              "steps", "over", "under", "full_at", "bands", "map", "synonyms")


# ---------------------------------------------------------------- reading TOML values

def decimal(value: object, where: str) -> Decimal:
    """A number of a profile: finite, within ±10^6 (a rubric's points and rates are small)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ProfileError(f"{where}: 应为数字，实际为 {value!r}")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ProfileError(f"{where}: 应为数字，实际为 {value!r}") from None
    if not number.is_finite() or number.copy_abs() > 10**6:  # NaN and ∞ compare with nothing
        raise ProfileError(f"{where}: 应为有限的数字，实际为 {value}",
                           key="bands" if ".bands" in where else where.rsplit(".", 1)[-1])
    return number


def check_keys(table: Mapping, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ProfileError(f"{where}: 未知的键 {', '.join(unknown)}（允许：{', '.join(sorted(allowed))}）")


def toml_number(value: Decimal) -> int | float:
    """A TOML number: 2 stays 2, 0.01 stays 0.01 (the loader reads it back through str)."""
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------- the rubric workbook's text

def cell_number(text: str) -> Decimal:
    """A number a clerk typed into a text syntax: "95%", "0.95", "10％"."""
    raw = text.strip().replace("％", "%")
    try:
        return Decimal(raw[:-1]) / 100 if raw.endswith("%") else Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None


def pct_text(value: Decimal) -> str:
    return f"{format((value * 100).normalize(), 'f')}%"


def plain(value: object) -> str:
    """A number as the rubric workbook writes it in a text cell: 0.5, 2 (never 5E-1)."""
    return format(Decimal(str(value)).normalize(), "f")


class Cells(Protocol):
    """One row of the rubric workbook's 指标 sheet, as the reader hands it to a field."""

    title: str  # the row's 计分方式 word, for messages

    def header(self, column: str) -> str: ...

    def text(self, column: str) -> str: ...

    def number(self, column: str) -> Decimal | None:
        """The number in ``column`` (None when empty); a mistake at the cell when it is not one."""

    def lines(self, column: str) -> list[str]: ...

    def bad(self, column: str, message: str) -> None: ...


# ---------------------------------------------------------------- fields

@dataclass(frozen=True)
class Field:
    key: str  # the TOML key
    what: str  # what it is, in a message: "under（低于目标每档扣分）只用于 steps 规则"
    columns: tuple[str, ...] = ()  # the rubric workbook's columns (addin/rubric/columns.py)
    attr: str = ""  # the Params attribute, when not the key
    required: bool = False  # read (and so refused) when absent: the rate or input scored

    @property
    def name(self) -> str:
        return self.attr or self.key

    def read(self, value: object, options: Options, where: str, kind: str) -> Any:
        return value

    def data(self, value: Any) -> object:
        """The typed value back to TOML; None: the field is left out (its default)."""
        return value or None

    def to_cells(self, data: Any) -> dict[str, object]:
        return {self.columns[0]: data}

    def from_cells(self, cells: Cells) -> object:
        """The TOML value of the row's cells; None when they are empty."""
        return cells.text(self.columns[0]) or None


@dataclass(frozen=True)
class RateField(Field):
    """The rate a part is scored on, by id (``udfs.rates``); the workbook shows its label."""

    def read(self, value, options, where, kind):
        if value not in RATES:
            raise ProfileError(f"{where}: 未知的比率 {value!r}（允许：{', '.join(RATES)}）")
        return value

    def to_cells(self, data):
        return {"source": RATES[data].label if data else None}

    def from_cells(self, cells):
        source = cells.text("source")
        by_label = {spec.label: rid for rid, spec in RATES.items()}
        if source not in by_label:
            cells.bad("source", f"{cells.title}需要从下拉列表选择一个比率" + (f"，“{source}”不是可计算的比率" if source else ""))
            return None
        return by_label[source]


VALUE_INPUTS = tuple(n for n, s in BY_NAME.items() if s.kind == CHOICE)  # 是/否 and category inputs


@dataclass(frozen=True)
class InputField(Field):
    """The 是/否 or category input a part is scored on (a defined name of the contract)."""

    def read(self, value, options, where, kind):
        if value not in BY_NAME:
            raise ProfileError(f"{where}: 未知的输入名称 {value!r}")
        return value

    def from_cells(self, cells):
        source = cells.text("source")
        if source not in VALUE_INPUTS:
            cells.bad("source", f"{cells.title}需要选择一个输入项（可选：{'、'.join(VALUE_INPUTS)}）")
            return None
        return source


# what a rate with no value scores: its words in the rubric workbook
SPECIAL_NAMES = {"full": "计满分", "zero": "计0分", "as_zero": "按比率为0计"}


@dataclass(frozen=True)
class SpecialField(Field):
    """What a rate with a zero denominator scores ("full", "zero", or "as_zero": as a rate of 0)."""

    allowed: tuple[str, ...] = ("full", "zero")
    wording: str = "full 或 zero"

    def read(self, value, options, where, kind):
        if value not in ("", *self.allowed):
            raise ProfileError(f"{where}.{self.key}: 应为 {self.wording}")
        return value

    def to_cells(self, data):
        return {self.columns[0]: SPECIAL_NAMES.get(data or "")}

    def from_cells(self, cells):
        text = cells.text(self.columns[0])
        names = {v: k for k, v in SPECIAL_NAMES.items()}
        if text and text not in names:
            cells.bad(self.columns[0], f"{cells.header(self.columns[0])}应选“计满分”或“计0分”")
            return None
        return names.get(text)


@dataclass(frozen=True)
class NumberField(Field):
    """One number of the part (每例扣分, 达到即满分)."""

    not_negative: bool = False

    def read(self, value, options, where, kind):
        number = decimal(value, f"{where}.{self.key}")
        if self.not_negative and number < 0:
            raise ProfileError(f"{where}.{self.key}: 不能为负数，实际为 {number}")
        return number

    def data(self, value):
        return None if value is None else toml_number(value)

    def from_cells(self, cells):
        return cells.number(self.columns[0])


@dataclass(frozen=True)
class PenaltyField(Field):
    """``over``/``under`` = { step, deduct[, from] }: "每超出 step 扣 deduct 分" beyond
    ``from`` (the threshold), which only a kind that lets the rubric name it reads."""

    with_start: bool = False

    def read(self, value, options, where, kind):
        where = f"{where}.{self.key}"
        if not isinstance(value, dict):
            raise ProfileError(f"{where}: 应为 {{ step = …, deduct = … }}")
        check_keys(value, {"step", "deduct", "from"} if self.with_start else {"step", "deduct"}, where)
        for key in ("step", "deduct"):
            if key not in value:
                raise ProfileError(f"{where}: 缺少 {key}")
        over = Over(decimal(value["step"], where + ".step"), decimal(value["deduct"], where + ".deduct"))
        if over.step <= 0 or over.deduct < 0:
            raise ProfileError(f"{where}: step 应大于0，deduct 不能为负数")
        if "from" in value:
            over = Over(over.step, over.deduct, decimal(value["from"], where + ".from"))
        return over

    def data(self, value):
        if value is None:
            return None
        out: dict = {"step": toml_number(value.step), "deduct": toml_number(value.deduct)}
        if self.with_start:
            out["from"] = toml_number(value.start)
        return out

    def to_cells(self, data):
        data = data or {}
        return {f"{self.key}_{k}": data.get(k) for k in ("step", "deduct", "from")}

    def from_cells(self, cells):
        values = {k: cells.number(f"{self.key}_{k}") for k in ("step", "deduct", "from")}
        given = {k: v for k, v in values.items() if v is not None}
        return given or None


def penalty(key: str, what: str, with_start: bool = False) -> PenaltyField:
    return PenaltyField(key, what, tuple(f"{key}_{k}" for k in ("step", "deduct", "from")), with_start=with_start)


RATE = RateField("rate", "比率", ("source",), required=True)
INPUT = InputField("input", "输入项", ("source",), required=True)
BOTH_ZERO = SpecialField("both_zero", "分子分母均为0时的得分", ("both_zero",), allowed=("full", "zero", "as_zero"),
                         wording="full、zero 或 as_zero（按比率为0计分）")
ZERO_BASE = SpecialField("zero_base", "分母为0时的得分", ("zero_base",))
RATED = (RATE, BOTH_ZERO, ZERO_BASE)  # what every kind scored from a rate reads
