"""What a file must be before any reader parses it, for every door (score, validate, report,
finalize, upgrade, batch, the ribbon's 定稿): a regular file that is an .xlsx package of sane
size, every part of which is free of XML entity declarations. Everything refused here is
refused with one Chinese message (``BadFile``, exit 2).

Why before the readers: a zip bomb, a part that lies about its size, or a sheet with one cell
at XFD1048576 is only found out by unpacking, at the cost of minutes and gigabytes inside a
reader (calamine allocates the whole used range); a DOCTYPE with entities ("billion laughs",
external entities) is never in a file Excel writes. So every part is unpacked here, as a
stream under a running byte cap (the sizes in the zip directory are not trusted), and
scanned whole — whatever its name, in UTF-8 or UTF-16 — and the extent of every worksheet's
cells is measured, so a reader knows what it can afford (``Package.extent``).
"""

from __future__ import annotations

import posixpath
import re
import stat
import xml.etree.ElementTree as ET  # only on parts already scanned: no DOCTYPE is left to expand
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from addin.errors import BadFile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and an .xlsx saved with a password
# An evaluation workbook is well under 1 MB unpacked; a user's extra sheets and images may
# add some. Past these a file is refused rather than risked.
MAX_UNPACKED = 100 * 2**20
MAX_PART = 60 * 2**20
MAX_RATIO = 200  # unpacked/packed of one part: XML compresses ~10-20x, a bomb 1000x
MAX_PARTS = 1000
CHUNK = 2**16
# What the readers will allocate, counted before they allocate it (issue 31): the standard
# workbook has ~3,400 cells, ~30 cell formats, ~90 names, ~40 relationships and 12 sheets, so
# these are near a hundred times what a department's own additions need, and each is what every
# reader (calamine, our package reader, openpyxl in the rubric commands) can hold within 300 MB
# and 2 s (bench/worst_files.py). Counted by one regex over every unpacked chunk of every part,
# not a parse: the opening tags <c, <xf, <si, <definedName and <Relationship, with or without
# a namespace prefix (COUNTED below).
MAX_CELLS = 200_000
# Of those, what a reader parses element by element (our package reader ~10 µs a cell,
# calamine's grid, openpyxl ~60 µs): preval's own sheets, shared strings and styles (~400 KB
# and ~12,000 elements in all; the largest sheet 120 KB) — a user's big table elsewhere is only
# scanned. Elements, not cells: a sheet's data validations, conditional formats, merged ranges
# and hyperlinks are parsed with it. A rubric workbook (~2,000 cells) is read whole by openpyxl.
MAX_READ_ELEMENTS = 100_000
MAX_READ_BYTES = 8 * 2**20
MAX_RUBRIC_CELLS = 20_000
MAX_RUBRIC_ELEMENTS = 40_000  # in all its parts; `preval profile new` writes ~4,000
MAX_STYLES = 65_490  # Excel's own limit of unique cell formats
MAX_STRINGS = MAX_CELLS  # Excel keeps only the strings its cells use
MAX_NAMES = 10_000
MAX_RELATIONSHIPS = 10_000  # hyperlinks, pictures, the sheets themselves: the standard workbook has ~40
MAX_SHEETS = 255
EXCEL_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what Excel, WPS and LibreOffice write
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's grid
NORMAL = "评价工作簿和评分档案工作簿只需几千个"  # what the message says such a file holds

# "<!DOCTYPE"/"<!ENTITY" in the encodings an XML part may use (XML 1.0, 4.3.3)
_MARKERS = tuple(word.encode(enc) for word in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
                 for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))
# "<!" in each encoding: every marker holds one (utf-16 le and be both hold "<\0!"), so one
# search of each finds a part that needs the twenty searches of _MARKERS (almost none does)
_MARKER_STARTS = (b"<!", b"<\x00!", b"<\x00\x00\x00!")
# what is counted in every part, by its tag with or without a namespace prefix: one search
# finds them all (re looks for the literal "<" first, so a part of few tags costs little)
COUNTED = {b"c": "cells", b"xf": "styles", b"si": "strings", b"definedName": "names", b"Relationship": "relationships"}
WORDS = {"cells": "单元格", "styles": "单元格格式", "strings": "共享文本", "names": "定义的名称",
         "relationships": "关系（超链接、图片等）"}
