"""Text layout: lines of text placed, aligned, kerned and split across fallback fonts.

A line is measured exactly as it is shown: glyph advances, pair kerning
(written as TJ adjustments), character spacing (Tc), word spacing (added
after each space as a TJ adjustment, so it works with two-byte fonts too,
where Tw does not) and horizontal scaling (Tz). Characters the first font
lacks come from the first fallback font that has them; a character no font
has is drawn as the first font's .notdef, with one warning naming it.

Lines with characters of scripts that need shaping (Arabic, Devanagari, ...;
see shaping.py), or every line with ``shaping=True``, are shaped by HarfBuzz
into runs of positioned glyphs in visual order; other lines never touch it.
A font with several PDF font objects (Type 3 fonts past 256 glyphs) switches
object mid-run, carrying the adjustment across the switch.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..errors import FontError
from ..pdf.numbers import format_number
from ..pdf.objects import serialize
from .base import Font, FontResource, Glyph
from .shaping import needs_shaping, shape_line

RENDER_MODES = {"fill": 0, "stroke": 1, "fill_stroke": 2, "invisible": 3, "clip": 7}
HALIGN = ("left", "center", "right")
VALIGN = ("baseline", "top", "center", "bottom")
_DECIMALS = 4


def _num(value: float) -> bytes:
    return format_number(value, _DECIMALS)


@dataclass(frozen=True)
class TextStyle:
    """How a block of text is set: font chain, size, spacing, scaling."""

    fonts: tuple[Font, ...]
    size: float
    line_spacing: float = 1.2
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 100.0
    kerning: bool = True
    #: Shape with HarfBuzz: None where the line needs it (see shaping.needs_shaping), True always, False never.
    shaping: bool | None = None


@dataclass
class Run:
    """Consecutive glyphs of one line that share a font (`shaped`: positioned by HarfBuzz, see Glyph)."""

    font: Font
    glyphs: list[Glyph]
    shaped: bool = False
    #: The run's text, marked as /ActualText around it, where its glyphs alone would not extract exactly.
    actual_text: str | None = None


def warn_missing(char: str, warned: set[str]) -> None:
    """Warn once per document that no font has a character."""
    if char not in warned:
        warned.add(char)
        warnings.warn(
            f"no font has the character {char!r} (U+{ord(char):04X}); it is drawn as .notdef "
            "(pass a font that has it, or add one to the fallback fonts)",
            stacklevel=5,
        )


def split_runs(line: str, fonts: Sequence[Font], warned: set[str]) -> list[Run]:
    """Cut a line into runs, each character taken from the first font that has it."""
    runs: list[Run] = []
    primary = fonts[0]
    for char in line:
        font = next((f for f in fonts if f.has_char(char)), None)
        if font is None:
            font = primary
            warn_missing(char, warned)
        glyph = font.glyphs(char)[0]
        if runs and runs[-1].font is font:
            runs[-1].glyphs.append(glyph)
        else:
            runs.append(Run(font, [glyph]))
    return runs


def line_width(runs: Sequence[Run], style: TextStyle) -> float:
    """The advance of a line of runs in points, as it will be shown."""
    total = 0.0
    count = 0
    for run in runs:
        glyphs = run.glyphs
        total += sum(g.advance for g in glyphs) * style.size / 1000
        if style.kerning and not run.shaped:
            total += sum(run.font.kerning(a, b) for a, b in zip(glyphs, glyphs[1:])) * style.size / 1000
        total += style.word_spacing * sum(g.text == " " for g in glyphs)
        # Character spacing spaces letters, not the marks a shaped run places on them.
        count += sum(g.advance != 0 for g in glyphs) if run.shaped else len(glyphs)
    total += style.char_spacing * count
    return total * style.horizontal_scale / 100


def measure(text: str, style: TextStyle) -> float:
    """The width of the widest line of `text`, in points."""
    warned: set[str] = set()
    return max(width for width, _ in lay_out(text, style, warned))


def lay_out(text: str, style: TextStyle, warned: set[str]) -> list[tuple[float, list[Run] | list[FastRun]]]:
    """Every line of a block: its width in points and its runs (the whole block by the fast path if it can)."""
    lines = text.split("\n")
    if not style.shaping and not (style.shaping is None and needs_shaping(text)):
        fast = fast_lines(lines, style)
        if fast is not None:
            return fast
    return [lay_out_line(line, style, warned) for line in lines]


def lay_out_line(line: str, style: TextStyle, warned: set[str]) -> tuple[float, list[Run] | list[FastRun]]:
    """A line's width in points and its runs, by the fast path when it applies."""
    if style.shaping or (style.shaping is None and needs_shaping(line)):
        runs = shape_line(line, style.fonts, warned, kerning=style.kerning)
        return line_width(runs, style), runs
    fast = fast_line(line, style)
    if fast is not None:
        return fast[0], [fast[1]]
    runs = split_runs(line, style.fonts, warned)
    return line_width(runs, style), runs


