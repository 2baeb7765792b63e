"""A 定稿 proves who sealed it: an Ed25519 signature (``cryptography``) over what the 定稿
shows — the digest of every input, 扣分记录 row and computed cell (``addin.checks.final``) —
the rubric that scored it and when it was frozen.

The public digest alone (定稿校验) says whether the file changed since *someone* froze it:
any copy of preval recomputes it after an edit. The signature says who: only the holder of
the private key can make one that verifies under the evaluator's public key, which the
bureau keeps (``--trust 评价机构.pub``).

A seal is one text constant in the workbook-scoped name 定稿签名:
``preval-seal-1|signer|fingerprint|time|public key|signature`` (base64), the signed text being
``preval-seal-1`` with the signer, fingerprint, time, the content digest and the rubric's
digest, one per line.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from addin.errors import UsageError

SEAL_NAME = "定稿签名"
VERSION = "preval-seal-1"
UNSIGNED, VALID, BROKEN, UNTRUSTED = "未签名", "有效", "签名无效", "签名者不在信任列表中"


def _ed25519():
    from cryptography.hazmat.primitives.asymmetric import ed25519

    return ed25519


def _raw(public) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(raw_public: bytes) -> str:
    """The key's name that cannot be chosen: SHA-256 of its 32 bytes, the first 16 in hex."""
    digest = hashlib.sha256(raw_public).hexdigest()[:32]
    return "ed25519:" + ":".join(digest[i:i + 4] for i in range(0, 32, 4))


def new_key(name: str, folder: Path) -> tuple[Path, Path]:
    """名称.key (private, mode 0600) and 名称.pub in ``folder``; never over an existing file."""
    from cryptography.hazmat.primitives import serialization

    if not name or any(ch in name for ch in '\\/:*?"<>|') or name.strip() != name or name.startswith("."):
        raise UsageError(f"密钥名称“{name}”不能为空，不能含有 \\ / : * ? \" < > | 或首尾空格", hint="如：评价机构")
    folder.mkdir(parents=True, exist_ok=True)
    key_path, pub_path = folder / f"{name}.key", folder / f"{name}.pub"
    for path in (key_path, pub_path):
        if path.exists():
            raise UsageError(f"{path} 已存在，不会覆盖（密钥一旦覆盖，用它签过的定稿就无法再核验）",
                             hint="换一个名称，或用 -o 指定另一个文件夹")
    private = _ed25519().Ed25519PrivateKey.generate()
    secret = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(secret)
    with open(pub_path, "xb") as out:
        out.write(public)
    return key_path, pub_path


def load_private(path: Path):
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        raise UsageError(f"无法读取私钥 {path}", hint="用 preval key new 名称 生成的 名称.key") from None
    if not isinstance(key, _ed25519().Ed25519PrivateKey):
        raise UsageError(f"{path} 不是 preval 的签名私钥（Ed25519）", hint="用 preval key new 名称 生成")
    return key


def trusted_keys(paths: list[Path]) -> dict[str, str]:
    """Fingerprint -> the .pub file's name, of every key in the files or folders given."""
    from cryptography.hazmat.primitives import serialization

    out: dict[str, str] = {}
    files = [p for path in paths for p in (sorted(path.glob("*.pub")) if path.is_dir() else [path])]
    if not files:
        raise UsageError("--trust 没有给出任何公钥文件", hint="给出 名称.pub 文件，或存放它们的文件夹")
    for file in files:
        try:
            key = serialization.load_pem_public_key(file.read_bytes())
        except (OSError, ValueError, TypeError):
            raise UsageError(f"无法读取公钥 {file}", hint="用 preval key new 生成的 名称.pub") from None
        if not isinstance(key, _ed25519().Ed25519PublicKey):
            raise UsageError(f"{file} 不是 preval 的签名公钥（Ed25519）")
        out[fingerprint(_raw(key))] = file.stem
    return out


def _signed_text(signer: str, print_: str, when: str, content: str, rubric: str) -> bytes:
    return "\n".join((VERSION, signer, print_, when, content, rubric)).encode("utf-8")


def seal(key_path: Path, when: str, content: str, rubric: str) -> str:
    """The seal text of a 定稿 frozen at ``when`` whose content and rubric digests are given."""
    private = load_private(key_path)
    raw = _raw(private.public_key())
    signer, print_ = key_path.stem, fingerprint(raw)
    signature = private.sign(_signed_text(signer, print_, when, content, rubric))
    return "|".join((VERSION, signer, print_, when, base64.b64encode(raw).decode(), base64.b64encode(signature).decode()))


@dataclass(frozen=True)
class Verdict:
    status: str  # UNSIGNED, VALID, BROKEN or UNTRUSTED
    signer: str = ""
    fingerprint: str = ""
    when: str = ""
    trusted_as: str = ""  # the .pub file the key matched

    @property
    def ok(self) -> bool:
        return self.status == VALID


def verify(text: str | None, content: str, rubric: str, trusted: dict[str, str] | None = None) -> Verdict:
    """Whether ``text`` (the seal, or None) signs this content and rubric; with ``trusted``,
    also whether the key is one of them."""
    if not text:
        return Verdict(UNSIGNED)
    parts = text.split("|")
    if len(parts) != 6 or parts[0] != VERSION:
        return Verdict(BROKEN)
    _, signer, print_, when, raw_b64, sig_b64 = parts
    try:
        raw, signature = base64.b64decode(raw_b64, validate=True), base64.b64decode(sig_b64, validate=True)
        public = _ed25519().Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return Verdict(BROKEN, signer, print_, when)
    from cryptography.exceptions import InvalidSignature

    if fingerprint(raw) != print_:
        return Verdict(BROKEN, signer, print_, when)
    try:
        public.verify(signature, _signed_text(signer, print_, when, content, rubric))
    except InvalidSignature:
        return Verdict(BROKEN, signer, print_, when)
    if trusted is not None and print_ not in trusted:
        return Verdict(UNTRUSTED, signer, print_, when)
    return Verdict(VALID, signer, print_, when, (trusted or {}).get(print_, ""))
