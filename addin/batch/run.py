"""preval batch: score every workbook in a folder and consolidate into one 汇总 workbook
for the finance bureau. Reading is calamine's (``CalamineBook``); each file is scored in a
worker process; a file that cannot be scored is listed with its reason and the run goes
on. pandas builds the table; openpyxl writes the result once."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from addin.errors import PrevalError
from udfs.errors import EngineError
from udfs.log import CLI_LOG, log_exception

HEAD, TAIL = ("单位名称", "年度"), ("总分", "等级", "错误数", "提示数", "文件")  # the sections go between


@dataclass
class Outcome:
    """One file: a row of the table, or the reason it has none. ``sections`` and ``grades``
    are its profile's (the rubric names them, not this code)."""

    file: str
    row: dict | None = None
    reason: str = ""
    sections: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()


def columns(outcomes: list[Outcome]) -> tuple[str, ...]:
    """The table's columns: every section of the scored files' profiles, in rubric order."""
    sections = dict.fromkeys(s for o in outcomes if o.row is not None for s in o.sections)
    return (*HEAD, *sections, *TAIL)


def score_one(path: str) -> Outcome:
    """Never raises: a worker's failure is the file's reason, not the run's end."""
    from addin.books.calamine_book import CalamineBook
    from addin.scoring import assess

    name = Path(path).name
    try:
        result = assess(CalamineBook(path))
    except PrevalError as exc:
        return Outcome(name, reason=exc.message)
    except EngineError as exc:
        return Outcome(name, reason=str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a province's run
        log = log_exception(f"batch {name}", CLI_LOG)
        return Outcome(name, reason=f"程序内部出错（{type(exc).__name__}），详细信息已写入日志 {log}，请反馈给维护人员")
    errors = result.errors
    if result.evaluation is None:
        first = errors[0]
        return Outcome(name, reason=f"有{len(errors)}个错误，未计算：{first.where} {first.message}")
    ev = result.evaluation
    row = {"单位名称": ev.unit, "年度": ev.year, **{s: float(v) for s, v in ev.sections.items()},
           "总分": float(ev.total), "等级": ev.grade, "错误数": len(errors),
           "提示数": len(result.problems) - len(errors), "文件": name}
    return Outcome(name, row, sections=result.profile.sections, grades=result.profile.grade_names)


def workbook_files(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Every file in ``folder`` but Excel's lock files (~$…), hidden files and our output."""
    skip = exclude.resolve() if exclude is not None else None
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(("~$", ".")) and p.resolve() != skip)


def run(files: list[Path], workers: int = 2, progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    def results() -> Iterator[Outcome]:
        if workers <= 1 or len(files) < 2:
            yield from map(score_one, map(str, files))
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(score_one, map(str, files), chunksize=max(1, min(32, len(files) // (workers * 8))))

    out = []
    for outcome in results():
        out.append(outcome)
        if progress is not None:
            progress(outcome)
    return out


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
