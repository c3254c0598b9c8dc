"""OpenType fonts: loading, metrics, kerning, subset embedding, ToUnicode, and finding fonts by name."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pikepdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._k_e_r_n import KernTable_format_0
from harness import CheckedPdf, check_pdf
from hypothesis import given, settings
from hypothesis import strategies as st

from pdfwriter.document import Document, Page
from pdfwriter.errors import FontError
from pdfwriter.fontfiles import bundled_font
from pdfwriter.pdf import serialize
from pdfwriter.pdf.numbers import format_number
from pdfwriter.text import finder
from pdfwriter.text.base import Font, Glyph
from pdfwriter.text.opentype import OpenTypeFont, widths_array
from pdfwriter.text.tounicode import to_unicode_cmap

DEJAVU = bundled_font("DejaVu Sans")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CFF_FONTS = (
    Path("/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf"),
    Path("/usr/share/fonts/opentype/stix-word/STIX-Regular.otf"),
    Path("/usr/share/fonts/opentype/stix/STIXGeneral-Regular.otf"),
)
NON_BMP_CANDIDATES = (
    Path("/usr/share/fonts/opentype/stix-word/STIXMath-Regular.otf"),
    Path("/usr/share/fonts/opentype/stix-two/STIXTwoMath-Regular.otf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf"),
)
INSTALL_HINT = "apt-get install -y fonts-noto-cjk fonts-texgyre fonts-stix"


# Helpers ------------------------------------------------------------------------------------


def show(doc: Document, page: Page, font: Font, text: str, *, x: float = 72, y: float = 700,
         size: float = 12, kerning: bool = False) -> None:
    """Write text as a layout would: the font named in the page resources, TJ with kerning if asked."""
    name, ref, res = doc.canon.font(font)
    page.add_resource("Font", name, ref)
    glyphs = font.glyphs(text)
    if not kerning:
        shown = serialize(res.encode(glyphs)) + b" Tj"
    else:
        parts, start = [], 0
        for i in range(1, len(glyphs)):
            kern = font.kerning(glyphs[i - 1], glyphs[i])
            if kern:
                parts += [serialize(res.encode(glyphs[start:i])), format_number(-kern)]
                start = i
        parts.append(serialize(res.encode(glyphs[start:])))
        shown = b"[" + b" ".join(parts) + b"] TJ"
    head = b"BT /%s %s Tf %s %s Td " % (name.encode(), format_number(size), format_number(x), format_number(y))
    page.content.raw(head + shown + b" ET\n")


def write_lines(path: Path, items: list[tuple[Font, str]]) -> CheckedPdf:
    """A one-page PDF with each (font, text) on its own line, validated."""
    with Document(path, deterministic=True) as doc:
        page = doc.add_page()
        for n, (font, text) in enumerate(items):
            show(doc, page, font, text, y=760 - 30 * n)
    return check_pdf(path)


def pdffonts(path: Path) -> list[dict[str, str]]:
    """pdffonts rows as dicts with name, emb, sub and uni."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        fields = line.split()
        rows.append({"name": fields[0], "emb": fields[-5], "sub": fields[-4], "uni": fields[-3]})
    return rows


