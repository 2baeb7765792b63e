"""The worst files under 10 MB we can make, and what every command pays for each (issue 31):
time and peak memory per command and file, each run a fresh process from the shell. Target:
every row within 2 s and 300 MB — handled, or refused in one Chinese sentence.

    python bench/worst_files.py                 # build the corpus in a temporary folder, run all
    python bench/worst_files.py --only bands    # files whose name contains "bands"
    python bench/worst_files.py --commands validate,score

Each file is the reference workbook (reference-case.md) or a rubric workbook (`preval profile
new`) changed in one place, the way a submitter or a crafted file would change it; a part's
content carries random variation where it would otherwise compress past the guard's ratio limit
(an attacker stays under the limit the same way). Prints one markdown table for
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "hostile")]

TARGET_S, TARGET_MB, MAX_FILE = 2.0, 300, 10 * 2**20
TIMEOUT = 120
COMMANDS = ("validate", "score", "finalize", "report", "upgrade", "batch", "profile-check", "profile-import")

# the command in a fresh process; prints exit code, wall time and peak memory (self, children)
MEASURE = r"""
import resource, sys, time
start = time.perf_counter()
from addin.cli import main
code = main(sys.argv[1:])
wall = time.perf_counter() - start
# VmHWM, not RUSAGE_SELF: Linux carries ru_maxrss across exec, so it would show the bench's own
me = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("@@", code, wall, me, child)
"""

rng = random.Random(31)
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _noisy(forms: list[str], count: int) -> str:
    """``count`` items, each one of ``forms`` at random: enough entropy to stay under the
    guard's compression-ratio limit, as a crafted file would."""
    return "".join(rng.choices(forms, k=count))


# --- the reference workbook, changed in one place -------------------------------------------

def _reference() -> dict[str, bytes]:
    from make_corpus import parts_of, reference, to_bytes

    return parts_of(to_bytes(reference()))


def _part(parts: dict[str, bytes], sheet: str) -> str:
    from make_corpus import sheet_part

    return sheet_part(parts, sheet)


def _before(parts: dict[str, bytes], part: str, marker: str, text: str) -> None:
    xml = parts[part].decode()
    assert marker in xml, (part, marker)
    parts[part] = xml.replace(marker, text + marker, 1).encode()


def _after(parts: dict[str, bytes], part: str, marker: str, text: str) -> None:
    xml = parts[part].decode()
    assert marker in xml, (part, marker)
    parts[part] = xml.replace(marker, marker + text, 1).encode()


def _empty_rows(first: int, rows: int) -> str:
    """Rows of 16,384 cells without a reference (``<c/>``): the position is implied, so the
    used range reaches column XFD while no cell names a far reference."""
    return "".join(f'<row r="{first + r}">' + _noisy(["<c/>", "<c/>", "<c/>", '<c s="0"/>'], 16_384) + "</row>"
                   for r in range(rows))


def empty_cells_read(parts):
    _before(parts, _part(parts, "财务数据"), "</sheetData>", _empty_rows(1000, 600))


def empty_cells_extra(parts):
    _add_sheet(parts, "附表", "<sheetData>" + _empty_rows(1, 600) + "</sheetData>")


