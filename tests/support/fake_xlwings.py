r"""A fake of the small part of xlwings' Book/Sheet/Range API that addin.books.xlwings_book and
addin.ribbon use, backed by an openpyxl workbook. It keeps Excel's sheet protection: a
write into a locked cell of a protected sheet fails, as it does through COM.

``Range.formula`` returns the text the way Excel renders a formula through COM, not the
text openpyxl stored (which hid the ribbon's false V401 findings, issue 14):
- a sheet name is quoted only where Excel needs it: a name of letters (CJK letters count),
  digits, "_" and "." that does not start with a digit is not (XlsxWriter's
  ``quote_sheetname`` rule, from Excel's own files: ``指标计算!$P$38``);
- function names in upper case (Excel's spelling of a known function);
- a function of our add-in as bound (``PREVAL_SCORE(``), or, with ``addin="unbound"``, with
  the add-in's path as Excel shows a function it could not bind
  (``'C:\…\XLSTART\preval.xlam'!PREVAL_SCORE(``: xlwings #2082, CoolProp #1180); in the
  file either is stored as ``[1]!PREVAL_SCORE(`` with an externalLink, which COM never shows.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.hyperlink import Hyperlink


class ProtectedCellError(Exception):
    pass


UNBOUND_PATH = r"C:\Users\clerk\AppData\Roaming\Microsoft\Excel\XLSTART\preval.xlam"
_QUOTED = re.compile(r"^'((?:[^']|'')+)'!(.*)$")


def _sheet_ref(value: str) -> str:
    m = _QUOTED.match(value)
    if not m:
        return value
    name = m.group(1).replace("''", "'")
    plain = all(ch.isalnum() or ch in "_." for ch in name) and not name[0].isdigit()
    return f"{name}!{m.group(2)}" if plain else value


def excel_text(formula: str, addin: str = "bound") -> str:
    """``formula`` as Excel's Range.Formula shows it (see the module's docstring)."""
    out = []
    for token in Tokenizer(formula).items:
        value = token.value
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = re.sub(r"^(?:\[\d+\]!|_xludf\.|'[^']*'!)", "", value[:-1]).upper()
            if name.startswith("PREVAL_") and addin == "unbound":
                name = f"'{UNBOUND_PATH}'!{name}"
            value = name + "("
        elif token.type == Token.OPERAND and token.subtype == Token.RANGE:
            value = _sheet_ref(value)
        out.append(value)
    return "=" + "".join(out)


class _AppApi:
    """Excel's Application object, as far as preval calls it: the file dialog."""

    def __init__(self):
        self.chosen: object = False  # what the user picks: a tuple of paths, or False for 取消

    def GetOpenFilename(self, file_filter, filter_index, title, button, multi_select):
        assert multi_select is True and "*.pdf" in file_filter
        return self.chosen


class _Books:
    def __init__(self):
        self.opened: list[str] = []

    def open(self, path):
        self.opened.append(path)


class FakeApp:
    def __init__(self):
        self.api = _AppApi()
        self.books = _Books()
        self.status_bar = False
        self.screen_updating = True
        self.calculation = "automatic"
        self.status_history: list = []
        self.alerts: list[tuple[str, str]] = []

    def __setattr__(self, name, value):
        if name == "status_bar" and hasattr(self, "status_history"):
            self.status_history.append(value)
        object.__setattr__(self, name, value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, mode))


class _Rows:
    def __init__(self, rng):
        self.rng = rng

    def autofit(self):
        self.rng.sheet.autofitted.append(self.rng.ref)


class FakeRange:
    def __init__(self, sheet, ref):
        self.sheet, self.ws = sheet, sheet.ws
        if isinstance(ref, tuple):
            (r1, c1), (r2, c2) = ref
            self.ref = f"{get_column_letter(c1)}{r1}" + ("" if (r1, c1) == (r2, c2) else f":{get_column_letter(c2)}{r2}")
        else:
            self.ref = ref

    def options(self, ndim=None):
        return self

    @property
    def last_cell(self):
        end = self.ref.split(":")[-1]
        row, column = coordinate_to_tuple(end)
        return types.SimpleNamespace(row=row, column=column)

    def _call(self):
        self.sheet.book.com_calls += 1  # one round trip to Excel, what a clerk waits for

    def _cells(self):
        return self.ws[self.ref]

    @property
    def value(self):
        self._call()
        if ":" not in self.ref:
            v = self.ws[self.ref].value
            return None if isinstance(v, str) and v.startswith("=") else v
        return [[None if isinstance(c.value, str) and c.value.startswith("=") else c.value for c in row]
                for row in self._cells()]

    @value.setter
    def value(self, value):
        self._call()
        self.sheet.book.com_writes += 1
        if ":" in self.ref:  # a block: one row of values per row of the range
            cells = [cell for row in self._cells() for cell in row]
            values = [v for row in value for v in row]
            assert len(cells) == len(values), (self.ref, len(values))
        else:
            cells, values = [self.ws[self.ref]], [value]
        for cell, v in zip(cells, values, strict=True):
            if self.ws.protection.sheet and cell.protection.locked:
                raise ProtectedCellError(f"{self.ws.title}!{cell.coordinate} is locked")
            cell.value = v

    @property
    def formula(self):
        self._call()
        if ":" in self.ref:  # a block: a tuple of rows, as COM's Range.Formula
            return tuple(tuple(self._formula_of(c.value) for c in row) for row in self._cells())
        return self._formula_of(self.ws[self.ref].value)

    def _formula_of(self, v):
        if isinstance(v, str) and v.startswith("="):
            return excel_text(v, self.sheet.book.addin)
        return "" if v is None else v if isinstance(v, str) else str(v)

    @property
    def number_format(self):
        """One cell's format; a range's when every cell has it, else None (as Excel's NumberFormat)."""
        self._call()
        if ":" not in self.ref:
            return self.ws[self.ref].number_format
        codes = {c.number_format for row in self._cells() for c in row}
        return codes.pop() if len(codes) == 1 else None

    @property
    def merge_cells(self):
        self._call()
        return self.ref in self.ws.merged_cells

    def add_hyperlink(self, address, text_to_display=None, screen_tip=None):
        self._call()
        cell = self.ws[self.ref]
        if self.ws.protection.sheet and cell.protection.locked:
            raise ProtectedCellError(self.ref)
        cell.hyperlink = Hyperlink(ref=self.ref, location=address.lstrip("#"))

    @property
    def rows(self):
        return _Rows(self)


