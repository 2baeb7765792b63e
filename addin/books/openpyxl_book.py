"""``Book`` over openpyxl (preval new, demo and upgrade build or copy whole workbooks with it; validate,
score, finalize and report read and write the package itself), with opening and saving that fail
with one Chinese message instead of a traceback and never touch the original file."""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText
from openpyxl.worksheet.hyperlink import Hyperlink

from addin.books.atomic import write_atomic
from addin.books.file_guard import check_package
from addin.books.protocol import parse_cell_ref
from addin.books.sheet_xml import unescape_xstring
from addin.errors import BadFile
from addin.workbook.cell_text import write_text_or_value
from addin.workbook.style import wrapped_height

__all__ = ["BadFile", "OpenpyxlBook", "open_book", "save_book"]


def _plain(value: object) -> object:
    """A cell with partly formatted text (kept as CellRichText, so the save keeps the
    formatting) reads as its text, as every other reader gives it; Excel's _xHHHH_ escapes,
    which openpyxl leaves in, decoded as the package reader and calamine decode them."""
    if isinstance(value, CellRichText):
        value = str(value)
    if isinstance(value, str) and "_x" in value and not value.startswith("="):
        return unescape_xstring(value)
    return value


class OpenpyxlBook:
    reads_formulas = True

    def __init__(self, wb: Workbook, path: Path | None = None):
        self.wb = wb
        self.path = path

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def has_formulas(self, sheet: str) -> bool:
        return any(isinstance(c.value, str) and c.value.startswith("=") for row in self.wb[sheet].iter_rows() for c in row)

    def reaches_out(self) -> list[tuple[str, str]]:
        return []  # openpyxl keeps no linked pictures or connections: what it saves reaches nowhere

    def saved_value(self, sheet: str, coordinate: str) -> object:
        return None  # loaded with its formulas: the saved values are not read

    def number_formats(self, sheet: str, cells: dict[str, str]) -> dict[str, str]:
        return {cell: self.number_format(sheet, cell) for cell in cells}

    def number_format(self, sheet: str, coordinate: str) -> str:
        return self.wb[sheet][coordinate].number_format or "General"

    def local_names(self) -> list[tuple[str, str, str]]:
        return [(ws.title, name, str(defined.attr_text or "")) for ws in self.wb.worksheets
                for name, defined in ws.defined_names.items()]

    def sheet_states(self) -> dict[str, str]:
        return {ws.title: ws.sheet_state or "visible" for ws in self.wb.worksheets}

    def name_text(self, name: str) -> str | None:
        defined = self.wb.defined_names.get(name)
        return None if defined is None else str(defined.attr_text or "")

    def name_target(self, name: str) -> tuple[str, str] | None:
        text = self.name_text(name)  # one parser for every reader: a cell inside Excel's grid
        return None if text is None else parse_cell_ref(text)

    def get(self, sheet: str, coordinate: str) -> object:
        return _plain(self.wb[sheet][coordinate].value)

    def block(self, sheet: str, first_row: int, last_row: int, columns: int) -> list[tuple]:
        ws = self.wb[sheet]
        # rows past the sheet's end are empty; asking openpyxl for them would create them
        rows = [tuple(map(_plain, row)) for row in ws.iter_rows(min_row=first_row, max_row=min(last_row, ws.max_row),
                                                   max_col=columns, values_only=True)]
        return rows + [(None,) * columns] * (last_row - first_row + 1 - len(rows))

    def used_rows(self, sheet: str, first_row: int, columns: int) -> list[int]:
        cells = self.wb[sheet]._cells  # sparse: a cell at row 1,048,576 is one entry, not a million rows
        return sorted({r for (r, c), cell in cells.items() if r >= first_row and c <= columns
                       and cell.value not in (None, "")})

    def merged(self, sheet: str, coordinate: str) -> bool:
        return coordinate in self.wb[sheet].merged_cells

    def external_links(self) -> tuple[str, ...]:
        # openpyxl keeps them (and writes them back) in the order of workbook.xml
        return tuple(str(link.file_link.Target or "") for link in self.wb._external_links)

    def put(self, sheet: str, coordinate: str, value: object) -> None:
        write_text_or_value(self.wb[sheet][coordinate], value)

    def put_formula(self, sheet: str, coordinate: str, formula: str, cached: object = None) -> None:
        # openpyxl cannot store a formula's value beside it; its files recalculate on load
        self.wb[sheet][coordinate].value = formula

    def put_cached(self, sheet: str, coordinate: str, value: object) -> None:
        pass  # openpyxl cannot store a formula's value; its files recalculate on load

    def link(self, sheet: str, coordinate: str, target: str) -> None:
        cell = self.wb[sheet][coordinate]
        cell.hyperlink = Hyperlink(ref=coordinate, location=target)
        cell.style = "Hyperlink"

    def flush(self) -> None:
        pass  # written when the file is saved

    def fit_rows(self, sheet: str, first_row: int, last_row: int) -> None:
        ws = self.wb[sheet]
        sizes = {letter: dim.width for letter, dim in ws.column_dimensions.items() if dim.width}
        for row in range(first_row, last_row + 1):
            ws.row_dimensions[row].height = wrapped_height(ws, row, sizes)