def tj_array(
    run: Run, encode: Callable[[Sequence[Glyph]], bytes], style: TextStyle, start: int = 0, end: int | None = None
) -> bytes:
    """The TJ operand for glyphs [start:end] of a run: encoded strings with kerning and word-spacing adjustments.

    Where the slice ends inside the run, the adjustment due after its last glyph ends the array.
    """
    parts: list[bytes] = []
    pending: list[Glyph] = []
    scale = 1000 / style.size
    glyphs = run.glyphs
    for i in range(start, len(glyphs) if end is None else end):
        glyph = glyphs[i]
        pending.append(glyph)
        adjust = 0.0
        if style.kerning and i + 1 < len(glyphs):
            adjust -= run.font.kerning(glyph, glyphs[i + 1])
        if glyph.text == " " and style.word_spacing:
            adjust -= style.word_spacing * scale
        if adjust and i + 1 < len(glyphs):
            parts.append(serialize(encode(pending)))
            parts.append(_num(adjust))
            pending = []
    if pending:
        parts.append(serialize(encode(pending)))
    return b"[" + b" ".join(parts) + b"]"


def shaped_ops(run: Run, encode: Callable[[Sequence[Glyph]], bytes], style: TextStyle, start: int, end: int) -> bytes:
    """TJ operations for shaped glyphs [start:end]: each at its offset, the pen moved by its shaped advance.

    The PDF font moves by each glyph's nominal advance; TJ adjustments make up
    the difference and the x offset (and take back the character spacing after
    zero-advance marks), and glyphs raised or lowered (marks) are shown with a
    text rise (Ts), put back to 0 afterwards.
    """
    out: list[bytes] = []
    parts: list[bytes] = []
    pending: list[Glyph] = []
    rise = 0.0
    carry = 0.0  # adjustment (thousandths of text space, TJ sign) due before the next glyph
    word = style.word_spacing * 1000 / style.size
    char = style.char_spacing * 1000 / style.size

    def flush() -> None:
        nonlocal pending
        if pending:
            parts.append(serialize(encode(pending)))
            pending = []

    for glyph in run.glyphs[start:end]:
        if glyph.dy != rise:
            flush()
            if parts:
                out.append(b"[" + b" ".join(parts) + b"] TJ\n")
                parts = []
            rise = glyph.dy
            out.append(_num(rise * style.size / 1000) + b" Ts\n")
        carry -= glyph.dx
        if carry:
            flush()
            parts.append(_num(carry))
        pending.append(glyph)
        nominal = glyph.advance if glyph.nominal is None else glyph.nominal
        carry = -(glyph.advance - nominal - glyph.dx)
        if not glyph.advance:
            carry += char  # Tc moved the pen after a mark: take it back
        if glyph.text == " ":
            carry -= word
    flush()
    if carry:
        parts.append(_num(carry))
    if parts:
        out.append(b"[" + b" ".join(parts) + b"] TJ\n")
    if rise:
        out.append(b"0 Ts\n")
    return b"".join(out)


