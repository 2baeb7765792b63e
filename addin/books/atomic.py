"""Every file preval writes goes through ``write_atomic``, so that a user's file is never lost,
half-written or replaced by something else:

- the output is never one of the inputs (``report X.xlsx -o X.xlsx`` would have put a .docx
  where the workbook was; ``batch dir -o dir/dept0.xlsx`` a summary over a department);
- its extension says what it is (.xlsx for a workbook, .docx for a report);
- it is a regular file or does not exist yet: a device or a FIFO is refused, a symbolic link
  is written through (the file it points to is updated, the link stays), a read-only file is
  refused rather than replaced behind its owner's back;
- it is written to a temporary file beside the target, checked, then moved over it; a file
  already there is kept as ``<name>.bak`` — or ``.bak2``, ``.bak3`` … when that exists, so the
  first backup (the unscored original of an ``--in-place``) is never overwritten;
- one preval at a time writes a given file (a lock beside it), so concurrent ``--in-place``
  runs cannot leave a sibling's output in the backup;
- a new file gets the permissions the user's umask gives; a replaced one keeps its own;
- temporary files left by a killed run (older than ``STALE_SECONDS``) are removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from addin.errors import BadFile, UsageError

TEMP_PREFIX = ".preval-"
STALE_SECONDS = 600  # a run writes in seconds; a temporary file this old belongs to a killed one
WHAT = {".xlsx": "Excel 工作簿", ".docx": "Word 文档", ".xlam": "Excel 加载项"}


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def os_error(exc: OSError, path: Path) -> BadFile:
    """An operating system's refusal as one sentence that says what to do about it."""
    code = exc.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return BadFile(f"磁盘空间不足，无法写入 {path.name}（原文件未改动）", hint="清理磁盘或用 -o 写到另一个磁盘后再试")
    if code == errno.ENAMETOOLONG:
        return BadFile(f"文件名或路径过长，无法写入：{path.name[:40]}…", hint="用 -o 指定一个短一些的文件名，或移到层级较浅的文件夹")
    if code in (errno.EACCES, errno.EPERM):
        return BadFile(f"没有权限写入 {path}", hint="换一个有写入权限的文件夹，或关闭在 Excel 或 Word 中打开的同名文件")
    if code == errno.EROFS:
        return BadFile(f"{path.parent} 是只读的磁盘或文件夹，无法写入", hint="用 -o 写到另一个文件夹")
    return BadFile(f"无法写入 {path}：{exc.strerror or type(exc).__name__}", hint="关闭在 Excel 或 Word 中打开的同名文件，或换一个文件夹")


def open_elsewhere(path: Path) -> str:
    """Which application has ``path`` open, by the lock file it keeps beside it ("" when none):
    it will write its own copy over ours at its next save."""
    name = path.name
    for lock, who in ((f"~${name}", "Excel 或 WPS"), (f"~${name[2:]}", "Excel"), (f".~lock.{name}#", "LibreOffice")):
        with contextlib.suppress(OSError):
            if (path.parent / lock).exists() and len(lock) > 2 + len(path.suffix):
                return who
    return ""


def check_output(out: Path, inputs: Iterable[Path] = (), suffix: str = ".xlsx") -> Path:
    try:
        return _check_output(Path(out), inputs, suffix)
    except OSError as exc:
        raise os_error(exc, Path(out)) from None


