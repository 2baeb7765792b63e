"""The 定稿's part edits (addin/books/final_xml.py) on the forms the parts come in: what Excel,
LibreOffice and openpyxl write (ECMA-376 Part 1: CT_Worksheet 18.3.1.99 orders sheetData,
sheetCalcPr, sheetProtection; CT_Workbook 18.2.28 orders sheets, …, definedNames, calcPr)."""

import re

import pytest

from addin.books.final_xml import define_names, freeze_sheet, lock_styles

HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def test_a_sheet_gets_protection_right_after_its_data():
    xml = HEAD + b'<sheetData><row r="1"/></sheetData><pageMargins left="0.7"/></worksheet>'
    out = freeze_sheet(xml)
    assert b'</sheetData><sheetProtection sheet="1" objects="1" scenarios="1"/><pageMargins' in out


def test_an_empty_sheet_and_sheet_calc_properties_keep_the_order():
    out = freeze_sheet(HEAD + b'<sheetData/><sheetCalcPr fullCalcOnLoad="1"/><mergeCells count="0"/></worksheet>')
    assert re.search(rb'<sheetData/><sheetCalcPr fullCalcOnLoad="1"/><sheetProtection sheet="1"[^>]*/><mergeCells', out)


def test_an_existing_protection_keeps_its_password_and_is_switched_on():
    xml = HEAD + b'<sheetData/><sheetProtection password="CC1A" sheet="0" formatCells="0"/></worksheet>'
    out = freeze_sheet(xml)
    assert out.count(b"<sheetProtection") == 1
    assert b'<sheetProtection sheet="1" password="CC1A" formatCells="0"/>' in out


def test_dropdowns_and_conditional_formats_go_also_excel_2010s():
    xml = (HEAD + b'<sheetData/><conditionalFormatting sqref="A1"><cfRule type="expression" priority="1">'
           b'<formula>A1&gt;0</formula></cfRule></conditionalFormatting><dataValidations count="1">'
           b'<dataValidation type="list" sqref="B2"><formula1>"a,b"</formula1></dataValidation></dataValidations>'
           b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="x"><x14:dataValidations count="1">'
           b'<x14:dataValidation/></x14:dataValidations></ext><ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}">'
           b'<x14:sparklineGroups/></ext></extLst></worksheet>')
    out = freeze_sheet(xml)
    assert b"conditionalFormatting" not in out and b"dataValidation" not in out
    assert b"<x14:sparklineGroups/>" in out  # a sparkline is a user's, not an input aid


def test_a_prefixed_sheet_is_refused_not_half_frozen():
    with pytest.raises(ValueError):
        freeze_sheet(b'<x:worksheet xmlns:x="m"><x:sheetData/></x:worksheet>')


def test_every_cell_format_is_locked():
    styles = (b'<cellXfs count="3"><xf numFmtId="0"/><xf applyProtection="1"><protection locked="0"/></xf>'
              b'<xf><protection hidden="1" locked="false"/></xf></cellXfs>')
    out = lock_styles(styles)
    assert b'locked="0"' not in out and b'locked="false"' not in out and out.count(b'locked="1"') == 2


def test_the_marks_go_into_the_names_or_make_them():
    with_names = (b'<workbook><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets><definedNames>'
                  b'<definedName name="x">a!$A$1</definedName><definedName name="\xe5\xae\x9a\xe7\xa8\xbf">"old"</definedName>'
                  b'</definedNames><calcPr/></workbook>')
    out = define_names(with_names, {"定稿": '2026-11-24 "10:00"'}).decode()
    assert out.count('name="定稿"') == 1 and '<definedName name="定稿">"2026-11-24 ""10:00"""</definedName>' in out
    assert '<definedName name="x">a!$A$1</definedName>' in out
    bare = b'<workbook><sheets><sheet name="a"/></sheets><calcPr/></workbook>'
    assert '</sheets><definedNames><definedName name="定稿">"t"</definedName></definedNames><calcPr/>' in \
        define_names(bare, {"定稿": "t"}).decode()
