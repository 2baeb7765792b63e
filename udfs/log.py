"""Where preval writes what a user must not see: the traceback of an unexpected error.

Every door shows one short Chinese sentence and names the log file; the details go here.
One folder per user (``%LOCALAPPDATA%\\preval`` on Windows, ``~/.cache/preval`` elsewhere),
one rotating file per door: ``udf.log`` for Excel (cells and ribbon share one Python
process), ``cli.log`` for the shell. ``PREVAL_LOG`` names the file instead (tests, IT).
"""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

UDF_LOG, CLI_LOG = "udf.log", "cli.log"
MAX_BYTES, BACKUPS = 1_000_000, 3  # a few tracebacks a day for years; never a full disk


def log_path(default: str = UDF_LOG) -> Path:
    if os.environ.get("PREVAL_LOG"):
        return Path(os.environ["PREVAL_LOG"])
    base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "preval" / default


def log_exception(what: str, default: str = UDF_LOG) -> Path:
    """Append the exception being handled, with its traceback, to the log; return its path.
    Never raises: a failing log must not turn into the traceback it was meant to hide."""
    path = log_path(default)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # opened per failure (rare): the path may change between calls (PREVAL_LOG)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        try:
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
            handler.handle(logging.LogRecord("preval", logging.ERROR, __file__, 0, "%s failed", (what,),
                                             sys.exc_info()))
        finally:
            handler.close()
    except Exception:  # noqa: BLE001 - logging must never break a cell or a command
        pass
    return path
