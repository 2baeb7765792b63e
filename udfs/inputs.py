"""The engine's input: a typed record of the defined-name values, and 扣分记录 findings.

Raw cell values (float, int, str, None, Decimal) are converted by the kind declared in
``udfs.contract``; a value that cannot be converted raises ``InputError`` naming the input.
A numeric input is read as the workbook's own formulas read it (``udfs.money.cell_number``):
text is never a number, however it is spelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from udfs.contract import BY_NAME, CHOICE, COUNT, MONEY, NAMES, POINTS, RATE, TEXT, YEAR
from udfs.errors import InputError, NotANumber, TextNumber
from udfs.money import cell_number, general
from udfs.profile import WHOLE
from udfs.profile.model import SUBITEM_IDS

# what a clerk reads for a number stored as text (check V111, and the cell functions)
TEXT_NUMBER = "单元格中的数字是文本格式（“{raw}”），请转换为数字"


def convert(name: str, raw: object) -> Decimal | str | int | None:
    """One raw cell value -> the engine's type for that defined name."""
    spec = BY_NAME[name]
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if spec.kind in (TEXT, CHOICE):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        # a choice is compared as the workbook's TRIM() compares it: only spaces go ("良好" with an
        # NBSP or a full-width space is no dropdown value there, so not here either)
        return str(raw).strip(" ") if spec.kind == CHOICE else str(raw).strip()
    try:
        value = cell_number(raw)
    except TextNumber:
        raise InputError(name, TEXT_NUMBER.format(raw=raw), text_number=True) from None
    except NotANumber:
        raise InputError(name, f"应为数字（绝对值不超过10^12），实际为“{raw}”") from None
    if value is None:
        return None
    if spec.kind == YEAR:
        if value != value.to_integral_value():
            raise InputError(name, f"应为四位年份，实际为“{raw}”")
        return int(value)
    assert spec.kind in (COUNT, MONEY, RATE, POINTS)
    return value


@dataclass(frozen=True)
class Inputs:
    """All defined-name values of one workbook (None = empty cell)."""

    values: Mapping[str, Decimal | str | int | None] = field(default_factory=dict)
    # each rate of these inputs as engine.rate_value computed it (or the DomainError it raised),
    # by (rate id, options): the checks, the engine and the cells' values use one computation
    rates: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> Inputs:
        unknown = sorted(set(raw) - set(NAMES))
        if unknown:
            raise InputError(unknown[0], "不是标准工作簿的输入名称")
        values = {name: convert(name, raw.get(name)) for name in NAMES}
        for name, value in values.items():  # an amount a budget may not have: blank is 0
            if value is None and BY_NAME[name].blank_is_zero:
                values[name] = Decimal(0)
        return cls(values)

    def __getitem__(self, name: str):
        if name not in BY_NAME:
            raise KeyError(name)
        return self.values.get(name)

    def get(self, name: str, default=None):
        value = self.values.get(name)
        return default if value is None else value

    def numbers(self) -> dict[str, Decimal | None]:
        return {n: v for n, v in self.values.items() if isinstance(v, Decimal) or v is None}


CIRCLED = SUBITEM_IDS  # sub-item numbering of the rubric
WHOLE_SPELLINGS = ("", "-", "—", "–", "－", "——", "整体", "全部")
# what a clerk's text holds besides spaces (Alt+Enter, a pasted tab or NBSP, the IME's full-width
# space): read as spaces, then trimmed as the spreadsheet TRIM does, so a worksheet formula reads a
# 扣分记录 cell as the engine does (addin.catalogue.finding_rows states the same as formulas)
SPACES = ("\t", "\n", "\r", "\u00a0", "\u3000")
_SPACES = str.maketrans(dict.fromkeys(SPACES, " "))
_DIGITS_MAX = 15  # a longer run of digits is no number a formula reads exactly


def trimmed(text: str) -> str:
    """``text`` with SPACES made spaces, without spaces at either end and with one space for a
    run of them inside (the spreadsheet TRIM; str.strip would also drop other Unicode spaces a
    formula cannot name portably)."""
    return " ".join(part for part in text.translate(_SPACES).split(" ") if part)


def small_number(text: str) -> int | None:
    """The number ascii digits spell (at most 15 of them), else None."""
    if text and len(text) <= _DIGITS_MAX and text.isascii() and text.isdigit():
        return int(text)
    return None


def normalize_subitem(raw: object) -> str:
    """How a 子项 cell names a sub-item: its text (a number as ``&`` writes it) trimmed, one
    bracket ( （ off the front and one ) ） off the end; a whole-indicator spelling ('', '-',
    '整体' …) is '—', 1–10 is ①–⑩: '1', '(1)', '（1）', '①' -> '①'."""
    text = trimmed(general(raw))
    if text.startswith(("(", "（")):
        text = text[1:]
    if text.endswith((")", "）")):
        text = text[:-1]
    if text in WHOLE_SPELLINGS:
        return WHOLE
    number = small_number(text)
    if number is not None and 1 <= number <= len(CIRCLED):
        return CIRCLED[number - 1]
    return text


@dataclass(frozen=True)
class Finding:
    """One row of 扣分记录: a deduction on an indicator's sub-item, with its reason."""

    indicator: str
    subitem: str
    points: Decimal
    reason: str = ""
    evidence: str = ""
    row: int | None = None  # sheet row, for messages that point at the cell

    @classmethod
    def make(cls, indicator: object, subitem: object, points: object, reason: object = "",
             evidence: object = "", row: int | None = None) -> Finding:
        try:
            value = points if isinstance(points, Decimal) else cell_number(points)
        except NotANumber:
            raise InputError("扣分记录", f"第{row or '?'}行扣分应为数字，实际为“{points}”") from None
        return cls(str(indicator or "").strip(), normalize_subitem(subitem),
                   value if value is not None else Decimal(0),
                   trimmed(general(reason)), trimmed(general(evidence)), row)  # as a formula reads them