_COUNTED_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(" + b"|".join(COUNTED) + rb")[\s>/]")
LIMITS = {"cells": MAX_CELLS, "styles": MAX_STYLES, "strings": MAX_STRINGS, "names": MAX_NAMES,
          "relationships": MAX_RELATIONSHIPS}
_OVERLAP = 256  # carried from chunk to chunk: longer than any marker or a cell's opening tag
# a <row r=…> or a <c r=…>, in document order: the cells give a sheet's extent, and (one reading)
# the same cell twice, or a cell in another row than the one it is written in, is read one way
# by one program, another way by another
_ROW_OR_CELL = re.compile(rb'<(row|c)\b[^>]*?\br="([A-Z]{0,3})([0-9]{1,7})"')
# a second value or formula in one cell: calamine keeps one, our reader the other
_SECOND_VALUE = re.compile(rb"</v>\s*<v[\s>/]|</f>\s*<f[\s>/]|</is>\s*<is[\s>/]")


@dataclass
class Package:
    """What the guard learnt of a package: its parts and each worksheet part's extent."""

    path: Path
    parts: dict[str, int] = field(default_factory=dict)  # part -> unpacked size
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)  # worksheet part -> (max row, max column)
    counts: dict[str, int] = field(default_factory=dict)  # what of COUNTED was seen, over all parts
    elements: dict[str, int] = field(default_factory=dict)  # part -> its elements (opening tags)
    read_elements: int = 0  # what a reader has parsed so far (``reading``)
    read_bytes: int = 0
    limits: dict[str, int] = field(default_factory=dict)  # what -> its limit (LIMITS, or fewer cells)
    normal: str = NORMAL  # what such a file holds, for the message

    def extent(self, part: str) -> tuple[int, int]:
        return self.extents.get(part.lstrip("/"), (0, 0))

    def reading(self, part: str, sheet: str = "") -> None:
        """A reader is about to parse ``part`` (``sheet``, or shared strings and styles) element
        by element: refused past MAX_READ_ELEMENTS or MAX_READ_BYTES in all it parsed, before
        it allocates them."""
        part = part.lstrip("/")
        self.read_elements += self.elements.get(part, 0)
        self.read_bytes += self.parts.get(part, 0)
        if self.read_elements <= MAX_READ_ELEMENTS and self.read_bytes <= MAX_READ_BYTES:
            return
        what = f"工作表“{sheet}”" if sheet else "文字或格式部件"
        raise BadFile(f"{self.path.name} 的{what}内容过多（preval 读取的各部分合计超过 {MAX_READ_ELEMENTS:,} 个单元格、"
                      f"数据验证、条件格式等元素或 {MAX_READ_BYTES // 2**20} MB；标准评价工作簿约 12,000 个、0.4 MB），"
                      "不像是评价工作簿，为安全起见未打开",
                      hint=f"请删除{what}中与评价无关的内容（大表格、很长的公式或文字可移到另一个工作簿）后再试")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _ole_kind(path: Path) -> str:
    """What an OLE compound file holds, as a user knows it."""
    import olefile  # ~18 ms: only for the rare OLE file, not on every score

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return "encrypted"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
    except Exception:  # noqa: BLE001 - olefile raises several kinds on a damaged directory
        pass
    return "other"


def _regular_file(path: Path) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadFile(f"找不到文件 {path}", hint="检查文件名和文件夹") from None
    except OSError as exc:
        raise BadFile(f"无法读取 {path.name}：{exc.strerror}", hint="检查文件是否被其他程序占用或无权限") from None
    if stat.S_ISDIR(info.st_mode):
        raise BadFile(f"{path} 是文件夹，不是工作簿", hint="请指定 .xlsx 文件")
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the first read forever
        raise BadFile(f"{path.name} 不是普通文件（是设备、管道或套接字）", hint="请指定保存在磁盘上的 .xlsx 文件")
    if info.st_size == 0:
        raise BadFile(f"{path.name} 是空文件（0 字节）", hint="文件可能没有保存完整；请在 Excel 中重新保存后再试")


