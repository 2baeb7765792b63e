"""`preval batch` over 1,000 generated workbooks with 1 and 2 workers: wall time and peak
memory (targets: < 30 s and < 500 MB on 2 cores). Run: python bench/batch_1000.py [FOLDER]

The workbooks are generated once into FOLDER (default: a folder under the system temp
directory, reused by later runs): the reference case with every figure varied within
realistic ranges (budgets 0.2–5× the reference, execution 55–100 %, satisfaction 80–99 %,
a random subset of its 扣分记录 rows), consistent where the checks require it (全年 =
年初 + 追加 − 追减, 结转结余 = 全年 − 执行). One in a hundred files is damaged and one in a
hundred has an input 错误, as a real folder would.

Each run is a fresh `python -m addin.cli batch` process, so its time includes interpreter
start-up and imports, as a user sees it. Peak memory is the parent's maximum RSS plus each
worker's (the largest child's maximum RSS times the number of workers: an upper bound).
"""

from __future__ import annotations

import io
import os
import platform
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

N = 1000
TARGET_SECONDS, TARGET_MB = 30, 500

MEASURE = r"""
import resource, sys, time
from pathlib import Path
from addin.cli import main
start = time.perf_counter()
code = main(["batch", sys.argv[1], "-o", sys.argv[2], "--workers", sys.argv[3]])
wall = time.perf_counter() - start
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(code, wall, me, child)
"""


def _variant(n: int) -> tuple[dict, list]:
    from udfs import reference_case

    rnd = random.Random(n)
    base = dict(reference_case.RAW_INPUTS)
    k = rnd.uniform(0.2, 5)
    money = lambda v: round(v * k, 2)  # noqa: E731
    start, add, cut = money(base["年初预算"]), money(base["追加预算"] * rnd.uniform(0, 1.2)), 0.0
    total = round(start + add - cut, 2)
    spent = round(total * rnd.uniform(0.55, 1.0), 2)
    sangong = money(base["三公预算上年"])
    inputs = dict(base, 单位名称=f"测试单位{n:04d}", 年初预算=start, 追加预算=add, 追减预算=cut, 全年预算=total,
                  预算执行数=spent, 结转结余=round(total - spent, 2), 调整剔除数=round(add * rnd.uniform(0, 0.9), 2),
                  三公预算上年=sangong, 三公预算本年=round(sangong * rnd.uniform(0.8, 1.1), 2),
                  三公实际=round(sangong * rnd.uniform(0.4, 1.0), 2),
                  重点支出预算=money(base["重点支出预算"]), 重点支出实际=money(base["重点支出实际"] * rnd.uniform(0.7, 1.2)),
                  公用经费预算=money(base["公用经费预算"]), 公用经费实际=money(base["公用经费预算"] * rnd.uniform(0.7, 1.3)),
                  采购预算=money(base["采购预算"]), 采购实际=money(base["采购预算"] * rnd.uniform(0.5, 1.5)),
                  编制数=rnd.randint(10, 80), 满意率=round(rnd.uniform(0.8, 0.99), 4),
                  问卷份数=rnd.randint(30, 300))
    inputs["在职人数"] = rnd.randint(int(inputs["编制数"] * 0.7), inputs["编制数"])
    if n % 100 == 50:
        inputs["全年预算"] = f"{total}万元"  # an 错误: text in a money cell
    findings = [f for f in reference_case.RAW_FINDINGS if rnd.random() < 0.6]
    return inputs, findings


def _generate_chunk(args: tuple[str, list[int]]) -> None:
    from openpyxl import load_workbook

    from addin.books.openpyxl_book import OpenpyxlBook
    from addin.case import write_case
    from addin.workbook.build import build_workbook

    folder, numbers = args
    blank = io.BytesIO()
    build_workbook().save(blank)
    for n in numbers:
        path = Path(folder) / f"{n:04d}.xlsx"
        if n % 100 == 99:
            path.write_bytes(b"PK\x03\x04 damaged in transit")
            continue
        book = OpenpyxlBook(load_workbook(io.BytesIO(blank.getvalue())))
        write_case(book, *_variant(n))
        book.wb.save(path)


def generate(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    missing = [n for n in range(N) if not (folder / f"{n:04d}.xlsx").exists()]
    if not missing:
        return
    print(f"generating {len(missing)} workbooks into {folder} (once) …", flush=True)
    chunks = [(str(folder), missing[i::2]) for i in range(2)]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_generate_chunk, chunks))


def measure(folder: Path, workers: int) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "汇总.xlsx"
        done = subprocess.run([sys.executable, "-c", MEASURE, str(folder), str(out), str(workers)],
                              capture_output=True, text=True, check=True)
        code, wall, me, child = done.stdout.split()[-4:]
        assert code == "0", done.stderr
    return float(wall), float(me), float(child)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.gettempdir()) / "preval-bench-1000"
    generate(folder)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print("| workers | wall time (s) | parent peak (MB) | worker peak (MB) | total peak ≤ (MB) |")
    print("|---|---|---|---|---|")
    for workers in (1, 2):
        wall, me, child = measure(folder, workers)
        total = me + (child * workers if workers > 1 else 0)
        print(f"| {workers} | {wall:.1f} | {me:.0f} | {child if workers > 1 else 0:.0f} | {total:.0f} |")
    print(f"targets: < {TARGET_SECONDS} s and < {TARGET_MB} MB with 2 workers")


if __name__ == "__main__":
    main()
