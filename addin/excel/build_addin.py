"""Build preval.xlam from the text sources in addin/excel/vba/ (``preval build-addin``).

The add-in is xlwings' own ribbon add-in template (``quickstart_addin_ribbon.xlam``, shipped
in the installed xlwings package) with:

- its ``xlwings`` module replaced by the installed package's ``xlwings_custom_addin.bas``,
  named for our project, so the VBA and the Python package are always the same version;
- ``xlwings_udfs`` (the PREVAL_* wrappers, addin/excel/vba_udfs.py), ``preval_ribbon`` (ribbon
  callbacks), ``preval_addin`` (load-time work) and a ``ThisWorkbook`` that schedules it,
  put in with pyOpenVBA; the template's sample module ``RibbonMyAddin`` removed;
- its customUI replaced by ``customUI14.xml`` (tab 绩效评价);
- its settings sheet, renamed ``preval.conf``, holding the xlwings settings (UDF Modules,
  Interpreter_Win ...) and every Chinese text VBA shows (messages, function-wizard help).

VBA source is stored in the project's code page (1252 in that template), so the .bas files
must be ASCII; Chinese lives in the sheet's cells instead. The build refuses non-ASCII VBA.

The output is byte-for-byte reproducible: same sources, same xlwings, same file.
"""

from __future__ import annotations

import inspect
import shutil
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from xml.sax.saxutils import escape

from addin.books.atomic import write_atomic
from addin.errors import UsageError
from addin.excel.vba_udfs import ADDIN_NAME  # noqa: F401 - ADDIN_NAME: the one name, used by install_addin
from addin.excel.vba_udfs import MODULE as UDF_MODULES
from addin.workbook import layout as L

VBA_DIR = Path(__file__).parent / "vba"
PROJECT_NAME = "preval"  # xlwings' PROJECT_NAME: the settings sheet is "<name>.conf"
CONF_SHEET = f"{PROJECT_NAME}.conf"
# Where install.ps1 puts the private environment; %...% is expanded by the xlwings module.
DEFAULT_INTERPRETER = r"%LOCALAPPDATA%\preval\env\Scripts\pythonw.exe"
CONF_TEXT_COL = 4  # D/E: message key and text (preval_addin.bas TEXT_COL)
CONF_HELP_COL = 7  # G..: function, help, category, argument count, argument help (HELP_COL)

# Shown by VBA when Python cannot help: no workbook open, or Python did not start.
MESSAGES = {
    "title": "绩效评价",
    "no_workbook": "请先打开要评价的工作簿（.xlsx），再点功能区按钮。",
    "protected_view": "这个工作簿处于“受保护的视图”（来自电子邮件或网络），preval 还不能读取它。"
                      "请先点击窗口上方黄色提示栏中的“启用编辑”，再点功能区按钮。",
    "python_failed": "无法启动 Python，未做任何修改。请先点“重启 Python”再试；仍不行时重新运行 preval 安装程序"
                     "（install.bat），或把本提示截图发给信息管理员。",
    "restarted": "已重启 Python，并重新计算了打开的工作簿。",
    "restart_failed": "无法重启 Python。请关闭 Excel 后重新运行 preval 安装程序（install.bat）；"
                      "如仍不行，请把本提示截图发给信息管理员。",
    # not shown: what PrevalBind looks for (a name every preval workbook has) and where
    "version_name": L.VERSION_NAME,
    "bind_sheets": ",".join((L.CALC, L.SCORES, L.NOTES, L.SUMMARY)),
}

# What the template holds that we replace or drop, checked so an xlwings upgrade that
# changes the template fails the build loudly instead of producing a half-built add-in.
_TEMPLATE_MODULE = "RibbonMyAddin"
_TEMPLATE_PROJECT = "MyAddin"
_TEMPLATE_UI = "customUI/customUI.xml"
_UI_PART = "customUI/customUI14.xml"
_UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip timestamps: reproducible builds


def _template_changed(message: str) -> UsageError:
    return UsageError(message, hint="请使用 pyproject.toml 锁定的 xlwings 版本")


@dataclass(frozen=True)
class Settings:
    interpreter: str = DEFAULT_INTERPRETER

    def rows(self) -> list[tuple[str, object]]:
        """The xlwings settings, as the template's sheet holds them (key, value)."""
        return [
            ("Interpreter_Win", self.interpreter),
            ("UDF Modules", UDF_MODULES),
            # The ribbon runs in the same, already started Python as the cells: fast clicks.
            ("Use UDF Server", True),
            ("Show Console", False),
            ("Debug UDFs", False),
            # A stray udfs.py/addin.py beside a clerk's workbook must not shadow our packages.
            ("ADD_WORKBOOK_TO_PYTHONPATH", False),
        ]


