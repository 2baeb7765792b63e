"""Messages that send the user the right way (issue 31, "Messages"): every hint can be run as
printed and names a command that will work."""

from __future__ import annotations

import shutil

from addin.cli import main
from workbooks import reference_workbook


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
