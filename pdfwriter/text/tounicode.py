"""ToUnicode CMaps: the map from a font's codes to the text they show, for search, copy and extraction.

`to_unicode_cmap` writes bfrange entries for runs of consecutive codes whose
texts are consecutive single code points (kept inside one block of 256 codes,
with only the last byte of the UTF-16 value changing, as PDF 32000-1, 9.10.3
requires) and bfchar entries for the rest, each block holding at most 100
entries. Texts are UTF-16BE, so characters outside the BMP become surrogate
pairs and a ligature maps to all the characters it stands for.
"""

from __future__ import annotations

from ..errors import FontError

_BLOCK = 100

_HEADER = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
"""

_FOOTER = b"""endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _utf16(text: str) -> bytes:
    """UTF-16BE of a text (lone surrogates kept as they are)."""
    return text.encode("utf-16-be", "surrogatepass")


def _sections(kind: bytes, lines: list[bytes]) -> list[bytes]:
    """`lines` wrapped in begin/end sections of at most 100 entries each."""
    out = []
    for start in range(0, len(lines), _BLOCK):
        chunk = lines[start : start + _BLOCK]
        out.append(b"%d begin%s\n" % (len(chunk), kind))
        out.extend(chunk)
        out.append(b"end%s\n" % kind)
    return out


def to_unicode_cmap(mapping: dict[int, str], code_bytes: int = 2) -> bytes:
    """The body of a ToUnicode CMap stream mapping codes (1 or 2 bytes) to their texts."""
    if code_bytes not in (1, 2):
        raise FontError(f"ToUnicode codes are 1 or 2 bytes long, not {code_bytes}")
    limit = 1 << (8 * code_bytes)
    width = 2 * code_bytes
    entries = []
    for code, text in sorted(mapping.items()):
        if not 0 <= code < limit:
            raise FontError(f"code {code} does not fit in {code_bytes} byte(s)")
        if text:
            entries.append((code, _utf16(text), len(text) == 1))
    ranges: list[bytes] = []
    chars: list[bytes] = []
    i = 0
    while i < len(entries):
        code, dst, single = entries[i]
        j = i
        while single and j + 1 < len(entries):
            next_code, next_dst, next_single = entries[j + 1]
            if not (
                next_single
                and next_code == entries[j][0] + 1
                and next_code >> 8 == code >> 8
                and len(next_dst) == len(dst)
                and next_dst[:-1] == dst[:-1]
                and next_dst[-1] == entries[j][1][-1] + 1
            ):
                break
            j += 1
        if j > i:
            ranges.append(b"<%0*X> <%0*X> <%s>\n" % (width, code, width, entries[j][0], dst.hex().upper().encode()))
        else:
            chars.append(b"<%0*X> <%s>\n" % (width, code, dst.hex().upper().encode()))
        i = j + 1
    space = b"<%s> <%s>\nendcodespacerange\n" % (b"00" * code_bytes, b"FF" * code_bytes)
    return b"".join([_HEADER, space, *_sections(b"bfrange", ranges), *_sections(b"bfchar", chars), _FOOTER])
