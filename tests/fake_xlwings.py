"""A fake of the small part of xlwings' Book/Sheet/Range API that addin.books.xlwings_book and
addin.ribbon use, backed by an openpyxl workbook. It keeps Excel's sheet protection: a
write into a locked cell of a protected sheet fails, as it does through COM."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink


class ProtectedCellError(Exception):
    pass


class FakeApp:
    def __init__(self):
        self.status_bar = False
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
            self.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
        else:
            self.ref = ref

    def options(self, ndim=None):
        return self

    def _cells(self):
        return self.ws[self.ref]

    @property
    def value(self):
        if ":" not in self.ref:
            v = self.ws[self.ref].value
            return None if isinstance(v, str) and v.startswith("=") else v
        return [[None if isinstance(c.value, str) and c.value.startswith("=") else c.value for c in row]
                for row in self._cells()]

    @value.setter
    def value(self, value):
        cell = self.ws[self.ref]
        if self.ws.protection.sheet and cell.protection.locked:
            raise ProtectedCellError(f"{self.ws.title}!{self.ref} is locked")
        cell.value = value

    @property
    def formula(self):
        v = self.ws[self.ref].value
        return "" if v is None else v if isinstance(v, str) else str(v)

    @property
    def merge_cells(self):
        return self.ref in self.ws.merged_cells

    def add_hyperlink(self, address, text_to_display=None, screen_tip=None):
        cell = self.ws[self.ref]
        if self.ws.protection.sheet and cell.protection.locked:
            raise ProtectedCellError(self.ref)
        cell.hyperlink = Hyperlink(ref=self.ref, location=address.lstrip("#"))

    @property
    def rows(self):
        return _Rows(self)


class _SheetApi:
    def __init__(self, ws):
        self.ws = ws

    def Unprotect(self):
        self.ws.protection.sheet = False

    def Protect(self):
        self.ws.protection.sheet = True


class FakeSheet:
    def __init__(self, book, ws):
        self.book, self.ws, self.name = book, ws, ws.title
        self.api = _SheetApi(ws)
        self.autofitted: list = []

    def range(self, first, last=None):
        return FakeRange(self, (first, last) if last is not None else first)

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
    def __init__(self, wb):
        self.wb = wb

    def __getitem__(self, name):
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
    def __init__(self, wb, fullname):
        self.wb, self.fullname = wb, str(fullname)
        self.app = FakeApp()
        self.sheets = _Sheets(self)
        self.names = _Names(wb)
        self.api = _BookApi(wb)
        self.active = None
