"""A clerk types into the workbook in LibreOffice, no preval running: the 实时校验 cell shows
the finding when a value is typed wrong and clears when it is corrected.

Run on purpose with the system Python that has LibreOffice's UNO bridge (Debian:
python3-uno): ``/usr/bin/python3 bench/live_checks_uno.py WORKBOOK.xlsx``, where the
workbook is a filled 0.9 standard workbook (``preval demo`` writes one). LibreOffice is
started headless on a pipe, the workbook opened, and for each step a value is typed into an
input cell the way the UI does (a number, or text as pasted), the document recalculated and
the input's 实时校验 cell (a 扣分记录 row's, in column F) and the count on 校验结果 read back. Prints the time of
a full recalculation, then one line per step; exits 1 when a step does not show what it should.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # LibreOffice's own Python bridge: this script runs outside the project's venv

# (sheet, cell, what is typed, text or number, the id the 实时校验 cell must show; "" = none)
STEPS = [
    ("财务数据", "B5", "13.73", "text", "V111"),
    ("财务数据", "B5", 13.73, "number", ""),
    ("财务数据", "B3", -24, "number", "V104"),
    ("财务数据", "B3", 24, "number", ""),
    ("基础信息", "B16", 95.62, "number", "V107"),
    ("基础信息", "B16", 0.9562, "number", ""),
    ("财务数据", "B25", 2000, "number", "V201"),  # 全年预算 no longer 年初 + 追加 − 追减 + 结转 + 其他
    ("财务数据", "B25", 2160.62, "number", ""),
    ("基础信息", "B10", 0, "number", "V206"),  # 计划工作数 0: 实际完成率 x/0, which the rubric does not answer
    ("基础信息", "B10", 10, "number", ""),
    ("财务数据", "B6", 0.5, "number", "V211"),  # 出国经费 0.5: 0.5 + 12.62 + 1.11 is not 三公实际 13.73
    ("财务数据", "B6", 0, "number", ""),
    # a new 扣分记录 row (the demo fills rows 2–12), typed cell by cell; its 实时校验 is column F
    ("扣分记录", "A13", "信息公开性", "text", "V303"),  # no amount yet
    ("扣分记录", "B13", "2", "text", "V303"),
    ("扣分记录", "C13", 0.5, "number", "V308"),  # 2 is ②, but not the dropdown's spelling
    ("扣分记录", "B13", "②", "text", "V305"),  # no reason yet
    ("扣分记录", "D13", "理由", "text", ""),
    ("扣分记录", "C13", 2.5, "number", "V304"),  # ② is 1 point
    ("扣分记录", "C13", 0.75, "number", ""),
]


def connect(tmp: str):
    pipe = f"preval{os.getpid()}"
    proc = subprocess.Popen(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                             f"--accept=pipe,name={pipe};urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return proc, ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:  # noqa: BLE001 - not listening yet
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("LibreOffice did not start")


def main(path: str) -> int:
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        proc, desktop = connect(tmp)
        try:
            hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
            hidden.Name, hidden.Value = "Hidden", True
            doc = desktop.loadComponentFromURL(Path(path).resolve().as_uri(), "_blank", 0, (hidden,))
            if doc is None:  # most often a lock file (.~lock.NAME#) left beside it by a killed LibreOffice
                raise SystemExit(f"LibreOffice could not open {path}")
            start = time.perf_counter()
            doc.calculateAll()  # the whole workbook, as after opening it: the limit is 1 s
            print(f"full recalculation: {time.perf_counter() - start:.2f} s")
            sheets = doc.Sheets
            for sheet, cell, typed, kind, expected in STEPS:
                ws = sheets.getByName(sheet)
                ws.unprotect("")  # a script types as the UI does; the input cells are unlocked anyway
                target = ws.getCellRangeByName(cell)
                if kind == "text":
                    target.setString(str(typed))
                else:
                    target.setValue(float(typed))
                doc.calculateAll()
                live = ws.getCellRangeByName(("F" if sheet == "扣分记录" else "E") + cell[1:]).getString()
                count = sheets.getByName("校验结果").getCellRangeByName("A2").getString()
                ok = live[:4] == expected if expected else live == ""
                failed += not ok
                print(f"{'ok  ' if ok else 'FAIL'} {sheet}!{cell} <- {typed!r} ({kind}): "
                      f"实时校验 {live[:40]!r}; {count[:22]}")
            doc.close(True)
        finally:
            proc.terminate()
            proc.wait(30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