def font_objects(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The Type0 font dictionaries of a PDF."""
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"]


def program_of(type0: pikepdf.Dictionary) -> tuple[bytes, pikepdf.Dictionary]:
    """The embedded font program (decoded) of a Type0 font, and its CIDFont dictionary."""
    cid_font = type0.DescendantFonts[0]
    descriptor = cid_font.FontDescriptor
    stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    return stream.read_bytes(), cid_font


def embedded_outlines(type0: pikepdf.Dictionary) -> dict[int, list[Any]]:
    """CID -> the outline the embedded program draws for it (components decomposed)."""
    data, cid_font = program_of(type0)
    outlines = {}
    if cid_font.Subtype == "/CIDFontType2":
        subset = TTFont(io.BytesIO(data))
        glyph_set, order = subset.getGlyphSet(), subset.getGlyphOrder()
        gid_map = np.frombuffer(cid_font.CIDToGIDMap.read_bytes(), ">u2")
        for cid, gid in enumerate(gid_map):
            pen = DecomposingRecordingPen(glyph_set)
            glyph_set[order[gid]].draw(pen)
            outlines[cid] = pen.value
        return outlines
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    top = cff[cff.fontNames[0]]
    for gid, name in enumerate(top.charset):
        cid = int(name[3:]) if hasattr(top, "ROS") and name.startswith("cid") else gid
        pen = DecomposingRecordingPen(None)
        top.CharStrings[name].draw(pen)
        outlines[cid] = pen.value
    return outlines


def shown_cids(pdf: pikepdf.Pdf) -> list[int]:
    """Every two-byte code shown by Tj/TJ on the first page."""
    cids = []
    for instruction in pikepdf.parse_content_stream(pdf.pages[0]):
        if str(instruction.operator) in ("Tj", "TJ"):
            strings = instruction.operands[0] if str(instruction.operator) == "TJ" else instruction.operands
            for s in strings:
                if isinstance(s, pikepdf.String):
                    raw = bytes(s)
                    cids += [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
    return cids


def original_outline(font: OpenTypeFont, gid: int) -> list[Any]:
    """The outline a glyph of the original font draws (components decomposed)."""
    ttfont = TTFont(font.path, fontNumber=font.index)
    glyph_set = ttfont.getGlyphSet()
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[ttfont.getGlyphOrder()[gid]].draw(pen)
    return pen.value


def first_existing(paths: tuple[Path, ...], what: str) -> Path:
    """The first of these files that exists, else skip the test."""
    for path in paths:
        if path.is_file():
            return path
    pytest.skip(f"no {what} installed ({INSTALL_HINT})")


def non_bmp_font() -> tuple[OpenTypeFont, str]:
    """An installed font with mathematical alphanumerics (U+1D400...), and a string using them."""
    candidates = list(NON_BMP_CANDIDATES)
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":charset=1d400", "file"], capture_output=True, text=True).stdout
        candidates += [Path(line.rstrip(": ")) for line in listed.splitlines() if line.strip()]
    for path in candidates:
        if path.is_file() and path.suffix.lower() in (".ttf", ".otf"):
            font = OpenTypeFont(path)
            if all(font.has_char(c) for c in "\U0001d400\U0001d401\U0001d402"):
                return font, "x = \U0001d400\U0001d401\U0001d402 + y"
    pytest.skip(f"no installed font has U+1D400 ({INSTALL_HINT})")


def font_case(kind: str) -> tuple[OpenTypeFont, str]:
    """A font and a string for each extraction case."""
    if kind == "latin":
        return OpenTypeFont(DEJAVU), "Façade déjà vu: naïve Zoë, Ærøskøbing, Œuvre, ß"
    if kind == "greek":
        return OpenTypeFont(DEJAVU), "Καλημέρα κόσμε, ΑΒΓΔ αβγδ"
    if kind == "cyrillic":
        return OpenTypeFont(DEJAVU), "Съешь же ещё этих мягких булок"
    if kind == "cjk":
        if not NOTO_CJK.is_file():
            pytest.skip(f"{NOTO_CJK} is absent ({INSTALL_HINT})")
        return OpenTypeFont(NOTO_CJK, index=0), "日本語のテキストと中文，한국어"
    if kind == "cff":
        return OpenTypeFont(first_existing(CFF_FONTS, "CFF .otf font")), "Affine Quartz: Vexing Wyvern, Æsop"
    return non_bmp_font()


CASES = ("latin", "greek", "cyrillic", "cjk", "cff", "non-bmp")


# Extraction, embedding, outlines -------------------------------------------------------------


@pytest.mark.parametrize("kind", CASES)
def test_text_extracts_exactly(kind: str, tmp_pdf: Callable[[str], Path]) -> None:
    font, text = font_case(kind)
    path = tmp_pdf(kind)
    with write_lines(path, [(font, text)]) as checked:
        assert checked.text(0) == text
        poppler = checked.text_poppler(0)
        if poppler is not None:
            assert poppler.strip() == text


@pytest.mark.parametrize("kind", CASES)
def test_each_cid_draws_the_fonts_glyph(kind: str, tmp_pdf: Callable[[str], Path]) -> None:
    font, text = font_case(kind)
    path = tmp_pdf(kind)
    with write_lines(path, [(font, text)]) as checked:
        (type0,) = font_objects(checked.pdf)
        outlines = embedded_outlines(type0)
        cids = shown_cids(checked.pdf)
    glyphs = font.glyphs(text)
    assert len(cids) == len(glyphs)
    for cid, glyph in zip(cids, glyphs):
        assert outlines[cid] == original_outline(font, glyph.gid), (glyph, cid)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_pdffonts_every_font_embedded_and_subset(tmp_pdf: Callable[[str], Path]) -> None:
    items = []
    for kind in CASES:
        try:
            items.append(font_case(kind))
        except pytest.skip.Exception:
            continue
    path = tmp_pdf("fonts")
    write_lines(path, items).close()
    rows = pdffonts(path)
    assert len(rows) == len(items)
    for row in rows:
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row
        assert re.fullmatch(r"[A-Z]{6}\+\S+", row["name"]), row


def test_font_dictionaries(tmp_pdf: Callable[[str], Path]) -> None:
    font = OpenTypeFont(DEJAVU)
    with write_lines(tmp_pdf("dicts"), [(font, "Hello")]) as checked:
        (type0,) = font_objects(checked.pdf)
        data, cid_font = program_of(type0)
        descriptor = cid_font.FontDescriptor
        assert type0.Encoding == "/Identity-H"
        assert str(type0.BaseFont) == str(cid_font.BaseFont) == str(descriptor.FontName)
        assert dict(cid_font.CIDSystemInfo) == {"/Registry": "Adobe", "/Ordering": "Identity", "/Supplement": 0}
        assert cid_font.Subtype == "/CIDFontType2"
        assert descriptor.FontFile2.Length1 == len(data)
        assert int(descriptor.Flags) & 32 and not int(descriptor.Flags) & 4  # Nonsymbolic: Latin text
        assert [int(v) for v in descriptor.FontBBox] == [round(v) for v in font.bbox]
        assert int(descriptor.Ascent) == round(font.ascent) and int(descriptor.Descent) == round(font.descent)
        assert 600 < int(descriptor.CapHeight) < 800 and int(descriptor.StemV) > 0
    greek = OpenTypeFont(DEJAVU)
    with write_lines(tmp_pdf("greek"), [(greek, "αβγ")]) as checked:
        (type0,) = font_objects(checked.pdf)
        assert int(type0.DescendantFonts[0].FontDescriptor.Flags) & 4  # Symbolic: outside Latin


def test_cff_program_is_bare_cff(tmp_pdf: Callable[[str], Path]) -> None:
    font, text = font_case("cff")
    with write_lines(tmp_pdf("cff"), [(font, text)]) as checked:
        (type0,) = font_objects(checked.pdf)
        data, cid_font = program_of(type0)
        assert cid_font.Subtype == "/CIDFontType0"
        assert cid_font.FontDescriptor.FontFile3.Subtype == "/CIDFontType0C"
        assert "/CIDToGIDMap" not in cid_font
        assert data[:1] == b"\x01"  # CFF major version 1


def test_ligature_and_shared_glyph_texts_extract(tmp_pdf: Callable[[str], Path]) -> None:
    font = OpenTypeFont(DEJAVU)
    (ffi,) = font.glyphs("\ufb03")
    (space,) = font.glyphs(" ")
    path = tmp_pdf("ligature")
    with Document(path) as doc:
        page = doc.add_page()
        name, ref, res = doc.canon.font(font)
        page.add_resource("Font", name, ref)
        # A shaper's ligature stands for three characters; one glyph may show two different texts.
        glyphs = [*font.glyphs("o"), Glyph(ffi.gid, ffi.advance, "ffi"), *font.glyphs("ce"), space,
                  Glyph(space.gid, space.advance, "\u2002"), *font.glyphs("x")]
        page.content.raw(b"BT /%s 12 Tf 72 700 Td %s Tj ET\n" % (name.encode(), serialize(res.encode(glyphs))))
    with check_pdf(path) as checked:
        assert checked.text(0) == "office \u2002x"


def test_glyph_missing_from_font_still_extracts(tmp_pdf: Callable[[str], Path]) -> None:
    font = OpenTypeFont(DEJAVU)
    text = "a\u4e2db"  # DejaVu Sans has no CJK: .notdef is drawn
    assert [g.gid for g in font.glyphs(text)][1] == 0
    with write_lines(tmp_pdf("notdef"), [(font, text)]) as checked:
        assert checked.text(0) == text


def test_unused_font_is_still_valid(tmp_pdf: Callable[[str], Path]) -> None:
    path = tmp_pdf("unused")
    with Document(path) as doc:
        page = doc.add_page()
        name, ref, _ = doc.canon.font(OpenTypeFont(DEJAVU))
        page.add_resource("Font", name, ref)
    check_pdf(path).close()


# Subsets --------------------------------------------------------------------------------------


def test_subset_size_of_20_dejavu_glyphs(tmp_pdf: Callable[[str], Path]) -> None:
    font = OpenTypeFont(DEJAVU)
    text = "ABCDEFGHIJabcdefghij"
    path = tmp_pdf("size")
    with write_lines(path, [(font, text)]) as checked:
        (type0,) = font_objects(checked.pdf)
        data, cid_font = program_of(type0)
        stored = len(cid_font.FontDescriptor.FontFile2.read_raw_bytes())
    subset = TTFont(io.BytesIO(data))
    print(f"\n20-glyph DejaVu Sans subset: {len(data)} bytes, {stored} compressed; PDF {path.stat().st_size} bytes")
    assert stored < 2500 and len(data) < 3000
    assert len(subset.getGlyphOrder()) == 21  # .notdef and the 20 glyphs
    assert set(subset.keys()) - {"GlyphOrder"} == {"glyf", "loca", "head", "hhea", "hmtx", "maxp"}
    assert all(not getattr(subset["glyf"][g], "program", None) or not subset["glyf"][g].program.getBytecode()
               for g in subset.getGlyphOrder())  # no hinting instructions


HINTING_TABLES = {"fpgm", "prep", "cvt ", "gasp"}


def has_instructions(subset: TTFont) -> bool:
    """True if any glyph of a TrueType font carries hinting instructions."""
    glyf = subset["glyf"]
    return any(getattr(glyf[name], "program", None) is not None and len(glyf[name].program.getBytecode())
               for name in subset.getGlyphOrder())


@pytest.mark.parametrize("hinting", [False, True])
def test_hinting_option_keeps_or_drops_the_hinting(hinting: bool, tmp_pdf: Callable[[str], Path]) -> None:
    """hinting=True embeds fpgm, prep, cvt, gasp and the glyphs' instructions; the default leaves them out.
    The outlines are the font's either way (composite accented glyphs included)."""
    text = "Hinted: Åé ñ fi 0123"
    font = finder.load_font(DEJAVU, hinting=hinting) if hinting else OpenTypeFont(DEJAVU)
    assert font.hinting is hinting
    path = tmp_pdf(f"hinting-{hinting}")
    with write_lines(path, [(font, text)]) as checked:
        (type0,) = font_objects(checked.pdf)
        data, _ = program_of(type0)
        outlines = embedded_outlines(type0)
        cids = shown_cids(checked.pdf)
        assert checked.text(0) == text
    subset = TTFont(io.BytesIO(data))
    tables = set(subset.keys()) - {"GlyphOrder"}
    assert tables == {"glyf", "loca", "head", "hhea", "hmtx", "maxp"} | (HINTING_TABLES if hinting else set())
    assert has_instructions(subset) is hinting
    if hinting:
        source = TTFont(DEJAVU)
        for tag in HINTING_TABLES:
            assert subset.reader[tag] == source.reader[tag]
    assert any(subset["glyf"][name].isComposite() for name in subset.getGlyphOrder())
    for cid, glyph in zip(cids, font.glyphs(text)):
        assert outlines[cid] == original_outline(font, glyph.gid), glyph


def test_hinting_option_on_cff_and_woff_fonts(tmp_pdf: Callable[[str], Path]) -> None:
    """Fonts subset by fontTools (CFF outlines, WOFF files) take the option too."""
    woff = TTFont(DEJAVU)
    woff.flavor = "woff"
    buffer = io.BytesIO()
    woff.save(buffer)
    for hinting in (False, True):
        font = OpenTypeFont(buffer.getvalue(), hinting=hinting)
        with write_lines(tmp_pdf(f"woff-{hinting}"), [(font, "WOFF hinting")]) as checked:
            data, _ = program_of(font_objects(checked.pdf)[0])
        subset = TTFont(io.BytesIO(data))
        assert (HINTING_TABLES <= set(subset.keys())) is hinting and has_instructions(subset) is hinting
    cff = OpenTypeFont(first_existing(CFF_FONTS, "CFF .otf font"), hinting=True)
    with write_lines(tmp_pdf("cff-hinting"), [(cff, "Hinted CFF")]) as checked:
        assert checked.text(0) == "Hinted CFF"


def test_same_glyphs_same_tag_and_bytes(tmp_pdf: Callable[[str], Path]) -> None:
    names, files = [], []
    for text in ("Same glyphs", "Same glyphs", "Other glyphs"):
        path = tmp_pdf("tag")
        with write_lines(path, [(OpenTypeFont(DEJAVU), text)]) as checked:
            names.append(str(font_objects(checked.pdf)[0].BaseFont))
        files.append(path.read_bytes())
    assert all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans", n) for n in names)
    assert names[0] == names[1] != names[2]
    assert files[0] == files[1]


def test_no_subsetting_licence_embeds_the_whole_font(tmp_pdf: Callable[[str], Path]) -> None:
    ttfont = TTFont(DEJAVU)
    ttfont["OS/2"].fsType = 0x0100
    font = OpenTypeFont(ttfont)
    with write_lines(tmp_pdf("whole"), [(font, "Whole font")]) as checked:
        (type0,) = font_objects(checked.pdf)
        data, _ = program_of(type0)
        assert str(type0.BaseFont) == "/DejaVuSans"
        assert len(TTFont(io.BytesIO(data)).getGlyphOrder()) == len(ttfont.getGlyphOrder())
        assert checked.text(0) == "Whole font"


# Widths, measuring, kerning -------------------------------------------------------------------


def decode_w(w: list[Any], default: float) -> Callable[[int], float]:
    """The width of a CID under a W array and DW."""
    table: dict[int, float] = {}
    i = 0
    while i < len(w):
        if isinstance(w[i + 1], list):
            table.update({w[i] + k: v for k, v in enumerate(w[i + 1])})
            i += 2
        else:
            table.update({c: w[i + 2] for c in range(w[i], w[i + 1] + 1)})
            i += 3
    return lambda cid: table.get(cid, default)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 300), st.sampled_from([250, 500, 500, 500, 600.5, 1000]), max_size=80),
       st.sampled_from([500, 1000]))
