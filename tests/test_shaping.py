"""Complex-script shaping with HarfBuzz: Arabic and Devanagari drawn shaped, measured as drawn, extracted exactly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pikepdf
import pytest
from harness import CheckedPdf, check_pdf
from test_opentype import DEJAVU

from pdfwriter.document import Document
from pdfwriter.errors import MissingDependencyError
from pdfwriter.text.opentype import OpenTypeFont

Maker = Callable[[str], Path]
LOHIT = Path("/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf")
BIDI_CONTROLS = {c: None for c in range(0x202A, 0x202F)}  # poppler wraps right-to-left text in these

ARABIC = ("مرحبا بالعالم", "لا إله إلا الله", "كتب الطالب الدرس في المكتبة")
DEVANAGARI = ("नमस्ते दुनिया", "हिन्दी क्षत्रिय श्री", "प्रेम और कृष्ण की कथा", "द्वितीय विश्वयुद्ध")


def devanagari_font() -> OpenTypeFont:
    """Lohit Devanagari, or skip."""
    if not LOHIT.is_file():
        pytest.skip(f"{LOHIT} is absent (apt-get install -y fonts-lohit-deva)")
    return OpenTypeFont(LOHIT)


def font_for(script: str) -> OpenTypeFont:
    """The test font of a script."""
    return OpenTypeFont(DEJAVU) if script == "arabic" else devanagari_font()


def write_pages(path: Path, font: Any, lines: tuple[str, ...], *, size: float = 24, **kw: Any) -> CheckedPdf:
    """One page per line, each line at (72, 700), validated."""
    with Document(path, deterministic=True) as doc:
        for line in lines:
            doc.add_page().text(72, 700, line, font=font, size=size, fallback=[], **kw)
    return check_pdf(path)


def ink_columns(image: np.ndarray) -> np.ndarray:
    """Indexes of the pixel columns with any ink."""
    return np.flatnonzero((image < 200).any(axis=(0, 2)))


def ink_rows(image: np.ndarray) -> np.ndarray:
    """Indexes of the pixel rows with any ink."""
    return np.flatnonzero((image < 200).any(axis=(1, 2)))


@pytest.mark.parametrize("embedding", ["cid", "type3"])
@pytest.mark.parametrize("script", ["arabic", "devanagari"])
def test_extracts_exactly(script: str, embedding: str, tmp_pdf: Maker) -> None:
    font = font_for(script)
    lines = ARABIC if script == "arabic" else DEVANAGARI
    with write_pages(tmp_pdf(), font if embedding == "cid" else font.as_type3(), lines) as pdf:
        for index, line in enumerate(lines):
            assert pdf.text(index) == line
            poppler = pdf.text_poppler(index)
            if poppler is not None:
                assert poppler.translate(BIDI_CONTROLS).strip() == line


@pytest.mark.parametrize("script", ["arabic", "devanagari"])
def test_shaped_text_differs_from_glyph_by_glyph(script: str, tmp_pdf: Maker) -> None:
    """Joined Arabic letters and Devanagari conjuncts are other glyphs than the characters' own."""
    font = font_for(script)
    line = ARABIC[0] if script == "arabic" else DEVANAGARI[1]
    with write_pages(tmp_pdf("shaped"), font, (line,)) as shaped, \
            write_pages(tmp_pdf("plain"), font, (line,), shaping=False) as plain:
        a, b = shaped.render(0, 72), plain.render(0, 72)
    assert np.abs(a.astype(int) - b.astype(int)).sum() > 0.1 * (255 - a.astype(int)).sum()


@pytest.mark.parametrize("halign", ["left", "center", "right"])
@pytest.mark.parametrize("script", ["arabic", "devanagari"])
def test_measure_text_agrees_with_the_drawing(script: str, halign: str, tmp_pdf: Maker) -> None:
    font = font_for(script)
    line = ARABIC[2] if script == "arabic" else DEVANAGARI[2]
    path = tmp_pdf()
    with Document(path, deterministic=True) as doc:
        page = doc.add_page()
        width = page.measure_text(line, font=font, size=20)
        unshaped = page.measure_text(line, font=font, size=20, shaping=False)
        page.text(300, 400, line, font=font, size=20, halign=halign)
    assert width != pytest.approx(unshaped, abs=0.5)
    with check_pdf(path) as pdf:
        columns = ink_columns(pdf.render(0, 72))
    left = 300 - width * {"left": 0, "center": 0.5, "right": 1}[halign]
    # The ink lies within the advance, give or take the side bearings of the end glyphs.
    assert abs(columns[0] - left) < 3 and abs(columns[-1] + 1 - (left + width)) < 3