# The common case, fast: a line that one font shows whole, where the font maps one glyph per
# character and its codes concatenate (`Font.one_glyph_per_char`). Its layout is cached by
# character and by word, and its TJ operand is assembled from per-character code strings with
# str.translate, instead of a Glyph object and a kerning query per character. Kerned lines
# without word spacing or runs of spaces (most text) go by word: a sum of cached word spans for
# the width (skipped for left-aligned blocks, which need none) and a join of cached per-word
# code strings, adjustments included, for the TJ; the bytes are those the pieces would give.

_WORD_CACHE_LIMIT = 50_000


class _FontCache:
    """Per-font layout by character and word: advances, kerning pairs, each word's kerned pieces."""

    def __init__(self, font: Font) -> None:
        self.font = font
        self.covered: set[str] = set()
        self.advances: dict[str, float] = {}
        self.pairs: dict[str, float] = {}
        self.words: dict[str, tuple[float, list[tuple[str, float]], float, float]] = {}
        #: Each word's advance with its kerning (the empty word too: between two spaces).
        self.units: dict[str, float] = {"": 0.0}
        #: Each word's advance with its kerning inside and against a space on either side.
        self.spans: dict[str, float] = {}
        #: Words shown without any adjustment, inside or next to a space.
        self.plain: set[str] = set()

    def trim(self) -> None:
        """Forget the words once there are too many (a line adds a few at most past the limit)."""
        if len(self.words) >= _WORD_CACHE_LIMIT:
            self.words.clear()
            self.units.clear()
            self.units[""] = 0.0
            self.spans.clear()
            self.plain.clear()

    def covers(self, line: str) -> bool:
        """True if the font has every character of the line."""
        chars = set(line)
        if chars <= self.covered:
            return True
        for char in chars.difference(self.covered):
            if not self.font.has_char(char):
                return False
            self.covered.add(char)
        return True

    def advance(self, line: str) -> float:
        """Sum of the glyph advances of a line, in 1/1000 em."""
        advances = self.advances
        try:
            return sum(map(advances.__getitem__, line))
        except KeyError:
            for char in set(line).difference(advances):
                advances[char] = self.font.glyphs(char)[0].advance
            return sum(map(advances.__getitem__, line))

    def pair(self, left: str, right: str) -> float:
        """Kerning between two characters, in 1/1000 em."""
        key = left + right
        value = self.pairs.get(key)
        if value is None:
            a, b = self.font.glyphs(key)
            value = self.pairs[key] = self.font.kerning(a, b)
        return value

    def word(self, word: str) -> tuple[float, list[tuple[str, float]], float, float]:
        """A word's advance with its kerning, its pieces (text, TJ adjustment after it), and its
        kerning after a space and before one."""
        found = self.words.get(word)
        if found is not None:
            return found
        glyphs = self.font.glyphs(word)
        units = sum(g.advance for g in glyphs)
        pieces: list[tuple[str, float]] = []
        start = 0
        kerning = self.font.kerning
        for i in range(len(word) - 1):
            kern = kerning(glyphs[i], glyphs[i + 1])
            if kern:
                units += kern
                pieces.append((word[start:i + 1], -kern))
                start = i + 1
        pieces.append((word[start:], 0.0))
        found = self.words[word] = (units, pieces, self.pair(" ", word[0]), self.pair(word[-1], " "))
        self.units[word] = units
        self.spans[word] = units + found[2] + found[3]
        if len(pieces) == 1 and not found[2] and not found[3]:
            self.plain.add(word)
        return found


@dataclass
class FastRun:
    """A whole line in one font, as pieces of text each followed by a TJ adjustment.

    A kerned line without word spacing or runs of spaces carries its words
    instead (`pieces` None): fast_tj shows it from per-word code strings.
    """

    font: Font
    pieces: list[tuple[str, float]] | None
    #: The whole line (the pieces' texts joined).
    text: str
    words: list[str] | None = None