def test_widths_array_round_trips(widths: dict[int, float], default: float) -> None:
    width_of = decode_w(widths_array(widths, default), default)
    assert all(width_of(cid) == w for cid, w in widths.items())


def test_widths_array_is_compact() -> None:
    assert widths_array({1: 500, 2: 600, 3: 700}, 1000) == [1, [500, 600, 700]]
    assert widths_array(dict.fromkeys(range(10, 30), 278), 1000) == [10, 29, 278]
    assert widths_array({1: 500, 2: 1000, 3: 1000, 4: 1000, 5: 600}, 1000) == [1, [500], 5, [600]]
    assert widths_array({1: 500, 2: 500}, 500) == []


def ink_extent(image: np.ndarray) -> tuple[int, int]:
    """First column with dark pixels, and one past the last."""
    grey = image.min(axis=2) if image.ndim == 3 else image
    columns = np.flatnonzero((grey < 128).any(axis=0))
    return int(columns[0]), int(columns[-1]) + 1


def poppler_render(path: Path) -> np.ndarray | None:
    """Page 1 rendered by pdftoppm at 72 dpi in grey, or None without pdftoppm."""
    if shutil.which("pdftoppm") is None:
        return None
    out = subprocess.run(["pdftoppm", "-r", "72", "-gray", str(path)], capture_output=True, check=True).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", out)
    width, height = int(header[1]), int(header[2])
    return np.frombuffer(out[header.end() :], np.uint8).reshape(height, width)


