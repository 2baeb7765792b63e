"""preval batch: score every workbook in a folder and consolidate into one 汇总 workbook
for the finance bureau. Reading is calamine's (``CalamineBook``); each file is scored in a
worker process; a file that cannot be scored is listed with its reason and the run goes
on. pandas builds the table; openpyxl writes the result once."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from addin.checks import problem
from addin.errors import PrevalError
from addin.workbook import layout as L
from udfs.log import CLI_LOG, log_exception

HEAD, TAIL = ("单位名称", "年度"), ("总分", "等级", "错误数", "提示数", "评分档案来源", "外部位置", "文件")  # the sections go between


def _code(inputs) -> str:
    """单位编码 as typed, without white space; "" where the workbook has none."""
    value = inputs["单位编码"] if inputs is not None else None
    return "".join(str(value).split()) if value not in (None, "") else ""


@dataclass
class Outcome:
    """One file: a row of the table, or the reason it has none. ``sections`` and ``grades``
    are its profile's (the rubric names them, not this code)."""

    file: str
    row: dict | None = None
    reason: str = ""
    sections: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    profile: str = ""  # the rubric's name and title: rankings never mix rubrics
    profile_title: str = ""
    mtime: float = 0.0  # the file's modification time: of two copies of a unit, the newer counts
    final: bool = False  # a 定稿
    signed: bool = False  # a 定稿 whose seal verifies under a trusted key (batch --trust)
    indicators: tuple[Lost, ...] = ()  # per indicator, for 指标失分分析
    code: str = ""  # 单位编码 (template 0.8, optional): who the unit is to the finance system


@dataclass(frozen=True)
class Lost:
    """One indicator of one unit: what it was worth, what it scored, why points were lost."""

    no: int
    level1: str
    level2: str
    name: str
    weight: float
    score: float
    reasons: tuple[str, ...] = ()
    deducted: float = 0.0  # by 扣分记录 rows; points lost beyond it were lost on the figures

    @property
    def causes(self) -> tuple[str, ...]:
        """Why points were lost: the 扣分 reasons, and the figures when they cost points too."""
        on_figures = self.weight - self.score - self.deducted > 0.005
        return (*self.reasons, DATA_SCORED) if on_figures else self.reasons


DATA_SCORED = "按填报数据计分未得满分"  # points lost with no 扣分记录 row: the rate or figure itself


def columns(outcomes: list[Outcome]) -> tuple[str, ...]:
    """The table's columns: every section of the scored files' profiles, in rubric order."""
    sections = dict.fromkeys(s for o in outcomes if o.row is not None for s in o.sections)
    return (*HEAD, *sections, *TAIL)


def score_one(path: str, trusted: dict[str, str] | None = None) -> Outcome:
    """Never raises: a worker's failure is the file's reason, not the run's end. With
    ``trusted`` only 定稿 signed by one of those keys are ranked."""
    from addin.books.package_book import PackageBook
    from addin.scoring import assess

    name = Path(path).name
    mtime = Path(path).stat().st_mtime if Path(path).exists() else 0.0
    try:
        # the reader validate uses: its findings (the formula checks V103 and V401 included)
        # and totals are validate's on every file, by construction (issue 24, one reading)
        result = assess(PackageBook(path), batch=True, trusted=trusted)
        if trusted is not None and result.final is None:
            result.problems.append(problem("V415", L.GUIDE, "", "定稿", "这不是定稿：给出 --trust 时只汇总评价机构签名的定稿",
                                           "签名的定稿", "工作底稿"))
    except PrevalError as exc:
        return Outcome(name, reason=exc.message)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a province's run
        log = log_exception(f"batch {name}", CLI_LOG)
        return Outcome(name, reason=f"程序内部出错（{type(exc).__name__}），详细信息已写入日志 {log}，请反馈给维护人员")
    errors = result.errors
    if result.evaluation is None or errors:
        first = errors[0]
        return Outcome(name, reason=f"有{len(errors)}个错误，未计算：{first.where} {first.message}")
    ev = result.evaluation
    row = {"单位名称": ev.unit, "年度": ev.year, **{s: float(v) for s, v in ev.sections.items()},
           "总分": float(ev.total), "等级": ev.grade, "错误数": len(errors),
           "提示数": len(result.problems) - len(errors), "评分档案来源": result.rubric_source,
           "外部位置": "；".join(p.found for p in result.problems if p.id == "V507"), "文件": name}
    lost = tuple(Lost(i.no, i.level1, i.level2, i.name, float(i.weight), float(i.score),
                      tuple(f.reason for f in i.findings if f.reason), float(sum(f.points for f in i.findings)))
                 for i in ev.indicators)
    return Outcome(name, row, sections=result.profile.sections, grades=result.profile.grade_names,
                   profile=result.profile.name, profile_title=result.profile.title, mtime=mtime,
                   final=result.final is not None, indicators=lost, code=_code(result.inputs),
                   signed=result.seal is not None and result.seal.ok and trusted is not None)


