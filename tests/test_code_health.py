"""The rules that keep the code honest, run with the suite so CI enforces them (issue 13):
ruff (lint and import order, whole tree), import-linter (the layers in pyproject.toml: doors
above the pipeline above the engine, no cycles, no spreadsheet library in the engine) and
mypy (the Book protocol against its three implementations, tests/support/book_conformance.py, and
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
    assert "tests/support/book_conformance.py" not in done.stdout


def _imported(path: Path) -> set[str]:
    import ast

    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_no_test_module_imports_another_and_shared_helpers_live_in_support():
    # a helper two test files need goes to tests/support/; a test module imported elsewhere
    # runs its module-level set-up twice and ties one file's tests to another's internals
    helpers = {p.stem for p in (ROOT / "tests").glob("*.py") if not p.stem.startswith("test_")}
    assert helpers == {"conftest"}, f"move to tests/support/: {sorted(helpers - {'conftest'})}"
    wrong = {}
    for path in [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").glob("*.py")]:
        if "fixtures" in path.parts or "hostile" in path.parts:
            continue
        bad = {m for m in _imported(path) if m.split(".")[-1].startswith("test_") or m.split(".")[0] == "support"}
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}
