"""A shared formula's text in one of its cells (Part 1, 18.3.1.40): Excel stores a block of
like formulas once, in its first cell, and the others as "the same, moved". Their text is
the master's with every relative reference moved by the cell's offset — what openpyxl's
``formula.translate.Translator`` does, here without importing the openpyxl package (~0.2 s
on every score of an Excel-saved workbook, which has such blocks). Same rules as
openpyxl 3.1: ``$`` parts stay, names stay, whole rows and columns move along one axis.
tests/test_openpyxl_parts.py compares it with openpyxl's Translator.
"""

from __future__ import annotations

import re

from addin.workbook.formula_meaning import Token, Tokenizer
from addin.workbook.layout import col

_ROW_RANGE = re.compile(r"(\$?[1-9][0-9]{0,6}):(\$?[1-9][0-9]{0,6})$")
_COL_RANGE = re.compile(r"(\$?[A-Za-z]{1,3}):(\$?[A-Za-z]{1,3})$")
_CELL = re.compile(r"(\$?[A-Za-z]{1,3})(\$?[1-9][0-9]{0,6})$")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)$")


class OutOfRange(ValueError):
    """A moved reference falls off the sheet (row 0, column 0 or past XFD)."""


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _cell(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if m is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), _column_number(m.group(1))


def _row(text: str, delta: int) -> str:
    if text.startswith("$"):
        return text
    if int(text) + delta <= 0:
        raise OutOfRange(text)
    return str(int(text) + delta)


def _column(text: str, delta: int) -> str:
    if text.startswith("$"):
        return text
    n = _column_number(text) + delta
    if not 1 <= n <= 16384:
        raise OutOfRange(text)
    return col(n)


def _range(text: str, rows: int, columns: int) -> str:
    sheet, bang, ref = text.rpartition("!")
    prefix = sheet + bang
    if m := _ROW_RANGE.match(ref):
        return f"{prefix}{_row(m.group(1), rows)}:{_row(m.group(2), rows)}"
    if m := _COL_RANGE.match(ref):
        return f"{prefix}{_column(m.group(1), columns)}:{_column(m.group(2), columns)}"
    if ":" in ref:  # A1:B5, or a name at either end
        return prefix + ":".join(_range(piece, rows, columns) for piece in ref.split(":"))
    if m := _CELL.match(ref):
        return f"{prefix}{_column(m.group(1), columns)}{_row(m.group(2), rows)}"
    return text  # a defined name


def translate(formula: str, origin: str, dest: str) -> str:
    """``formula`` (with its "="), written in cell ``origin``, as it reads in cell ``dest``."""
    tokens = Tokenizer(formula).items
    if not tokens:
        return ""
    if tokens[0].type == Token.LITERAL:
        return tokens[0].value
    (row, column), (row0, column0) = _cell(dest), _cell(origin)
    out = ["="]
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            out.append(_range(token.value, row - row0, column - column0))
        else:
            out.append(token.value)
    return "".join(out)


def translate_or_ref_error(formula: str, origin: str, dest: str) -> str:
    """As ``translate``; a reference moved off the sheet reads "=#REF!", as Excel shows it."""
    try:
        return translate(formula, origin, dest)
    except OutOfRange:
        return "=#REF!"
