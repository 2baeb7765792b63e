"""preval import (issue 29): a department's 部门决算 read into the evaluation workbook.

The expected figures are what a clerk reads off the printed tables (EXPECTED in the fixtures'
make.py, and the real 决算's figures written out below from its pages), never preval's output.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from addin.accounts import catalogue as K
from addin.accounts.tables import NotAmount, amount
from addin.books.package_book import PackageBook
from addin.case import read_case
from addin.cli import main

HERE = Path(__file__).resolve().parent / "fixtures" / "final_accounts"
sys.path.insert(0, str(HERE))
from make import EXPECTED, NARRATIVE_EXPECTED, SOFTWARE_EXPECTED, UNIT  # noqa: E402 - the fixtures' own statement of what they print

REAL = HERE / "shanghai-putuo-shehuigongzuobu-2024.pdf"
# 中共上海市普陀区委社会工作部 2024 年度部门决算, as printed: 收入支出决算总表 (第5页), 支出决算表 (第8页),
# 基本支出决算表 (第13页: 人员经费合计 95.36, 公用经费合计 10.23), 三公 table of blanks (第14页, the
# text: "2024年度无“三公”经费财政拨款支出"), 政府采购 sentence (第22页)
REAL_EXPECTED = {
    "预算执行数": "307.82", "上年结转结余": "0.00", "结转结余": "0.00", "基本支出": "105.58", "项目支出": "202.24",
    "人员经费": "95.36", "公用经费实际": "10.23", "三公预算本年": "0.00", "三公实际": "0.00", "出国经费": "0.00",
    "公务用车经费": "0.00", "公务接待经费": "0.00", "采购实际": "21.07", "采购货物": "21.07", "采购工程": "0.00",
    "采购服务": "0.00",
}


def _import(capsys, *args: str) -> tuple[int, dict]:
    code = main(["import", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _inputs(path: Path) -> dict[str, object]:
    return {k: v.value for k, v in read_case(PackageBook(path)).inputs.items() if v.value not in (None, "")}


@pytest.mark.parametrize("name, narrative", [("hunan-2023.xlsx", True), ("hunan-2023.xls", False),
                                             ("hunan-2023.html", True), ("hunan-2023.pdf", True),
                                             ("software-export-2023.xlsx", False)])
def test_every_input_from_every_format(tmp_path, capsys, name, narrative):
    out = tmp_path / "导入.xlsx"
    code, data = _import(capsys, str(HERE / name), "-o", str(out))
    assert code == 0
    expected = dict(EXPECTED, **(NARRATIVE_EXPECTED if narrative else {}))
    if name.startswith("software"):  # its 附表 F01 and F03; sheet names name no unit
        expected.update({k: str(v) for k, v in SOFTWARE_EXPECTED.items()})
    else:  # every title: "湖南省某某县自然资源局2023年度部门收支决算总表"
        expected.update({"单位名称": UNIT, "评价年度": "2023"})
    assert {i["input"]: i["value"] for i in data["imported"]} == expected
    written = _inputs(out)
    for key, value in expected.items():  # in the workbook's cells, as numbers (the name as text)
        if key == "单位名称":
            assert written[key] == UNIT
        else:
            assert Decimal(repr(written[key])) == Decimal(value), key
    sources = {i["input"]: i["source"] for i in data["imported"]}
    assert "决算总表" in sources["预算执行数"] and "“本年支出合计”行“金额”列" in sources["预算执行数"]
    assert "“人员经费合计”行" in sources["人员经费"]
    assert "公务接待费决算数" in sources["公务接待经费"]
    if name.startswith("software"):  # amounts in 元, said so
        assert "原表单位为元，已换算为万元" in sources["预算执行数"]
        assert "工作表“Z01" in sources["预算执行数"]
    if name.endswith(".pdf"):
        assert "第" in sources["预算执行数"] and "页" in sources["预算执行数"]


def test_the_software_export_gives_staff_counts_as_people(tmp_path, capsys):
    out = tmp_path / "导入.xlsx"
    assert main(["import", str(HERE / "software-export-2023.xlsx"), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    # F03's 编制人数 32 and 在职人员 30 as people, never "converted" from 元 like the amounts beside them
    assert "编制数 = 32 人" in text and "在职人数 = 30 人" in text and "32.00 万元" not in text
    assert "“编制人数”行“统计数”列" in text and "F03" in text
    written = _inputs(out)
    assert written["编制数"] == 32 and written["在职人数"] == 30 and isinstance(written["编制数"], int)
    # what F03 gave is not the clerk's remaining work; what no table gives still is
    remaining = text.split("还需手工填写：")[1].splitlines()[0]
    assert "编制数" not in remaining and "在职人数" not in remaining and "年初预算" not in remaining
    assert "全年预算" in remaining and "调整剔除数" in remaining


def test_a_staff_count_that_is_not_whole_is_not_imported(tmp_path, capsys):
    page = _page(tmp_path, "<p>机构运行信息表</p><table><tr><td>项目</td><td>行次</td><td>统计数</td></tr>"
                           "<tr><td>编制人数（人）</td><td>1</td><td>32.5</td></tr>"
                           "<tr><td>其中：在职人员</td><td>2</td><td>30</td></tr></table>")
    code, data = _import(capsys, str(page), "-o", str(tmp_path / "o.xlsx"))
    assert code == 1  # no 单位 line is needed for people, and a half person is refused
    assert {i["input"]: i["value"] for i in data["imported"]} == {"在职人数": "30"}
    assert any("“32.5”不是整数" in p["message"] for p in data["problems"])
    page = _page(tmp_path, "<p>机构运行信息表</p><table><tr><td>项目</td><td>统计数</td></tr>"
                           "<tr><td>编制人数</td><td>-3</td></tr></table>")
    code, data = _import(capsys, str(page), "-o", str(tmp_path / "o2.xlsx"))
    assert code == 1 and data["imported"] == []
    assert any("“-3”不能为负数" in p["message"] for p in data["problems"])


def test_a_real_published_final_accounts_pdf(tmp_path, capsys):
    code, data = _import(capsys, str(REAL), "-o", str(tmp_path / "out.xlsx"))
    assert code == 0
    got = {i["input"]: i["value"] for i in data["imported"]}
    assert {k: got.get(k) for k in REAL_EXPECTED} == REAL_EXPECTED
    assert len(data["tables"]) == 9 and data["tables"][0]["where"] == "第5页"
    # the printed 基本支出 105.58 against 人员经费 95.36 + 公用经费 10.23 = 105.59: rounding, named
    rounding = [p for p in data["problems"] if "105.59" in p["message"]]
    assert len(rounding) == 1 and rounding[0]["severity"] == "提示" and "四舍五入" in rounding[0]["message"]
    assert {"编制数", "在职人数", "全年预算", "公用经费预算", "采购预算", "调整剔除数"} <= set(data["remaining"])
    assert "预算执行数" not in data["remaining"]
    # page 2 heads the tables with "第二部分 中共上海市普陀区委社会工作部 2024 年度部门决算表"
    assert got["单位名称"] == "中共上海市普陀区委社会工作部" and got["评价年度"] == "2024"
    assert "单位名称" not in data["remaining"]


def test_the_final_accounts_own_arithmetic(tmp_path, capsys):
    code, data = _import(capsys, str(HERE / "hunan-2023-inconsistent.html"), "-o", str(tmp_path / "o.xlsx"))
    assert code == 0  # the 决算's disagreements are the department's to explain, not a failed import
    found = [(p["severity"], p["message"]) for p in data["problems"]]

    def one(*words: str) -> str:
        hits = [(s, m) for s, m in found if all(w in m for w in words)]
        assert len(hits) == 1, (words, found)
        return hits[0][0]

    assert one("支出决算表不平", "801.00", "380.00", "1181.00", "相差 0.50") == "不符"
    assert one("决算数不平", "11.60", "11.70", "相差 0.10") == "不符"
    assert one("支出方不平", "1236.01", "四舍五入") == "提示"
    assert one("102.00%", "101.00%") == "提示"
    assert one("30217", "3.50", "3.30") == "提示"


def test_the_clerks_typed_inputs_are_kept_unless_force(tmp_path, capsys):
    book = tmp_path / "评价.xlsx"
    assert main(["new", str(book)]) == 0
    pb = PackageBook(book)
    target = read_case(pb).inputs
    pb.put(target["预算执行数"].sheet, target["预算执行数"].cell, 1200.0)  # typed differently
    pb.put(target["结转结余"].sheet, target["结转结余"].cell, 54.5)  # typed the same
    pb.save(tmp_path / "typed.xlsx")
    typed = tmp_path / "typed.xlsx"
    before = typed.read_bytes()
    capsys.readouterr()

    code, data = _import(capsys, str(HERE / "hunan-2023.html"), "--into", str(typed))
    assert code == 0
    out = tmp_path / "typed_导入.xlsx"
    assert Path(data["output"]) == out and typed.read_bytes() == before  # the clerk's file untouched
    assert data["kept"] == [{"input": "预算执行数", "workbook": "1200", "final_accounts": "1181.50"}]
    assert "结转结余" in data["same"] and data["replaced"] == []
    assert _inputs(out)["预算执行数"] == 1200

    code, data = _import(capsys, str(HERE / "hunan-2023.html"), "--into", str(typed), "--force", "-o",
                         str(tmp_path / "forced.xlsx"))
    assert data["replaced"] == [{"input": "预算执行数", "old": "1200", "new": "1181.50"}]
    assert _inputs(tmp_path / "forced.xlsx")["预算执行数"] == 1181.5


def test_text_output_lists_sources_checks_and_remaining_work(tmp_path, capsys):
    assert main(["import", str(HERE / "hunan-2023-inconsistent.html"), "-o", str(tmp_path / "o.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "预算执行数 = 1181.50 万元（财务数据!" in out
    assert "← hunan-2023-inconsistent.html《表1：湖南省某某县自然资源局2023年度部门收支决算总表》第1个表格" in out
    assert "[不符]" in out and "决算中没有、还需手工填写：" in out and "编制数" in out
    assert "下一步：" in out


def test_the_imported_workbook_validates_with_only_the_inputs_left_to_type(tmp_path, capsys):
    out = tmp_path / "o.xlsx"
    assert main(["import", str(HERE / "hunan-2023.pdf"), "-o", str(out)]) == 0
    capsys.readouterr()
    main(["validate", str(out), "--json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    ids = {f["id"] for f in findings if f["severity"] == "错误"}
    assert ids == {"V101"}  # missing inputs only: no structure, formula or number finding
    missing = {f"{f['sheet']}!{f['cell']}" for f in findings if f["id"] == "V101"}
    names = read_case(PackageBook(out)).inputs
    assert names["预算执行数"].where not in missing and names["编制数"].where in missing


@pytest.mark.parametrize("text, kind", [
    ("附表9 湖南省某某县自然资源局2023年度一般公共预算财政拨款“三公”经费支出决算表", K.THREE),
    ("财政拨款 三公 经费支出决算表", K.THREE),
    ("财政拨款收入支出决算总表", K.GRANTS_TOTALS),
    ("部门收支决算总表", K.TOTALS),
    ("Z05 一般公共预算财政拨款基本支出决算表(财决05表)", K.BASIC),
    ("F01 预算支出相关信息表(财决附01表)", K.RELATED),
    ("F03 机构运行信息表(财决附03表)", K.STAFF),
    ("一般公共预算财政拨款基本支出决算明细表（续）", K.BASIC),
    ("六、一般公共预算财政拨款基本支出决算情况说明", None),
    ("注：本表反映部门本年度各项支出情况，详见支出决算表", None),
    ("上海市普陀区财政局 2024 年度部门决算表", None),
])
def test_a_table_is_known_by_its_title(text, kind):
    assert K.kind_of(text) == kind


@pytest.mark.parametrize("text", ["１６６０", "1_000", "约5", "5万", "1,2345.00", "1e3"])
def test_an_amount_is_read_one_way(text):
    with pytest.raises(NotAmount):
        amount(text)


def test_printed_amounts():
    assert amount("2,940.05") == Decimal("2940.05") and amount("0.00") == Decimal("0.00")
    assert amount("") is None and amount("-") is None and amount(60.99) == Decimal("60.99")


def _page(tmp_path, body: str) -> Path:
    path = tmp_path / "决算.html"
    path.write_text(f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>", encoding="utf-8")
    return path


def test_an_amount_that_is_not_a_number_is_not_imported(tmp_path, capsys):
    page = _page(tmp_path, "<p>收入支出决算总表</p><p>单位：万元</p><table><tr><td>项目</td><td>决算数</td></tr>"
                           "<tr><td>本年支出合计</td><td>约1,181.50</td></tr><tr><td>年末结转和结余</td><td>54.50</td>"
                           "</tr></table>")
    code, data = _import(capsys, str(page), "-o", str(tmp_path / "o.xlsx"))
    assert code == 1
    assert [i["input"] for i in data["imported"]] == ["结转结余"]
    assert any(p["severity"] == "错误" and "“约1,181.50”不是数字" in p["message"] for p in data["problems"])


def test_a_table_without_a_unit_is_not_guessed(tmp_path, capsys):
    page = _page(tmp_path, "<p>收入支出决算总表</p><table><tr><td>项目</td><td>决算数</td></tr>"
                           "<tr><td>本年支出合计</td><td>11,815,000.00</td></tr></table>")
    code, data = _import(capsys, str(page), "-o", str(tmp_path / "o.xlsx"))
    assert code == 1 and data["imported"] == []
    assert "没有注明金额单位" in data["problems"][0]["message"]


def _minimal_pdf(path: Path) -> None:
    """A valid one-page PDF with no text on it: what a scanner's image-only page is to a reader."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)