@pytest.mark.parametrize("kind", ["latin", "cff"])
def test_measure_matches_rendered_width(kind: str, tmp_pdf: Callable[[str], Path]) -> None:
    font, _ = font_case(kind)
    text, size, x = "AVAWAYAVATo Wa Yo LT AV WAVE", 24.0, 40.0
    kerned, plain = font.measure(text, size), font.measure(text, size, kerning=False)
    assert plain - kerned > 5  # kerning matters here, so the comparison tells them apart
    glyphs = font.glyphs(text)
    ttfont = TTFont(font.path)
    glyph_set, order = ttfont.getGlyphSet(), ttfont.getGlyphOrder()
    scale = size / ttfont["head"].unitsPerEm
    bounds = []
    for gid in (glyphs[0].gid, glyphs[-1].gid):
        pen = BoundsPen(glyph_set)
        glyph_set[order[gid]].draw(pen)
        bounds.append(pen.bounds)
    # Ink runs from the first glyph's left side bearing to the last glyph's right edge.
    expected = (x + bounds[0][0] * scale, x + kerned - glyphs[-1].advance * size / 1000 + bounds[1][2] * scale)
    path = tmp_pdf(kind)
    with Document(path) as doc:
        page = doc.add_page()
        show(doc, page, font, text, x=x, y=400, size=size, kerning=True)
    with check_pdf(path) as checked:
        renders = {"pdfium": checked.render(0, dpi=72)}
    poppler = poppler_render(path)
    if poppler is not None:
        renders["poppler"] = poppler
    for renderer, image in renders.items():
        left, right = ink_extent(image)
        assert abs(left - expected[0]) < 2 and abs(right - expected[1]) < 2, (renderer, (left, right), expected)


