"""The 14 standard fonts and embedded Type 1 subsets: metrics, encoding, extraction, validity."""

from __future__ import annotations

import random
import re
import shutil
import struct
import subprocess
import time
import unicodedata
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from harness import check_pdf

from pdfwriter.document import Document
from pdfwriter.errors import FontError
from pdfwriter.pdf import serialize
from pdfwriter.fontfiles import core14_afm
from pdfwriter.text.afm import AfmMetrics, parse_afm, parse_afm_text
from pdfwriter.text.base import Font, Glyph
from pdfwriter.text.core14 import StandardFont
from pdfwriter.text.encodings import STANDARD_CODES, WIN_ANSI_CODES, WIN_ANSI_ENCODING
from pdfwriter.text.type1 import (
    CHARSTRING_KEY,
    EEXEC_KEY,
    Type1Font,
    Type1Program,
    decrypt,
    encrypt,
    read_segments,
)

# Latin Modern Roman 10 from Debian's lmodern package (the file Debian names lmr10.pfb).
_LM_DIRS = (Path("/usr/share/fonts/X11/Type1"), Path("/usr/share/texmf/fonts/type1/public/lm"))
_LM_STEMS = ("lmr10", "lmroman10-regular")
LM_PFB = next((d / f"{s}.pfb" for d in _LM_DIRS for s in _LM_STEMS if (d / f"{s}.pfb").is_file()), None)
LM_AFM = next(
    (
        p
        for d in (*_LM_DIRS, Path("/usr/share/texmf/fonts/afm/public/lm"))
        for s in _LM_STEMS
        if (p := d / f"{s}.afm").is_file()
    ),
    None,
)
needs_lm = pytest.mark.skipif(
    LM_PFB is None or LM_AFM is None,
    reason="Latin Modern Type 1 fonts are not installed: apt-get install fonts-lmodern lmodern",
)

POLISH = "Zażółć gęślą jaźń"
SAMPLE = f"{POLISH} — ﬁne ő"


def show(
    doc: Document, page: object, font: Font, text: str, x: float = 72, y: float = 700, size: float = 12
) -> None:
    """Write `text` in `font` at (x, y) with one Tj, as layout code would."""
    name, ref, res = doc.canon.font(font)
    page.add_resource("Font", name, ref)  # type: ignore[attr-defined]
    page.content.raw(  # type: ignore[attr-defined]
        b"BT /" + name.encode() + b" %g Tf %g %g Td " % (size, x, y)
        + serialize(res.encode(font.glyphs(text))) + b" Tj ET\n"
    )  # fmt: skip


def write_pdf(path: Path, lines: list[tuple[Font, str]], size: float = 12) -> Path:
    """A one-page PDF with each (font, text) on its own line from y=700 down."""
    with Document(path) as doc:
        page = doc.add_page()
        for index, (font, text) in enumerate(lines):
            show(doc, page, font, text, y=700 - 40 * index, size=size)
    return path


def ink_extent(img: np.ndarray, y_pt: float, dpi: float, height: float = 842) -> tuple[float, float]:
    """Left and right ink edges (points) of the line whose baseline is at y_pt."""
    scale = dpi / 72
    top = int((height - y_pt - 20) * scale)
    bottom = int((height - y_pt + 8) * scale)
    columns = np.nonzero((img[top:bottom].min(axis=2) < 160).any(axis=0))[0]
    assert columns.size, f"no ink on the line at y={y_pt}"
    return columns[0] / scale, (columns[-1] + 1) / scale


def ink_width(font: Font, metrics: AfmMetrics, text: str, size: float) -> float:
    """Expected ink width of `text` ("H...d", no kerning): measure() less the outer side bearings."""
    assert text[0] == "H" and text[-1] == "d"
    first, last = metrics.chars["H"], metrics.chars["d"]
    bearings = first.bbox[0] + last.width - last.bbox[2]
    return font.measure(text, size, kerning=False) - bearings * size / 1000


def pdffonts(path: Path) -> list[list[str]]:
    """pdffonts' table rows, split into columns (name, type words..., encoding, emb, sub, uni, ...)."""
    result = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in result.stdout.splitlines()[2:]]


# Core 14 ---------------------------------------------------------------------


