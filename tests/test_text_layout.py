"""Page.text as a user sees it: what extracts, where the ink lands, how it is painted, what is refused."""

from __future__ import annotations

import io
import math
import unicodedata
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from harness import CheckedPdf, assert_color, check_pdf, external_default, pdfium_text, pixel
from test_opentype import NOTO_CJK, non_bmp_font

from pdfwriter.document import Document, Page
from pdfwriter.errors import FontError, StyleError
from pdfwriter.fontfiles import bundled_font
from pdfwriter.text.opentype import OpenTypeFont

DEJAVU = bundled_font("DejaVu Sans")
DPI = 144
PAGE = (400, 300)
BLOCK = "\u2588"  # FULL BLOCK: a glyph that fills its whole cell


# Helpers ------------------------------------------------------------------------------------


def draw(tmp_pdf: Callable[[str], Path], name: str, paint: Callable[[Page], None], size: tuple[float, float] = PAGE) -> CheckedPdf:
    """A one-page PDF painted by `paint`, validated."""
    path = tmp_pdf(name)
    with Document(path) as doc:
        paint(doc.add_page(size))
    return check_pdf(path)


def ink_box(image: np.ndarray, dpi: float = DPI, threshold: int = 160) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in points, PDF coordinates, of the pixels darker than `threshold`."""
    grey = image.min(axis=2)
    rows = np.flatnonzero((grey < threshold).any(axis=1))
    cols = np.flatnonzero((grey < threshold).any(axis=0))
    assert rows.size and cols.size, "nothing was drawn"
    scale = 72 / dpi
    height = image.shape[0]
    return cols[0] * scale, (height - rows[-1] - 1) * scale, (cols[-1] + 1) * scale, (height - rows[0]) * scale


def rendered_box(tmp_pdf: Callable[[str], Path], name: str, **text: Any) -> tuple[float, float, float, float]:
    """Ink box of one page.text call (x=200, y=150 unless given)."""
    text.setdefault("x", 200)
    text.setdefault("y", 150)
    with draw(tmp_pdf, name, lambda page: page.text(**text)) as checked:
        return ink_box(checked.render(0, DPI))


def extracted(checked: CheckedPdf) -> list[str]:
    """The page text from pdfium, and from poppler when it is there (required in CI)."""
    texts = [checked.text(0)]
    poppler = checked.text_poppler(0)
    if poppler is None:
        assert external_default() is not True, "pdftotext is required when PDFWRITER_EXTERNAL_VALIDATORS=1"
    else:
        texts.append(poppler.rstrip("\n\f"))
    return texts


def font_names(checked: CheckedPdf) -> set[str]:
    """BaseFont of every font on page 1, without the subset tag."""
    fonts = checked.pdf.pages[0].Resources.Font
    return {str(fonts[key].BaseFont).lstrip("/").split("+")[-1] for key in fonts.keys()}


# What extracts -------------------------------------------------------------------------------


def text_case(kind: str) -> tuple[dict[str, Any], str]:
    """page.text keywords and the text they must extract as."""
    if kind == "latin":
        return {}, "Façade déjà vu: naïve Zoë, Ærøskøbing, Œuvre, ß"
    if kind == "greek":
        return {}, "Καλημέρα κόσμε, ΑΒΓΔ αβγδ"
    if kind == "cyrillic":
        return {}, "Съешь же ещё этих мягких булок"
    if kind == "cjk-fallback":
        if not NOTO_CJK.is_file():
            pytest.skip(f"{NOTO_CJK} is absent (apt-get install -y fonts-noto-cjk)")
        return {}, "Tokyo 東京, 中文 and 한국어"
    if kind == "non-bmp":
        font, text = non_bmp_font()
        return {"font": font}, text
    if kind == "ligature-char":
        return {}, "\ufb01ne \ufb02ow"
    return {"shaping": True}, "office affluent"


@pytest.mark.parametrize(
    "kind", ["latin", "greek", "cyrillic", "cjk-fallback", "non-bmp", "ligature-char", "ligature-shaped"]
)
def test_text_extracts_exactly(kind: str, tmp_pdf: Callable[[str], Path]) -> None:
    options, text = text_case(kind)
    with draw(tmp_pdf, kind, lambda page: page.text(20, 150, text, size=14, **options)) as checked:
        for got in extracted(checked):
            # Extractors give presentation forms (U+FB01 fi) as the letters they stand for.
            assert unicodedata.normalize("NFKC", got) == unicodedata.normalize("NFKC", text)
        if kind == "cjk-fallback":
            assert font_names(checked) == {"DejaVuSans", "NotoSansCJKsc-Regular"}


def test_multiline_block_extracts_line_by_line(tmp_pdf: Callable[[str], Path]) -> None:
    text = "First line\nSecond, with AVATAR\nThird: Ωmega"
    with draw(tmp_pdf, "lines", lambda page: page.text(20, 250, text, size=12)) as checked:
        for got in extracted(checked):
            assert got.replace("\r\n", "\n") == text


def test_fast_and_fallback_lines_place_latin_alike(tmp_pdf: Callable[[str], Path]) -> None:
    # A block the first font covers takes the cached path; one with a fallback character takes
    # the per-glyph path: the shared Latin line must come out in the same pixels.
    latin = "AVAWAY To Wa, LT. Yo!"
    plain = draw(tmp_pdf, "fast", lambda page: page.text(20, 150, latin, size=24, word_spacing=3))
    with pytest.warns(UserWarning, match="U\\+10FFFD"):
        mixed = draw(tmp_pdf, "mixed", lambda page: page.text(20, 150, latin + "\n\U0010fffd", size=24, word_spacing=3))
    with plain, mixed:
        band = slice(0, int((PAGE[1] - 150 + 6) * DPI / 72))  # down to the first line's descent
        assert np.array_equal(plain.render(0, DPI)[band], mixed.render(0, DPI)[band])


# Where the ink lands -----------------------------------------------------------------------


def test_kerning_av_is_visibly_narrower(tmp_pdf: Callable[[str], Path]) -> None:
    font = OpenTypeFont(DEJAVU)
    kern = font.kerning(*font.glyphs("AV")) * 60 / 1000
    assert kern < -1  # DejaVu kerns A-V
    kerned = rendered_box(tmp_pdf, "kerned", text="AV", size=60, font=font)
    plain = rendered_box(tmp_pdf, "plain", text="AV", size=60, font=font, kerning=False)
    narrower = (plain[2] - plain[0]) - (kerned[2] - kerned[0])
    assert narrower == pytest.approx(-kern, abs=1)


@pytest.mark.parametrize("halign", ["left", "center", "right"])
def test_halign_puts_ink_on_the_anchor(halign: str, tmp_pdf: Callable[[str], Path]) -> None:
    text, size, x = "HEH", 40, 200
    left, _, right, _ = rendered_box(tmp_pdf, halign, text=text, size=size, x=x, halign=halign)
    font = OpenTypeFont(DEJAVU)
    width = font.measure(text, size)
    bearing = 8  # H's side bearings in DejaVu Sans are about 4 pt at 40 pt; the ink is inside the advance
    start = {"left": x, "center": x - width / 2, "right": x - width}[halign]
    assert start < left < start + bearing
    assert start + width - bearing < right < start + width


@pytest.mark.parametrize("valign", ["baseline", "top", "center", "bottom"])
def test_valign_puts_baseline_where_expected(valign: str, tmp_pdf: Callable[[str], Path]) -> None:
    size, y = 40, 150
    font = OpenTypeFont(DEJAVU)
    ascent, descent = font.ascent * size / 1000, font.descent * size / 1000
    baseline = {"baseline": y, "top": y - ascent, "bottom": y - descent, "center": y - (ascent + descent) / 2}[valign]
    _, bottom, _, top = rendered_box(tmp_pdf, valign, text="HH", size=size, y=y, valign=valign)
    assert bottom == pytest.approx(baseline, abs=0.75)  # H sits on the baseline
    assert top == pytest.approx(baseline + font.cap_height * size / 1000, abs=0.75)


def test_line_spacing_sets_the_distance_between_baselines(tmp_pdf: Callable[[str], Path]) -> None:
    size, spacing, y = 20, 1.75, 250
    with draw(tmp_pdf, "spacing", lambda page: page.text(50, y, "H\nH\nH", size=size, line_spacing=spacing)) as checked:
        grey = checked.render(0, DPI).min(axis=2)
    rows = (grey < 160).any(axis=1)
    # Bottom edge of each ink band: rows where ink stops going down the page.
    ends = np.flatnonzero(rows[:-1] & ~rows[1:])
    baselines = [PAGE[1] - (row + 1) * 72 / DPI for row in ends]
    assert len(baselines) == 3
    assert baselines[0] == pytest.approx(y, abs=0.75)
    assert np.diff(baselines) == pytest.approx([-size * spacing] * 2, abs=0.75)


@pytest.mark.parametrize("halign", ["center", "right"])
def test_halign_aligns_every_line_of_a_block(halign: str, tmp_pdf: Callable[[str], Path]) -> None:
    x, size = 200, 20
    lines = ["HH", "HHHHHHHH", "H", "HHHH HH"]
    with draw(tmp_pdf, halign, lambda page: page.text(x, 250, "\n".join(lines), size=size, halign=halign)) as checked:
        grey = checked.render(0, DPI).min(axis=2)
    inked = (grey < 160).any(axis=1)
    starts = np.flatnonzero(inked[1:] & ~inked[:-1]) + 1
    ends = np.flatnonzero(inked[:-1] & ~inked[1:]) + 1
    assert len(starts) == len(lines)
    spans = []
    for top, bottom in zip(starts, ends):
        cols = np.flatnonzero((grey[top:bottom] < 160).any(axis=0))
        spans.append((cols[0] * 72 / DPI, (cols[-1] + 1) * 72 / DPI))
    if halign == "right":
        assert np.ptp([right for _, right in spans]) < 0.75
        assert x - 4 < spans[0][1] < x
    else:
        centres = [(left + right) / 2 for left, right in spans]
        assert np.ptp(centres) < 0.75
        assert centres[0] == pytest.approx(x, abs=0.75)
    widths = [right - left for left, right in spans]
    assert widths[1] > 3 * widths[0]


def test_angle_90_runs_the_text_upwards(tmp_pdf: Callable[[str], Path]) -> None:
    size, x, y = 30, 200, 60
    font = OpenTypeFont(DEJAVU)
    width = font.measure("HHHHH", size)
    left, bottom, right, top = rendered_box(tmp_pdf, "rotated", text="HHHHH", size=size, x=x, y=y, angle=90)
    assert top - bottom > 3 * (right - left)
    # Rotated a quarter turn counter-clockwise, the glyphs stand on the vertical through the anchor,
    # their tops pointing left.
    assert right == pytest.approx(x, abs=0.75)
    assert left == pytest.approx(x - font.cap_height * size / 1000, abs=0.75)
    assert y < bottom < y + 5 and y + width - 5 < top < y + width


@pytest.mark.parametrize(
    "option, value",
    [("char_spacing", 4.0), ("word_spacing", 12.0), ("horizontal_scale", 150.0), ("horizontal_scale", 60.0)],
)
def test_spacing_and_scale_widen_as_measure_text_predicts(
    option: str, value: float, tmp_pdf: Callable[[str], Path]
) -> None:
    text, size = "HIH HIH HIH", 24
    measured: list[float] = []

    def paint(**options: Any) -> Callable[[Page], None]:
        def run(page: Page) -> None:
            measured.append(page.measure_text(text, size=size, **options))
            page.text(20, 150, text, size=size, **options)
        return run

    with draw(tmp_pdf, "base", paint()) as checked:
        base = ink_box(checked.render(0, DPI))
    with draw(tmp_pdf, option, paint(**{option: value})) as checked:
        changed = ink_box(checked.render(0, DPI))
    base_advance, advance = measured
    base_ink, ink = base[2] - base[0], changed[2] - changed[0]
    if option == "horizontal_scale":
        assert advance == pytest.approx(base_advance * value / 100)
        assert ink == pytest.approx(base_ink * value / 100, abs=1)
    elif option == "char_spacing":
        # Tc follows every glyph, the last one too: the ink grows by one spacing less than the advance.
        assert advance == pytest.approx(base_advance + value * len(text))
        assert ink - base_ink == pytest.approx(advance - base_advance - value, abs=0.75)
    else:
        assert advance == pytest.approx(base_advance + value * text.count(" "))
        assert ink - base_ink == pytest.approx(advance - base_advance, abs=0.75)


# How it is painted --------------------------------------------------------------------------


def paint_block(page: Page, **options: Any) -> None:
    """A 100 pt full block with its lower left corner near (100, 100)."""
    page.text(100, 100, BLOCK, size=100, **options)


def block_samples(checked: CheckedPdf) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Colours at the middle of the block and just inside its left edge."""
    image = checked.render(0, DPI)
    left, bottom, right, top = ink_box(image, threshold=250)
    middle = pixel(image, (left + right) / 2, (bottom + top) / 2, DPI)
    edge = pixel(image, left + 0.5, (bottom + top) / 2, DPI)
    return middle, edge


