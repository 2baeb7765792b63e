"""A rubric that would score wrongly or stop a department's workbook is refused when it is
checked or imported, at its cell and with the reason (issue 25, item 9), never later as
程序内部出错 or exit 2 blamed on the department."""

from __future__ import annotations

import json

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from addin.cli import main
from addin.rubric import columns as C
from udfs.errors import ProfileError
from udfs.profile import load_profile, parse_profile
from udfs.profile.serialize import to_data


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    home = tmp_path / "profiles"
    monkeypatch.setenv("PREVAL_PROFILES", str(home))
    return home


@pytest.fixture()
def rubric(tmp_path, folder):
    path = tmp_path / "档案.xlsx"
    assert main(["profile", "new", str(path)]) == 0
    return path


def _edit(path, **changes):
    """changes: indicator name -> {column key: value} on the indicator's first row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[C.INDICATORS]
    rows = {ws.cell(r, C.COLUMN["name"]).value: r for r in range(C.FIRST_ROW, ws.max_row + 1)
            if ws.cell(r, C.COLUMN["name"]).value}
    for name, cells in changes.items():
        for key, value in cells.items():
            ws.cell(rows[name], C.COLUMN[key]).value = value
    wb.save(path)
    return rows


def _cell(key, row):
    return f"{C.INDICATORS}!{get_column_letter(C.COLUMN[key])}{row}"


MISTAKES = {
    # (indicator, cells, what the message must say, the column it is named at)
    "a gap at exactly 5%": ("预算调整率", {"bands": "(,5%)=2\n(5%,10%]=1\n(10%,]=0"}, "5%不在任何一档", "bands"),
    "an overlap at 10%": ("结转结余率", {"bands": "[0,10%]=1\n[10%,]=0.5"}, "10%在两档中", "bands"),
    "a band of NaN": ("结转结余率", {"bands": "[NaN%,]=1"}, "应为有限的数字", "bands"),
    "an infinite band": ("结转结余率", {"bands": "[0,Infinity%]=1"}, "应为有限的数字", "bands"),
    "no top band": ("结转结余率", {"bands": "[0,10%]=1\n(10%,50%]=0.5"}, "应不设上限", "bands"),
    "a sub-item called 1": ("信息公开性", {"id": "1"}, "子项编号“1”应为 ①…⑩", "id"),
    "a sub-item called （一）": ("信息公开性", {"id": "（一）"}, "子项编号“（一）”", "id"),
    "a wildcard in a name": ("实际完成率", {"name": "实际完成率*"}, "不能含有 * ? ~ < > =", "name"),
    "a comparison in a name": ("实际完成率", {"name": "<>绩效"}, "不能含有", "name"),
}


@pytest.mark.parametrize("indicator,cells,said,column", MISTAKES.values(), ids=MISTAKES.keys())
def test_a_rubric_mistake_is_named_at_its_cell(rubric, capsys, indicator, cells, said, column):
    rows = _edit(rubric, **{indicator: cells})
    assert main(["profile", "check", str(rubric)]) == 1
    out, err = capsys.readouterr()
    assert f"{_cell(column, rows[indicator])}：" in out and said in out, out
    assert "程序内部出错" not in out + err and "Traceback" not in out + err
    assert main(["profile", "import", str(rubric)]) == 1  # and nothing is installed
    assert not list((rubric.parent / "profiles").glob("*.toml"))


def test_weights_that_do_not_add_up_to_100_are_refused(rubric, capsys):
    _edit(rubric, 质量达标率={"weight": 34, "points": 34})  # 100 − 4 + 34 = 130
    assert main(["profile", "check", str(rubric)]) == 1
    assert "指标分值合计为 130 分，应为 100 分" in capsys.readouterr().out


def test_a_hundred_bands_are_refused_before_anything_compiles(rubric, capsys):
    bands = "\n".join(f"[{n}%,{n + 1}%)={n % 3}" for n in range(100)) + "\n[100%,]=0"
    rows = _edit(rubric, 结转结余率={"bands": bands})
    assert main(["profile", "check", str(rubric)]) == 1
    out = capsys.readouterr().out
    assert f"{_cell('bands', rows['结转结余率'])}：" in out and "分档过多（101 档，最多 20 档）" in out


def test_importing_a_name_that_exists_keeps_the_old_rubric_and_says_so(rubric, folder, capsys):
    wb = openpyxl.load_workbook(rubric)
    wb[C.HEAD]["B3"] = "yueyang-2024"
    wb.save(rubric)
    assert main(["profile", "import", str(rubric)]) == 0
    first = (folder / "yueyang-2024.toml").read_text(encoding="utf-8")
    capsys.readouterr()
    _edit(rubric, 预算调整率={"bands": "[,5%)=2：小于5%\n[5%,12%]=1\n(12%,]=0"})
    assert main(["profile", "import", str(rubric)]) == 0
    out = capsys.readouterr().out
    kept = folder / "yueyang-2024.toml.bak"
    assert "原文件保留为" in out and str(kept) in out
    assert kept.read_text(encoding="utf-8") == first
    assert "0.12" in (folder / "yueyang-2024.toml").read_text(encoding="utf-8")


def _data_with(change):
    data = json.loads(json.dumps(to_data(load_profile()), default=str))
    change(data)
    return data


def test_the_loader_refuses_the_same_mistakes_in_a_toml_or_a_carried_rubric():
    def nan_band(data):
        data["indicator"][8]["parts"][0]["bands"][0]["max"] = "NaN"

    def score_places(data):
        data["options"]["score_places"] = 1

    def heavy(data):
        data["indicator"][0]["weight"] = 33

    for change, said in ((nan_band, "应为有限的数字"), (score_places, "score_places"), (heavy, "应为 100 分")):
        with pytest.raises(ProfileError) as refused:
            parse_profile(_data_with(change), "测试")
        assert said in str(refused.value)


def _carrying(tmp_path, text):
    """The reference workbook carrying ``text`` as its rubric, with the digest recomputed
    (intact to the digest check)."""
    from addin.books.openpyxl_book import OpenpyxlBook
    from addin.case import write_case
    from addin.workbook import layout as L
    from addin.workbook.build import build_workbook
    from udfs import reference_case
    from udfs.profile.serialize import digest

    wb = build_workbook()
    write_case(OpenpyxlBook(wb), reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS)
    ws = wb[L.RUBRIC]
    row = L.EMBED_FIRST_ROW
    while ws[f"{L.EMBED_COLUMN}{row}"].value:
        ws[f"{L.EMBED_COLUMN}{row}"].value = None
        row += 1
    for n, start in enumerate(range(0, len(text), L.EMBED_CHUNK)):
        ws[f"{L.EMBED_COLUMN}{L.EMBED_FIRST_ROW + n}"].value = L.EMBED_MARK + text[start:start + L.EMBED_CHUNK]
    ws[f"{L.EMBED_COLUMN}{L.EMBED_DIGEST_ROW}"].value = digest(text)
    path = tmp_path / "carried.xlsx"
    wb.save(path)
    return path


def test_a_carried_rubric_this_preval_cannot_read_is_said_not_silently_replaced(tmp_path):
    from addin.books.package_book import PackageBook
    from addin.scoring import assess
    from udfs.profile.serialize import canonical_text

    data = json.loads(canonical_text(load_profile()))
    data["indicator"][26]["parts"][0]["kind"] = "judgement_v2"  # a rule kind of a newer preval
    result = assess(PackageBook(_carrying(tmp_path, json.dumps(data, ensure_ascii=False))))
    (note,) = [p for p in result.problems if p.id == "V410"]
    assert "本程序无法读取" in note.message and "shaoyang-2022" in note.message
    assert str(result.evaluation.total) == "80.39"  # by the installed rubric of its name, and said


def test_a_carried_rubric_under_another_name_is_said(tmp_path):
    from addin.books.package_book import PackageBook
    from addin.scoring import assess
    from udfs.profile.serialize import canonical_text

    data = json.loads(canonical_text(load_profile()))
    data["profile"]["name"] = "shaoyang-2022-generous"
    result = assess(PackageBook(_carrying(tmp_path, json.dumps(data, ensure_ascii=False))))
    (note,) = [p for p in result.problems if p.id == "V410"]
    assert "shaoyang-2022-generous" in note.message and "不符" in note.message


def test_a_rule_whose_formula_excel_could_not_hold_is_refused(rubric, capsys):
    # 600 synonyms of 优秀 compile to a formula of more than 8,192 characters (Excel's limit)
    synonyms = "\n".join(f"优秀写法{n:03}=优秀" for n in range(600))
    _edit(rubric, 部门整体工作质量={"synonyms": synonyms})
    assert main(["profile", "check", str(rubric)]) == 1
    out = capsys.readouterr().out
    assert "部门整体工作质量" in out and "超过 Excel 的 8192 字符上限" in out
