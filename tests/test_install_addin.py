"""Installing the add-in (issue 7): ``preval install-addin`` (dry run and real, checked here
on Linux with an XLSTART folder of our choosing) and the Windows install script, checked
statically: no PowerShell or Windows here, see docs/addin.md for what only Windows shows."""

import re
import tomllib
from pathlib import Path

import pytest

from addin.cli import main
from addin.excel import build_addin as B
from tests.support.workbooks import addin_settings

ROOT = Path(__file__).parent.parent
WINDOWS = ROOT / "addin" / "excel" / "windows"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_dry_run_prints_the_steps_and_writes_nothing(tmp_path, capsys):
    xlstart = tmp_path / "XLSTART"
    assert main(["install-addin", "--dry-run", "--xlstart", str(xlstart), "--interpreter", r"C:\e\pythonw.exe"]) == 0
    out = capsys.readouterr().out
    assert "[演练]" in out and str(xlstart / "preval.xlam") in out and r"C:\e\pythonw.exe" in out
    assert "未写入任何文件" in out
    assert not xlstart.exists()


def test_install_writes_the_addin_with_the_interpreter_and_no_backup(tmp_path, capsys):
    xlstart = tmp_path / "XLSTART"
    for interpreter in (r"C:\old\pythonw.exe", r"C:\new\pythonw.exe"):  # install, then update
        assert main(["install-addin", "--xlstart", str(xlstart), "--interpreter", interpreter]) == 0
    assert [p.name for p in xlstart.iterdir()] == ["preval.xlam"]  # Excel opens every file in XLSTART
    assert addin_settings(xlstart / "preval.xlam")["Interpreter_Win"] == r"C:\new\pythonw.exe"
    assert "已安装加载项" in capsys.readouterr().out


