"""Change one input of a workbook inside LibreOffice, let LibreOffice recalculate, save —
what a clerk without the add-in does (issue 16). Run with the system Python that has
LibreOffice's UNO bridge (Debian: python3-uno), not the project's venv:

    /usr/bin/python3 bench/libreoffice_edit.py IN.xlsx OUT.xlsx 预算执行数=2052.59

Then ``../shared/tools/render OUT.xlsx`` shows the 评分表 as LibreOffice computed it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]  # LibreOffice's own bridge
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> int:
    src, out, *changes = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        pipe = f"preval{int(time.time())}"
        office = subprocess.Popen(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/p",
                                   f"--accept=pipe,name={pipe};urp;"])
        try:
            resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
            for _ in range(60):
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:  # noqa: BLE001 - LibreOffice is still starting
                    time.sleep(1)
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(Path(src).resolve())), "_blank", 0,
                                               (_prop("Hidden", True),))
            for change in changes:
                name, value = change.split("=", 1)
                cell = doc.NamedRanges.getByName(name).getReferredCells().getCellByPosition(0, 0)
                before = cell.getValue()
                cell.setValue(float(value))
                print(f"{name}: {before} -> {value}")
            doc.calculateAll()
            doc.storeToURL(uno.systemPathToFileUrl(str(Path(out).resolve())),
                           (_prop("FilterName", "Calc Office Open XML"),))
            doc.close(True)
        finally:
            office.terminate()
            office.wait(timeout=60)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