def _add_part(parts, part: str, root: str, body: str, kind: str, rid: str, attributes: str = "") -> None:
    """A new part of the workbook, its content type and its relationship from workbook.xml
    (``kind``: "worksheet", "sharedStrings")."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts[part] = f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="{ns}"{attributes}>{body}</{root}>'.encode()
    _before(parts, "[Content_Types].xml", "</Types>",
            f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.{kind}+xml"/>')
    _before(parts, "xl/_rels/workbook.xml.rels", "</Relationships>",
            f'<Relationship Id="{rid}" Type="{REL_NS}/{kind}" Target="/{part}"/>')


def _add_sheet(parts, name: str, body: str, index: int = 0) -> None:
    part, rid = f"xl/worksheets/sheet_worst{index}.xml", f"rIdWorst{index}"
    _add_part(parts, part, "worksheet", body, "worksheet", rid)
    _before(parts, "xl/workbook.xml", "</sheets>", f'<sheet xmlns:r="{REL_NS}" name="{name}" sheetId="{900 + index}" r:id="{rid}"/>')


def many_sheets(parts):
    for n in range(4_900):
        _add_sheet(parts, f"附表{n}", "<sheetData/>", n)


def styles(parts):
    xml = parts["xl/styles.xml"].decode()
    count = 2_500_000
    xfs = _noisy(['<xf/>', '<xf numFmtId="1"/>', '<xf fontId="0"/>', '<xf numFmtId="2"/>'], count)
    xml, n = re.subn(r'<cellXfs count="\d+">', f'<cellXfs count="{count}">{xfs}', xml, count=1)
    assert n == 1
    parts["xl/styles.xml"] = xml.encode()


def shared_strings(parts):
    """2.4 M shared strings (the reference workbook, as openpyxl writes it, has none: added)."""
    part = "xl/sharedStrings.xml"
    assert part not in parts
    count = 2_400_000
    items = "".join(f"<si><t>{rng.randrange(10**6)}</t></si>" for _ in range(count))
    _add_part(parts, part, "sst", items, "sharedStrings", "rIdWorstStrings", f' count="{count}" uniqueCount="{count}"')


def defined_names(parts):
    names = "".join(f'<definedName name="附加名称{n}">\'财务数据\'!$B${rng.randrange(1, 60)}</definedName>'
                    for n in range(100_000))
    _before(parts, "xl/workbook.xml", "</definedNames>", names)


def long_formulas(parts):
    """4,000 formulas of 8,000 characters in 评分表 (a sheet whose formulas V401 checks)."""
    part = _part(parts, "评分表")
    rows = "".join(f'<row r="{2000 + r}"><c r="Z{2000 + r}"><f>'
                   + "+".join(str(rng.randrange(10)) for _ in range(4_000))[:8_000] + "</f></c></row>"
                   for r in range(4_000))
    _before(parts, part, "</sheetData>", rows)


def nested_formula(parts):
    """A formula nested 4,000 deep in 评分表 ((((…)))), and in an input cell."""
    part = _part(parts, "评分表")
    deep = "(" * 4_000 + "1" + ")" * 4_000
    rows = "".join(f'<row r="{2000 + r}"><c r="Z{2000 + r}"><f>{deep}</f></c></row>' for r in range(500))
    _before(parts, part, "</sheetData>", rows)


def deduction_rows(parts):
    """扣分记录 with 48,000 filled rows, 192,000 cells: just under the guard's limit of cells
    (the workbook's formulas count 200 rows)."""
    part = _part(parts, "扣分记录")
    rows = "".join(
        f'<row r="{300 + r}"><c r="A{300 + r}" t="inlineStr"><is><t>资金使用合规性</t></is></c>'
        f'<c r="B{300 + r}" t="inlineStr"><is><t>①</t></is></c><c r="C{300 + r}"><v>{rng.randrange(1, 9) / 10}</v></c>'
        f'<c r="D{300 + r}" t="inlineStr"><is><t>事由{rng.randrange(10**6)}</t></is></c></row>'
        for r in range(48_000))
    _before(parts, part, "</sheetData>", rows)


def numbers_read(parts):
    """192,000 numbers in 财务数据 (a sheet every door reads), just under the limit of cells."""
    part = _part(parts, "财务数据")
    rows = "".join(f'<row r="{300 + r}">' + "".join(f'<c r="{c}{300 + r}"><v>{rng.randrange(10**6) / 100}</v></c>'
                                                      for c in "FGHIJKLM") + "</row>" for r in range(24_000))
    _before(parts, part, "</sheetData>", rows)


def validations(parts):
    part = _part(parts, "财务数据")
    items = "".join(f'<dataValidation type="decimal" sqref="Z{r}"><formula1>{rng.randrange(100)}</formula1></dataValidation>'
                    for r in range(1, 100_001))
    block = f'<dataValidations count="100000">{items}</dataValidations>'
    xml = parts[part].decode()
    xml = re.sub(r"<dataValidations.*?</dataValidations>", "", xml, flags=re.S)
    parts[part] = re.sub(r"(</sheetData>(?:<sheetProtection[^>]*/>)?(?:<mergeCells.*?</mergeCells>)?)",
                         lambda m: m.group(1) + block, xml, count=1, flags=re.S).encode()


def conditional_formats(parts):
    part = _part(parts, "财务数据")
    items = "".join(f'<conditionalFormatting sqref="Z{r}"><cfRule type="expression" priority="{r}" dxfId="0">'
                    f'<formula>Z{r}&gt;{rng.randrange(100)}</formula></cfRule></conditionalFormatting>'
                    for r in range(1, 60_001))
    xml = parts[part].decode()
    marker = "<dataValidations" if "<dataValidations" in xml else "<pageMargins"
    parts[part] = xml.replace(marker, items + marker, 1).encode()


def merged_cells(parts):
    part = _part(parts, "财务数据")
    items = "".join(f'<mergeCell ref="AA{2 * r + 1}:AB{2 * r + 2}"/>' for r in range(500_000))
    xml = parts[part].decode()
    if "<mergeCells" in xml:
        xml = re.sub(r'<mergeCells count="\d+">', f'<mergeCells count="{500_000}">{items}', xml, count=1)
    else:
        xml = xml.replace("</sheetData>", f'</sheetData><mergeCells count="500000">{items}</mergeCells>', 1)
    parts[part] = xml.encode()


def hyperlinks(parts):
    """100,000 external hyperlinks on 财务数据 (V507 reads every relationship)."""
    part = _part(parts, "财务数据")
    rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    links = "".join(f'<Relationship Id="rIdH{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/hyperlink" Target="http://example.invalid/{rng.randrange(10**9)}" TargetMode="External"/>'
                    for n in range(100_000))
    if rels in parts:
        _before(parts, rels, "</Relationships>", links)
    else:
        parts[rels] = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                       f'package/2006/relationships">{links}</Relationships>').encode()
    refs = "".join(f'<hyperlink ref="Z{n + 1}" r:id="rIdH{n}"/>' for n in range(100_000))
    xml = parts[part].decode()
    if 'xmlns:r=' not in xml[:500]:
        xml = xml.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
    marker = "<pageMargins"
    parts[part] = xml.replace(marker, f"<hyperlinks>{refs}</hyperlinks>" + marker, 1).encode()


