"""``preval install-addin``: build the add-in for this Python environment and put it in the
user's XLSTART folder, so Excel loads it at start with the 绩效评价 tab.

The interpreter written into the add-in is ``pythonw.exe`` of the environment running this
command, so the clerk never types a path (install.ps1 runs it from the private env it made).
Nothing here needs Excel; the add-in is built on the clerk's machine, so it carries no
"downloaded from the internet" mark that would make Office block its macros.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from addin.errors import UsageError
from addin.excel.build_addin import ADDIN_NAME, Settings, build


def default_xlstart() -> Path:
    appdata = os.environ.get("APPDATA")
    if not appdata:
        raise UsageError("找不到 Excel 的启动文件夹（XLSTART）：未设置 APPDATA 环境变量",
                         hint="在 Windows 上运行，或用 --xlstart 指定文件夹")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def this_interpreter() -> str:
    """pythonw.exe beside the running python.exe (no console window for the UDF server)."""
    exe = Path(sys.executable)
    pythonw = exe.with_name("pythonw.exe")
    return str(pythonw if exe.name.lower() == "python.exe" else exe)


@dataclass(frozen=True)
class Plan:
    target: Path
    interpreter: str

    def lines(self) -> list[str]:
        return [
            f"生成加载项 {ADDIN_NAME}（xlwings VBA 与本环境的 xlwings 同版本）",
            f"Python 解释器设置：{self.interpreter}",
            f"复制到 Excel 启动文件夹：{self.target}" + ("（替换已有的旧版本）" if self.target.exists() else ""),
            "之后打开 Excel，功能区出现“绩效评价”选项卡",
        ]


def plan(xlstart: Path | None = None, interpreter: str | None = None) -> Plan:
    folder = xlstart if xlstart is not None else default_xlstart()
    return Plan(folder / ADDIN_NAME, interpreter or this_interpreter())


def install(p: Plan) -> Path:
    # No .bak beside it: Excel tries to open every file in XLSTART.
    return build(p.target, Settings(interpreter=p.interpreter), backup=False)