def check_package(path: Path, max_cells: int = MAX_CELLS, normal: str = NORMAL) -> Package:
    """Refuse ``path`` (with a BadFile) unless it is an .xlsx package that is safe to parse,
    and holds at most ``max_cells`` cells (MAX_RUBRIC_CELLS for a workbook openpyxl reads whole).
    ``normal`` says in the message what such a file usually holds."""
    path = Path(path)
    _regular_file(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise BadFile(f"无法读取 {path.name}：{exc.strerror}", hint="检查文件是否被其他程序占用或无权限") from None
    if head == OLE_MAGIC:
        kind = _ole_kind(path)
        if kind == "encrypted":
            raise BadFile(f"{path.name} 设置了打开密码（已加密），无法读取",
                          hint="在 Excel 中打开，文件→信息→保护工作簿→用密码进行加密，清空密码后保存，再试")
        if kind == "xls":
            raise BadFile(f"{path.name} 是旧版 Excel 97-2003 工作簿（.xls）",
                          hint="请在 Excel 中另存为“Excel 工作簿(*.xlsx)”后再试")
        raise BadFile(f"{path.name} 不是 Excel 工作簿（是其他 Office 文件）", hint="请选择由 preval new 生成的评价工作簿")
    damaged = BadFile(f"{path.name} 无法打开（压缩包已损坏）", hint="请在 Excel 中打开并另存为 .xlsx 后再试")
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK\x03\x04"):  # a zip's first part, and no directory at its end
            raise BadFile(f"{path.name} 不完整（文件末尾缺失，可能在下载、复制或保存时被截断）",
                          hint="请重新下载或复制原文件；若原文件也打不开，请在 Excel 中打开并另存为 .xlsx")
        raise BadFile(f"{path.name} 不是 Excel 工作簿（.xlsx）", hint="请选择由 preval new 生成的评价工作簿")
    package = Package(path, limits=dict(LIMITS, cells=max_cells), normal=normal)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_directory(path, infos)
            total = 0
            for info in infos:
                total = _scan_part(path, z, info, package, total)
            _check_sheet_targets(path, z, package)
            _check_workbook_names(path, z)
    except BadFile:
        raise
    except ET.ParseError:  # workbook.xml or its relationships: not well-formed XML
        raise BadFile(f"{path.name} 的工作表目录（xl/workbook.xml 或其关系部件）不是有效的 XML，文件已损坏",
                      hint="请在 Excel 中打开并另存为 .xlsx 后再试") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, RuntimeError,
            NotImplementedError, ValueError, UnicodeDecodeError):
        raise damaged from None
    return package