def test_marks_are_placed_on_their_letters(tmp_pdf: Maker) -> None:
    """Vowel marks take no advance and sit above and below the letters; poppler extracts them exactly."""
    font = OpenTypeFont(DEJAVU)
    bare, voweled = "مرحبا بالعالم", "مَرْحَبًا بِالْعَالَمِ"
    with Document(tmp_pdf(), deterministic=True) as doc:
        page = doc.add_page()
        assert page.measure_text(voweled, font=font, size=40) == pytest.approx(page.measure_text(bare, font=font, size=40))
    with write_pages(tmp_pdf("bare"), font, (bare,), size=40) as a, write_pages(tmp_pdf("voweled"), font, (voweled,), size=40) as b:
        rows_a, rows_b = ink_rows(a.render(0, 72)), ink_rows(b.render(0, 72))
        cols_a, cols_b = ink_columns(a.render(0, 72)), ink_columns(b.render(0, 72))
        poppler = b.text_poppler(0)
    assert rows_b[0] < rows_a[0] - 3 and rows_b[-1] > rows_a[-1] + 3  # marks above and below
    assert abs(cols_b[0] - cols_a[0]) <= 4 and abs(cols_b[-1] - cols_a[-1]) <= 4  # same line length
    if poppler is not None:
        assert poppler.translate(BIDI_CONTROLS).strip() == voweled


def test_character_spacing_spaces_letters_not_marks(tmp_pdf: Maker) -> None:
    """With char_spacing the vowel marks stay on their letters: the line is as long as without them."""
    font = OpenTypeFont(DEJAVU)
    bare, voweled = "مرحبا بالعالم", "مَرْحَبًا بِالْعَالَمِ"
    with Document(tmp_pdf("measure"), deterministic=True) as doc:
        page = doc.add_page()
        widths = [page.measure_text(t, font=font, size=30, char_spacing=4) for t in (bare, voweled)]
    assert widths[1] == pytest.approx(widths[0])
    with write_pages(tmp_pdf("bare"), font, (bare,), size=30, char_spacing=4) as a, \
            write_pages(tmp_pdf("voweled"), font, (voweled,), size=30, char_spacing=4) as b:
        cols_a, cols_b = ink_columns(a.render(0, 72)), ink_columns(b.render(0, 72))
    # The measured width includes the spacing after the last letter (4 pt), which leaves no ink.
    assert abs(cols_a[-1] - cols_b[-1]) <= 4 and abs(cols_a[-1] + 1 - (72 + widths[0] - 4)) < 4


def test_right_to_left_words_inside_left_to_right_text(tmp_pdf: Maker) -> None:
    line = "Hello مرحبا world, 2024"
    font = OpenTypeFont(DEJAVU)
    with write_pages(tmp_pdf(), font, (line,)) as pdf:
        assert pdf.text(0) == line
        image = pdf.render(0, 72)
    # "Hello" is drawn first at the left, the Arabic word after it: ink starts at the anchor.
    assert abs(ink_columns(image)[0] - 72) < 3


def test_numbers_inside_right_to_left_text(tmp_pdf: Maker) -> None:
    """Digits stay left-to-right inside Arabic; poppler puts the spaces next to the digits on the other side."""
    line = "العدد 123 والعدد ٤٥٦"
    with write_pages(tmp_pdf(), OpenTypeFont(DEJAVU), (line,)) as pdf:
        assert pdf.text(0) == line
        poppler = pdf.text_poppler(0)
    if poppler is not None:
        assert poppler.translate(BIDI_CONTROLS).replace(" ", "").strip() == line.replace(" ", "")


def test_shaping_true_shapes_latin_and_still_extracts(tmp_pdf: Maker) -> None:
    line = "office affluent fjord"
    with write_pages(tmp_pdf(), OpenTypeFont(DEJAVU), (line,), shaping=True) as pdf:
        assert pdf.text(0) == line
        poppler = pdf.text_poppler(0)
        if poppler is not None:
            assert poppler.strip() == line


def test_latin_text_stays_on_the_unshaped_path(monkeypatch: pytest.MonkeyPatch, tmp_pdf: Maker) -> None:
    """Latin, decomposed accents included, needs no HarfBuzz; shaping=True places the accents by the font's anchors."""
    decomposed = "cafe\u0301 de\u0301ja\u0300 vu"
    font = OpenTypeFont(DEJAVU)
    with write_pages(tmp_pdf("shaped"), font, (decomposed,), size=40, shaping=True) as pdf:
        shaped = pdf.render(0, 72)
    monkeypatch.setitem(sys.modules, "uharfbuzz", None)
    with write_pages(tmp_pdf(), font, ("Plain Latin text, AVAWAY.", decomposed), size=40) as pdf:
        first = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(pdf.pdf.pages[0]))
        assert b"ActualText" not in first and b"Ts" not in first
        assert pdf.text(1) == decomposed
        plain = pdf.render(1, 72)
    assert (shaped != plain).any()


def test_without_uharfbuzz_text_that_needs_shaping_raises(monkeypatch: pytest.MonkeyPatch, tmp_pdf: Maker) -> None:
    monkeypatch.setitem(sys.modules, "uharfbuzz", None)  # import uharfbuzz now raises ImportError
    font = OpenTypeFont(DEJAVU)  # a fresh font: no HarfBuzz font cached for it
    path = tmp_pdf()
    with Document(path, deterministic=True) as doc:
        page = doc.add_page()
        page.text(72, 700, "Latin needs no shaping", font=font)
        with pytest.raises(MissingDependencyError, match=r"pdfwriter\[shaping\]"):
            page.text(72, 600, "مرحبا", font=font)
        with pytest.raises(MissingDependencyError, match=r"pdfwriter\[shaping\]"):
            page.measure_text("لا إله", font=font)
    with check_pdf(path) as pdf:
        assert pdf.text(0) == "Latin needs no shaping"
