"""A clerk changes the scored workbook in LibreOffice, no preval running: the 评分说明's 评分依据
and 扣分事由 change with the input and the 扣分记录 row, and come back when they are undone.

Run on purpose with the system Python that has LibreOffice's UNO bridge (Debian:
python3-uno): ``/usr/bin/python3 bench/live_notes_uno.py WORKBOOK.xlsx [CHANGED.xlsx]``, where
the workbook is the reference case scored as a 0.11 standard workbook (``preval demo`` writes
reference-case.xlsx). LibreOffice is started headless on a pipe, the workbook opened, and for
each step a value is typed into a cell the way the UI does, the document recalculated and the
评分说明 row read back; the expected words are the seed report's (附件2 of seed 003) and a hand
calculation. Prints the time of a full recalculation, then one line per step; exits 1 when a step
does not show what it should. With CHANGED.xlsx, the workbook as it is after the steps (the budget
back, the new row kept) is saved there (for docs/img: ``../shared/tools/render CHANGED.xlsx``).
``WORKBOOK.xlsx --cases CASES.json`` runs bench/live_notes_libreoffice.py's parity cases instead.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import uno  # LibreOffice's own Python bridge: this script runs outside the project's venv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live_checks_uno import connect

BUDGET_ROW, OPEN_ROW = 10, 18  # 评分说明 rows of 预算执行率 (no. 7) and 信息公开性 (no. 15)
NEW_ROW = 13  # the demo fills 扣分记录 rows 2-12
SEED_OPEN = ("②决算填列三公24.62万元与预算公开24万元不一致，扣0.1分；③两张项目自评表支出数与决算不一致，扣0.2分；"
             "①及时、准确、完整公开预决算和绩效管理信息，未发现不符合要求的情形，计1分，得3.7分")
# (sheet, cell, typed, text or number, 评分说明 row, column E or F, what it must show: the whole
# text, or (starts, ends))
STEPS = [
    ("财务数据", "B25", 2000, "number", BUDGET_ROW, "E",
     # 1660.95/2000 = 83.05%: 80%-90% is 0.5 (附件1), plus 2 for 绩效监控
     ("①预算执行率=1660.95/2000.00×100%=83.05%，", "得2.5分")),
    ("财务数据", "B25", 2160.62, "number", BUDGET_ROW, "E",
     "①预算执行率=1660.95/2160.62×100%=76.87%，小于80%不得分；②实施项目资金运行监控：是，计2分，得2分"),
    ("扣分记录", f"A{NEW_ROW}", "信息公开性", "text", OPEN_ROW, "E", SEED_OPEN),  # no amount yet: nothing counted
    ("扣分记录", f"B{NEW_ROW}", "①", "text", OPEN_ROW, "E", SEED_OPEN),
    ("扣分记录", f"C{NEW_ROW}", 0.1, "number", OPEN_ROW, "E",
     ("①及时、准确、完整公开预决算和绩效管理信息，扣0.1分；②", "得3.6分")),  # no 事由 yet: the rubric's words
    ("扣分记录", f"D{NEW_ROW}", "预算公开未附三公经费说明", "text", OPEN_ROW, "E",
     "①预算公开未附三公经费说明，扣0.1分；②决算填列三公24.62万元与预算公开24万元不一致，扣0.1分；"
     "③两张项目自评表支出数与决算不一致，扣0.2分，得3.6分"),
    ("扣分记录", f"E{NEW_ROW}", "预算公开网页截图", "text", OPEN_ROW, "F",
     ("决算填列三公24.62万元", "；预算公开未附三公经费说明（佐证：预算公开网页截图）")),
]


def _type(cell, value) -> None:
    """Type ``value`` into a cell as the UI does: a number, a text, or nothing."""
    if value is None or value == "":
        cell.setString("")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.setValue(float(value))
    else:
        cell.setString(str(value))


def run_cases(doc, spec_path: str) -> int:
    """bench/live_notes_libreoffice.py's cases: each typed in, recalculated, every 评分说明 row
    compared with the engine's words."""
    import json

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    sheets = doc.Sheets
    for name in {sheet for sheet, _cell in spec["cells"].values()} | {"扣分记录"}:
        sheets.getByName(name).unprotect("")
    findings, notes = sheets.getByName("扣分记录"), sheets.getByName("评分说明")
    first, used = spec["findings_first"], spec["findings_last"] - spec["findings_first"] + 1  # the demo's rows too
    compared, differences, start = 0, [], time.perf_counter()
    for case in spec["cases"]:
        for name, (sheet, cell) in spec["cells"].items():
            if name in case["inputs"]:
                _type(sheets.getByName(sheet).getCellRangeByName(cell), case["inputs"][name])
        for n in range(max(used, len(case["rows"]))):
            row = case["rows"][n] if n < len(case["rows"]) else [None] * 5
            for column, value in enumerate(row[:5]):
                _type(findings.getCellByPosition(column, first - 1 + n), value)
        used = len(case["rows"])
        doc.calculateAll()
        for row, (basis, said) in case["expected"].items():
            shown = [notes.getCellRangeByName(f"{c}{row}").getString() for c in "EF"]
            for got, want in zip(shown, (basis, said), strict=True):
                if want is None:
                    continue
                compared += 1
                if got != want:
                    differences.append((case["name"], row, got, want))
    print(f"{'cases':>5} {'compared':>8} {'differ':>6} {'s':>6}")
    print(f"{len(spec['cases']):>5} {compared:>8} {len(differences):>6} {time.perf_counter() - start:>6.1f}")
    for name, row, got, want in differences[:10]:
        print(f"{name} 评分说明 row {row}:\n  LibreOffice {got!r}\n  engine      {want!r}")
    return 1 if differences or not compared else 0


