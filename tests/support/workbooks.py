"""Files the tests share: the reference case as a standard workbook, and the built
add-in's settings sheet read back."""

import io
from pathlib import Path

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.workbook.build import build_workbook
from udfs import reference_case


def reference_workbook(path: Path, findings=None, **changes) -> Path:
    """reference-case.md filled into a fresh standard workbook, with ``changes`` to inputs."""
    wb = build_workbook()
    write_case(OpenpyxlBook(wb), dict(reference_case.RAW_INPUTS, **changes),
               reference_case.RAW_FINDINGS if findings is None else findings, reference_case.RAW_PROJECTS)
    wb.save(path)
    return path


def reference_bytes() -> bytes:
    """The reference case in a fresh standard workbook, as the bytes of its file."""
    wb = build_workbook()
    write_case(OpenpyxlBook(wb), reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS, reference_case.RAW_PROJECTS)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def addin_conf_rows(xlam: Path) -> list[list]:
    """The add-in's settings sheet (preval.conf), read with calamine (not the writer)."""
    from python_calamine import CalamineWorkbook

    from addin.excel.build_addin import CONF_SHEET

    return CalamineWorkbook.from_path(str(xlam)).get_sheet_by_name(CONF_SHEET).to_python()


def addin_settings(xlam: Path) -> dict:
    """Key -> value of the xlwings settings in columns A:B."""
    return {row[0]: row[1] for row in addin_conf_rows(xlam) if row[0]}
