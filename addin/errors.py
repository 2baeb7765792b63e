"""User-facing errors: each carries its exit code and a Chinese message (click's model).

The CLI maps them to exit codes in one place (``addin.cli.main``); nothing else prints.
"""

from __future__ import annotations

OK, VALIDATION, UNUSABLE = 0, 1, 2


class PrevalError(Exception):
    """Base of every error a user may see."""

    exit_code = UNUSABLE

    def __init__(self, message: str, *, where: str = "", hint: str = ""):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def show(self) -> str:
        parts = [f"错误：{self.message}"]
        if self.where:
            parts.append(f"位置：{self.where}")
        if self.hint:
            parts.append(f"处理：{self.hint}")
        return "\n".join(parts)


class BadFile(PrevalError):
    """The file cannot be used as an evaluation workbook (exit code 2)."""


class UsageError(PrevalError):
    """Wrong command-line usage or an unknown profile."""


class InputProblem(PrevalError):
    """An input cannot be used for scoring (validation 错误)."""

    exit_code = VALIDATION
