"""The pieces of openpyxl that validate and score use without importing the openpyxl package
(issue 19: ~0.2 s per process) give what openpyxl gives: date formats, shared formulas."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.styles import numbers

from addin.workbook import openpyxl_parts as parts
from addin.workbook.formulas import formula_cells
from addin.workbook.shared_formula import OutOfRange, translate, translate_or_ref_error
from udfs.profile import load_profile

CUSTOM = ["yyyy-mm-dd", "yyyy\"年\"m\"月\"d\"日\"", "[$-804]yyyy年m月d日", "0.00%", "#,##0.00", "[Red]0.00", "[h]:mm:ss",
          "[mm]:ss", "h:mm;@", "0.00;[Red]-0.00", "\"d\"0", "_d0", "\\d0", "@", "General", "[DBNum1]yyyy年", "mm:ss.0",
          "0.00_);[Red](0.00)", "[ss].00", "dddd", ";;;", ""]


@pytest.mark.parametrize("index", range(0, 60))
def test_built_in_number_formats_are_openpyxls(index):
    assert parts.builtin_format_code(index) == numbers.builtin_format_code(index)


@pytest.mark.parametrize("fmt", [*numbers.BUILTIN_FORMATS.values(), *CUSTOM, None])
def test_date_and_time_span_formats_are_told_as_openpyxl_tells_them(fmt):
    assert parts.is_date_format(fmt) == numbers.is_date_format(fmt)
    assert parts.is_timedelta_format(fmt) == numbers.is_timedelta_format(fmt)


def _openpyxl(formula, origin, dest):
    return Translator(formula, origin).translate_formula(dest)


FORMULAS = [
    "=SUM(A1:B2)", "=$A$1+A$1+$A1+A1", "=SUM(3:4)+SUM($3:4)", "=SUM(A:C)+SUM($A:C)", "=Sheet1!A1+'my sheet'!B2:C3",
    "='指标计算'!$P$38+指标计算!Q5", '="A1"&B1', "=单位名称&B2", "=IF(A1>0,A1/B1,\"\")", "=SUM(name1:C2)",
    "=A1:B2:C3", "=XEA1+1", "=1+1", "", "=[1]!PREVAL_TOTAL(G4:G31)", "=_xludf.PREVAL_SCORE(\"预算调整率\",E11)",
]


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("origin,dest", [("A1", "A1"), ("A1", "C5"), ("C5", "E9"), ("G4", "M31"), ("B2", "B3")])
def test_a_shared_formula_reads_as_openpyxls_translator_reads_it(formula, origin, dest):
    assert translate(formula, origin, dest) == _openpyxl(formula, origin, dest)


def test_every_formula_of_the_template_moves_as_with_openpyxl():
    # Excel shares the 指标计算 deduction block (SUMIFS over 扣分记录) down its rows
    for (_sheet, cell), formula in formula_cells(load_profile()).items():
        assert translate(formula, cell, "Z40") == _openpyxl(formula, cell, "Z40"), (cell, formula)


@given(st.integers(1, 60), st.integers(1, 60), st.integers(1, 60), st.integers(1, 60),
       st.sampled_from(["", "$"]), st.sampled_from(["", "$"]))
def test_any_move_of_a_reference_is_openpyxls(r0, c0, r1, c1, dc, dr):
    from openpyxl.utils import get_column_letter as letter

    formula = f"=SUM({dc}{letter(c0)}{dr}{r0}:D9)+{letter(c1)}{r1}"
    try:
        want = _openpyxl(formula, "E10", "B3")
    except (TranslatorError, ValueError):  # moved before row 1 or column A
        with pytest.raises(OutOfRange):
            translate(formula, "E10", "B3")
        return
    assert translate(formula, "E10", "B3") == want


def test_a_reference_moved_off_the_sheet_reads_ref_error():
    assert translate_or_ref_error("=A1", "B2", "A1") == "=#REF!"
    # past Excel's last column XFD (openpyxl would write XFE, which Excel cannot hold)
    assert translate_or_ref_error("=XFC1+1", "A1", "C1") == "=#REF!"
    assert translate("=XFC1+1", "A1", "B1") == "=XFD1+1"
