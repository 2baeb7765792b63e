"""`preval score` on the reference workbook against a bare openpyxl load+save of the same
file, measured in one run (target: ratio <= 1.3). Run: python bench/score_vs_openpyxl.py

Both sides run in this process, so interpreter start-up and imports are left out of both;
the score side is everything `preval score` does after its imports: open, read by names,
check, evaluate, fill, save.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from addin.books.openpyxl_book import OpenpyxlBook
from addin.case import write_case
from addin.scoring import score_file
from addin.workbook.build import build_workbook
from udfs import reference_case

ROUNDS = 15
TARGET = 1.3


def _time(func) -> list[float]:
    func()  # warm caches (profile loading, imports inside functions)
    out = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "reference.xlsx"
        wb = build_workbook()
        write_case(OpenpyxlBook(wb), reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS)
        wb.save(src)

        def bare():
            load_workbook(src).save(Path(tmp) / "bare.xlsx")

        def score():
            result, _ = score_file(src, Path(tmp) / "scored.xlsx")
            assert result.evaluation is not None

        # interleave so that drift of the machine hits both sides alike
        bare_t, score_t = [], []
        for _ in range(3):
            bare_t += _time(bare)
            score_t += _time(score)
        b, s = statistics.median(bare_t), statistics.median(score_t)
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}; file {src.stat().st_size // 1024} KB; "
              f"{len(bare_t)} runs each, median")
        print(f"{'step':<34}{'ms':>8}")
        print(f"{'openpyxl load+save':<34}{b * 1000:>8.1f}")
        print(f"{'preval score (open…save)':<34}{s * 1000:>8.1f}")
        verdict = "met" if s / b <= TARGET else "NOT met"
        print(f"{'ratio':<34}{s / b:>8.2f}   target <= {TARGET}: {verdict}")


if __name__ == "__main__":
    main()