def test_render_fill_stroke_and_fill_stroke(tmp_pdf: Callable[[str], Path]) -> None:
    with draw(tmp_pdf, "fill", lambda page: paint_block(page, color="blue")) as checked:
        middle, edge = block_samples(checked)
        assert_color(middle, (0, 0, 255))
        assert_color(edge, (0, 0, 255))
    with draw(tmp_pdf, "stroke", lambda page: paint_block(page, render="stroke", color="red", line_width=3)) as checked:
        middle, edge = block_samples(checked)
        assert_color(middle, (255, 255, 255))
        assert_color(edge, (255, 0, 0))
    both = dict(render="fill_stroke", color="yellow", stroke="black", line_width=3)
    with draw(tmp_pdf, "fill_stroke", lambda page: paint_block(page, **both)) as checked:
        middle, edge = block_samples(checked)
        assert_color(middle, (255, 255, 0))
        assert_color(edge, (0, 0, 0))


def test_invisible_text_draws_nothing_but_extracts(tmp_pdf: Callable[[str], Path]) -> None:
    # The searchable layer over a scanned page: an image, and invisible text on top of it.
    scan = np.full((60, 200, 3), 200, np.uint8)
    scan[20:40, 20:180] = 40
    words = "Scanned invoice 2024-117"

    def paint(page: Page) -> None:
        page.image(scan, 50, 100, 300, 90)
        page.text(60, 130, words, size=18, render="invisible")

    with draw(tmp_pdf, "ocr", paint) as checked:
        for got in extracted(checked):
            assert got == words
        with_text = checked.render(0, DPI)
    with draw(tmp_pdf, "scan-only", lambda page: page.image(scan, 50, 100, 300, 90)) as checked:
        assert np.array_equal(with_text, checked.render(0, DPI))


