"""The built preval.xlam (issue 7), read back with tools other than the one that wrote it:
oletools for the VBA, zipfile/ElementTree for the package, calamine for the settings sheet.
No Excel here: what only Excel can confirm is listed in docs/addin.md."""

import importlib
import inspect
import re
import xml.etree.ElementTree as ET
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser

from addin.errors import UsageError
from addin.excel import build_addin as B
from tests.support.vba import wrappers_of
from tests.support.workbooks import addin_conf_rows, addin_settings
from udfs import functions

ROOT = Path(__file__).parent.parent
CUSTOM_UI = "{http://schemas.microsoft.com/office/2009/07/customui}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _vba(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {Path(vba_name).stem: code.replace("\r\n", "\n")
                for _f, _s, vba_name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return B.build(tmp_path_factory.mktemp("addin") / "preval.xlam")


@pytest.fixture(scope="module")
def vba(built):
    return _vba(built)


@pytest.fixture(scope="module")
def conf(built):
    return addin_conf_rows(built)


def _without_attributes(text: str) -> str:
    """The code a module holds, without what the VBA editor keeps apart: Attribute lines and
    a class file's export header (VERSION … BEGIN … END)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[0].startswith("VERSION "):
        lines = lines[lines.index("END") + 1:]
    return "\n".join(line for line in lines if not line.startswith("Attribute ")).strip()


def test_the_file_holds_exactly_our_vba_sources_and_not_the_template_sample(vba):
    sources = B.vba_sources()
    assert "RibbonMyAddin" not in vba
    for name, text in sources.items():
        # ASCII in, ASCII out: a code-page mistake would show here as "?"
        assert _without_attributes(vba[name]) == _without_attributes(text), name


def test_the_xlwings_module_is_the_installed_version_and_pinned(vba):
    pinned = re.search(r'"xlwings==([\d.]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert version("xlwings") == pinned
    assert f"'Version: {pinned}" in vba["xlwings"]
    assert f'XLPyDLLName As String = "xlwings64-{pinned}.dll"' in vba["xlwings"]
    assert 'Public Const PROJECT_NAME As String = "preval"' in vba["xlwings"]


def test_every_on_action_in_the_packaged_ribbon_has_a_callback_sub(built, vba):
    with zipfile.ZipFile(built) as z:
        root = ET.fromstring(z.read("customUI/customUI14.xml"))
    actions = {b.get("onAction") for b in root.iter(f"{CUSTOM_UI}button")}
    assert len(actions) == 9
    for action in actions:
        assert re.search(rf"^Public Sub {action}\(control As IRibbonControl\)$", vba["preval_ribbon"], re.M), action


def test_every_run_python_target_imports_and_is_callable(vba):
    code = vba["preval_ribbon"]
    (template,) = re.findall(r'RunPython "([^"]*)" & action & "\(\)"', code)
    module = re.fullmatch(r"import ([\w.]+); \1\.", template).group(1)
    targets = re.findall(r'CallPreval "(\w+)"', code)
    assert len(targets) == 8
    for target in targets:
        assert callable(getattr(importlib.import_module(module), target)), target


def test_every_function_has_a_wrapper_with_its_arguments_and_none_is_extra(vba):
    wrappers = wrappers_of(vba["xlwings_udfs"])
    assert wrappers == {f.__name__: list(inspect.signature(f).parameters) for f in functions.catalogue()}
    calls = set(re.findall(r'XLPy\.CallUDF\("([\w.]+)", "(PREVAL_\w+)"', vba["xlwings_udfs"]))
    assert {module for module, _ in calls} == {"udfs.functions"}
    assert {name for _, name in calls} == set(wrappers)


def test_the_package_points_at_the_ribbon_and_the_vba_project(built):
    with zipfile.ZipFile(built) as z:
        names = set(z.namelist())
        rels = ET.fromstring(z.read("_rels/.rels"))
        types = z.read("[Content_Types].xml").decode()
        wb_rels = z.read("xl/_rels/workbook.xml.rels").decode()
        workbook = z.read("xl/workbook.xml").decode()
    ui = [r for r in rels.iter(f"{REL}Relationship") if r.get("Type").endswith("/ui/extensibility")]
    assert [(r.get("Type"), r.get("Target")) for r in ui] == [
        ("http://schemas.microsoft.com/office/2007/relationships/ui/extensibility", "customUI/customUI14.xml")]
    assert "customUI/customUI14.xml" in names and "customUI/customUI.xml" not in names
    assert len({r.get("Id") for r in rels.iter(f"{REL}Relationship")}) == len(list(rels.iter(f"{REL}Relationship")))
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
    assert 'Target="vbaProject.bin"' in wb_rels and "xl/vbaProject.bin" in names
    assert f'<sheet name="{B.CONF_SHEET}"' in workbook and "absPath" not in workbook


def test_settings_sheet_has_the_xlwings_settings_in_one_block_from_a1(conf):
    block = []
    for row in conf:
        if row[0] == "":
            break  # xlwings reads A1 down to the first blank cell
        block.append((row[0], row[1]))
    settings = dict(block)
    assert settings["UDF Modules"] == "udfs.functions"
    assert settings["Interpreter_Win"] == r"%LOCALAPPDATA%\preval\env\Scripts\pythonw.exe"
    assert settings["Use UDF Server"] is True and settings["ADD_WORKBOOK_TO_PYTHONPATH"] is False
    assert len(block) == len(B.Settings().rows())


def test_every_text_vba_asks_for_is_on_the_sheet_and_columns_agree(vba, conf):
    code = vba["preval_ribbon"] + vba["preval_addin"]
    assert f"Private Const TEXT_COL As Long = {B.CONF_TEXT_COL}" in vba["preval_addin"]
    assert f"Private Const HELP_COL As Long = {B.CONF_HELP_COL}" in vba["preval_addin"]
    keys = {row[B.CONF_TEXT_COL - 1]: row[B.CONF_TEXT_COL] for row in conf[1:] if row[B.CONF_TEXT_COL - 1]}
    asked = set(re.findall(r'PrevalText\("(\w+)"\)', code))
    assert asked == {"title", "no_workbook", "protected_view", "python_failed", "restarted", "restart_failed",
                     "version_name", "bind_sheets"}
    assert asked <= set(keys)
    assert keys["title"] == "绩效评价" and "安装程序" in keys["python_failed"] and "重启" in keys["restarted"]
    # issue 27: a workbook from e-mail opens in Protected View, where there is no ActiveWorkbook:
    # the button says to click 启用编辑, not to open a workbook that is open
    call = vba["preval_ribbon"].split("Private Sub CallPreval", 1)[1].split("End Sub", 1)[0]
    assert call.index("Application.ActiveProtectedViewWindow Is Nothing") < call.index('PrevalText("no_workbook")')
    assert "启用编辑" in keys["protected_view"] and "受保护的视图" in keys["protected_view"]
    # what PrevalBind looks for: the name every preval workbook has, the sheets with PREVAL_* formulas
    assert keys["version_name"] == "模板版本" and keys["bind_sheets"] == "指标计算,评分表,评分说明,汇总"


def test_function_wizard_help_rows_match_the_functions(conf):
    col = B.CONF_HELP_COL - 1
    rows = {row[col]: row[col + 1:] for row in conf[1:] if row[col]}
    assert set(rows) == {f.__name__ for f in functions.catalogue()}
    for f in functions.catalogue():
        doc, category, count, *args = rows[f.__name__]
        params = list(inspect.signature(f).parameters)
        assert doc == f.__doc__.strip() and category == "绩效评价" and int(count) == len(params)
        assert [a for a in args if a != ""] == [f.__preval_args__[p] for p in params]
        assert all(len(text) < 255 for text in [doc, *args])


def test_load_work_is_scheduled_from_the_ribbons_onload_not_workbook_open(built, vba):
    # issue 27, item 3: an automatic Workbook_Open beside code that starts a program is what
    # scanners flag (mraptor AWX, Defender on xlwings.xlam); Excel calls onLoad when it loads the tab
    with zipfile.ZipFile(built) as z:
        root = ET.fromstring(z.read("customUI/customUI14.xml"))
    callback = root.get("onLoad")
    assert callback == "PrevalRibbonLoaded"
    assert re.search(rf"^Public Sub {callback}\(ribbon As IRibbonUI\)\s+Application\.OnTime Now, .*PrevalAfterLoad",
                     vba["preval_ribbon"], re.M)
    assert "Workbook_Open" not in "\n".join(_without_attributes(t) for t in vba.values())
    after_load = vba["preval_addin"].split("Public Sub PrevalAfterLoad()")[1].split("End Sub")[0]
    assert "On Error Resume Next" in after_load  # a failure never stops Excel
    assert "PrevalRegisterHelp" in after_load and "XLPy" in after_load and "CalculateFull" in after_load


def test_two_builds_are_byte_identical(built, tmp_path):
    again = B.build(tmp_path / "preval.xlam")
    assert again.read_bytes() == built.read_bytes()
    assert _vba(again) == _vba(built)


def test_the_interpreter_setting_is_written_into_the_sheet(tmp_path):
    path = B.build(tmp_path / "x.xlam", B.Settings(interpreter=r"D:\envs\preval\Scripts\pythonw.exe"))
    assert addin_settings(path)["Interpreter_Win"] == r"D:\envs\preval\Scripts\pythonw.exe"


def test_chinese_in_vba_source_is_refused_with_the_line(tmp_path, monkeypatch):
    for f in B.VBA_DIR.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    bas = tmp_path / "preval_ribbon.bas"
    bas.write_text(bas.read_text(encoding="utf-8").replace("Option Explicit", "' 功能区\nOption Explicit"),
                   encoding="utf-8")
    monkeypatch.setattr(B, "VBA_DIR", tmp_path)
    with pytest.raises(UsageError) as exc:
        B.vba_sources()
    assert "preval_ribbon" in exc.value.message and "非 ASCII" in exc.value.message
    assert f"第 {bas.read_text(encoding='utf-8').splitlines().index(chr(39) + ' 功能区') + 1} 行" in exc.value.message


def test_the_office_library_reference_is_kept_for_iribboncontrol(built, tmp_path):
    # the callbacks' "control As IRibbonControl" compiles only with the Office library
    # referenced (the template has it); read with pyOpenVBA, which needs a macro-enabled name
    from pyopenvba.excel import ExcelFile

    copy = tmp_path / "copy.xlsm"
    copy.write_bytes(built.read_bytes())
    book = ExcelFile(copy)
    try:
        names = {r.name for r in book.references()}
        assert "Office" in names
        assert book.validate() == []
    finally:
        book.close()


def test_a_vba_module_of_another_xlwings_version_is_refused(monkeypatch):
    # version skew (design.md): the DLL the VBA names must be the one pip installed
    monkeypatch.setattr(B, "version", lambda dist: "0.99.0" if dist == "xlwings" else "0.1.0")
    with pytest.raises(UsageError) as exc:
        B.xlwings_module()
    assert "0.99.0" in exc.value.message and "不一致" in exc.value.message


def _sub(code: str, name: str) -> str:
    """The body of Sub/Function ``name`` in a module's code."""
    m = re.search(rf"^(?:Public |Private )?(?:Sub|Function) {name}\(.*?^End (?:Sub|Function)$", code, re.M | re.S)
    assert m, name
    return m.group(0)


