"""A worksheet part read and patched as XML, not through a library model: what preval needs
to leave every byte it does not own as it was ("write only what we own").

``read_sheet`` gives each cell as openpyxl would (a number, text, a bool, a datetime for a
date-formatted number, "=…" for a formula, shared formulas translated to their cell), the
merged ranges and the column widths.

``patch_sheet`` rewrites only ``<sheetData>`` rows that hold a written cell (each written cell
keeps its style; text is an inline string; a shared-formula group touched by a write is
first expanded into plain formulas), the ``ht`` of refitted rows, the ``<hyperlinks>`` of
written cells, and ``<dimension>`` when it must grow. Everything else in the part — sheet
views, protection, conditional formats, data validations (x14 too), sparklines and other
``extLst`` content, drawings — is copied as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree as ET  # on parts the file guard scanned: no DOCTYPE left

from addin.workbook.cell_text import storable
from addin.workbook.openpyxl_parts import builtin_format_code, is_date_format, is_timedelta_format, standalone
from addin.workbook.shared_formula import translate_or_ref_error

# xml.sax.saxutils would do, but it imports urllib.request (~40 ms on every score)
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    """Text as XML character data."""
    return text.translate(_TEXT)


def quoteattr(text: str) -> str:
    """Text as a double-quoted XML attribute value."""
    return f'"{text.translate(_ATTR_ESCAPES)}"'

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def split_ref(ref: str) -> tuple[int, int]:
    m = _REF.match(ref.replace("$", ""))
    if m is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), column_number(m.group(1))


@dataclass
class Styles:
    """What reading needs of styles.xml: which cell formats show a date or a time span."""

    dates: set[int] = field(default_factory=set)
    spans: set[int] = field(default_factory=set)
    epoch: datetime = datetime(1899, 12, 30)
    formats: list[str] = field(default_factory=list)  # cell format index -> its number format code


def read_styles(xml: bytes | None, date1904: bool) -> Styles:
    dates = standalone("utils/datetime.py")
    styles = Styles(epoch=dates.CALENDAR_MAC_1904 if date1904 else dates.CALENDAR_WINDOWS_1900)
    if xml is None:
        return styles
    root = ET.fromstring(xml)
    custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "") for n in root.iter(f"{MAIN}numFmt")}
    xfs = root.find(f"{MAIN}cellXfs")
    for idx, xf in enumerate(xfs if xfs is not None else ()):
        fmt_id = int(xf.get("numFmtId", "0"))
        fmt = custom.get(fmt_id) or builtin_format_code(fmt_id)
        styles.formats.append(fmt or "General")
        if is_date_format(fmt):
            styles.dates.add(idx)
        if is_timedelta_format(fmt):
            styles.spans.add(idx)
    return styles


_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_xstring(text: str) -> str:
    """ECMA-376 Part 1, 22.9.2.19 ST_Xstring: ``_xHHHH_`` is the character HHHH (Excel writes a
    pasted carriage return as ``_x000D_``), and ``_x005F_`` an underscore, so ``_x005F_x0030_``
    is the text "_x0030_". Decoded as Excel and calamine decode it, left to right, once."""
    return _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def escape_xstring(text: str) -> str:
    """The reverse of ``unescape_xstring``: text that happens to read "_x0030_" is written
    "_x005F_x0030_", so Excel shows what preval wrote."""
    return _XSTRING_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text) if "_x" in text else text


def text_of(node: ET.Element) -> str:
    """The text of an <si> or <is>: its <t>, and the <t> of its runs (not phonetic runs)."""
    parts = []
    for child in node:
        if child.tag == f"{MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
    return unescape_xstring("".join(parts))


def read_shared_strings(xml: bytes | None) -> list[str]:
    if xml is None:
        return []
    return [text_of(si) for si in ET.fromstring(xml).iter(f"{MAIN}si")]


@dataclass
class Sheet:
    cells: dict[tuple[int, int], object] = field(default_factory=dict)  # (row, column) -> value or "=…"
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r1, c1, r2, c2)
    widths: dict[str, float] = field(default_factory=dict)  # column letter -> width
    cached: dict[tuple[int, int], object] = field(default_factory=dict)  # a formula cell -> its saved value
    styles: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, column) -> its cell format index


def _number(text: str) -> int | float:
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


_CELL_TAG = re.compile(rb"<c\b([^>]*)>")
_R_ATTR, _S_ATTR = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"'), re.compile(rb'\bs="([0-9]+)"')


def cell_styles(xml: bytes) -> dict[str, int]:
    """Cell -> its cell format index, for a reader that does not parse the sheet itself
    (calamine gives values only): one pass of a regex over the part the file guard scanned."""
    out = {}
    for tag in _CELL_TAG.finditer(xml):
        ref, style = _R_ATTR.search(tag.group(1)), _S_ATTR.search(tag.group(1))
        if ref and style:
            out[ref.group(1).decode()] = int(style.group(1))
    return out


_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.S)
_V = re.compile(rb"<v>([^<]*)</v>")


def error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> the error value (#N/A …) of every cell of type "e" that names its place
    (one regex pass; the file guard has bounded the part)."""
    out = {}
    for m in _ERROR_CELL.finditer(xml):
        ref, value = _R_ATTR.search(m.group(1)), _V.search(m.group(2))
        if ref and value:
            out[split_ref(ref.group(1).decode())] = value.group(1).decode("utf-8", "replace")
    return out


