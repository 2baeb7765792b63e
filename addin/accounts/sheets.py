"""A 决算 workbook (.xlsx, or .xls as the 决算 software and older offices save it) → its tables:
one per sheet, titled by a cell in its first rows or by the sheet's name ("Z01 收入支出决算总表
(财决01表)", cut at 31 characters); merged cells' covered parts become None as in a PDF."""

from __future__ import annotations

from pathlib import Path

from addin.accounts.catalogue import kind_of
from addin.accounts.source import MAX_ROWS, Source, checked_file, too_many
from addin.accounts.tables import Row, Table, unit_in
from addin.books.file_guard import OLE_MAGIC, check_package
from addin.errors import BadFile

MAX_SHEET_CELLS = 1_000_000  # calamine holds a sheet as one dense grid
MAX_CELLS = 500_000
HEAD_ROWS = 6  # where a title and its unit stand


def read_sheets(path: Path) -> Source:
    import python_calamine

    checked_file(path)
    with open(path, "rb") as fh:
        if fh.read(8) == OLE_MAGIC:
            _plain_xls(path)
        else:
            # an .xlsx: every part scanned and counted before calamine reads it; the 决算 software's
            # export of 30 tables holds a few tens of thousands of cells
            check_package(path, MAX_CELLS, "部门决算工作簿通常只有几万个")
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises many kinds on a damaged file
        raise BadFile(f"{path.name} 无法作为 Excel 工作簿读取（{type(exc).__name__}），文件可能已损坏",
                      hint="请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试") from None
    source = Source(path)
    for name in wb.sheet_names:
        try:
            ws = wb.get_sheet_by_name(name)
            if ws.height * ws.width > MAX_SHEET_CELLS:
                raise too_many(path, f"工作表“{name}”的单元格", MAX_SHEET_CELLS)
            grid = ws.to_python()
            merged = ws.merged_cell_ranges or []
        except BadFile:
            raise
        except Exception as exc:  # noqa: BLE001
            raise BadFile(f"{path.name} 的工作表“{name}”无法读取（{type(exc).__name__}）",
                          hint="请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试") from None
        source.texts.append((f"工作表“{name}”", "\n".join(" ".join(str(c) for c in row if isinstance(c, str) and c)
                                                          for row in grid)))
        table = _table(source, name, grid, merged, ws.start or (0, 0))
        if table is not None:
            source.tables.append(table)
    return source


def _plain_xls(path: Path) -> None:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            encrypted = ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage")
            workbook = ole.exists("Workbook") or ole.exists("Book")
    except Exception:  # noqa: BLE001
        encrypted, workbook = False, False
    if encrypted:
        raise BadFile(f"{path.name} 设置了打开密码（已加密），无法读取", hint="请取得不带密码的文件，或在 Excel 中清除密码后另存")
    if not workbook:
        raise BadFile(f"{path.name} 不是 Excel 工作簿（是其他 Office 文件）", hint="请选择部门决算的 PDF、网页或 Excel 文件")


def _table(source: Source, name: str, grid: list[list], merged: list, start: tuple[int, int]) -> Table | None:
    if len(grid) > MAX_ROWS:
        raise too_many(source.path, f"工作表“{name}”的行", MAX_ROWS)
    cells: list[list[object]] = [list(row) for row in grid]
    for (r0, c0), (r1, c1) in merged:
        for r in range(r0 - start[0], r1 - start[0] + 1):
            for c in range(c0 - start[1], c1 - start[1] + 1):
                if (r, c) != (r0 - start[0], c0 - start[1]) and 0 <= r < len(cells) and 0 <= c < len(cells[r]):
                    cells[r][c] = None
    title, first = name, 0
    for r, row in enumerate(cells[:HEAD_ROWS]):
        hit = next((c for c in row if isinstance(c, str) and kind_of(c)), None)
        if hit is not None:
            title, first = hit, r + 1
            break
    if kind_of(title) is None:
        return None
    head = " ".join(str(c) for row in cells[:first + HEAD_ROWS] for c in row if isinstance(c, str))
    rows = tuple(Row(tuple(row), f"工作表“{name}”第{r + start[0] + 1}行") for r, row in enumerate(cells) if r >= first)
    empty = "无数据" in " ".join(str(c) for row in cells for c in row if isinstance(c, str))
    return Table(title, unit_in(head), rows, source.name, f"工作表“{name}”", empty)