@dataclass
class Listing:
    """What a folder holds for a batch: the files to score, and what was left out and why."""

    files: list[Path]
    lock_files: int = 0  # Excel's ~$… while a workbook is open
    hidden: int = 0
    folders: int = 0  # subfolders not entered (without --recursive)


def workbook_files(folder: Path, exclude: Path | None = None, recursive: bool = False) -> Listing:
    """Every file in ``folder`` (and its subfolders with ``recursive``) but Excel's lock files
    (~$…), hidden files and our own output; what was skipped is counted, not hidden."""
    skip = exclude.resolve() if exclude is not None else None
    listing = Listing([])
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("~$"):
            listing.lock_files += 1
        elif entry.name.startswith("."):
            listing.hidden += 1
        elif entry.is_dir():
            if recursive:
                inner = workbook_files(entry, exclude, recursive)
                listing.files += inner.files
                listing.lock_files += inner.lock_files
                listing.hidden += inner.hidden
            else:
                listing.folders += 1
        elif entry.is_file() and entry.resolve() != skip:
            listing.files.append(entry)
    return listing


TIMEOUT = 120  # seconds for one workbook: ~10 ms is usual, a minute is a damaged file
MEMORY_LIMIT = 2 * 2**30  # address space of a worker: a runaway allocation fails inside it


PARENT_CHECK = 1.0  # seconds between a waiting worker's looks at its parent


def _next_job(conn, parent: int):
    """The next job, or None when told to stop or when the parent is gone. A forked worker
    cannot count on the end of its pipe: a worker started after it holds a copy of the
    parent's end, so after a SIGKILL of the parent ``recv()`` would wait for ever; its parent
    id changes instead (on Windows, spawned workers inherit no pipe, and EOF comes)."""
    while not conn.poll(PARENT_CHECK):
        if os.getppid() != parent:
            return None
    try:
        return conn.recv()
    except (EOFError, OSError):
        return None


def _worker(conn, parent: int) -> None:
    """One worker process: score the paths it is sent, one at a time, until told to stop."""
    import signal

    # Ctrl-C reaches the whole process group: the parent answers it in one Chinese line and
    # stops the workers; a worker's own KeyboardInterrupt would print an English traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(ImportError, ValueError, OSError):  # no resource module on Windows
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    while (job := _next_job(conn, parent)) is not None:
        path, trusted = job
        try:
            outcome = score_one(path, trusted)
        except MemoryError:
            outcome = Outcome(Path(path).name, reason="文件需要的内存超出限制，未能评分；请在 Excel 中检查并删除无关的大表格后再试")
        try:
            conn.send(outcome)
        except OSError:  # the parent is gone
            return


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    index: int = -1  # the file it works on
    started: float = 0.0


def run(files: list[Path], workers: int = 2, progress: Callable[[Outcome], None] | None = None,
        timeout: float = TIMEOUT, trusted: dict[str, str] | None = None) -> list[Outcome]:
    """Score ``files`` in ``workers`` processes; each file is its own failure domain: a worker
    that crashes (a reader's abort, the memory limit) or runs past ``timeout`` costs that one
    file, which is listed with the reason, and a fresh worker takes the next."""
    context = multiprocessing.get_context()
    outcomes: list[Outcome | None] = [None] * len(files)
    todo = list(range(len(files)))
    slots: list[_Slot] = []

    def start() -> _Slot:
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, os.getpid()), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def done(slot: _Slot, outcome: Outcome) -> None:
        outcomes[slot.index] = outcome
        slot.index = -1
        if progress is not None:
            progress(outcome)

    def failed(slot: _Slot, reason: str) -> None:
        slot.process.kill()
        slot.process.join()
        slot.conn.close()
        done(slot, Outcome(files[slot.index].name, reason=reason))
        slots[slots.index(slot)] = start()

    try:
        slots.extend(start() for _ in range(max(1, min(workers, len(files)))))
        while todo or any(s.index >= 0 for s in slots):
            for slot in slots:
                if slot.index < 0 and todo:
                    slot.index, slot.started = todo.pop(0), time.monotonic()
                    slot.conn.send((str(files[slot.index]), trusted))
            busy = [s for s in slots if s.index >= 0]
            ready = wait([s.conn for s in busy], timeout=1.0)
            for slot in (s for s in busy if s.conn in ready):
                try:
                    done(slot, slot.conn.recv())
                except (EOFError, OSError):  # the worker died mid-file
                    failed(slot, CRASHED)
            now = time.monotonic()
            for slot in list(slots):
                if slot.index >= 0 and now - slot.started > timeout:
                    failed(slot, f"处理时间超过 {int(timeout)} 秒，已停止；文件可能已损坏，请单独运行 preval validate 查看")
                elif slot.index >= 0 and not slot.process.is_alive() and not slot.conn.poll():
                    failed(slot, CRASHED)
    finally:
        for slot in slots:
            with contextlib.suppress(OSError, ValueError):
                slot.conn.send(None)
            slot.process.join(timeout=5)
            if slot.process.is_alive():
                slot.process.kill()
    return [o for o in outcomes if o is not None]


CRASHED = "处理此文件时读取程序异常退出（文件可能已损坏或结构异常），未能评分；其他文件照常汇总"


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