def read_sheet(xml: bytes, strings: list[str], styles: Styles) -> Sheet:
    """The sheet's cells as openpyxl reads them (see the module's docstring)."""
    dates = standalone("utils/datetime.py")
    from_excel, from_ISO8601 = dates.from_excel, dates.from_ISO8601
    sheet = Sheet()

    def typed(kind: str, v: str, style: int) -> object:
        """The value of a <v> of cell type ``kind``, as openpyxl reads it."""
        if kind == "n":
            number = _number(v)
            if style in styles.dates:
                try:
                    return from_excel(number, styles.epoch, timedelta=style in styles.spans)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return strings[int(v)]
        if kind == "b":
            return bool(int(v))
        if kind == "d":
            return from_ISO8601(v)
        if kind == "str":  # a formula's text result, an ST_Xstring too
            return unescape_xstring(v)
        return v  # "e" (an error value): as written

    root = ET.fromstring(xml)
    shared: dict[str, tuple[str, str]] = {}  # si -> (master formula, master cell)
    data = root.find(f"{MAIN}sheetData")
    row_number = 0
    for row in data if data is not None else ():
        row_number = int(row.get("r") or row_number + 1)
        column = 0
        for c in row.iter(f"{MAIN}c"):
            ref = c.get("r")
            if ref:
                row_number, column = split_ref(ref)
            else:
                column += 1
            kind = c.get("t", "n")
            if c.get("s"):
                sheet.styles[(row_number, column)] = int(c.get("s") or 0)
            f = c.find(f"{MAIN}f")
            if f is not None:
                value: object = "=" + (f.text or "")
                if f.get("t") == "shared":
                    si = f.get("si") or ""
                    if si in shared and not f.text:
                        master, origin = shared[si]
                        value = translate_or_ref_error(master, origin, f"{column_letters(column)}{row_number}")
                    elif f.text:
                        shared[si] = (value, f"{column_letters(column)}{row_number}")  # type: ignore[assignment]
                sheet.cells[(row_number, column)] = value
                v = c.findtext(f"{MAIN}v")
                if v is not None and v != "":  # the value the application saved with it
                    sheet.cached[(row_number, column)] = typed(kind, v, int(c.get("s") or 0))
                continue
            if kind == "inlineStr":
                node = c.find(f"{MAIN}is")
                if node is not None:
                    sheet.cells[(row_number, column)] = text_of(node)
                continue
            v = c.findtext(f"{MAIN}v")
            if v is None or v == "":
                continue
            sheet.cells[(row_number, column)] = typed(kind, v, int(c.get("s") or 0))
    for merge in root.iter(f"{MAIN}mergeCell"):
        ref = merge.get("ref") or ""
        if ":" in ref:
            (r1, c1), (r2, c2) = (split_ref(x) for x in ref.split(":"))
            sheet.merged.append((r1, c1, r2, c2))
    for col in root.iter(f"{MAIN}col"):
        if col.get("width"):
            for n in range(int(col.get("min", "1")), min(int(col.get("max", "1")), 50) + 1):
                sheet.widths[column_letters(n)] = float(col.get("width") or 0)
    return sheet


# ------------------------------------------------------------------------------- patching