def test_a_failed_python_call_is_an_error_value_that_iferror_catches(vba):
    # issue 14: xlwings' wrappers returned Err.Description, text IFERROR does not catch
    code = vba["xlwings_udfs"]
    handlers = re.findall(r"^failed:\n    (PREVAL_\w+) = (.*)$", code, re.M)
    assert sorted(name for name, _ in handlers) == sorted(wrappers_of(code))
    assert {value for _, value in handlers} == {"CVErr(xlErrNA)"} and "Err.Description" not in code


def test_err_description_is_kept_before_prevaltext_clears_it(vba):
    code = vba["preval_ribbon"]
    for sub in ("CallPreval", "PrevalRestart"):
        handler = _sub(code, sub).split("failed:\n", 1)[1]
        assert handler.strip().startswith("failure = Err.Description"), sub
        assert "Err.Description" not in handler.split("\n", 1)[1], sub  # used once, before PrevalText
    assert "Err.Clear" not in _sub(vba["preval_addin"], "PrevalText")  # the reason it clears: On Error GoTo
    assert "On Error GoTo missing" in _sub(vba["preval_addin"], "PrevalText")


def test_messages_go_through_messageboxw_not_the_ansi_msgbox(vba):
    assert "MsgBox" not in vba["preval_ribbon"]
    addin = vba["preval_addin"]
    assert re.search(r'#ElseIf VBA7 Then\s+Private Declare PtrSafe Function MessageBoxW Lib "user32"', addin)
    message = _sub(addin, "PrevalMessage")
    assert re.search(r"#If Mac Then\s+MsgBox .*#Else\s+MessageBoxW Application.Hwnd, StrPtr\(text\), StrPtr\(caption\)",
                     message, re.S)
    code_lines = [line for line in addin.splitlines() if not line.lstrip().startswith("'")]
    assert sum("MsgBox " in line for line in code_lines) == 1  # only Excel for Mac, which has no user32


