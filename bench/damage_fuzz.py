"""Random damage, many times over (issue 15): bytes flipped inside the compressed data of the
reference workbook, or the file cut short, each scored by `preval score` in this process.
Prints the tally; the only acceptable count of internal errors is 0.

python bench/damage_fuzz.py [CASES=2000] [SEED=15]
"""

from __future__ import annotations

import contextlib
import io
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from addin.cli import main  # noqa: E402
from tests.support.workbooks import reference_bytes  # noqa: E402

FILLED = reference_bytes()
from tests.support.damage import flip  # noqa: E402


def case(rnd: random.Random) -> tuple[str, bytes]:
    if rnd.random() < 0.1:
        return "cut", FILLED[: rnd.randrange(1, len(FILLED))]
    flips = [(rnd.randrange(200), rnd.random(), rnd.randrange(1, 256)) for _ in range(rnd.randint(1, 4))]
    return "flip", flip(FILLED, flips)


def main_(cases: int, seed: int) -> int:
    rnd = random.Random(seed)
    tally: Counter = Counter()
    internal: list[str] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(cases):
            kind, data = case(rnd)
            path = Path(tmp) / f"case{n}.xlsx"
            path.write_bytes(data)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = main(["score", str(path), "-o", str(Path(tmp) / "out.xlsx")])
            tally[(kind, code)] += 1
            if "程序内部出错" in err.getvalue() or "Traceback" in err.getvalue():
                internal.append(f"case {n} ({kind}): {err.getvalue().strip()[:200]}")
            if path.read_bytes() != data:
                internal.append(f"case {n}: the original changed")
            path.unlink()
    wall = time.perf_counter() - start
    print(f"{cases} cases (seed {seed}) in {wall:.0f} s")
    print("| damage | exit 0 | exit 1 | exit 2 |")
    print("|---|---|---|---|")
    for kind in ("flip", "cut"):
        print(f"| {kind} | {tally[(kind, 0)]} | {tally[(kind, 1)]} | {tally[(kind, 2)]} |")
    print(f"internal errors or changed originals: {len(internal)}")
    for line in internal[:20]:
        print("  " + line)
    return 1 if internal else 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    sys.exit(main_(*(args + [2000, 15][len(args):])))
