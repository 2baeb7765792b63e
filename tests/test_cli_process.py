"""The command line as a process (issue 19): what `preval score` and `preval validate` load,
and `preval --version`."""

import json
import platform
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from addin.cli import main
from addin.workbook import versions
from tests.support.workbooks import reference_workbook

HEAVY = ("pandas", "xlwings", "scipy", "formulas", "docx", "numpy", "openpyxl")  # batch, Excel, finalize, report only
FIXTURES = Path(__file__).parent / "fixtures"

PROBE = """
import json, sys
from addin.cli import run
code = run()
print(json.dumps({"code": code, "loaded": sorted(m for m in %r if sys.modules.get(m) is not None)}))
"""


def _loaded(*argv) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,), *argv], capture_output=True, text=True,
                          encoding="utf-8", check=False)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("made_by", ["openpyxl", "excel", "libreoffice"])
def test_score_and_validate_load_no_heavy_library(made_by, tmp_path):
    # each costs a clerk's click or shell run start-up time it does not need (pandas ~0.3 s,
    # formulas pulls scipy); numpy, openpyxl's own import whenever it is installed, is kept out
    # by the process entry (~0.15 s), and the openpyxl package itself (~0.2 s): validate and
    # score read and write the XML themselves. Excel's shared formulas are moved by our own
    # translation (addin.workbook.shared_formula), not openpyxl's Translator.
    book = {"openpyxl": reference_workbook(tmp_path / "参考.xlsx"),
            "excel": FIXTURES / f"reference-excel-xlstart-v{versions.CURRENT}.xlsx",
            "libreoffice": FIXTURES / f"reference-input-libreoffice-v{versions.CURRENT}.xlsx"}[made_by]
    assert _loaded("validate", str(book)) == {"code": 0, "loaded": []}
    assert _loaded("score", str(book), "-o", str(tmp_path / "评分.xlsx")) == {"code": 0, "loaded": []}
    # the 定稿 writes the evaluation's values into the package (no recalculation, no openpyxl)
    assert _loaded("finalize", str(book), "-o", str(tmp_path / "定稿.xlsx")) == {"code": 0, "loaded": []}


def test_version_names_preval_xlwings_and_python(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"preval {version('preval')}（xlwings {version('xlwings')}，Python {platform.python_version()}）"


# the words our own help may carry: the product, the file kinds, the option names themselves
OURS = {"preval", "xlwings", "python", "excel", "word", "xlsx", "docx", "xlam", "json", "localappdata", "appdata",
        "xlstart", "env", "pythonw", "exe", "out", "profile", "bak", "wps", "libreoffice"}  # products, as Excel
# and the command names, which are what the user types
OURS |= {part for c in __import__("addin.cli").cli.cli.commands for part in c.name.split("-")}
OURS |= set(__import__("addin.cli").cli.cli.groups)  # preval profile …, preval key …


def _english(text: str) -> set[str]:
    import re

    text = re.sub(r"--?[\w-]+", " ", text)  # option names are what the user types
    text = re.sub(r"PREVAL_\w+|\S+\.(xlsx|docx|xlam|txt)", " ", text)
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in OURS}


def _process(*argv) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "addin.cli", *argv], capture_output=True, text=True,
                          encoding="utf-8", check=False)
    return done.returncode, done.stdout + done.stderr


def test_help_usage_errors_and_unknown_commands_speak_chinese():
    # issue 19: "Show this message and exit.", "[required]", "Error: Missing argument 'book'.",
    # "No such command 'scor'" came from the CLI framework
    code, text = _process("--help")
    assert code == 0 and text.startswith("用法：preval") and "显示本帮助并退出" in text and _english(text) == set()
    code, text = _process("score", "--help")
    assert code == 0 and "用法：preval score" in text and "工作簿" in text and _english(text) == set()
    code, text = _process("score")
    assert code == 2 and "缺少参数：工作簿" in text and _english(text) == set()
    code, text = _process("scor", "x.xlsx")
    assert code == 2 and "没有名为 scor 的命令，您是否要用 score？" in text and _english(text) == {"scor"}  # what was typed
    code, text = _process("score", "x.xlsx", "--colour")
    assert code == 2 and "无法识别的参数：--colour" in text and _english(text) == set()
    code, text = _process("profile")  # a group without its subcommand: the usage, and a usage error
    assert code == 2 and "用法：preval profile" in text and _english(text) == set()