def gpos_pair_value(ttfont: TTFont, left: str, right: str) -> int:
    """XAdvance of the first 'kern' PairPos subtable holding a pair, read with fontTools directly."""
    gpos = ttfont["GPOS"].table
    lookups = sorted({i for r in gpos.FeatureList.FeatureRecord if r.FeatureTag == "kern"
                      for i in r.Feature.LookupListIndex})
    for index in lookups:
        for sub in gpos.LookupList.Lookup[index].SubTable:
            sub = getattr(sub, "ExtSubTable", sub)
            if left not in sub.Coverage.glyphs:
                continue
            if sub.Format == 1:
                pairs = sub.PairSet[sub.Coverage.glyphs.index(left)].PairValueRecord
                for record in pairs:
                    if record.SecondGlyph == right:
                        return record.Value1.XAdvance
            else:
                c1 = sub.ClassDef1.classDefs.get(left, 0)
                c2 = sub.ClassDef2.classDefs.get(right, 0)
                return sub.Class1Record[c1].Class2Record[c2].Value1.XAdvance
    return 0


def test_kerning_av_matches_gpos() -> None:
    font = OpenTypeFont(DEJAVU)
    a, v = font.glyphs("AV")
    ttfont = TTFont(DEJAVU)
    expected = gpos_pair_value(ttfont, "A", "V") * 1000 / ttfont["head"].unitsPerEm
    assert font.kerning(a, v) < 0
    assert font.kerning(a, v) == pytest.approx(expected, abs=0.05)
    o, x = font.glyphs("ox")
    assert font.kerning(o, x) == pytest.approx(gpos_pair_value(ttfont, "o", "x") * 1000 / 2048, abs=0.05)


@pytest.mark.parametrize("kind", ["latin", "cff", "cjk"])
def test_kerning_read_from_bytes_matches_fonttools(kind: str) -> None:
    """The GPOS pair kerning read straight from the font's bytes is the fontTools reading, pair for pair."""
    from pdfwriter.text.opentype import _Kerning
    from pdfwriter.text.sfnt import kern_lookups

    font, _ = font_case(kind)
    raw = kern_lookups(*font.font_data())
    assert raw is not None
    by_bytes, by_fonttools = _Kerning(font._ttfont, font.units_scale, raw), _Kerning(font._ttfont, font.units_scale)
    assert by_bytes.firsts == by_fonttools.firsts
    gids = sorted({g.gid for g in font.glyphs("".join(map(chr, range(32, 127))) + "éàüÅæœßΩπЖж日本語")})
    pairs = [(left, right) for left in gids for right in gids]
    assert [by_bytes.pair(*p) for p in pairs] == [by_fonttools.pair(*p) for p in pairs]
    assert sum(1 for p in pairs if by_fonttools.pair(*p)) > 10


