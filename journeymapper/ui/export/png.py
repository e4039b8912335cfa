"""A PNG encoder for big flat-colour maps, several times faster than Qt's.

Qt's PNG writer (libpng, adaptive row filters, one zlib stream) took longer to encode a
300-touchpoint map at scale 2 than drawing it, whatever its compression setting (figures in
bench/bench_export_png.py). Maps are large areas of flat colour, so no row filter and zlib
level 1 compress them well. The rows are cut into bands deflated on every core at once (zlib
releases the GIL) and joined into one stream the way pigz does it: every band but the last ends
on a byte boundary (Z_SYNC_FLUSH) and is not final, so the concatenation is one valid deflate
stream.

Drawing the map in bands while earlier bands were encoded was tried and was slower: an arrow
crossing several bands is painted once per band, and long antialiased paths are most of the
drawing time.
"""

from __future__ import annotations

import os
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtGui import QImage

LEVEL = 1
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(data, zlib.crc32(kind)) & 0xFFFFFFFF)


def adler32_combine(adler1: int, adler2: int, len2: int) -> int:
    """zlib's adler32_combine: the checksum of A+B from those of A and B (and B's length)."""
    base = 65521
    rem = len2 % base
    sum1 = adler1 & 0xFFFF
    sum2 = (rem * sum1) % base
    sum1 += (adler2 & 0xFFFF) + base - 1
    sum2 += ((adler1 >> 16) & 0xFFFF) + ((adler2 >> 16) & 0xFFFF) + base - rem
    sum1 = sum1 - base if sum1 >= base else sum1
    sum1 = sum1 - base if sum1 >= base else sum1
    sum2 = sum2 - (base << 1) if sum2 >= (base << 1) else sum2
    sum2 = sum2 - base if sum2 >= base else sum2
    return sum1 | (sum2 << 16)


def _deflate_band(bits: memoryview, stride: int, width_bytes: int, top: int, stop: int,
                  last: bool) -> tuple[bytes, int, int]:
    """Rows ``top`` to ``stop``, each behind its filter byte 0 (None), deflated; with their
    adler32 and length. Fed to zlib a row at a time, straight from the image's memory."""
    c = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    parts = []
    adler = 1
    zero = b"\x00"
    for r in range(top, stop):
        row = bits[r * stride:r * stride + width_bytes]
        parts.append(c.compress(zero))
        parts.append(c.compress(row))
        adler = zlib.adler32(row, zlib.adler32(zero, adler))
    parts.append(c.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH))
    return b"".join(parts), adler, (stop - top) * (width_bytes + 1)


def encode_png(image: QImage) -> bytes:
    """The image as PNG bytes: RGB when it has no alpha channel, else RGBA (straight alpha),
    with its resolution (pHYs) when it has one."""
    alpha = image.hasAlphaChannel()
    w, h = image.width(), image.height()
    # PNG's byte order; straight (not premultiplied) alpha.
    pixels = image.convertToFormat(QImage.Format.Format_RGBA8888 if alpha
                                   else QImage.Format.Format_RGB888)
    bits = memoryview(pixels.constBits()).cast("B")
    stride, width_bytes = pixels.bytesPerLine(), w * (4 if alpha else 3)
    workers = max(1, min(os.cpu_count() or 1, 4))
    bands = max(1, min(h, 4 * workers))
    edges = [h * i // bands for i in range(bands + 1)]
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(
            lambda i: _deflate_band(bits, stride, width_bytes, edges[i], edges[i + 1],
                                    i == bands - 1), range(bands)))
    adler = 1
    for _, band_adler, length in parts:
        adler = adler32_combine(adler, band_adler, length)
    stream = b"\x78\x01" + b"".join(p for p, _, _ in parts) + struct.pack(">I", adler)
    out = [SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6 if alpha else 2,
                                                   0, 0, 0))]
    dpm = image.dotsPerMeterX()
    if dpm > 0:
        out.append(_chunk(b"pHYs", struct.pack(">IIB", dpm, image.dotsPerMeterY(), 1)))
    out += [_chunk(b"IDAT", stream), _chunk(b"IEND", b"")]
    return b"".join(out)
