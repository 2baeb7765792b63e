"""The 扣分记录 rows check themselves (template 0.9, issue 30): each row's 实时校验 cell states
validate's V301–V305, V307 and V308 as formulas (addin.catalogue.finding_rows). For a corpus of
rows the formulas (computed by the `formulas` package, with no preval code) show the same ids
and words on the same row as ``preval validate``; the expected ids and the words quoted here
are written by hand from docs/checks.md and the rubric (附件1), not taken from either side."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from addin.books.package_book import PackageBook
from addin.catalogue.finding_rows import LIVE_IDS
from addin.scoring import assess
from addin.workbook import layout as L
from addin.workbook.live_checks import findings_columns, live_count, live_values
from tests.support.live_corpus import FINDINGS_CASES as CASES
from tests.support.live_corpus import OK
from tests.support.workbook_eval import WorkbookFormulas
from tests.support.workbooks import reference_workbook
from udfs import reference_case
from udfs.profile import load_profile

PROFILE = load_profile()
COLUMNS = findings_columns()
SPELLING = {COLUMNS["扣分文本"], COLUMNS["扣分文本余"]}  # live_values leaves them "" (the formulas' own steps)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> WorkbookFormulas:
    return WorkbookFormulas(reference_workbook(tmp_path_factory.mktemp("rows") / "rows.xlsx"))


def _said(text: str) -> list[tuple[str, str]]:
    return re.findall(r"(?:^|；)(V\d{3}) (.*?)(?=；V\d{3} |$)", text or "", re.S)


def _cells(rows: int) -> list[tuple[str, str]]:
    return [(L.FINDINGS, f"{c}{r}") for r in range(L.FINDINGS_FIRST, L.FINDINGS_FIRST + rows + 1) for c in COLUMNS.values()]


def _same(a, b) -> bool:
    a = "" if a is None else a
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    return a == b


@pytest.mark.parametrize(("rows", "expected"), CASES, ids=[repr(r[0][:3]) for r, _ in CASES])
def test_a_row_says_in_the_workbook_what_validate_says(tmp_path, book, rows, expected):
    book.load(reference_case.RAW_INPUTS, rows)
    got = book.evaluate(_cells(len(rows)))
    shown = {r: _said(got[(L.FINDINGS, f"{L.FINDINGS_LIVE_COLUMN}{r}")]) for r in range(2, 2 + len(rows))}
    assert [[i for i, _m in shown[r]] for r in range(2, 2 + len(rows))] == expected  # written by hand, above
    # every live cell of the rows (and of the empty row after them) as the Python reading has it
    python = live_values(PROFILE, reference_case.RAW_INPUTS, findings=[(2 + n, r) for n, r in enumerate(rows)])
    assert [k for k in got if k[1].rstrip("0123456789") not in SPELLING and not _same(got[k], python[k])] == []
    # and preval validate reports the same ids and words on the same rows
    result = assess(PackageBook(reference_workbook(tmp_path / "rows.xlsx", findings=rows)))
    reported = sorted((int(p.cell[1:]), p.id, p.message) for p in result.problems if p.id in LIVE_IDS)
    assert reported == sorted((r, i, m) for r, said in shown.items() for i, m in said)


@pytest.mark.parametrize(("row", "expected"), [
    (("不存在的指标", "—", 0.5, OK, ""), "V301 第2行的指标“不存在的指标”不在指标体系中"),
    ((None, None, 0.5, OK, ""), "V301 第2行的指标“（空）”不在指标体系中"),
    ((12.0, "(2)", 0.6, "", ""), "V308 第2行的指标写作“12”，请从下拉列表选择“政府采购执行率和规范性”；"
     "V308 第2行的子项写作“(2)”，请从下拉列表选择“②”；"
     "V304 第2行：政府采购执行率和规范性②最多0.5分，本行扣0.6分，按扣完为止计（扣0.5分）；"
     "V305 第2行（政府采购执行率和规范性扣0.6分）没有写事由"),
    (("信息公开性", "②", "0.5", OK, ""), "V303 第2行（信息公开性）的扣分是文本格式的数字（“0.5”），工作簿公式不计入，请转换为数字"),
    (("信息公开性", "②", -1, OK, ""), "V303 第2行（信息公开性）的扣分应为不小于0的数字"),
    (("信息公开性", "④", 0.5, OK, ""), "V302 第2行：信息公开性没有可扣分的子项“④”"),
    (("信息公开性", "(11)", 0.5, OK, ""), "V302 第2行：信息公开性没有可扣分的子项“11”"),
    (("完成及时性", "—", 4.5, OK, ""), "V304 第2行：完成及时性最多4分，本行扣4.5分，按扣完为止计（扣4分）"),
    (("资金使用合规性", "⑤", 1.25, OK, ""), "V307 资金使用合规性⑤扣分合计1.25分，超过分值1分，按扣完为止计"),
    (("资金使用合规性", "①", 0.75, OK, ""), "V306 第2行（资金使用合规性①）：评分标准为每例0.5分的整数倍，本行扣0.75分（按填写的扣分计算）"),
    (("绩效指标明确性", "③", 0.3, OK, ""), "V306 第2行（绩效指标明确性③）：评分标准为0.5或1分，本行扣0.3分（按填写的扣分计算）"),
], ids=["unknown", "blank", "spelling", "text", "negative", "no-such-part", "brackets", "whole", "veto", "per-case", "amounts"])
def test_the_words_of_a_row(tmp_path, book, row, expected):
    book.load(reference_case.RAW_INPUTS, [row])
    assert book.evaluate([(L.FINDINGS, f"{L.FINDINGS_LIVE_COLUMN}2")])[(L.FINDINGS, f"{L.FINDINGS_LIVE_COLUMN}2")] == expected
    result = assess(PackageBook(reference_workbook(tmp_path / "row.xlsx", findings=[row])))
    assert "；".join(f"{p.id} {p.message}" for p in result.problems if p.id in LIVE_IDS) == expected


def test_the_count_adds_the_rows(tmp_path, book):
    rows = [("不存在的指标", "—", 0.5, OK, ""), ("信息公开性", "②", "0.5", OK, ""), ("信息公开性", "③", 2.5, OK, ""),
            ("信息公开性", "③", 0.5, None, ""), ("12", "(2)", 0.6, "", ""), *reference_case.RAW_FINDINGS]
    # V301, V303, V305 and three on the fifth row (V308 twice, V305) are 错误; V304 on the third and fifth 提示,
    # and V306 on the reference case's 固定资产保管和使用情况① (0.5 deducted of a 1分 all-or-nothing item, 附件1;
    # preval validate's one 提示 on the demo). 信息公开性③'s 2.5 + 0.5 + the reference's 0.2 adds past its 2 at the third
    # row, where V304 says it already.
    book.load(reference_case.RAW_INPUTS, rows)
    summary = (L.SUMMARY, L.at(1, L.Layout(PROFILE).summary_row("实时校验")))
    count = book.evaluate([(L.CHECKS, L.LIVE_COUNT_CELL), summary])
    assert count[(L.CHECKS, L.LIVE_COUNT_CELL)] == live_count(6, 3)
    assert count[summary] == "实时校验：6 个错误，3 个提示"
    result = assess(PackageBook(reference_workbook(tmp_path / "count.xlsx", findings=rows)))
    assert sum(p.severity == "错误" for p in result.problems if p.id in LIVE_IDS) == 6


def test_the_sheet_prints_without_the_live_column_and_colours_a_row():
    ws = openpyxl.load_workbook(Path(L.__file__).parents[2] / "xlsx_templates" / L.FILE_NAME)[L.FINDINGS]
    assert ws.print_area == f"'{L.FINDINGS}'!$A$1:$E${L.FINDINGS_LAST}"
    assert ws[f"{L.FINDINGS_LIVE_COLUMN}1"].value == "实时校验"
    assert all(ws.column_dimensions[c].hidden for c in list(COLUMNS.values())[1:])
    assert not ws.column_dimensions[L.FINDINGS_LIVE_COLUMN].hidden
    assert ws[f"{COLUMNS['错误数']}{L.FINDINGS_LAST}"].value.startswith("=")
    rules = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules if f"${COLUMNS['错误数']}" in r.formula[0]]
    assert len(rules) == 2