def _font_cache(font: Font) -> _FontCache | None:
    """The layout cache of a font that allows the fast path (None if it does not)."""
    cache = getattr(font, "_layout_cache", None)
    if cache is None:
        if not getattr(font, "one_glyph_per_char", False):
            return None
        cache = font._layout_cache = _FontCache(font)  # type: ignore[attr-defined]
    return cache


def fast_line(line: str, style: TextStyle) -> tuple[float, FastRun] | None:
    """Width in points and the run of a line the first font shows whole (None: use split_runs)."""
    lines = fast_lines([line], style)
    return None if lines is None else (lines[0][0], lines[0][1][0])


def word_lines(lines: list[str], style: TextStyle) -> list[tuple[float, list[str]]] | None:
    """Width in points and words of each line, if the first font shows every line whole, kerned,
    without word spacing and with single spaces between words (else None).

    Each word's advance, with the kerning inside it and against a space on
    either side, is cached per font: a line's advance is the sum over its
    words and spaces, less the kerning before its first word and after its last.
    """
    if not style.kerning or style.word_spacing:
        return None
    cache = _font_cache(style.fonts[0])
    if cache is None:
        return None
    cache.trim()
    spans, entries = cache.spans, cache.words
    space = cache.advance(" ")
    scale = style.size / 1000
    stretch = style.horizontal_scale / 100
    spacing = style.char_spacing
    out = []
    for line in lines:
        if not line:
            out.append((0.0, []))
            continue
        words = line.split(" ")
        if "" in words:
            return None
        try:
            units = sum(map(spans.__getitem__, words))
        except KeyError:
            if not cache.covers(line):
                return None
            for word in words:
                if word not in spans:
                    cache.word(word)
            units = sum(map(spans.__getitem__, words))
        if len(words) > 1:
            units += space * (len(words) - 1) - entries[words[0]][2] - entries[words[-1]][3]
        else:
            units = cache.units[line]
        out.append(((units * scale + spacing * len(line)) * stretch, words))
    return out


def fast_lines(lines: list[str], style: TextStyle) -> list[tuple[float, list[FastRun]]] | None:
    """Width in points and the one run of each line, if the first font shows every line whole (else None)."""
    font = style.fonts[0]
    by_words = word_lines(lines, style)
    if by_words is not None:
        return [(width, [FastRun(font, None, line, words)]) for line, (width, words) in zip(lines, by_words)]
    cache = _font_cache(font)
    if cache is None or not cache.covers("".join(lines)):
        return None
    size = style.size
    word_adjust = -style.word_spacing * 1000 / size
    scale = size / 1000
    stretch = style.horizontal_scale / 100
    out = []
    cache.trim()
    for line in lines:
        spaces = line.count(" ")
        if not style.kerning:
            units = cache.advance(line)
            if word_adjust and spaces:
                words = line.split(" ")
                pieces = [(w + " ", word_adjust) for w in words[:-1]] + [(words[-1], 0.0)]
            else:
                pieces = [(line, 0.0)]
        else:
            units, pieces = _kerned_pieces(line, cache, word_adjust)
        width = units * scale + style.word_spacing * spaces + style.char_spacing * len(line)
        out.append((width * stretch, [FastRun(font, pieces, line)]))
    return out


