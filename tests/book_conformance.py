"""Read by mypy (tests/test_code_health.py), never run: each of the three readers and
writers is a ``Book``, with every method of the protocol and the same signatures. Without
this, a drifting implementation shows only when its door is used."""

from addin.books.calamine_book import CalamineBook
from addin.books.openpyxl_book import OpenpyxlBook
from addin.books.protocol import Book
from addin.books.xlwings_book import XlwingsBook


def every_implementation_is_a_book(a: OpenpyxlBook, b: CalamineBook, c: XlwingsBook) -> tuple[Book, Book, Book]:
    return a, b, c