# Excel's Worksheet.Protection.Allow… flag -> openpyxl's SheetProtection attribute, which
# is True where the action is locked (ECMA-376 18.3.1.85): Allow = not locked.
_ALLOW = {"AllowFormattingCells": "formatCells", "AllowFormattingColumns": "formatColumns",
          "AllowFormattingRows": "formatRows", "AllowInsertingColumns": "insertColumns",
          "AllowInsertingRows": "insertRows", "AllowInsertingHyperlinks": "insertHyperlinks",
          "AllowDeletingColumns": "deleteColumns", "AllowDeletingRows": "deleteRows", "AllowSorting": "sort",
          "AllowFiltering": "autoFilter", "AllowUsingPivotTables": "pivotTables"}


class _Protection:
    def __init__(self, api):
        self.api = api

    def __getattr__(self, flag):
        self.api.book.com_calls += 1
        return not getattr(self.api.ws.protection, _ALLOW[flag])


class _SheetApi:
    """Worksheet's COM object: protection as Excel exposes it. Protect() with no arguments
    locks drawing objects and scenarios too, as Excel's does."""

    def __init__(self, ws, book):
        self.ws, self.book = ws, book
        self.Protection = _Protection(self)

    def _call(self):
        self.book.com_calls += 1

    @property
    def UsedRange(self):
        self._call()
        cells = [c.value for row in self.ws.iter_rows() for c in row]
        flags = {isinstance(v, str) and v.startswith("=") for v in cells if v is not None}
        return types.SimpleNamespace(HasFormula=None if len(flags) > 1 else flags.pop() if flags else False)

    @property
    def Visible(self):
        self._call()
        return {"visible": -1, "hidden": 0, "veryHidden": 2}[self.ws.sheet_state or "visible"]

    @property
    def Names(self):
        self._call()
        return _LocalNames(self.ws)

    @property
    def ProtectContents(self):
        self._call()
        return bool(self.ws.protection.sheet)

    @property
    def ProtectDrawingObjects(self):
        self._call()
        return bool(self.ws.protection.objects)

    @property
    def ProtectScenarios(self):
        self._call()
        return bool(self.ws.protection.scenarios)

    def Unprotect(self, password=None):
        self._call()
        if self.ws.protection.password and password != self.ws.protection.password:
            raise ProtectedCellError("wrong password")
        self.ws.protection.sheet = False

    def Protect(self, Password=None, DrawingObjects=True, Contents=True, Scenarios=True, **allow):
        self._call()
        p = self.ws.protection
        p.sheet, p.objects, p.scenarios = Contents, DrawingObjects, Scenarios
        for flag, attribute in _ALLOW.items():
            setattr(p, attribute, not allow.get(flag, False))


class _LocalName:
    def __init__(self, sheet: str, name: str, refers_to: str):
        quoted = f"'{sheet}'" if any(not ch.isalnum() for ch in sheet) else sheet
        self.Name, self.RefersTo = f"{quoted}!{name}", "=" + refers_to


class _LocalNames:
    """A worksheet's Names collection: its sheet-scoped names, as Excel's COM shows them."""

    def __init__(self, ws):
        self._items = [_LocalName(ws.title, name, str(d.attr_text)) for name, d in ws.defined_names.items()]
        self.Count = len(self._items)

    def Item(self, n):
        return self._items[n - 1]


class FakeSheet:
    def __init__(self, book, ws):
        self.book, self.ws, self.name = book, ws, ws.title
        self.api = _SheetApi(ws, book)
        self.autofitted: list = []

    def range(self, first, last=None):
        return FakeRange(self, (first, last) if last is not None else first)

    @property
    def used_range(self):
        self.book.com_calls += 1
        return FakeRange(self, ((1, 1), (self.ws.max_row, self.ws.max_column)))

    def activate(self):
        self.book.active = self.name


class _Sheets:
    def __init__(self, book):
        self._sheets = {ws.title: FakeSheet(book, ws) for ws in book.wb.worksheets}

    def __getitem__(self, name):
        return self._sheets[name]

    def __iter__(self):
        return iter(self._sheets.values())


class _Name:
    def __init__(self, refers_to):
        self.refers_to = refers_to


class _Names:
    def __init__(self, wb, book):
        self.wb, self.book = wb, book

    def __getitem__(self, name):
        self.book.com_calls += 2  # the name, then its RefersTo
        defined = self.wb.defined_names.get(name)
        if defined is None:
            raise KeyError(name)
        return _Name("=" + defined.attr_text)


class _BookApi:
    def __init__(self, wb):
        self.wb = wb

    def SaveCopyAs(self, path):
        self.wb.save(path)


class FakeBook:
    def __init__(self, wb, fullname, addin: str = "bound"):
        self.wb, self.fullname, self.addin = wb, str(fullname), addin
        self.name = Path(self.fullname).name
        self.app = FakeApp()
        self.sheets = _Sheets(self)
        self.names = _Names(wb, self)
        self.com_calls = self.com_writes = 0
        self.api = _BookApi(wb)
        self.active = None
