"""The errors of files and commands, in the tree of ``udfs.errors.PrevalError``: each
carries its exit code and a Chinese message. The CLI maps them to exit codes in one place
(``addin.cli.main``); nothing else prints.
"""

from __future__ import annotations

from udfs.errors import BUG, OK, UNUSABLE, VALIDATION, PrevalError

__all__ = ["BUG", "OK", "UNUSABLE", "VALIDATION", "PrevalError"]


class BadFile(PrevalError):
    """The file cannot be used as an evaluation workbook (exit code 2)."""


class UsageError(PrevalError):
    """Wrong command-line usage or an unknown profile."""


class InputProblem(PrevalError):
    """An input cannot be used for scoring (validation 错误)."""

    exit_code = VALIDATION
