"""The rubric that scores is the one the reader trusts (issue 24): where a rubric of the carried
rubric's name is installed, validate, score, report and finalize score by it, say that the
carried one differs (V407), and score by the carried one only when asked (--carried-rubric);
the scored copy then prints, computes and carries the installed rubric. Batch never takes
the carried one (V412, tests/test_trust.py).

Expected values from the seed and the rubric text: the reference case scores 80.39, 良
(shaoyang-xinfang-2022-evaluation.txt; 附件1: 80–90分为良); its 预算调整率 is 30.45%, which the
rubric's "大于10%不得分" scores 0 and a forged "<50%，计2分" would score 2 (82.39).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from addin.checks.formulas import content_key
from addin.cli import main
from addin.workbook import layout as L
from addin.workbook.formulas import formula_cells
from addin.workbook.printed_rubric import guide_grade_line, printed_rubric, summary_grade_line
from tests.support.workbooks import reference_workbook
from udfs.profile import load_profile, parse_profile
from udfs.profile.serialize import to_data

ADJUST = 8  # 预算调整率
FORGED_STANDARD = "预算调整率<50%，计2分；大于50%不得分。"


@pytest.fixture(scope="module")
def honest(tmp_path_factory) -> Path:
    return reference_workbook(tmp_path_factory.mktemp("installed") / "参考案例.xlsx")


def _forged(src: Path, dst: Path, edit) -> Path:
    """``src`` carrying an edited rubric of the installed one's name, its digest recomputed (as
    anyone can), and the printed rows and formulas of that rubric, as a workbook built with it."""
    from addin.workbook.build import build_workbook_for

    data = to_data(load_profile())
    edit(data)
    forged = parse_profile(data)
    wb = build_workbook_for(forged)
    old = openpyxl.load_workbook(src)
    for name in old.defined_names:  # the inputs, typed into the forged rubric's template
        sheet, cell = next(old.defined_names[name].destinations)
        value = old[sheet][cell.replace("$", "")].value
        if sheet in (L.BASICS, L.MONEY, L.REPORT) and value is not None:
            wb[sheet][cell.replace("$", "")] = value
    for row in old[L.FINDINGS].iter_rows(min_row=L.FINDINGS_FIRST, max_row=L.FINDINGS_LAST):
        for c in row:
            if c.value is not None:
                wb[L.FINDINGS][c.coordinate] = c.value
    wb.save(dst)
    return dst


def _generous_adjust(data: dict) -> None:
    (ind,) = [i for i in data["indicator"] if i["no"] == ADJUST]
    ind["parts"][0]["bands"] = [{"points": 2, "label": "预算调整率<50%，计2分", "max": 0.5, "max_incl": False},
                                {"points": 0, "label": "大于50%不得分", "min": 0.5, "min_incl": True}]
    ind["standard"] = FORGED_STANDARD


def _generous_grades(data: dict) -> None:
    data["grade"] = [{"min": 80, "grade": "优"}, {"min": 70, "grade": "良"}, {"min": 60, "grade": "中"},
                     {"min": 0, "grade": "差"}]


def _renamed(data: dict) -> None:
    (ind,) = [i for i in data["indicator"] if i["no"] == ADJUST]
    ind["name"] = "预算调整程度"
    data["advice"]["预算调整程度"] = data["advice"].pop("预算调整率")


def _validate(path: Path, capsys, *flags: str) -> tuple[int, dict]:
    code = main(["validate", str(path), "--json", *flags])
    return code, json.loads(capsys.readouterr().out)


def test_validate_and_score_score_by_the_installed_rubric_and_say_the_carried_one_differs(honest, tmp_path, capsys):
    forged = _forged(honest, tmp_path / "宽松档案.xlsx", _generous_adjust)
    code, found = _validate(forged, capsys)
    (v407,) = [p for p in found["findings"] if p["id"] == "V407"]
    assert code == 0 and v407["severity"] == "提示"
    assert "预算调整率" in v407["message"] and "本次按本机安装的档案评分" in v407["message"]
    assert "--carried-rubric" in v407["message"]
    out = tmp_path / "评分.xlsx"
    assert main(["score", str(forged), "-o", str(out)]) == 0
    assert "总分 80.39 分，评价等级 良" in capsys.readouterr().out
    # asked for, the carried rubric scores: 2 points more on 预算调整率 (30.45% < 50%)
    assert main(["score", str(forged), "-o", str(tmp_path / "按工作簿.xlsx"), "--carried-rubric"]) == 0
    said = capsys.readouterr().out
    assert "总分 82.39 分，评价等级 良" in said and "本次按工作簿保存的档案评分（--carried-rubric）" in said


def test_the_scored_copy_prints_computes_and_carries_the_installed_rubric(honest, tmp_path, capsys):
    forged = _forged(honest, tmp_path / "宽松档案.xlsx", _generous_adjust)
    out = tmp_path / "评分.xlsx"
    assert main(["score", str(forged), "-o", str(out)]) == 0
    capsys.readouterr()
    installed = load_profile()
    wb = openpyxl.load_workbook(out)
    row = L.row_of(ADJUST)
    standard = L.col(L.Layout(installed).scores_labels.index("评分标准") + 1)
    assert wb[L.SCORES][f"{standard}{row}"].value == installed.indicator(ADJUST).standard != FORGED_STANDARD
    assert wb[L.RUBRIC][f"G{3 + ADJUST - 1}"].value == installed.indicator(ADJUST).standard
    assert wb[L.RUBRIC][f"{L.EMBED_COLUMN}{L.EMBED_DIGEST_ROW}"].value == content_key(installed)
    for (sheet, cell), formula in formula_cells(installed).items():  # the workbook's own formulas: the installed rubric's
        assert wb[sheet][cell].value == formula, (sheet, cell)
    # the scored copy is now a workbook of the installed rubric: nothing left to say about it
    code, found = _validate(out, capsys)
    assert code == 0 and not [p for p in found["findings"] if p["id"] in ("V401", "V407", "V408", "V410")]
    # the input cells were not written
    before, after = openpyxl.load_workbook(forged), wb
    for sheet in (L.BASICS, L.MONEY, L.FINDINGS):
        assert [[c.value for c in r] for r in before[sheet].iter_rows()] == \
               [[c.value for c in r] for r in after[sheet].iter_rows()]


def test_grade_lines_of_a_forged_rubric_move_no_grade_and_are_reprinted(honest, tmp_path, capsys):
    forged = _forged(honest, tmp_path / "宽松等级.xlsx", _generous_grades)
    out = tmp_path / "评分.xlsx"
    assert main(["score", str(forged), "-o", str(out)]) == 0
    assert "总分 80.39 分，评价等级 良" in capsys.readouterr().out  # the forged lines said 优 from 80
    wb = openpyxl.load_workbook(out)
    installed = load_profile()
    assert wb[L.GUIDE]["B10"].value == guide_grade_line(installed) and "80–90分为良" in guide_grade_line(installed)
    layout = L.Layout(installed)
    assert wb[L.SUMMARY][f"A{layout.summary_row('严重违纪') + 1}"].value == summary_grade_line(installed)
    # report and finalize read the same way
    assert main(["report", str(forged), "-o", str(tmp_path / "报告.docx")]) == 0
    assert "评价等级 良" in capsys.readouterr().out
    assert main(["finalize", str(forged), "-o", str(tmp_path / "定稿.xlsx")]) == 0
    assert "评价等级 良" in capsys.readouterr().out
    code, found = _validate(tmp_path / "定稿.xlsx", capsys)  # the 定稿 carries and was sealed with the installed one
    assert code == 0 and not [p for p in found["findings"] if p["id"] in ("V405", "V407")]


def test_a_carried_rubric_of_another_layout_cannot_be_rescored_in_place(honest, tmp_path, capsys):
    forged = _forged(honest, tmp_path / "改名档案.xlsx", _renamed)
    code, found = _validate(forged, capsys)
    (v417,) = [p for p in found["findings"] if p["id"] == "V417"]
    assert code == 1 and v417["severity"] == "错误" and "第8个指标“预算调整程度”" in v417["message"]
    assert main(["score", str(forged), "-o", str(tmp_path / "评分.xlsx")]) == 1
    assert not (tmp_path / "评分.xlsx").exists()
    capsys.readouterr()
    assert main(["score", str(forged), "-o", str(tmp_path / "按工作簿.xlsx"), "--carried-rubric"]) == 0
    assert "总分 80.39 分" in capsys.readouterr().out


def test_the_printed_rubric_is_where_the_builder_prints_it(tmp_path):
    from addin.workbook.build import build_workbook_for

    installed = load_profile()
    data = to_data(installed)
    _generous_adjust(data)
    _generous_grades(data)
    for profile in (installed, parse_profile(data)):
        wb = build_workbook_for(profile)
        cells = printed_rubric(profile, L.Layout(profile))
        assert len(cells) > 4 * len(profile.indicators)
        for (sheet, cell), value in cells.items():
            assert wb[sheet][cell].value == value, (sheet, cell)


def test_the_printed_rubric_is_where_template_0_6_printed_it():
    from addin.books.package_book import PackageBook
    from addin.scoring import named_profile

    path = Path(__file__).parent / "fixtures" / "reference-excel-xludf-v0.6.xlsx"
    profile = named_profile(PackageBook(path))
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in printed_rubric(profile, L.Layout(profile, "0.6")).items():
        assert wb[sheet][cell].value == value, (sheet, cell)


def test_the_ribbon_scores_by_the_installed_rubric_and_carries_it(honest, tmp_path):
    from addin.excel import ribbon
    from tests.support.fake_xlwings import FakeBook

    forged = _forged(honest, tmp_path / "宽松档案.xlsx", _generous_adjust)
    wb = openpyxl.load_workbook(forged)
    book = FakeBook(wb, forged)
    ribbon.score(book)
    (message, mode), = book.app.alerts
    assert mode == "info" and "总分 80.39 分" in message and "评价等级“良”" in message
    installed = load_profile()
    assert wb[L.RUBRIC][f"{L.EMBED_COLUMN}{L.EMBED_DIGEST_ROW}"].value == content_key(installed)
    assert wb[L.RUBRIC][f"G{3 + ADJUST - 1}"].value == installed.indicator(ADJUST).standard
