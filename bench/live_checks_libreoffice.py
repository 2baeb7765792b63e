"""The workbook's 实时校验 cells as LibreOffice computes them, against the Python check.

Run on purpose: ``.venv/bin/python bench/live_checks_libreoffice.py`` (needs ``soffice``).
The corpus of tests/test_live_checks.py is typed into fresh workbooks (one bad value per
input and workbook, so a workbook carries many cases), LibreOffice headless recalculates and
saves each, and every input's cell is compared with ``live_checks.live_values``; a last round
types every 扣分记录 case of tests/test_live_findings.py one after another into one workbook and
compares each row's 实时校验. Prints a table: round, cases, cells compared, cells that differ,
seconds; then each difference.

Known (2026-12-02): TRUE typed into a number input. LibreOffice has no logical cell type (TRUE
is the number 1 shown as TRUE), so its formulas and its scores read 1; Excel, WPS and preval
read a logical, which is no number (V102). The same on 扣分记录: TRUE as an amount is 1 to
LibreOffice (no V303), and counts toward its sub-item's sum (a V307 on a later row).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from addin.workbook import layout as L  # noqa: E402
from addin.workbook.live_checks import live_values  # noqa: E402
from tests.support.live_corpus import CORPUS, FINDINGS_CASES  # noqa: E402
from tests.support.workbooks import reference_workbook  # noqa: E402
from udfs import reference_case  # noqa: E402
from udfs.profile import load_profile  # noqa: E402

PROFILE = load_profile()
LIVE = {name: (sheet, f"{L.LIVE_COLUMN}{cell[1:]}") for name, (sheet, cell) in L.input_cells().items()
        if sheet in L.LIVE_SHEETS and name != "单位编码"}  # 单位编码: an optional text, no check


def rounds() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for name, raw, _expected in CORPUS:
        for changes in out:
            if name not in changes:
                changes[name] = raw
                break
        else:
            out.append({name: raw})
    return out


def recalculated(src: Path, tmp: Path) -> Path:
    # LibreOffice recalculates a file that asks for it on load (fullCalcOnLoad) before saving
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp / "out"), str(src)],
                   check=True, capture_output=True, timeout=300)
    return tmp / "out" / src.name


def main() -> int:
    if shutil.which("soffice") is None:
        print("soffice not found")
        return 1
    print(f"{'round':>5} {'cases':>5} {'cells':>5} {'differ':>6} {'s':>6}")
    differences = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for n, changes in enumerate(rounds(), start=1):
            start = time.perf_counter()
            raw = dict(reference_case.RAW_INPUTS, **changes)
            src = reference_workbook(tmp / f"round{n}.xlsx", **changes)
            wb = openpyxl.load_workbook(recalculated(src, tmp), data_only=True)
            differ = 0
            python = live_values(PROFILE, raw)
            for name, (sheet, cell) in LIVE.items():
                shown = wb[sheet][cell].value or ""
                expected = python[(sheet, cell)]
                if shown != expected:
                    differ += 1
                    differences.append((n, name, raw.get(name), shown, expected))
            print(f"{n:>5} {len(changes):>5} {len(LIVE):>5} {differ:>6} {time.perf_counter() - start:>6.1f}")
            count = wb[L.CHECKS][L.LIVE_COUNT_CELL].value
            print(f"      {count[:40]}")
        start = time.perf_counter()
        rows = [row for case, _ids in FINDINGS_CASES for row in case]
        src = reference_workbook(tmp / "findings.xlsx", findings=rows)
        wb = openpyxl.load_workbook(recalculated(src, tmp), data_only=True)
        python = live_values(PROFILE, reference_case.RAW_INPUTS, findings=[(L.FINDINGS_FIRST + n, r) for n, r in enumerate(rows)])
        differ = 0
        for n, row in enumerate(rows):
            cell = f"{L.FINDINGS_LIVE_COLUMN}{L.FINDINGS_FIRST + n}"
            shown, expected = wb[L.FINDINGS][cell].value or "", python[(L.FINDINGS, cell)]
            if shown != expected:
                differ += 1
                differences.append(("扣分记录", cell, row, shown, expected))
        print(f"{'扣分记录':>5} {len(rows):>5} {len(rows):>5} {differ:>6} {time.perf_counter() - start:>6.1f}")
        print(f"      {wb[L.CHECKS][L.LIVE_COUNT_CELL].value[:40]}")
    for n, name, raw, shown, expected in differences:
        print(f"round {n} {name}={raw!r}: LibreOffice {shown!r}, preval {expected!r}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
