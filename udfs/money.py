"""Decimal conversion and half-up rounding, the only arithmetic helpers the engine uses.

Excel hands Python floats; ``Decimal(repr(x))`` keeps the number the user typed (0.9562
stays 0.9562, not 0.95620000000000004547...). Rounding is half-up as finance staff do it
by hand, never Python's banker's ``round``.
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, DecimalException

from udfs.errors import NotANumber, TextNumber

ZERO = Decimal(0)
# Beyond any budget in 万元 or any count; keeps every product inside Decimal's 28 digits.
MAX_ABS = Decimal("1e12")
ONE = Decimal(1)
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal | None:
    """Convert what a cell holds to Decimal; ``None`` and blank text stay ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        if not value.strip():
            return None
        text = value.strip().replace(",", "").replace("，", "")  # thousands separators only
        try:
            result = Decimal(text)
        except DecimalException as exc:  # InvalidOperation, or Overflow for "1e9999999"
            raise NotANumber(value) from exc
    else:
        raise NotANumber(value)
    if not result.is_finite() or result.copy_abs() > MAX_ABS:  # abs() would round "1e9999999" in the context: Overflow
        raise NotANumber(value)
    return result


def cell_number(value: object) -> Decimal | None:
    """A cell's value read as a worksheet formula reads it: a number is a number, and text
    never is, however it is spelled. COUNT, ISNUMBER and SUMIFS skip "1660.95" stored as
    text, and no spreadsheet function converts "１６６０", "1,660.95", "1_000" or "1660,95"
    alike in Excel, WPS and LibreOffice; reading them here would make the engine score what
    the workbook's own formulas leave blank. Text that spells a number raises ``TextNumber``
    (the clerk converts the cell), other text ``NotANumber``; blank text is an empty cell."""
    if isinstance(value, str):
        if not value.strip():
            return None
        raise TextNumber(value) if spells_number(value) else NotANumber(value)
    return to_decimal(value)


_SEPARATORS = str.maketrans("", "", ",，_ \u00a0\u3000'’%％")


def spells_number(text: str) -> bool:
    """Whether text reads as a number to a person: any Unicode digits (full-width,
    Arabic-Indic, mathematical bold), thousands separators, a decimal comma, a percent sign,
    an exponent."""
    plain = unicodedata.normalize("NFKC", text).strip().translate(_SEPARATORS)
    plain = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in plain)
    if not plain or not any(ch.isdigit() for ch in plain):
        return False
    try:
        Decimal(plain)
    except DecimalException:
        return False
    return True


# Wide enough for any ratio of two floats (a 1e-300 denominator gives a 1e300 rate): the
# default 28 digits make quantize() fail on such a rate instead of rounding it.
_WIDE = Context(prec=1000, Emax=10**6, Emin=-10**6)


def quantize(value: Decimal, places: int) -> Decimal:
    """Round half-up to ``places`` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)


def money(value: Decimal) -> Decimal:
    """万元 with 2 decimals."""
    return quantize(value, 2)


def fmt_money(value: Decimal | None) -> str:
    return "—" if value is None else f"{money(value):,.2f}".replace(",", "")


def fmt_pct(rate: Decimal | None, places: int = 2) -> str:
    """0.76871 -> '76.87%'."""
    return "—" if rate is None else f"{quantize(rate * HUNDRED, places)}%"


def fmt_num(value: Decimal) -> str:
    """A count or score without trailing zeros: 29 -> '29', 2.50 -> '2.5'."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def general(value: object) -> str:
    """A cell value as ``&`` joins it: text as it is, a number in General (15 significant digits)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if value is None:
        return ""
    if not isinstance(value, (int, float, Decimal)):
        return str(value)  # a date the reader kept as one: no number to write in General
    number = general_number(value)
    return format(number.normalize(), "f") if number else "0"


def general_number(value: object) -> Decimal:
    return Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(str(value))
