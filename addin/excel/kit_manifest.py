"""The offline kit's manifest: the sha256 of every file of the kit, written when ``make
windows-kit`` builds it and checked by install.ps1 before it installs anything (and here, by
``check``). A kit copied over a network share or sent by e-mail may have lost a file, had one
changed, or had one added — a wheel of the same name, a ``udfs.py`` beside the scripts — and
the installer would run what it finds. The manifest is ``manifest.sha256`` at the kit's top, in
sha256sum's format ("<64 hex digits>  <path with />"), UTF-8 without BOM, sorted by path.

    python -m addin.excel.kit_manifest write out/preval-windows
    python -m addin.excel.kit_manifest check out/preval-windows
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

MANIFEST = "manifest.sha256"
IGNORED = ("Thumbs.db", "desktop.ini")  # what Explorer writes into a folder it shows: never the kit's (install.ps1 alike)
_LINE = re.compile(r"^([0-9a-f]{64})  (\S(?:.*\S)?)$")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _files(kit: Path) -> list[str]:
    names = (p.relative_to(kit).as_posix() for p in kit.rglob("*") if p.is_file() and p.name not in IGNORED)
    return sorted(name for name in names if name != MANIFEST)


def write(kit: Path) -> int:
    """Write the manifest of every file now in ``kit``; the number of files listed."""
    names = _files(kit)
    lines = [f"{_digest(kit / name)}  {name}\n" for name in names]
    (kit / MANIFEST).write_bytes("".join(lines).encode("utf-8"))
    return len(names)


def check(kit: Path) -> list[str]:
    """What differs from the manifest, one Chinese sentence each ([] = the kit as built)."""
    manifest = kit / MANIFEST
    if not manifest.is_file():
        return [f"安装包中没有清单文件 {MANIFEST}：无法确认安装包完整、未被改动。请重新获取完整的安装包。"]
    listed: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        m = _LINE.match(line)
        if m is None or ".." in m.group(2).split("/") or m.group(2).startswith("/"):
            return [f"清单文件 {MANIFEST} 第{number}行格式不对：安装包可能已损坏或被改动。请重新获取完整的安装包。"]
        listed[m.group(2)] = m.group(1)
    found = []
    present = set(_files(kit))
    for name, digest in listed.items():
        if name not in present:
            found.append(f"安装包缺少文件 {name}")
        elif _digest(kit / name) != digest:
            found.append(f"安装包中的文件 {name} 与清单不符（已被改动或损坏）")
    found += [f"安装包中多出清单以外的文件 {name}" for name in sorted(present - set(listed))]
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("write", "check"):
        print("用法：python -m addin.excel.kit_manifest write|check 安装包文件夹", file=sys.stderr)
        return 2
    kit = Path(argv[1])
    if argv[0] == "write":
        print(f"已写入 {kit / MANIFEST}：{write(kit)} 个文件的 sha256")
        return 0
    found = check(kit)
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print(f"安装包与清单一致：{len(_files(kit))} 个文件")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
