"""What a file may hold before any reader allocates it (issue 31): cells, cell formats, shared
strings, names, sheets and parts counted by the file guard, the rubric a workbook carries
bounded before it is parsed. Each limit is stated here from the guard's docstring (a hundred
times what the standard workbook holds) and from Excel's own limits, and each refusal is one
Chinese sentence with exit 2. bench/worst_files.py measures what every command pays for the
worst files under 10 MB; these tests pin the behaviour, not the time."""

import json
import re
import zipfile

import pytest

from addin.books import file_guard
from addin.books.calamine_book import CalamineBook
from addin.books.package_book import PackageBook
from addin.cli import main
from addin.workbook import layout as L
from tests.support.package import carrying, rewrite
from tests.support.workbooks import reference_workbook
from udfs.errors import ProfileError
from udfs.profile.loading import load_profile, parse_profile
from udfs.profile.serialize import canonical_text

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return reference_workbook(tmp_path_factory.mktemp("bounds") / "参考案例.xlsx")


def _sheet_part(path, sheet: str) -> str:
    from addin.books.workbook_xml import read_map

    return read_map(path).sheets[sheet]


def _before(marker: bytes, text: bytes):
    def change(data: bytes) -> bytes:
        assert marker in data
        return data.replace(marker, text + marker, 1)
    return change