def _kerned_pieces(line: str, cache: _FontCache, word_adjust: float) -> tuple[float, list[tuple[str, float]]]:
    """A kerned line's advance in 1/1000 em, and its pieces (text, TJ adjustment after it).

    Words that need no adjustment (most) are joined as they are; only the others are looked at.
    """
    words = line.split(" ")
    units_of = cache.units
    try:
        units = sum(map(units_of.__getitem__, words))
    except KeyError:
        units = sum(cache.word(word)[0] if word else 0.0 for word in words)
    final = len(words) - 1
    if final:
        units += cache.advance(" ") * final
    if word_adjust:
        specials: Sequence[int] = range(len(words))
    else:
        plain = cache.plain
        specials = [i for i, word in enumerate(words) if word not in plain]
        if not specials:
            return units, [(line, 0.0)]
    pieces: list[tuple[str, float]] = []
    pending = ""

    def cut(adjust: float) -> None:
        nonlocal pending
        if pending:
            pieces.append((pending, adjust))
            pending = ""
        else:
            text, before = pieces[-1]
            pieces[-1] = (text, before + adjust)

    entries = cache.words
    start = 0  # the first word not yet in pending
    for i in specials:
        if i > start:
            pending += " ".join(words[start:i]) + " "
        word = words[i]
        if word:
            _, word_pieces, lead, trail = entries.get(word) or cache.word(word)
            if i and lead:
                units += lead
                cut(-lead)
            if len(word_pieces) == 1:
                pending += word
            else:
                pending += word_pieces[0][0]
                cut(word_pieces[0][1])
                pieces.extend(word_pieces[1:-1])
                pending = word_pieces[-1][0]
        else:
            trail = cache.pair(" ", " ") if i else 0.0
        if i < final:
            if trail:
                units += trail
                cut(-trail)
            pending += " "
            if word_adjust:
                cut(word_adjust)
        start = i + 1
    if start <= final:
        pending += " ".join(words[start:])
    pieces.append((pending, 0.0))
    return units, pieces


class _CodeTable(dict):
    """Character -> the character whose code point is its code in one font resource.

    Translating a text through the table and encoding the result with `codec`
    (latin-1 for one-byte codes, UTF-16BE for two-byte codes) gives the
    resource's code bytes in two C-level passes.
    """

    def __init__(self, font: Font, encode: Callable[[Sequence[Glyph]], bytes]) -> None:
        super().__init__()
        self.font = font
        self.encode = encode
        self.width = 0
        self.codec = "latin-1"
        #: True once a code has a byte a literal string must escape.
        self.escape = False
        #: The space's codes (once a line has a space).
        self.space: bytes | None = None
        #: Word -> its codes, with its kerning as TJ adjustments: inside the word and against a
        #: space before and after it (middle), after it only (first), before it only (last), neither.
        self.middle: dict[str, bytes] = {}
        self.first: dict[str, bytes] = {}
        self.last: dict[str, bytes] = {}
        self.alone: dict[str, bytes] = {}

    def __missing__(self, code_point: int) -> str:
        code = self.encode(self.font.glyphs(chr(code_point)))
        if not self.width:
            self.width = len(code)
            self.codec = "latin-1" if self.width == 1 else "utf-16-be"
        if len(code) != self.width or self.width > 2:
            raise FontError(f"{self.font.postscript_name}: codes of {len(code)} bytes cannot be laid out by character")
        if not self.escape and not _ESCAPED_BYTES.isdisjoint(code):
            self.escape = True
        char = self[code_point] = chr(int.from_bytes(code, "big"))
        return char

    def word_codes(self, words: list[str], line: str) -> list[bytes]:
        """Each word's codes with its adjustments, kerned against a space on both sides (see fast_tj).

        Codes of a line's new characters are handed out in the order the line shows them.
        """
        middle = self.middle
        try:
            return list(map(middle.__getitem__, words))
        except KeyError:
            pass
        if len(middle) >= _WORD_CACHE_LIMIT:
            for forms in (middle, self.first, self.last, self.alone):
                forms.clear()
        line.translate(self)
        if self.space is None and " " in line:
            self.space = _codes(" ", self)
        cache = _font_cache(self.font)
        assert cache is not None
        for word in words:
            if word in middle:
                continue
            _, pieces, lead, trail = cache.words.get(word) or cache.word(word)
            body = b"".join([_codes(text, self) + _adjustment(adjust) for text, adjust in pieces[:-1]])
            body += _codes(pieces[-1][0], self)
            before = _adjustment(-lead) if lead else b""
            after = _adjustment(-trail) if trail else b""
            middle[word] = before + body + after
            self.first[word] = body + after
            self.last[word] = before + body
            self.alone[word] = body
        return list(map(middle.__getitem__, words))


