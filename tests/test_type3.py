"""Type 3 fonts: OpenType glyphs as drawing procedures, split in parts of 256 codes, extracting exactly."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import numpy as np
import pikepdf
import pytest
from harness import CheckedPdf, check_pdf
from test_opentype import CFF_FONTS, CASES, DEJAVU, NOTO_CJK, INSTALL_HINT, first_existing, font_case

from pdfwriter.document import Document
from pdfwriter.errors import FontError
from pdfwriter.text.core14 import StandardFont
from pdfwriter.text.opentype import OpenTypeFont
from pdfwriter.text.type1 import Type1Font
from pdfwriter.text.type3 import Type3Font

Maker = Callable[[str], Path]


def write(path: Path, font: object, text: str, *, size: float = 14, color: str = "black", **kw: object) -> CheckedPdf:
    """One page showing `text` (lines split at newlines) in `font`, validated."""
    with Document(path, deterministic=True) as doc:
        page = doc.add_page()
        page.text(36, 800, text, font=font, size=size, color=color, fallback=[], **kw)
    return check_pdf(path)


def type3_fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The Type 3 font dictionaries of a PDF."""
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type3"]


def pdffonts_types(path: Path) -> list[str]:
    """The type column of pdffonts, one entry per font."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line[37:55].strip() for line in out.splitlines()[2:]]


def coarse(image: np.ndarray, block: int) -> np.ndarray:
    """Gray image averaged over block x block squares (evens out anti-aliasing and hinting)."""
    gray = image.astype(float).mean(axis=2)
    h, w = (gray.shape[0] // block) * block, (gray.shape[1] // block) * block
    return gray[:h, :w].reshape(h // block, block, w // block, block).mean(axis=(1, 3))


def cjk_text(count: int) -> str:
    """Lines of `count` distinct CJK ideographs Noto Sans CJK has, 30 per line."""
    if not NOTO_CJK.is_file():
        pytest.skip(f"{NOTO_CJK} is absent ({INSTALL_HINT})")
    font = OpenTypeFont(NOTO_CJK)
    chars = [chr(c) for c in range(0x4E00, 0x9FFF) if font.has_char(chr(c))][:count]
    return "\n".join("".join(chars[i : i + 30]) for i in range(0, count, 30))


@pytest.mark.parametrize("kind", ["truetype", "cff"])
def test_renders_like_the_cid_font(kind: str, tmp_pdf: Maker) -> None:
    path = DEJAVU if kind == "truetype" else first_existing(CFF_FONTS, "CFF .otf font")
    font = OpenTypeFont(path)
    text = "Quartz glyphs jump: AVAWAY, fifty-six\n0123456789 (&%$#@!) åéîõü ßœ"
    with write(tmp_pdf("cid"), font, text, size=30) as cid, write(tmp_pdf("t3"), font.as_type3(), text, size=30) as t3:
        a, b = cid.render(0, 144), t3.render(0, 144)
    ink_a, ink_b = (255 - a).sum(), (255 - b).sum()
    assert ink_a > 0 and abs(ink_a - ink_b) / ink_a < 0.02
    # 4-point squares: hinting of the CID font moves edges by a pixel (max 41, mean 0.27 measured);
    # shifting the text by 1 pt gives max 101, mean 1.5.
    diff = np.abs(coarse(a, 8) - coarse(b, 8))
    assert diff.max() < 60 and diff.mean() < 0.6


@pytest.mark.parametrize("kind", CASES)
def test_extracts_exactly(kind: str, tmp_pdf: Maker) -> None:
    font, text = font_case(kind)
    path = tmp_pdf(kind)
    with write(path, font.as_type3(), text) as pdf:
        assert pdf.text(0) == text
        poppler = pdf.text_poppler(0)
        if poppler is not None:
            assert poppler.strip() == text
        assert type3_fonts(pdf.pdf) and not [o for o in pdf.pdf.objects if isinstance(o, pikepdf.Dictionary)
                                             and o.get("/Subtype") == "/Type0"]
    assert set(pdffonts_types(path)) == {"Type 3"}


def test_more_than_256_glyphs_split_into_parts_and_extract(tmp_pdf: Maker) -> None:
    text = cjk_text(600)
    font = OpenTypeFont(NOTO_CJK).as_type3()
    path = tmp_pdf("cjk600")
    with write(path, font, text) as pdf:
        assert pdf.text(0).replace("\r\n", "\n") == text
        poppler = pdf.text_poppler(0)
        if poppler is not None:
            assert poppler.strip() == text
        fonts = type3_fonts(pdf.pdf)
        assert len(fonts) == math.ceil(600 / 256)
        assert sorted(int(f.LastChar) for f in fonts) == [87, 255, 255]
        assert all("/ToUnicode" in f for f in fonts)
        # One procedure per glyph used, nothing more: the font is subset.
        assert sum(len(f.CharProcs.keys()) for f in fonts) == 600
    assert pdffonts_types(path) == ["Type 3"] * 3


def test_part_switch_inside_a_kerned_line_keeps_positions(tmp_pdf: Maker) -> None:
    """A line whose glyphs fall in two parts renders like the CID font, kerning across the switch."""
    base = OpenTypeFont(DEJAVU)
    fill = "".join(chr(c) for c in range(0x400, 0x500) if base.has_char(chr(c)))[:256]
    fill_text = "\n".join(fill[i : i + 32] for i in range(0, 256, 32))
    line = "AVAT\u0416AVA"  # Zhe was used by the fill, the Latin letters land in the second part
    images = []
    for name, font in (("cid", base), ("t3", base.as_type3())):
        path = tmp_pdf(name)
        with Document(path, deterministic=True) as doc:
            page = doc.add_page()
            page.text(36, 800, fill_text, font=font, size=14, fallback=[])
            page.text(36, 100, line, font=font, size=30, fallback=[])
        with check_pdf(path) as pdf:
            assert pdf.text(0).replace("\r\n", "\n") == fill_text + "\n" + line
            images.append(pdf.render(0, 144)[(842 - 130) * 2 : (842 - 90) * 2])
            if name == "t3":
                assert len(type3_fonts(pdf.pdf)) == 2
    diff = np.abs(coarse(images[0], 8) - coarse(images[1], 8))
    assert diff.max() < 60


def test_glyph_procedures_are_cubic_outlines_filled(tmp_pdf: Maker) -> None:
    with write(tmp_pdf(), OpenTypeFont(DEJAVU).as_type3(), "Sog") as pdf:
        (font,) = type3_fonts(pdf.pdf)
        assert [float(v) for v in font.FontMatrix] == [0.001, 0, 0, 0.001, 0, 0]
        assert (int(font.FirstChar), int(font.LastChar)) == (0, 2)
        assert [float(w) for w in font.Widths] == [635, 612, 635]  # DejaVu Sans advances, whole 1/1000 em
        for proc in font.CharProcs.values():
            ops = [str(i.operator) for i in pikepdf.parse_content_stream(proc)]
            assert ops[0] == "d1" and ops[-1] == "f"
            assert set(ops[1:-1]) <= {"m", "l", "c", "h"} and "c" in ops


@pytest.mark.parametrize("options", [{}, {"compress": False}, {"compression_level": 1}], ids=["6", "off", "1"])
def test_glyph_procedures_kept_across_documents_are_written_as_each_document_asks(tmp_pdf: Maker, options) -> None:
    """A glyph drawn in several documents: the same procedure each time, deflated at each document's setting."""
    font = OpenTypeFont(DEJAVU).as_type3()
    raw = []
    for index in range(2):
        path = tmp_pdf(f"doc{index}")
        with Document(path, deterministic=True, **options) as doc:
            doc.add_page().text(36, 800, "Sog", font=font, size=14, fallback=[])
        with check_pdf(path) as checked:
            (found,) = type3_fonts(checked.pdf)
            procs = [found.CharProcs[key] for key in sorted(found.CharProcs.keys())]
            filters = {str(proc.get("/Filter")) for proc in procs}
            assert filters == ({"None"} if options.get("compress") is False else {"/FlateDecode"})
            raw.append([proc.read_bytes() for proc in procs])
            assert all(b" d1\n" in data and data.endswith(b"f\n") for data in raw[-1])
    assert raw[0] == raw[1]