def long_strings(parts):
    """500 text cells of 32,767 characters in 基础信息."""
    part = _part(parts, "基础信息")
    text = ("".join(rng.choices("部门整体支出绩效评价资金预算", k=3_000)) * 11)[:32_767]
    rows = "".join(f'<row r="{500 + r}"><c r="Z{500 + r}" t="inlineStr"><is><t>{text[r:] + text[:r]}</t></is></c></row>'
                   for r in range(500))
    _before(parts, part, "</sheetData>", rows)


def big_image(parts):
    parts["xl/media/image_worst.png"] = rng.randbytes(9 * 2**20)


def _carried_rubric(parts, change: Callable[[dict], None]) -> None:
    """The rubric the workbook carries (指标体系's hidden column) changed and its digest recomputed."""
    from make_corpus import parts_of, zipped

    from tests.support.package import carrying
    from udfs.profile.loading import load_profile
    from udfs.profile.serialize import canonical_text

    data = json.loads(canonical_text(load_profile("shaoyang-2022")))
    change(data)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.xlsx", Path(tmp) / "out.xlsx"
        src.write_bytes(zipped(parts))
        parts.update(parts_of(carrying(src, dst, text).read_bytes()))


def _first_bands(data: dict) -> dict:
    for indicator in data["indicator"]:
        for part in indicator["parts"]:
            if part.get("kind") == "bands":
                return part
    raise SystemExit("no bands part")


def rubric_bands(parts):
    """A carried rubric with 100,000 bands in one part, its digest recomputed."""
    def change(data):
        part = _first_bands(data)
        points = part["points"]
        part["bands"] = [{"points": points if n > 90_000 else 0, "label": f"档{n}", "min": n / 100_000,
                          "max": (n + 1) / 100_000, "min_incl": True, "max_incl": False} for n in range(100_000)]
        part["bands"][-1].pop("max")
    _carried_rubric(parts, change)


def rubric_text(parts):
    """A carried rubric whose 评分标准 texts hold 1.5 million characters."""
    def change(data):
        for indicator in data["indicator"]:
            indicator["standard"] = "".join(rng.choices("评分标准预算执行率", k=50_000))
    _carried_rubric(parts, change)