def test_helvetica_metrics_and_kerning() -> None:
    font = StandardFont("Helvetica")
    (a,) = font.glyphs("A")
    assert a.advance == 667 and a.gid == ord("A")
    assert font.measure("A", 10) == pytest.approx(6.67)
    a, v = font.glyphs("AV")
    assert font.kerning(a, v) == -70
    assert font.measure("AV", 10) < font.measure("AV", 10, kerning=False)
    assert font.ascent == 718 and font.descent == -207 and font.cap_height == 718
    assert font.has_char("é") and font.has_char("€") and not font.has_char("ł")


def test_win_ansi_table() -> None:
    assert len(WIN_ANSI_CODES) == 218
    assert WIN_ANSI_CODES["€"] == 0x80 and WIN_ANSI_CODES["—"] == 0x97 and WIN_ANSI_CODES["é"] == 0xE9
    assert WIN_ANSI_ENCODING[0x27] == "quotesingle" and WIN_ANSI_ENCODING[0x60] == "grave"
    assert WIN_ANSI_ENCODING[0xA0] == "space" and WIN_ANSI_ENCODING[0xAD] == "hyphen"
    assert WIN_ANSI_ENCODING[0x81] is None and WIN_ANSI_ENCODING[0x7F] is None
    assert STANDARD_CODES["quoteright"] == 0o47 and STANDARD_CODES["lslash"] == 0o370


def test_standard_fonts_extract_and_stay_unembedded(tmp_pdf: Callable[[str], Path]) -> None:
    text = "Héllo wörld — 5 €"
    path = write_pdf(
        tmp_pdf("core14"),
        [(StandardFont(name), text) for name in ("Helvetica", "Times-BoldItalic", "Courier")],
    )
    with check_pdf(path) as checked:
        assert checked.text(0).split("\r\n") == [text] * 3
        poppler = checked.text_poppler(0)
        if poppler is not None:
            assert [line for line in poppler.splitlines() if line.strip("\x0c")] == [text] * 3
        fonts = checked.pdf.pages[0].Resources.Font
        helvetica = next(f for f in fonts.values() if f.BaseFont == "/Helvetica")
        assert helvetica.Subtype == "/Type1" and helvetica.Encoding == "/WinAnsiEncoding"
        assert "/FontDescriptor" not in helvetica and "/Widths" not in helvetica
    if shutil.which("pdffonts"):
        rows = {row[0]: row for row in pdffonts(path)}
        assert rows["Helvetica"][1:7] == ["Type", "1", "WinAnsi", "no", "no", "no"]  # emb, sub, uni


def test_standard_font_measure_matches_rendering(tmp_pdf: Callable[[str], Path]) -> None:
    font = StandardFont("Helvetica")
    text = "Hello world"
    with check_pdf(write_pdf(tmp_pdf("measure14"), [(font, text)], size=24)) as checked:
        left, right = ink_extent(checked.render(0, 144), 700, 144)
    assert left == pytest.approx(72, abs=2)
    assert right - left == pytest.approx(ink_width(font, parse_afm(core14_afm("Helvetica")), text, 24), abs=1)


def test_symbol_and_zapf_dingbats(tmp_pdf: Callable[[str], Path]) -> None:
    symbol, dingbats = StandardFont("Symbol"), StandardFont("ZapfDingbats")
    # Greek capitals Delta and Omega and mu are reached from both their Unicode spellings.
    assert symbol.glyphs("Δ∆") == [Glyph(0x44, 612, "Δ"), Glyph(0x44, 612, "∆")]
    assert symbol.glyphs("Ω")[0].gid == symbol.glyphs("Ω")[0].gid == 0x57
    assert symbol.glyphs("μ")[0].gid == symbol.glyphs("µ")[0].gid == 0x6D
    assert not symbol.has_char("A") and symbol.has_char("Α")
    assert [g.gid for g in dingbats.glyphs("✁●")] == [0x21, 0x6C]
    greek, signs = "αβγ ΔΩμ ∀∃", "✁✂✈●■"
    path = write_pdf(tmp_pdf("symbols"), [(symbol, greek), (dingbats, signs)], size=24)
    with check_pdf(path) as checked:
        img = checked.render(0, 72)
        for y in (700, 660):
            band = img[842 - y - 20 : 842 - y + 6, 60:300]
            assert (band.min(axis=2) < 128).sum() > 100, f"no glyphs drawn on the line at y={y}"
        assert checked.text(0).split("\r\n") == [greek, signs]
        fonts = checked.pdf.pages[0].Resources.Font
        assert all("/Encoding" not in f and "/ToUnicode" in f for f in fonts.values())