def _check_output(out: Path, inputs: Iterable[Path] = (), suffix: str = ".xlsx") -> Path:
    """The file to write for ``out``: symbolic links followed; refused (with a message
    saying what to do) when it would replace an input, has another extension, or is no
    regular file or a read-only one."""
    out = Path(out)
    if out.suffix.lower() != suffix:
        raise UsageError(f"输出文件 {out.name} 的扩展名应为 {suffix}（写出的是{WHAT.get(suffix, suffix)}）",
                         hint=f"把 -o 的文件名改为以 {suffix} 结尾")
    for source in inputs:
        if _same(out, Path(source)) or out.resolve() == Path(source).resolve():
            raise UsageError(f"输出文件 {out} 就是输入文件 {Path(source).name}，不能覆盖",
                             hint="用 -o 指定另一个文件名或文件夹")
    target = out.resolve() if out.is_symlink() else out
    if target.exists():
        mode = target.stat().st_mode
        if not stat.S_ISREG(mode):
            raise UsageError(f"{out} 不是普通文件（是文件夹、设备或管道），不能写入", hint="用 -o 指定一个文件名")
        if not os.access(target, os.W_OK):
            raise BadFile(f"{out} 是只读文件，未覆盖", hint="去掉该文件的只读属性，或用 -o 指定另一个文件名")
    return target


def backup_name(target: Path) -> Path:
    first = target.with_name(target.name + ".bak")
    n = 2
    candidate = first
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.bak{n}")
        n += 1
    return candidate


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_HELD: set[Path] = set()  # outputs this process holds the lock of (``hold``)


@contextlib.contextmanager
def hold(out: Path) -> Iterator[None]:
    """Take ``out``'s lock before a long piece of work whose result goes there (batch): a
    second run with the same output is refused at once, not after scoring every file. The
    write at the end (``write_atomic``) finds the lock already held by this process."""
    target = check_output(Path(out), suffix=Path(out).suffix.lower() or ".xlsx")
    target.parent.mkdir(parents=True, exist_ok=True)
    key = target.resolve()
    with _locked(target):
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """One preval at a time writes ``target``; the operating system drops the lock of a
    killed process, so a lock file left behind never blocks the next run."""
    if target.resolve() in _HELD:
        yield
        return
    lock_path = target.with_name(f"{TEMP_PREFIX}{target.name}.lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt

            locker: Callable[[], None] = lambda: msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # noqa: E731
        else:
            import fcntl

            locker = lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # noqa: E731
        try:
            locker()
        except OSError:
            raise BadFile(f"另一个 preval 正在写入 {target.name}，本次未写入", hint="等它完成后再试") from None
        yield
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(lock_path)


def _clean_stale(folder: Path) -> None:
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(TEMP_PREFIX) and not entry.name.endswith(".lock"):
                with contextlib.suppress(OSError):
                    if now - entry.lstat().st_mtime > STALE_SECONDS:
                        entry.unlink()


def write_atomic(out: Path, write: Callable[[str], object], check: Callable[[str], None] | None = None,
                 backup: bool = True, inputs: Iterable[Path] = (), suffix: str | None = None) -> Path:
    """``write(tmp)`` produces the file, ``check(tmp)`` may refuse it (by raising) before
    anything at ``out`` is touched. ``backup=False`` where a .bak would do harm (Excel opens
    every file in XLSTART). ``inputs``: files the output must not replace. Returns ``out``."""
    out = Path(out)
    target = check_output(out, inputs, suffix or out.suffix.lower())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(target.parent)
        with _locked(target):
            fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
            os.close(fd)
            try:
                write(tmp)
                if check is not None:
                    check(tmp)
                # mkstemp makes the file private (0600); give it the mode a normal save would
                os.chmod(tmp, stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode())
                if backup and target.exists():
                    _copy_backup(target)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except OSError as exc:
        raise os_error(exc, out) from None
    return out


def _copy_backup(target: Path) -> None:
    """The file about to be replaced, kept under the first free .bak name (bytes and times);
    copied, not moved, so ``target`` exists at every moment. The copy is made under a
    temporary name and counts as the backup only once it is complete (a full disk leaves no
    truncated .bak behind)."""
    partial = target.with_name(f"{TEMP_PREFIX}{target.name}.bak-partial")
    try:
        shutil.copy2(target, partial)
        if partial.stat().st_size != target.stat().st_size:
            raise OSError(errno.EIO, "备份不完整")
        os.replace(partial, backup_name(target))
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
