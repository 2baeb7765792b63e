"""``Book`` over the .xlsx package itself: it reads the parts it needs and, when saved, writes
back only what preval owns ("write only what we own").

An openpyxl round trip re-serialises the whole package from openpyxl's model and drops what
that model lacks: a text box, rich text, sparklines, Excel 2010+ data validation, a
customXml part, a workbook's macros, the exact form in which Excel saved a formula. Here
every part is copied as it was, except:

- the worksheets preval wrote into, in which only the written cells, refitted row heights
  and their hyperlinks change (``addin.books.sheet_xml``);
- xl/workbook.xml, which gets ``fullCalcOnLoad`` so Excel recalculates on open (a file saved
  by Excel or LibreOffice does not carry it, and the cached values preval writes are new);
- xl/calcChain.xml, removed (with its relationship and content type) when a formula was
  written, as Excel rebuilds it.

Reading parses only the sheets asked for (``Sheet`` from ``sheet_xml``), so a score does not
pay for 指标体系 or a user's large sheets.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from addin.books import cell_notes
from addin.books.atomic import write_atomic
from addin.books.file_guard import check_package
from addin.books.final_xml import Final, define_names, freeze_sheet, lock_styles
from addin.books.protocol import parse_cell_ref
from addin.books.sheet_xml import (
    MAIN,
    Sheet,
    Styles,
    Write,
    column_letters,
    column_number,
    patch_sheet,
    read_shared_strings,
    read_sheet,
    read_styles,
    split_ref,
)
from addin.books.workbook_xml import external_targets, read_map, relationships
from addin.errors import BadFile
from addin.workbook.cell_text import storable
from addin.workbook.row_height import text_height

_CALC_CHAIN_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
_EXTERNAL_LINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink"
BIG_PART = 2**20  # bytes: written at the fastest compression (see _write_to)


class PackageBook:
    reads_formulas = True

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._package = check_package(self.path)
        damaged = BadFile(f"{self.path.name} 无法打开（文件已损坏或不是 .xlsx）", hint="请在 Excel 中打开并另存为 .xlsx 后再试")
        try:
            self._map = read_map(self.path)
            with zipfile.ZipFile(self.path) as z:
                self._rels = relationships(z, "xl/workbook.xml")
                workbook = z.read("xl/workbook.xml")
        except (ET.ParseError, KeyError, ValueError, zipfile.BadZipFile, OSError):
            raise damaged from None
        self._date1904 = b'date1904="1"' in workbook or b'date1904="true"' in workbook
        self._strings: list[str] | None = None
        self._styles: Styles | None = None
        self._sheets: dict[str, Sheet] = {}
        self._writes: dict[str, dict[tuple[int, int], Write]] = {}
        self._links: dict[str, dict[str, tuple[str, str]]] = {}
        self._fits: list[tuple[str, int, int]] = []
        self._notes: dict[str, dict[str, str]] = {}
        self.notes_refused: list[str] = []  # sheets that kept their own notes and got none of ours
        self.final: Final | None = None  # set by finalize: the package is written as a 定稿

    # ------------------------------------------------------------------ reading

    def _part(self, name: str) -> bytes | None:
        with zipfile.ZipFile(self.path) as z:
            return z.read(name) if name in z.namelist() else None

    def _target(self, type_suffix: str) -> str | None:
        return next((target for rel_type, target, _ in self._rels.values() if rel_type.endswith(type_suffix)), None)

    def _sheet(self, name: str) -> Sheet:
        if name not in self._sheets:
            if self._strings is None:
                part = self._target("/sharedStrings")
                styles = self._target("/styles")
                for read in (part, styles):
                    if read:
                        self._package.reading(read)
                self._strings = read_shared_strings(self._part(part) if part else None)
                self._styles = read_styles(self._part(styles) if styles else None, self._date1904)
            part = self._map.sheets.get(name)
            xml = self._part(part) if part else None
            if part is None or xml is None:
                raise KeyError(name)
            self._package.reading(part, name)
            try:
                self._sheets[name] = read_sheet(xml, self._strings, self._styles or Styles())
            except (ET.ParseError, ValueError, IndexError):
                raise BadFile(f"{self.path.name} 的工作表“{name}”已损坏，无法读取",
                              hint="请在 Excel 中打开并另存为 .xlsx 后再试") from None
        return self._sheets[name]

    def formulas(self, sheet: str) -> dict[str, str]:
        """Cell -> formula of every formula cell of ``sheet`` as saved (before any write)."""
        return {f"{column_letters(c)}{r}": v for (r, c), v in self._sheet(sheet).cells.items()
                if isinstance(v, str) and v.startswith("=")}

    def has_formulas(self, sheet: str) -> bool:
        return bool(self.formulas(sheet))

    def reaches_out(self) -> list[tuple[str, str]]:
        return external_targets(self.path)

    def saved_value(self, sheet: str, coordinate: str) -> object:
        """The value the application saved with a formula cell (None when it saved none)."""
        return self._sheet(sheet).cached.get(split_ref(coordinate))

    def sheet_names(self) -> list[str]:
        return list(self._map.sheets)

    def number_formats(self, sheet: str, cells: dict[str, str]) -> dict[str, str]:
        return {cell: self.number_format(sheet, cell) for cell in cells}

    def number_format(self, sheet: str, coordinate: str) -> str:
        row, column = split_ref(coordinate)
        index = self._sheet(sheet).styles.get((row, column), 0)
        formats = (self._styles or Styles()).formats
        return formats[index] if index < len(formats) else "General"

    def local_names(self) -> list[tuple[str, str, str]]:
        return list(self._map.local)

    def sheet_states(self) -> dict[str, str]:
        return dict(self._map.states)

    def name_text(self, name: str) -> str | None:
        return self._map.names.get(name)

    def name_target(self, name: str) -> tuple[str, str] | None:
        text = self.name_text(name)
        return None if text is None else parse_cell_ref(text)

    def _value(self, sheet: str, row: int, column: int) -> object:
        write = self._writes.get(sheet, {}).get((row, column))
        if write is not None:
            return write.value
        return self._sheet(sheet).cells.get((row, column))

    def _shown(self, sheet: str, row: int, column: int) -> object:
        """What a cell shows once saved: a formula written or kept shows its saved value."""
        write = self._writes.get(sheet, {}).get((row, column))
        if write is not None and write.formula:
            return write.cached
        value = self._value(sheet, row, column)
        if isinstance(value, str) and value.startswith("=") and write is None:
            return self._sheet(sheet).cached.get((row, column))
        return value

    def get(self, sheet: str, coordinate: str) -> object:
        return self._value(sheet, *split_ref(coordinate))

    def block(self, sheet: str, first_row: int, last_row: int, columns: int) -> list[tuple]:
        return [tuple(self._value(sheet, r, c) for c in range(1, columns + 1)) for r in range(first_row, last_row + 1)]

    def used_rows(self, sheet: str, first_row: int, columns: int) -> list[int]:
        cells = self._sheet(sheet).cells
        return sorted({r for (r, c), v in cells.items() if r >= first_row and c <= columns and v not in (None, "")})

    def merged(self, sheet: str, coordinate: str) -> bool:
        row, column = split_ref(coordinate)
        return any(r1 <= row <= r2 and c1 <= column <= c2 for r1, c1, r2, c2 in self._sheet(sheet).merged)

    def external_links(self) -> tuple[str, ...]:
        out = []
        with zipfile.ZipFile(self.path) as z:
            for part in self._map.links:
                target = next(iter(relationships(z, part).values()), ("", "", ""))[1]
                out.append(target)
        return tuple(out)

    # ------------------------------------------------------------------ writing (kept until save)

    def put(self, sheet: str, coordinate: str, value: object) -> None:
        self._writes.setdefault(sheet, {})[split_ref(coordinate)] = Write(
            storable(value) if isinstance(value, str) else value)

    def put_formula(self, sheet: str, coordinate: str, formula: str, cached: object = None) -> None:
        self._writes.setdefault(sheet, {})[split_ref(coordinate)] = Write(formula, formula=True, cached=cached)

    def put_cached(self, sheet: str, coordinate: str, value: object) -> None:
        self._writes.setdefault(sheet, {})[split_ref(coordinate)] = Write(None, formula=True, cached=value, keep=True)

    def note(self, sheet: str, coordinate: str, text: str) -> None:
        """A note (Excel's comment) on a cell, written with the package; a sheet that has notes
        of its own gets none (``notes_refused`` names it after saving)."""
        self._notes.setdefault(sheet, {})[coordinate] = text

    def link(self, sheet: str, coordinate: str, target: str) -> None:
        shown = self.get(sheet, coordinate)
        self._links.setdefault(sheet, {})[coordinate] = (target, "" if shown is None else str(shown))

    def fit_rows(self, sheet: str, first_row: int, last_row: int) -> None:
        self._fits.append((sheet, first_row, last_row))

    def flush(self) -> None:
        pass  # written when saved

    def _heights(self, sheet: str) -> dict[int, float]:
        widths = self._sheet(sheet).widths
        out = {}
        for name, first, last in self._fits:
            if name == sheet:
                for row in range(first, last + 1):
                    values = {letter: self._shown(sheet, row, column_number(letter)) for letter in widths}
                    out[row] = text_height(values, widths)
        return out

    def save(self, out: str | os.PathLike, replace_source: bool = False) -> Path:
        """Write the package with the kept writes to ``out`` (atomically, see atomic.py)."""
        sources = [] if replace_source else [self.path]
        return write_atomic(Path(out), self._write_to, inputs=sources, suffix=".xlsx")

    def _write_to(self, tmp: str) -> None:
        changed: dict[str, bytes] = {}
        wrote_formula = any(w.formula for writes in self._writes.values() for w in writes.values())
        with zipfile.ZipFile(self.path) as z:
            sheets = set(self._writes) | set(self._links) | {name for name, _, _ in self._fits}
            for sheet in sheets:
                part = self._map.sheets[sheet]
                try:
                    changed[part] = patch_sheet(z.read(part), self._writes.get(sheet, {}), self._heights(sheet),
                                                self._links.get(sheet, {}))
                except ValueError:  # XML in a form the patcher does not know (e.g. prefixed elements)
                    raise BadFile(f"{self.path.name} 的工作表“{sheet}”的写法特殊，无法只改写 preval 的单元格而原样保留其余内容，"
                                  "已停止，未写入任何文件",
                                  hint="请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试") from None
            changed["xl/workbook.xml"] = _full_calc_on_load(z.read("xl/workbook.xml"))
            added = self._add_notes(z, changed)
            drop: set[str] = set()
            if self.final is not None:
                self._final_parts(z, changed, drop)
            if wrote_formula or self.final is not None:  # a 定稿 has no formula left to chain
                for rid, (rel_type, target, _) in self._rels.items():
                    if rel_type == _CALC_CHAIN_REL:
                        self._leave_out(z, changed, drop, rid, target)
            with zipfile.ZipFile(tmp, "w") as zout:
                for info in z.infolist():
                    if info.filename in drop:
                        continue
                    data = changed.get(info.filename)
                    if data is None:
                        data = z.read(info)
                    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
                    # a large part (a user's table, a picture) at zlib's fastest level: level 6
                    # costs 4.5 s on a 32 MB sheet, level 1 0.5 s for 12 % more bytes
                    zout.writestr(copy, data, compresslevel=1 if len(data) > BIG_PART else None)
                for name, data in added.items():
                    zout.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)

    def _add_notes(self, z: zipfile.ZipFile, changed: dict[str, bytes]) -> dict[str, bytes]:
        """Notes into ``changed``; the parts the package did not have are returned to be added."""
        added: dict[str, bytes] = {}
        self.notes_refused = []
        names = [info.filename for info in z.infolist()]
        for block, (sheet, part) in enumerate(self._map.sheets.items(), start=100):
            notes = self._notes.get(sheet)
            if not notes:
                continue
            known: dict[str, bytes | None] = {name: None for name in [*names, *added]}
            for name in (cell_notes.rels_part(part), "[Content_Types].xml"):
                if name in changed or name in added:
                    known[name] = added.get(name) or changed[name]
                elif name in names:
                    known[name] = z.read(name)
            parts = cell_notes.add_notes(known, part, changed.get(part) or z.read(part), notes, block)
            if parts is None:
                self.notes_refused.append(sheet)
                continue
            for name, data in parts.items():
                (changed if name in names else added)[name] = data
        return added

    def _drop_external(self, z: zipfile.ZipFile, changed: dict[str, bytes], drop: set[str], rels: str) -> None:
        """From one part of a 定稿: its external relationships (a linked picture's r:link, a
        linked object) and its query tables (their connection is gone), hyperlinks aside."""
        data = changed.get(rels) or z.read(rels)
        source = posixpath.join(posixpath.dirname(posixpath.dirname(rels)), posixpath.basename(rels)[:-5])
        gone = []
        for rel in re.findall(rb"<Relationship\b[^>]*/>", data):
            external = b'TargetMode="External"' in rel and b"/hyperlink" not in rel
            if external or b"/queryTable" in rel:
                found = re.search(rb'\bId="([^"]*)"', rel)
                target = re.search(rb'\bTarget="([^"]*)"', rel)
                if found is None:
                    continue
                gone.append(found.group(1))
                data = data.replace(rel, b"")
                if not external and target is not None:
                    part = posixpath.normpath(posixpath.join(posixpath.dirname(source), target.group(1).decode()))
                    drop.add(part.lstrip("/"))
                    types = "[Content_Types].xml"
                    changed[types] = re.sub(rb'<Override\b[^>]*PartName="/' + re.escape(part.lstrip("/").encode()) + rb'"[^>]*/>',
                                            b"", changed.get(types) or z.read(types))
        if gone:
            changed[rels] = data
            if source in z.namelist():
                text = changed.get(source) or z.read(source)
                for rid in gone:  # <a:blip r:link="rId3"/>: the picture stays, without its link
                    text = re.sub(rb'\s[\w]+:link="' + re.escape(rid) + rb'"', b"", text)
                changed[source] = text

    def _leave_out(self, z: zipfile.ZipFile, changed: dict[str, bytes], drop: set[str], rid: str, part: str) -> None:
        """Leave ``part`` (the workbook's relationship ``rid``) out of the package, with its
        relationship, its content type and its own relationships."""
        drop.update({part, posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")})
        rels, types = "xl/_rels/workbook.xml.rels", "[Content_Types].xml"
        changed[rels] = re.sub(rb'<Relationship\b[^>]*\bId="' + re.escape(rid.encode()) + rb'"[^>]*/>', b"",
                               changed.get(rels) or z.read(rels))
        changed[types] = re.sub(rb'<Override\b[^>]*PartName="/' + re.escape(part.encode()) + rb'"[^>]*/>', b"",
                                changed.get(types) or z.read(types))

    def _final_parts(self, z: zipfile.ZipFile, changed: dict[str, bytes], drop: set[str]) -> None:
        assert self.final is not None
        for sheet, part in self._map.sheets.items():
            try:
                changed[part] = freeze_sheet(changed.get(part) or z.read(part))
            except ValueError:
                raise BadFile(f"{self.path.name} 的工作表“{sheet}”的写法特殊，无法导出定稿，未写入任何文件",
                              hint="请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试") from None
        styles = self._target("/styles")
        if styles:
            changed[styles] = lock_styles(z.read(styles))
        changed["xl/workbook.xml"] = define_names(changed["xl/workbook.xml"], self.final.names)
        # a values-only copy reaches nowhere: external workbooks (and the names that refer through
        # them), the link to preval.xlam (Excel's [1]!, only a warning on open with no formula
        # left), data connections and their query tables, linked pictures and objects
        self.final.dropped = [what + "：" + where for what, where in external_targets(self.path)]
        workbook = changed["xl/workbook.xml"]
        links = [(rid, target) for rid, (rel_type, target, _) in self._rels.items() if rel_type == _EXTERNAL_LINK_REL]
        if links:
            for rid, target in links:
                self._leave_out(z, changed, drop, rid, target)
            through = re.compile(rb"<definedName\b[^>]*>[^<]*\[\d+\][^<]*</definedName>")
            self.final.dropped += [f"名称：{m.decode()}" for m in re.findall(rb'<definedName\b[^>]*name="([^"]*)"[^>]*>[^<]*\[\d+\]',
                                                                          workbook)]
            workbook = through.sub(b"", workbook)
            changed["xl/workbook.xml"] = re.sub(rb"<externalReferences\b.*?</externalReferences>|<externalReferences\s*/>",
                                                b"", workbook, flags=re.S)
        for rid, (rel_type, target, _) in self._rels.items():
            if rel_type.endswith("/connections"):
                self._leave_out(z, changed, drop, rid, target)
        if "xl/connections.xml" in z.namelist() and "xl/connections.xml" not in drop:  # one no relationship names
            drop.add("xl/connections.xml")
            types = "[Content_Types].xml"
            changed[types] = re.sub(rb'<Override\b[^>]*PartName="/xl/connections.xml"[^>]*/>', b"",
                                    changed.get(types) or z.read(types))
        for rels in [n for n in z.namelist() if n.endswith(".rels") and n not in drop]:
            self._drop_external(z, changed, drop, rels)


_CALC_PR = re.compile(rb"<calcPr\b[^>]*?/>|<calcPr\b[^>]*?>")
# CT_Workbook children after <calcPr> (ECMA-376 Part 1, 18.2.28)
_AFTER_CALC_PR = (b"oleSize", b"customWorkbookViews", b"pivotCaches", b"smartTagPr", b"smartTagTypes",
                  b"webPublishing", b"fileRecoveryPr", b"webPublishObjects", b"extLst")


def _full_calc_on_load(xml: bytes) -> bytes:
    m = _CALC_PR.search(xml)
    if m is not None:
        element = re.sub(rb'\sfullCalcOnLoad="[^"]*"', b"", m.group(0))
        element = element.replace(b"<calcPr", b'<calcPr fullCalcOnLoad="1"', 1)
        return xml[: m.start()] + element + xml[m.end():]
    for tag in _AFTER_CALC_PR:
        at = re.search(rb"<" + tag + rb"\b", xml)
        if at is not None:
            return xml[: at.start()] + b'<calcPr fullCalcOnLoad="1"/>' + xml[at.start():]
    end = xml.rindex(b"</workbook>")
    return xml[:end] + b'<calcPr fullCalcOnLoad="1"/>' + xml[end:]


__all__ = ["MAIN", "PackageBook", "column_letters"]
