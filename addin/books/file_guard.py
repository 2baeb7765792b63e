"""What a file must be before openpyxl parses it: an .xlsx package of sane size with no
XML entity declarations. Everything refused here is refused with one Chinese message
(``BadFile``, exit 2) and without reading more than the zip directory and a few bytes.

Why before openpyxl: a zip bomb or a sheet of a million rows is only found out by
unpacking it, at the cost of minutes and gigabytes; a DOCTYPE with entities ("billion
laughs") is never in a file Excel writes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from addin.errors import BadFile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and an .xlsx saved with a password
# An evaluation workbook is well under 1 MB unpacked; a user's extra sheets and images may
# add some. Past these a file is refused rather than risked.
MAX_UNPACKED = 100 * 2**20
MAX_PART = 60 * 2**20
MAX_RATIO = 200  # unpacked/packed of one part: XML compresses ~10-20x, a bomb 1000x
MAX_PARTS = 5000
XML_HEAD = 4096  # a DOCTYPE can only come before the root element


def _ole_kind(path: Path) -> str:
    """What an OLE compound file holds, as a user knows it."""
    import olefile  # ~18 ms: only for the rare OLE file, not on every score

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return "encrypted"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
    except Exception:  # noqa: BLE001 - olefile raises several kinds on a damaged directory
        pass
    return "other"


def check_package(path: Path) -> None:
    """Refuse ``path`` (with a BadFile) unless it is an .xlsx package that is safe to parse."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise BadFile(f"无法读取 {path.name}：{exc.strerror}", hint="检查文件是否被其他程序占用或无权限") from None
    if head == OLE_MAGIC:
        kind = _ole_kind(path)
        if kind == "encrypted":
            raise BadFile(f"{path.name} 设置了打开密码（已加密），无法读取",
                          hint="在 Excel 中打开，文件→信息→保护工作簿→用密码进行加密，清空密码后保存，再试")
        if kind == "xls":
            raise BadFile(f"{path.name} 是旧版 Excel 97-2003 工作簿（.xls）",
                          hint="请在 Excel 中另存为“Excel 工作簿(*.xlsx)”后再试")
        raise BadFile(f"{path.name} 不是 Excel 工作簿（是其他 Office 文件）", hint="请选择由 preval new 生成的评价工作簿")
    if not zipfile.is_zipfile(path):
        raise BadFile(f"{path.name} 不是 Excel 工作簿（.xlsx）", hint="请选择由 preval new 生成的评价工作簿")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            _check_sizes(path, infos)
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with z.open(info) as part:
                        _check_xml_head(path, info.filename, part.read(XML_HEAD))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise BadFile(f"{path.name} 无法打开（压缩包已损坏）", hint="请在 Excel 中打开并另存为 .xlsx 后再试") from None


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    too_big = BadFile(f"{path.name} 解压后过大（超过 {MAX_UNPACKED // 2**20} MB），不像是评价工作簿，为安全起见未打开",
                      hint="删除工作簿中无关的大表格或图片后再试；若文件来历不明，请勿在 Excel 中打开")
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise too_big
    for info in infos:
        if info.file_size > MAX_PART:
            raise too_big
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BadFile(f"{path.name} 中的 {info.filename} 压缩比异常（疑似“压缩炸弹”），为安全起见未打开",
                          hint="若文件来历不明，请勿在 Excel 中打开；请向发送方索取原文件")


def _check_xml_head(path: Path, part: str, head: bytes) -> None:
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise BadFile(f"{path.name} 的 {part} 含有 XML 实体声明，Excel 生成的文件不会有，为安全起见未打开",
                      hint="文件可能被篡改；请向发送方索取原文件，或在 Excel 中另存为新的 .xlsx")
