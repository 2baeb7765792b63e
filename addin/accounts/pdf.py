"""A 决算 PDF with a text layer → its tables as laid out on the page (pdfplumber's ruled-table
finder: the 公开表 are printed with ruled cells) and its running text.

A table's title is a line above it on its page that names a known table (catalogue.kind_of);
a table at the top of a page with no title above it continues the previous page's table (a
收入支出决算总表 runs over two pages). Only lines above a table may title it: a wrapped line of
the narrative can end in "…支出决算表" too.
"""

from __future__ import annotations

from pathlib import Path

from addin.accounts.catalogue import kind_of
from addin.accounts.source import MAX_PAGES, MAX_ROWS, MAX_TABLES, Source, checked_file, too_many
from addin.accounts.tables import Row, Table, unit_in
from addin.errors import BadFile


def read_pdf(path: Path) -> Source:
    import pdfplumber  # ~150 ms: only when a PDF is imported
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    checked_file(path)
    source = Source(path)
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise too_many(path, "页数", MAX_PAGES, "页")
            current: list | None = None  # [title, unit, where, rows, empty] of the table being read
            chars = 0
            for number, page in enumerate(pdf.pages, start=1):
                chars += len(page.chars)
                current = _page(source, page, number, current)
                page.flush_cache()  # pdfplumber keeps every page's objects otherwise
            _close(source, current)
    except BadFile:
        raise
    except PDFPasswordIncorrect:
        raise BadFile(f"{path.name} 设置了打开密码，无法读取", hint="请取得不带密码的 PDF（政府网站公开的版本）后再试") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        raise BadFile(f"{path.name} 无法作为 PDF 读取（{type(exc).__name__}），文件可能已损坏或不是 PDF",
                      hint="请重新下载该文件；网页上的决算可另存为网页（.html）后导入") from None
    if chars == 0:
        raise BadFile(f"{path.name} 没有文字层（是扫描或拍照的图片），无法读取其中的数字",
                      hint="请从政府网站下载可复制文字的 PDF 或网页版决算，或在 Excel 中手工填写")
    return source


def _page(source: Source, page, number: int, current: list | None) -> list | None:
    where = f"第{number}页"
    lines = page.extract_text_lines()
    source.texts.append((where, "\n".join(line["text"] for line in lines)))
    # the ruled-table finder is most of the cost of a page: only where a table can be, under a
    # title on this page or going on from the previous page (narrative pages are skipped)
    if current is None and not any(kind_of(line["text"]) for line in lines):
        return None
    found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    if not found:
        _close(source, current)
        return None
    above_top = 0.0
    for index, table in enumerate(found):
        top, bottom = table.bbox[1], table.bbox[3]
        heading = [line for line in lines if above_top <= line["top"] and line["bottom"] <= top + 1]
        titled = [line for line in heading if kind_of(line["text"])]
        rows = [Row(tuple(cells), where) for cells in table.extract()]
        if titled:
            _close(source, current)
            text = " ".join(line["text"] for line in heading)
            unit = unit_in(text) or unit_in(" ".join(str(c or "") for r in rows[:2] for c in r.cells))
            current = [titled[-1]["text"], unit, where, rows, False]
        elif index == 0 and current is not None:  # the previous page's table goes on
            current[3].extend(rows)
        else:
            _close(source, current)
            current = None
        if current is not None:
            if len(current[3]) > MAX_ROWS:
                raise too_many(source.path, "表格行数", MAX_ROWS)
            below = [line["text"] for line in lines if line["top"] >= bottom - 1]
            next_top = found[index + 1].bbox[1] if index + 1 < len(found) else None
            if any("无数据" in text for text in below[:3]) and next_top is None:
                current[4] = True
        above_top = bottom
    below_last = [line for line in lines if line["top"] > found[-1].bbox[3] + 1 and kind_of(line["text"])]
    if below_last:  # a title under the last table: its table begins on the next page
        _close(source, current)
        text = " ".join(line["text"] for line in lines if line["top"] >= below_last[-1]["top"])
        return [below_last[-1]["text"], unit_in(text), where, [], False]
    return current


def _close(source: Source, current: list | None) -> None:
    if current is None:
        return
    if len(source.tables) >= MAX_TABLES:
        raise too_many(source.path, "表格", MAX_TABLES)
    title, unit, where, rows, empty = current
    source.tables.append(Table(title, unit, tuple(rows), source.name, where, empty))
