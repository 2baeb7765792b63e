"""addin.books.sheet_xml: saving a formula's value beside it keeps the formula as the
application wrote it (ECMA-376 Part 1, 18.3.1.4 c, 18.3.1.40 f: its spelling, a shared
formula's reference, the cell's metadata), and leaves a cell without a formula alone."""

from __future__ import annotations

from addin.books.sheet_xml import Write, patch_sheet

SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         b'<row r="2"><c r="A2" s="5" t="str" cm="1"><f>[1]!PREVAL_TOTAL(0)&amp;"x"</f><v>old</v></c>'
         b'<c r="B2" s="3"><f t="shared" ref="B2:B3" si="0">A2*2</f><v>1</v></c></row>'
         b'<row r="3"><c r="B3" s="3"><f t="shared" si="0"/><v>2</v></c><c r="C3"><v>7</v></c></row>'
         b'</sheetData></worksheet>')


def _keep(value):
    return Write(None, formula=True, cached=value, keep=True)


def test_a_saved_value_keeps_the_formula_its_spelling_and_the_cells_attributes():
    out = patch_sheet(SHEET, {(2, 1): _keep("实时计算"), (3, 2): _keep(4.5), (3, 3): _keep(9)}, {}, {}).decode()
    assert '<c r="A2" s="5" cm="1" t="str"><f>[1]!PREVAL_TOTAL(0)&amp;"x"</f><v>实时计算</v></c>' in out
    # the shared formula stays shared (its master untouched): only the child's value changes
    assert '<c r="B2" s="3"><f t="shared" ref="B2:B3" si="0">A2*2</f><v>1</v></c>' in out
    assert '<c r="B3" s="3"><f t="shared" si="0"/><v>4.5</v></c>' in out
    assert '<c r="C3"><v>7</v></c>' in out  # a typed value is never given a formula's value


def test_an_empty_saved_value_drops_the_stale_one():
    out = patch_sheet(SHEET, {(2, 1): _keep("")}, {}, {}).decode()
    assert '<c r="A2" s="5" cm="1"><f>[1]!PREVAL_TOTAL(0)&amp;"x"</f></c>' in out
