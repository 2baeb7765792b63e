"""Offending inputs are coloured by conditional formatting keyed on 校验结果, never by a
changed value (issue 5): the rule covers every input cell, and its formula — recalculated
headlessly — is true exactly on the cells 校验结果 lists, with the right severity."""

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.checks import ERROR, HINT
from addin.cli import main
from addin.workbook import layout as L
from addin.workbook.build import build_workbook
from addin.workbook.highlight import input_ranges, listed_formula
from tests.support.recalc import recalculate
from udfs import reference_case
from udfs.profile import load_profile


def _covered(ws, coordinate, formula):
    return any(formula in [r.formula[0] for r in cf.rules] and
               any(CellRange(str(rng)).issuperset(CellRange(coordinate)) for rng in cf.sqref.ranges)
               for cf in ws.conditional_formatting)


def test_every_input_cell_has_both_rules():
    wb = build_workbook()
    ranges = input_ranges(wb, load_profile())
    assert set(ranges) == {L.BASICS, L.MONEY, L.FINDINGS, L.REPORT, L.SCORES}
    for sheet, refs in ranges.items():
        for ref in refs:
            for coordinate in (CellRange(ref).coord.split(":")):  # corners of a range, or the cell
                for severity in (ERROR, HINT):
                    assert _covered(wb[sheet], coordinate, listed_formula(sheet, severity)), (sheet, coordinate)


@pytest.fixture()
def marked(tmp_path, capsys):
    """The reference case with one 错误 (全年预算 as text) and one more 提示 (问卷份数 25 < 30),
    through `preval validate -o`."""
    wb = build_workbook()
    raw = dict(reference_case.RAW_INPUTS, 全年预算="2160.62万元", 问卷份数=25)
    write_case(OpenpyxlBook(wb), raw, reference_case.RAW_FINDINGS)
    src, out = tmp_path / "输入.xlsx", tmp_path / "校验.xlsx"
    wb.save(src)
    before = src.read_bytes()
    assert main(["validate", str(src), "-o", str(out)]) == 1
    assert "已写入" in capsys.readouterr().out
    assert src.read_bytes() == before
    return out


def _where(wb, name):
    (sheet, ref), = wb.defined_names[name].destinations
    return sheet, ref.replace("$", "")


def test_validate_o_lists_the_cells_and_keeps_the_values(marked):
    wb = openpyxl.load_workbook(marked)
    listed = {(row[0], row[1], row[2]) for row in wb[L.CHECKS].iter_rows(min_row=L.FIRST_ROW, max_col=3, values_only=True)
              if row[0]}
    budget, staff = _where(wb, "全年预算"), _where(wb, "问卷份数")
    assert ("V102", ERROR, "!".join(budget)) in listed
    assert ("V109", HINT, "!".join(staff)) in listed
    assert ("V306", HINT, f"{L.FINDINGS}!C11") in listed  # the reference case's own
    assert wb[budget[0]][budget[1]].value == "2160.62万元" and wb[staff[0]][staff[1]].value == 25
    # validation fills no score: the cache cells still say so
    assert wb[L.CALC].cell(L.row_of(1), L.Layout(load_profile()).cached_score).value == "未计算"


def test_the_rule_is_true_exactly_on_the_listed_cells(marked, tmp_path):
    # put each rule's formula, with ROW()/COLUMN() fixed to one cell, into a scratch sheet
    wb = openpyxl.load_workbook(marked)
    budget, staff = _where(wb, "全年预算"), _where(wb, "问卷份数")
    probes = [budget, staff, _where(wb, "编制数"), (L.FINDINGS, "C11"), (L.FINDINGS, "C12")]
    scratch = wb.create_sheet("核对")
    for n, (sheet, ref) in enumerate(probes, start=1):
        cell = wb[sheet][ref]
        for column, severity in ((1, ERROR), (2, HINT)):
            formula = listed_formula(sheet, severity).replace("ROW()", str(cell.row)).replace(
                "COLUMN()", str(cell.column))
            scratch.cell(n, column, "=" + formula)
    path = tmp_path / "核对.xlsx"
    wb.save(path)
    values = recalculate(path, add_in=False)
    got = [(bool(values[("核对", f"A{n}")]), bool(values[("核对", f"B{n}")])) for n in range(1, len(probes) + 1)]
    #        全年预算 错误   问卷份数 提示    编制数 clean    C11 提示 (V306)  C12 clean
    assert got == [(True, False), (False, True), (False, False), (False, True), (False, False)]
