"""The offline kit's own interpreter (issue 27, item 8): the embeddable CPython's program files
are trusted by their Authenticode signatures, checked here without Windows on real signed
binaries (tests/fixtures/signed), and the installer uses that interpreter unless -Python names
another. What only Windows shows (the copy runs, pywin32 loads, xlwings finds its DLL) is in
docs/addin.md's checklist."""

from __future__ import annotations

import io
import struct
import tarfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import cms, tsp

from addin.excel import authenticode as A
from addin.excel import embedded_python as E

ROOT = Path(__file__).parent.parent
SIGNED = Path(__file__).parent / "fixtures" / "signed"


def _copy(tmp_path: Path, name: str, change=None) -> Path:
    data = bytearray((SIGNED / name).read_bytes())
    if change:
        change(data)
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


def _security(data: bytes) -> tuple[int, int, int]:
    """(offset of the certificate-table entry, the table's offset, its size) of a PE32+."""
    entry = struct.unpack_from("<I", data, 0x3C)[0] + 24 + 112 + 4 * 8
    return (entry, *struct.unpack_from("<II", data, entry))


def test_the_psf_and_microsoft_signatures_of_the_embeddable_python_verify():
    assert A.verify(SIGNED / "python.exe") == "Python Software Foundation"
    assert A.verify(SIGNED / "vcruntime140_1.dll", A.MICROSOFT) == "Microsoft Corporation"
    assert E.signer_of("vcruntime140_1.dll") == A.MICROSOFT and E.signer_of("python311.dll") == A.PSF


def test_a_changed_byte_anywhere_is_refused(tmp_path):
    def in_code(data):  # the program itself: the PE digest no longer matches the signed one
        data[5000] ^= 1

    with pytest.raises(A.NotSigned, match="文件内容与数字签名不符"):
        A.verify(_copy(tmp_path, "python.exe", in_code))

    signer = _signer_info((SIGNED / "python.exe").read_bytes())
    digest = next(a["values"][0].native for a in signer["signed_attrs"] if a["type"].native == "message_digest")
    for octets, message in ((signer["signature"].native, "数字签名无效"), (digest, "数字签名的内容已被改动")):
        def flip(data, octets=octets):
            at = bytes(data).index(octets) + len(octets) // 2
            data[at] ^= 1

        with pytest.raises(A.NotSigned, match=message):
            A.verify(_copy(tmp_path, "python.exe", flip))


def _signed_data(data: bytes):
    _, table, _ = _security(data)
    length = struct.unpack_from("<I", data, table)[0]
    return cms.ContentInfo.load(data[table + 8:table + length])["content"]


def _signer_info(data: bytes):
    return _signed_data(data)["signer_infos"][0]


def test_the_wrong_signer_an_unpinned_chain_and_no_signature_are_refused(tmp_path, monkeypatch):
    with pytest.raises(A.NotSigned, match="签名者是“Microsoft Corporation”，不是 Python Software Foundation"):
        A.verify(SIGNED / "vcruntime140_1.dll")
    monkeypatch.setitem(A.TRUSTED, A.PSF, ("00" * 32, "另一个根证书"))
    with pytest.raises(A.NotSigned, match="不是由受信任的 另一个根证书 签发的"):
        A.verify(SIGNED / "python.exe")
    monkeypatch.undo()

    def unsigned(data):
        entry, _, _ = _security(bytes(data))
        data[entry:entry + 8] = bytes(8)

    with pytest.raises(A.NotSigned, match="没有数字签名"):
        A.verify(_copy(tmp_path, "python.exe", unsigned))
    (tmp_path / "x.exe").write_bytes(b"#!/bin/sh\necho not a program\n" * 4)
    with pytest.raises(A.NotSigned, match="不是 Windows 程序文件"):
        A.verify(tmp_path / "x.exe")


