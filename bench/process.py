"""What a clerk pays per command: whole processes started from the shell, each paired with its
floor, median of ROUNDS alternating runs (issue 19). Run: python bench/process.py [rounds]

Floors: a bare `python -c "openpyxl.load_workbook(x).save(y)"` for the commands that read and
write a workbook, a bare python-calamine read for validate and the batch (per file), the
interpreter itself for --help. Prints one table (markdown, for docs/performance.md).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PY = sys.executable
PREVAL = [PY, "-m", "addin.cli"]


# As installed for a clerk: pip compiles a wheel's modules to bytecode at install time. This
# machine sets PYTHONDONTWRITEBYTECODE=1, so an editable checkout would recompile ~45 of our
# modules in every process (~0.1 s) while the floors' libraries load compiled.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _compile_ours() -> None:
    import compileall

    for package in ("addin", "udfs"):
        compileall.compile_dir(ROOT / package, quiet=1)


def _run(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=ENV)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode('utf-8', 'replace')[-400:]}")
    return elapsed


def _paired(command: list[str], floor: list[str], cwd: Path, rounds: int, before=None) -> tuple[float, float]:
    """Medians of alternating runs: the machine's load drifts alike for both."""
    ours, base = [], []
    for _ in range(rounds):
        if before:
            before()
        ours.append(_run(command, cwd))
        base.append(_run(floor, cwd))
    return statistics.median(ours), statistics.median(base)


def main(rounds: int = 7) -> None:
    from tests.support.workbooks import reference_workbook

    _compile_ours()
    tmp = Path(tempfile.mkdtemp(prefix="preval-bench-"))
    book = reference_workbook(tmp / "参考.xlsx")
    save = [PY, "-c", f"import openpyxl; openpyxl.load_workbook(r'{book}').save(r'{tmp / 'floor.xlsx'}')"]
    read = [PY, "-c", f"from python_calamine import CalamineWorkbook as W; w = W.from_path(r'{book}'); "
                      "[w.get_sheet_by_name(n).to_python() for n in w.sheet_names]"]
    bare = [PY, "-c", "pass"]
    # a reader that sees formulas, as validate must (V103, V401): calamine reads values only
    load = [PY, "-c", f"import openpyxl; openpyxl.load_workbook(r'{book}')"]
    # what a clerk's file is: saved by Excel (shared formulas, cached values, [1]! calls)
    from addin.workbook import versions

    excel = tmp / "excel.xlsx"
    shutil.copy(ROOT / "tests" / "fixtures" / f"reference-excel-xlstart-v{versions.CURRENT}.xlsx", excel)
    save_excel = [PY, "-c", f"import openpyxl; openpyxl.load_workbook(r'{excel}').save(r'{tmp / 'floor.xlsx'}')"]
    read_excel = [PY, "-c", f"from python_calamine import CalamineWorkbook as W; w = W.from_path(r'{excel}'); "
                            "[w.get_sheet_by_name(n).to_python() for n in w.sheet_names]"]
    folder = tmp / "各单位"
    folder.mkdir()
    for n in range(100):
        shutil.copy(book, folder / f"{n:03d}.xlsx")
    read_all = [PY, "-c", "from python_calamine import CalamineWorkbook as W; import glob; "
                          f"[[W.from_path(p).get_sheet_by_name(n).to_python() for n in W.from_path(p).sheet_names] "
                          f"for p in glob.glob(r'{folder}/*.xlsx')]"]

    def fresh_new() -> None:
        (tmp / "新.xlsx").unlink(missing_ok=True)

    rows = [
        ("preval --help", PREVAL + ["--help"], bare, "python -c pass", None),
        ("preval validate", PREVAL + ["validate", str(book)], read, "calamine read", None),
        ("preval score", PREVAL + ["score", str(book), "-o", str(tmp / "评分.xlsx")], save, "openpyxl load+save", None),
        ("preval validate", PREVAL + ["validate", str(book)], load, "openpyxl load (sees formulas)", None),
        ("preval validate (Excel-saved)", PREVAL + ["validate", str(excel)], read_excel, "calamine read", None),
        ("preval score (Excel-saved)", PREVAL + ["score", str(excel), "-o", str(tmp / "评分2.xlsx")], save_excel,
         "openpyxl load+save", None),
        ("preval new", PREVAL + ["new", str(tmp / "新.xlsx")], save, "openpyxl load+save", fresh_new),
        ("preval finalize", PREVAL + ["finalize", str(book), "-o", str(tmp / "定稿.xlsx")], save, "openpyxl load+save", None),
        ("preval report", PREVAL + ["report", str(book), "-o", str(tmp / "报告.docx")], save, "openpyxl load+save", None),
        ("preval batch (100 files)", PREVAL + ["batch", str(folder), "-o", str(tmp / "汇总.xlsx")], read_all,
         "calamine read of the 100", None),
    ]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"median of {rounds} alternating runs, seconds of wall time per process")
    print()
    print("| 命令 | preval | 基准 | 基准进程 | 倍数 |")
    print("|---|---:|---:|---|---:|")
    for label, command, floor, floor_label, before in rows:
        ours, base = _paired(command, floor, tmp, rounds if "batch" not in label else max(3, rounds // 2), before)
        print(f"| {label} | {ours:.2f} | {base:.2f} | {floor_label} | {ours / base:.2f} |")
    _batch_per_file(tmp, book, folder, rounds)
    shutil.rmtree(tmp, ignore_errors=True)


# validate's own work on one file, warm, in one process (no start-up): what batch's cost per
# file is held to (issue 31: "per file no dearer than validate's own work on that file")
WARM_VALIDATE = r"""
import contextlib, io, statistics, sys, time
from addin.cli import main
times = []
for _ in range(25):
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        main(["validate", sys.argv[1]])
    times.append(time.perf_counter() - start)
print(statistics.median(times[5:]))
"""


def _batch_per_file(tmp: Path, book: Path, folder: Path, rounds: int) -> None:
    one = tmp / "一个"
    one.mkdir()
    shutil.copy(book, one / "000.xlsx")
    import resource

    def cpu_of(argv: list[str]) -> float:
        """CPU seconds (user + system) of a process and the workers it waited for."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        _run(argv, tmp)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    runs = max(3, rounds // 2)
    c100 = statistics.median(cpu_of(PREVAL + ["batch", str(folder), "-o", str(tmp / "汇总100.xlsx")]) for _ in range(runs))
    c1 = statistics.median(cpu_of(PREVAL + ["batch", str(one), "-o", str(tmp / "汇总1.xlsx")]) for _ in range(runs))
    per_file = (c100 - c1) / 99
    warm = float(subprocess.run([PY, "-c", WARM_VALIDATE, str(book)], cwd=tmp, capture_output=True, text=True,
                                check=True, env=ENV).stdout.split()[-1])
    print()
    print("| batch, CPU per file | validate's own work (warm, wall, 1 process) | ratio |")
    print("|---:|---:|---:|")
    print(f"| {per_file * 1000:.1f} ms | {warm * 1000:.1f} ms | {per_file / warm:.2f} |")
    print("(batch per file = (CPU of a batch of 100 − CPU of a batch of 1) / 99, workers included)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