def test_type3_text_takes_the_fill_colour(tmp_pdf: Maker) -> None:
    with write(tmp_pdf(), OpenTypeFont(DEJAVU).as_type3(), "\u2588\u2588\u2588", size=60, color="red") as pdf:
        image = pdf.render(0, 72)
    inked = image[(image != 255).any(axis=2)]
    reds = inked[(inked[:, 0] > 200) & (inked[:, 1] < 60) & (inked[:, 2] < 60)]
    assert len(reds) > 0.8 * len(inked) > 1000


def test_type3_and_cid_of_one_font_share_a_document(tmp_pdf: Maker) -> None:
    font = OpenTypeFont(DEJAVU)
    path = tmp_pdf()
    with Document(path, deterministic=True) as doc:
        page = doc.add_page()
        page.text(36, 800, "Type 3 text", font=font.as_type3())
        page.text(36, 780, "CID text", font=font)
        doc.add_page().text(36, 800, "Type 3 again", font=font.as_type3())
    with check_pdf(path) as pdf:
        assert pdf.text(0) == "Type 3 text\r\nCID text" and pdf.text(1) == "Type 3 again"
        assert len(type3_fonts(pdf.pdf)) == 1
    assert sorted(pdffonts_types(path)) == ["CID TrueType", "Type 3"]


