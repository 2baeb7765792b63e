"""A saved web page (.html/.htm) → its tables, titled by a caption, a title row inside the table
or the nearest text before it, as Hunan government sites publish the 公开表 inline; colspan and
rowspan become None in the covered cells, as in a PDF. Only innermost tables count: Word's
export and many sites wrap the real table in a layout table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from addin.accounts.catalogue import kind_of
from addin.accounts.source import MAX_ROWS, MAX_TABLES, Source, checked_file, too_many
from addin.accounts.tables import Row, Table, unit_in
from addin.errors import BadFile

MAX_ELEMENTS = 1_000_000
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
BEFORE = 12  # text pieces before a table searched for its title


def _text(data: bytes) -> str:
    m = _CHARSET.search(data[:4096])
    names = [m.group(1).decode("ascii").lower()] if m else []
    names = ["gb18030" if n in ("gb2312", "gbk") else n for n in names] + ["utf-8", "gb18030"]
    for name in names:
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(cell.get(attr, "1")), 100))
    except ValueError:
        return 1


def _grid(table, path: Path) -> list[list[object]]:
    rows: list[list[object]] = []
    covered: dict[tuple[int, int], bool] = {}
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")):
        row: list[object] = []
        c = 0
        for cell in tr.xpath("./td|./th"):
            while covered.pop((r, c), False):
                row.append(None)
                c += 1
            text = " ".join(cell.text_content().split())
            across, down = _span(cell, "colspan"), _span(cell, "rowspan")
            row.append(text)
            row.extend([None] * (across - 1))
            for dr in range(1, down):
                for dc in range(across):
                    covered[(r + dr, c + dc)] = True
            c += across
        while covered.pop((r, c), False):
            row.append(None)
            c += 1
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise too_many(path, "表格行", MAX_ROWS)
    return rows


def _walk(element, texts: list[str], tables: list) -> None:
    """The page's text pieces in reading order (spaces folded, empty ones left out) and where
    each innermost table stands among them: one pass, not a search backwards from each table."""
    def add(text: str | None) -> None:
        words = " ".join((text or "").split())
        if words:
            texts.append(words)

    if not isinstance(element.tag, str):  # a comment or processing instruction
        add(element.tail)
        return
    inner = element.tag == "table" and not element.xpath(".//table")
    start = len(texts)
    add(element.text)
    for child in element:
        _walk(child, texts, tables)
    if inner:
        tables.append((element, start, len(texts)))
    add(element.tail)


def read_web(path: Path) -> Source:
    import lxml.html

    checked_file(path)
    data = path.read_bytes()
    if data.count(b"<") > MAX_ELEMENTS:
        raise too_many(path, "网页元素", MAX_ELEMENTS)
    try:
        root = lxml.html.document_fromstring(_text(data))
    except Exception as exc:  # noqa: BLE001 - lxml raises several kinds on a broken page
        raise BadFile(f"{path.name} 无法作为网页读取（{type(exc).__name__}）", hint="请在浏览器中重新“另存为网页”后再试") from None
    for dropped in root.xpath("//script|//style"):
        dropped.drop_tree()
    source = Source(path)
    source.texts.append(("网页", root.text_content()))
    texts: list[str] = []
    tables: list[tuple[Any, int, int]] = []  # (innermost lxml table, texts before it, texts to its end)
    _walk(root, texts, tables)
    if len(tables) > MAX_TABLES:
        raise too_many(path, "表格", MAX_TABLES)
    for number, (element, first_text, last_text) in enumerate(tables, start=1):
        grid = _grid(element, path)
        where = f"第{number}个表格"
        title, first = "", 0
        caption = element.xpath("./caption")
        if caption and kind_of(caption[0].text_content()):
            title = caption[0].text_content()
        for r, row in enumerate(grid[:3]):
            hit = next((c for c in row if isinstance(c, str) and kind_of(c)), None)
            if not title and hit:
                title, first = hit, r + 1
        before = texts[max(0, first_text - BEFORE):first_text]
        if not title:
            title = next((t for t in reversed(before) if kind_of(t)), "")
        if not title:
            continue
        head = " ".join(before[-4:]) + " " + " ".join(str(c) for row in grid[:first + 3] for c in row if c)
        after = " ".join(texts[last_text:last_text + 3])
        empty = "无数据" in after or any("无数据" in str(c) for row in grid for c in row if c)
        rows = tuple(Row(tuple(row), f"{where}第{r + 1}行") for r, row in enumerate(grid) if r >= first)
        source.tables.append(Table(title, unit_in(head), rows, source.name, where, empty))
    return source
