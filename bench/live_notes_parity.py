"""The live 评分说明 (addin.workbook.live_notes) against the engine's words, for many generated
departments: tests/test_live_notes.py's comparison, with more cases than the suite runs.

Run on purpose: ``.venv/bin/python bench/live_notes_parity.py [CASES]`` (default 1000). The
formulas are evaluated with the `formulas` package over the built template (no LibreOffice).
Prints a table: cases, indicators compared, indicators the engine cannot score (the cell shows
its "尚不能计算" line), differences, seconds; then each difference.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from addin.workbook import live_notes as LN  # noqa: E402
from tests.support import notes_cases as T  # noqa: E402
from tests.support.workbook_eval import WorkbookFormulas  # noqa: E402
from tests.support.workbooks import reference_workbook  # noqa: E402


def main(cases: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        book = WorkbookFormulas(reference_workbook(Path(tmp) / "notes.xlsx"))
    rng = random.Random(30)
    compared = unscored = 0
    differences = []
    start = time.perf_counter()
    for n in range(cases):
        raw, rows = T.generated(rng, n)
        want, got = T.engine_notes(raw, rows), T.formula_notes(book, raw, rows)
        for no, expected in want.items():
            if expected is None:
                unscored += 1
                if got[no][0] != LN.NOT_YET:
                    differences.append((n, no, got[no], "（引擎不能计分）"))
            elif got[no] != expected:
                differences.append((n, no, got[no], expected))
            else:
                compared += 1
    seconds = time.perf_counter() - start
    print(f"{'cases':>6} {'compared':>9} {'unscored':>9} {'differ':>7} {'seconds':>8}")
    print(f"{cases:>6} {compared:>9} {unscored:>9} {len(differences):>7} {seconds:>8.1f}")
    for n, no, got, want in differences:
        print(f"case {n} indicator {no}:\n  formula {got}\n  engine  {want}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
