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