_SHEET_DATA = re.compile(r"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", re.S)
_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(r'\s([\w:]+)="([^"]*)"')
# CT_Worksheet children that come after <hyperlinks> (ECMA-376 Part 1, 18.3.1.99)
_AFTER_HYPERLINKS = ("printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
                     "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
                     "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                     "tableParts", "extLst")


def _found(pattern: str, text: str) -> str:
    """The first group of ``pattern`` in ``text``; a ValueError when the XML is not as expected."""
    m = re.search(pattern, text, re.S)
    if m is None:
        raise ValueError(f"unexpected XML near {text[:60]!r}")
    return m.group(1)


def _attrs(text: str) -> dict[str, str]:
    return dict(_ATTR.findall(" " + text))


def _attr_text(attrs: dict[str, str]) -> str:
    return "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())


@dataclass
class Write:
    value: object
    formula: bool = False
    cached: object = None  # a formula's value as saved beside it (<v>)
    keep: bool = False  # only the saved value: the cell's formula stays as the application wrote it


def _formula_xml(ref: str, s: str, write: Write, f: str | None = None) -> str:
    """A formula with its value: a reader that does not recalculate (calamine, a viewer,
    Excel before fullCalcOnLoad takes effect) shows the value instead of an empty cell.
    ``f``: the cell's own <f> element, kept as it is (a ``keep`` write)."""
    f = f or f"<f>{escape(str(write.value)[1:])}</f>"
    cached = write.cached
    if cached is None or cached == "":
        return f'<c r="{ref}"{s}>{f}</c>'
    if isinstance(cached, bool):
        return f'<c r="{ref}"{s} t="b">{f}<v>{int(cached)}</v></c>'
    if isinstance(cached, (int, float)):
        return f'<c r="{ref}"{s}>{f}<v>{cached!r}</v></c>'
    return f'<c r="{ref}"{s} t="str">{f}<v>{escape(escape_xstring(storable(str(cached))))}</v></c>'


def _saved_value(cell: list, value: object) -> bool:
    """Give a formula cell ``value`` as its saved value, its <f> and its other attributes (the
    style, Excel's cell metadata) as they are; False for a cell without a formula (typed over:
    nothing to save a value for)."""
    own = re.search(r"<f\b[^>]*/>|<f\b[^>]*>.*?</f>", cell[1], re.S)
    if own is None:
        return False
    attrs = _attrs(_found(r"<c\b([^>]*?)(?:/>|>)", cell[1]))
    attrs.pop("t", None)  # the saved value's type is the new value's
    ref = attrs.pop("r")
    cell[1] = _formula_xml(ref, _attr_text(attrs), Write(None, cached=value), own.group(0))
    return True


def _cell_xml(ref: str, style: str | None, write: Write) -> str:
    s = f' s="{style}"' if style else ""
    value = write.value
    if write.formula:
        return _formula_xml(ref, s, write)
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        value = value.isoformat()
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(escape_xstring(text))}</t></is></c>'


@dataclass
class _Row:
    number: int
    attrs: dict[str, str]
    cells: list[list]  # [column, xml]
    changed: bool = False


def _parse_rows(inner: str) -> list[_Row]:
    rows, number = [], 0
    for m in _ROW.finditer(inner):
        attrs = _attrs(m.group(1))
        number = int(attrs["r"]) if "r" in attrs else number + 1
        attrs["r"] = str(number)
        cells, column = [], 0
        for c in _CELL.finditer(m.group(2) or ""):
            ref = _attrs(c.group(1)).get("r")
            column = split_ref(ref)[1] if ref else column + 1
            xml = c.group(0) if ref else c.group(0).replace("<c", f'<c r="{column_letters(column)}{number}"', 1)
            cells.append([column, xml])
        rows.append(_Row(number, attrs, cells))
    return rows


