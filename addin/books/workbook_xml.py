"""The map of a package, read from xl/workbook.xml and its relationships: which part holds
which sheet, the workbook-scoped defined names, the external links in order. For the readers
that do not get it from a library (calamine does not expose names). Parsed with defusedxml,
on parts the file guard has already scanned."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree as ET

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class WorkbookMap:
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> part ("xl/worksheets/sheet1.xml")
    names: dict[str, str] = field(default_factory=dict)  # workbook-scoped name -> its text
    local: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, name, text) of sheet-scoped names
    states: dict[str, str] = field(default_factory=dict)  # sheet -> "visible", "hidden" or "veryHidden"
    links: tuple[str, ...] = ()  # external link part names, in the order "[1]", "[2]" … count them


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def relationships(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str, str]]:
    """Id -> (type, resolved target, target mode) of a part's relationships."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if rels not in z.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(z.read(rels)).iter(f"{REL_NS}Relationship"):
        mode = rel.get("TargetMode") or ""
        target = rel.get("Target") or ""
        out[rel.get("Id") or ""] = (rel.get("Type") or "", target if mode == "External" else _resolve(part, target), mode)
    return out


def read_map(path: Path) -> WorkbookMap:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("xl/workbook.xml"))
        rels = relationships(z, "xl/workbook.xml")
    out = WorkbookMap()
    order = []  # localSheetId is a sheet's index in <sheets>
    for sheet in root.iter(f"{MAIN}sheet"):
        rel = rels.get(sheet.get(f"{OFFICE_REL}id") or "")
        order.append(sheet.get("name") or "")
        if rel is not None and sheet.get("name"):
            out.sheets[sheet.get("name")] = rel[1]
            out.states[sheet.get("name")] = sheet.get("state") or "visible"
    for el in root.iter(f"{MAIN}definedName"):
        name, scope = el.get("name"), el.get("localSheetId")
        if scope is None and name and el.text:
            out.names[name] = el.text
        elif scope is not None and scope.isdigit() and int(scope) < len(order) and name:
            out.local.append((order[int(scope)], name, el.text or ""))
    out.links = tuple(rels[ref.get(f"{OFFICE_REL}id") or ""][1] for ref in root.iter(f"{MAIN}externalReference")
                      if (ref.get(f"{OFFICE_REL}id") or "") in rels)
    return out


_HYPERLINK = "/hyperlink"  # contacted only when clicked: not a place the file reaches on open
_KIND = {"/externalLinkPath": "外部链接", "/image": "链接的图片", "/oleObject": "链接的对象", "/attachedTemplate": "模板"}


def external_targets(path: Path) -> list[tuple[str, str]]:
    """(what, where) of every place the workbook makes Excel contact when it is opened: a
    relationship of any part with TargetMode External (an external workbook, a linked
    picture or object) but hyperlinks and the link to preval.xlam (its PREVAL_* functions),
    and every data connection or web query (xl/connections.xml)."""
    out: list[tuple[str, str]] = []
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        for rels in (n for n in names if n.endswith(".rels")):
            for rel in ET.fromstring(z.read(rels)).iter(f"{REL_NS}Relationship"):
                kind, target = rel.get("Type") or "", rel.get("Target") or ""
                if rel.get("TargetMode") != "External" or kind.endswith(_HYPERLINK):
                    continue
                if posixpath.basename(target.replace("\\", "/")).lower() == "preval.xlam":
                    continue
                out.append((next((w for k, w in _KIND.items() if kind.endswith(k)), "外部关系"), target))
        if "xl/connections.xml" in names:
            for el in ET.fromstring(z.read("xl/connections.xml")):
                where = ""
                for child in el:
                    where = child.get("url") or child.get("connection") or child.get("sourceFile") or where
                out.append(("数据连接", where or el.get("name") or "（未命名）"))
    return out
