"""Cost of one PREVAL_* call in Python (target < 50 µs), printed as a table.

Measures the decorated, guarded functions exactly as xlwings calls them (COM round trips
in real Excel come on top and are not measurable here). Run: python bench/udf_calls.py
"""

from __future__ import annotations

import os
import platform
import timeit

from udfs import functions as F

CASES = [
    ("PREVAL_STAFFRATE(29, 34)", lambda: F.PREVAL_STAFFRATE(29.0, 34.0)),
    ("PREVAL_ADJUSTRATE(289.90, 952.15)", lambda: F.PREVAL_ADJUSTRATE(289.90, 952.15)),
    ("PREVAL_STAFFRATE(29, 0) → #DIV/0!", lambda: F.PREVAL_STAFFRATE(29.0, 0.0)),
    ("PREVAL_SCORE(\"预算调整率\", 0.3045)", lambda: F.PREVAL_SCORE("预算调整率", 0.3045)),
    ("PREVAL_SCORE(7, {0.7687, \"是\"})", lambda: F.PREVAL_SCORE(7, [0.7687, "是"])),
    ("PREVAL_SCORE(\"完成及时性\", 1, , 0.5)", lambda: F.PREVAL_SCORE("完成及时性", 1.0, None, 0.5)),
    ("PREVAL_DEDUCT(\"资金使用合规性\", 7 cells)", lambda: F.PREVAL_DEDUCT("资金使用合规性", [0, 1, 0, 0, 0, 0.5, 1])),
    ("PREVAL_TOTAL(28 cells)", lambda: F.PREVAL_TOTAL([[2.5]] * 28)),
    ("PREVAL_GRADE(80.39)", lambda: F.PREVAL_GRADE(80.39)),
]
TARGET_US = 50.0


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"PREVAL_* call cost — Python {platform.python_version()}, {platform.machine()}, "
                        f"{os.cpu_count()} cores (best of 5 × 20,000 calls)")
    table.add_column("call")
    table.add_column("µs/call", justify="right")
    table.add_column(f"target < {TARGET_US:.0f} µs")
    worst = 0.0
    for label, call in CASES:
        call()  # warm the profile cache
        runs = 20000
        best = min(timeit.repeat(call, number=runs, repeat=5)) / runs * 1e6
        worst = max(worst, best)
        table.add_row(label, f"{best:.1f}", "ok" if best < TARGET_US else "SLOW")
    table.add_row("slowest", f"{worst:.1f}", "target met" if worst < TARGET_US else "target missed")
    Console().print(table)


if __name__ == "__main__":
    main()
