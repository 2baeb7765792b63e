import json
import subprocess
import sys

from addin.cli import main


def test_demo_prints_the_table_and_writes_json(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    for text in ("投入小计", "11.04", "33.20", "19.50", "16.65", "80.39", "良", "预算调整率", "30.45%"):
        assert text in shown
    data = json.loads((tmp_path / "reference-case-shaoyang-2022.json").read_text(encoding="utf-8"))
    assert data["total"] == 80.39 and data["grade"] == "良"
    assert data["sections"] == {"投入": 11.04, "过程": 33.2, "产出": 19.5, "效果": 16.65}
    assert len(data["indicators"]) == 28
    adjust = data["indicators"][7]
    assert (adjust["no"], adjust["name"], adjust["rate"], adjust["score"]) == (8, "预算调整率", 0.3045, 0.0)
    assert set(data) >= {"unit", "year", "profile", "indicators", "sections", "total", "grade", "findings"}
    assert (tmp_path / "preval.xlam").read_bytes()[:2] == b"PK" and "preval.xlam" in shown


def test_demo_with_variant_profile(tmp_path, capsys):
    assert main(["demo", "--profile", "hunan-nianchu", "--out", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 81.39 and data["profile"] == "hunan-nianchu"


def test_unknown_profile_exits_2_with_chinese_message(tmp_path, capsys):
    assert main(["demo", "--profile", "nowhere", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "未找到评分档案" in err and "Traceback" not in err


def test_unknown_command_exits_2(capsys):
    assert main(["no-such-command"]) == 2


def test_score_path_does_not_import_xlwings_or_pandas():
    # design.md: the CLI must not pay xlwings' or pandas' import cost
    # (the demo also writes the report and the 定稿, which may import both: not the score path)
    code = ("import sys, pathlib; from addin.cli import main; from addin.case import write_case; "
            "from addin.books.openpyxl_book import OpenpyxlBook; from addin.workbook.build import build_workbook; "
            "from udfs import reference_case; wb = build_workbook(); "
            "write_case(OpenpyxlBook(wb), reference_case.RAW_INPUTS, reference_case.RAW_FINDINGS); "
            "p = pathlib.Path(sys.argv[1]) / 'a.xlsx'; wb.save(p); assert main(['score', str(p)]) == 0; "
            "print(sorted(m for m in ('xlwings', 'pandas') if m in sys.modules))")
    import tempfile

    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run([sys.executable, "-c", code, out], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_programming_error_is_one_chinese_sentence_and_a_logged_traceback(tmp_path, monkeypatch, capsys):
    # issue 13: the CLI printed only "程序内部出错（KeyError）" and logged nothing
    from tests.support.workbooks import reference_workbook
    from udfs import engine

    log = tmp_path / "logs" / "cli.log"
    monkeypatch.setenv("PREVAL_LOG", str(log))

    def bug(*_args, **_kwargs):
        return {}["no such key"]

    monkeypatch.setattr(engine, "score_indicator", bug)
    book = reference_workbook(tmp_path / "参考案例.xlsx")
    assert main(["score", str(book)]) == 3  # a bug has its own exit code: never the file's 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：程序内部出错（KeyError）") and str(log) in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    text = log.read_text(encoding="utf-8")
    assert "preval score" in text and "Traceback (most recent call last)" in text and "KeyError: 'no such key'" in text
    assert not (tmp_path / "参考案例_评分.xlsx").exists()


def test_a_gbk_console_gets_every_message_without_a_crash(tmp_path):
    # issue 15: a Chinese Windows console or a redirect in GBK cannot encode "−" (U+2212),
    # which the V201 message uses; the command ended in UnicodeEncodeError
    from tests.support.workbooks import reference_workbook

    assert "−".encode("gbk", errors="replace") == b"?"  # the premise
    book = reference_workbook(tmp_path / "错.xlsx", 全年预算=2100)  # 662.25 + 1498.37 − 0 ≠ 2100: V201
    env = {**__import__("os").environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run([sys.executable, "-m", "addin.cli", "validate", str(book)], capture_output=True, env=env)
    assert done.returncode == 1, done.stderr.decode("gbk", "replace")
    out = done.stdout.decode("gbk")
    assert "V201" in out and "追加 388.91 ? 追减" in out and b"Traceback" not in done.stderr
