"""Notes (Excel's "comments", the red corner that shows a text on hover) added to one sheet of a
package without touching anything else in it: a comments part, the legacy VML drawing Excel
needs to show them (the form openpyxl and Excel write: ECMA-376 Part 1, 18.7 and Part 4's VML),
the sheet's relationships, its <legacyDrawing> element, and the content types.

A sheet that already has notes (a legacyDrawing or a comments relationship) is left as it is:
merging into another application's VML is not worth a user's notes; ``add_notes`` says so by
returning None and the caller tells the user where the text is instead.
"""

from __future__ import annotations

import posixpath
import re
from xml.sax.saxutils import escape, quoteattr

from addin.books.sheet_xml import split_ref

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_COMMENTS = _R + "/comments"
_VML = _R + "/vmlDrawing"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
# where <legacyDrawing> goes: before the first of these (CT_Worksheet's sequence), else at the end
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst")
AUTHOR = "preval"


def rels_part(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def _free_name(parts: set[str], stem: str, ext: str) -> str:
    n = 1
    while f"{stem}{n}{ext}" in parts:
        n += 1
    return f"{stem}{n}{ext}"


def _comments_xml(notes: dict[str, str]) -> bytes:
    items = "".join(f'<comment ref="{ref}" authorId="0"><text><r><t xml:space="preserve">{escape(text)}</t></r></text>'
                    "</comment>" for ref, text in notes.items())
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<authors><author>{AUTHOR}</author></authors><commentList>{items}</commentList></comments>").encode()


def _vml(notes: dict[str, str], block: int) -> bytes:
    shapes = []
    for index, ref in enumerate(notes):
        row, column = split_ref(ref)
        shapes.append(
            f'<v:shape id="_x0000_s{block * 1024 + index + 1}" type="#_x0000_t202" style="position:absolute;'
            'margin-left:59.25pt;margin-top:1.5pt;width:288pt;height:90pt;z-index:1;visibility:hidden" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/>'
            '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False'
            f"</x:AutoFill><x:Row>{row - 1}</x:Row><x:Column>{column - 1}</x:Column></x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            + "".join(shapes) + "</xml>").encode()


def add_notes(parts: dict[str, bytes | None], sheet_part: str, sheet_xml: bytes, notes: dict[str, str],
              block: int) -> dict[str, bytes] | None:
    """The parts to write (new or changed) so that ``sheet_part`` shows ``notes`` (cell → text);
    ``parts`` maps every part name of the package to its bytes where this needs them (the sheet's
    relationships and the content types; None for the others). ``block`` numbers the VML shapes
    apart from other sheets' (Excel's o:idmap). None when the sheet has notes already."""
    if not notes:
        return {}
    xml = sheet_xml.decode("utf-8")
    rels_name = rels_part(sheet_part)
    rels = (parts.get(rels_name) or b"").decode("utf-8")
    if "<legacyDrawing" in xml or _COMMENTS in rels or _VML in rels:
        return None
    names = set(parts)
    comments = _free_name(names, "xl/comments", ".xml")
    vml = _free_name(names, "xl/drawings/vmlDrawing", ".vml")
    used = set(re.findall(r'\bId="([^"]+)"', rels))
    ids = [f"rId{n}" for n in range(1, len(used) + 3) if f"rId{n}" not in used][:2]
    new = (f'<Relationship Id="{ids[0]}" Type="{_COMMENTS}" Target="{posixpath.relpath(comments, "xl/worksheets")}"/>'
           f'<Relationship Id="{ids[1]}" Type="{_VML}" Target="{posixpath.relpath(vml, "xl/worksheets")}"/>')
    if rels:
        rels = rels.replace("</Relationships>", new + "</Relationships>")
    else:
        rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{new}</Relationships>')
    root = re.search(r"<(?:\w+:)?worksheet\b[^>]*>", xml)
    if root is None or re.match(r"<\w+:", root.group(0)):
        return None  # a prefixed worksheet: not a form this writer edits
    prefix = "r"
    if f'xmlns:r="{_R}"' not in root.group(0):
        if "xmlns:r=" in root.group(0):
            prefix = "rn"  # r is bound to something else: use our own prefix
        xml = xml[:root.end() - 1] + f' xmlns:{prefix}={quoteattr(_R)}' + xml[root.end() - 1:]
    element = f'<legacyDrawing {prefix}:id="{ids[1]}"/>'
    at = min((m.start() for tag in _AFTER_LEGACY for m in [re.search(rf"<{tag}\b", xml)] if m),
             default=xml.rindex("</worksheet>"))
    xml = xml[:at] + element + xml[at:]
    types = (parts.get("[Content_Types].xml") or b"").decode("utf-8")
    if 'Extension="vml"' not in types:
        types = types.replace("</Types>", f'<Default Extension="vml" ContentType="{_VML_TYPE}"/></Types>')
    types = types.replace("</Types>", f'<Override PartName="/{comments}" ContentType="{_COMMENTS_TYPE}"/></Types>')
    return {sheet_part: xml.encode("utf-8"), rels_name: rels.encode("utf-8"), comments: _comments_xml(notes),
            vml: _vml(notes, block), "[Content_Types].xml": types.encode("utf-8")}
