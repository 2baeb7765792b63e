"""What Excel hands a cell function, turned into engine values — and errors turned back
into something a cell can show.

Two kinds of failure, two answers:
- a bad input is the clerk's to fix: the call returns text that starts with the Excel error
  code and says what is wrong in Chinese ("#DIV/0! 编制数为0，无法计算"; a Python UDF cannot
  return a true error value, xlwings issue #776). IFERROR does not catch text, so the cell
  shows it, and every PREVAL_* function downstream passes it on unchanged;
- the machinery failing (a profile this installation does not have, a bug in preval) is
  not the clerk's: the call raises ``MachineryFailure`` after logging, the add-in's VBA
  wrapper turns any Python exception into #N/A (addin.excel.vba_udfs), and IFERROR then
  shows the workbook's own formulas, which compute the same rubric without Python.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import TypeGuard

from udfs.errors import NotANumber, PrevalError, TextNumber
from udfs.log import log_exception
from udfs.money import cell_number

NOT_APPLICABLE = "无"  # rate of 0/0: the department has no such item (无非税收入)
ERROR_CODES = ("#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#REF!", "#NULL!")
MAX_MESSAGE = 120  # short enough for a cell and far under Excel's 255-character limits


class CellError(PrevalError):
    """Stop a cell function and show ``code message`` in the cell."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code

    def text(self) -> str:
        return f"{self.code} {self.message}"[:MAX_MESSAGE]


class MachineryFailure(Exception):
    """The add-in cannot compute this call (not the input's fault): Excel gets #N/A and
    the workbook falls back to its own formulas. The message goes to the log."""


def is_error_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and value.startswith(ERROR_CODES)


def flatten(value: object) -> list:
    """A scalar, a row, a column or a 2-D block (as xlwings passes ranges) -> flat list."""
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            out.extend(flatten(item))
        return out
    return [value]


def pass_on_error(value: object, what: str) -> None:
    """Raise the error an upstream PREVAL_* cell shows (its code and message), if any."""
    if is_error_text(value):
        code, _, message = value.partition(" ")
        raise CellError(code, message or what)


def number(value: object, what: str) -> Decimal | None:
    """A numeric argument; error text from an upstream cell is passed on as it is."""
    pass_on_error(value, what)
    try:
        return cell_number(value)
    except TextNumber:
        raise CellError("#VALUE!", f"{what}是文本格式的数字，请转换为数字") from None
    except NotANumber:
        raise CellError("#VALUE!", f"{what}应为数字（绝对值不超过10^12），实际为“{str(value)[:20]}”") from None


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def guarded(func: Callable) -> Callable:
    """Never let a traceback reach a cell: CellError (a bad input) -> its text; the
    machinery failing (MachineryFailure, or anything unexpected: a bug) -> logged, then
    raised, so the VBA wrapper returns #N/A and the cell's IFERROR falls back."""

    @functools.wraps(func)
    def wrapper(*args):
        try:
            return func(*args)
        except CellError as exc:
            return exc.text()
        except Exception as exc:
            log = log_exception(func.__name__)
            raise MachineryFailure(f"{func.__name__}计算出错，详见日志 {log.name}") from exc

    return wrapper