def _check_directory(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    too_big = BadFile(f"{path.name} 解压后过大（超过 {MAX_UNPACKED // 2**20} MB），不像是评价工作簿，为安全起见未打开",
                      hint="删除工作簿中无关的大表格或图片后再试；若文件来历不明，请勿在 Excel 中打开")
    if len(infos) > MAX_PARTS:
        raise BadFile(f"{path.name} 的压缩包中有 {len(infos):,} 个部件（超过 {MAX_PARTS:,} 个），不像是评价工作簿，为安全起见未打开",
                      hint="把与评价无关的工作表和图片移到另一个工作簿后再试；若文件来历不明，请勿在 Excel 中打开")
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise too_big
    names = {i.filename for i in infos}
    if "mimetype" in names and "xl/workbook.xml" not in names:  # OpenDocument: its first part names the kind
        raise BadFile(f"{path.name} 是 OpenDocument 文件（如 WPS 或 LibreOffice 的 .ods 表格），不是 Excel 工作簿（.xlsx）",
                      hint="请在 WPS 或 LibreOffice 中打开，另存为“Excel 2007-365 工作簿(.xlsx)”后再试")
    seen: dict[str, str] = {}
    for info in infos:  # part names are case-insensitive (OPC, ECMA-376 Part 2, 6.3.5)
        twin = seen.setdefault(info.filename.lower(), info.filename)
        if twin is not info.filename:
            raise _ambiguous(path, f"压缩包中有两个名为 {info.filename} 的部件")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise BadFile(f"{path.name} 不是完整的 Excel 工作簿（缺少必需的部件）",
                      hint="文件可能被截断或由其他程序损坏；请在 Excel 中打开并另存为 .xlsx 后再试")
    odd = next((i for i in infos if i.compress_type not in EXCEL_METHODS), None)
    if odd is not None:
        raise BadFile(f"{path.name} 中的 {odd.filename} 使用了 Excel 不会使用的压缩方式，为安全起见未打开",
                      hint="请在 Excel 中打开并另存为 .xlsx 后再试")
    if any(i.flag_bits & 0x1 for i in infos):
        raise BadFile(f"{path.name} 的压缩包设置了密码，无法读取", hint="请向发送方索取未加密的 .xlsx 文件")


def _ambiguous(path: Path, what: str) -> BadFile:
    return BadFile(f"{path.name} 的内容有两种读法（{what}），不同的程序会读出不同的数字，为安全起见未打开",
                   hint="请在 Excel 中打开并另存为 .xlsx 后再试；若文件来历不明，请向发送方索取原文件")


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _check_workbook_names(path: Path, z: zipfile.ZipFile) -> None:
    """No two sheets of one name and no defined name twice in one scope: which one a reader
    takes is up to the reader (Excel compares both without regard to case)."""
    root = ET.fromstring(z.read("xl/workbook.xml"))
    sheets: set[str] = set()
    if sum(1 for _ in root.iter(f"{_MAIN_NS}sheet")) > MAX_SHEETS:
        raise BadFile(f"{path.name} 中的工作表过多（超过 {MAX_SHEETS} 张；标准评价工作簿有 12 张），不像是评价工作簿，为安全起见未打开",
                      hint="把与评价无关的工作表移到另一个工作簿后再试")
    for sheet in root.iter(f"{_MAIN_NS}sheet"):
        name = (sheet.get("name") or "").lower()
        if name in sheets:
            raise _ambiguous(path, f"有两个名为“{sheet.get('name')}”的工作表")
        sheets.add(name)
    defined: set[tuple[str, str | None]] = set()
    for el in root.iter(f"{_MAIN_NS}definedName"):
        key = ((el.get("name") or "").lower(), el.get("localSheetId"))
        if key in defined:
            raise _ambiguous(path, f"名称“{el.get('name')}”定义了两次")
        defined.add(key)


_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def _check_sheet_targets(path: Path, z: zipfile.ZipFile, package: Package) -> None:
    """Every worksheet the workbook lists is a part of this package (a target outside it,
    or missing, would stop a reader half-way), and one whose cells were searched: under
    xl/worksheets/, where Excel, WPS and LibreOffice put them (elsewhere, a sheet would escape
    the extent that keeps calamine from allocating a far cell's grid)."""
    names = set(package.parts)
    if "xl/_rels/workbook.xml.rels" not in names:
        raise BadFile(f"{path.name} 不是完整的 Excel 工作簿（缺少工作表的关系部件）", hint="请在 Excel 中打开并另存为 .xlsx 后再试")
    root = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for rel in root.iter(f"{_REL_NS}Relationship"):
        if rel.get("Type") != _WORKSHEET_REL:
            continue
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if rel.get("TargetMode") == "External" or part not in names:
            raise BadFile(f"{path.name} 的工作表指向包外或不存在的部件（{target[:60]}），文件已损坏或被篡改",
                          hint="请在 Excel 中打开并另存为 .xlsx 后再试；若文件来历不明，请勿打开")
        if part not in package.extents:
            raise BadFile(f"{path.name} 的工作表存放在非标准位置（{target[:60]}，应在 xl/worksheets/ 中），"
                          "Excel 不会这样保存，为安全起见未打开",
                          hint="请在 Excel 中打开并另存为 .xlsx 后再试；若文件来历不明，请勿打开")


class _CellOrder:
    """Each row once, each cell once in it, and in the row it names; and the sheet's extent.
    Fed the worksheet's text tag by tag (every tag once: a chunk is cut after its last ">"),
    with the state in locals in the loop: this runs for every cell of every sheet."""

    def __init__(self, path: Path, part: str):
        self.path, self.part = path, part
        self.rows: set[int] = set()
        self.row = 0
        self.columns: set[bytes] = set()
        self.max_row, self.max_column, self.referenced = 0, b"", 0

    def feed(self, text: bytes) -> None:
        rows, row, columns = self.rows, self.row, self.columns
        max_row, max_column, referenced = self.max_row, self.max_column, 0
        for tag, letters, digits in _ROW_OR_CELL.findall(text):
            number = int(digits)
            if tag == b"row":
                if number in rows:
                    raise _ambiguous(self.path, f"{self.part} 中第 {number} 行写了两次")
                rows.add(number)
                row, columns = number, set()
                continue
            referenced += 1
            if row and number != row:
                raise _ambiguous(self.path, f"{self.part} 中单元格 {letters.decode()}{number} 写在第 {row} 行里")
            if letters in columns:
                raise _ambiguous(self.path, f"{self.part} 中单元格 {letters.decode()}{number} 写了两次")
            columns.add(letters)
            if number > max_row:
                max_row = number
            if len(letters) > len(max_column) or (len(letters) == len(max_column) and letters > max_column):
                max_column = letters
        self.row, self.columns = row, columns
        self.max_row, self.max_column = max_row, max_column
        self.referenced += referenced

    def extent(self) -> tuple[int, int]:
        return self.max_row, _column_number(self.max_column)


def _count(path: Path, package: Package, chunk: bytes) -> None:
    """Add what ``chunk`` holds of COUNTED and refuse past a limit, before the chunk's cells
    are searched one by one. A tag cut by the chunk's end is not counted: one per chunk at
    most, nothing to a limit of thousands."""
    found = _COUNTED_TAG.findall(chunk)
    if not found:
        return
    for tag, what in COUNTED.items():
        n = found.count(tag)
        if not n:
            continue
        limit = package.limits.get(what, LIMITS[what])
        seen = package.counts[what] = package.counts.get(what, 0) + n
        if seen > limit:
            raise BadFile(f"{path.name} 中的{WORDS[what]}过多（超过 {limit:,} 个，{package.normal}），"
                          "为安全起见未打开",
                          hint="把与评价无关的大表格移到另一个工作簿后再试；若文件来历不明，请勿在 Excel 中打开")


def _scan_part(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, package: Package, total: int) -> int:
    """Unpack one part as a stream: sizes counted as they come, markers and cells searched."""
    worksheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    size, tail, pending, elements = 0, b"", b"", 0
    cells_before = package.counts.get("cells", 0)
    cells = _CellOrder(path, info.filename)
    with z.open(info) as part:
        while chunk := part.read(CHUNK):
            size += len(chunk)
            total += len(chunk)
            if size > MAX_PART or total > MAX_UNPACKED:
                raise BadFile(f"{path.name} 解压后过大（超过 {MAX_UNPACKED // 2**20} MB 或单个部件超过 "
                              f"{MAX_PART // 2**20} MB），不像是评价工作簿，为安全起见未打开",
                              hint="删除工作簿中无关的大表格或图片后再试；若文件来历不明，请勿在 Excel 中打开")
            if size > 2**20 and size > MAX_RATIO * max(info.compress_size, 1):
                raise BadFile(f"{path.name} 中的 {info.filename} 压缩比异常（疑似“压缩炸弹”），为安全起见未打开",
                              hint="若文件来历不明，请勿在 Excel 中打开；请向发送方索取原文件")
            _count(path, package, chunk)
            elements += chunk.count(b"<") - chunk.count(b"</")
            window = tail + chunk
            if any(start in window for start in _MARKER_STARTS) and any(marker in window for marker in _MARKERS):
                raise BadFile(f"{path.name} 的 {info.filename} 含有 XML 实体声明，Excel 生成的文件不会有，为安全起见未打开",
                              hint="文件可能被篡改；请向发送方索取原文件，或在 Excel 中另存为新的 .xlsx")
            if worksheet:
                text = pending + chunk
                cut = text.rfind(b">") + 1
                cells.feed(text[:cut])
                pending = text[cut:][-_OVERLAP:]  # a tag longer than this is no tag Excel writes
                if _SECOND_VALUE.search(window):
                    raise _ambiguous(path, f"{info.filename} 中有单元格写了两个值或两个公式")
            tail = window[-_OVERLAP:] if len(window) > _OVERLAP else window
    package.parts[info.filename] = size
    package.elements[info.filename] = elements
    if worksheet:
        max_row, max_col = cells.extent()
        if max_row > MAX_ROW or max_col > MAX_COLUMN:
            raise BadFile(f"{path.name} 的 {info.filename} 中有超出 Excel 表格范围的单元格（第 {max_row} 行），文件已损坏",
                          hint="请在 Excel 中打开并另存为 .xlsx 后再试")
        if package.counts.get("cells", 0) - cells_before > cells.referenced:
            # cells without a reference (their place implied by the one before) or with a
            # namespace prefix: their extent is not known here, so a reader treats the sheet
            # as reaching the grid's end (calamine would allocate the whole implied range)
            max_row, max_col = MAX_ROW, MAX_COLUMN
        package.extents[info.filename] = (max_row, max_col)
    return total
