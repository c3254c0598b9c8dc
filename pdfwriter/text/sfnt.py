"""Subsets of TrueType (glyf) fonts cut straight from the font file's bytes.

A PDF renderer reads only the outlines and their metrics from an embedded
CIDFontType2 program, so a subset needs only glyf, loca, head, hhea, hmtx and
maxp (and, to be drawn as the font's hinting intends, fpgm, prep, cvt and
gasp with each glyph's instructions). Those tables are simple enough to cut
directly: the glyphs kept (with the components of composite glyphs) are
renumbered in their original order, their bytes copied, component indexes
rewritten, and instructions dropped unless hinting is kept. This takes a
few milliseconds where parsing the whole glyf table with fontTools takes
tens, and writes the same outlines.
"""

from __future__ import annotations

import struct
from typing import Iterable

from ..errors import FontError

#: Tables of the subset, and the hinting tables kept with `hinting=True`.
OUTLINE_TABLES = (b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp")
HINTING_TABLES = (b"cvt ", b"fpgm", b"gasp", b"prep")

# Composite glyph component flags (OpenType 'glyf').
_ARG_WORDS, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO, _INSTRUCTIONS = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080, 0x0100


class SfntError(FontError):
    """The font's tables are not laid out as the OpenType specification says."""


def table_directory(data: bytes, index: int = 0) -> dict[bytes, tuple[int, int]]:
    """Tag -> (offset, length) of the tables of a font file (member `index` of a collection)."""
    start = 0
    if data[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", data, 8)
        if not 0 <= index < count:
            raise SfntError(f"the collection has {count} fonts, no font {index}")
        (start,) = struct.unpack_from(">I", data, 12 + 4 * index)
    (num_tables,) = struct.unpack_from(">H", data, start + 4)
    tables = {}
    for i in range(num_tables):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * i)
        if offset + length > len(data):
            raise SfntError(f"table {tag.decode('latin-1')!r} runs past the end of the file")
        tables[tag] = (offset, length)
    return tables


def glyph_top(data: bytes, index: int, gid: int) -> int | None:
    """The top (yMax, font units) of a glyph from its glyf header, None if it has no outline."""
    tables = table_directory(data, index)
    if any(tag not in tables for tag in (b"glyf", b"head", b"loca", b"maxp")):
        raise SfntError("no glyf, head, loca or maxp table")
    head_at, loca_at, glyf_at = tables[b"head"][0], tables[b"loca"][0], tables[b"glyf"][0]
    (num_glyphs,) = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)
    if not 0 <= gid < num_glyphs:
        return None
    if struct.unpack_from(">h", data, head_at + 50)[0]:
        start, end = struct.unpack_from(">II", data, loca_at + 4 * gid)
    else:
        start, end = (2 * v for v in struct.unpack_from(">HH", data, loca_at + 2 * gid))
    if end - start < 10 or glyf_at + end > len(data):
        return None
    return struct.unpack_from(">h", data, glyf_at + start + 8)[0]


def _components(glyph: bytes) -> list[tuple[int, int]]:
    """(offset of the glyph index, flags) of each component of a composite glyph."""
    out = []
    pos = 10
    while True:
        flags, _ = struct.unpack_from(">HH", glyph, pos)
        out.append((pos + 2, flags))
        pos += 4 + (4 if flags & _ARG_WORDS else 2)
        if flags & _SCALE:
            pos += 2
        elif flags & _XY_SCALE:
            pos += 4
        elif flags & _TWO_BY_TWO:
            pos += 8
        if not flags & _MORE:
            return out + [(pos, -1)]  # where the components end (instructions may follow)