@pytest.mark.parametrize("kind", ["latin", "cff", "cjk", "non-bmp"])
def test_loading_from_bytes_matches_fonttools(kind: str) -> None:
    """Advances, character map and post values read from the file's bytes equal fontTools' reading
    (a TTFont source goes through fontTools)."""
    font, _ = font_case(kind)
    data, index = font.font_data()
    through_fonttools = OpenTypeFont(TTFont(io.BytesIO(data), fontNumber=index, lazy=True))
    for name in ("_advances", "_cmap", "symbol_cmap", "italic_angle", "flags", "cap_height"):
        assert getattr(font, name) == getattr(through_fonttools, name), name


def test_legacy_kern_table_is_used_without_gpos() -> None:
    ttfont = TTFont(DEJAVU)
    expected = gpos_pair_value(ttfont, "A", "V")
    del ttfont["GPOS"]
    kern = newTable("kern")
    kern.version = 0
    sub = KernTable_format_0()
    sub.version, sub.format, sub.coverage, sub.apple = 0, 0, 1, False
    sub.kernTable = {("A", "V"): expected}
    kern.kernTables = [sub]
    ttfont["kern"] = kern
    font = OpenTypeFont(ttfont)
    a, v = font.glyphs("AV")
    assert font.kerning(a, v) == pytest.approx(expected * 1000 / 2048, abs=0.05)
    assert font.kerning(v, a) == 0


def test_glyphs_and_kerning_agree_with_measure_over_many_lines() -> None:
    """8,000 kerned lines: glyph advances plus pair kerning are what Font.measure reports (speed: bench_text.py)."""
    font = OpenTypeFont(DEJAVU)
    rng = random.Random(1)
    words = "The quick brown fox jumps over the lazy dog; AVATAR Typography, WAVE. To Ta Vo We LT".split()
    lines = [" ".join(rng.choice(words) for _ in range(14))[:80] for _ in range(200 * 40)]
    kerned = 0
    for line in lines:
        glyphs = font.glyphs(line)
        pairs = [font.kerning(a, b) for a, b in zip(glyphs, glyphs[1:])]
        kerned += any(pairs)
        assert sum(g.advance for g in glyphs) + sum(pairs) == pytest.approx(font.measure(line, 1000.0)), line
    assert kerned > len(lines) / 2  # "AV", "To", "Ta", "We" pairs are kerned in most lines


# Loading ------------------------------------------------------------------------------------


def test_metrics_of_dejavu() -> None:
    font = OpenTypeFont(DEJAVU)
    assert font.postscript_name == "DejaVuSans" and font.family_name == "DejaVu Sans"
    assert font.ascent == pytest.approx(1901 * 1000 / 2048) and font.descent == pytest.approx(-483 * 1000 / 2048)
    assert font.italic_angle == 0 and font.bbox[0] < 0 < font.bbox[2]
    assert font.cap_height == pytest.approx(TTFont(DEJAVU)["glyf"]["H"].yMax * 1000 / 2048)  # no sCapHeight
    (a,) = font.glyphs("A")
    assert a.advance == round(1401 * 1000 / 2048) == 684 and a.text == "A"  # whole units, as viewers read /W
    assert font.measure("AAAA", 10, kerning=False) == pytest.approx(4 * a.advance / 100)
    assert not font.is_cff and OpenTypeFont(bundled_font("DejaVu Sans Oblique")).italic_angle < 0


def test_glyphs_one_per_character_with_missing_and_non_bmp() -> None:
    font, text = non_bmp_font()
    glyphs = font.glyphs(text)
    assert len(glyphs) == len(text) and [g.text for g in glyphs] == list(text)
    assert all(g.gid > 0 for g in glyphs if g.text != " ")
    (missing,) = OpenTypeFont(DEJAVU).glyphs("\U0001d400")
    assert missing.gid == 0 and missing.text == "\U0001d400"
    assert not OpenTypeFont(DEJAVU).has_char("\U0001d400")


def test_sources_path_bytes_ttfont_and_collection_index() -> None:
    by_path = OpenTypeFont(DEJAVU)
    by_bytes = OpenTypeFont(DEJAVU.read_bytes())
    by_ttfont = OpenTypeFont(TTFont(DEJAVU))
    assert by_path.glyphs("Qé") == by_bytes.glyphs("Qé") == by_ttfont.glyphs("Qé")
    with pytest.raises(FontError, match="collection"):
        OpenTypeFont(DEJAVU, index=1)
    if NOTO_CJK.is_file():
        names = {OpenTypeFont(NOTO_CJK, index=i).postscript_name for i in range(3)}
        assert len(names) == 3
        with pytest.raises(FontError, match=str(NOTO_CJK)):
            OpenTypeFont(NOTO_CJK, index=99)


