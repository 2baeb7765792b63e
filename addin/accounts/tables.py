"""What every reader hands on: a table as printed (its title, its unit, its rows of cell texts,
each row with where it was found) and the amounts in it, read one way for every format.

One reading: a published 决算 prints amounts as "2,940.05", "0.00" or leaves the cell blank
(nothing spent); anything else in an amount cell ("１６６０", "1_000", "约5") is not taken for
a number — the clerk is told where it is instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

YUAN, WAN = "元", "万元"
_AMOUNT = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")  # ASCII digits only: \d takes １６６０
_BLANK = {"", "-", "—", "－", "--", "/"}
_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
# what a printed label carries besides its words: spaces (PDF text spreads 因 公 出 国), line
# breaks inside a cell, quotes that PDF text loses or moves (财政拨款 三公 经费), ordinals
_NOISE = re.compile(r"[\s“”\"'‘’「」『』]")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")


class NotAmount(ValueError):
    """An amount cell that holds something other than a printed amount."""


@dataclass(frozen=True)
class Row:
    cells: tuple[object, ...]  # str as printed, or a number a spreadsheet holds; None: merged
    where: str  # "第6页", "工作表“Z01…”第12行", "第2个表格第5行"


@dataclass(frozen=True)
class Table:
    title: str  # as printed
    unit: str  # YUAN, WAN, or "" when the file does not say
    rows: tuple[Row, ...]
    source: str  # the file's name
    where: str  # where the title is: "第6页", "工作表“Z01…”", "第3个表格"
    empty_note: bool = False  # the table says 本表无数据 (a table of nothing, not a missing table)

    def text(self, row: int, column: int) -> str:
        cells = self.rows[row].cells
        return plain(cells[column]) if column < len(cells) else ""


def plain(value: object) -> str:
    """A label as compared: without spaces, line breaks, quotes and a leading ordinal."""
    if value is None:
        return ""
    text = _NOISE.sub("", str(value))
    return _ORDINAL.sub("", text)


def unit_in(text: str) -> str:
    m = _UNIT.search(text)
    return m.group(1) if m else ""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in _BLANK)


def amount(value: object) -> Decimal | None:
    """The amount a cell prints (None: blank). NotAmount for anything else."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise NotAmount(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip()
    if not _AMOUNT.fullmatch(text):
        raise NotAmount(value)
    return Decimal(text.replace(",", ""))


def looks_like_amount(value: object) -> bool:
    try:
        return amount(value) is not None
    except NotAmount:
        return False
