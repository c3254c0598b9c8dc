"""The bundled fonts folder: DejaVu TrueType files, core-14 AFM metrics, licences and name look-ups."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from pdfwriter import fontfiles
from pdfwriter.errors import FontError, PdfWriterError

# Display name -> (file name, name-table family (ID 1), name-table subfamily (ID 2)).
TTF_CASES = {
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVu Sans", "Book"),
    "DejaVu Sans Bold": ("DejaVuSans-Bold.ttf", "DejaVu Sans", "Bold"),
    "DejaVu Sans Oblique": ("DejaVuSans-Oblique.ttf", "DejaVu Sans", "Oblique"),
    "DejaVu Sans Bold Oblique": ("DejaVuSans-BoldOblique.ttf", "DejaVu Sans", "Bold Oblique"),
    "DejaVu Sans Mono": ("DejaVuSansMono.ttf", "DejaVu Sans Mono", "Book"),
    "DejaVu Serif": ("DejaVuSerif.ttf", "DejaVu Serif", "Book"),
}

# Core-14 name -> (a glyph name, its advance width in the AFM).
AFM_WIDTHS = {
    "Courier": ("A", 600),
    "Courier-Bold": ("A", 600),
    "Courier-Oblique": ("A", 600),
    "Courier-BoldOblique": ("A", 600),
    "Helvetica": ("A", 667),
    "Helvetica-Bold": ("A", 722),
    "Helvetica-Oblique": ("A", 667),
    "Helvetica-BoldOblique": ("A", 722),
    "Times-Roman": ("A", 722),
    "Times-Bold": ("A", 722),
    "Times-Italic": ("A", 611),
    "Times-BoldItalic": ("A", 667),
    "Symbol": ("Alpha", 722),
    "ZapfDingbats": ("a1", 974),
}


def parse_afm(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Return the header keys and the glyph-name -> width map of an AFM file."""
    header: dict[str, str] = {}
    widths: dict[str, int] = {}
    declared = None
    in_metrics = False
    for line in path.read_text(encoding="latin-1").splitlines():
        key, _, value = line.strip().partition(" ")
        if key == "StartCharMetrics":
            declared = int(value)
            in_metrics = True
        elif key == "EndCharMetrics":
            in_metrics = False
        elif in_metrics:
            fields = dict(f.strip().split(" ", 1) for f in line.split(";") if f.strip())
            widths[fields["N"]] = int(fields["WX"])
        elif declared is None:
            header.setdefault(key, value)
    assert declared is not None, f"{path.name} has no StartCharMetrics section"
    assert not in_metrics, f"{path.name} has no EndCharMetrics line"
    assert len(widths) == declared, f"{path.name} declares {declared} glyphs but lists {len(widths)}"
    return header, widths


def test_fonts_dir_holds_the_licences_and_readme() -> None:
    folder = fontfiles.fonts_dir()
    assert folder.is_dir()
    for name in ("LICENSE-DejaVu.txt", "LICENSE-Adobe-AFM.txt", "README.md"):
        assert (folder / name).is_file(), name
    assert "Bitstream Vera" in (folder / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    adobe = (folder / "LICENSE-Adobe-AFM.txt").read_text(encoding="utf-8")
    assert "the AFM files are not" in adobe and "distributed without this file" in adobe


def test_readme_lists_every_file_in_the_folder() -> None:
    folder = fontfiles.fonts_dir()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE))
    shipped = {
        p.name for p in folder.iterdir() if p.suffix in {".ttf", ".afm"} or p.name.startswith("LICENSE")
    }
    assert listed == shipped


@pytest.mark.parametrize("name", list(TTF_CASES))
def test_bundled_ttf_opens_with_expected_names(name: str) -> None:
    file_name, family, subfamily = TTF_CASES[name]
    path = fontfiles.bundled_font(name)
    assert path.name == file_name
    assert path.parent == fontfiles.fonts_dir()
    with TTFont(path) as font:
        names = font["name"]
        assert names.getDebugName(1) == family
        assert names.getDebugName(2) == subfamily
        assert names.getDebugName(6) == path.stem  # PostScript name matches the upstream file name
        assert "glyf" in font and font["maxp"].numGlyphs > 1000


@pytest.mark.parametrize(
    "spelling, file_name",
    [
        ("dejavu sans", "DejaVuSans.ttf"),
        ("DEJAVU SANS BOLD OBLIQUE", "DejaVuSans-BoldOblique.ttf"),
        ("  DejaVu   Sans  Mono ", "DejaVuSansMono.ttf"),
        ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf"),
        ("dejavusans-oblique", "DejaVuSans-Oblique.ttf"),
        ("DejaVuSerif", "DejaVuSerif.ttf"),
    ],
)
def test_bundled_font_accepts_any_case_and_file_stems(spelling: str, file_name: str) -> None:
    assert fontfiles.bundled_font(spelling).name == file_name


def test_core14_names() -> None:
    assert fontfiles.CORE14_NAMES == tuple(AFM_WIDTHS)
    assert len(set(fontfiles.CORE14_NAMES)) == 14


@pytest.mark.parametrize("name", list(AFM_WIDTHS))
def test_core14_afm_parses(name: str) -> None:
    path = fontfiles.core14_afm(name)
    assert path.is_file()
    assert path.parent == fontfiles.fonts_dir()
    header, widths = parse_afm(path)
    assert header["StartFontMetrics"].startswith("4.")
    assert header["FontName"] == name
    glyph, width = AFM_WIDTHS[name]
    assert widths[glyph] == width
    assert all(w >= 0 for w in widths.values())
    if name.startswith("Courier"):
        assert set(widths.values()) == {600}


@pytest.mark.parametrize("name", ["DejaVu Sans Condensed", "Helvetica", "", "DejaVuSans.ttf"])
def test_unknown_bundled_font_lists_valid_names(name: str) -> None:
    with pytest.raises(FontError) as caught:
        fontfiles.bundled_font(name)
    message = str(caught.value)
    assert repr(name) in message
    for valid in TTF_CASES:
        assert repr(valid) in message
    assert "DejaVuSans-BoldOblique" in message


@pytest.mark.parametrize("name", ["helvetica", "Arial", "Times", "Helvetica-Italic", "ZapfDingbats.afm", ""])
def test_unknown_core14_font_lists_valid_names(name: str) -> None:
    with pytest.raises(FontError) as caught:
        fontfiles.core14_afm(name)
    message = str(caught.value)
    assert repr(name) in message
    for valid in AFM_WIDTHS:
        assert valid in message


@pytest.mark.parametrize("lookup", [fontfiles.bundled_font, fontfiles.core14_afm])
@pytest.mark.parametrize("name", [None, 3, b"Helvetica", ["Helvetica"]])
def test_non_string_names_raise_font_error(lookup, name: object) -> None:
    with pytest.raises(FontError, match="must be a str"):
        lookup(name)


def test_font_error_is_a_pdfwriter_value_error() -> None:
    assert issubclass(FontError, PdfWriterError)
    assert issubclass(FontError, ValueError)
