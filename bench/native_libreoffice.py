"""The workbook's own formulas (issue 16) in a real spreadsheet application: LibreOffice
headless opens N generated workbooks (no PREVAL_* functions there: every call is #NAME?
and each cell falls back to the compiled rubric), computes them, saves them; every score,
section, total and grade it computed is compared with the engine.

The workbooks are written by openpyxl without cached values, so LibreOffice computes every
formula when it loads them; it converts all of them in one process.

python bench/native_libreoffice.py [N]      (default 300; needs soffice on the PATH)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import openpyxl  # noqa: E402 - after the path set-up above

from addin.books.openpyxl_book import OpenpyxlBook  # noqa: E402
from addin.case import write_case  # noqa: E402
from addin.workbook import layout as L  # noqa: E402
from addin.workbook.build import build_workbook  # noqa: E402
from tests.support import annex1  # noqa: E402
from tests.support.native_cases import cases  # noqa: E402
from udfs.profile import load_profile  # noqa: E402

PROFILES = ("shaoyang-2022", "hunan-nianchu")


def _same(shown, wanted) -> bool:
    if wanted is None:
        return shown in (None, "")
    if isinstance(wanted, str):
        return shown == wanted
    return isinstance(shown, (int, float)) and Decimal(str(shown)) == wanted


def main() -> int:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found: install LibreOffice (../shared/tools/render installs it)")
        return 2
    per_profile = total // len(PROFILES)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        made = {}
        start = time.perf_counter()
        for name in PROFILES:
            profile = load_profile(name)
            edges = len(cases(profile, 0))
            for n, case in enumerate(cases(profile, randoms=max(per_profile - edges, 0))[:per_profile]):
                wb = build_workbook(name)
                write_case(OpenpyxlBook(wb), case.inputs, case.findings)
                path = src / f"{name}-{n:03}.xlsx"
                wb.save(path)
                made[path.name] = (profile, case)
        written = time.perf_counter() - start
        start = time.perf_counter()
        todo = sorted(str(p) for p in src.iterdir())
        for _attempt in range(3):  # one process per 50 files; a file it skipped is tried again
            for first in range(0, len(todo), 50):
                subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                                "xlsx", "--outdir", str(out), *todo[first:first + 50]],
                               check=True, capture_output=True, timeout=3600)
            todo = [p for p in todo if not (out / Path(p).name).exists()]
            if not todo:
                break
        computed = time.perf_counter() - start
        for path in todo:
            print("NOT CONVERTED by LibreOffice:", Path(path).name)
            made.pop(Path(path).name)
        tally: Counter = Counter()
        wrong = []
        for file, (profile, case) in sorted(made.items()):
            layout = L.Layout(profile)
            wb = openpyxl.load_workbook(out / file, data_only=True)
            want = annex1.score(case.inputs, case.findings, annex1.READINGS[profile.name])  # the rubric, not the engine
            places = [(f"{ind.name}（评分表）", wb[L.SCORES][f"{layout.score_letter}{L.row_of(ind.no)}"].value, want[ind.no])
                      for ind in profile.indicators]
            places += [(f"{ind.name}（公式计算）", wb[L.CALC].cell(L.row_of(ind.no), layout.native_score).value,
                        want[ind.no]) for ind in profile.indicators]
            places += [(key, wb[L.SUMMARY][f"C{layout.summary_row(summary)}"].value, want[key])
                       for key, summary in [*((s, s) for s in layout.sections), ("总分", "合计"), ("等级", "评价等级")]]
            tally["workbooks"] += 1
            tally["unscoreable (the rubric gives no score)"] += want["总分"] is None
            for what, shown, wanted in places:
                tally["cells compared"] += 1
                if not _same(shown, wanted):
                    tally["cells different"] += 1
                    wrong.append((file, case.name, what, shown, wanted))
        version = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version}; workbooks written in {written:.0f} s, computed and saved by LibreOffice in {computed:.0f} s")
    print("| | count |\n|---|---|")
    for key in ("workbooks", "unscoreable (the rubric gives no score)", "cells compared", "cells different"):
        print(f"| {key} | {tally[key]} |")
    for row in wrong[:20]:
        print("DIFFERENT:", *row)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
