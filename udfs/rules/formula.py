"""Pieces every rule kind's worksheet formula is made of.

Only functions Excel 2010, WPS and LibreOffice all have (IF, AND, OR, ISNUMBER, ROUND,
ROUNDUP, INT, MIN, MAX, TRIM, LEFT, NA). A step count is taken on the rounded ratio
(INT(ROUND((x-1)/step,6))): (1.15-1)/0.05 is 2.9999999999999982 in binary, and a plain INT
would count 2 steps where the rubric counts 3.
"""

from __future__ import annotations

from decimal import Decimal

from udfs.options import Options

NOT_APPLICABLE = "无"  # what a 0/0 rate shows, as PREVAL_* rates do
DIV0 = "#DIV/0!"  # a x/0 rate shows text starting with it, as PREVAL_* rates do


def num(value: Decimal | int) -> str:
    """A number as a formula literal: 0.95, 2, 0.2 (never 2E+1)."""
    return format(Decimal(value).normalize(), "f")


def step_count(x: str, step: Decimal, options: Options, start: str = "1", below: bool = False) -> str:
    """How many steps ``x`` is beyond ``start`` (below it when ``below``), as ``whole_steps``."""
    distance = f"({start}-{x})" if below else f"({x}-{start})"
    ratio = f"ROUND({distance}/{num(step)},6)"  # a whole number of steps stays whole
    return f"INT({ratio})" if options.over_step == "floor" else f"ROUNDUP({ratio},0)"


def trimmed(value: str) -> str:
    """A 是/否 or category cell as TRIM reads it (spaces only, as the engine's ``_trimmed``)."""
    return f"TRIM({value})"


# ---------------------------------------------------------------- words (the 评分说明's live 计算过程)

def text(words: str) -> str:
    """A formula string literal."""
    return '"' + words.replace('"', '""') + '"'


def shown(expr: str) -> str:
    """A computed count or score as ``fmt_num`` writes it (2.5, 0.3, 1): rounded first, as
    (0.1*3)&"" is 0.30000000000000004 where the cell's value is binary."""
    return f'ROUND({expr},9)&""'


def percent(expr: str) -> str:
    """A rate as ``fmt_pct`` writes it (30.45%); ``expr`` is already rounded to 4 places."""
    return f'TEXT({expr},"0.00%")'


def joined(*pieces: str) -> str:
    """Pieces (literals or expressions) joined by ``&``."""
    return "&".join(p for p in pieces if p)