def test_clip_text_paints_only_inside_the_glyphs(tmp_pdf: Callable[[str], Path]) -> None:
    def paint(page: Page) -> None:
        with page.clip_text(100, 100, "I" + BLOCK, size=100):
            page.rect(0, 0, *PAGE, fill="red")
        page.rect(10, 10, 20, 20, fill="blue")  # the clip ends with the block

    with draw(tmp_pdf, "clip", paint) as checked:
        image = checked.render(0, DPI)
        font = OpenTypeFont(DEJAVU)
        i_advance = font.measure("I", 100)
        block_left = 100 + i_advance
        assert_color(pixel(image, block_left + 30, 130, DPI), (255, 0, 0))  # inside the block glyph
        assert_color(pixel(image, 50, 250, DPI), (255, 255, 255))  # outside the text
        assert_color(pixel(image, 100 + i_advance / 2, 95, DPI), (255, 255, 255))  # below the I
        assert_color(pixel(image, 20, 20, DPI), (0, 0, 255))
        red = (image[..., 0] > 200) & (image[..., 1] < 60)
        left, bottom, right, top = ink_box(np.where(red[..., None], 0, 255).astype(np.uint8))
        assert left > 100 and right < 100 + font.measure("I" + BLOCK, 100) + 1


def test_text_colour_and_alpha(tmp_pdf: Callable[[str], Path]) -> None:
    def paint(page: Page) -> None:
        page.text(40, 100, BLOCK, size=100, color="#0080ff")
        page.rect(220, 80, 120, 120, fill="black")
        page.text(230, 100, BLOCK, size=100, color="white", alpha=0.5)
        page.text(60, 40, BLOCK, size=30, color=(1, 0, 0), alpha=0.25)

    with draw(tmp_pdf, "colour", paint) as checked:
        image = checked.render(0, DPI)
        assert_color(pixel(image, 70, 140, DPI), (0, 128, 255))
        assert_color(pixel(image, 260, 140, DPI), (128, 128, 128), tol=3)
        assert_color(pixel(image, 68, 50, DPI), (255, 191, 191), tol=3)