def _xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


# xlwings' GetConfig looks for a setting first on a "preval.conf" sheet of the *active*
# workbook, then in a preval.conf file beside it, before the add-in's own sheet: any workbook
# (a macro-free .xlsx by e-mail, or a zip with a settings file) could then choose the
# interpreter Excel starts and the folder its DLL is loaded from (issue 27, item 2). The add-in
# reads its own sheet and the user's file (%USERPROFILE%\.preval\preval.conf) only.
_ACTIVE_SHEET_CONFIG = """            'Workbook Sheet Config
            If SheetExists(ActiveWorkbook, PROJECT_NAME & ".conf") = True Then
                If GetConfigFromSheet(ActiveWorkbook).Exists(configKey) = True Then
                    GetConfig = GetConfigFromSheet(ActiveWorkbook).Item(configKey)
                    GetConfig = ExpandEnvironmentStrings(GetConfig)
                    Exit Function
                End If
            End If
"""
_DIRECTORY_CONFIG = """    ' Directory Config
    If source = "" Or source = "directory" Then
        #If App = "Microsoft Excel" Then
            If GetFullName(ActiveWorkbook) <> "" Then ' Empty if local dir can't be figured out (e.g. SharePoint)
        #Else
            If InStr(GetDirectoryPath(), "://") = 0 Then ' Other Office apps: skip for synced SharePoint/OneDrive files
        #End If
            If FileExists(GetDirectoryConfigFilePath()) = True Then
                If GetConfigFromFile(GetDirectoryConfigFilePath(), configKey, configValue) Then
                    GetConfig = configValue
                    GetConfig = ExpandEnvironmentStrings(GetConfig)
                    Exit Function
                End If
            End If
        End If
    End If
"""
# RunPython treats an active workbook with a sheet named "….py" as embedded code to run (xlwings
# PRO): a workbook must not decide what the buttons run.
_EMBEDDED_CODE_CHECK = """    For i = 1 To 2
        If i = 1 Then
            Set wb = ActiveWorkbook
        Else
            Set wb = ThisWorkbook
        End If
        For Each sht In wb.Worksheets
            If Right$(sht.Name, 3) = ".py" Then
                uses_embedded_code = True
                Exit For
            End If
        Next
    Next i
"""
# XLPyCommand names the active workbook in the server's command line: xlwings keys its server
# on that string, so each workbook started a pythonw of its own, 重启 Python restarted one of
# them, and with no workbook open (Excel from the Start menu) the warm-up failed with error 91
# (issue 27, item 6). The paths are read only when ADD_WORKBOOK_TO_PYTHONPATH is true; ours is
# false. One command, one server per Excel.
_SERVER_PER_WORKBOOK = ('PYTHONPATH = AddExcelDir & ";" & ActiveWorkbook.FullName & ";" & ThisWorkbook.FullName & ";"'
                        ' & GetConfig("ONEDRIVE_CONSUMER_WIN")')
# python -c puts the current directory (Excel's) first on sys.path: a stray udfs.py there would
# be imported instead of preval's (issue 27, item 9).
_CWD_ON_PATH = 'tail = " -B -c ""import sys, os;" & LicenseKeyEnvString'
_OWN_CONFIG_ONLY = {
    _ACTIVE_SHEET_CONFIG: "            ' preval: never a setting of the active workbook (it could choose the interpreter)\n",
    _DIRECTORY_CONFIG: "    ' preval: never a settings file beside the workbook (it could choose the interpreter)\n",
    _EMBEDDED_CODE_CHECK: "    ' preval: no workbook's sheet is run as code\n",
    _SERVER_PER_WORKBOOK: 'PYTHONPATH = AddExcelDir & ";" & "" & ";" & ThisWorkbook.FullName & ";" & GetConfig("ONEDRIVE_CONSUMER_WIN")',
    _CWD_ON_PATH: 'tail = " -B -c ""import sys, os;sys.path[:]=[p for p in sys.path if p];" & LicenseKeyEnvString',
}


