"""The rules that keep the code honest, run with the suite so CI enforces them (issue 13):
ruff (lint and import order, whole tree), import-linter (the layers in pyproject.toml: doors
above the pipeline above the engine, no cycles, no spreadsheet library in the engine) and
mypy (the Book protocol against its three implementations, tests/book_conformance.py, and
every annotated interface). Each reports what it found, so a failure says what to fix."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_layers_hold():
    done = _run("import sys; from importlinter.cli import lint_imports_command; "
                "sys.argv = ['lint-imports', '--no-cache']; lint_imports_command()")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 kept, 0 broken" in done.stdout, done.stdout


def test_types_of_the_interfaces_hold():
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tests/book_conformance.py" not in done.stdout
