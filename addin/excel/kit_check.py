"""Check that a folder of wheels installs preval offline on 64-bit Python 3.11 for Windows
(``make windows-kit`` runs it: ``python -m addin.excel.kit_check out/preval-windows/wheels``).

``pip download --platform win_amd64`` cannot be trusted for this: it evaluates environment
markers such as ``platform_system == "Windows"`` on this machine, so Windows-only
dependencies go missing and the clerk's ``pip install --no-index`` would fail on site.
Here every requirement is followed from preval with the markers of the target.
"""

from __future__ import annotations

import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

TARGET = {
    "sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64",
    "python_version": "3.11", "python_full_version": "3.11.9", "implementation_name": "cpython",
    "platform_python_implementation": "CPython", "platform_release": "10", "platform_version": "10.0",
    "implementation_version": "3.11.9", "extra": "",
}
_PLATFORMS = {"any", "win_amd64"}
_INTERPRETERS = {"py3", "py2.py3", "cp311", "py311", "py2"}
_ABIS = {"none", "cp311", "abi3"}


def _fits(tags) -> bool:
    return any(t.platform in _PLATFORMS and t.interpreter in _INTERPRETERS and t.abi in _ABIS for t in tags)


def problems(folder: Path, root: str = "preval") -> list[str]:
    wheels: dict[str, tuple] = {}
    for f in sorted(folder.glob("*.whl")):
        wheel, ver, _build, tags = parse_wheel_filename(f.name)
        wheels[wheel] = (ver, f, tags)
    found = []
    for _ver, f, tags in wheels.values():
        if not _fits(tags):
            found.append(f"{f.name}：不适用于 Windows 64 位 Python 3.11")
    seen: set[str] = set()
    queue: list[tuple[str, str | None]] = [(canonicalize_name(root), None)]
    while queue:
        name, wanted_by = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in wheels:
            found.append(f"缺少 {name}" + (f"（{wanted_by} 需要）" if wanted_by else ""))
            continue
        _ver, f, _tags = wheels[name]
        with zipfile.ZipFile(f) as z:
            meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
            headers = Parser().parsestr(z.read(meta).decode("utf-8"))
        for line in headers.get_all("Requires-Dist") or []:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate(TARGET):
                continue
            dep = canonicalize_name(req.name)
            if dep in wheels and not req.specifier.contains(wheels[dep][0], prereleases=True):
                found.append(f"{wheels[dep][1].name}：版本不满足 {name} 的要求 {req}")
            queue.append((dep, name))
    return found


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("out/preval-windows/wheels")
    found = problems(folder)
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print(f"离线安装包完整：{len(list(folder.glob('*.whl')))} 个 wheel，适用于 Windows 64 位 Python 3.11")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