_ADJUSTMENTS: dict[float, bytes] = {}
_ESCAPED_BYTES = frozenset(b"()\\\r")


def _codes(text: str, table: _CodeTable) -> bytes:
    """A text's codes, escaped for a literal string."""
    data = text.translate(table).encode(table.codec, "surrogatepass")
    if not table.escape:
        return data
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"\\r")


def _adjustment(adjust: float) -> bytes:
    """A TJ adjustment between two strings' codes: ``)number(``."""
    number = _ADJUSTMENTS.get(adjust)
    if number is None:
        if len(_ADJUSTMENTS) > 10_000:
            _ADJUSTMENTS.clear()
        number = _ADJUSTMENTS[adjust] = b")" + _num(adjust) + b"("
    return number


def _word_tj(words: list[str], line: str, table: _CodeTable) -> bytes | None:
    """The show-text operation of a line of words (see word_lines) from the words' cached codes.

    None where a code must be escaped in a literal string (then the line goes by pieces).
    """
    if table.escape:
        return None
    if not words:
        return b"() Tj\n"
    codes = table.word_codes(words, line)
    if table.escape:  # a code of this line needs escaping
        return None
    return _joined(words, codes, table)


def _joined(words: list[str], codes: list[bytes], table: _CodeTable) -> bytes:
    """The show operation of a line from its words' middle forms (first and last put in here)."""
    if len(codes) == 1:
        data = table.alone[words[0]]
    else:
        codes[0] = table.first[words[0]]
        codes[-1] = table.last[words[-1]]
        space = table.space
        if space is None:  # every word seen before, in lines of one word
            space = table.space = _codes(" ", table)
        data = space.join(codes)
    # Without escapes, a ")" only closes a string before an adjustment.
    return b"[(" + data + b")] TJ\n" if b")" in data else b"(" + data + b") Tj\n"


def _by_words(style: TextStyle) -> bool:
    """True if the block's lines may go by words (kerned, no word spacing, a font with a layout cache)."""
    return style.kerning and not style.word_spacing and _font_cache(style.fonts[0]) is not None


def _shows_by_words(
    lines: list[str], style: TextStyle, encode: Callable[[Sequence[Glyph]], bytes]
) -> list[bytes] | None:
    """Each line's show operation by words, unmeasured (for left-aligned blocks, which need no width).

    None if a line has a character the first font lacks, or a code needs
    escaping: the block then goes the measured way (codes already handed out
    stay as they are, in the order the lines show them).
    """
    font = style.fonts[0]
    cache = _font_cache(font)
    assert cache is not None
    cache.trim()
    table = _code_table(font, encode)
    if table.escape:
        return None
    middle, first, last, alone = table.middle, table.first, table.last, table.alone
    space = table.space
    shows = []
    for line in lines:
        words = line.split(" ")
        try:
            codes = list(map(middle.__getitem__, words))
        except KeyError:
            if not cache.covers(line):
                return None
            if "" in words:  # runs of spaces, or an empty line: by pieces
                shows.append(fast_tj(FastRun(font, _kerned_pieces(line, cache, 0.0)[1], line), encode))
                continue
            codes = table.word_codes(words, line)
            if table.escape:
                return None
            space = table.space
        if len(codes) > 1:  # as _joined does, inline: this loop runs once per line of every block
            if space is None:
                space = table.space = _codes(" ", table)
            codes[0] = first[words[0]]
            codes[-1] = last[words[-1]]
            data = space.join(codes)
        else:
            data = alone[words[0]]
        shows.append(b"[(" + data + b")] TJ\n" if b")" in data else b"(" + data + b") Tj\n")
    return shows


def _code_table(font: Font, encode: Callable[[Sequence[Glyph]], bytes]) -> _CodeTable:
    """The code table of a font resource (made on first use, kept on the resource)."""
    owner = getattr(encode, "__self__", encode)
    table = getattr(owner, "_code_table", None)
    if table is None:
        table = owner._code_table = _CodeTable(font, encode)
    return table