def subset_glyf(data: bytes, index: int, gids: Iterable[int], *, hinting: bool) -> tuple[bytes, dict[int, int]]:
    """A TrueType font holding glyph 0 and `gids` (and their components), and old gid -> new gid.

    With `hinting`, the hinting tables and glyph instructions are kept; without,
    both are left out (a renderer then draws the outlines unhinted).
    """
    tables = table_directory(data, index)
    missing = [tag.decode() for tag in OUTLINE_TABLES if tag not in tables]
    if missing:
        raise SfntError(f"no {', '.join(missing)} table")

    def table(tag: bytes) -> bytes:
        offset, length = tables[tag]
        return data[offset:offset + length]

    head, hhea, maxp, hmtx = table(b"head"), table(b"hhea"), table(b"maxp"), table(b"hmtx")
    glyf_offset, glyf_length = tables[b"glyf"]
    (num_glyphs,) = struct.unpack_from(">H", maxp, 4)
    (long_loca,) = struct.unpack_from(">h", head, 50)
    loca_offset, loca_length = tables[b"loca"]
    if long_loca:
        loca = struct.unpack_from(f">{num_glyphs + 1}I", data, loca_offset)
    else:
        loca = [2 * v for v in struct.unpack_from(f">{num_glyphs + 1}H", data, loca_offset)]
    if loca_length < (num_glyphs + 1) * (4 if long_loca else 2):
        raise SfntError("the loca table is shorter than the glyph count says")

    def glyph(gid: int) -> bytes:
        start, end = loca[gid], loca[gid + 1]
        if not start <= end <= glyf_length:
            raise SfntError(f"glyph {gid} lies outside the glyf table")
        return data[glyf_offset + start:glyf_offset + end]

    keep: set[int] = set()
    pending = [0, *gids]
    while pending:
        gid = pending.pop()
        if gid in keep:
            continue
        if not 0 <= gid < num_glyphs:
            raise SfntError(f"glyph {gid} is not in the font ({num_glyphs} glyphs)")
        keep.add(gid)
        body = glyph(gid)
        if len(body) >= 10 and struct.unpack_from(">h", body)[0] < 0:
            pending.extend(struct.unpack_from(">H", body, pos)[0] for pos, _ in _components(body)[:-1])
    order = sorted(keep)
    new_gids = {gid: new for new, gid in enumerate(order)}

    pieces, offsets, size = [], [0], 0
    for gid in order:
        body = glyph(gid)
        if len(body) >= 10:
            (contours,) = struct.unpack_from(">h", body)
            if contours < 0:
                body = _composite(body, new_gids, hinting)
            elif contours > 0:
                at = 10 + 2 * contours
                (length,) = struct.unpack_from(">H", body, at)
                end = _simple_end(body, contours, at + 2 + length)
                body = body[:end] if hinting else body[:at] + b"\0\0" + body[at + 2 + length:end]
        if len(body) % 2:
            body += b"\0"
        pieces.append(body)
        size += len(body)
        offsets.append(size)
    glyf = b"".join(pieces)
    if size < 0x20000:
        loca_data, long_format = struct.pack(f">{len(offsets)}H", *(o // 2 for o in offsets)), 0
    else:
        loca_data, long_format = struct.pack(f">{len(offsets)}I", *offsets), 1

    (metrics_count,) = struct.unpack_from(">H", hhea, 34)
    advances = struct.unpack_from(f">{2 * metrics_count}H", hmtx)
    (last_advance,) = advances[-2:-1] or (0,)

    def metric(gid: int) -> tuple[int, int]:
        if gid < metrics_count:
            return advances[2 * gid], advances[2 * gid + 1]
        at = 4 * metrics_count + 2 * (gid - metrics_count)
        return last_advance, (struct.unpack_from(">H", hmtx, at)[0] if at + 2 <= len(hmtx) else 0)

    metrics = [metric(gid) for gid in order]
    count = len(metrics)
    while count > 1 and metrics[count - 2][0] == metrics[-1][0]:
        count -= 1  # trailing glyphs of one advance keep only their side bearings
    hmtx_data = b"".join(struct.pack(">HH", *m) for m in metrics[:count])
    hmtx_data += b"".join(struct.pack(">H", m[1]) for m in metrics[count:])

    out = {
        b"glyf": glyf,
        b"loca": loca_data,
        b"head": head[:8] + b"\0\0\0\0" + head[12:50] + struct.pack(">h", long_format) + head[52:],
        b"hhea": hhea[:34] + struct.pack(">H", count) + hhea[36:],
        b"hmtx": hmtx_data,
        b"maxp": maxp[:4] + struct.pack(">H", len(order)) + maxp[6:],
    }
    if hinting:
        out.update((tag, table(tag)) for tag in HINTING_TABLES if tag in tables)
    return _sfnt(out), new_gids


# Bytes of x and y coordinates a simple glyph's point flag stands for (X_SHORT 2, Y_SHORT 4,
# X_SAME_OR_POSITIVE 16, Y_SAME_OR_POSITIVE 32).
_COORDINATE_BYTES = [
    (1 if flag & 2 else 0 if flag & 16 else 2) + (1 if flag & 4 else 0 if flag & 32 else 2) for flag in range(256)
]


def _simple_end(body: bytes, contours: int, flags_at: int) -> int:
    """Where a simple glyph's data ends (the source's padding left out)."""
    (last,) = struct.unpack_from(">H", body, 10 + 2 * (contours - 1))
    points = last + 1
    pos, coordinates, seen = flags_at, 0, 0
    sizes = _COORDINATE_BYTES
    try:
        while seen < points:
            flag = body[pos]
            if flag & 8:  # REPEAT_FLAG: the next byte counts further repeats
                count = body[pos + 1] + 1
                pos += 2
            else:
                count = 1
                pos += 1
            coordinates += count * sizes[flag]
            seen += count
    except IndexError:
        raise SfntError("a glyph's point flags run past its data") from None
    end = pos + coordinates
    if end > len(body):
        raise SfntError("a glyph's coordinates run past its data")
    return end


def _composite(body: bytes, new_gids: dict[int, int], hinting: bool) -> bytes:
    """A composite glyph with its component indexes renumbered (and its instructions dropped unless hinting)."""
    glyph = bytearray(body)
    parts = _components(body)
    end = parts[-1][0]
    for pos, flags in parts[:-1]:
        (component,) = struct.unpack_from(">H", body, pos)
        struct.pack_into(">H", glyph, pos, new_gids[component])
        if not hinting and flags & _INSTRUCTIONS:
            struct.pack_into(">H", glyph, pos - 2, flags & ~_INSTRUCTIONS)
    return bytes(glyph) if hinting else bytes(glyph[:end])


def _checksum(data: bytes) -> int:
    """The OpenType checksum: the sum of the big-endian 32-bit words, the last one padded."""
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    """A TrueType font file of these tables (sorted by tag, 4-byte aligned, head's checksum adjustment set)."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    offset = 12 + 16 * count
    records, bodies = [], []
    for tag in tags:
        body = tables[tag]
        records.append(struct.pack(">4sIII", tag, _checksum(body), offset, len(body)))
        padded = body + b"\0" * (-len(body) % 4)
        bodies.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(records) + b"".join(bodies))
    head_at = struct.unpack_from(">I", font, 12 + 16 * tags.index(b"head") + 8)[0]
    struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


# Pair kerning, read from the GPOS table's bytes -------------------------------------------------
#
# fontTools builds an object per value record; a PairPos class matrix of a text font holds tens
# of thousands, and a document reads rows of it for every new first glyph. These readers take a
# row's XAdvance values straight from the bytes.


def _value_size(value_format: int) -> int:
    """Bytes of a GPOS ValueRecord of this format (each present field, device offsets included, is 2 bytes)."""
    return 2 * bin(value_format & 0xFF).count("1")


def _x_advance_at(value_format: int) -> int | None:
    """Byte offset of XAdvance inside a ValueRecord of this format (None: no XAdvance)."""
    return 2 * bin(value_format & 0x3).count("1") if value_format & 0x4 else None


def _coverage(data: bytes, at: int) -> list[int]:
    """The glyphs of a Coverage table, by coverage index."""
    fmt, count = struct.unpack_from(">HH", data, at)
    if fmt == 1:
        return list(struct.unpack_from(f">{count}H", data, at + 4))
    if fmt == 2:
        glyphs: list[int] = []
        for i in range(count):
            start, end, index = struct.unpack_from(">HHH", data, at + 4 + 6 * i)
            if index != len(glyphs) or end < start:
                raise SfntError("a Coverage table's ranges are out of order")
            glyphs.extend(range(start, end + 1))
        return glyphs
    raise SfntError(f"unknown Coverage format {fmt}")


def _class_def(data: bytes, at: int) -> dict[int, int]:
    """Glyph -> class of a ClassDef table (class 0 left out)."""
    (fmt,) = struct.unpack_from(">H", data, at)
    if fmt == 1:
        start, count = struct.unpack_from(">HH", data, at + 2)
        values = struct.unpack_from(f">{count}H", data, at + 6)
        return {start + i: c for i, c in enumerate(values) if c}
    if fmt == 2:
        (count,) = struct.unpack_from(">H", data, at + 2)
        classes: dict[int, int] = {}
        for i in range(count):
            start, end, c = struct.unpack_from(">HHH", data, at + 4 + 6 * i)
            if c:
                classes.update(dict.fromkeys(range(start, end + 1), c))
        return classes
    raise SfntError(f"unknown ClassDef format {fmt}")


class PairSubtable:
    """A PairPos subtable: the first glyphs it covers and, read on demand, the first glyph's XAdvance values.

    Format 1: `row(i)` for coverage index i is {second glyph: value}. Format 2:
    `class1`/`class2` map glyphs to classes and `row(c)` is the values by
    second class of first class c. Values are in font units.
    """

    def __init__(self, data: bytes, at: int) -> None:
        fmt, coverage, format1, format2 = struct.unpack_from(">HHHH", data, at)
        if not coverage:
            raise SfntError("a PairPos subtable has no Coverage")
        self.format = fmt
        self.coverage = _coverage(data, at + coverage)
        self._data = data
        self._x = _x_advance_at(format1)
        self._record = _value_size(format1) + _value_size(format2)
        if fmt == 1:
            (count,) = struct.unpack_from(">H", data, at + 8)
            self._sets = [at + o for o in struct.unpack_from(f">{count}H", data, at + 10)]
        elif fmt == 2:
            def1, def2, self.rows, self._columns = struct.unpack_from(">HHHH", data, at + 8)
            self.class1 = _class_def(data, at + def1) if def1 else {}
            self.class2 = _class_def(data, at + def2) if def2 else {}
            self._matrix = at + 16
        else:
            raise SfntError(f"unknown PairPos format {fmt}")

    def row(self, index: int) -> dict[int, int] | list[int]:
        """Format 1: {second glyph: XAdvance} of coverage index `index`; format 2: XAdvance by second class."""
        data, x, record = self._data, self._x, self._record
        if self.format == 1:
            at = self._sets[index]
            (count,) = struct.unpack_from(">H", data, at)
            size = 2 + record
            pairs = {}
            for i in range(count):
                start = at + 2 + i * size
                (second,) = struct.unpack_from(">H", data, start)
                pairs[second] = 0 if x is None else struct.unpack_from(">h", data, start + 2 + x)[0]
            return pairs
        if x is None:
            return [0] * self._columns
        start = self._matrix + index * self._columns * record + x
        if start + (self._columns - 1) * record + 2 > len(data):
            raise SfntError("a PairPos class matrix runs past the end of the GPOS table")
        return [struct.unpack_from(">h", data, start + c * record)[0] for c in range(self._columns)]


def kern_lookups(data: bytes, index: int) -> list[list[PairSubtable]] | None:
    """The PairPos subtables of each GPOS lookup the 'kern' feature uses, in lookup order.

    None if the font has no such lookup (then the legacy 'kern' table may apply).
    """
    tables = table_directory(data, index)
    if b"GPOS" not in tables:
        return None
    gpos, length = tables[b"GPOS"]
    gpos_data = data[gpos:gpos + length]
    _, _, _, features, lookups = struct.unpack_from(">HHHHH", gpos_data)
    if not features or not lookups:
        return None
    (feature_count,) = struct.unpack_from(">H", gpos_data, features)
    indices: set[int] = set()
    for i in range(feature_count):
        tag, offset = struct.unpack_from(">4sH", gpos_data, features + 2 + 6 * i)
        if tag == b"kern":
            (count,) = struct.unpack_from(">H", gpos_data, features + offset + 2)
            indices.update(struct.unpack_from(f">{count}H", gpos_data, features + offset + 4))
    (lookup_count,) = struct.unpack_from(">H", gpos_data, lookups)
    found = []
    for lookup_index in sorted(indices):
        if lookup_index >= lookup_count:
            raise SfntError(f"the kern feature names lookup {lookup_index} of {lookup_count}")
        (offset,) = struct.unpack_from(">H", gpos_data, lookups + 2 + 2 * lookup_index)
        at = lookups + offset
        kind, _, count = struct.unpack_from(">HHH", gpos_data, at)
        subtables = []
        for sub_offset in struct.unpack_from(f">{count}H", gpos_data, at + 6):
            sub = at + sub_offset
            sub_kind = kind
            if kind == 9:
                _, sub_kind, extension = struct.unpack_from(">HHI", gpos_data, sub)
                sub += extension
            if sub_kind == 2 and struct.unpack_from(">H", gpos_data, sub + 2)[0]:  # with a Coverage
                subtables.append(PairSubtable(gpos_data, sub))
        if subtables:
            found.append(subtables)
    return found or None


# Metrics read at load time ---------------------------------------------------------------------
#
# fontTools names every glyph before it reads hmtx or cmap (parsing the post table's names);
# these readers take advances and the character map by glyph id, so loading a font skips that.


def advances(data: bytes, index: int) -> list[int]:
    """Every glyph's advance width in font units, from hhea and hmtx."""
    tables = table_directory(data, index)
    (num_glyphs,) = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)
    (metrics,) = struct.unpack_from(">H", data, tables[b"hhea"][0] + 34)
    at, length = tables[b"hmtx"]
    if not 0 < metrics <= num_glyphs or 4 * metrics > length:
        raise SfntError("hhea's numberOfHMetrics does not fit the hmtx table")
    widths = list(struct.unpack_from(f">{2 * metrics}H", data, at)[::2])
    return widths + [widths[-1]] * (num_glyphs - metrics)


# The Unicode subtables fontTools' getBestCmap prefers, in order.
_CMAP_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _cmap_subtable(data: bytes, at: int, end: int) -> dict[int, int] | None:
    """Code -> glyph of a cmap subtable of format 0, 4, 6 or 12 (None for other formats)."""
    (fmt,) = struct.unpack_from(">H", data, at)
    if fmt == 0:
        return {code: gid for code, gid in enumerate(data[at + 6:at + 262]) if gid}
    if fmt == 6:
        first, count = struct.unpack_from(">HH", data, at + 6)
        return {first + i: gid for i, gid in enumerate(struct.unpack_from(f">{count}H", data, at + 10)) if gid}
    if fmt == 12:
        (groups,) = struct.unpack_from(">I", data, at + 12)
        if at + 16 + 12 * groups > end:
            raise SfntError("a cmap subtable runs past its end")
        mapping = {}
        for i in range(groups):
            start, stop, gid = struct.unpack_from(">III", data, at + 16 + 12 * i)
            if stop - start > 0x10FFFF:
                raise SfntError("a cmap group is too large")
            mapping.update(zip(range(start, stop + 1), range(gid, gid + stop - start + 1)))
        return mapping
    if fmt != 4:
        return None
    (segments,) = struct.unpack_from(">H", data, at + 6)
    segments //= 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}H", data, at + 16 + 4 * segments)
    ranges_at = at + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", data, ranges_at)
    mapping = {}
    for i in range(segments):
        start, stop, delta, offset = starts[i], ends[i], deltas[i], range_offsets[i]
        if start > stop or start == 0xFFFF:
            continue
        if not offset:
            mapping.update((code, (code + delta) & 0xFFFF) for code in range(start, stop + 1))
            continue
        glyphs_at = ranges_at + 2 * i + offset
        if glyphs_at + 2 * (stop - start + 1) > end:
            raise SfntError("a cmap format 4 segment runs past its table")
        for code, gid in zip(range(start, stop + 1), struct.unpack_from(f">{stop - start + 1}H", data, glyphs_at)):
            if gid:
                mapping[code] = (gid + delta) & 0xFFFF
    return mapping


def best_cmap(data: bytes, index: int) -> tuple[dict[int, int], bool] | None:
    """(code -> glyph, symbol) from the Unicode subtable fontTools would pick, else the (3, 0) symbol one.

    None where the chosen subtable has a format this reader leaves to fontTools.
    Glyph 0 is left out; glyphs past the font's count are the caller's to drop.
    """
    tables = table_directory(data, index)
    if b"cmap" not in tables:
        raise SfntError("no cmap table")
    at, length = tables[b"cmap"]
    (count,) = struct.unpack_from(">H", data, at + 2)
    found = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, at + 4 + 8 * i)
        if offset >= length:
            raise SfntError("a cmap subtable lies outside the cmap table")
        found.setdefault((platform, encoding), at + offset)
    for key in (*_CMAP_PREFERENCES, (3, 0)):
        if key in found:
            mapping = _cmap_subtable(data, found[key], at + length)
            if mapping is None:
                return None
            mapping = {code: gid for code, gid in mapping.items() if gid}
            return mapping, key == (3, 0)
    raise SfntError("no Unicode or symbol character map (cmap)")


def post_header(data: bytes, index: int) -> tuple[float, bool] | None:
    """The post table's italic angle (degrees) and fixed-pitch flag; None without a post table."""
    tables = table_directory(data, index)
    if b"post" not in tables:
        return None
    at, length = tables[b"post"]
    if length < 16:
        raise SfntError("the post table is too short")
    angle, fixed = struct.unpack_from(">iI", data, at + 4)[0], struct.unpack_from(">I", data, at + 12)[0]
    return angle / 65536, bool(fixed)