def _expand_shared(rows: list[_Row], touched: set[tuple[int, int]]) -> None:
    """Every shared-formula group with a touched cell becomes plain formulas, each translated
    to its own cell, so writing one cell cannot orphan the others (Part 1, 18.3.1.40)."""
    groups: dict[str, list[tuple[_Row, list]]] = {}
    for row in rows:
        for cell in row.cells:
            m = re.search(r'<f\b[^>]*\bt="shared"[^>]*\bsi="(\d+)"', cell[1])
            if m:
                groups.setdefault(m.group(1), []).append((row, cell))
    for members in groups.values():
        if not any((row.number, cell[0]) in touched for row, cell in members):
            continue
        master = next((m for m in members if re.search(r"<f\b[^>]*>[^<]+</f>", m[1][1])), None)
        if master is None:
            continue
        text = "=" + _unescape(_found(r"<f\b[^>]*>([^<]+)</f>", master[1][1]))
        origin = f"{column_letters(master[1][0])}{master[0].number}"
        for row, cell in members:
            formula = translate_or_ref_error(text, origin, f"{column_letters(cell[0])}{row.number}")
            cell[1] = re.sub(r"<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>", f"<f>{escape(formula[1:])}</f>", cell[1], count=1)
            row.changed = True


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def patch_sheet(xml: bytes, writes: dict[tuple[int, int], Write], heights: dict[int, float],
                links: dict[str, tuple[str, str]]) -> bytes:
    """``xml`` with ``writes`` made (a cell keeps its style), ``heights`` set on rows, and
    hyperlinks: ``links`` maps a cell to (location, display); any earlier hyperlink on a
    written cell is removed."""
    text = xml.decode("utf-8")
    m = _SHEET_DATA.search(text)
    if m is None:
        raise ValueError("no sheetData")
    rows = _parse_rows(m.group(1) or "")
    _expand_shared(rows, {key for key, write in writes.items() if not write.keep})
    by_number = {row.number: row for row in rows}
    for (r, c), write in writes.items():
        row = by_number.get(r)
        if row is None:
            row = by_number[r] = _Row(r, {"r": str(r)}, [])
            rows.append(row)
        ref = f"{column_letters(c)}{r}"
        existing = next((cell for cell in row.cells if cell[0] == c), None)
        style = _attrs(_found(r"<c\b([^>]*?)(?:/>|>)", existing[1])).get("s") if existing else None
        if write.keep:
            if existing is not None and _saved_value(existing, write.cached):
                row.changed = True
            continue
        xml_cell = _cell_xml(ref, style, write)
        if existing:
            existing[1] = xml_cell
        else:
            row.cells.append([c, xml_cell])
        row.changed = True
    for r, height in heights.items():
        row = by_number.get(r)
        if row is not None:
            row.attrs.update(ht=f"{height:g}", customHeight="1")
            row.changed = True
    if not any(row.changed for row in rows):
        return xml
    rows.sort(key=lambda row: row.number)
    out = []
    for row in rows:
        row.cells.sort(key=lambda cell: cell[0])
        if row.changed:
            row.attrs.pop("spans", None)  # an optional hint; a stale one would mislead
        body = "".join(cell[1] for cell in row.cells)
        out.append(f"<row{_attr_text(row.attrs)}>{body}</row>" if body else f"<row{_attr_text(row.attrs)}/>")
    head = _found(r"(<sheetData\b[^>]*?)(?=/?>)", m.group(0))
    text = text[: m.start()] + head + ">" + "".join(out) + "</sheetData>" + text[m.end():]
    text = _grow_dimension(text, rows)
    return _hyperlinks(text, {f"{column_letters(c)}{r}" for r, c in writes} | set(links), links).encode("utf-8")


def _grow_dimension(text: str, rows: list[_Row]) -> str:
    m = re.search(r'<dimension ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"\s*/>', text)
    if m is None or not rows:
        return text
    first = split_ref(m.group(1))
    last = split_ref(m.group(2) or m.group(1))
    max_row = max(row.number for row in rows)
    max_col = max((cell[0] for row in rows for cell in row.cells), default=last[1])
    if max_row <= last[0] and max_col <= last[1]:
        return text
    new_last = f"{column_letters(max(max_col, last[1]))}{max(max_row, last[0])}"
    ref = f"{column_letters(first[1])}{first[0]}:{new_last}"
    return text[: m.start()] + f'<dimension ref="{ref}"/>' + text[m.end():]


def _hyperlinks(text: str, replaced: set[str], links: dict[str, tuple[str, str]]) -> str:
    block = re.search(r"<hyperlinks\b[^>]*>(.*?)</hyperlinks>", text, re.S)
    kept = []
    if block is not None:
        for h in re.finditer(r"<hyperlink\b[^>]*?/>|<hyperlink\b[^>]*>.*?</hyperlink>", block.group(1), re.S):
            ref = _attrs(_found(r"<hyperlink\b([^>]*?)/?>", h.group(0))).get("ref")
            if ref not in replaced:
                kept.append(h.group(0))
    new = kept + [f"<hyperlink ref={quoteattr(ref)} location={quoteattr(location)} display={quoteattr(shown)}/>"
                  for ref, (location, shown) in links.items()]
    element = f"<hyperlinks>{''.join(new)}</hyperlinks>" if new else ""
    if block is not None:
        return text[: block.start()] + element + text[block.end():]
    if not element:
        return text
    for tag in _AFTER_HYPERLINKS:
        at = re.search(rf"<{tag}\b", text)
        if at is not None:
            return text[: at.start()] + element + text[at.start():]
    end = text.rindex("</worksheet>")
    return text[:end] + element + text[end:]