def test_the_vba_project_is_named_preval(built):
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import parse_vba_project

    with zipfile.ZipFile(built) as z:
        cfb = CFB.from_bytes(z.read("xl/vbaProject.bin"))
    assert parse_vba_project(cfb).name == "preval"
    assert 'Name="preval"' in cfb.get_stream("PROJECT").decode("cp1252") and b"MyAddin" not in cfb.get_stream("PROJECT")


def test_every_workbook_opened_is_bound_and_left_as_it_was(vba):
    events = vba["PrevalAppEvents"]
    assert "Public WithEvents App As Application" in events
    assert re.search(r"Private Sub App_WorkbookOpen\(ByVal Wb As Workbook\)\s+PrevalBind Wb\s+End Sub", events)
    addin = vba["preval_addin"]
    after_load = _sub(addin, "PrevalAfterLoad")
    assert "Set AppEvents = New PrevalAppEvents" in after_load and "Set AppEvents.App = Application" in after_load
    assert re.search(r"For Each wb In Application.Workbooks\s+PrevalBind wb", after_load)
    bind = _sub(addin, "PrevalBind")
    steps = ['wb.Names(PrevalText("version_name"))', "If probe Is Nothing Then Exit Sub", "wasSaved = wb.Saved",
             "Application.Calculation = xlCalculationManual", "PrevalRepointLinks wb", "PrevalReenter wb",
             "Application.Calculation = calcMode", "Application.ScreenUpdating = updating",
             "If wasSaved Then wb.Saved = True"]
    positions = [bind.index(step) for step in steps]
    assert positions == sorted(positions), "PrevalBind's steps are out of order"
    assert "If wb Is ThisWorkbook Then Exit Sub" in bind
    links = _sub(addin, "PrevalRepointLinks")
    assert "wb.ChangeLink path, ThisWorkbook.FullName, xlLinkTypeExcelLinks" in links
    reenter = _sub(addin, "PrevalReenter")
    assert 'Split(PrevalText("bind_sheets"), ",")' in reenter and 'Replace(cell.Formula, "_xludf."' in reenter
    # issue 27: Excel refuses SpecialCells on a protected sheet (the error was swallowed and no
    # formula was re-entered): every SpecialCells after the sheet's unprotect, in this procedure
    assert reenter.index("PrevalUnprotect(ws, protection)") < reenter.index(".SpecialCells(") \
        < reenter.index("cell.Formula =") < reenter.index("PrevalProtectAgain ws, protection")
    for module, code in vba.items():
        for name in re.findall(r"^(?:Public|Private) (?:Sub|Function) (\w+)", code, flags=re.M):
            body = _sub(code, name)
            if ".SpecialCells(" in body:
                assert "PrevalUnprotect(" in body and body.index("PrevalUnprotect(") < body.index(".SpecialCells("), \
                    (module, name)
    assert 'ws.Unprotect Password:=""' in _sub(addin, "PrevalUnprotect")  # fails instead of prompting
    again = _sub(addin, "PrevalProtectAgain")
    for flag in ("DrawingObjects", "Scenarios", "AllowFormattingCells", "AllowSorting", "AllowFiltering"):
        assert f"{flag}:=state(" in again, flag


