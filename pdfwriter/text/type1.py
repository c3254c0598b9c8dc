"""Type 1 fonts (.pfb or .pfa, with an optional .afm), embedded as subsets.

The font program is read once: the cleartext part, and the eexec-encrypted
private part (r = 55665), whose /Subrs and /CharStrings are charstrings
encrypted again (r = 4330, skipping lenIV bytes). A subset keeps the
charstrings of the glyphs a document used, .notdef, the base and accent of
any `seac` composite, and the subroutines those call, found by running the
charstrings' operand stack (so the hint replacement idiom `n 1 3
callothersubr pop callsubr` is followed), plus subroutines 0-3, which flex
and hint replacement address by number. The kept subroutines are numbered
anew from 4, rewriting the literal numbers the calls push; when some call's
number is not such a literal (computed, or a literal also used as a
coordinate), every subroutine keeps its index instead and the unused ones
become a bare `return`. Metrics come from the AFM when there is one, else
from the charstrings (hsbw widths, outline extents).

Codes are one byte, assigned per document in first-use order: a glyph gets
its StandardEncoding code when that is free, others the free codes that
StandardEncoding leaves unused, then any free code. The PDF font's
/Differences name every used code, the subset's built-in encoding says the
same, and a ToUnicode CMap maps the codes back to text. A simple font holds
at most 255 glyphs: more distinct glyphs of one font in one document raise
FontError (use a second Type1Font object of the same file for the rest).
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..errors import FontError
from ..pdf.objects import Name, Reference, Stream
from ..pdf.writer import PdfWriter
from .afm import AfmMetrics, parse_afm
from .base import Font, FontResource, Glyph
from .encodings import STANDARD_CODES, STANDARD_ENCODING, WIN_ANSI_ENCODING, character_map
from .tounicode import to_unicode_cmap

#: Encryption keys of the eexec section and of charstrings (Adobe Type 1 Font Format, 7.1).
EEXEC_KEY = 55665
CHARSTRING_KEY = 4330
_C1 = 52845
_C2 = 22719

# Subroutines that flex (0-2) and hint replacement (3) call by number.
_RESERVED_SUBRS = range(4)
# Charstring limits: subroutine nesting (the spec allows 10) and work per glyph.
_MAX_DEPTH = 10
_MAX_STEPS = 200_000
# The fixed trailer after the encrypted part: 512 zeros and cleartomark.
_TRAILER = (b"0" * 64 + b"\n") * 8 + b"cleartomark\n"
# eexec lead bytes: four zeros encrypt to D9 D6 6F 63, which starts neither with
# whitespace nor with four hex digits, as the Type 1 spec requires (7.2).
_EEXEC_LEAD = bytes(4)
# Glyph names of the standard Latin character set, as far as the two Latin encodings list them.
_LATIN_NAMES = frozenset(STANDARD_CODES) | frozenset(n for n in WIN_ANSI_ENCODING if n)

_NAME = rb"[^\s/\[\]{}()<>%]+"
_WHITESPACE = b" \t\r\n\f\0"


def encrypt(data: bytes, key: int) -> bytes:
    """Type 1 encryption (eexec or charstring, by `key`) of plaintext, lead bytes included."""
    out = bytearray(len(data))
    r = key
    for i, plain in enumerate(data):
        cipher = plain ^ (r >> 8)
        out[i] = cipher
        r = ((cipher + r) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def decrypt(data: bytes, key: int) -> bytes:
    """Type 1 decryption (eexec or charstring, by `key`); the lead bytes stay in the result."""
    out = bytearray(len(data))
    r = key
    for i, cipher in enumerate(data):
        out[i] = cipher ^ (r >> 8)
        r = ((cipher + r) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def read_segments(data: bytes, source: str) -> tuple[bytes, bytes]:
    """Split a .pfb or .pfa font file into (cleartext through 'eexec', encrypted binary part)."""
    if data[:2] == b"\x80\x01":
        return _pfb_segments(data, source)
    if data[:2] == b"%!":
        return _pfa_segments(data, source)
    raise FontError(f"{source} is not a Type 1 font (.pfb or .pfa): it starts with {data[:8]!r}")


def _pfb_segments(data: bytes, source: str) -> tuple[bytes, bytes]:
    """The cleartext and encrypted parts of a PFB file's segments."""
    parts: dict[int, list[bytes]] = {1: [], 2: []}
    at = 0
    while at < len(data):
        if data[at] != 0x80 or at + 1 == len(data):
            raise FontError(f"{source}: bad PFB segment marker at byte {at}")
        kind = data[at + 1]
        if kind == 3:
            break
        if kind not in (1, 2):
            raise FontError(f"{source}: bad PFB segment type {kind} at byte {at}")
        if at + 6 > len(data):
            raise FontError(f"{source}: PFB segment header at byte {at} is cut off (truncated file)")
        (length,) = struct.unpack_from("<I", data, at + 2)
        at += 6
        if at + length > len(data):
            raise FontError(f"{source}: PFB segment at byte {at - 6} runs past the end (truncated file)")
        # Only the first text segments are cleartext; text after binary is the trailer.
        if kind == 2 or not parts[2]:
            parts[kind].append(data[at : at + length])
        at += length
    if not parts[1] or not parts[2]:
        raise FontError(f"{source}: a PFB file needs a text and a binary segment")
    clear = b"".join(parts[1])
    return clear[: _eexec_start(clear, source)] + b"\n", b"".join(parts[2])


