<#
preval installer for Windows: one step for a finance clerk (double-click install.bat).

  0. checks every file of the kit against its manifest.sha256 (nothing lost, changed or added);
  1. copies the kit's own Python 3.11 (the embeddable distribution, preval and xlwings already
     in it; its signatures were checked when the kit was built) to %LOCALAPPDATA%\preval\python:
     no installed Python needed. With -Python an installed interpreter is used instead: a
     private environment at %LOCALAPPDATA%\preval\env, the pinned preval and xlwings installed
     from the kit's .\wheels folder only (pip --no-index): never from a package index, where a
     package of the same name may be someone else's (the index's "preval" is unrelated);
  2. runs "preval install-addin" with that Python: it builds preval.xlam with its pythonw.exe
     as the interpreter and puts it into the user's XLSTART folder.

The clerk never types a path, never clicks "Import Functions" and needs no VBA trust
setting; evaluation workbooks stay .xlsx. Update = run it again (add-in and package are
always replaced together). -Uninstall removes both. -DryRun only prints the steps.
Every step that changes something goes through Invoke-Step, which honours -DryRun.
This file is UTF-8 with BOM: Windows PowerShell 5.1 reads a BOM-less file as ANSI.
#>
param(
    [switch]$DryRun,
    [switch]$Uninstall,
    [string]$Python = "",
    [string]$Wheelhouse = ""
)
$ErrorActionPreference = "Stop"

$PrevalVersion = "0.1.0"
$XlwingsVersion = "0.37.8"
$PythonVersion = "3.11"
$AddinName = "preval.xlam"
$Root = Join-Path $env:LOCALAPPDATA "preval"
$EnvDir = Join-Path $Root "env"
$EnvPython = Join-Path $EnvDir "Scripts\python.exe"
$EnvPythonw = Join-Path $EnvDir "Scripts\pythonw.exe"
$EnvPreval = Join-Path $EnvDir "Scripts\preval.exe"
# the kit's own interpreter (the embeddable Python 3.11, signatures checked when the kit was
# built), copied here: used unless -Python names an installed one
$KitPython = Join-Path $PSScriptRoot "python"
$EmbeddedDir = Join-Path $Root "python"
$EmbeddedPython = Join-Path $EmbeddedDir "python.exe"
$EmbeddedPythonw = Join-Path $EmbeddedDir "pythonw.exe"
$XlStart = Join-Path $env:APPDATA "Microsoft\Excel\XLSTART"
$Addin = Join-Path $XlStart $AddinName

function Stop-Install([string]$Message) {
    Write-Host ""
    Write-Host "安装未完成：$Message" -ForegroundColor Red
    exit 1
}

function Invoke-Step([string]$Text, [scriptblock]$Action) {
    if ($DryRun) {
        Write-Host "[演练] $Text"
        return
    }
    Write-Host $Text
    $global:LASTEXITCODE = 0  # a probe's earlier exit code must not fail this step
    & $Action
    if ($LASTEXITCODE -and $LASTEXITCODE -ne 0) {
        Stop-Install "「$Text」失败（代码 $LASTEXITCODE）。请把本窗口截图发给信息管理员。"
    }
}

function Find-Python {
    # Probes may write to stderr; with "Stop", Windows PowerShell 5.1 would turn that into an error.
    $ErrorActionPreference = "Continue"
    if ($Python) {
        if (-not (Test-Path $Python)) { Stop-Install "找不到指定的 Python：$Python" }
        return $Python
    }
    $launcher = Get-Command py.exe -ErrorAction SilentlyContinue
    if ($launcher) {
        # "-3.11-64": the launcher would otherwise take a 32-bit 3.11 if that is all it finds
        $found = & $launcher.Source "-$PythonVersion-64" -c "import sys; print(sys.executable)" 2>$null
        if ($LASTEXITCODE -eq 0 -and $found) { return $found.Trim() }
    }
    $onPath = Get-Command python.exe -ErrorAction SilentlyContinue
    if ($onPath) {
        $v = & $onPath.Source -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>$null
        if ($v -and $v.Trim() -eq $PythonVersion) { return $onPath.Source }
    }
    Stop-Install "未找到 Python $PythonVersion（64 位）。请让信息管理员从 python.org 安装 Python $PythonVersion，或用 -Python 指定 python.exe 的位置。"
}

