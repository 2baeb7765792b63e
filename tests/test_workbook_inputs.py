"""The built workbook's input side honours the defined-name contract (design.md)."""

import io

import openpyxl
import pytest

from addin.workbook.build import build_workbook
from addin.workbook.style import INPUT_FILL
from udfs.contract import CHOICE, FINDINGS_HEADER, INPUTS, NAMES


@pytest.fixture(scope="module")
def book():
    buffer = io.BytesIO()
    build_workbook().save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def _cell(book, name):
    (sheet, coord), = book.defined_names[name].destinations
    return book[sheet], book[sheet][coord.replace("$", "")]


def test_every_contract_name_is_a_yellow_unlocked_single_cell(book):
    assert set(NAMES) <= set(book.defined_names)
    for name in NAMES:
        ws, cell = _cell(book, name)
        assert cell.fill.start_color.rgb.endswith(INPUT_FILL.start_color.rgb[-6:]), name
        assert cell.protection.locked is False, name
        assert ws.protection.sheet is True, name
        assert ws.cell(cell.row, 1).value == name  # the label next to the cell is the name


def test_money_inputs_state_wan_yuan_and_two_decimals(book):
    for spec in INPUTS:
        ws, cell = _cell(book, spec.name)
        if spec.unit == "万元":
            assert ws.cell(cell.row, 3).value == "万元"
            assert cell.number_format == "#,##0.00"


def test_choices_are_dropdowns(book):
    for spec in INPUTS:
        if spec.kind != CHOICE:
            continue
        ws, cell = _cell(book, spec.name)
        rules = [dv for dv in ws.data_validations.dataValidation if cell.coordinate in dv.sqref]
        assert rules and rules[0].type == "list", spec.name
        assert all(choice in rules[0].formula1 for choice in spec.choices)


def test_labels_are_locked(book):
    ws, cell = _cell(book, "编制数")
    assert ws.cell(cell.row, 1).protection.locked is True


def test_findings_sheet_header_and_dropdown(book):
    ws = book["扣分记录"]
    assert tuple(c.value for c in ws[1][:5]) == FINDINGS_HEADER
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert "list" in kinds
    names = [c.value for c in book["指标体系"]["J"][2:30]]
    assert names[7] == "预算调整率" and len(names) == 28


def test_two_builds_have_the_same_content():
    def content(wb):
        cells = [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row]
        names = sorted((n, d.attr_text) for n, d in wb.defined_names.items())
        return cells, names

    assert content(build_workbook()) == content(build_workbook())
