"""Byte flips inside a workbook package, for the damage properties (issue 15): the commonest
real damage to a file is a few wrong bytes in its compressed data (a bad sector, a broken
transfer), which zlib meets as a broken deflate stream or zipfile as a CRC mismatch."""

from __future__ import annotations

import io
import zipfile


def compressed_spans(data: bytes) -> list[tuple[str, int, int]]:
    """(part, first byte, last byte + 1) of each part's compressed data in the package."""
    spans = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            if info.compress_size:
                spans.append((info.filename, start, start + info.compress_size))
    return spans


def flip(data: bytes, flips: list[tuple[int, float, int]]) -> bytes:
    """``flips``: (which part, where in its compressed data as a fraction, XOR mask 1-255)."""
    spans = compressed_spans(data)
    out = bytearray(data)
    for part, where, mask in flips:
        _name, start, end = spans[part % len(spans)]
        offset = start + min(int(where * (end - start)), end - start - 1)
        out[offset] ^= mask
    return bytes(out)