def fast_tj(run: FastRun, encode: Callable[[Sequence[Glyph]], bytes]) -> bytes:
    """The show-text operation of a FastRun: (codes) Tj, or [(codes) adjustment ...] TJ."""
    table = _code_table(run.font, encode)
    if run.words is not None:
        shown = _word_tj(run.words, run.text, table)
        if shown is not None:
            return shown
    pieces = run.pieces
    if pieces is None:
        cache = _font_cache(run.font)
        assert cache is not None
        pieces = _kerned_pieces(run.text, cache, 0.0)[1]
    if len(pieces) == 1:
        return b"(" + _codes(run.text, table) + b") Tj\n"
    # Without escapes every character is `width` bytes: encode the line once and slice it.
    data = b"" if table.escape else run.text.translate(table).encode(table.codec, "surrogatepass")
    width = table.width
    parts = [b"[("]
    start = 0
    for text, adjust in pieces[:-1]:
        number = _adjustment(adjust)
        if table.escape:
            parts.append(_codes(text, table))
        else:
            end = start + len(text) * width
            parts.append(data[start:end])
            start = end
        parts.append(number)
    parts.append(_codes(pieces[-1][0], table) if table.escape else data[start:])
    parts.append(b")] TJ\n")
    return b"".join(parts)


_SELECT_FONT: dict[tuple[str, float], bytes] = {}


def _line_move(moves: dict[float, bytes], step: float, leading: float) -> bytes:
    """The Td to the next line's start, `step` to the right and one leading down (kept in `moves` by step)."""
    move = moves.get(step)
    if move is None:
        move = moves[step] = _num(step) + b" " + _num(-leading) + b" Td\n"
    return move


def _select_font(name: str, size: float) -> bytes:
    """The Tf operation for a font resource name at a size (the same few, many times)."""
    found = _SELECT_FONT.get((name, size))
    if found is None:
        if len(_SELECT_FONT) > 1000:
            _SELECT_FONT.clear()
        found = _SELECT_FONT[(name, size)] = b"/" + name.encode() + b" " + _num(size) + b" Tf\n"
    return found


def block_origin(
    lines: int, widths: Sequence[float], style: TextStyle, halign: str, valign: str
) -> tuple[list[float], float]:
    """Per-line x offsets for the alignment, and the first baseline's y offset from the anchor."""
    leading = style.size * style.line_spacing
    primary = style.fonts[0]
    ascent = primary.ascent * style.size / 1000
    descent = primary.descent * style.size / 1000
    shift = {"left": 0.0, "center": 0.5, "right": 1.0}[halign]
    xs = [-w * shift for w in widths]
    if valign == "baseline":
        y = 0.0
    elif valign == "top":
        y = -ascent
    elif valign == "bottom":
        y = (lines - 1) * leading - descent
    else:
        top, bottom = ascent, -(lines - 1) * leading + descent
        y = -(top + bottom) / 2
    return xs, y


