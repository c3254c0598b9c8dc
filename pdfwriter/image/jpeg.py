"""JPEG files embedded as they are (DCTDecode): only the headers are read.

The scan data is not decoded, but it must end in an EOI marker: a file cut
off inside its image data is refused rather than embedded as a corrupt
stream (bytes after the EOI, which some cameras and editors add, are kept).

The frame header (SOF0, SOF1 or SOF2) gives the size, precision and
components; an Adobe APP14 marker on a four-component image means inverted
CMYK (as Photoshop and Pillow write it), undone by a Decode array; ICC
profiles in APP2 markers are kept. The EXIF orientation tag is ignored: the
image is placed as it is stored, so a camera JPEG marked "rotated" shows
unrotated (rotate it with draw_image's `transform` if needed).
"""

from __future__ import annotations

import struct
from typing import Iterator

from ..errors import ImageError
from ..pdf.objects import Name
from .sources import Encoded, ImageInput

_SPACES = {1: "gray", 3: "rgb", 4: "cmyk"}
# Frame markers PDF's DCTDecode reads: baseline, extended sequential, progressive (Huffman coded).
_SUPPORTED_FRAMES = {0xC0, 0xC1, 0xC2}
# Other SOF markers: lossless, hierarchical or arithmetic-coded JPEG.
_OTHER_FRAMES = {0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# Markers without a length: TEM, RST0-7, SOI.
_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8}
_ICC_TAG = b"ICC_PROFILE\x00"


def read_jpeg(data: bytes, name: str = "JPEG data") -> ImageInput:
    """Read a JPEG file's headers into an ImageInput whose data is the whole file, unchanged."""
    frame = None
    adobe_transform = None
    jfif = False
    icc_chunks: dict[int, bytes] = {}
    for marker, payload in _segments(data, name):
        if marker in _SUPPORTED_FRAMES:
            frame = _frame(payload, name)
        elif marker in _OTHER_FRAMES:
            raise ImageError(
                f"{name} is a lossless, hierarchical or arithmetic-coded JPEG (marker 0x{marker:02X}), "
                "which PDF viewers cannot decode: save it as a baseline or progressive JPEG"
            )
        elif marker == 0xE0 and payload.startswith(b"JFIF\x00"):
            jfif = True
        elif marker == 0xEE and payload.startswith(b"Adobe") and len(payload) >= 12:
            adobe_transform = payload[11]
        elif marker == 0xE2 and payload.startswith(_ICC_TAG) and len(payload) > 14:
            icc_chunks[payload[12]] = payload[14:]
    if frame is None:
        raise ImageError(f"{name} has no JPEG frame header before its image data")
    precision, height, width, ids = frame
    if precision != 8:
        raise ImageError(f"{name} has {precision}-bit samples: PDF's DCTDecode reads only 8-bit JPEG")
    if height == 0 or width == 0:
        raise ImageError(f"{name} has a zero width or height in its frame header")
    space = _SPACES.get(len(ids))
    if space is None:
        raise ImageError(f"{name} has {len(ids)} colour components: only 1 (gray), 3 (RGB) or 4 (CMYK) work")
    entries: dict = {"Filter": Name("DCTDecode")}
    if space == "cmyk" and adobe_transform is not None:
        entries["Decode"] = [1, 0] * 4
    if space == "rgb" and adobe_transform is None and not jfif and bytes(ids) == b"RGB":
        # Components named R, G, B without JFIF or Adobe markers are RGB, not YCbCr.
        entries["DecodeParms"] = {"ColorTransform": 0}
    icc = b"".join(icc_chunks[k] for k in sorted(icc_chunks)) or None
    return ImageInput(width, height, space, icc_profile=icc, encoded=Encoded(data, 8, entries))


def _segments(data: bytes, name: str) -> Iterator[tuple[int, bytes]]:
    """Yield (marker, payload) for each header segment up to the first scan (SOS), which an EOI must follow.

    Scan data cannot contain FF D9 (a coded FF byte is written FF 00), so any
    FF D9 after the SOS marker is an EOI; the last one is looked for.
    """
    at = 2
    size = len(data)
    while at < size:
        if data[at] != 0xFF:
            raise ImageError(f"{name} is not a valid JPEG file (no marker at byte {at})")
        while at < size and data[at] == 0xFF:
            at += 1
        if at >= size:
            break
        marker = data[at]
        at += 1
        if marker in _STANDALONE:
            continue
        if marker == 0xD9:
            raise ImageError(f"{name} has no image data (its EOI marker comes before any scan)")
        if marker == 0xDA:
            if data.rfind(b"\xff\xd9") < at:
                raise ImageError(f"{name} is a truncated JPEG file (no EOI marker after its image data)")
            return
        if at + 2 > size:
            break
        (length,) = struct.unpack_from(">H", data, at)
        if length < 2 or at + length > size:
            break
        yield marker, data[at + 2 : at + length]
        at += length
    raise ImageError(f"{name} is a truncated or corrupt JPEG file (its headers end early)")


def _frame(payload: bytes, name: str) -> tuple[int, int, int, bytes]:
    """(precision, height, width, component ids) from a SOF segment."""
    if len(payload) < 6:
        raise ImageError(f"{name} has a truncated JPEG frame header")
    precision, height, width, count = struct.unpack_from(">BHHB", payload)
    if len(payload) < 6 + 3 * count:
        raise ImageError(f"{name} has a truncated JPEG frame header")
    return precision, height, width, bytes(payload[6 + 3 * i] for i in range(count))
