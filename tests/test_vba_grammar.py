"""Every VBA module of the built preval.xlam parses under MS-VBAL's grammar for each Excel a
clerk may have (issue 27): no Excel here, so a module that would not compile in one of them
(a branch only 32-bit Excel takes, a Declare without PtrSafe in 64-bit Office) is found by
the grammar (tests/support/vba_grammar.py) instead of by the clerk."""

import re
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser

from addin.excel import build_addin as B
from tests.support.vba_grammar import DEFINES, compiled, prepared, syntax_errors


@pytest.fixture(scope="module")
def modules(tmp_path_factory) -> dict[str, str]:
    built = B.build(tmp_path_factory.mktemp("addin") / "preval.xlam")
    parser = VBA_Parser(str(built))
    try:
        return {Path(name).stem: code for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_every_module_of_the_built_add_in_parses_for_win64_win32_and_vba6(modules):
    # ours and xlwings' (as the build edits it), and the template's Dictionary and sheet modules
    assert {"xlwings", "xlwings_udfs", "preval_ribbon", "preval_addin", "ThisWorkbook", "PrevalAppEvents",
            "Dictionary"} <= set(modules)
    errors, parsed = {}, {}
    for name, text in modules.items():
        for defines_name, defines in DEFINES.items():
            source = compiled(prepared(text), defines)
            if source not in parsed:  # a module without directives reads alike in all three
                parsed[source] = syntax_errors(source)
            if parsed[source]:
                errors[(name, defines_name)] = parsed[source][:3]
    assert errors == {}
    # what the grammar cannot see: 64-bit Office refuses to compile a Declare without PtrSafe
    # ("must be updated for use on 64-bit systems"); VBA7 takes PtrSafe in 32-bit Office too
    unsafe = [(name, line.strip()[:60]) for name, text in modules.items() for d in ("Win64/VBA7", "Win32/VBA7")
              for line in compiled(prepared(text), DEFINES[d]).split("\r\n")
              if re.search(r"\bDeclare\b", line, re.I) and not re.search(r"\bPtrSafe\b", line, re.I)]
    assert unsafe == []
    # the three sets reach different code: xlwings' Declare lines differ in each
    xlwings = {compiled(prepared(modules["xlwings"]), d) for d in DEFINES.values()}
    assert len(xlwings) == 3


# ------------------------------------------------------------------ the grammar finds errors

HEADER = 'Attribute VB_Name = "Sample"\r\nOption Explicit\r\n'


@pytest.mark.parametrize("body", [
    "Sub A()\r\n    If x Then\r\n        y = 1\r\nEnd Sub\r\n",  # an If without End If
    "Sub A()\r\n    y = (1 + 2\r\nEnd Sub\r\n",  # an unclosed parenthesis
    "Function A() As\r\nEnd Function\r\n",  # a type missing
    "Sub A()\r\n    For i = 1 To 3\r\nEnd Sub\r\n",  # a For without Next
])
def test_a_broken_module_has_syntax_errors(body):
    assert syntax_errors(compiled(prepared(HEADER + body), DEFINES["Win64/VBA7"])) != []


def test_an_error_in_a_branch_only_32_bit_excel_takes_is_found_for_that_excel_only():
    text = HEADER + ("#If Win64 Then\r\n"
                     "    Private Declare PtrSafe Function GetTickCount Lib \"kernel32\" () As Long\r\n"
                     "#Else\r\n"
                     "    Private Declare PtrSafe Function GetTickCount Lib \"kernel32\" (\r\n"  # broken
                     "#End If\r\n")
    found = {name: bool(syntax_errors(compiled(prepared(text), d))) for name, d in DEFINES.items()}
    assert found == {"Win64/VBA7": False, "Win32/VBA7": True, "VBA6": True}


def test_conditional_compilation_takes_the_branch_each_excel_takes():
    text = ('#Const App = "Microsoft Excel" \' a comment\r\n'
            "#If Mac Then\r\nm\r\n#ElseIf VBA7 Then\r\n  #If Win64 Then\r\nw64\r\n  #Else\r\nw32\r\n  #End If\r\n"
            "#Else\r\nv6\r\n#End If\r\n"
            '#If App = "Microsoft Excel" And Not Mac Then\r\nexcel\r\n#End If\r\n'
            "#If MAC_OFFICE_VERSION >= 15 Then\r\nmac15\r\n#End If\r\n")
    kept = {name: [line for line in compiled(text, d).split("\r\n") if line] for name, d in DEFINES.items()}
    assert kept == {"Win64/VBA7": ["w64", "excel"], "Win32/VBA7": ["w32", "excel"], "VBA6": ["v6", "excel"]}
    assert compiled(text, DEFINES["VBA6"]).count("\r\n") == text.count("\r\n")  # line numbers kept


def test_comments_become_empty_lines_and_editor_attributes_go():
    text = ('Attribute VB_Name = "ThisWorkbook"\r\nAttribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
            "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_TemplateDerived = False\r\n"
            "' a comment\r\nPublic Property Get Item()\r\nAttribute Item.VB_UserMemId = 0\r\n    x = 1 ' kept\r\n"
            "End Property\r\n")
    assert prepared(text).split("\r\n") == [
        "VERSION 1.0 CLASS", "BEGIN", "  MultiUse = -1  'True", "END", 'Attribute VB_Name = "ThisWorkbook"',
        "Attribute VB_GlobalNameSpace = False", "", "Public Property Get Item()", "    x = 1 ' kept", "End Property", ""]