# Our Python processes: those started from the environment, and the UDF server a venv's
# pythonw.exe launches from the base interpreter's folder (its command line names xlwings.serve
# and preval.xlam). Only ours, never another Python of the user's.
function Get-PrevalPython {
    $ours = @(Get-CimInstance Win32_Process -Filter "Name = 'python.exe' OR Name = 'pythonw.exe'" -ErrorAction SilentlyContinue |
        Where-Object { ($_.ExecutablePath -and $_.ExecutablePath.StartsWith($EnvDir, [System.StringComparison]::OrdinalIgnoreCase)) -or
                       ($_.ExecutablePath -and $_.ExecutablePath.StartsWith($EmbeddedDir, [System.StringComparison]::OrdinalIgnoreCase)) -or
                       ($_.CommandLine -like "*xlwings.serve*" -and $_.CommandLine -like "*$AddinName*") } |
        ForEach-Object { Get-Process -Id $_.ProcessId -ErrorAction SilentlyContinue })
    return $ours
}

# The add-in runs in Microsoft Excel only: xlwings does not load in WPS, and WPS does not read
# Excel's XLSTART. Without Excel, say what works instead of finishing "安装完成" for nothing.
$ExcelInstalled = Test-Path "Registry::HKEY_CLASSES_ROOT\Excel.Application"
$XlsxOpener = (Get-ItemProperty "HKCU:\Software\Microsoft\Windows\CurrentVersion\Explorer\FileExts\.xlsx\UserChoice" -ErrorAction SilentlyContinue).ProgId
if (-not $ExcelInstalled -and -not $Uninstall) {
    Stop-Install "本机没有安装 Microsoft Excel。「绩效评价」加载项只能在 Excel 中使用（WPS 不能加载它）。在 WPS 或 LibreOffice 中打开评价工作簿，得分仍由工作簿自带的公式实时计算；校验、评分和生成报告可在命令行运行 preval（见使用说明），或请信息管理员安装 Excel。"
}
if ($XlsxOpener -and $XlsxOpener -notlike "Excel.*" -and -not $Uninstall) {
    Write-Host "注意：本机双击 .xlsx 文件时用 $XlsxOpener 打开（不是 Excel，例如 WPS），那里没有「绩效评价」选项卡。请在 Excel 中打开评价工作簿（Excel→文件→打开），或把 .xlsx 的默认打开方式改为 Excel。" -ForegroundColor Yellow
}

if (Get-Process EXCEL -ErrorAction SilentlyContinue) {
    if ($DryRun) { Write-Host "[演练] 注意：Excel 正在运行，正式安装前须关闭所有 Excel 窗口。" }
    else { Stop-Install "Excel 正在运行。请保存并关闭所有 Excel 窗口后再运行安装程序。" }
}

if ($Uninstall) {
    Invoke-Step "结束仍在运行的 preval Python 进程（如有）" {
        Get-PrevalPython | Stop-Process -Force
    }
    Invoke-Step "删除加载项 $Addin" { if (Test-Path $Addin) { Remove-Item -Force $Addin } }
    Invoke-Step "删除 Python 环境和日志 $Root" { if (Test-Path $Root) { Remove-Item -Recurse -Force $Root } }
    Write-Host "已卸载 preval。评价工作簿（.xlsx）不受影响。"
    exit 0
}

