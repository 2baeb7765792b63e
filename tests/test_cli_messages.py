"""Messages that send the user the right way (issue 31, "Messages"): every hint can be run as
printed and names a command that will work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from addin.cli import main
from tests.support.workbooks import reference_workbook


def test_preval_alone_is_a_usage_error(capsys):
    assert main([]) == 2  # the README's exit codes: 2 for a usage error
    assert "用法：preval" in capsys.readouterr().out


def test_batch_on_a_file_says_it_is_a_file(tmp_path, capsys):
    book = reference_workbook(tmp_path / "参考案例.xlsx")
    assert main(["batch", str(book)]) == 2
    err = capsys.readouterr().err
    assert "是文件，不是文件夹" in err and f"preval score {book}" in err


def test_after_validating_a_final_copy_the_hint_is_not_score(tmp_path, capsys):
    book = reference_workbook(tmp_path / "参考案例.xlsx")
    final = tmp_path / "定稿.xlsx"
    assert main(["finalize", str(book), "-o", str(final)]) == 0
    capsys.readouterr()
    assert main(["validate", str(final)]) == 0
    out = capsys.readouterr().out
    assert f"下一步：preval report {final}" in out and "preval score" not in out


def test_a_hint_for_a_name_starting_with_a_dash_runs_as_printed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(reference_workbook(tmp_path / "x.xlsx"), tmp_path / "-单位 甲.xlsx")
    assert main(["validate", "--", "-单位 甲.xlsx"]) == 0
    hint = capsys.readouterr().out.strip().splitlines()[-1]
    assert hint == '下一步：preval score "./-单位 甲.xlsx"'
    assert main(["validate", "./-单位 甲.xlsx"]) == 0  # the name as the hint prints it (unquoted by the shell)


def test_numbers_in_messages_are_written_as_the_workbook_shows_them(tmp_path, capsys):
    # 预算执行数 1500 of 全年预算 1000 is 超支 (V203): "1500", never "1.5E+3"
    book = reference_workbook(tmp_path / "超支.xlsx", 年初预算=1000, 追加预算=0, 上年结转=0, 其他收入=0, 全年预算=1000,
                              预算执行数=1500, 结转结余=0, 基本支出=500, 项目支出=1000)
    main(["validate", str(book)])
    line = next(line for line in capsys.readouterr().out.splitlines() if "V203" in line)
    assert "1500" in line and "E+" not in line


def test_a_truncated_workbook_is_called_truncated_not_another_kind_of_file(tmp_path, capsys):
    book = reference_workbook(tmp_path / "参考案例.xlsx")
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(book.read_bytes()[:20_000])  # the zip's directory, at its end, is gone
    assert main(["validate", str(cut)]) == 2
    err = capsys.readouterr().err
    assert "不完整" in err and "被截断" in err and "不是 Excel 工作簿" not in err


def test_an_opendocument_spreadsheet_renamed_xlsx_is_named_as_such(tmp_path, capsys):
    """The .ods is what LibreOffice 7.4 wrote from the 0.7 input fixture (committed)."""
    ods = Path(__file__).parent / "fixtures" / "reference-input-libreoffice-v0.7.ods"
    renamed = tmp_path / "表格.xlsx"
    shutil.copy(ods, renamed)
    for path in (renamed, ods):
        assert main(["validate", str(path)]) == 2
        err = capsys.readouterr().err
        assert "OpenDocument" in err and "另存为" in err and "截断" not in err and "缺少必需的部件" not in err


def test_a_changed_version_cell_is_one_finding_not_one_per_name(tmp_path, capsys):
    import openpyxl

    from addin.workbook import layout as L
    from addin.workbook import versions

    book = reference_workbook(tmp_path / "参考案例.xlsx")
    wb = openpyxl.load_workbook(book)
    wb[L.GUIDE][L.GUIDE_CELLS[L.VERSION_NAME]] = "0.5"  # a current workbook whose version cell says 0.5
    wb.save(book)
    assert main(["validate", str(book)]) == 1
    out = capsys.readouterr().out
    v501 = [line for line in out.splitlines() if "V501" in line]
    assert len(v501) == 1, v501
    assert "“模板版本”写的是 0.5" in v501[0] and f"{versions.CURRENT} 版模板的布局" in v501[0]
    assert f"{L.GUIDE}!{L.GUIDE_CELLS[L.VERSION_NAME]}" in v501[0]


def test_an_error_value_in_an_input_is_the_same_finding_in_validate_and_batch(tmp_path, capsys):
    """calamine shows #N/A as an empty cell: batch said 请填写预算执行数 while validate said V102."""
    from addin.books.workbook_xml import read_map
    from addin.workbook import layout as L
    from tests.support.package import rewrite, sub

    book = reference_workbook(tmp_path / "参考案例.xlsx")
    mapping = read_map(book)
    cell = mapping.names["预算执行数"].split("!")[1].replace("$", "")
    folder = tmp_path / "批量"
    folder.mkdir()
    na = rewrite(book, folder / "错误值.xlsx", {mapping.sheets[L.MONEY]: sub(
        rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', f'<c r="{cell}" t="e"><v>#N/A</v></c>')})
    assert main(["validate", str(na)]) == 1
    said = next(line for line in capsys.readouterr().out.splitlines() if "V102" in line)
    assert f"{L.MONEY}!{cell}" in said and "预算执行数应为不小于0的金额（万元）" in said and "#N/A" in said
    assert main(["batch", str(folder), "-o", str(tmp_path / "汇总.xlsx")]) == 2
    err = capsys.readouterr().err
    assert f"{L.MONEY}!{cell} 预算执行数应为不小于0的金额（万元）" in err and "请填写" not in err


# ---------------------------------------------------------------- faults end in a sentence (issue 31)

def test_a_rubric_workbook_with_a_far_cell_is_checked_at_once_and_the_far_cell_named(tmp_path, capsys):
    import time

    import openpyxl

    path = tmp_path / "远.xlsx"
    assert main(["profile", "new", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    wb["指标"]["AD1048576"] = "x"  # 57 s and MemoryError before: the reader walked every row
    wb.save(path)
    capsys.readouterr()
    started = time.monotonic()
    assert main(["profile", "check", str(path)]) == 1
    assert time.monotonic() - started < 10
    out = capsys.readouterr().out
    assert "第2000行之后还有内容（第1048576行）" in out and "程序内部出错" not in out


def test_a_macro_workbook_renamed_xlsx_is_never_written_as_xlsx(tmp_path, capsys):
    import zipfile

    from tests.support.workbooks import reference_workbook

    src = reference_workbook(tmp_path / "参考.xlsx")
    renamed = tmp_path / "宏.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(renamed, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a VBA project")
    capsys.readouterr()
    assert main(["score", str(renamed)]) == 2
    assert "含有宏（VBA 工程），却以 .xlsx 命名" in capsys.readouterr().err
    assert main(["validate", str(renamed), "-o", str(tmp_path / "校验.xlsx")]) == 2
    assert not (tmp_path / "宏_评分.xlsx").exists() and not (tmp_path / "校验.xlsx").exists()


@pytest.mark.parametrize("lock,who", [("~$参考.xlsx", "Excel 或 WPS"), (".~lock.参考.xlsx#", "LibreOffice")])
def test_in_place_on_a_workbook_open_elsewhere_is_refused_unless_forced(tmp_path, capsys, lock, who):
    from tests.support.workbooks import reference_workbook

    src = reference_workbook(tmp_path / "参考.xlsx")
    (tmp_path / lock).write_bytes(b"owner")
    before = src.read_bytes()
    capsys.readouterr()
    assert main(["score", str(src), "--in-place"]) == 2
    assert f"参考.xlsx 正在 {who} 中打开" in capsys.readouterr().err and src.read_bytes() == before
    assert main(["score", str(src), "--in-place", "--force"]) == 0


def test_a_file_name_too_long_for_the_file_system_is_a_sentence(tmp_path, capsys):
    from tests.support.workbooks import reference_workbook

    src = reference_workbook(tmp_path / "参考.xlsx")
    capsys.readouterr()
    too_long = tmp_path / ("长" * 90 + ".docx")  # 270 bytes in UTF-8: past the 255 of a name
    assert main(["report", str(src), "-o", str(too_long)]) == 2
    err = capsys.readouterr().err
    assert "文件名或路径过长" in err and "程序内部出错" not in err


def test_a_full_disk_leaves_no_truncated_backup_and_says_so(tmp_path, capsys, monkeypatch):
    import errno

    src = reference_workbook(tmp_path / "参考.xlsx")
    before = src.read_bytes()

    def full(source, target, *args, **kwargs):  # the disk fills up half way through the copy
        with open(target, "wb") as out:
            out.write(open(source, "rb").read()[:20480])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copy2", full)
    capsys.readouterr()
    assert main(["score", str(src), "--in-place"]) == 2
    assert "磁盘空间不足" in capsys.readouterr().err
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["参考.xlsx"]  # no .bak, no partial copy


def test_a_second_batch_on_the_same_output_stops_before_scoring_anything(tmp_path, capsys, monkeypatch):
    import fcntl
    import os

    from addin.batch import run as batch_run

    folder = tmp_path / "报送"
    folder.mkdir()
    reference_workbook(folder / "参考.xlsx")
    out = tmp_path / "汇总.xlsx"
    lock = tmp_path / f".preval-{out.name}.lock"  # what the first batch holds while it works
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def scored(*_args, **_kwargs):
        raise AssertionError("the files were scored although the output was taken")

    monkeypatch.setattr(batch_run, "run", scored)
    try:
        capsys.readouterr()
        assert main(["batch", str(folder), "-o", str(out)]) == 2
        assert "另一个 preval 正在写入 汇总.xlsx" in capsys.readouterr().err
    finally:
        os.close(fd)
    monkeypatch.undo()
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1"]) == 0 and out.exists()  # once it is free


def test_an_output_open_in_another_program_is_written_with_a_warning(tmp_path, capsys):
    src = reference_workbook(tmp_path / "参考.xlsx")
    (tmp_path / "~$参考_评分.xlsx").write_bytes(b"owner")  # Excel has the output of an earlier score open
    capsys.readouterr()
    assert main(["score", str(src)]) == 0
    err = capsys.readouterr().err
    assert "注意：参考_评分.xlsx 正在 Excel 或 WPS 中打开，该程序保存时会覆盖刚写入的内容" in err
    assert (tmp_path / "参考_评分.xlsx").exists()
