"""Write a file so that a user's file is never lost or half-written: into a temporary file
beside the target, checked, then moved over it; a file already there is kept as
``<name>.bak`` (it may be an earlier result the user has edited since)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from addin.errors import BadFile


def write_atomic(out: Path, write: Callable[[str], object], check: Callable[[str], None] | None = None,
                 backup: bool = True) -> Path:
    """``write(tmp)`` produces the file, ``check(tmp)`` may refuse it (by raising) before
    anything at ``out`` is touched. ``backup=False`` where a .bak would do harm (Excel opens
    every file in XLSTART)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".preval-", suffix=out.suffix, dir=out.parent)
        os.close(fd)
        try:
            write(tmp)
            if check is not None:
                check(tmp)
            # mkstemp makes the file private (0600); give it the mode a normal save would
            os.chmod(tmp, out.stat().st_mode & 0o777 if out.exists() else 0o644)
            if backup and out.exists():
                shutil.copy2(out, out.with_name(out.name + ".bak"))
            os.replace(tmp, out)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise BadFile(f"无法写入 {out}：{exc.strerror}", hint="关闭在 Excel 或 Word 中打开的同名文件，或换一个文件夹") from None
    return out
