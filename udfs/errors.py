"""Every error a user may see, under one base: ``PrevalError`` (click's model).

Each carries its exit code (the shell), the Excel error value a cell shows for it (a
cell), its Chinese message, where it is (``where``: a sheet!cell, a key path) and what to do
(``hint``); the doors (a cell, the ribbon, the shell, batch) render these and nothing else.
``EngineError`` is the engine's part of the tree; ``addin.errors`` adds the file and usage
errors. Anything else that escapes is a programming error, which the doors log with its
traceback and report under its own exit code (``BUG``), never as a problem of the user's
data. None of these derives from ``ValueError``: a bug that raises ValueError must not pass
for a bad input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

OK, VALIDATION, UNUSABLE, BUG = 0, 1, 2, 3  # exit codes: 1 a 错误 found, 2 the file or command, 3 ours


class PrevalError(Exception):
    """Base of every error a user may see."""

    exit_code = UNUSABLE
    code = "#VALUE!"  # what a cell shows for it

    def __init__(self, message: str, *, where: str = "", hint: str = ""):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def show(self) -> str:
        """The message as the shell and the ribbon print it: 错误, 位置, 处理."""
        parts = [f"错误：{self.message}"]
        if self.where:
            parts.append(f"位置：{self.where}")
        if self.hint:
            parts.append(f"处理：{self.hint}")
        return "\n".join(parts)


class EngineError(PrevalError):
    """Base of the engine's errors: the data or the rubric cannot be scored."""


_TERM = "\x1f"
_MARKED = re.compile(f"(?<![:：]) ?{_TERM}([^{_TERM}]+){_TERM} ?")  # quoted words need no spaces; "x: " keeps its


def term(key: str) -> str:
    """A TOML key or a rule kind inside a ProfileError's message: marked, so that each reader
    of a rubric says it in its own words (``points`` in a profile file, “子项分值” in the rubric
    workbook) without searching the sentence for it."""
    return f"{_TERM}{key}{_TERM}"


class ProfileError(EngineError):
    """A profile file is missing, malformed or inconsistent. ``key`` names the field at fault
    ("bands", "points", "id", "name"), ``part`` which sub-item, so a rubric workbook can point
    at its cell; the keys and kinds the message names (``term``) are said by ``worded``."""

    def __init__(self, message: str, *, key: str = "", part: int | None = None):
        super().__init__(message.replace(_TERM, ""))  # a profile file's words: the keys as written
        self.marked = message
        self.key = key
        self.part = part

    def worded(self, words: Mapping[str, str]) -> str:
        """The message with each marked key or kind in ``words`` (“子项分值”, “分段扣分”)."""
        def say(m: re.Match) -> str:
            key = m.group(1)
            return f"“{words[key]}”" if key in words else m.group(0).replace(_TERM, "")
        return _MARKED.sub(say, self.marked)


class NotANumber(EngineError):
    """A value that should be a number is text, a bool, not finite or absurdly large."""

    def __init__(self, value: object):
        super().__init__(f"“{str(value)[:20]}”不是数字")
        self.value = value


class TextNumber(NotANumber):
    """A cell holds text that spells a number ("1660.95", "１６６０", "1,660.95"): a
    spreadsheet formula does not count it as a number, so neither does the engine."""


class InputError(EngineError):
    """An input value has the wrong type; ``name`` is the defined name."""

    def __init__(self, name: str, message: str, *, text_number: bool = False):
        super().__init__(f"{name}：{message}")
        self.name = name
        self.what = message  # the message without the name
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
