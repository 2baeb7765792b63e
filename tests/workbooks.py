"""The reference case as a standard workbook file, for the tests that run the CLI on files."""

from pathlib import Path

from addin.book import write_case
from addin.openpyxl_book import OpenpyxlBook
from addin.template import build_workbook
from udfs import reference_case


def reference_workbook(path: Path, findings=None, **changes) -> Path:
    """reference-case.md filled into a fresh standard workbook, with ``changes`` to inputs."""
    wb = build_workbook()
    write_case(OpenpyxlBook(wb), dict(reference_case.RAW_INPUTS, **changes),
               reference_case.RAW_FINDINGS if findings is None else findings)
    wb.save(path)
    return path