# Fallback and warnings ---------------------------------------------------------------------------


def test_explicit_fallback_chain(tmp_pdf: Callable[[str], Path]) -> None:
    text = "Price: 12 € or Ωmega"
    with draw(tmp_pdf, "chain", lambda page: page.text(20, 150, text, font="Times-Roman", fallback=[DEJAVU])) as checked:
        assert font_names(checked) == {"Times-Roman", "DejaVuSans"}
        for got in extracted(checked):
            assert got == text


def test_one_warning_names_a_character_no_font_has(tmp_pdf: Callable[[str], Path]) -> None:
    missing = "\U0010fffd"

    def paint(page: Page) -> None:
        page.text(20, 200, f"a{missing}b", size=14)
        page.text(20, 150, f"again {missing}{missing}", size=14)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checked = draw(tmp_pdf, "missing", paint)
    messages = [str(w.message) for w in caught if "U+10FFFD" in str(w.message)]
    assert len(messages) == 1, messages
    assert "no font has the character" in messages[0]
    with checked:
        assert checked.text(0).split() == [f"a{missing}b", "again", f"{missing}{missing}"]


# Refused arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, error, words",
    [
        ({"size": 0}, StyleError, "size"),
        ({"size": -3}, StyleError, "size"),
        ({"size": math.nan}, StyleError, "size"),
        ({"angle": math.inf}, StyleError, "angle"),
        ({"render": "outline"}, StyleError, "render"),
        ({"render": "clip"}, StyleError, "clip_text"),
        ({"halign": "middle"}, StyleError, "halign"),
        ({"valign": "centre"}, StyleError, "valign"),
        ({"horizontal_scale": 0}, StyleError, "horizontal_scale"),
        ({"line_spacing": math.nan}, StyleError, "line_spacing"),
        ({"char_spacing": math.inf}, StyleError, "char_spacing"),
        ({"color": "no-such-colour"}, StyleError, "colour"),
        ({"alpha": 2}, StyleError, "alpha"),
        ({"text": b"bytes"}, StyleError, "str"),
        ({"font": 12}, FontError, "font"),
        ({"font": "/no/such/font.ttf"}, FontError, "font"),
        ({"font": "No Such Family Sans"}, FontError, "No Such Family Sans"),
        ({"fallback": [3.5]}, FontError, "font"),
    ],
)
def test_bad_arguments_raise(options: dict[str, Any], error: type[Exception], words: str, tmp_pdf: Callable[[str], Path]) -> None:
    path = tmp_pdf("bad")
    with Document(path) as doc:
        page = doc.add_page(PAGE)
        call = {"x": 10, "y": 10, "text": "Hello", **options}
        with pytest.raises(error) as raised:
            page.text(**call)
        assert words.lower() in str(raised.value).lower()
        page.text(10, 10, "still usable")
    with check_pdf(path) as checked:
        assert checked.text(0) == "still usable"