def test_characters_outside_win_ansi() -> None:
    font = StandardFont("Helvetica")
    with pytest.raises(FontError, match=r"'ł' \(U\+0142\).*WinAnsiEncoding.*embedded font"):
        font.glyphs("Zółw")
    lenient = StandardFont("Helvetica", missing="replace")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        glyphs = lenient.glyphs("łŁł ł")
    assert [str(w.message) for w in caught] == [
        "Helvetica has no 'ł' (U+0142); drawing '?' instead",
        "Helvetica has no 'Ł' (U+0141); drawing '?' instead",
    ]
    assert [g.gid for g in glyphs] == [ord("?")] * 3 + [32, ord("?")]
    assert "".join(g.text for g in glyphs) == "??? ?"
    with pytest.raises(FontError, match="Symbol cannot show 'A'"):
        StandardFont("Symbol").glyphs("A")


def test_standard_font_errors() -> None:
    with pytest.raises(FontError, match="14 standard fonts"):
        StandardFont("Arial")
    with pytest.raises(FontError, match="missing must be"):
        StandardFont("Helvetica", missing="skip")
    with pytest.raises(FontError, match="not a code of Helvetica"):
        StandardFont("Helvetica").new_resource().encode([Glyph(0x81, 0, "?")])


# AFM -------------------------------------------------------------------------


def test_afm_parser(tmp_path: Path) -> None:
    helvetica = parse_afm(Path(__file__).parents[1] / "fonts" / "Helvetica.afm")
    assert helvetica.font_name == "Helvetica" and helvetica.weight == "Medium"
    assert helvetica.bbox == (-166, -225, 1000, 931) and helvetica.std_vw == 88
    assert helvetica.chars["A"].code == 65 and helvetica.chars["Euro"].code == -1
    assert helvetica.kerning[("A", "V")] == -70
    bad = "StartFontMetrics 2.0\nFontName X\nStartCharMetrics 1\nC 65 ; WX wide ; N A ;\n"
    with pytest.raises(FontError, match=r"bad\.afm, line 4: expected a number, found 'wide'"):
        parse_afm_text(bad, "bad.afm")
    with pytest.raises(FontError, match="not an AFM file"):
        parse_afm_text("hello\n", "x.afm")
    with pytest.raises(FontError, match="truncated"):
        parse_afm_text("StartFontMetrics 2.0\nFontName X\nStartCharMetrics 1\n", "x.afm")
    with pytest.raises(FontError, match="cannot read AFM file"):
        parse_afm(tmp_path / "missing.afm")


# Type 1 ----------------------------------------------------------------------


def pfb(cleartext: bytes, encrypted: bytes, trailer: bytes = b"0" * 512 + b"\ncleartomark\n") -> bytes:
    """A PFB file from its three parts."""
    return b"".join(
        b"\x80" + bytes([kind]) + struct.pack("<I", len(part)) + part
        for kind, part in ((1, cleartext), (2, encrypted), (1, trailer))
    ) + b"\x80\x03"


def font_files(checked: pikepdf.Pdf) -> dict[str, pikepdf.Stream]:
    """Embedded FontFile streams by BaseFont."""
    return {
        str(f.BaseFont)[1:]: f.FontDescriptor.FontFile
        for f in checked.pages[0].Resources.Font.values()
        if "/FontDescriptor" in f
    }