def _commands(parser, prefix=()):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name)
                yield from _commands(sub, (*prefix, name))


def test_every_commands_help_exits_0_in_chinese(capsys):
    from addin.cli import DESCRIPTION, cli
    from addin.cli_parser import build

    commands = list(_commands(build(cli, DESCRIPTION)))
    assert {("score",), ("batch",), ("profile", "check"), ("key", "new")} <= set(commands)
    for command in commands:
        assert main([*command, "--help"]) == 0, command
        out = capsys.readouterr().out
        assert out.startswith(f"用法：preval {' '.join(command)}") and "显示本帮助并退出" in out, command


def test_new_copies_the_committed_standard_workbook(tmp_path, monkeypatch, capsys):
    # issue 19: the standard workbook is the same for every user of the default rubric (and
    # tests/test_workbook_template.py keeps it equal to a fresh build): copied, not built
    from xlsx_templates.build import COMMITTED

    monkeypatch.setenv("PREVAL_PROFILES", str(tmp_path / "无默认"))
    out = tmp_path / "新.xlsx"
    assert main(["new", str(out)]) == 0
    assert out.read_bytes() == COMMITTED.read_bytes()
    assert "未设默认评分档案，用内置的 shaoyang-2022" in capsys.readouterr().out
    other = tmp_path / "变体.xlsx"
    assert main(["new", str(other), "--profile", "hunan-nianchu"]) == 0  # another rubric: built
    assert other.read_bytes() != COMMITTED.read_bytes()


# ---------------------------------------------------------------- batch's workers (issue 31, "Faults")

def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended


def _batch_running(tmp_path, files: int = 120):
    import shutil
    import time

    folder = tmp_path / "报送"
    folder.mkdir()
    book = reference_workbook(tmp_path / "参考案例.xlsx")
    for n in range(files):
        shutil.copy(book, folder / f"单位{n:03d}.xlsx")
    proc = subprocess.Popen([sys.executable, "-m", "addin.cli", "batch", str(folder), "-o", str(tmp_path / "汇总.xlsx"),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)  # its own process group: a Ctrl-C reaches it and its workers only
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(proc.pid)
    assert len(workers) == 2, "the batch never started its two workers"
    time.sleep(0.5)  # scoring, not starting
    return proc, workers


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads the process table from /proc (Linux)")
def test_a_killed_batch_leaves_no_worker_behind(tmp_path):
    """SIGKILL of `preval batch` left both workers alive with parent 1 for ever: each held a copy
    of the other's pipe end, so recv() never ended."""
    import os
    import signal
    import time

    proc, workers = _batch_running(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 15  # a worker finishes the file it has (~30 ms), then sees its parent gone
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers still running after their parent was killed: {left}"


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads the process table from /proc (Linux)")
def test_ctrl_c_during_a_batch_is_one_chinese_line(tmp_path):
    """Ctrl-C reaches the whole process group: the workers printed two English KeyboardInterrupt
    tracebacks before "已取消。"."""
    import os
    import signal

    proc, workers = _batch_running(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    _, err = proc.communicate(timeout=30)
    err = err.decode("utf-8")
    assert proc.returncode == 2
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().splitlines()[-1] == "已取消。"
    assert not any(_alive(w) for w in workers)
    assert not (tmp_path / "汇总.xlsx").exists()  # nothing half-written


def test_a_broken_pipe_is_quiet(tmp_path):
    """`preval validate x | head -1`: the reader has what it wanted; no BrokenPipeError traceback."""
    book = reference_workbook(tmp_path / "参考案例.xlsx")
    proc = subprocess.Popen([sys.executable, "-m", "addin.cli", "validate", str(book)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=60)
    assert proc.returncode == 0
    assert err == "", err