# Widths as viewers read them ----------------------------------------------------------------


def glyph_font(kind: str) -> Any:
    """The font of each embedding: a CID font, Type 3 glyph procedures, a Type 1 font with fractional AFM widths."""
    if kind == "cid":
        return OpenTypeFont(DEJAVU)
    if kind == "type3":
        return OpenTypeFont(DEJAVU).as_type3()
    from test_core14_type1 import LM_AFM, LM_PFB

    from pdfwriter.text.type1 import Type1Font

    if LM_PFB is None or LM_AFM is None:
        pytest.skip("Latin Modern Type 1 fonts are not installed (apt-get install -y lmodern)")
    return Type1Font(LM_PFB, LM_AFM)


def char_origins(path: Path) -> tuple[str, list[float]]:
    """The text pdfium extracts from page 1 and each character's origin (pen position) x in points."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    with pdfium_text(path) as textpage:
        origins = []
        for i in range(textpage.count_chars()):
            x, y = ctypes.c_double(), ctypes.c_double()
            assert pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
            origins.append(x.value)
        return textpage.get_text_range(), origins


@pytest.mark.parametrize("kind", ["cid", "type3", "type1"])
def test_glyphs_land_where_measure_text_puts_them(kind: str, tmp_pdf: Callable[[str], Path]) -> None:
    """Every glyph of a long kerned line starts where measure_text says, to 0.01 pt.

    Viewers read whole-number widths (pdfium truncates 684.1 to 684): with fractional
    widths the glyphs drift left by up to 1/1000 em each, nearly a point over this line.
    """
    font = glyph_font(kind)
    text = "iiiilllljjjjAVATAR Wave, To; fitting lily jilt iiii" * 2
    size, x = 40.0, 20.0
    path = tmp_pdf(f"widths-{kind}")
    with Document(path) as doc:
        page = doc.add_page((2600, 100))
        page.text(x, 40, text, font=font, size=size)
        # Each glyph starts where the line up to it ends, less its own advance.
        expected = [x + page.measure_text(text[: i + 1], font=font, size=size)
                    - page.measure_text(char, font=font, size=size) for i, char in enumerate(text)]
    check_pdf(path).close()
    shown, origins = char_origins(path)
    assert shown == text
    assert np.abs(np.array(origins) - expected).max() < 0.01


@pytest.mark.parametrize("kind", ["cid", "type3", "type1"])
def test_widths_written_are_whole_numbers(kind: str, tmp_pdf: Callable[[str], Path]) -> None:
    font = glyph_font(kind)
    paint = lambda page: page.text(20, 40, "Whole widths: iljAW", font=font, size=12)  # noqa: E731
    with draw(tmp_pdf, f"whole-{kind}", paint) as checked:
        fonts = checked.pdf.pages[0].Resources.Font
        widths: list[float] = []
        for key in fonts.keys():
            entry = fonts[key]
            if "/DescendantFonts" in entry:
                w = entry.DescendantFonts[0].get("/W", [])
                widths += [float(v) for item in w for v in (item if isinstance(item, pikepdf.Array) else [item])]
            else:
                widths += [float(v) for v in entry.Widths]
    assert widths and all(w == int(w) for w in widths)


# Caches -----------------------------------------------------------------------------------------


def report_block(seed: int) -> str:
    """Forty lines of kerned prose with punctuation, numbers and accents."""
    rng = np.random.default_rng(seed)
    words = "The quick Wave To, AVATAR; fjord! Yes. (Tax) café naïve Zürich 1024 lily T. y, V. A".split()
    return "\n".join(" ".join(rng.choice(words, 12)) for _ in range(40))


def write_report(path: Path, font: OpenTypeFont, blocks: list[str]) -> bytes:
    """A deterministic document of text blocks, left, centred and right aligned; its bytes."""
    with Document(path, deterministic=True) as doc:
        for index, block in enumerate(blocks):
            page = doc.add_page((595, 842))
            page.text(40, 800, block, font=font, size=10, halign=("left", "center", "right")[index % 3])
            page.text(300, 60, block.split("\n")[0], font="Helvetica", size=9, halign="center")
    return path.read_bytes()


def test_layout_caches_do_not_change_the_output(
    tmp_pdf: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document written by a fresh font, by a font whose caches other documents filled, and by one
    whose word caches overflow and are emptied mid-document, is the same file."""
    import pdfwriter.text.layout as layout

    blocks = [report_block(seed) for seed in range(3)]
    fresh = write_report(tmp_pdf("cache-fresh"), OpenTypeFont(DEJAVU), blocks)
    warm_font = OpenTypeFont(DEJAVU)
    write_report(tmp_pdf("cache-other"), warm_font, [report_block(seed) for seed in range(5, 9)])
    assert write_report(tmp_pdf("cache-warm"), warm_font, blocks) == fresh
    monkeypatch.setattr(layout, "_WORD_CACHE_LIMIT", 5)
    small = tmp_pdf("cache-small")
    assert write_report(small, OpenTypeFont(DEJAVU), blocks) == fresh
    with check_pdf(small) as checked:
        assert checked.text(0).split("\r\n")[:40] == blocks[0].split("\n")