def test_a_broken_installation_answers_every_button_in_chinese(tmp_path):
    import subprocess
    import sys

    log = tmp_path / "udf.log"
    code = ("import sys; sys.modules['addin.excel.ribbon'] = None; import addin.ribbon as r; "
            "[getattr(r, a)() for a in ('validate', 'score', 'report', 'finalize', 'settings', 'help')]")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PREVAL_LOG": str(log), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert done.stderr.count("preval 没有正确安装") == 6 and str(log) in done.stderr
    assert "ModuleNotFoundError: import of addin.excel.ribbon halted" in log.read_text(encoding="utf-8")


def _config_layers(vba_text: str) -> list[tuple[str, str]]:
    """Where the built GetConfig looks for a setting, in its order: ("sheet", workbook) and
    ("file", path function)."""
    body = vba_text[vba_text.index("Function GetConfig(configKey"):]
    body = body[:body.index("End Function")]
    found = re.finditer(r"GetConfigFromSheet\((\w+)\)\.Exists|GetConfigFromFile\((\w+)\(\)", body)
    return [("sheet", m[1]) if m[1] else ("file", m[2]) for m in found]


def _resolve(layers: list[tuple[str, str]], key: str, sheets: dict[str, dict], files: dict[str, dict]) -> str:
    """What GetConfig returns for ``key``: the first layer that has it (xlwings' Exit Function)."""
    for kind, where in layers:
        settings = sheets.get(where, {}) if kind == "sheet" else files.get(where, {})
        if key.upper() in settings:
            return settings[key.upper()]
    return ""