def only_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The font dictionary of a page that uses one font."""
    (font,) = pdf.pages[0].Resources.Font.values()
    return font


def subset_program(stream: pikepdf.Stream) -> Type1Program:
    """Parse an embedded FontFile stream back into a Type1Program."""
    data = stream.read_bytes()
    n1, n2 = int(stream.stream_dict.Length1), int(stream.stream_dict.Length2)
    assert re.fullmatch(rb"(0{64}\n){8}cleartomark\n", data[n1 + n2 :])
    return Type1Program(pfb(data[:n1], data[n1 : n1 + n2]), "subset")


def with_full_font(path: Path, out: Path, font_file: Path) -> Path:
    """A copy of the PDF whose (only) Type 1 subset is replaced by the whole font program."""
    clear, encrypted = read_segments(font_file.read_bytes(), str(font_file))
    trailer = b"0" * 512 + b"\ncleartomark\n"
    with pikepdf.open(path) as pdf:
        (stream,) = font_files(pdf).values()
        stream.write(clear + encrypted + trailer)
        stream.Length1, stream.Length2, stream.Length3 = len(clear), len(encrypted), len(trailer)
        pdf.save(out)
    return out


@needs_lm
def test_eexec_round_trip() -> None:
    _, encrypted = read_segments(LM_PFB.read_bytes(), str(LM_PFB))
    plain = decrypt(encrypted, EEXEC_KEY)
    assert b"/CharStrings" in plain and encrypt(plain, EEXEC_KEY) == encrypted
    program = Type1Program(LM_PFB.read_bytes(), str(LM_PFB))
    charstring = program.charstrings["A"]
    assert encrypt(decrypt(charstring, CHARSTRING_KEY), CHARSTRING_KEY) == charstring


@needs_lm
def test_type1_subset_extracts_renders_and_is_small(tmp_pdf: Callable[[str], Path], tmp_path: Path) -> None:
    font = Type1Font(LM_PFB, LM_AFM)
    assert font.postscript_name == "LMRoman10-Regular"
    # None of the accented letters is in StandardEncoding; ł and ﬁ are (0370, 0256).
    accented = ("zdotaccent", "oacute", "eogonek", "ohungarumlaut")
    assert all(STANDARD_CODES.get(name) is None for name in accented)
    assert all(font.has_char(c) for c in SAMPLE)
    path = write_pdf(tmp_pdf("lm"), [(font, SAMPLE)])
    with check_pdf(path, external=True) as checked:  # qpdf, pdftoppm, mutool and gs must all pass
        assert checked.text(0) == unicodedata.normalize("NFKC", SAMPLE)  # pdfium splits ligatures
        assert checked.text_poppler(0).strip() == SAMPLE
        (name, stream), = font_files(checked.pdf).items()
        assert re.fullmatch(r"[A-Z]{6}\+LMRoman10-Regular", name)
        subset = len(stream.read_bytes())
        full = LM_PFB.stat().st_size
        print(f"\nLMRoman10-Regular: full .pfb {full} bytes, subset FontFile {subset} bytes "
              f"({len(stream.read_raw_bytes())} stored)")  # fmt: skip
        assert subset < full / 4
        program = subset_program(stream)
        used = {font.glyph_names[g.gid] for g in font.glyphs(SAMPLE)}
        assert set(program.charstrings) == used | {".notdef"}
        original = Type1Program(LM_PFB.read_bytes(), str(LM_PFB))
        assert program.subrs[:4] == original.subrs[:4]  # flex and hint replacement
        called = set().union(*(original.glyph_info(n).subrs for n in used | {".notdef"}))
        assert len(program.subrs) == len(called | {0, 1, 2, 3}) < len(original.subrs) / 10  # renumbered
        descriptor = only_font(checked.pdf).FontDescriptor
        assert descriptor.CharSet == "".join(f"/{n}" for n in sorted(used))
        assert int(descriptor.Flags) == 4 and descriptor.StemV == 69
        rendered = checked.render(0, 144)
    # The subset draws exactly what the whole font draws.
    with check_pdf(with_full_font(path, tmp_path / "full.pdf", LM_PFB)) as full_font:
        assert np.array_equal(full_font.render(0, 144), rendered)
    if shutil.which("pdffonts"):
        (row,) = pdffonts(path)
        assert row[1:6] == ["Type", "1", "Custom", "yes", "yes"]


@needs_lm
def test_type1_codes_and_widths(tmp_pdf: Callable[[str], Path]) -> None:
    font = Type1Font(LM_PFB)  # finds lmr10.afm beside it, or reads the charstrings
    resource = font.new_resource()
    assert resource.encode(font.glyphs("Aé ł")) == bytes([0o101, 0o177, 0o40, 0o370])
    path = write_pdf(tmp_pdf("codes"), [(font, "Aé ł"), (font, "ß€")])
    with check_pdf(path) as checked:
        entry = only_font(checked.pdf)
        assert list(entry.Encoding.Differences) == [
            32, "/space", 65, "/A", 127, "/eacute", "/Euro", 248, "/lslash", 251, "/germandbls",
        ]  # fmt: skip
        assert (entry.FirstChar, entry.LastChar) == (32, 251)
        widths = [float(w) for w in entry.Widths]
        assert widths[65 - 32] == pytest.approx(750)
        assert widths[128 - 32] == pytest.approx(font.glyphs("€")[0].advance)
        assert widths[1] == 0
        assert checked.text(0).split("\r\n") == ["Aé ł", "ß€"]


@needs_lm
def test_type1_measure_matches_rendering(tmp_pdf: Callable[[str], Path]) -> None:
    font = Type1Font(LM_PFB, LM_AFM)
    text = "Hello world"
    a, v = font.glyphs("AV")
    assert font.kerning(a, v) < 0
    with check_pdf(write_pdf(tmp_pdf("measure"), [(font, text)], size=24)) as checked:
        left, right = ink_extent(checked.render(0, 144), 700, 144)
    assert left == pytest.approx(72, abs=2)
    assert right - left == pytest.approx(ink_width(font, font.metrics, text, 24), abs=1)


@needs_lm
def test_type1_without_afm_reads_charstrings(tmp_path: Path, tmp_pdf: Callable[[str], Path]) -> None:
    lone = tmp_path / "lm.pfb"
    shutil.copyfile(LM_PFB, lone)
    bare, with_afm = Type1Font(lone), Type1Font(LM_PFB, LM_AFM)
    assert bare.metrics is None
    for char in "Hxgé—ﬁ":
        assert bare.glyphs(char)[0].advance == pytest.approx(with_afm.glyphs(char)[0].advance, abs=0.01)
    assert bare.cap_height == 683 and bare.x_height == 431 and bare.descent < 0
    a, v = bare.glyphs("AV")
    assert bare.kerning(a, v) == 0
    with check_pdf(write_pdf(tmp_pdf("bare"), [(bare, "Hello")]), external=True) as checked:
        assert checked.text(0) == "Hello"


@needs_lm
def test_type1_pfa(tmp_path: Path, tmp_pdf: Callable[[str], Path]) -> None:
    clear, encrypted = read_segments(LM_PFB.read_bytes(), str(LM_PFB))
    lines = [encrypted[i : i + 32].hex().encode() for i in range(0, len(encrypted), 32)]
    pfa = tmp_path / "lm.pfa"
    pfa.write_bytes(clear + b"\n".join(lines) + b"\n" + (b"0" * 64 + b"\n") * 8 + b"cleartomark\n")
    font = Type1Font(pfa, LM_AFM)
    assert font.glyph_names == Type1Font(LM_PFB, LM_AFM).glyph_names
    with check_pdf(write_pdf(tmp_pdf("pfa"), [(font, POLISH)]), external=True) as checked:
        assert checked.text(0) == POLISH


def replace_charstring(program: Type1Program, name: str, code: bytes) -> bytes:
    """The program's encrypted part with glyph `name` drawn by the plain charstring `code`."""
    old = program.charstrings[name]
    new = encrypt(bytes(4) + code, CHARSTRING_KEY)
    entry = b"/%s %d RD " % (name.encode(), len(old)) + old
    assert program.private.count(entry) == 1
    private = program.private.replace(entry, b"/%s %d RD " % (name.encode(), len(new)) + new)
    return encrypt(bytes(4) + private, EEXEC_KEY)


