"""Every error the engine raises, under one base: ``EngineError``.

The three front doors (a cell, the ribbon, the shell) catch exactly these and show their
message; anything else that escapes the engine is a programming error, which the doors log
with its traceback instead of showing it as if it were a problem of the user's data.
None of these derives from ``ValueError``: a bug that raises ValueError must not pass for
a bad input.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base of the engine's errors; ``code`` is the Excel error a cell shows for it."""

    code = "#VALUE!"


class ProfileError(EngineError):
    """A profile file is missing, malformed or inconsistent. ``key`` names the field at fault
    ("bands", "points", "id", "name"), ``part`` which sub-item, so a rubric workbook can point
    at its cell."""

    def __init__(self, message: str, *, key: str = "", part: int | None = None):
        super().__init__(message)
        self.key = key
        self.part = part


class NotANumber(EngineError):
    """A value that should be a number is text, a bool, not finite or absurdly large."""


class TextNumber(NotANumber):
    """A cell holds text that spells a number ("1660.95", "１６６０", "1,660.95"): a
    spreadsheet formula does not count it as a number, so neither does the engine."""


class InputError(EngineError):
    """An input value has the wrong type; ``name`` is the defined name."""

    def __init__(self, name: str, message: str, *, text_number: bool = False):
        super().__init__(f"{name}：{message}")
        self.name = name
        self.message = message
        self.text_number = text_number  # a number stored as text (V111), not other text


class DomainError(EngineError):
    """A rate cannot be computed: missing input (#VALUE!) or zero denominator (#DIV/0!)."""

    def __init__(self, message: str, *, name: str = "", code: str = "#DIV/0!"):
        super().__init__(message)
        self.name = name
        self.code = code


class RuleValueError(EngineError):
    """A value given to a rule is of the wrong kind (text for a rate, unknown category)."""


class FindingError(EngineError):
    """A 扣分记录 row names an unknown indicator or sub-item."""

    def __init__(self, finding: object, message: str):
        row = getattr(finding, "row", None)
        where = f"扣分记录第{row}行" if row else "扣分记录"
        super().__init__(f"{where}：{message}")
        self.finding = finding
