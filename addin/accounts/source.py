"""What a reader returns for one file: its tables and its running text (for the standard
sentences), and the bounds every reader applies before it parses a file."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from addin.accounts.tables import Table
from addin.errors import BadFile

MAX_BYTES = 50 * 2**20  # a 30-page 决算 PDF is 0.3–4 MB; a saved web page well under 5 MB
MAX_PAGES = 300
MAX_TABLES = 500
MAX_ROWS = 5_000  # rows of one table (a 支出决算表 of every 科目 has a few hundred)


@dataclass
class Source:
    path: Path
    tables: list[Table] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, running text)

    @property
    def name(self) -> str:
        return self.path.name


def checked_file(path: Path) -> int:
    """The file's size, once it is known to be a regular, non-empty file within MAX_BYTES."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadFile(f"找不到文件 {path}", hint="检查文件名和文件夹") from None
    except OSError as exc:
        raise BadFile(f"无法读取 {path.name}：{exc.strerror}", hint="检查文件是否被其他程序占用或无权限") from None
    if not stat.S_ISREG(info.st_mode):
        raise BadFile(f"{path} 不是普通文件", hint="请指定保存在磁盘上的决算文件（PDF、网页、Excel）")
    if info.st_size == 0:
        raise BadFile(f"{path.name} 是空文件（0 字节）", hint="文件可能没有下载完整；请重新下载后再试")
    if info.st_size > MAX_BYTES:
        raise BadFile(f"{path.name} 超过 {MAX_BYTES // 2**20} MB，不像是部门决算公开文件，为安全起见未打开",
                      hint="请只选择部门决算的 PDF、网页或 Excel 文件")
    return info.st_size


def too_many(path: Path, what: str, limit: int, counter: str = "个") -> BadFile:
    return BadFile(f"{path.name} 的{what}超过 {limit:,} {counter}，不像是部门决算公开文件，为安全起见未读取",
                   hint="请只选择部门决算的 PDF、网页或 Excel 文件")