def test_lines_by_words_and_by_pieces_show_the_same_bytes() -> None:
    """The per-word code cache writes each line exactly as assembling it piece by piece does."""
    from pdfwriter.text.core14 import StandardFont
    from pdfwriter.text.layout import FastRun, TextStyle, _font_cache, _kerned_pieces, fast_lines, fast_tj

    lines = report_block(7).split("\n") + ["AVA", "T", "Ty y", "(Tax) back\\slash To.", "yT. V, A"]
    for font in (OpenTypeFont(DEJAVU), StandardFont("Helvetica")):
        by_words, by_pieces = font.new_resource(), font.new_resource()
        for line in lines:
            ((width, (run,)),) = fast_lines([line], TextStyle(fonts=(font,), size=10))
            assert run.words is not None
            units, pieces = _kerned_pieces(line, _font_cache(font), 0.0)
            assert fast_tj(run, by_words.encode) == fast_tj(FastRun(font, pieces, line), by_pieces.encode), line
            assert width == pytest.approx(units / 100, abs=1e-9)


def test_repeated_text_styles_follow_colour_and_clip(tmp_pdf: Callable[[str], Path]) -> None:
    """Text calls reuse the style their arguments made: a new colour, clip or transform still takes effect."""

    def paint(page: Page) -> None:
        for _ in range(2):
            page.text(20, 250, BLOCK * 3, size=30, color="red")
            page.text(20, 200, BLOCK * 3, size=30, color="blue")
        with page.clip((20, 140, 20, 40)):
            page.text(20, 150, BLOCK * 3, size=30, color="blue")
        with page.transform((1, 0, 0, 1, 200, 0)):
            page.text(20, 250, BLOCK * 3, size=30, color="red")

    with draw(tmp_pdf, "style-cache", paint) as checked:
        image = checked.render(0, 72)
    assert_color(pixel(image, 30, 260), (255, 0, 0))
    assert_color(pixel(image, 30, 210), (0, 0, 255))
    assert_color(pixel(image, 30, 160), (0, 0, 255))
    assert_color(pixel(image, 70, 160), (255, 255, 255))  # outside the clip
    assert_color(pixel(image, 230, 260), (255, 0, 0))
