"""``Book`` over a live Excel workbook through xlwings (the ribbon's side).

Only the small part of xlwings' API that a fake can reproduce is used: ``book.sheets``,
``book.names``, ``sheet.range(...).value/.formula/.merge_cells/.add_hyperlink``,
``.rows.autofit()`` and ``sheet.api.Unprotect/Protect``. The template protects every sheet
(no password); writing into the computed sheets unprotects each one first, and ``close``
protects them again — the ribbon calls it in ``finally``.
"""

from __future__ import annotations

from addin.books.protocol import parse_cell_ref


class XlwingsBook:
    reads_formulas = True

    def __init__(self, book):
        self.book = book
        self._unprotected: list = []

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def name_text(self, name: str) -> str | None:
        try:
            refers_to = self.book.names[name].refers_to
        except Exception:  # noqa: BLE001 - xlwings raises KeyError or a COM error for a missing name
            return None
        return refers_to[1:] if isinstance(refers_to, str) and refers_to.startswith("=") else None

    def name_target(self, name: str) -> tuple[str, str] | None:
        text = self.name_text(name)
        return None if text is None else parse_cell_ref(text)

    def _range(self, sheet: str, coordinate):
        return self.book.sheets[sheet].range(coordinate)

    def get(self, sheet: str, coordinate: str) -> object:
        rng = self._range(sheet, coordinate)
        formula = rng.formula
        if isinstance(formula, str) and formula.startswith("="):
            return formula
        return rng.value

    def block(self, sheet: str, first_row: int, last_row: int, columns: int) -> list[tuple]:
        values = self.book.sheets[sheet].range((first_row, 1), (last_row, columns)).options(ndim=2).value
        return [tuple(row) for row in values]

    def merged(self, sheet: str, coordinate: str) -> bool:
        return bool(self._range(sheet, coordinate).merge_cells)

    def external_links(self) -> tuple[str, ...]:
        # Through COM a formula never shows "[n]!": Excel reads a bound add-in function as
        # PREVAL_X( and an unbound one with the add-in's path, which needs no link table.
        return ()

    def _writable(self, sheet: str):
        ws = self.book.sheets[sheet]
        if ws not in self._unprotected:
            ws.api.Unprotect()
            self._unprotected.append(ws)
        return ws

    def put(self, sheet: str, coordinate: str, value: object) -> None:
        self._writable(sheet).range(coordinate).value = value

    def link(self, sheet: str, coordinate: str, target: str) -> None:
        rng = self._writable(sheet).range(coordinate)
        rng.add_hyperlink(f"#{target}", text_to_display=str(rng.value))

    def fit_rows(self, sheet: str, first_row: int, last_row: int) -> None:
        self._writable(sheet).range(f"{first_row}:{last_row}").rows.autofit()

    def close(self) -> None:
        """Protect again every sheet this book unprotected (no password, as the template)."""
        while self._unprotected:
            self._unprotected.pop().api.Protect()