# The Python found must be one the private environment can be built from and Excel can run:
# - Microsoft Store Python redirects writes under AppData into a private package folder, so
#   the environment and the add-in land where Excel never looks, while every step "succeeds";
# - a 32-bit Python cannot use the 64-bit wheels of the offline kit (pip fails with code 1).
function Test-Python([string]$Exe) {
    $ErrorActionPreference = "Continue"
    $probe = & $Exe -c "import struct, sys; print(struct.calcsize('P') * 8); print(sys.base_prefix); print('%d.%d' % sys.version_info[:2])" 2>$null
    if ($LASTEXITCODE -ne 0 -or -not $probe) { Stop-Install "无法运行 $Exe。请让信息管理员从 python.org 重新安装 64 位 Python $PythonVersion。" }
    $bits, $prefix, $version = $probe
    if ($Exe -like "*\WindowsApps\*" -or $prefix -like "*\WindowsApps\*") {
        Stop-Install "找到的是 Microsoft Store 版 Python（$prefix）。它把 AppData 下的文件放进自己的私有文件夹，Excel 看不到 preval 的环境和加载项。请从 python.org 安装 64 位 Python $PythonVersion（安装时勾选「为所有用户安装」或默认选项均可），或用 -Python 指定其 python.exe。"
    }
    if ($bits.Trim() -ne "64") {
        Stop-Install "找到的是 32 位 Python（$Exe），离线安装包只适用于 64 位。请从 python.org 安装 64 位 Python $PythonVersion（Windows installer (64-bit)），或用 -Python 指定其 python.exe。"
    }
    if ($version.Trim() -ne $PythonVersion) {
        Stop-Install "找到的 Python 版本为 $($version.Trim())，需要 $PythonVersion：$Exe"
    }
}

