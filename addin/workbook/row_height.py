"""How tall a row must be to show its wrapped text. Neither openpyxl nor LibreOffice sizes
rows on their own, so the builder and the fill set the height; pure, so the fast write path
(``addin.books.package_book``) sizes 评分说明's rows without importing openpyxl."""

from __future__ import annotations

from collections.abc import Mapping


def text_height(values: Mapping[str, object], sizes: Mapping[str, float], line: float = 15.0,
                fill: float = 0.9) -> float:
    """Row height (pt) that shows all wrapped text: neither openpyxl nor LibreOffice sizes
    rows on their own. ``values``: column letter -> what the row holds there. A CJK
    character is about 2 width units of a column. ``fill``: the share of a line counted as
    usable; 0.9 leaves room for a CJK fallback font wider than 宋体. Excel's 宋体 11 pt fits
    0.95 × width units on a line (a column of width w is 7w + 5 px, a CJK character 14.7 px)."""
    lines = 1
    for letter, width in sizes.items():
        value = values.get(letter)
        if isinstance(value, str) and not value.startswith("="):
            units = sum(2 if ord(ch) > 255 else 1 for ch in value)
            per_line = int(width * fill) - (2 if fill < 0.95 else 0)
            lines = max(lines, -(-units // max(per_line, 1)))
    # a little room under wrapped text: LibreOffice clips a last line that only just fits
    return line * lines + (4 if lines > 1 else 0)