def _sdist(files: dict[str, bytes]) -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    outer = io.BytesIO()
    with tarfile.open(fileobj=outer, mode="w:gz") as tar:
        info = tarfile.TarInfo(E.DATA)
        info.size = len(inner.getvalue())
        tar.addfile(info, io.BytesIO(inner.getvalue()))
    return outer.getvalue()


def test_the_distribution_is_taken_only_as_pinned_and_never_outside_its_folder(tmp_path, monkeypatch):
    good = _sdist({"cp311/python.exe": b"MZ", "cp311/pythonw.exe": b"MZ", "cp311/python311.dll": b"MZ",
                   "cp311/python311._pth": b"python311.zip\r\n.\r\n", "cp310/python.exe": b"other"})
    with pytest.raises(E.KitError, match="与固定的 sha256 不符"):
        E.extract(good, tmp_path / "a")  # not the pinned file
    monkeypatch.setattr(E, "SDIST_SHA256", E._sha256(good))
    assert E.extract(good, tmp_path / "a") == ["python.exe", "python311._pth", "python311.dll", "pythonw.exe"]
    evil = _sdist({"cp311/python.exe": b"MZ", "cp311/../../outside.txt": b"x"})
    monkeypatch.setattr(E, "SDIST_SHA256", E._sha256(evil))
    with pytest.raises(E.KitError, match="不合规"):
        E.extract(evil, tmp_path / "b")
    assert not (tmp_path / "outside.txt").exists()


def test_site_packages_is_enabled_and_xlwings_dll_sits_beside_pythonw(tmp_path):
    folder = tmp_path / "python"
    site = folder / "Lib" / "site-packages"
    (site / "bin").mkdir(parents=True)
    (site / "xlwings64-0.37.8.dll").write_bytes(b"MZ")
    (folder / E.PTH).write_text("python311.zip\r\n.\r\n\r\n# Uncomment to run site.main() automatically\r\n#import site\r\n")
    E.enable_site(folder)
    assert (folder / E.PTH).read_bytes().split(b"\r\n")[:4] == [b"python311.zip", b".", b"Lib\\site-packages", b""]
    assert b"\r\nimport site\r\n" in (folder / E.PTH).read_bytes()
    assert E.place_xlwings_dll(folder) == ["xlwings64-0.37.8.dll"]
    assert (folder / "xlwings64-0.37.8.dll").is_file() and not (site / "bin").exists()
    found = E.check(folder)  # what a real build has and this stand-in lacks, each named
    assert "缺少 python.exe" in found and "site-packages 中缺少 win32" in found


def test_the_installer_uses_the_kits_python_unless_told_otherwise():
    ps1 = (ROOT / "addin" / "excel" / "windows" / "install.ps1").read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    assert '$Embedded = (-not $Python) -and (Test-Path -LiteralPath (Join-Path $KitPython "pythonw.exe"))' in ps1
    assert '$KitPython = Join-Path $PSScriptRoot "python"' in ps1 and '$EmbeddedDir = Join-Path $Root "python"' in ps1
    route = ps1[ps1.index("if ($Embedded) {\n    Invoke-Step"):]
    # a copy (the first install creates the preval folder), no venv, no pip; then the same checks
    assert route.index("New-Item -ItemType Directory -Force -Path $Root") < route.index(
        "Copy-Item -LiteralPath $KitPython -Destination $EmbeddedDir -Recurse")
    assert 'Invoke-Step "检查 Excel 函数和功能区代码能否载入" { & $RunPython -c "import udfs.functions, addin.ribbon, win32api" }' in ps1
    assert "& $RunPython -m addin.cli install-addin --interpreter $RunPythonw" in ps1
    # the old folder of either route goes before the copy; a server left running from either is stopped
    assert ps1.index("foreach ($old in @($EnvDir, $EmbeddedDir))") < ps1.index("Copy-Item -LiteralPath $KitPython")
    assert "$_.ExecutablePath.StartsWith($EmbeddedDir" in ps1
    # the kit is checked first, the installed Python looked for only with -Python (or no kit Python)
    assert ps1.index("\nTest-Kit $PSScriptRoot\n") < ps1.index("$Embedded = ") < ps1.index("$BasePython = Find-Python")