def xlwings_module() -> str:
    """The installed xlwings' VBA module for custom add-ins, named for our project, reading
    its settings only from the add-in's own sheet and the user's file (_OWN_CONFIG_ONLY)."""
    source = (_xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    pinned = version("xlwings")
    if f"'Version: {pinned}" not in source:
        raise UsageError(f"xlwings 的 VBA 模块版本与已安装的 xlwings {pinned} 不一致",
                         hint="重新安装 xlwings（pip install --force-reinstall xlwings）")
    line = 'Public Const PROJECT_NAME As String = "myaddin"'
    if source.count(line) != 1:
        raise _template_changed("xlwings 的 VBA 模块格式已变化，无法设置项目名")
    source = source.replace("\r\n", "\n")
    for block, instead in _OWN_CONFIG_ONLY.items():
        if source.count(block) != 1:
            raise _template_changed("xlwings 的 VBA 模块格式已变化，无法关闭按工作簿选择 Python 的设置和代码")
        source = source.replace(block, instead)
    return source.replace(line, f'Public Const PROJECT_NAME As String = "{PROJECT_NAME}"')


def vba_sources() -> dict[str, str]:
    """Module name -> source, exactly as the build puts them in (CRLF, ASCII)."""
    sources = {
        "xlwings": xlwings_module(),
        "xlwings_udfs": (VBA_DIR / "xlwings_udfs.bas").read_text(encoding="utf-8"),
        "preval_ribbon": (VBA_DIR / "preval_ribbon.bas").read_text(encoding="utf-8"),
        "preval_addin": (VBA_DIR / "preval_addin.bas").read_text(encoding="utf-8"),
        "ThisWorkbook": (VBA_DIR / "ThisWorkbook.cls").read_text(encoding="utf-8"),
        "PrevalAppEvents": (VBA_DIR / "PrevalAppEvents.cls").read_text(encoding="utf-8"),
    }
    for name, text in sources.items():
        bad = [(n, line) for n, line in enumerate(text.splitlines(), 1) if not line.isascii()]
        if bad:
            n, line = bad[0]
            raise UsageError(f"VBA 模块 {name} 第 {n} 行含非 ASCII 字符：{line.strip()[:40]}",
                             hint="VBA 代码只能用 ASCII；中文文字放在 build_addin.MESSAGES 中，用 PrevalText 读取")
    return {name: "\r\n".join(text.splitlines()) + "\r\n" for name, text in sources.items()}


def help_rows() -> list[list[object]]:
    """One row per PREVAL_* function: name, help, category, argument count, argument help —
    what xlwings' "Import Functions" would pass to Application.MacroOptions."""
    from udfs import functions

    rows = []
    for udf in functions.catalogue():
        params = list(inspect.signature(udf).parameters)
        args = [udf.__preval_args__[p][:255] for p in params]
        rows.append([udf.__name__, (udf.__doc__ or "").strip()[:255], functions.CATEGORY, len(args), *args])
    return rows


def _cell(ref: str, value: object) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def conf_sheet_xml(settings: Settings) -> str:
    """The settings sheet: xlwings settings in A:B from A1 (xlwings reads A1 down to the
    first blank), messages in D:E and function help from G, each under a header row."""
    from openpyxl.utils import get_column_letter

    grid: dict[int, dict[int, object]] = {}

    def put(first_row: int, first_col: int, rows) -> None:
        for r, row in enumerate(rows, first_row):
            for c, value in enumerate(row, first_col):
                grid.setdefault(r, {})[c] = value

    put(1, 1, settings.rows())
    put(1, CONF_TEXT_COL, [("消息", "文字"), *MESSAGES.items()])
    put(1, CONF_HELP_COL, [("函数", "说明", "类别", "参数个数", "参数说明…"), *help_rows()])
    rows = ["<row r=\"{}\">{}</row>".format(
                r, "".join(_cell(f"{get_column_letter(c)}{r}", grid[r][c]) for c in sorted(grid[r])))
            for r in sorted(grid)]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetPr codeName="Sheet2"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            '<cols><col min="1" max="1" width="30" customWidth="1"/><col min="2" max="2" width="50" customWidth="1"/>'
            '<col min="4" max="4" width="14" customWidth="1"/><col min="5" max="5" width="60" customWidth="1"/>'
            '<col min="7" max="7" width="24" customWidth="1"/><col min="8" max="8" width="60" customWidth="1"/></cols>'
            f'<sheetData>{"".join(rows)}</sheetData></worksheet>')


def _workbook_xml(template: str) -> str:
    old = '<sheet name="_myaddin.conf"'
    if old not in template:
        raise _template_changed("xlwings 加载项模板的设置表已变化")
    text = template.replace(old, f'<sheet name="{CONF_SHEET}"')
    # The template remembers its author's folder (x15ac:absPath); a built file should not.
    start = text.find("<mc:AlternateContent")
    end = text.find("</mc:AlternateContent>")
    if start != -1 and end != -1:
        text = text[:start] + text[end + len("</mc:AlternateContent>"):]
    return text


def _root_rels(template: str) -> str:
    old = 'Target="customUI/customUI.xml"'
    if old not in template:
        raise _template_changed("xlwings 加载项模板的功能区部件已变化")
    start = template.rfind("<Relationship ", 0, template.find(old))
    end = template.find("/>", start) + 2
    rel = f'<Relationship Id="rId4" Type="{_UI_REL}" Target="{_UI_PART}" />'
    return template[:start] + rel + template[end:]