def number(value: int) -> bytes:
    """A charstring integer operand."""
    if -107 <= value <= 107:
        return bytes([value + 139])
    if 108 <= value <= 1131:
        return bytes([247 + (value - 108) // 256, (value - 108) % 256])
    if -1131 <= value <= -108:
        return bytes([251 + (-value - 108) // 256, (-value - 108) % 256])
    return b"\xff" + struct.pack(">i", value)


@needs_lm
def test_type1_seac_keeps_base_and_accent(tmp_path: Path, tmp_pdf: Callable[[str], Path]) -> None:
    program = Type1Program(LM_PFB.read_bytes(), str(LM_PFB))
    # Aring as a seac composite: A (StandardEncoding 65) with ring (0312) raised 40 units.
    seac = number(32) + number(750) + b"\x0d" + b"".join(map(number, (0, 0, 40, 65, 0o312))) + b"\x0c\x06"
    font_file = tmp_path / "seac.pfb"
    font_file.write_bytes(pfb(program.cleartext, replace_charstring(program, "Aring", seac)))
    font = Type1Font(font_file, LM_AFM)
    path = write_pdf(tmp_pdf("seac"), [(font, "Å")], size=48)
    with check_pdf(path, external=True) as checked:
        (stream,) = font_files(checked.pdf).values()
        assert set(subset_program(stream).charstrings) == {".notdef", "Aring", "A", "ring"}
        assert only_font(checked.pdf).FontDescriptor.CharSet == "/A/Aring/ring"
        rendered = checked.render(0, 72)
        assert (rendered.min(axis=2) < 128).sum() > 200
    with check_pdf(with_full_font(path, tmp_path / "full.pdf", font_file)) as full_font:
        assert np.array_equal(full_font.render(0, 72), rendered)


@needs_lm
def test_type1_ambiguous_subroutine_numbers_keep_indices(
    tmp_path: Path, tmp_pdf: Callable[[str], Path]
) -> None:
    program = Type1Program(LM_PFB.read_bytes(), str(LM_PFB))
    # A new subroutine that only pushes 5; glyph A uses that 5 once as a subroutine
    # number (5 is a hint) and once as a hint coordinate, so renumbering cannot
    # rewrite it: the subset must keep the original numbers.
    count = len(program.subrs)
    pusher = encrypt(bytes(4) + number(5) + b"\x0b", CHARSTRING_KEY)
    private = program.private.replace(b"/Subrs %d array" % count, b"/Subrs %d array" % (count + 1), 1)
    last = private.index(b"ND\n2 index")
    private = private[:last] + b"dup %d %d RD " % (count, len(pusher)) + pusher + b" NP\n" + private[last:]
    plain = program.plain_charstring(program.charstrings["A"])
    assert plain[3] == 13  # "32 750 hsbw", then the outline
    call = number(count) + b"\x0a"
    code = plain[:4] + call + b"\x0a" + call + number(22) + b"\x01" + plain[4:]
    extended = Type1Program(pfb(program.cleartext, encrypt(bytes(4) + private, EEXEC_KEY)), "extended")
    font_file = tmp_path / "ambiguous.pfb"
    font_file.write_bytes(pfb(program.cleartext, replace_charstring(extended, "A", code)))
    path = write_pdf(tmp_pdf("ambiguous"), [(Type1Font(font_file, LM_AFM), "AA")], size=48)
    with check_pdf(path, external=True) as checked:
        (stream,) = font_files(checked.pdf).values()
        subset = subset_program(stream)
        assert len(subset.subrs) == count + 1  # indices kept
        assert subset.subrs[count] == pusher and subset.subrs[5] == program.subrs[5]
        rendered = checked.render(0, 72)
    with check_pdf(with_full_font(path, tmp_path / "full.pdf", font_file)) as full_font:
        assert np.array_equal(full_font.render(0, 72), rendered)


@needs_lm
def test_type1_more_than_255_glyphs() -> None:
    font = Type1Font(LM_PFB, LM_AFM)
    resource = font.new_resource()
    resource.encode([Glyph(gid, 0, "") for gid in range(1, 256)])
    with pytest.raises(FontError, match="more than 255 distinct glyphs of LMRoman10-Regular"):
        resource.encode([Glyph(256, 0, "")])


def bad_files() -> dict[str, bytes]:
    """Damaged font files, each of which must raise FontError."""
    good = LM_PFB.read_bytes()
    clear, encrypted = read_segments(good, "lm")
    rng = random.Random(7)
    program = Type1Program(good, "lm")
    calls_subr_5000 = number(0) + number(500) + b"\x0d" + number(5000) + b"\x0a\x0e"  # hsbw, callsubr, endchar
    wrong_marker = bytearray(good)
    wrong_marker[6 + struct.unpack_from("<I", good, 2)[0]] = 0x81
    return {
        "empty": b"",
        "random bytes": rng.randbytes(20000),
        "truncated": good[: len(good) // 2],
        "wrong segment marker": bytes(wrong_marker),
        "random encrypted part": pfb(clear, rng.randbytes(len(encrypted))),
        "cleartext only": b"%!PS-AdobeFont-1.0: X\n/FontName /X def\n",
        "bad hex": clear + b"d9d66f63" + b"xyz" * 50,
        "encrypted part cut": pfb(clear, encrypted[: len(encrypted) // 3]),
        "undefined subroutine": pfb(clear, replace_charstring(program, "A", calls_subr_5000)),
    }


@needs_lm
def test_type1_bad_files_raise_quickly(tmp_path: Path) -> None:
    for label, data in bad_files().items():
        path = tmp_path / f"{label.replace(' ', '-')}.pfb"
        path.write_bytes(data)
        start = time.perf_counter()
        with pytest.raises(FontError) as raised:
            Type1Font(path).glyphs("A")
        assert time.perf_counter() - start < 30, label  # a guard against hanging on bad data, not a speed check
        assert str(path) in str(raised.value), label
    with pytest.raises(FontError, match="cannot read Type 1 font"):
        Type1Font(tmp_path / "missing.pfb")
    with pytest.raises(FontError, match="is the AFM of Helvetica"):
        Type1Font(LM_PFB, Path(__file__).parents[1] / "fonts" / "Helvetica.afm")