def main(path: str, changed: str | None = None, cases: str | None = None) -> int:
    import tempfile

    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        proc, desktop = connect(tmp)
        try:
            hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
            hidden.Name, hidden.Value = "Hidden", True
            doc = desktop.loadComponentFromURL(Path(path).resolve().as_uri(), "_blank", 0, (hidden,))
            if doc is None:  # most often a lock file (.~lock.NAME#) left beside it by a killed LibreOffice
                raise SystemExit(f"LibreOffice could not open {path}")
            if cases:
                failed = run_cases(doc, cases)
                doc.close(True)
                return failed
            start = time.perf_counter()
            doc.calculateAll()  # the whole workbook, as after opening it: the limit is 1 s
            print(f"full recalculation: {time.perf_counter() - start:.2f} s")
            sheets, notes = doc.Sheets, doc.Sheets.getByName("评分说明")
            for sheet, cell, typed, kind, row, column, expected in STEPS:
                ws = sheets.getByName(sheet)
                ws.unprotect("")  # a script types as the UI does; the input cells are unlocked anyway
                target = ws.getCellRangeByName(cell)
                if kind == "text":
                    target.setString(str(typed))
                else:
                    target.setValue(float(typed))
                start = time.perf_counter()
                doc.calculateAll()
                took = time.perf_counter() - start
                shown = notes.getCellRangeByName(f"{column}{row}").getString()
                ok = shown == expected if isinstance(expected, str) else \
                    shown.startswith(expected[0]) and shown.endswith(expected[1])
                failed += not ok
                print(f"{'ok  ' if ok else 'FAIL'} {sheet}!{cell} <- {typed!r} ({took:.2f} s): 评分说明!{column}{row} {shown!r}")
            if changed:
                url = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
                url.Name, url.Value = "FilterName", "Calc MS Excel 2007 XML"
                doc.storeToURL(Path(changed).resolve().as_uri(), (url,))
                print(f"saved {changed}")
            doc.close(True)
        finally:
            proc.terminate()
            proc.wait(30)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[2] == "--cases":
        sys.exit(main(sys.argv[1], cases=sys.argv[3]))
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
