"""A check's message stated once, for both places that say it: the Python check (``preval
validate``, 校验结果) and the workbook's 实时校验 cell, whose formula builds the same words from
the cell being checked, live, without preval.

A message is literal text and the checked cell's value (``CELL``), or that value scaled
(``CELL_PERCENT``: /100 as a fraction; ``CELL_YI``: 万元 in 亿元, two decimals, half-up). The
value is written as a spreadsheet's ``&`` writes a number (General, at most 15 significant
digits: 95.62, 1234567, never 95.62000000000001 or 1.2e6), so both renderings give the same
characters for the values these messages quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from udfs.money import general
from udfs.money import general_number as _number

__all__ = ["CELL", "CELL_PERCENT", "CELL_YI", "Cell", "Wording", "general", "quoted"]


@dataclass(frozen=True)
class Cell:
    """The checked cell's value in a message; ``scale`` 0 as it is, 2 over 100, 4 over 10000
    with ``places`` decimals (TEXT(x,"0.00"))."""
    scale: int = 0
    places: int | None = None


CELL, CELL_PERCENT, CELL_YI = Cell(), Cell(2), Cell(4, 2)


@dataclass(frozen=True)
class Wording:
    parts: tuple[str | Cell, ...]

    def __init__(self, *parts: str | Cell):
        object.__setattr__(self, "parts", parts)

    def text(self, raw: object) -> str:
        """The message about a cell holding ``raw``, as the Python check says it."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part.places is not None:
                value = _number(raw).scaleb(-part.scale)
                out.append(format(value.quantize(Decimal(1).scaleb(-part.places), rounding=ROUND_HALF_UP), "f"))
            else:
                out.append(general(raw) if part.scale == 0 else general(_number(raw).scaleb(-part.scale)))
        return "".join(out)

    def formula(self, ref: str) -> str:
        """The same message as a formula expression over the cell ``ref`` (no leading "=")."""
        out: list[str] = []
        literal = ""
        for part in self.parts:
            if isinstance(part, str):
                literal += part
                continue
            if literal:
                out.append(quoted(literal))
                literal = ""
            if part.places is not None:
                out.append(f'TEXT({ref}/{10 ** part.scale},"0.{"0" * part.places}")')
            else:
                out.append(ref if part.scale == 0 else f"({ref}/{10 ** part.scale})")
        if literal or not out:
            out.append(quoted(literal))
        return "&".join(out)


def quoted(text: str) -> str:
    """A formula string literal."""
    return '"' + text.replace('"', '""') + '"'
