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


def with_format(src: Path, dst: Path, cells: Mapping[tuple[str, str], str]) -> Path:
    """A copy of ``src`` in which each (sheet, cell) has the custom number format given, as
    Excel's 设置单元格格式→自定义 stores it: a numFmt and a cell format in styles.xml, the
    cell's s= pointing at it."""
    from xml.sax.saxutils import quoteattr

    from addin.books.workbook_xml import read_map

    sheets = read_map(src).sheets
    with zipfile.ZipFile(src) as z:
        styles = z.read("xl/styles.xml").decode()
    xfs = re.search(r'<cellXfs count="(\d+)">', styles)
    assert xfs is not None
    first = int(xfs.group(1))
    codes = list(dict.fromkeys(cells.values()))
    numfmts = "".join(f"<numFmt numFmtId=\"{300 + n}\" formatCode={quoteattr(code)}/>" for n, code in enumerate(codes))
    new_xfs = "".join(f'<xf numFmtId="{300 + n}" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
                      for n in range(len(codes)))

    def restyle(data: bytes) -> bytes:
        text = data.decode()
        if "<numFmts" in text:
            text = re.sub(r'<numFmts count="(\d+)">', lambda m: f'<numFmts count="{int(m.group(1)) + len(codes)}">' + numfmts,
                          text, count=1)
        else:
            text = text.replace("<fonts", f'<numFmts count="{len(codes)}">{numfmts}</numFmts><fonts', 1)
        text = re.sub(r'<cellXfs count="(\d+)">(.*?)</cellXfs>',
                      lambda m: f'<cellXfs count="{first + len(codes)}">{m.group(2)}{new_xfs}</cellXfs>', text, count=1,
                      flags=re.S)
        return text.encode()

    changes: dict[str, Callable[[bytes], bytes]] = {"xl/styles.xml": restyle}
    for (sheet, cell), code in cells.items():
        style = first + codes.index(code)
        part = sheets[sheet]
        before = changes.get(part, lambda data: data)

        def one(data: bytes, cell=cell, style=style, before=before) -> bytes:
            text = before(data).decode()
            text, n = re.subn(rf'<c r="{cell}"( s="\d+")?', f'<c r="{cell}" s="{style}"', text, count=1)
            assert n == 1, cell
            return text.encode()
        changes[part] = one
    return rewrite(src, dst, changes)


def carrying(src: Path, dst: Path, text: str) -> Path:
    """A copy of ``src`` whose carried rubric (指标体系's hidden column) is ``text``, its digest
    recomputed as a forger would: what the rubric bounds and V407/V410 are tested against."""
    from addin.books.workbook_xml import read_map
    from addin.workbook import layout as L
    from udfs.profile.serialize import digest

    col = L.EMBED_COLUMN
    cells = {L.EMBED_DIGEST_ROW: digest(text)}
    for n, start in enumerate(range(0, len(text), L.EMBED_CHUNK)):
        cells[L.EMBED_FIRST_ROW + n] = L.EMBED_MARK + text[start:start + L.EMBED_CHUNK]

    def change(data: bytes) -> bytes:
        xml = re.sub(rf'<c r="{col}\d+"[^>]*?(/>|>.*?</c>)', "", data.decode("utf-8"))
        for row, value in cells.items():
            cell = f'<c r="{col}{row}" t="inlineStr"><is><t>{value.replace("&", "&amp;").replace("<", "&lt;")}</t></is></c>'
            if re.search(rf'<row r="{row}"[ >]', xml):
                xml = re.sub(rf'(<row r="{row}"[^>]*>)(.*?)(</row>)',
                             lambda m, cell=cell: m.group(1) + m.group(2) + cell + m.group(3), xml, count=1, flags=re.S)
            else:
                xml = xml.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>', 1)
        return xml.encode("utf-8")
    return rewrite(src, dst, {read_map(src).sheets[L.RUBRIC]: change})
