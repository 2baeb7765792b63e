"""Read by mypy (tests/test_code_health.py), never run: each reader is a ``ReadBook`` and each
writer a ``Book``, with every method of the protocol and the same signatures — the package
book every command uses among them. Without this, a drifting implementation shows only when its
door is used; and a reader that cannot write has no writing method to raise TypeError from."""

from addin.books.calamine_book import CalamineBook
from addin.books.openpyxl_book import OpenpyxlBook
from addin.books.package_book import PackageBook
from addin.books.protocol import Book, ReadBook
from addin.books.xlwings_book import XlwingsBook


def every_writer_is_a_book(a: OpenpyxlBook, b: PackageBook, c: XlwingsBook) -> tuple[Book, Book, Book]:
    return a, b, c


def every_reader_is_a_read_book(a: CalamineBook, b: PackageBook) -> tuple[ReadBook, ReadBook]:
    return a, b
