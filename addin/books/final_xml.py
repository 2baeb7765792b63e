"""The parts of a 定稿 beyond its cells, as text edits of the package (``PackageBook.save``
with a ``Final``): every part not named here is copied byte for byte, so a user's text boxes,
images, comments and sheets arrive in the 定稿 as they were (an openpyxl rewrite dropped them).

- each worksheet: no dropdowns (``dataValidations``, and Excel 2010's ``x14:dataValidations``
  in ``extLst``), no conditional formats (likewise), protected (``sheetProtection sheet="1"``,
  ECMA-376 Part 1, 18.3.1.85, placed after ``sheetData``/``sheetCalcPr``);
- styles.xml: every cell format locked (``locked="0"`` is the only way a format unlocks);
- workbook.xml: the defined names that mark the 定稿 (``addin.checks.final``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from addin.books.sheet_xml import escape, quoteattr


@dataclass
class Final:
    """What makes a package a 定稿 besides its values: names -> text constants."""

    names: dict[str, str]
    dropped: list[str] = field(default_factory=list)  # the external places left out, for the message


_WORKSHEET = re.compile(rb"<worksheet\b")
_BLOCKS = (rb"<dataValidations\b.*?</dataValidations>", rb"<dataValidations\b[^>]*/>",
           rb"<conditionalFormatting\b.*?</conditionalFormatting>")
# an <ext> of extLst holding Excel 2010's dropdowns or conditional formats
_EXT = re.compile(rb"<ext\b[^>]*>(?:(?!</ext>).)*?<x14:(?:dataValidations|conditionalFormattings)\b.*?</ext>", re.S)
_PROTECTION = re.compile(rb"<sheetProtection\b[^>]*?/>")
_AFTER_DATA = re.compile(rb"</sheetData>|<sheetData\b[^>]*/>")
_CALC_PR = re.compile(rb"\s*<sheetCalcPr\b[^>]*/>")  # matched at a position: .match(xml, at)


def freeze_sheet(xml: bytes) -> bytes:
    """A worksheet part without dropdowns or conditional formats, and protected. A ValueError
    when the part is not in the form Excel, WPS and LibreOffice write (prefixed elements)."""
    if not _WORKSHEET.search(xml) or not _AFTER_DATA.search(xml):
        raise ValueError("worksheet XML in a form the 定稿 writer does not know")
    for block in _BLOCKS:
        xml = re.sub(block, b"", xml, flags=re.S)
    xml = _EXT.sub(b"", xml)
    xml = re.sub(rb"<extLst>\s*</extLst>", b"", xml)
    m = _PROTECTION.search(xml)
    if m is not None:
        element = re.sub(rb'\ssheet="[^"]*"', b"", m.group(0)).replace(b"<sheetProtection", b'<sheetProtection sheet="1"', 1)
        return xml[: m.start()] + element + xml[m.end():]
    end = _AFTER_DATA.search(xml)
    assert end is not None
    at = end.end()
    calc = _CALC_PR.match(xml, at)
    if calc is not None:
        at = calc.end()
    return xml[:at] + b'<sheetProtection sheet="1" objects="1" scenarios="1"/>' + xml[at:]


def lock_styles(xml: bytes) -> bytes:
    """styles.xml with every cell format locked."""
    return re.sub(rb'(<protection\b[^>]*?\s)locked="(?:0|false)"', rb'\1locked="1"', xml)


def define_names(xml: bytes, names: dict[str, str]) -> bytes:
    """workbook.xml with workbook-scoped names holding text constants (replacing any of the
    same name)."""
    text = xml.decode("utf-8")
    for name in names:
        text = re.sub(rf'<definedName\b(?=[^>]*\bname={re.escape(quoteattr(name))})(?![^>]*localSheetId)[^>]*>.*?</definedName>',
                      "", text, flags=re.S)
    new = "".join(f'<definedName name={quoteattr(name)}>{escape(_constant(value))}</definedName>'
                  for name, value in names.items())
    m = re.search(r"<definedNames\b[^>]*>", text)
    if m is not None:
        return (text[: m.end()] + new + text[m.end():]).encode("utf-8")
    text = re.sub(r"<definedNames\s*/>", "", text)
    # CT_Workbook: definedNames after sheets, functionGroups, externalReferences (18.2.28)
    anchor = max((m.end() for tag in ("sheets", "functionGroups", "externalReferences")
                  for m in re.finditer(rf"</{tag}>|<{tag}\b[^>]*/>", text)), default=None)
    if anchor is None:
        raise ValueError("workbook.xml without <sheets>")
    return (text[:anchor] + f"<definedNames>{new}</definedNames>" + text[anchor:]).encode("utf-8")


def _constant(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
