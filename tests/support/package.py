"""Edits of a saved workbook at the package level, as a submitter with a zip tool or Excel's
名称管理器 would leave them: openpyxl would normalise what these tests need to keep (a
sheet-scoped name, a veryHidden sheet, a name's exact text)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

WORKBOOK = "xl/workbook.xml"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


def rewrite(src: Path, dst: Path, changes: Mapping[str, Callable[[bytes], bytes]],
            added: Mapping[str, bytes] | None = None) -> Path:
    """A copy of ``src`` with each named part passed through its change, and parts added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, changes[info.filename](data) if info.filename in changes else data)
        for name, data in (added or {}).items():
            zout.writestr(name, data)
    return dst


def sub(pattern: str, replacement: str, count: int = 1) -> Callable[[bytes], bytes]:
    """A change that must apply: ``pattern`` (a regex over the part's text) found ``count`` times."""
    def change(data: bytes) -> bytes:
        text, n = re.subn(pattern, replacement, data.decode("utf-8"), count=count)
        assert n == count, (pattern, n)
        return text.encode("utf-8")
    return change


def repoint(name: str, target: str) -> Callable[[bytes], bytes]:
    """The workbook-scoped name ``name`` made to refer to ``target`` ("'财务数据'!$B$9")."""
    return sub(rf'(<definedName name="{re.escape(name)}"[^>]*>)[^<]*(</definedName>)', rf"\g<1>{target}\g<2>")


def add_definition(name: str, sheet_index: int, target: str) -> Callable[[bytes], bytes]:
    """A sheet-scoped definition of ``name`` on the sheet at ``sheet_index`` (Excel's localSheetId)."""
    return sub(r"</definedNames>", f'<definedName name="{name}" localSheetId="{sheet_index}">{target}</definedName></definedNames>')


def rename_sheet(old: str, new: str) -> Callable[[bytes], bytes]:
    return sub(rf'name="{re.escape(old)}"', f'name="{new}"')


def sheet_state(name: str, state: str) -> Callable[[bytes], bytes]:
    return sub(rf'(name="{re.escape(name)}" sheetId="\d+" )state="\w+"', rf'\g<1>state="{state}"')


def with_new_sheet(src: Path, dst: Path, name: str, state: str = "visible",
                   changes: Mapping[str, Callable[[bytes], bytes]] | None = None) -> Path:
    """A copy of ``src`` with one more (empty) worksheet named ``name``, after ``changes``."""
    part, rid = "xl/worksheets/sheet_added.xml", "rIdAdded"
    sheet = f'<sheet xmlns:r="{_R}" name="{name}" sheetId="99" state="{state}" r:id="{rid}"/></sheets>'
    rel = (f'<Relationship Type="{_R}/worksheet" Target="/{part}" Id="{rid}"/></Relationships>')
    override = ('<Override PartName="/' + part + '" ContentType="application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.worksheet+xml"/></Types>')
    book = dict(changes or {})
    first = book.get(WORKBOOK, lambda data: data)
    book[WORKBOOK] = lambda data: sub(r"</sheets>", sheet)(first(data))
    book["xl/_rels/workbook.xml.rels"] = sub(r"</Relationships>", rel)
    book["[Content_Types].xml"] = sub(r"</Types>", override)
    return rewrite(src, dst, book, {part: EMPTY_SHEET})