def text_operators(
    x: float,
    y: float,
    text: str,
    style: TextStyle,
    *,
    angle: float,
    halign: str,
    valign: str,
    render_mode: int,
    font_names: Callable[[Font, int], tuple[str, FontResource]],
    warned: set[str],
) -> bytes:
    """BT ... ET for a block of text anchored at (x, y); font_names(font, part) -> (resource name, resource)."""
    if render_mode in (1, 2, 7) and any(getattr(font, "paints_glyphs", False) for font in style.fonts):
        raise FontError(
            "Type 3 glyphs paint themselves, so stroked and clipping text cannot use a Type 3 font "
            "(viewers fill it or ignore it): use the OpenType font itself"
        )
    lines = text.split("\n")
    by_words = shows = None
    if not style.shaping and not (style.shaping is None and needs_shaping(text)) and _by_words(style):
        if halign == "left":  # no width needed
            name, resource = font_names(style.fonts[0], 0)
            shows = _shows_by_words(lines, style, resource.encode)
        if shows is None:
            by_words = word_lines(lines, style)
    laid_out: Sequence[tuple[float, Any]]
    if shows is not None:
        laid_out = [(0.0, None)] * len(lines)
    else:
        laid_out = by_words if by_words is not None else lay_out(text, style, warned)
    xs, y0 = block_origin(len(laid_out), [width for width, _ in laid_out], style, halign, valign)
    leading = style.size * style.line_spacing
    cos, sin = (math.cos(math.radians(angle)), math.sin(math.radians(angle))) if angle else (1.0, 0.0)
    out = [b"BT\n"]
    if render_mode:
        out.append(b"%d Tr\n" % render_mode)
    if style.char_spacing:
        out.append(_num(style.char_spacing) + b" Tc\n")
    if style.horizontal_scale != 100:
        out.append(_num(style.horizontal_scale) + b" Tz\n")
    current_font = None
    # The first line is placed with Tm, each next one relative to it with Td (text space is in points).
    dx, dy = xs[0], y0
    tx, ty = x + dx * cos - dy * sin, y + dx * sin + dy * cos
    rotation = b"1 0 0 1 " if not angle else b" ".join(_num(v) for v in (cos, sin, -sin, cos)) + b" "
    out.append(rotation + _num(tx) + b" " + _num(ty) + b" Tm\n")
    moves: dict[float, bytes] = {}
    if shows is not None:
        # A left-aligned block by words: one Tf, then each line's show, the next ones after a move.
        out.append(_select_font(name, style.size))
        out.append((b"0 " + _num(-leading) + b" Td\n").join(shows) if len(shows) > 1 else shows[0])
        laid_out = ()
    elif by_words is not None:
        # Every line in the first font, by words: one Tf, then each line's move and show.
        name, resource = font_names(style.fonts[0], 0)
        out.append(_select_font(name, style.size))
        table = _code_table(style.fonts[0], resource.encode)
        for index, (line, (_, words)) in enumerate(zip(lines, by_words)):
            if index:
                out.append(_line_move(moves, xs[index] - xs[index - 1], leading))
            shown = _word_tj(words, line, table)
            if shown is None:
                cache = _font_cache(style.fonts[0])
                assert cache is not None
                shown = fast_tj(FastRun(style.fonts[0], _kerned_pieces(line, cache, 0.0)[1], line), resource.encode)
            out.append(shown)
        laid_out = ()
    named_font = None
    for index, (_, runs) in enumerate(laid_out):
        if index:
            out.append(_line_move(moves, xs[index] - xs[index - 1], leading))
        for run in runs:
            if run.font is not named_font:  # the same font as the run before, most often
                named_font = run.font
                first_name, resource = font_names(run.font, 0)
            name = first_name
            if isinstance(run, FastRun):
                if name != current_font:
                    out.append(_select_font(name, style.size))
                    current_font = name
                out.append(fast_tj(run, resource.encode))
                continue
            if run.actual_text is not None:
                out.append(b"/Span <</ActualText " + serialize(run.actual_text) + b">> BDC\n")
            for part, start, end in resource.segments(run.glyphs):
                part_name = font_names(run.font, part)[0] if part else name
                if part_name != current_font:
                    out.append(_select_font(part_name, style.size))
                    current_font = part_name
                encode = resource.encoder(part)
                if run.shaped:
                    out.append(shaped_ops(run, encode, style, start, end))
                else:
                    out.append(tj_array(run, encode, style, start, end) + b" TJ\n")
            if run.actual_text is not None:
                out.append(b"EMC\n")
    out.append(b"ET\n")
    # Text state outlives ET: put back what this block changed (after ET: a clipping mode
    # must hold until ET, which applies the clip).
    if render_mode:
        out.append(b"0 Tr\n")
    if style.char_spacing:
        out.append(b"0 Tc\n")
    if style.horizontal_scale != 100:
        out.append(b"100 Tz\n")
    return b"".join(out)