def test_make_windows_kit_puts_the_interpreter_in_before_the_manifest():
    recipe = (ROOT / "Makefile").read_text().split("windows-kit:", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip() for line in recipe.splitlines() if line.startswith("\t")]
    assert steps.index("$(PY) -m addin.excel.embedded_python $(KIT)") < steps.index(
        "$(PY) -m addin.excel.kit_manifest write $(KIT)")


# ------------------------------------------------------------------ the timestamp (RFC 3161)

def _token(data: bytes):
    signer = _signer_info(data)
    return next(a for a in signer["unsigned_attrs"] if a["type"].dotted == A.RFC3161_TOKEN)["values"][0]["content"]


def test_a_signature_outlives_its_certificate_by_its_timestamp_not_otherwise():
    data = (SIGNED / "python.exe").read_bytes()
    certificates = A._certificates(_signed_data(data))
    psf = next(c for c in certificates if "Python Software Foundation" in c.subject.rfc4514_string())
    # the PSF certificate (2022-01-17 to 2025-01-15) has expired; the file was timestamped while it was valid
    assert psf.not_valid_after_utc < datetime.now(UTC)
    assert A.verify(SIGNED / "python.exe") == A.PSF
    signer = _signer_info(data)
    assert A._signing_time(signer, certificates, A.PSF) == datetime(2024, 4, 2, 12, 32, 8, tzinfo=UTC)
    # the same chain at a time after the certificate expired, or before it was issued, is refused
    for when in (datetime(2025, 1, 16, tzinfo=UTC), datetime(2021, 12, 31, tzinfo=UTC)):
        with pytest.raises(A.NotSigned, match=r"签名时（\d{4}-\d\d-\d\d）证书“Python Software Foundation”不在有效期内"
                                              r"（2022-01-17至2025-01-15）"):
            A._valid_at([psf], when, "数字")


def test_a_changed_removed_or_unpinned_timestamp_is_refused(tmp_path, monkeypatch):
    data = (SIGNED / "python.exe").read_bytes()
    token = _token(data)
    info = token["encap_content_info"]["content"].contents
    stamp = token["signer_infos"][0]["signature"].native
    imprint = tsp.TSTInfo.load(info)["message_imprint"]["hashed_message"].native
    # the timestamp's own content, its signature, what it stamps; unsigned attributes are
    # outside the file's signature, so only the timestamp's checks can find these
    for octets, message in ((info[-40:], "时间戳的内容已被改动"), (stamp, "时间戳无效"), (imprint, "时间戳不属于这个数字签名")):
        def flip(data, octets=octets):
            at = bytes(data).index(octets) + len(octets) // 2
            data[at] ^= 1

        with pytest.raises(A.NotSigned, match=message):
            A.verify(_copy(tmp_path, "python.exe", flip))

    def renamed(data):  # the token's attribute under another type: no timestamp
        oid = bytes.fromhex("060a2b0601040182370303 01".replace(" ", ""))
        at = bytes(data).index(oid)
        data[at + len(oid) - 1] ^= 0x02

    with pytest.raises(A.NotSigned, match="数字签名没有时间戳"):
        A.verify(_copy(tmp_path, "python.exe", renamed))
    monkeypatch.setitem(A.TIMESTAMPS, A.PSF, ("00" * 32, "另一个时间戳机构"))
    with pytest.raises(A.NotSigned, match="时间戳机构的证书不是由受信任的 另一个时间戳机构 签发的"):
        A.verify(SIGNED / "python.exe")
    monkeypatch.setitem(A.TIMESTAMPS, A.MICROSOFT, ("00" * 32, "另一个时间戳机构"))
    with pytest.raises(A.NotSigned, match="另一个时间戳机构"):
        A.verify(SIGNED / "vcruntime140_1.dll", A.MICROSOFT)