def open_book(path: str | os.PathLike) -> OpenpyxlBook:
    """Open an .xlsx for reading and filling; every way it can fail is a BadFile."""
    path = Path(path)
    if not path.exists():
        raise BadFile(f"找不到文件 {path}", hint="检查文件名和文件夹")
    if path.is_dir():
        raise BadFile(f"{path} 是文件夹，不是工作簿", hint="请指定 .xlsx 文件")
    check_package(path)
    try:
        with warnings.catch_warnings():
            # openpyxl says in English what it will not keep; save_book says it in Chinese
            warnings.simplefilter("ignore", UserWarning)
            wb = load_workbook(path, rich_text=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise BadFile(f"{path.name} 无法打开（文件已损坏或不是 .xlsx：{type(exc).__name__}）",
                      hint="请在 Excel 中打开并另存为 .xlsx 后再试") from None
    return OpenpyxlBook(wb, path)


# What a user may have added that openpyxl drops or may drop on a round trip, as the user
# would name it: (name, parts it lives in, what marks one of them there; None = the part itself).
_ANY_PREFIX = rb"<(?:[A-Za-z][\w.-]*:)?"
ADDITIONS: tuple[tuple[str, tuple[str, ...], re.Pattern[bytes] | None], ...] = (
    ("图片", ("xl/media/",), None),
    ("图表", ("xl/charts/chart",), None),
    ("文本框或形状", ("xl/drawings/drawing",), re.compile(_ANY_PREFIX + rb"sp[\s>]")),
    ("批注", ("xl/comments", "xl/threadedComments/"), None),
    ("数据透视表", ("xl/pivotTables/",), None),
    ("宏", ("xl/vbaProject",), None),
    ("嵌入对象", ("xl/embeddings/",), None),
    ("迷你图", ("xl/worksheets/",), re.compile(_ANY_PREFIX + rb"sparklineGroup[\s>]")),
    ("单元格中的部分文字格式（富文本）", ("xl/sharedStrings.xml", "xl/worksheets/"), re.compile(_ANY_PREFIX + rb"r>")),
    ("自定义 XML 数据（如 SharePoint 文档属性）", ("customXml/",), None),
)


def _additions(path: str | os.PathLike, names: set[str]) -> dict[str, int]:
    """How many of each ``ADDITIONS`` entry (by name, among ``names``) the package holds."""
    out = dict.fromkeys(names, 0)
    with zipfile.ZipFile(path) as z:
        members = z.namelist()
        for name, prefixes, mark in ADDITIONS:
            if name not in names:
                continue
            for member in members:
                if member.startswith(prefixes) and not member.endswith(".rels"):
                    out[name] += 1 if mark is None else len(mark.findall(z.read(member)))
    return out


def lost_additions(source: str | os.PathLike, written: str | os.PathLike,
                   dropped_by_design: frozenset[str] = frozenset()) -> list[str]:
    """What the source has more of than the written file, by the names a user knows."""
    names = {name for name, _, _ in ADDITIONS} - dropped_by_design
    before, after = _additions(source, names), _additions(written, names)
    return [name for name, _, _ in ADDITIONS if name in names and after[name] < before[name]]


def save_book(book: OpenpyxlBook, out: str | os.PathLike, replace_source: bool = False,
              hint: str = "把这些内容移到另一个工作簿后再试，或在 Excel 中使用“绩效评价”加载项") -> Path:
    """Save atomically (``atomic.write_atomic``); never over the source unless asked, and
    never when something the user added would be lost on the way."""
    out = Path(out)
    sources = [book.path] if book.path is not None and not replace_source else []

    def keeps_everything(tmp: str) -> None:
        if book.path is None:
            return
        lost = lost_additions(book.path, tmp)
        if lost:
            raise BadFile(f"{book.path.name} 中的{'、'.join(lost)}无法原样保留，已停止，未写入任何文件", hint=hint)

    return write_atomic(out, book.wb.save, keeps_everything, inputs=sources, suffix=".xlsx")