def test_as_type3_is_one_font_per_source() -> None:
    font = OpenTypeFont(DEJAVU)
    assert font.as_type3() is font.as_type3()
    assert isinstance(font.as_type3(), Type3Font) and font.as_type3().as_type3() is font.as_type3()
    assert font.as_type42() is font
    assert font.as_type3().measure("AVA", 10) == font.measure("AVA", 10)


def test_fonts_without_outlines_refuse_type3() -> None:
    with pytest.raises(FontError, match="Type 3"):
        StandardFont("Helvetica").as_type3()


@pytest.mark.parametrize("render", ["stroke", "fill_stroke", "clip"])
def test_stroked_or_clipping_type3_text_is_refused(render: str, tmp_pdf: Maker) -> None:
    """Viewers fill Type 3 glyphs whatever the rendering mode (measured: pdfium and poppler fill a 'stroke', ignore a 'clip')."""
    font = OpenTypeFont(DEJAVU).as_type3()
    path = tmp_pdf()
    with Document(path, deterministic=True) as doc:
        page = doc.add_page()
        with pytest.raises(FontError, match="Type 3"):
            if render == "clip":
                with page.clip_text(10, 30, "HHH", font=font, size=40):
                    pass
            else:
                page.text(10, 30, "HHH", font=font, size=40, render=render)
        page.text(10, 30, "HHH", font=font, size=40, render="invisible")
    with check_pdf(path) as pdf:
        assert pdf.text(0) == "HHH" and (pdf.render(0) < 128).sum() == 0


def test_type1_font_as_type3_renders_and_extracts(tmp_pdf: Maker) -> None:
    path = Path("/usr/share/fonts/X11/Type1/lmr10.pfb")
    if not path.is_file():
        pytest.skip(f"{path} is absent (apt-get install -y fonts-lmodern lmodern)")
    font = Type1Font(path)
    text = "Type 1 outlines: Quartz, café, AVAWAY"
    with write(tmp_pdf("t1"), font, text, size=30) as t1, write(tmp_pdf("t3"), font.as_type3(), text, size=30) as t3:
        assert t3.text(0) == text and len(type3_fonts(t3.pdf)) == 1
        a, b = t1.render(0, 144), t3.render(0, 144)
    diff = np.abs(coarse(a, 8) - coarse(b, 8))
    assert diff.max() < 60 and diff.mean() < 0.6


def test_a_damaged_font_drawn_as_type3_raises_font_error():
    """fontTools reads tables lazily: a glyph count that 'hmtx' cannot back fails when the first glyph is
    drawn. As Type 3 that raised fontTools' TTLibError; it is a FontError naming the font, as with TrueType."""
    import struct

    from pdfwriter.text.finder import load_font

    data = bytearray(Path(DEJAVU).read_bytes())
    for i in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        if tag == b"maxp":
            data[offset + 4 : offset + 6] = struct.pack(">H", 0xFFFF)
    font = load_font(bytes(data)).as_type3()
    with pytest.raises(FontError, match="damaged"):
        with Document(io.BytesIO()) as doc:
            doc.add_page().text(10, 100, "Hello", font=font)