def png_bytes() -> bytes:
    """A small valid PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (4).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0\0" * 4)) + chunk(b"IEND", b"")


def bad_font_files() -> dict[str, bytes]:
    """Broken font data by description."""
    data = DEJAVU.read_bytes()
    garbled = bytearray(data)
    glyf = TTFont(DEJAVU).reader.tables["glyf"]
    garbled[glyf.offset : glyf.offset + glyf.length] = random.Random(2).randbytes(glyf.length)
    return {
        "empty": b"",
        "random": random.Random(0).randbytes(5000),
        "truncated-head": data[:1000],
        "truncated-half": data[: len(data) // 2],
        "png": png_bytes(),
        "sfnt-magic-then-junk": b"\x00\x01\x00\x00" + random.Random(1).randbytes(3000),
        "garbled-glyf": bytes(garbled),
    }


@pytest.mark.parametrize("case", list(bad_font_files()))
def test_bad_font_files_raise_font_error_quickly(case: str, tmp_path: Path, tmp_pdf: Callable[[str], Path]) -> None:
    path = tmp_path / f"{case}.ttf"
    path.write_bytes(bad_font_files()[case])
    start = time.perf_counter()
    output = tmp_pdf(case)
    with pytest.raises(FontError, match=re.escape(str(path))):
        font = OpenTypeFont(path)
        # Some damage shows only when the subset is made, at close.
        with Document(output) as doc:
            show(doc, doc.add_page(), font, "Hamburgefonstiv")
    assert not Path(output).exists()  # no half-written PDF left behind
    assert time.perf_counter() - start < 30  # a guard against hanging on bad data, not a speed check
    with pytest.raises(FontError):
        font = finder.load_font(path)
        with Document(tmp_pdf(f"{case}-loaded")) as doc:
            show(doc, doc.add_page(), font, "Hamburgefonstiv")


def test_missing_file_raises_font_error(tmp_path: Path) -> None:
    with pytest.raises(FontError, match="nothere.ttf"):
        OpenTypeFont(tmp_path / "nothere.ttf")
    with pytest.raises(FontError, match="not found"):
        finder.load_font(tmp_path / "nothere.otf")


@pytest.mark.parametrize("fs_type", [0x0002, 0x0102, 0x0200])
def test_embedding_restrictions_raise(fs_type: int) -> None:
    ttfont = TTFont(DEJAVU)
    ttfont["OS/2"].fsType = fs_type
    buffer = io.BytesIO()
    ttfont.save(buffer)
    with pytest.raises(FontError, match="licence"):
        OpenTypeFont(buffer.getvalue())


# ToUnicode ------------------------------------------------------------------------------------


def parse_cmap(data: bytes) -> dict[int, str]:
    """Read back a ToUnicode CMap (bfchar and bfrange)."""
    text = data.decode("ascii")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar\n(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<(\w+)> <(\w+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange\n(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<(\w+)> <(\w+)> <(\w+)>", block):
            assert lo[:-2] == hi[:-2]  # one 256-code block
            base = bytes.fromhex(dst)
            for k in range(int(hi, 16) - int(lo, 16) + 1):
                assert base[-1] + k <= 0xFF  # only the last byte changes
                mapping[int(lo, 16) + k] = (base[:-1] + bytes([base[-1] + k])).decode("utf-16-be")
    return mapping


def entry_counts(data: bytes) -> list[int]:
    """The declared entry count of every bfchar/bfrange block."""
    return [int(n) for n in re.findall(rb"(\d+) beginbf(?:char|range)", data)]


def test_tounicode_ranges_and_chars() -> None:
    mapping = {1: "A", 2: "B", 3: "C", 4: "x", 7: "é", 8: "ê"}
    data = to_unicode_cmap(mapping)
    assert b"<0001> <0003> <0041>" in data and b"<0007> <0008> <00E9>" in data
    assert b"<0004> <0078>" in data
    assert b"<0000> <FFFF>" in data and b"/CMapName /Adobe-Identity-UCS def" in data
    assert parse_cmap(data) == mapping


def test_tounicode_ligature_and_non_bmp() -> None:
    data = to_unicode_cmap({5: "ffi", 6: "\U0001d400", 7: "\U0001d401"})
    assert b"<0005> <006600660069>" in data
    assert b"<0006> <0007> <D835DC00>" in data  # surrogate pair; the low surrogate counts up
    assert parse_cmap(data) == {5: "ffi", 6: "\U0001d400", 7: "\U0001d401"}


def test_tounicode_ranges_stay_inside_blocks_and_byte_limits() -> None:
    # Codes 0xFE..0x101 cross a 256-code block; U+00FE..U+0101 cross a last-byte boundary.
    mapping = {code: chr(0xF0 + code - 0xF0) for code in range(0xF0, 0x110)}
    mapping.update({0x300 + k: chr(0x1FE + k) for k in range(4)})
    data = to_unicode_cmap(mapping)
    assert parse_cmap(data) == mapping
    assert b"<00F0> <00FF> <00F0>" in data and b"<0100> <010F> <0100>" in data


def test_tounicode_blocks_hold_at_most_100_entries() -> None:
    mapping = {2 * k: chr(0x4E00 + 3 * k) for k in range(250)}
    data = to_unicode_cmap(mapping)
    assert entry_counts(data) == [100, 100, 50]
    assert parse_cmap(data) == mapping


def test_tounicode_one_byte_codes() -> None:
    data = to_unicode_cmap({32: " ", 65: "A", 66: "B", 0xFB: "fi"}, code_bytes=1)
    assert b"<00> <FF>" in data and b"<41> <42> <0041>" in data and b"<FB> <00660069>" in data
    assert parse_cmap(data) == {32: " ", 65: "A", 66: "B", 0xFB: "fi"}
    with pytest.raises(FontError):
        to_unicode_cmap({256: "x"}, code_bytes=1)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 0xFFFF), st.text(min_size=1, max_size=3).filter(
    lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)), max_size=300))
def test_tounicode_round_trips(mapping: dict[int, str]) -> None:
    data = to_unicode_cmap(mapping)
    assert parse_cmap(data) == mapping
    assert all(n <= 100 for n in entry_counts(data))


# Finding fonts ------------------------------------------------------------------------------


def test_find_bundled_fonts() -> None:
    assert finder.find_font("DejaVu Sans") == DEJAVU
    assert finder.find_font("dejavu sans", bold=True) == bundled_font("DejaVu Sans Bold")
    assert finder.find_font("DejaVu Sans", bold=True, italic=True) == bundled_font("DejaVu Sans Bold Oblique")
    with pytest.raises(FontError, match="non-empty"):
        finder.find_font(" ")
    assert finder.default_font() is finder.default_font()
    assert finder.default_font().postscript_name == "DejaVuSans"


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig (fc-match) is not installed")
def test_find_with_fontconfig() -> None:
    path, index = finder.locate_font("DejaVu Sans Mono", bold=True)
    assert OpenTypeFont(path, index=index).postscript_name == "DejaVuSansMono-Bold"
    with pytest.raises(FontError, match="close matches: DejaVu Sans"):
        finder.find_font("DejaVu Sanz")
    with pytest.raises(FontError, match="no installed font family 'No Such Family Anywhere'"):
        finder.find_font("No Such Family Anywhere")
    if NOTO_CJK.is_file():
        font = finder.load_font("Noto Sans CJK SC")
        assert isinstance(font, OpenTypeFont) and font.postscript_name == "NotoSansCJKsc-Regular"
        with pytest.raises(FontError, match="no italic style"):
            finder.find_font("Noto Sans CJK SC", italic=True)


def test_find_by_scanning_folders(tmp_path: Path) -> None:
    for name in ("DejaVu Sans", "DejaVu Sans Bold", "DejaVu Serif"):
        shutil.copy(bundled_font(name), tmp_path / bundled_font(name).name)
    (tmp_path / "broken.ttf").write_bytes(b"junk")
    dirs = (tmp_path, tmp_path / "missing")
    assert finder._scan_match("DejaVu Sans", True, False, dirs) == (tmp_path / "DejaVuSans-Bold.ttf", 0)
    assert finder._scan_match("dejavu serif", False, False, dirs) == (tmp_path / "DejaVuSerif.ttf", 0)
    assert finder._scan_match("DejaVuSans-Bold", False, False, dirs)[0].name == "DejaVuSans-Bold.ttf"
    with pytest.raises(FontError, match="no italic style"):
        finder._scan_match("DejaVu Serif", False, True, dirs)
    with pytest.raises(FontError, match="close matches: DejaVu Serif"):
        finder._scan_match("DejaVu Serf", False, False, dirs)


def test_load_font_by_kind(tmp_path: Path) -> None:
    assert isinstance(finder.load_font(str(DEJAVU)), OpenTypeFont)
    assert isinstance(finder.load_font(DEJAVU), OpenTypeFont)
    assert isinstance(finder.load_font(DEJAVU.read_bytes()), OpenTypeFont)
    assert finder.load_font("DejaVu Sans", bold=True).postscript_name == "DejaVuSans-Bold"
    renamed = tmp_path / "font.data"
    renamed.write_bytes(DEJAVU.read_bytes())
    assert isinstance(finder.load_font(renamed), OpenTypeFont)
    with pytest.raises(FontError, match="not a font file"):
        (tmp_path / "notes.txt").write_text("hello")
        finder.load_font(tmp_path / "notes.txt")
    with pytest.raises(FontError, match="not an OpenType"):
        finder.load_font(b"hello, not a font")
    standard = finder.load_font("Helvetica")
    assert standard.postscript_name == "Helvetica" and not isinstance(standard, OpenTypeFont)
    (tmp_path / "font.afm").write_text("StartFontMetrics 4.1\n")
    with pytest.raises(FontError, match="pfb"):
        finder.load_font(tmp_path / "font.afm")