@pytest.mark.parametrize("make, words", [
    (lambda p: _minimal_pdf(p.with_suffix(".pdf")) or p.with_suffix(".pdf"), "没有文字层"),
    (lambda p: (p.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n garbage"), p.with_suffix(".pdf"))[1], "无法作为 PDF 读取"),
    (lambda p: (p.with_suffix(".docx").write_bytes(b"PK"), p.with_suffix(".docx"))[1], "格式无法导入"),
    (lambda p: (p.with_suffix(".html").write_text("<p>你好</p>", encoding="utf-8"), p.with_suffix(".html"))[1],
     "没有找到部门决算的表格"),
    (lambda p: p.with_suffix(".pdf"), "找不到文件"),
])
def test_a_bad_file_is_one_chinese_sentence_and_nothing_written(tmp_path, capsys, make, words):
    path = make(tmp_path / "决算")
    out = tmp_path / "o.xlsx"
    assert main(["import", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and "程序内部出错" not in err
    assert not out.exists()


def test_the_output_is_never_an_input(tmp_path, capsys):
    book = tmp_path / "评价.xlsx"
    assert main(["new", str(book)]) == 0
    before = book.read_bytes()
    assert main(["import", str(HERE / "hunan-2023.html"), "--into", str(book), "-o", str(book)]) == 2
    assert "原文件不会被改动" in capsys.readouterr().err and book.read_bytes() == before


def _notes(path: Path, sheet: str) -> dict[str, str]:
    import openpyxl  # an independent reader of what Excel shows on hover

    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}


def test_each_imported_cell_says_where_it_came_from_in_a_note(tmp_path, capsys):
    out = tmp_path / "o.xlsx"
    code, data = _import(capsys, str(HERE / "hunan-2023.html"), "-o", str(out))
    assert code == 0
    by_cell = {i["cell"]: i for i in data["imported"]}
    notes = {f"{sheet}!{ref}": text for sheet in ("财务数据", "基础信息") for ref, text in _notes(out, sheet).items()}
    assert set(notes) == set(by_cell)
    assert notes["基础信息!B3"] == ("preval 从决算导入：hunan-2023.html第1个表格的表名"
                                 "“表1：湖南省某某县自然资源局2023年度部门收支决算总表”")
    cell = next(c for c, i in by_cell.items() if i["input"] == "预算执行数")
    assert notes[cell] == ("preval 从决算导入：hunan-2023.html《表1：湖南省某某县自然资源局2023年度部门收支决算总表》"
                           "第1个表格第14行“本年支出合计”行“金额”列")


def test_a_sheet_with_notes_of_its_own_keeps_them_and_gets_none(tmp_path, capsys):
    import openpyxl
    from openpyxl.comments import Comment

    book = tmp_path / "评价.xlsx"
    assert main(["new", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    wb["财务数据"]["F3"].comment = Comment("科长：请核对", "张三")
    wb.save(book)
    capsys.readouterr()
    assert main(["import", str(HERE / "hunan-2023.html"), "--into", str(book)]) == 0
    assert "工作表财务数据已有批注，preval 未再添加来源批注" in capsys.readouterr().out
    out = tmp_path / "评价_导入.xlsx"
    assert _notes(out, "财务数据") == {"F3": "科长：请核对"}
    assert _inputs(out)["预算执行数"] == 1181.5


_BASIC_TABLE = ("<p>一般公共预算财政拨款基本支出决算表</p><p>单位：万元</p><table><tr><td>项目</td><td>决算数</td></tr>"
                "<tr><td>人员经费合计</td><td>95.36</td></tr><tr><td>公用经费合计</td><td>150.00</td></tr></table>")


@pytest.mark.parametrize("sentence, expected", [
    # real sentences (上海市普陀区规划和自然资源局 2024): 13.52 ÷ (142.80 + 13.52) = 8.65%; 0.39 ÷ 2.85 = 13.68%
    ("机关运行经费支出142.80万元，比2023年度减少13.52万元，下降8.65%。", None),
    ("三公经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%。", None),
    ("机关运行经费支出142.80万元，比2023年度减少13.52万元，下降9.65%。", "而 13.52÷上年 156.32（142.80+13.52）= 8.65%"),
    ("三公经费财政拨款支出年初预算为2.85万元，支出决算为0.39万元，完成预算的31.68%。", "而 0.39÷2.85 = 13.68%"),
    # 机关运行经费 is part of the 公用经费 of 基本支出: 150.01 > 150.00
    ("机关运行经费支出150.01万元。", "“机关运行经费” 150.01 万元大于公用经费合计 150.00 万元"),
    # a rise from nothing has no rate to check (the real 2024 text prints 100.00%)
    ("机关运行经费支出10.23万元，比2023年度增加10.23万元，增长100.00%。", None),
])
def test_the_narratives_percentages_and_parts_are_checked(tmp_path, capsys, sentence, expected):
    page = _page(tmp_path, _BASIC_TABLE + f"<p>{sentence}</p>")
    code, data = _import(capsys, str(page), "-o", str(tmp_path / "o.xlsx"))
    hints = [p["message"] for p in data["problems"] if p["severity"] == "提示"
             and "四舍五入" not in p["message"] and "人员经费" not in p["message"]]
    assert code == 0
    if expected is None:
        assert hints == []
    else:
        assert len(hints) == 1 and expected in hints[0], hints