def _pfa_segments(data: bytes, source: str) -> tuple[bytes, bytes]:
    """The cleartext and encrypted (hex-decoded) parts of a PFA file."""
    start = _eexec_start(data, source)
    body = data[start:]
    end = body.rfind(b"cleartomark")
    if end >= 0:
        # The trailer is whitespace-separated runs of zeros before cleartomark.
        while end > 0 and body[end - 1] in b"0" + _WHITESPACE:
            end -= 1
        while end < len(body) and body[end - 1] not in _WHITESPACE:
            end += 1
        body = body[:end]
    body = body.lstrip(_WHITESPACE)
    if re.fullmatch(rb"[0-9A-Fa-f]{4}", body[:4]):
        try:
            return data[:start] + b"\n", bytes.fromhex(re.sub(rb"\s+", b"", body).decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            raise FontError(f"{source}: the eexec part is not valid hexadecimal") from None
    return data[:start] + b"\n", body


def _eexec_start(data: bytes, source: str) -> int:
    """Where the cleartext part ends: just after 'currentfile eexec'."""
    found = re.search(rb"currentfile\s+eexec", data)
    if found is None:
        raise FontError(f"{source}: no 'currentfile eexec' (not a Type 1 font, or truncated)")
    return found.end()


# Where a literal operand was written: (glyph name or subroutine number, offset, length, value).
_Site = tuple[str | int, int, int, float]


@dataclass
class _GlyphInfo:
    """What running a charstring tells: width, outline extent, subrs and seac components.

    For renumbering subroutines: the literals callsubr consumed (index_sites),
    the literals other operators consumed (value_sites), and whether some
    callsubr took a computed number (dynamic).
    """

    width: float = 0.0
    bbox: tuple[float, float, float, float] | None = None
    subrs: set[int] = field(default_factory=set)
    components: list[str] = field(default_factory=list)
    index_sites: set[_Site] = field(default_factory=set)
    value_sites: set[_Site] = field(default_factory=set)
    dynamic: bool = False


class Type1Program:
    """A parsed Type 1 font program: cleartext, private dictionary, subrs and charstrings."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        self.cleartext, encrypted = read_segments(data, source)
        if len(encrypted) < 4:
            raise FontError(f"{source}: the encrypted part is empty (truncated file)")
        self.private = decrypt(encrypted, EEXEC_KEY)[4:]
        self._parse_cleartext()
        self._parse_private()
        self._info: dict[str, _GlyphInfo] = {}

    # Parsing ------------------------------------------------------------

    def _fail(self, message: str) -> FontError:
        """A FontError naming the font file."""
        return FontError(f"{self.source}: {message}")

    def _parse_cleartext(self) -> None:
        """Read FontName, FontBBox, ItalicAngle, isFixedPitch and the Encoding's extent."""
        clear = self.cleartext
        found = re.search(rb"/FontName\s*/(" + _NAME + rb")", clear)
        if found is None:
            raise self._fail("no /FontName in the cleartext part")
        self.font_name = found.group(1).decode("latin-1")
        found = re.search(rb"/FontBBox\s*[\[{]([^\]}]*)[\]}]", clear)
        try:
            numbers = [float(n) for n in found.group(1).split()] if found else []
        except ValueError:
            numbers = []
        if len(numbers) != 4:
            raise self._fail("no valid /FontBBox in the cleartext part")
        self.bbox = (numbers[0], numbers[1], numbers[2], numbers[3])
        found = re.search(rb"/ItalicAngle\s+(-?[\d.]+)", clear)
        self.italic_angle = float(found.group(1)) if found else 0.0
        self.fixed_pitch = re.search(rb"/isFixedPitch\s+true", clear) is not None
        start = re.search(rb"/Encoding\s", clear)
        if start is None:
            raise self._fail("no /Encoding in the cleartext part")
        end = re.compile(rb"(?<![/\w.])def\b").search(clear, start.end())
        if end is None:
            raise self._fail("the /Encoding definition does not end")
        self._encoding_span = (start.start(), end.end())

    def _parse_private(self) -> None:
        """Find lenIV, StdVW, and every Subrs and CharStrings entry."""
        private = self.private
        subrs = re.search(rb"/Subrs\s+(\d+)\s+array\b", private)
        chars = re.search(rb"/CharStrings\s+\d+\s+dict\s+dup\s+begin\b", private)
        if chars is None:
            raise self._fail("no /CharStrings dictionary in the encrypted part (damaged or truncated)")
        head = private[: min(subrs.start() if subrs else len(private), chars.start())]
        found = re.search(rb"/lenIV\s+(-?\d+)", head)
        self.len_iv = int(found.group(1)) if found else 4
        found = re.search(rb"/StdVW\s*\[\s*([\d.]+)", head)
        self.std_vw = float(found.group(1)) if found else None
        self.subrs: list[bytes | None] = []
        self._subrs_span = (0, 0)
        self._subr_rd = self._np = b""
        if subrs is not None:
            count = int(subrs.group(1))
            if count > 65536:
                raise self._fail(f"implausible /Subrs count {count}")
            self.subrs = [None] * count
            entry = re.compile(rb"\s*dup\s+(\d+)\s+(\d+)\s+(" + _NAME + rb")\s")
            at = subrs.end()
            first = True
            while (found := entry.match(private, at)) is not None:
                index, length = int(found.group(1)), int(found.group(2))
                if index >= count:
                    raise self._fail(f"subroutine {index} is outside /Subrs {count} array")
                data, at = self._binary(found.end(), length)
                if first:
                    self._subr_rd = found.group(3)
                    self._np, at = self._closer(at, rb"noaccess\s+put\b")
                    first = False
                else:
                    at = self._expect(at, self._np)
                self.subrs[index] = data
            self._subrs_span = (subrs.start(), at)
        entry = re.compile(rb"\s*/(" + _NAME + rb")\s+(\d+)\s+(" + _NAME + rb")\s")
        at = chars.end()
        self.charstrings: dict[str, bytes] = {}
        self._char_rd = self._nd = b""
        first = True
        while (found := entry.match(private, at)) is not None:
            data, at = self._binary(found.end(), int(found.group(2)))
            if first:
                self._char_rd = found.group(3)
                self._nd, at = self._closer(at, rb"noaccess\s+def\b")
                first = False
            else:
                at = self._expect(at, self._nd)
            self.charstrings.setdefault(found.group(1).decode("latin-1"), data)
        if not re.compile(rb"\s*end\b").match(private, at):
            raise self._fail("the /CharStrings dictionary does not end properly (damaged or truncated)")
        if ".notdef" not in self.charstrings:
            raise self._fail("the font has no .notdef glyph")
        self._chars_span = (chars.start(), at)
        close = private.find(b"closefile", at)
        self._tail_end = close + len(b"closefile") if close >= 0 else len(private)

    def _binary(self, at: int, length: int) -> tuple[bytes, int]:
        """`length` bytes of charstring data at `at`, and the position after them."""
        if at + length > len(self.private):
            raise self._fail("a charstring runs past the end of the encrypted part (truncated file)")
        return self.private[at : at + length], at + length

    def _closer(self, at: int, two_words: bytes) -> tuple[bytes, int]:
        """The token closing the first entry (NP, ND, |, |-, or 'noaccess put/def')."""
        found = re.compile(rb"\s*(" + two_words + rb"|" + _NAME + rb")").match(self.private, at)
        if found is None:
            raise self._fail("unexpected bytes after a charstring")
        return found.group(1), found.end()

    def _expect(self, at: int, token: bytes) -> int:
        """Skip whitespace and the given closing token."""
        while at < len(self.private) and self.private[at] in _WHITESPACE:
            at += 1
        if not self.private.startswith(token, at):
            raise self._fail(f"expected {token.decode('latin-1')!r} after a charstring at byte {at}")
        return at + len(token)

    def builtin_encoding(self) -> tuple[str | None, ...]:
        """The font's own /Encoding: code -> glyph name for 256 codes (None where undefined)."""
        start, end = self._encoding_span
        text = self.cleartext[start:end]
        if re.match(rb"/Encoding\s+StandardEncoding\b", text):
            return STANDARD_ENCODING
        table: list[str | None] = [None] * 256
        for found in re.finditer(rb"dup\s+(\d+)\s*/(" + _NAME + rb")\s+put\b", text):
            code = int(found.group(1))
            if code < 256:
                table[code] = found.group(2).decode("latin-1")
        return tuple(table)

    # Charstrings --------------------------------------------------------

    def plain_charstring(self, data: bytes) -> bytes:
        """A charstring decrypted, without its lenIV lead bytes."""
        if self.len_iv < 0:
            return data
        return decrypt(data, CHARSTRING_KEY)[self.len_iv :]

    def glyph_info(self, name: str) -> _GlyphInfo:
        """Run a glyph's charstring (once): its width, extent, subroutines and components."""
        info = self._info.get(name)
        if info is None:
            if name not in self.charstrings:
                raise self._fail(f"no glyph named {name!r}")
            info = _Interpreter(self, name).run()
            self._info[name] = info
        return info

    # Subsetting ---------------------------------------------------------

    def subset(
        self, glyphs: set[str], encoding: dict[int, str], font_name: str
    ) -> tuple[bytes, bytes, list[str]]:
        """A program of `glyphs`, .notdef and seac parts: (cleartext, encrypted part, glyph names)."""
        keep = {".notdef"}
        pending = list(glyphs)
        while pending:
            name = pending.pop()
            if name not in keep:
                keep.add(name)
                pending.extend(self.glyph_info(name).components)
        order = [name for name in self.charstrings if name in keep]
        infos = [self.glyph_info(name) for name in order]
        used = {i for i in _RESERVED_SUBRS if i < len(self.subrs)}
        for info in infos:
            used |= info.subrs
        charstrings = {name: self.charstrings[name] for name in order}
        subrs = self._renumber(infos, used, charstrings)
        if subrs is None:
            empty = self._return_charstring()
            subrs = [self.subrs[i] or empty if i in used else empty for i in range(max(used, default=-1) + 1)]
        clear = self._subset_cleartext(encoding, font_name)
        return clear, self._subset_private(charstrings, subrs), order

    def _renumber(
        self, infos: list[_GlyphInfo], used: set[int], charstrings: dict[str, bytes]
    ) -> list[bytes] | None:
        """The used subroutines numbered densely (0-3 stay), rewriting `charstrings` and the
        subroutines to call them by their new numbers; None if some call's number is not a
        literal that only callsubr consumes."""
        index_sites = set().union(*(info.index_sites for info in infos))
        value_sites = set().union(*(info.value_sites for info in infos))
        reserved = [i for i in _RESERVED_SUBRS if i < len(self.subrs)]
        if (
            any(info.dynamic for info in infos)
            or index_sites & value_sites
            or any(10 in _operators(self.plain_charstring(self.subrs[i] or b"")) for i in reserved)
        ):
            return None
        new_number = {old: old for old in reserved}
        for old in sorted(used - set(reserved)):
            new_number[old] = len(new_number)
        edits: dict[str | int, list[tuple[int, int, int]]] = {}
        for owner, offset, length, value in index_sites:
            edits.setdefault(owner, []).append((offset, length, new_number[int(value)]))
        empty = self._return_charstring()
        for name, data in charstrings.items():
            charstrings[name] = self._rewrite(data, edits.get(name, []))
        return [
            self._rewrite(self.subrs[old] or empty, edits.get(old, []))
            for old in sorted(new_number, key=new_number.__getitem__)
        ]

    def _rewrite(self, data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
        """An encrypted charstring with the numbers at (offset, length) replaced by new values."""
        if not edits:
            return data
        encrypted = self.len_iv >= 0
        plain = decrypt(data, CHARSTRING_KEY) if encrypted else data
        lead = max(self.len_iv, 0)
        body = bytearray(plain[lead:])
        for offset, length, value in sorted(edits, reverse=True):
            body[offset : offset + length] = _encode_number(value)
        new = plain[:lead] + bytes(body)
        return encrypt(new, CHARSTRING_KEY) if encrypted else new

    def _subset_cleartext(self, encoding: dict[int, str], font_name: str) -> bytes:
        """The cleartext with the new FontName and Encoding, and no UniqueID or XUID."""
        start, end = self._encoding_span
        lines = [b"/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n"]
        for code, name in sorted(encoding.items()):
            lines.append(b"dup %d /%s put\n" % (code, name.encode("latin-1")))
        lines.append(b"readonly def")
        clear = self.cleartext[:start] + b"".join(lines) + self.cleartext[end:]
        new_name = font_name.encode("latin-1")
        clear = re.sub(rb"(/FontName\s*/)" + _NAME, lambda m: m.group(1) + new_name, clear, count=1)
        return _drop_unique_ids(clear)

    def _subset_private(self, charstrings: dict[str, bytes], subrs: list[bytes]) -> bytes:
        """The private part holding these charstrings and subroutines, re-encrypted."""
        private = self.private
        pieces: list[tuple[int, int, bytes]] = []
        if self.subrs:
            lines = [b"/Subrs %d array\n" % len(subrs)]
            for index, data in enumerate(subrs):
                lines.append(b"dup %d %d %s " % (index, len(data), self._subr_rd) + data + b" %s\n" % self._np)
            pieces.append((*self._subrs_span, b"".join(lines)))
        lines = [b"/CharStrings %d dict dup begin\n" % len(charstrings)]
        for name, data in charstrings.items():
            head = b"/%s %d %s " % (name.encode("latin-1"), len(data), self._char_rd)
            lines.append(head + data + b" %s\n" % self._nd)
        pieces.append((*self._chars_span, b"".join(lines)))
        pieces.sort()
        out = []
        at = 0
        for start, end, text in pieces:
            chunk = private[at:start]
            out.append(_drop_unique_ids(chunk) if at == 0 else chunk)
            out.append(text)
            at = end
        out.append(private[at : self._tail_end] + b"\n")
        return encrypt(_EEXEC_LEAD + b"".join(out), EEXEC_KEY)

    def _return_charstring(self) -> bytes:
        """An encrypted charstring that only returns, for subroutines the subset does not call."""
        if self.len_iv < 0:
            return b"\x0b"
        return encrypt(bytes(self.len_iv) + b"\x0b", CHARSTRING_KEY)


def _encode_number(value: int) -> bytes:
    """A charstring integer operand in its shortest encoding."""
    if -107 <= value <= 107:
        return bytes([value + 139])
    if 108 <= value <= 1131:
        return bytes([247 + (value - 108) // 256, (value - 108) % 256])
    if -1131 <= value <= -108:
        return bytes([251 + (-value - 108) // 256, (-value - 108) % 256])
    return b"\xff" + struct.pack(">i", value)


def _operators(code: bytes) -> list[int]:
    """The operators of a plain charstring, in order (escaped ones as 1200 + second byte)."""
    found = []
    at = 0
    while at < len(code):
        v = code[at]
        if v >= 32:
            at += 1 if v <= 246 else 2 if v <= 254 else 5
        elif v == 12:
            found.append(1200 + code[at + 1] if at + 1 < len(code) else 1200)
            at += 2
        else:
            found.append(v)
            at += 1
    return found


def _drop_unique_ids(text: bytes) -> bytes:
    """Remove /UniqueID and /XUID definitions (a subset must not claim the full font's identity)."""
    text = re.sub(rb"/UniqueID\s+\d+\s+def", b"", text)
    return re.sub(rb"/XUID\s*\[[^\]]*\]\s*(?:readonly\s+)?def", b"", text)


class _Interpreter:
    """Runs a charstring far enough to learn its width, extent, subroutine calls and seac parts.

    Every operand remembers where it was written (a literal's site) or that it
    was computed (None), so the subset can renumber subroutines by rewriting
    the literals that callsubr consumes.
    """

    def __init__(self, program: Type1Program, name: str) -> None:
        self.program = program
        self.name = name
        self.info = _GlyphInfo()
        self.stack: list[float] = []
        self.sites: list[_Site | None] = []
        self.ps_stack: list[tuple[float, _Site | None]] = []
        self.x = self.y = 0.0
        self.points: list[tuple[float, float]] = []
        self.steps = 0

    def fail(self, message: str) -> FontError:
        """A FontError naming the font and glyph."""
        return FontError(f"{self.program.source}: glyph {self.name!r}: {message}")

    def run(self) -> _GlyphInfo:
        """Interpret the glyph's charstring and return what it showed."""
        self.execute(self.program.plain_charstring(self.program.charstrings[self.name]), self.name, 0)
        if self.points:
            xs = [p[0] for p in self.points]
            ys = [p[1] for p in self.points]
            self.info.bbox = (min(xs), min(ys), max(xs), max(ys))
        return self.info

    def take(self, count: int) -> tuple[list[float], list[_Site | None]]:
        """Remove the top `count` operands (bottom first) with their sites."""
        if count < 0 or len(self.stack) < count:
            raise self.fail("operand stack underflow (damaged charstring)")
        cut = len(self.stack) - count
        values, sites = self.stack[cut:], self.sites[cut:]
        del self.stack[cut:], self.sites[cut:]
        return values, sites

    def pop(self, count: int) -> list[float]:
        """Remove and return the top `count` operands, used as values (not subroutine numbers)."""
        values, sites = self.take(count)
        self.info.value_sites.update(site for site in sites if site is not None)
        return values

    def push(self, value: float, site: _Site | None) -> None:
        """Push an operand and where it came from."""
        self.stack.append(value)
        self.sites.append(site)

    def move(self, dx: float, dy: float) -> None:
        """Move the current point and record it for the extent."""
        self.x += dx
        self.y += dy
        self.points.append((self.x, self.y))

    def execute(self, code: bytes, owner: str | int, depth: int) -> bool:
        """Run one charstring (a glyph's, or subroutine `owner`); True when it ended the glyph."""
        at = 0
        end = len(code)
        while at < end:
            self.steps += 1
            if self.steps > _MAX_STEPS:
                raise self.fail("charstring runs too long (a subroutine loop?)")
            start = at
            v = code[at]
            at += 1
            if v >= 32:
                if v <= 246:
                    value = v - 139
                elif at >= end or (v == 255 and at + 4 > end):
                    raise self.fail("truncated number")
                elif v <= 250:
                    value = (v - 247) * 256 + code[at] + 108
                    at += 1
                elif v <= 254:
                    value = -(v - 251) * 256 - code[at] - 108
                    at += 1
                else:
                    value = struct.unpack_from(">i", code, at)[0]
                    at += 4
                self.push(value, (owner, start, at - start, value))
                continue
            if v == 12:
                if at >= end:
                    raise self.fail("truncated escape operator")
                v = 1200 + code[at]
                at += 1
            if v == 10:  # callsubr
                (index,), (site,) = self.take(1)
                if site is None:
                    self.info.dynamic = True
                else:
                    self.info.index_sites.add(site)
                if self.call(index, depth):
                    return True
            elif v == 11:  # return
                return False
            elif v == 14:  # endchar
                return True
            elif self.operator(v):
                return True
        return False

    def call(self, index: float, depth: int) -> bool:
        """Run subroutine `index`; True if it ended the glyph."""
        subrs = self.program.subrs
        number = int(index)
        if number != index or not 0 <= number < len(subrs) or subrs[number] is None:
            raise self.fail(f"calls subroutine {index}, which the font does not define")
        if depth >= _MAX_DEPTH:
            raise self.fail("subroutines nest too deep")
        self.info.subrs.add(number)
        code = self.program.plain_charstring(subrs[number])  # type: ignore[arg-type]
        return self.execute(code, number, depth + 1)

    def operator(self, v: int) -> bool:
        """Apply a drawing, hint or arithmetic operator; True for seac (which ends the glyph)."""
        if v == 13:  # hsbw
            sbx, wx = self.pop(2)
            self.info.width = wx
            self.x, self.y = sbx, 0.0
        elif v == 1207:  # sbw
            sbx, sby, wx, _ = self.pop(4)
            self.info.width = wx
            self.x, self.y = sbx, sby
        elif v in (21, 5):  # rmoveto, rlineto
            self.move(*self.pop(2))
        elif v in (22, 6):  # hmoveto, hlineto
            self.move(self.pop(1)[0], 0)
        elif v in (4, 7):  # vmoveto, vlineto
            self.move(0, self.pop(1)[0])
        elif v == 8:  # rrcurveto
            dx1, dy1, dx2, dy2, dx3, dy3 = self.pop(6)
            self.move(dx1, dy1)
            self.move(dx2, dy2)
            self.move(dx3, dy3)
        elif v == 30:  # vhcurveto
            dy1, dx2, dy2, dx3 = self.pop(4)
            self.move(0, dy1)
            self.move(dx2, dy2)
            self.move(dx3, 0)
        elif v == 31:  # hvcurveto
            dx1, dx2, dy2, dy3 = self.pop(4)
            self.move(dx1, 0)
            self.move(dx2, dy2)
            self.move(0, dy3)
        elif v == 1206:  # seac
            self.seac(*self.pop(5))
            return True
        elif v == 1212:  # div
            a, b = self.pop(2)
            if b == 0:
                raise self.fail("division by zero")
            self.push(a / b, None)
            return False
        elif v == 1216:  # callothersubr
            count, number = self.pop(2)
            args, sites = self.take(min(max(int(count), 0), len(self.stack)))
            if number == 3:  # hint replacement: returns its argument, a subroutine number
                self.ps_stack = list(zip(args, sites))
            elif number == 0 and len(args) == 3:  # end of flex: leaves the end point, x on top
                self.info.value_sites.update(site for site in sites if site is not None)
                self.ps_stack = [(args[2], None), (args[1], None)]
            else:
                self.info.value_sites.update(site for site in sites if site is not None)
                self.ps_stack = [(arg, None) for arg in args]
            return False
        elif v == 1217:  # pop
            self.push(*(self.ps_stack.pop() if self.ps_stack else (0, None)))
            return False
        elif v == 1233:  # setcurrentpoint
            self.x, self.y = self.pop(2)
        # Every other operator (closepath, hints, dotsection) consumes the whole stack.
        self.pop(len(self.stack))
        return False

    def seac(self, asb: float, adx: float, ady: float, bchar: float, achar: float) -> None:
        """Record a composite's base and accent, and merge their extents into this glyph's."""
        for code in (bchar, achar):
            name = STANDARD_ENCODING[int(code)] if 0 <= code <= 255 else None
            if name is None or name not in self.program.charstrings:
                raise self.fail(f"seac names StandardEncoding code {code}, which the font lacks")
            self.info.components.append(name)
        base = self.program.glyph_info(self.info.components[0])
        accent = self.program.glyph_info(self.info.components[1])
        self.info.subrs |= base.subrs | accent.subrs
        if base.bbox:
            self.points += [base.bbox[:2], base.bbox[2:]]
        if accent.bbox:
            dx, dy = adx - asb, ady
            self.points += [
                (accent.bbox[0] + dx, accent.bbox[1] + dy),
                (accent.bbox[2] + dx, accent.bbox[3] + dy),
            ]


class Type1Font(Font):
    """A Type 1 font from a .pfb or .pfa file, embedded as a subset.

    Metrics and kerning come from `afm`, or from the .afm file next to the
    font with the same stem; without one, widths come from the charstrings
    and there is no kerning. A character the font lacks maps to .notdef (gid 0).
    """

    def __init__(self, path: str | os.PathLike[str], afm: str | os.PathLike[str] | None = None) -> None:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FontError(f"cannot read Type 1 font {path}: {exc.strerror or exc}") from None
        self.path = path
        self.program = Type1Program(data, str(path))
        if afm is None:
            afm = next((p for p in (path.with_suffix(".afm"), path.with_suffix(".AFM")) if p.is_file()), None)
        self.metrics: AfmMetrics | None = parse_afm(afm) if afm is not None else None
        if self.metrics is not None and self.metrics.font_name != self.program.font_name:
            raise FontError(
                f"{afm} is the AFM of {self.metrics.font_name}, not of {self.program.font_name} ({path})"
            )
        program = self.program
        self.postscript_name = program.font_name
        #: Glyph names by gid: .notdef first, then the font's order.
        self.glyph_names = [".notdef"] + [n for n in program.charstrings if n != ".notdef"]
        self._gids = {name: gid for gid, name in enumerate(self.glyph_names)}
        self._cmap = {char: self._gids[name] for char, name in character_map(self.glyph_names).items()}
        self._widths: dict[int, float] = {}
        self._kerning: dict[tuple[int, int], float] = {}
        self.bbox = program.bbox
        self.italic_angle = program.italic_angle
        self.std_vw = program.std_vw
        metrics = self.metrics
        if metrics is not None:
            for gid, name in enumerate(self.glyph_names):
                if name in metrics.chars:
                    self._widths[gid] = round(metrics.chars[name].width)
            self._kerning = {
                (self._gids[a], self._gids[b]): amount
                for (a, b), amount in metrics.kerning.items()
                if a in self._gids and b in self._gids
            }
            self.italic_angle = metrics.italic_angle
            self.std_vw = metrics.std_vw or self.std_vw
        self.ascent = self._metric("ascender", "d", 3)
        self.descent = self._metric("descender", "p", 1)
        self.cap_height = self._metric("cap_height", "H", 3)
        self.x_height = self._metric("x_height", "x", 3)

    def _metric(self, key: str, glyph: str, side: int) -> float:
        """An AFM header value, else the extent of a telling glyph, else the font's bbox."""
        value = getattr(self.metrics, key, None)
        if value is not None:
            return float(value)
        if glyph in self.program.charstrings:
            box = self.program.glyph_info(glyph).bbox
            if box is not None:
                return box[side]
        return self.bbox[side]

    def __repr__(self) -> str:
        return f"Type1Font({str(self.path)!r})"

    def glyph_width(self, gid: int) -> float:
        """Advance width of a glyph in whole 1/1000 em (viewers truncate fractional /Widths; layout uses these)."""
        width = self._widths.get(gid)
        if width is None:
            width = self._widths[gid] = round(self.program.glyph_info(self.glyph_names[gid]).width)
        return width

    def glyphs(self, text: str) -> list[Glyph]:
        """One glyph per character (.notdef, gid 0, for characters the font lacks)."""
        result = []
        for char in text:
            gid = self._cmap.get(char, 0)
            result.append(Glyph(gid, self.glyph_width(gid), char))
        return result

    def has_char(self, char: str) -> bool:
        """True if some glyph of the font stands for the character."""
        return char in self._cmap

    def kerning(self, left: Glyph, right: Glyph) -> float:
        """The AFM's KPX amount for the pair (0 without an AFM or pair)."""
        return self._kerning.get((left.gid, right.gid), 0.0)

    def new_resource(self) -> Type1FontResource:
        """A per-document resource for this font."""
        return Type1FontResource(self)


def _code_order() -> list[int]:
    """Codes handed to glyphs StandardEncoding has no code for, in order of preference."""
    free = [c for c in range(32, 256) if STANDARD_ENCODING[c] is None]
    return free + list(range(1, 32)) + [c for c in range(32, 256) if STANDARD_ENCODING[c] is not None]


_CODE_ORDER = _code_order()


class Type1FontResource(FontResource):
    """A Type 1 font in one document: one-byte codes, a subset written at close."""

    def __init__(self, font: Type1Font) -> None:
        self.font = font
        self._codes: dict[int, int] = {}
        self._gids: dict[int, int] = {}
        self._text: dict[int, str] = {}
        self._next = 0

    def encode(self, glyphs: Sequence[Glyph]) -> bytes:
        """One byte per glyph, assigning codes to glyphs seen for the first time."""
        out = bytearray()
        for glyph in glyphs:
            code = self._codes.get(glyph.gid)
            if code is None:
                code = self._assign(glyph.gid)
            if glyph.gid and glyph.text:
                self._text.setdefault(code, glyph.text)
            out.append(code)
        return bytes(out)

    def _assign(self, gid: int) -> int:
        """Give a glyph its code: its StandardEncoding code if free, else the next free one."""
        names = self.font.glyph_names
        if not 0 <= gid < len(names):
            raise FontError(f"glyph id {gid} is not in {self.font.postscript_name} ({len(names)} glyphs)")
        code = STANDARD_CODES.get(names[gid])
        if code is None or code in self._gids:
            while self._next < len(_CODE_ORDER) and _CODE_ORDER[self._next] in self._gids:
                self._next += 1
            if self._next == len(_CODE_ORDER):
                raise FontError(
                    f"more than 255 distinct glyphs of {self.font.postscript_name} in one document: "
                    "a Type 1 font shows at most 255 per PDF font; use a second Type1Font object "
                    "of the same file for further text"
                )
            code = _CODE_ORDER[self._next]
        self._codes[gid] = code
        self._gids[code] = gid
        return code

    def write(self, writer: PdfWriter, ref: Reference) -> None:
        """Write the subset font program, FontDescriptor, ToUnicode and the font dictionary."""
        font = self.font
        names = {code: font.glyph_names[gid] for code, gid in self._gids.items()}
        used = sorted(set(names.values()))
        tag = _subset_tag(used)
        base_font = f"{tag}+{font.postscript_name}"
        clear, encrypted, kept = font.program.subset(set(used), names, base_font)
        file_ref = writer.add(
            Stream(
                clear + encrypted + _TRAILER,
                {"Length1": len(clear), "Length2": len(encrypted), "Length3": len(_TRAILER)},
            )
        )
        kept = sorted(n for n in kept if n != ".notdef")
        flags = 4 if any(n not in _LATIN_NAMES for n in kept) else 32
        if font.program.fixed_pitch:
            flags |= 1
        if font.italic_angle:
            flags |= 64
        descriptor: dict[str, Any] = {
            "Type": Name("FontDescriptor"),
            "FontName": Name(base_font),
            "Flags": flags,
            "FontBBox": list(font.bbox),
            "ItalicAngle": font.italic_angle,
            "Ascent": font.ascent,
            "Descent": font.descent,
            "CapHeight": font.cap_height,
            "XHeight": font.x_height,
            "StemV": font.std_vw if font.std_vw is not None else 80,
            "CharSet": "".join(f"/{n}" for n in kept),
            "FontFile": file_ref,
        }
        codes = sorted(names) or [32]
        first, last = codes[0], codes[-1]
        widths = [font.glyph_width(self._gids[c]) if c in self._gids else 0 for c in range(first, last + 1)]
        entry: dict[str, Any] = {
            "Type": Name("Font"),
            "Subtype": Name("Type1"),
            "BaseFont": Name(base_font),
            "FirstChar": first,
            "LastChar": last,
            "Widths": widths,
            "Encoding": {"Type": Name("Encoding"), "Differences": _differences(names)},
            "FontDescriptor": writer.add(descriptor),
        }
        if self._text:
            entry["ToUnicode"] = writer.add(Stream(to_unicode_cmap(self._text, code_bytes=1)))
        writer.add(entry, ref)


def _differences(names: dict[int, str]) -> list[int | Name]:
    """A /Differences array naming every code: runs of consecutive codes share one number."""
    out: list[int | Name] = []
    previous = -2
    for code in sorted(names):
        if code != previous + 1:
            out.append(code)
        out.append(Name(names[code].encode("latin-1")))
        previous = code
    return out


def _subset_tag(names: list[str]) -> str:
    """Six uppercase letters derived from the subset's glyph names."""
    digest = hashlib.sha256("\n".join(names).encode("utf-8")).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])