# The kit as built: every file's sha256 against manifest.sha256 (written by make windows-kit),
# before anything is installed. A file lost, changed or added on the way (a network share, an
# e-mail) stops the installation: the installer runs only what was built. Hidden files count
# (-Force); the folder files Explorer writes itself (Thumbs.db, desktop.ini) are not the kit's.
$KitIgnored = @("Thumbs.db", "desktop.ini")
function Test-Kit([string]$Kit) {
    $manifest = Join-Path $Kit "manifest.sha256"
    if (-not (Test-Path -LiteralPath $manifest)) {
        Stop-Install "安装包中没有清单文件 manifest.sha256，无法确认安装包完整、未被改动。请重新获取完整的安装包文件夹。"
    }
    $listed = @{}
    foreach ($line in [System.IO.File]::ReadAllLines($manifest, [System.Text.Encoding]::UTF8)) {
        if ($line -notmatch '^([0-9a-f]{64})  (\S.*)$') {
            Stop-Install "清单文件 manifest.sha256 的格式不对，安装包可能已损坏或被改动。请重新获取完整的安装包文件夹。"
        }
        $listed[$Matches[2]] = $Matches[1]
    }
    $top = (Resolve-Path -LiteralPath $Kit).Path.TrimEnd("\") + "\"
    foreach ($file in Get-ChildItem -LiteralPath $Kit -Recurse -File -Force) {
        $name = $file.FullName.Substring($top.Length).Replace("\", "/")
        if ($name -eq "manifest.sha256" -or $KitIgnored -contains $file.Name) { continue }
        if (-not $listed.ContainsKey($name)) {
            Stop-Install "安装包中多出清单以外的文件 $name。请重新获取完整的安装包文件夹，不要向其中添加文件。"
        }
        $hash = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
        if ($hash -ne $listed[$name]) {
            Stop-Install "安装包中的文件 $name 与清单不符（已被改动或损坏）。请重新获取完整的安装包文件夹。"
        }
        $listed.Remove($name)
    }
    foreach ($name in @($listed.Keys)) {
        Stop-Install "安装包缺少文件 $name。请重新获取完整的安装包文件夹。"
    }
}

Test-Kit $PSScriptRoot
# No Python to ask IT for: the kit brings its own (preval and xlwings already in it). -Python
# takes an installed interpreter instead and builds a private environment from the wheels.
$Embedded = (-not $Python) -and (Test-Path -LiteralPath (Join-Path $KitPython "pythonw.exe"))
if ($Embedded) {
    $RunPython, $RunPythonw, $Shown = $EmbeddedPython, $EmbeddedPythonw, "安装包自带的 Python $PythonVersion（复制到 $EmbeddedDir）"
    $Wheelhouse = Join-Path $PSScriptRoot "wheels"
} else {
    $BasePython = Find-Python
    Test-Python $BasePython
    if (-not $Wheelhouse) { $Wheelhouse = Join-Path $PSScriptRoot "wheels" }
    # Only the kit's own files: without them pip would ask the package index, where "preval" is
    # another project's name (the day it publishes 0.1.0, its code would run inside Excel).
    if (-not (Test-Path (Join-Path $Wheelhouse "preval-$PrevalVersion-*.whl"))) {
        Stop-Install "找不到离线安装包中的 preval $PrevalVersion 安装文件（$Wheelhouse 中没有 preval-$PrevalVersion-*.whl）。请使用完整的安装包文件夹（含 wheels 子文件夹），不要只复制 install.bat；本程序不会从网上下载安装包。"
    }
    $RunPython, $RunPythonw, $Shown = $EnvPython, $EnvPythonw, "$BasePython（环境 $EnvDir）"
}

Write-Host "preval $PrevalVersion（xlwings $XlwingsVersion）安装程序"
Write-Host "Python：$Shown"
Write-Host "加载项：$Addin"
Write-Host "安装包来源：$Wheelhouse（离线，不联网）"
Write-Host ""

# AppData on a network share (folder redirection): Excel does not trust add-ins in an
# XLSTART on the network until IT allows network locations in the Trust Center.
if ($env:APPDATA -like "\\*") {
    Write-Host "注意：您的 AppData 位于网络位置（$env:APPDATA），Excel 默认不运行其中的加载项。请信息管理员在 Excel 信任中心把 $XlStart 设为受信任位置（勾选「允许网络上的受信任位置」），或通过组策略设置。" -ForegroundColor Yellow
}

# A Python still running from the old environment (a UDF server Excel left behind) keeps its
# files open: the environment could not be deleted, and the update would fail half-way.
Invoke-Step "结束仍在运行的 preval Python 进程（如有）" {
    Get-PrevalPython | Stop-Process -Force
}
# A fresh copy each time: an update never mixes old and new packages; the other route's old
# folder goes too, so only one preval Python is left.
Invoke-Step "删除旧的 Python 环境（如有）" { foreach ($old in @($EnvDir, $EmbeddedDir)) { if (Test-Path $old) { Remove-Item -Recurse -Force $old } } }
if ($Embedded) {
    Invoke-Step "复制安装包自带的 Python $PythonVersion 到 $EmbeddedDir" {
        New-Item -ItemType Directory -Force -Path $Root | Out-Null  # the first install: no preval folder yet
        Copy-Item -LiteralPath $KitPython -Destination $EmbeddedDir -Recurse
    }
} else {
    Invoke-Step "建立 Python 环境 $EnvDir" { & $BasePython -m venv $EnvDir }
    Invoke-Step "安装 preval $PrevalVersion 和 xlwings $XlwingsVersion" {
        & $EnvPython -m pip install --disable-pip-version-check --quiet --no-index --find-links $Wheelhouse "preval==$PrevalVersion" "xlwings==$XlwingsVersion"
    }
}
Invoke-Step "检查 Excel 函数和功能区代码能否载入" { & $RunPython -c "import udfs.functions, addin.ribbon, win32api" }
if ($Embedded) {
    Invoke-Step "生成加载项并放入 Excel 启动文件夹" { & $RunPython -m addin.cli install-addin --interpreter $RunPythonw }
} else {
    Invoke-Step "生成加载项并放入 Excel 启动文件夹" { & $EnvPreval install-addin --interpreter $EnvPythonw }
}

Write-Host ""
if ($DryRun) { Write-Host "演练结束，未做任何修改。" }
else { Write-Host "安装完成。打开 Excel，功能区出现「绩效评价」选项卡即可使用。" -ForegroundColor Green }
