"""Peak memory of the doors on the worst files of the hostile corpus (issue 15): `preval
validate` on the part that lies about its size (5 KB declared, 200 MB inside) and `preval
batch` on a folder holding the workbook with a cell at XFD1048576 (and CV1048576), each in
its own process. Target: below 300 MB.

python bench/hostile_memory.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile"
TARGET_MB = 300

MEASURE = r"""
import resource, sys, time
from addin.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
wall = time.perf_counter() - start
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(code, wall, me, child)
"""


def measure(*args: str) -> tuple[int, float, float, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, cwd=ROOT)
    code, wall, me, child = done.stdout.split()[-4:]
    return int(code), float(wall), float(me), float(child)


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        code, wall, me, child = measure("validate", str(HOSTILE / "lying-size.xlsx"))
        rows.append(("validate lying-size.xlsx", code, wall, me, child))
        folder = Path(tmp) / "batch"
        folder.mkdir()
        for name in ("far-cell-xfd.xlsx", "far-cell-cv.xlsx", "=1+4.xlsx"):
            shutil.copy(HOSTILE / name, folder / name)
        code, wall, me, child = measure("batch", str(folder), "-o", str(Path(tmp) / "汇总.xlsx"), "--workers", "2")
        rows.append(("batch far-cell-xfd/cv + 1 good", code, wall, me, child))
    print(f"{time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}")
    print("| run | exit | wall (s) | process peak (MB) | largest worker peak (MB) |")
    print("|---|---|---|---|---|")
    worst = 0.0
    for name, code, wall, me, child in rows:
        print(f"| {name} | {code} | {wall:.1f} | {me:.0f} | {child:.0f} |")
        worst = max(worst, me, child)
    print(f"target: below {TARGET_MB} MB; worst {worst:.0f} MB")
    return 0 if worst < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