def test_without_appdata_or_xlstart_the_message_says_what_to_do(monkeypatch, capsys):
    monkeypatch.delenv("APPDATA", raising=False)
    assert main(["install-addin", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "XLSTART" in err and "--xlstart" in err and "Traceback" not in err


def test_default_xlstart_is_under_appdata(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("APPDATA", str(tmp_path))
    assert main(["install-addin", "--dry-run"]) == 0
    assert str(tmp_path / "Microsoft" / "Excel" / "XLSTART" / "preval.xlam") in capsys.readouterr().out


@pytest.fixture(scope="module")
def ps1():
    raw = (WINDOWS / "install.ps1").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Windows PowerShell 5.1 reads a BOM-less script as ANSI"
    assert b"\r\n" in raw
    return raw.decode("utf-8-sig").replace("\r\n", "\n")


def _assignment(script: str, name: str) -> str:
    return re.search(rf'^\${name} = "([^"]*)"$', script, re.M).group(1)


def test_install_script_pins_the_versions_and_names_of_this_project(ps1):
    assert _assignment(ps1, "PrevalVersion") == PYPROJECT["project"]["version"]
    pin = next(d for d in PYPROJECT["project"]["dependencies"] if d.startswith("xlwings=="))
    assert _assignment(ps1, "XlwingsVersion") == pin.split("==")[1]
    assert _assignment(ps1, "PythonVersion") == "3.11"
    assert _assignment(ps1, "AddinName") == B.ADDIN_NAME
    assert '"preval==$PrevalVersion" "xlwings==$XlwingsVersion"' in ps1


def test_install_script_env_path_is_the_addin_default(ps1):
    # $Root = LOCALAPPDATA\preval, $EnvDir = $Root\env, pythonw in Scripts: the default the
    # add-in carries (%LOCALAPPDATA%\preval\env\Scripts\pythonw.exe)
    assert '$Root = Join-Path $env:LOCALAPPDATA "preval"' in ps1
    assert '$EnvDir = Join-Path $Root "env"' in ps1
    assert '$EnvPythonw = Join-Path $EnvDir "Scripts\\pythonw.exe"' in ps1
    assert B.DEFAULT_INTERPRETER == r"%LOCALAPPDATA%\preval\env\Scripts\pythonw.exe"
    assert '$XlStart = Join-Path $env:APPDATA "Microsoft\\Excel\\XLSTART"' in ps1


def test_install_script_calls_a_real_cli_option(ps1):
    assert "& $EnvPreval install-addin --interpreter $EnvPythonw" in ps1
    from addin.cli import cli

    (command,) = [c for c in cli.commands if c.name == "install-addin"]
    options = {flag for flags, _ in command.args for flag in flags}
    assert "--interpreter" in options and "--dry-run" in options


SIDE_EFFECTS = re.compile(r"Remove-Item|New-Item|Copy-Item|Move-Item|-m venv|pip install|install-addin |Set-Content|"
                          r"Stop-Process")


def test_every_change_goes_through_invoke_step_so_dry_run_holds(ps1):
    assert re.search(r"param\(\s*\[switch\]\$DryRun,", ps1)
    assert re.search(r'if \(\$DryRun\) \{\s+Write-Host "\[演练\] \$Text"\s+return', ps1)
    depth_in_step, changes = 0, 0
    for line in ps1.splitlines():
        if line.lstrip().startswith("Invoke-Step "):
            depth_in_step = 1 + line.count("{") - line.count("}") - 1  # the block opens on this line
            changes += bool(SIDE_EFFECTS.search(line))
            continue
        if depth_in_step > 0:
            changes += bool(SIDE_EFFECTS.search(line))
            depth_in_step += line.count("{") - line.count("}")
            continue
        assert not SIDE_EFFECTS.search(line), f"outside Invoke-Step: {line.strip()}"
    assert changes >= 8  # uninstall x3, stop old pythonw, old env, venv, pip, install-addin


def test_batch_files_run_the_script_for_a_double_click(ps1):
    install = (WINDOWS / "install.bat").read_bytes().decode("ascii")
    uninstall = (WINDOWS / "uninstall.bat").read_bytes().decode("ascii")
    for bat in (install, uninstall):
        assert '-ExecutionPolicy Bypass -File "%~dp0install.ps1"' in bat and "%*" in bat and "pause" in bat
        assert "\r\n" in bat  # cmd.exe wants CRLF
    assert "-Uninstall" in uninstall and "[switch]$Uninstall" in ps1


def test_the_wheel_carries_every_package_and_the_addin_sources():
    # a non-editable install (the Windows env) gets only what pyproject lists
    tool = PYPROJECT["tool"]["setuptools"]
    packages = {str(p.parent.relative_to(ROOT)).replace("/", ".") for p in ROOT.glob("*/**/__init__.py")
                if p.parent.parts[len(ROOT.parts)] in ("addin", "udfs", "xlsx_templates")}
    assert packages == set(tool["packages"])
    data = tool["package-data"]["addin.excel"]
    for folder in ("vba", "windows"):
        for f in (ROOT / "addin" / "excel" / folder).iterdir():
            assert any(Path(f"{folder}/{f.name}").match(glob) for glob in data), f


def _wheel(folder: Path, filename: str, requires: list[str]) -> None:
    import zipfile

    name, ver = filename.split("-")[:2]
    with zipfile.ZipFile(folder / filename, "w") as z:
        z.writestr(f"{name}-{ver}.dist-info/METADATA",
                   "Metadata-Version: 2.1\nName: {}\nVersion: {}\n{}".format(
                       name, ver, "".join(f"Requires-Dist: {r}\n" for r in requires)))


def test_kit_check_follows_windows_markers_that_pip_download_skips(tmp_path):
    from addin.excel.kit_check import problems

    _wheel(tmp_path, "preval-0.1.0-py3-none-any.whl", ["typer>=0.12", "appscript; platform_system == 'Darwin'"])
    _wheel(tmp_path, "typer-0.29.2-py3-none-any.whl", ["colorama; platform_system == 'Windows'"])
    assert problems(tmp_path) == ["缺少 colorama（typer 需要）"]  # appscript is macOS-only: not asked for
    _wheel(tmp_path, "colorama-0.4.6-py2.py3-none-any.whl", [])
    assert problems(tmp_path) == []
    _wheel(tmp_path, "numpy-2.4.6-cp311-cp311-manylinux_2_28_x86_64.whl", [])
    assert problems(tmp_path) == ["numpy-2.4.6-cp311-cp311-manylinux_2_28_x86_64.whl：不适用于 Windows 64 位 Python 3.11"]
    (tmp_path / "typer-0.29.2-py3-none-any.whl").unlink()
    _wheel(tmp_path, "typer-0.11.0-py3-none-any.whl", ["colorama; platform_system == 'Windows'"])
    assert any("版本不满足" in p and "typer>=0.12" in p for p in problems(tmp_path))


def encoded_policy_check() -> str:
    """policy_check.ps1 as install.bat passes it (-EncodedCommand: base64 of UTF-16LE)."""
    import base64

    text = (WINDOWS / "policy_check.ps1").read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    return base64.b64encode(text.encode("utf-16-le")).decode("ascii")


def test_a_group_policy_that_forbids_scripts_is_explained_before_install_ps1_runs():
    check = (WINDOWS / "policy_check.ps1").read_bytes().decode("utf-8-sig")
    assert "Get-ExecutionPolicy -Scope MachinePolicy" in check and "exit 3" in check and "组策略" in check
    for name in ("install.bat", "uninstall.bat"):
        bat = (WINDOWS / name).read_bytes().decode("ascii")
        lines = bat.splitlines()
        first = next(n for n, line in enumerate(lines) if line.startswith("powershell.exe"))
        assert lines[first] == f"powershell.exe -NoProfile -EncodedCommand {encoded_policy_check()}", name
        assert lines[first + 1] == "if errorlevel 3 goto end" and "-File" in lines[first + 2], name


def test_the_python_found_is_checked_before_anything_is_installed(ps1):
    # Microsoft Store Python: its AppData writes land in a private folder Excel never sees;
    # 32-bit: the kit's wheels are 64-bit (pip fails with "代码 1")
    test = ps1.split("function Test-Python", 1)[1].split("\n}\n", 1)[0]
    assert "struct.calcsize('P') * 8" in test and "sys.base_prefix" in test
    assert '-like "*\\WindowsApps\\*"' in test and "Microsoft Store 版 Python" in test
    assert '-ne "64"' in test and "32 位 Python" in test
    assert ps1.index("Test-Python $BasePython") < ps1.index('Invoke-Step "建立 Python 环境')
    assert '"-$PythonVersion-64"' in ps1  # the launcher asked for a 64-bit 3.11


def test_an_update_stops_the_old_pythonw_before_deleting_its_environment(ps1):
    stop = ps1.index('Invoke-Step "结束仍在运行的 preval Python 进程（如有）"', ps1.index("$BasePython = Find-Python"))
    assert stop < ps1.index('Invoke-Step "删除旧的 Python 环境（如有）"')
    # only ours, not every Python: started from the environment, or the server a venv's launcher
    # starts from the base interpreter (issue 27, item 9: the old filter on the path missed it)
    finder = ps1[ps1.index("function Get-PrevalPython"):]
    finder = finder[:finder.index("\n}")]
    assert "$_.ExecutablePath.StartsWith($EnvDir" in finder
    assert '$_.CommandLine -like "*xlwings.serve*" -and $_.CommandLine -like "*$AddinName*"' in finder
    assert ps1.count("Get-PrevalPython | Stop-Process -Force") == 2  # update and uninstall


def test_appdata_on_a_network_share_is_named_as_untrusted(ps1):
    assert 'if ($env:APPDATA -like "\\\\*")' in ps1 and "受信任位置" in ps1


# ---------------------------------------------------------------- issue 27: nothing from an index, messages whole

# What Windows PowerShell 5.1 reads as the end of a string (about_Quoting_Rules): besides " and ',
# the typographic quotes. A Chinese message with “…” inside "…" ended at the first “ and every
# failed step printed only "安装未完成：".
DOUBLE_QUOTES = "\"\u201c\u201d\u201e"
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"


def _scripts() -> dict[str, str]:
    out = {p.name: p.read_bytes().decode("utf-8-sig") for p in sorted(WINDOWS.glob("*.ps1"))}
    assert set(out) == {"install.ps1", "policy_check.ps1"}
    return out


def _strings(line: str) -> list[str]:
    """The quoted strings of one line as PowerShell 5.1 delimits them (any of its quote
    characters opens and closes), outside comments."""
    out, i = [], 0
    while i < len(line):
        ch = line[i]
        if ch == "#":
            break
        for quotes in (DOUBLE_QUOTES, SINGLE_QUOTES):
            if ch in quotes:
                end = i + 1
                while end < len(line) and line[end] not in quotes:
                    end += 2 if quotes is DOUBLE_QUOTES and line[end] == "`" else 1
                out.append(line[i + 1:end])
                i = end
                break
        i += 1
    return out


def test_no_powershell_string_holds_a_quote_that_would_end_it():
    for name, text in _scripts().items():
        curly = [ch for ch in text if ch in DOUBLE_QUOTES[1:] + SINGLE_QUOTES[1:]]
        assert not curly, (name, curly)  # the simplest rule: none at all (「」 quote in Chinese text)
    # and every Stop-Install message is one whole string: what follows it on its line is nothing
    for name, text in _scripts().items():
        for line in text.splitlines():
            if "Stop-Install \"" in line:
                rest = line.split("Stop-Install ", 1)[1]
                (message, *more) = _strings(rest)
                assert rest.strip() == f'"{message}"' or rest.strip().startswith(f'"{message}" '), (name, line)
                assert not more or rest.strip().endswith("}"), (name, line)


def test_the_tokenizer_sees_a_curly_quote_end_a_string():
    # the bug as it was: “$Text” inside "…" ended the string at the first curly quote, $Text
    # became a token of its own and the rest another string: Stop-Install got "" alone
    assert _strings('Stop-Install "“$Text”失败（代码 1）"') == ["", "失败（代码 1）"]
    assert _strings('Write-Host "请按「确定」继续"') == ["请按「确定」继续"]


def test_nothing_is_installed_from_a_package_index():
    """Without the kit's wheels\\ the installer ran pip against the index, whose "preval" is an
    unrelated project: every pip install is --no-index from the kit, and a kit without the
    preval wheel stops the installer before anything is changed."""
    ps1 = _scripts()["install.ps1"]
    pips = [line for line in ps1.splitlines() if "pip install" in line and not line.lstrip().startswith("#")]
    assert pips and all("--no-index" in line and "--find-links $Wheelhouse" in line for line in pips), pips
    check = ps1.index('Test-Path (Join-Path $Wheelhouse "preval-$PrevalVersion-*.whl")')
    assert check < ps1.index('Invoke-Step "结束仍在运行的 preval Python 进程（如有）"', ps1.index("$BasePython = Find-Python"))
    stop = ps1[check:].split("\n", 2)[1]
    assert "Stop-Install" in stop and "不会从网上下载安装包" in stop
    assert "软件源" not in ps1 and "@Source" not in ps1


def test_a_kit_marked_as_from_the_internet_is_unblocked_where_group_policy_says_remotesigned():
    # issue 27, item 9: RemoteSigned enforced by Group Policy refuses an unsigned script that came by
    # e-mail or download (Zone.Identifier), and -ExecutionPolicy Bypass cannot lift it
    check = (WINDOWS / "policy_check.ps1").read_bytes().decode("utf-8-sig")
    guard = check[check.index("$kit = $env:PREVAL_KIT"):]
    assert '-contains "RemoteSigned"' in guard and "-Stream Zone.Identifier" in guard
    assert "Get-ChildItem -LiteralPath $kit" in guard and "| Unblock-File -ErrorAction Stop" in guard  # the kit only
    assert "exit 3" in guard.split("catch")[1]  # a failed unblock stops with the Chinese sentence
    for name in ("install.bat", "uninstall.bat"):
        lines = (WINDOWS / name).read_bytes().decode("ascii").splitlines()
        run = next(n for n, line in enumerate(lines) if line.startswith("powershell.exe"))
        assert 'set "PREVAL_KIT=%~dp0"' in lines[:run], name
        assert len(lines[run]) < 8191, name  # cmd.exe's longest command line


def test_without_excel_the_installer_says_what_works_instead(ps1):
    # issue 27, item 10: xlwings does not load in WPS, which often owns .xlsx in government offices
    check = ps1.index('$ExcelInstalled = Test-Path "Registry::HKEY_CLASSES_ROOT\\Excel.Application"')
    assert check < ps1.index("$BasePython = Find-Python")  # before anything is installed
    stop = ps1[check:ps1.index("if (Get-Process EXCEL")]
    assert 'if (-not $ExcelInstalled -and -not $Uninstall) {\n    Stop-Install "本机没有安装 Microsoft Excel' in stop.replace("\r\n", "\n")
    assert "工作簿自带的公式实时计算" in stop and "命令行运行 preval" in stop
    assert "FileExts\\.xlsx\\UserChoice" in stop and '-notlike "Excel.*"' in stop and "WPS" in stop


def _kit(tmp_path: Path) -> Path:
    from addin.excel import kit_manifest as M

    kit = tmp_path / "preval-windows"
    (kit / "wheels").mkdir(parents=True)
    (kit / "install.ps1").write_bytes((WINDOWS / "install.ps1").read_bytes())
    (kit / "wheels" / "preval-0.1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04 the wheel")
    assert M.write(kit) == 2
    return kit


def test_the_kit_manifest_lists_every_file_and_check_finds_what_changed_on_the_way(tmp_path):
    import hashlib

    from addin.excel import kit_manifest as M

    kit = _kit(tmp_path)
    wheel = kit / "wheels" / "preval-0.1.0-py3-none-any.whl"
    lines = (kit / M.MANIFEST).read_text(encoding="utf-8").splitlines()
    assert lines == [f"{hashlib.sha256((kit / 'install.ps1').read_bytes()).hexdigest()}  install.ps1",
                     f"{hashlib.sha256(b'PK' + bytes([3, 4]) + b' the wheel').hexdigest()}  wheels/preval-0.1.0-py3-none-any.whl"]
    assert M.check(kit) == []
    (kit / "Thumbs.db").write_bytes(b"explorer's")  # Explorer's own: not the kit's
    assert M.check(kit) == []
    wheel.write_bytes(b"PK\x03\x04 another wheel")
    (kit / "wheels" / ".udfs.py").write_text("import os")  # hidden files count
    (kit / "install.ps1").unlink()
    assert M.check(kit) == ["安装包缺少文件 install.ps1",
                            "安装包中的文件 wheels/preval-0.1.0-py3-none-any.whl 与清单不符（已被改动或损坏）",
                            "安装包中多出清单以外的文件 wheels/.udfs.py"]
    (kit / M.MANIFEST).write_text("0" * 64 + "  ../outside\n", encoding="utf-8")
    assert "格式不对" in M.check(kit)[0]
    (kit / M.MANIFEST).unlink()
    assert "没有清单文件" in M.check(kit)[0]


def test_the_installer_checks_the_manifest_before_anything_the_same_way(ps1):
    from addin.excel import kit_manifest as M

    # first thing of an install: before the Python is looked for and before any step
    assert ps1.index("\nTest-Kit $PSScriptRoot\n") < ps1.index("$BasePython = Find-Python")
    assert ps1.index("\nTest-Kit $PSScriptRoot\n") < ps1.index('Invoke-Step "删除旧的 Python 环境（如有）"')
    body = ps1[ps1.index("function Test-Kit"):ps1.index("\nTest-Kit $PSScriptRoot\n")]
    # the same file as the builder writes, the same format, the same files ignored, hidden ones seen
    assert f'Join-Path $Kit "{M.MANIFEST}"' in body
    assert "'^([0-9a-f]{64})  (\\S.*)$'" in body and M._LINE.pattern.startswith("^([0-9a-f]{64})  ")
    ignored = re.search(r"\$KitIgnored = @\(([^)]*)\)", ps1).group(1)
    assert tuple(x.strip().strip('"') for x in ignored.split(",")) == M.IGNORED
    assert "-Recurse -File -Force" in body and "Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256" in body
    # missing, changed, added: each stops the installer with its own sentence
    assert [m for m in ("没有清单文件", "格式不对", "多出清单以外的文件", "与清单不符", "缺少文件") if m not in body] == []
    assert body.count("Stop-Install ") == 5


def test_make_windows_kit_writes_and_checks_the_manifest_after_the_last_file():
    recipe = (ROOT / "Makefile").read_text().split("windows-kit:", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip() for line in recipe.splitlines() if line.startswith("\t")]
    assert steps[-2:] == ["$(PY) -m addin.excel.kit_manifest write $(KIT)", "$(PY) -m addin.excel.kit_manifest check $(KIT)"]