def _refused(path, capsys, *words, command="validate"):
    assert main([command, str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err and "程序内部出错" not in err, err
    for word in words:
        assert word in err, err
    return err


def test_the_limits_are_a_hundred_times_the_standard_workbook_and_within_excels_own():
    # the standard workbook: ~4,000 cells, ~40 formats, 12 sheets; Excel: 65,490 unique cell formats
    assert file_guard.MAX_CELLS == 200_000
    assert file_guard.MAX_STYLES == 65_490
    assert file_guard.MAX_SHEETS == 255
    assert file_guard.MAX_PARTS == 1000


def test_the_reference_workbook_is_far_inside_every_limit(reference):
    package = file_guard.check_package(reference)
    assert 1_000 < package.counts["cells"] < 10_000
    assert package.counts["relationships"] < 100
    assert package.counts["styles"] < 200
    assert package.counts["names"] < 200


def test_too_many_cells_are_refused_before_they_are_read(reference, tmp_path, capsys):
    path = _many_cells(reference, tmp_path / "单元格过多.xlsx", L.MONEY, 100_001)  # 200,002 more cells
    err = _refused(path, capsys, "单元格过多", "200,000")
    assert "移到另一个工作簿" in err
    out = tmp_path / "汇总.xlsx"
    folder = tmp_path / "批量"
    folder.mkdir()
    path.rename(folder / path.name)
    assert main(["batch", str(folder), "-o", str(out)]) == 2  # nothing scored: the file is listed with its reason
    assert "[未能评分] 单元格过多.xlsx" in capsys.readouterr().err


def test_too_many_cell_formats_are_refused(reference, tmp_path, capsys):
    xfs = b"<xf/>" * (file_guard.MAX_STYLES + 1)
    path = rewrite(reference, tmp_path / "格式过多.xlsx",
                   {"xl/styles.xml": lambda data: re.sub(rb'<cellXfs count="\d+">', b'<cellXfs count="1">' + xfs, data, count=1)})
    _refused(path, capsys, "单元格格式过多", "65,490")


def test_too_many_defined_names_are_refused(reference, tmp_path, capsys):
    names = b"".join(b'<definedName name="extra%d">\'%s\'!$B$3</definedName>' % (n, L.MONEY.encode())
                     for n in range(file_guard.MAX_NAMES + 1))
    path = rewrite(reference, tmp_path / "名称过多.xlsx", {"xl/workbook.xml": _before(b"</definedNames>", names)})
    _refused(path, capsys, "定义的名称过多")


def test_too_many_relationships_are_refused(reference, tmp_path, capsys):
    part = _sheet_part(reference, L.MONEY)
    rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    links = "".join(f'<Relationship Id="rIdH{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/hyperlink" Target="http://example.invalid/{n}" TargetMode="External"/>'
                    for n in range(file_guard.MAX_RELATIONSHIPS + 1))
    added = {rels: ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    f'package/2006/relationships">{links}</Relationships>').encode()}
    with zipfile.ZipFile(reference) as z:
        assert rels not in z.namelist()
    path = rewrite(reference, tmp_path / "超链接过多.xlsx", {}, added)
    _refused(path, capsys, "关系（超链接、图片等）过多", "10,000")


def test_too_many_sheets_are_refused(reference, tmp_path, capsys):
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheets = "".join(f'<sheet xmlns:r="{rel}" name="附表{n}" sheetId="{500 + n}" r:id="rIdExtra{n}"/>'
                     for n in range(file_guard.MAX_SHEETS))
    path = rewrite(reference, tmp_path / "工作表过多.xlsx", {"xl/workbook.xml": _before(b"</sheets>", sheets.encode())})
    _refused(path, capsys, "工作表过多", "255")


def test_too_many_parts_are_refused_by_count_not_called_too_large(reference, tmp_path, capsys):
    added = {f"customXml/item{n}.xml": b"<a/>" for n in range(file_guard.MAX_PARTS)}
    path = rewrite(reference, tmp_path / "部件过多.xlsx", {}, added)
    err = _refused(path, capsys, "个部件", "1,000")
    assert "解压后过大" not in err


def test_a_worksheet_outside_xl_worksheets_is_refused(reference, tmp_path, capsys):
    """Elsewhere its cells would escape the guard's extent (a far cell's grid for calamine)."""
    part = _sheet_part(reference, L.FINDINGS)
    moved = "xl/data/" + part.rsplit("/", 1)[1]
    with zipfile.ZipFile(reference) as z:
        content = z.read(part)
        rels = z.read("xl/_rels/workbook.xml.rels")
    target = part.removeprefix("xl/").encode()
    path = tmp_path / "非标准位置.xlsx"
    with zipfile.ZipFile(reference) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == part:
                zout.writestr(moved, content)
            elif info.filename == "xl/_rels/workbook.xml.rels":
                fixed = rels.replace(b'Target="/' + part.encode() + b'"', b'Target="/' + moved.encode() + b'"')
                fixed = fixed.replace(b'Target="' + target + b'"', b'Target="data/' + target.split(b"/")[-1] + b'"')
                assert fixed != rels
                zout.writestr(info.filename, fixed)
            elif info.filename == "[Content_Types].xml":
                zout.writestr(info.filename, zin.read(info).replace(b"/" + part.encode(), b"/" + moved.encode()))
            else:
                zout.writestr(info.filename, zin.read(info))
    _refused(path, capsys, "非标准位置", "xl/worksheets/")


def test_a_workbook_xml_that_is_not_well_formed_is_a_sentence(reference, tmp_path, capsys):
    """An unbound prefix (r:id without xmlns:r) once ended in 程序内部出错（ParseError）."""
    path = rewrite(reference, tmp_path / "目录损坏.xlsx", {
        "xl/workbook.xml": _before(b"</sheets>", b'<sheet name="x" sheetId="99" r:id="rIdX"/>')})
    _refused(path, capsys, "不是有效的 XML", "xl/workbook.xml")


def test_cells_without_a_reference_make_the_extent_unknown_and_both_readers_agree(reference, tmp_path):
    """A cell's place may be implied by the one before it (no r=): the guard cannot know the
    sheet's extent, so calamine's dense grid is not trusted with it; both readers put the
    value where Excel would."""
    part = _sheet_part(reference, L.BASICS)
    row = b'<row r="300"><c r="A300"><v>1</v></c>' + b"<c/>" * 10 + b"<c><v>7</v></c></row>"
    path = rewrite(reference, tmp_path / "隐含位置.xlsx", {part: _before(b"</sheetData>", row)})
    package = file_guard.check_package(path)
    assert package.extent(part) == (file_guard.MAX_ROW, file_guard.MAX_COLUMN)
    assert file_guard.check_package(reference).extent(part)[0] < 300  # every cell named: extent known
    # A300, then 10 empty cells B..K, then the 7 in L300
    assert PackageBook(path).get(L.BASICS, "L300") == 7
    assert CalamineBook(path).get(L.BASICS, "L300") == 7


# --- the rubric a workbook carries, and any rubric the loader reads -------------------------

def _rubric_data() -> dict:
    return json.loads(canonical_text(load_profile("shaoyang-2022")))


def _first_bands(data):
    return next(p for i in data["indicator"] for p in i["parts"] if p["kind"] == "bands")


def test_a_rubric_with_more_bands_than_a_formula_can_nest_is_refused_where_it_is():
    data = _rubric_data()
    part = _first_bands(data)
    part["bands"] = [dict(part["bands"][0], label=f"档{n}") for n in range(51)]
    with pytest.raises(ProfileError, match=r"bands: 有 51 项，超过 50 项.*64 层"):
        parse_profile(data, "工作簿中的评分档案")


def test_a_rubric_text_longer_than_a_rubric_has_is_refused():
    data = _rubric_data()
    data["indicator"][0]["standard"] = "评" * 2_001
    with pytest.raises(ProfileError, match=r"indicator\[0\]\.standard: 文字有 2,001 个字符"):
        parse_profile(data, "x")


def test_the_shipped_rubrics_are_inside_the_bounds():
    for name in ("shaoyang-2022", "hunan-nianchu"):
        text = canonical_text(load_profile(name))
        assert len(text) < 500_000 // 20
        parse_profile(json.loads(text), name)  # raises past a bound


def test_a_carried_rubric_of_10000_bands_is_not_used_and_the_installed_one_scores(reference, tmp_path, capsys):
    data = _rubric_data()
    part = _first_bands(data)
    part["bands"] = [dict(part["bands"][0], label=f"档{n}") for n in range(10_000)]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert 500_000 < len(text) < 1_000_000  # past the rubric's bound, inside what a read sheet may hold
    path = carrying(reference, tmp_path / "巨大档案.xlsx", text)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "V410" in out and "过大（超过 500,000 个字符）" in out and "按本机安装的评分档案“shaoyang-2022”评分" in out


def test_a_carried_rubric_too_large_with_no_installed_namesake_is_a_sentence(reference, tmp_path, capsys):
    data = _rubric_data()
    data["profile"]["name"] = "某市-2024"
    data["indicator"][0]["standard"] = "评" * 600_000
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path = carrying(reference, tmp_path / "他市档案.xlsx", text)
    name_part = _sheet_part(reference, L.GUIDE)
    path2 = tmp_path / "他市档案2.xlsx"
    rewrite(path, path2, {name_part: lambda d: d.replace(b"shaoyang-2022", "某市-2024".encode())})
    _refused(path2, capsys, "过大", "本机也没有名为“某市-2024”的评分档案", "profile import")


def _many_cells(reference, path, sheet: str, rows: int):
    part = _sheet_part(reference, sheet)
    cells = b"".join(b'<row r="%d"><c r="Z%d"><v>1</v></c><c r="AA%d"><v>2</v></c></row>' % (r, r, r)
                     for r in range(2_000, 2_000 + rows))
    return rewrite(reference, path, {part: _before(b"</sheetData>", cells)})


def test_a_sheet_preval_reads_is_bounded_tighter_than_the_workbook(reference, tmp_path, capsys):
    """100,000 elements (cells, their values, validations …) in what preval parses one by one
    (the standard workbook ~12,000); a user's own sheet may hold up to the workbook's 200,000
    cells, scanned but never parsed."""
    assert file_guard.MAX_READ_ELEMENTS == 100_000 and file_guard.MAX_READ_BYTES == 8 * 2**20
    assert sum(file_guard.check_package(reference).elements.values()) < 30_000
    path = _many_cells(reference, tmp_path / "扣分过多.xlsx", L.FINDINGS, 25_000)  # 125,000 elements, 50,000 cells
    err = _refused(path, capsys, f"工作表“{L.FINDINGS}”内容过多", "100,000")
    assert f"请删除工作表“{L.FINDINGS}”中与评价无关的内容" in err
    folder = tmp_path / "批量"
    folder.mkdir()
    (folder / path.name).write_bytes(path.read_bytes())
    assert main(["batch", str(folder), "-o", str(tmp_path / "汇总.xlsx")]) == 2
    assert f"工作表“{L.FINDINGS}”内容过多" in capsys.readouterr().err


def test_data_validations_count_toward_what_a_read_sheet_may_hold(reference, tmp_path, capsys):
    part = _sheet_part(reference, L.MONEY)
    items = b"".join(b'<dataValidation type="decimal" sqref="Z%d"><formula1>%d</formula1></dataValidation>' % (r, r)
                     for r in range(1, 60_001))  # 120,000 elements, not one cell

    def change(data: bytes) -> bytes:
        data = re.sub(rb"<dataValidations.*?</dataValidations>", b"", data, flags=re.S)
        return data.replace(b"<pageMargins", b'<dataValidations count="60000">' + items + b"</dataValidations><pageMargins", 1)
    path = rewrite(reference, tmp_path / "验证过多.xlsx", {part: change})
    _refused(path, capsys, f"工作表“{L.MONEY}”内容过多", "数据验证")


def test_formulas_too_long_in_a_read_sheet_are_refused_by_size(reference, tmp_path, capsys):
    part = _sheet_part(reference, L.SCORES)
    import random

    rng = random.Random(31)  # digits at random: a repeated formula would trip the compression-ratio check

    def formula() -> bytes:  # 7,999 characters: Excel's limit is 8,192
        return b"+".join(str(rng.randrange(10)).encode() for _ in range(4_000))
    rows = b"".join(b'<row r="%d"><c r="Z%d"><f>%s</f></c></row>' % (r, r, formula()) for r in range(2_000, 3_100))
    path = rewrite(reference, tmp_path / "长公式.xlsx", {part: _before(b"</sheetData>", rows)})
    _refused(path, capsys, f"工作表“{L.SCORES}”内容过多", "8 MB")


def test_a_big_table_in_a_sheet_of_the_users_is_scanned_not_read(reference, tmp_path, capsys):
    from tests.support.package import with_new_sheet

    extra = with_new_sheet(reference, tmp_path / "附表.xlsx", "附表")
    part = _sheet_part(extra, "附表")
    cells = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>2</v></c></row>' % (r, r, r, r)
                     for r in range(1, 60_001))  # 120,000 cells: more than a read sheet may hold
    path = rewrite(extra, tmp_path / "大附表.xlsx", {part: lambda d: re.sub(rb"<sheetData/>|<sheetData>.*?</sheetData>",
                                                                            b"<sheetData>" + cells + b"</sheetData>", d)})
    assert main(["validate", str(path)]) == 0
    assert "校验完成：0 个错误" in capsys.readouterr().out


def test_a_rubric_workbook_is_bounded_by_what_openpyxl_loads_whole(tmp_path, capsys):
    assert file_guard.MAX_RUBRIC_CELLS == 20_000
    rubric = tmp_path / "档案.xlsx"
    assert main(["profile", "new", str(rubric), "--from", "shaoyang-2022"]) == 0
    capsys.readouterr()
    assert file_guard.check_package(rubric).counts["cells"] < 4_000  # what a rubric workbook holds
    with zipfile.ZipFile(rubric) as z:
        part = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
    cells = b"".join(b'<row r="%d"><c r="Z%d"><v>1</v></c></row>' % (r, r) for r in range(5_000, 5_000 + 20_001))
    path = rewrite(rubric, tmp_path / "大档案.xlsx", {part: _before(b"</sheetData>", cells)})
    for command in (["profile", "check"], ["profile", "import"]):
        assert main([*command, str(path)]) == 2
        err = capsys.readouterr().err
        assert "单元格过多（超过 20,000 个" in err and "程序内部出错" not in err, err