def test_no_workbook_and_no_file_beside_it_chooses_the_interpreter(vba):
    # issue 27, item 2: a macro-free .xlsx with a preval.conf sheet, and a preval.conf file in its
    # folder (a zip by e-mail), each naming an interpreter on a share
    hostile = r"\\host\share\python\pythonw.exe"
    ours = r"%LOCALAPPDATA%\preval\env\Scripts\pythonw.exe"
    sheets = {"ActiveWorkbook": {"INTERPRETER_WIN": hostile}, "ThisWorkbook": {"INTERPRETER_WIN": ours}}
    files = {"GetDirectoryConfigFilePath": {"INTERPRETER_WIN": hostile}}
    layers = _config_layers(vba["xlwings"])
    assert layers == [("sheet", "ThisWorkbook"), ("file", "GetConfigFilePath")]
    assert _resolve(layers, "Interpreter_Win", sheets, files) == ours
    # without the add-in's own setting, the user's file, then the default: still no workbook's
    assert _resolve(layers, "Interpreter_Win", {**sheets, "ThisWorkbook": {}}, files) == ""
    # the model is xlwings' own order on the unpatched module: the workbook's sheet first
    original = (B._xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="utf-8").replace("\r\n", "\n")
    assert _resolve(_config_layers(original), "Interpreter_Win", sheets, files) == hostile
    # and nothing else in the built VBA reads a workbook's settings sheet or a directory file
    code = "\n".join(_without_attributes(text) for text in vba.values())
    assert "GetConfigFromSheet(ActiveWorkbook)" not in code and "SheetExists(ActiveWorkbook, PROJECT_NAME" not in code
    assert code.count("GetDirectoryConfigFilePath()") == code.count("Function GetDirectoryConfigFilePath()") == 1


def test_a_changed_xlwings_config_text_stops_the_build(monkeypatch):
    real = B._OWN_CONFIG_ONLY
    monkeypatch.setattr(B, "_OWN_CONFIG_ONLY", {block.replace("Exit Function", "Exit  Function"): new
                                                for block, new in real.items()})
    with pytest.raises(UsageError, match="无法关闭按工作簿选择 Python 的设置"):
        B.xlwings_module()


def test_mraptor_rates_the_built_add_in_macro_ok(built):
    # issue 27, item 3: `mraptor preval.xlam` said SUSPICIOUS (AWX: Workbook_Open, SetAttr, Shell)
    from oletools import mraptor

    parser = VBA_Parser(str(built))
    try:
        code = "\n".join(text for _f, _s, _n, text in parser.extract_macros())
    finally:
        parser.close()
    raptor = mraptor.MacroRaptor(code)
    raptor.scan()
    assert not raptor.autoexec, raptor.autoexec_match
    assert not raptor.suspicious  # "Macro OK": writing and starting programs, but nothing automatic


def _procedure(vba_text: str, header: str) -> str:
    body = vba_text[vba_text.index(header):]
    return body[:body.index("End Function" if header.startswith(("Function", "Public Function")) else "End Sub")]


def test_one_python_server_per_excel_whatever_workbook_is_active(vba):
    # issue 27, item 6: xlwings keys its server on XLPyCommand's string; with the active workbook in
    # it each workbook started its own pythonw, and with none open the warm-up failed (error 91)
    command = _procedure(vba["xlwings"], "Function XLPyCommand()")
    assert "ActiveWorkbook" not in command
    original = (B._xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="utf-8").replace("\r\n", "\n")
    assert "ActiveWorkbook" in _procedure(original, "Function XLPyCommand()")  # what was removed
    # the paths in that string are read only when ADD_WORKBOOK_TO_PYTHONPATH is true: ours is false
    assert dict(B.Settings().rows())["ADD_WORKBOOK_TO_PYTHONPATH"] is False


def test_the_server_never_imports_from_excels_working_folder(vba):
    # issue 27, item 9: python -c puts "" (the current folder) first on sys.path
    command = _procedure(vba["xlwings"], "Function XLPyCommand()")
    tail = next(line for line in command.splitlines() if line.strip().startswith("tail ="))
    code = tail.split('-c ""', 1)[1].split(";")  # the statements python runs, in order
    assert code[0] == "import sys, os" and code[1] == "sys.path[:]=[p for p in sys.path if p]"
    path = ["", "C:\\\\env\\\\Lib\\\\site-packages"]
    exec(code[1].replace("sys.path", "path"), {"path": path})  # the statement, run on a sample path
    assert path == ["C:\\\\env\\\\Lib\\\\site-packages"]


def test_no_workbook_sheet_is_run_as_code(vba):
    # xlwings' RunPython runs a "….py" sheet of the active workbook as embedded code (PRO)
    run = _procedure(vba["xlwings"], "Public Function RunPython(")
    assert "Set wb = ActiveWorkbook" not in run and '".py"' not in run
