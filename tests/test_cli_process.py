"""The command line as a process (issue 19): what `preval score` and `preval validate` load,
and `preval --version`."""

import json
import platform
import subprocess
import sys
from importlib.metadata import version

from addin.cli import main
from workbooks import reference_workbook

HEAVY = ("pandas", "xlwings", "scipy", "formulas", "docx")  # batch, Excel, finalize, report only

PROBE = """
import json, sys
from addin.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(m for m in %r if m in sys.modules)}))
"""


def _loaded(*argv) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,), *argv], capture_output=True, text=True,
                          encoding="utf-8", check=False)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_score_and_validate_load_no_heavy_library(tmp_path):
    # each costs a clerk's click or shell run start-up time it does not need (pandas ~0.3 s,
    # formulas pulls scipy); numpy is openpyxl's own import whenever it is installed
    book = reference_workbook(tmp_path / "参考.xlsx")
    assert _loaded("validate", str(book)) == {"code": 0, "loaded": []}
    assert _loaded("score", str(book), "-o", str(tmp_path / "评分.xlsx")) == {"code": 0, "loaded": []}


def test_version_names_preval_xlwings_and_python(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"preval {version('preval')}（xlwings {version('xlwings')}，Python {platform.python_version()}）"