def _core_xml() -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>preval 绩效评价加载项 {version("preval")}（xlwings {version("xlwings")}）</dc:title>'
            '<dc:creator>preval</dc:creator>'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
            '</cp:coreProperties>')


def _vba_project(template: Path, work: Path) -> bytes:
    """The template's vbaProject.bin with our modules, via pyOpenVBA."""
    from pyopenvba.excel import ExcelFile
    from pyopenvba.vba import VBAModuleKind

    src, out = work / "template.xlam", work / "modules.xlam"
    shutil.copyfile(template, src)
    sources = vba_sources()
    book = ExcelFile(src)
    try:
        project = book.vba_project()
        if _TEMPLATE_MODULE not in project.module_names():
            raise _template_changed("xlwings 加载项模板的 VBA 模块已变化")
        project.delete_module(_TEMPLATE_MODULE)
        book.set_module("xlwings", sources["xlwings"])
        book.set_module("ThisWorkbook", sources["ThisWorkbook"])
        for name in ("xlwings_udfs", "preval_ribbon", "preval_addin"):
            project.add_module(name, sources[name])
        project.add_module("PrevalAppEvents", sources["PrevalAppEvents"], kind=VBAModuleKind.other)
        book.save(out)
    finally:
        book.close()
    with zipfile.ZipFile(out) as z:
        return _named_project(z.read("xl/vbaProject.bin"), PROJECT_NAME)


def _named_project(bin_: bytes, name: str) -> bytes:
    """The VBA project renamed from the template's "MyAddin" to ``name`` (what the VBA editor
    and a security prompt show), in both places a project keeps its name: the PROJECTNAME
    record of the dir stream and the Name= line of the PROJECT stream ([MS-OVBA] 2.3.4.2.1.6
    and 2.3.1.3). pyOpenVBA has no call for it; its stream reader and writer do the rest."""
    from pyopenvba import vba
    from pyopenvba.cfb import CFB

    cfb = CFB.from_bytes(bin_)
    record = lambda text: b"\x04\x00" + struct.pack("<I", len(text)) + text.encode("ascii")  # noqa: E731
    dir_stream = vba.decompress(cfb.get_stream_in_storage("VBA", "dir"))
    project = cfb.get_stream("PROJECT")
    line = lambda text: f'Name="{text}"'.encode("ascii")  # noqa: E731
    if dir_stream.count(record(_TEMPLATE_PROJECT)) != 1 or project.count(line(_TEMPLATE_PROJECT)) != 1:
        raise _template_changed("xlwings 加载项模板的 VBA 工程名已变化")
    cfb.write_stream_in_storage("VBA", "dir", vba.compress(dir_stream.replace(record(_TEMPLATE_PROJECT), record(name))))
    cfb.write_stream("PROJECT", project.replace(line(_TEMPLATE_PROJECT), line(name)))
    return cfb.to_bytes()


def _parts(settings: Settings, work: Path) -> dict[str, bytes]:
    template = _xlwings_dir() / "quickstart_addin_ribbon.xlam"
    with zipfile.ZipFile(template) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    if _TEMPLATE_UI not in parts:
        raise _template_changed("xlwings 加载项模板缺少功能区部件")
    del parts[_TEMPLATE_UI]
    parts[_UI_PART] = (VBA_DIR / "customUI14.xml").read_bytes()
    parts["_rels/.rels"] = _root_rels(parts["_rels/.rels"].decode("utf-8")).encode("utf-8")
    parts["xl/workbook.xml"] = _workbook_xml(parts["xl/workbook.xml"].decode("utf-8")).encode("utf-8")
    parts["xl/worksheets/sheet1.xml"] = conf_sheet_xml(settings).encode("utf-8")
    parts["docProps/core.xml"] = _core_xml().encode("utf-8")
    parts["xl/vbaProject.bin"] = _vba_project(template, work)
    return parts


def _write_zip(parts: dict[str, bytes], path: str) -> None:
    first = ["[Content_Types].xml", "_rels/.rels"]
    with zipfile.ZipFile(path, "w") as z:
        for name in first + sorted(set(parts) - set(first)):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, parts[name])


def build(dest: Path, settings: Settings = Settings(), backup: bool = True) -> Path:
    """Write the add-in to ``dest`` (atomically; see addin.books.atomic)."""
    with tempfile.TemporaryDirectory(prefix="preval-xlam-") as tmp:
        parts = _parts(settings, Path(tmp))
    return write_atomic(Path(dest), lambda path: _write_zip(parts, path), backup=backup)