# --- rubric workbooks (preval profile new), changed in one place ----------------------------

def _rubric_workbook() -> dict[str, bytes]:
    from make_corpus import parts_of

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "档案.xlsx"
        subprocess.run([sys.executable, "-m", "addin.cli", "profile", "new", str(out), "--from", "shaoyang-2022"],
                       cwd=ROOT, check=True, capture_output=True, env=_env(Path(tmp)))
        return parts_of(out.read_bytes())


def rubric_far_cell(parts):
    for part in [p for p in parts if p.startswith("xl/worksheets/sheet")]:
        _before(parts, part, "</sheetData>", '<row r="1048576"><c r="AD1048576"><v>1</v></c></row>')


def rubric_empty_cells(parts):
    part = sorted(p for p in parts if p.startswith("xl/worksheets/sheet") and p.endswith(".xml"))[-1]
    _before(parts, part, "</sheetData>", _empty_rows(3000, 600))


def rubric_rows(parts):
    """A rubric workbook with 100,000 part rows copied from its first one."""
    for part in sorted(p for p in parts if p.startswith("xl/worksheets/sheet") and p.endswith(".xml")):
        xml = parts[part].decode()
        row = re.search(r'<row r="4"[^>]*>.*?</row>', xml, flags=re.S)
        if row is None:
            continue
        rows = []
        for n in range(100_000):
            r = 2000 + n
            rows.append(re.sub(r'r="([A-Z]+)4"', rf'r="\g<1>{r}"', row.group(0).replace('<row r="4"', f'<row r="{r}"', 1)))
        _before(parts, part, "</sheetData>", "".join(rows))
        return


# name -> (what it is, base, change)
CORPUS: dict[str, tuple[str, str, Callable]] = {
    "empty-cells-read.xlsx": ("9.8 M cells without a reference in 财务数据 (used range to XFD)", "workbook", empty_cells_read),
    "empty-cells-extra.xlsx": ("9.8 M cells without a reference in a sheet of the user's", "workbook", empty_cells_extra),
    "many-sheets.xlsx": ("4,900 empty sheets", "workbook", many_sheets),
    "styles.xlsx": ("2.5 M cell styles in styles.xml", "workbook", styles),
    "shared-strings.xlsx": ("2.4 M shared strings", "workbook", shared_strings),
    "defined-names.xlsx": ("100,000 defined names", "workbook", defined_names),
    "long-formulas.xlsx": ("4,000 formulas of 8,000 characters in 评分表", "workbook", long_formulas),
    "nested-formula.xlsx": ("500 formulas nested 4,000 deep in 评分表", "workbook", nested_formula),
    "deduction-rows.xlsx": ("48,000 filled rows in 扣分记录 (192,000 cells)", "workbook", deduction_rows),
    "numbers-read.xlsx": ("192,000 numbers in 财务数据", "workbook", numbers_read),
    "validations.xlsx": ("100,000 data validations on 财务数据", "workbook", validations),
    "conditional-formats.xlsx": ("60,000 conditional formats on 财务数据", "workbook", conditional_formats),
    "merged-cells.xlsx": ("500,000 merged ranges on 财务数据", "workbook", merged_cells),
    "hyperlinks.xlsx": ("100,000 external hyperlinks on 财务数据", "workbook", hyperlinks),
    "long-strings.xlsx": ("500 texts of 32,767 characters in 基础信息", "workbook", long_strings),
    "big-image.xlsx": ("a 9 MB incompressible picture", "workbook", big_image),
    "rubric-bands.xlsx": ("a carried rubric with 100,000 bands (digest recomputed)", "workbook", rubric_bands),
    "rubric-text.xlsx": ("a carried rubric with 1.5 M characters of 评分标准", "workbook", rubric_text),
    "rubric-far-cell.xlsx": ("a rubric workbook with a cell at AD1048576", "rubric", rubric_far_cell),
    "rubric-empty-cells.xlsx": ("a rubric workbook with 9.8 M cells without a reference", "rubric", rubric_empty_cells),
    "rubric-rows.xlsx": ("a rubric workbook with 100,000 part rows", "rubric", rubric_rows),
}


