"""The live 评分说明 as LibreOffice computes it, against the engine's words, for many departments.

Run on purpose: ``.venv/bin/python bench/live_notes_libreoffice.py [CASES]`` (default 300; needs
``soffice`` and the system Python's UNO bridge, Debian python3-uno). The cases are
tests/test_live_notes.py's: the edge sets of tests/support/native_cases and CASES generated
departments with 扣分记录 rows of every shape. This side works out what the engine says for each
(``tests.support.notes_cases.engine_notes``) and writes them to a JSON file; ``bench/live_notes_uno.py --cases`` then types
each case into one running LibreOffice (every input, every 扣分记录 row), recalculates and
compares every indicator's 评分依据 and 扣分事由及佐证材料, character for character. Prints a
table: cases, indicators compared, differences, seconds; then the first differences.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from addin.workbook import layout as L  # noqa: E402
from addin.workbook import live_notes as LN  # noqa: E402
from tests.support import native_cases  # noqa: E402
from tests.support import notes_cases as T  # noqa: E402
from tests.support.workbooks import reference_workbook  # noqa: E402


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def cases(count: int) -> list[dict]:
    out = []
    sets = [(c.name, c.inputs, [(*row, "") if len(row) < 5 else row for row in c.findings]) for c in native_cases.edge_cases()]
    rng = random.Random(30)
    sets += [(f"generated {n}", *T.generated(rng, n)) for n in range(count)]
    for name, raw, rows in sets:
        want = T.engine_notes(raw, rows)
        expected = {str(L.row_of(no)): [LN.NOT_YET, None] if said is None else list(said) for no, said in want.items()}
        out.append({"name": name, "inputs": {k: _plain(v) for k, v in raw.items()},
                    "rows": [[_plain(v) for v in row] for row in rows], "expected": expected})
    return out


def main(count: int) -> int:
    if shutil.which("soffice") is None or not Path("/usr/bin/python3").exists():
        print("soffice or /usr/bin/python3 (with python3-uno) not found")
        return 1
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        book = reference_workbook(tmp / "notes.xlsx")
        spec = {"cells": L.input_cells(), "findings_first": L.FINDINGS_FIRST, "findings_last": L.FINDINGS_LAST,
                "cases": cases(count)}
        (tmp / "cases.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/python3", str(ROOT / "bench" / "live_notes_uno.py"), str(book),
                               "--cases", str(tmp / "cases.json")], capture_output=True, text=True, timeout=3600)
        print(done.stdout, end="")
        print(done.stderr[-2000:], end="", file=sys.stderr)
        print(f"(LibreOffice round: {time.perf_counter() - start:.1f} s)")
        return done.returncode


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
