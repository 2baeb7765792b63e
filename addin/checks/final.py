"""A 定稿 knows it is one. ``preval finalize`` writes two workbook-scoped names: 定稿 (when
it was frozen) and 定稿校验 (a digest of what it showed then: every input, every 扣分记录
row, every computed cell). V405 recomputes the digest, so an edit after the export is
reported; and a 定稿 is never rescored (``addin.scoring``), since it has no formulas left.

The digest reads values through ``Book``, in a form openpyxl and calamine agree on (a
number as its shortest decimal), so ``validate`` and ``batch`` see the same 定稿 alike."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

from addin.books.protocol import Book
from addin.case import read_case
from addin.checks import Problem, problem
from addin.workbook import layout as L
from addin.workbook import versions
from addin.workbook.formulas import formula_cells
from udfs.profile import Profile


def _constant(book: Book, name: str) -> str | None:
    """A name holding a text constant ('"…"'), unquoted; None when there is none."""
    text = book.name_text(name)
    if text is None or len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return None
    return text[1:-1].replace('""', '"')


STAMP_PREFIX = "定稿：以下数值由 preval 于 "  # a 定稿's status line (all a 定稿 of template 0.4 had)


def final_stamp(book: Book) -> str | None:
    """When the workbook was frozen as a 定稿, or None when it is not one."""
    stamp = _constant(book, L.FINAL_NAME)
    if stamp is not None:
        return stamp
    status = book.get(L.SCORES, "A2") if L.SCORES in book.sheet_names() else None
    if isinstance(status, str) and status.startswith(STAMP_PREFIX):
        return status[len(STAMP_PREFIX):].split(" 计算", 1)[0]
    return None


def _canonical(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        # 15 significant digits, as Excel keeps: writers differ in the 16th and 17th
        return format(Decimal(format(float(value), ".15g")).normalize(), "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def digest(book: Book, profile: Profile, version: str = versions.CURRENT) -> str:
    """What a 定稿 shows: its inputs, its 扣分记录 rows and its computed cells."""
    case = read_case(book)
    fields: list[tuple[object, ...]] = [(name, loc.value) for name, loc in sorted(case.inputs.items())]
    fields += [(row, *values) for row, values in case.findings]
    fields += [(f"{sheet}!{cell}", book.get(sheet, cell)) for sheet, cell in sorted(formula_cells(profile, version))]
    h = hashlib.sha256()
    for field in fields:  # unit and record separators: no value can fake a boundary
        h.update(("\x1f".join(map(_canonical, field)) + "\x1e").encode())
    return "sha256:" + h.hexdigest()


def check_final(book: Book, profile: Profile, version: str = versions.CURRENT) -> list[Problem]:
    """V405: the 定稿 no longer shows what it showed when it was exported."""
    stamp, stored = final_stamp(book), _constant(book, L.FINAL_DIGEST_NAME)
    if stamp is None or stored is None or stored == digest(book, profile, version):
        return []  # a 定稿 of template 0.4 has no digest to compare with
    return [problem("V405", L.GUIDE, "", "定稿", f"这份定稿于 {stamp} 导出后被修改过（输入、扣分记录或得分与导出时不同），"
                    "其中的数字已不是 preval 计算的结果", "导出时的内容", "已修改")]
