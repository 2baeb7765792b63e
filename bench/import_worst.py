"""What `preval import` pays on the worst 决算 files we can make (issue 29): each a fresh process
from the shell, time and peak memory. Prints one markdown table for docs/performance.md.

    python bench/import_worst.py [--keep DIR]

The files: the real 30-page 决算 PDF of the fixtures; that PDF ten times over (300 pages, the
page limit) and once more (301: refused); a web page of 500 tables of 100 rows (the table limit);
a web page near 1,000,000 elements (the element limit); a workbook of 100 sheets of 1,900 rows
(570,000 cells: over the 500,000 a 决算 workbook may hold).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from worst_files import run_argv  # noqa: E402 - after the path set-up above

REAL = ROOT / "tests" / "fixtures" / "final_accounts" / "shanghai-putuo-shehuigongzuobu-2024.pdf"
HUNAN_HTML = ROOT / "tests" / "fixtures" / "final_accounts" / "hunan-2023.html"


def _pages(path: Path, count: int) -> None:
    """The real 决算's pages over and over, ``count`` in all."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(REAL))
    new = pdfium.PdfDocument.new()
    while len(new) < count:
        new.import_pages(src, list(range(min(len(src), count - len(new)))))
    new.save(str(path))


def _tables_page(path: Path, tables: int, rows: int) -> None:
    head = HUNAN_HTML.read_bytes().decode("gb18030")
    block = "<p>部门支出决算表</p><p>单位：万元</p><table>" + "".join(
        f"<tr><td>科目{r}</td><td>{r}.00</td><td>1.00</td></tr>" for r in range(rows)) + "</table>"
    path.write_text(head.replace("</body>", block * tables + "</body>"), encoding="utf-8")


def _elements_page(path: Path, count: int) -> None:
    path.write_text("<html><body>" + "<span>1</span>" * (count // 2) + "</body></html>", encoding="utf-8")


def _big_workbook(path: Path, sheets: int, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for s in range(sheets):
        ws = wb.create_sheet(f"表{s}")
        ws.append([f"支出决算表{s}"])
        ws.append(["单位：万元"])
        for r in range(rows):
            ws.append([f"科目{r}", r + 0.25, 1.5])
    wb.save(path)


CORPUS = {
    "real-30-pages.pdf": lambda p: p.write_bytes(REAL.read_bytes()),
    "300-pages.pdf": lambda p: _pages(p, 300),
    "301-pages.pdf": lambda p: _pages(p, 301),
    "500-tables.html": lambda p: _tables_page(p, 494, 100),
    "999999-elements.html": lambda p: _elements_page(p, 999_990),
    "100-sheets.xlsx": lambda p: _big_workbook(p, 100, 1_900),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the files here (and reuse them)")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print("| file | size | exit | time | peak | says |\n|---|---|---|---|---|---|")
        for name, make in CORPUS.items():
            path = folder / name
            if not path.exists():
                make(path)
            out = Path(tmp) / "out.xlsx"
            code, wall, peak, said = run_argv(["import", str(path), "-o", str(out)], args.timeout)
            size = f"{path.stat().st_size / 2**20:.1f} MB"
            print(f"| {name} | {size} | {code} | {wall:.1f} s | {peak:.0f} MB | {said[:70]} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