def build(folder: Path, only: str = "") -> list[Path]:
    from make_corpus import zipped

    bases: dict[str, dict[str, bytes]] = {}
    made = []
    for name, (_, base, change) in CORPUS.items():
        path = folder / name
        if only and not any(word in name for word in only.split(",")):
            continue
        if path.exists():  # a kept corpus (--keep) is built once
            made.append(path)
            continue
        if base not in bases:
            bases[base] = _reference() if base == "workbook" else _rubric_workbook()
        parts = dict(bases[base])
        change(parts)
        data = zipped(parts)
        assert len(data) <= MAX_FILE, (name, len(data))
        path.write_bytes(data)
        made.append(path)
    return made


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PREVAL_PROFILES"] = str(home / "profiles")  # profile import installs here, not in ~/.config
    return env


def _argv(command: str, path: Path, out: Path) -> list[str]:
    if command == "validate":
        return ["validate", str(path)]
    if command in ("score", "finalize", "upgrade"):
        return [command, str(path), "-o", str(out / f"{command}.xlsx")]
    if command == "report":
        return ["report", str(path), "-o", str(out / "report.docx")]
    if command == "batch":
        folder = out / "folder"
        folder.mkdir(exist_ok=True)
        shutil.copy(path, folder / path.name)
        return ["batch", str(folder), "-o", str(out / "汇总.xlsx"), "--workers", "1"]
    if command == "profile-check":
        return ["profile", "check", str(path)]
    if command == "profile-import":
        return ["profile", "import", str(path)]
    raise ValueError(command)


def run(command: str, path: Path, timeout: float = TIMEOUT) -> tuple[str, float, float, str]:
    """(exit code, wall seconds, peak MB of the process or its largest worker, last line)."""
    with tempfile.TemporaryDirectory() as tmp:
        return run_argv(_argv(command, path, Path(tmp)), timeout, Path(tmp))


def run_argv(arguments: list[str], timeout: float = TIMEOUT, out: Path | None = None) -> tuple[str, float, float, str]:
    """`preval <arguments>` in a fresh process: (exit code, wall seconds, peak MB, what it said)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = out or Path(tmp)
        argv = [sys.executable, "-c", MEASURE, *arguments]
        start = time.perf_counter()
        try:
            done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=_env(out))
        except subprocess.TimeoutExpired:
            return "timeout", time.perf_counter() - start, float("nan"), f"> {timeout:g} s"
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("@@")), None)
        errors = [ln for ln in done.stderr.splitlines() if ln.startswith(("错误：", "[未能评分]"))]
        shown = [ln for ln in done.stdout.splitlines() if ln.strip() and not ln.startswith(("@@", "下一步"))]
        said = (errors or shown[-1:] or done.stderr.strip().splitlines()[-1:] or [""])[0]
        if line is None:
            return str(done.returncode), time.perf_counter() - start, float("nan"), said
        _, code, wall, me, child = line.split()
        return code, float(wall), max(float(me), float(child)), said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="files whose name contains one of these (comma-separated)")
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds before a run is stopped")
    parser.add_argument("--keep", type=Path, help="build the corpus into this folder (the files missing there) and keep it")
    args = parser.parse_args(argv)
    commands = args.commands.split(",")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="preval-worst-"))
    folder.mkdir(parents=True, exist_ok=True)
    files = build(folder, args.only)
    print(f"{time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print("| file | size (MB) | command | exit | wall (s) | peak (MB) | what it said |")
    print("|---|---:|---|---:|---:|---:|---|")
    over = 0
    for path in files:
        for command in commands:
            code, wall, peak, said = run(command, path, args.timeout)
            bad = not (wall <= TARGET_S and peak <= TARGET_MB) or code in ("3", "timeout")
            over += bad
            mark = " **over**" if bad else ""
            print(f"| {path.name} | {path.stat().st_size / 2**20:.1f} | {command} | {code} | {wall:.2f} | {peak:.0f} "
                  f"| {said[:90].replace('|', '¦')}{mark} |", flush=True)
    print(f"target: every row within {TARGET_S:g} s and {TARGET_MB} MB; {over} over")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if over == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
