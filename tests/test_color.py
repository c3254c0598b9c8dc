"""Colour parsing (CSS names, hex, tuples, matplotlib habits), per-item arrays, operators, and rendered colours."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from harness import assert_color, check_pdf, pixel
from hypothesis import given
from hypothesis import strategies as st

import pdfwriter
from pdfwriter.errors import PdfWriterError, StyleError
from pdfwriter.graphics.color import (
    CSS_COLORS,
    TABLEAU_COLORS,
    Color,
    cmyk,
    fill_operator,
    parse_color,
    parse_colors,
    stroke_operator,
)

NAN = float("nan")


def rgb(r: float, g: float, b: float, alpha: float = 1.0) -> Color:
    """An RGB Color, for expected values."""
    return Color("rgb", (r, g, b), alpha)


def hex_rgb(digits: str, alpha: float = 1.0) -> Color:
    """The RGB Color of six hex digits."""
    return rgb(*(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)), alpha)


# Parsing ---------------------------------------------------------------------


def test_css_table_has_all_148_names() -> None:
    assert len(CSS_COLORS) == 148
    assert all(re.fullmatch(r"[0-9a-f]{6}", v) for v in CSS_COLORS.values())
    for name, digits in CSS_COLORS.items():
        assert parse_color(name) == hex_rgb(digits)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("red", rgb(1, 0, 0)),
        ("RED", rgb(1, 0, 0)),
        ("  Red ", rgb(1, 0, 0)),
        ("rebeccapurple", hex_rgb("663399")),
        ("CornflowerBlue", hex_rgb("6495ed")),
        ("grey", hex_rgb("808080")),
        ("transparent", rgb(0, 0, 0, 0)),
        ("#f00", rgb(1, 0, 0)),
        ("#F00", rgb(1, 0, 0)),
        ("#f008", rgb(1, 0, 0, 0x88 / 255)),
        ("#00ff00", rgb(0, 1, 0)),
        ("#0000FF80", rgb(0, 0, 1, 0x80 / 255)),
        ((1, 0.5, 0), rgb(1, 0.5, 0)),
        ([0, 0, 1, 0.25], rgb(0, 0, 1, 0.25)),
        (np.array([0.2, 0.4, 0.6]), rgb(0.2, 0.4, 0.6)),
        (np.float32(0.5), Color("gray", (0.5,))),
        (0.25, Color("gray", (0.25,))),
        (0, Color("gray", (0.0,))),
        (1, Color("gray", (1.0,))),
        ("0.5", Color("gray", (0.5,))),
        ("1", Color("gray", (1.0,))),
        ("r", rgb(1, 0, 0)),
        ("g", rgb(0, 0.5, 0)),
        ("b", rgb(0, 0, 1)),
        ("c", rgb(0, 0.75, 0.75)),
        ("m", rgb(0.75, 0, 0.75)),
        ("y", rgb(0.75, 0.75, 0)),
        ("k", rgb(0, 0, 0)),
        ("w", rgb(1, 1, 1)),
        ("C0", hex_rgb("1f77b4")),
        ("C3", hex_rgb("d62728")),
        ("C9", hex_rgb("17becf")),
        ("tab:orange", hex_rgb("ff7f0e")),
        ("tab:grey", hex_rgb("7f7f7f")),
        (("cmyk", 0, 0, 0, 1), Color("cmyk", (0.0, 0.0, 0.0, 1.0))),
        (("CMYK", 1, 0, 0, 0, 0.5), Color("cmyk", (1.0, 0.0, 0.0, 0.0), 0.5)),
        (("red", 0.5), rgb(1, 0, 0, 0.5)),
        (("#00f", 0), rgb(0, 0, 1, 0)),
        (None, None),
        ("none", None),
        ("None", None),
    ],
)
def test_parse_color(value: object, expected: Color | None) -> None:
    assert parse_color(value) == expected


def test_tableau_names_are_the_cycle_colours() -> None:
    for index, (name, digits) in enumerate(TABLEAU_COLORS.items()):
        assert parse_color(name) == parse_color(f"C{index}") == hex_rgb(digits)


def test_cmyk_helper_and_color_passthrough() -> None:
    assert cmyk(0.1, 0.2, 0.3, 0.4) == Color("cmyk", (0.1, 0.2, 0.3, 0.4))
    assert cmyk(0, 0, 0, 1, alpha=0.5).alpha == 0.5
    color = rgb(0.1, 0.2, 0.3)
    assert parse_color(color) is color
    with pytest.raises(StyleError, match="outside 0-1"):
        cmyk(0, 0, 0, 2)


def test_color_is_hashable_and_converts_to_rgb() -> None:
    assert len({parse_color("red"), parse_color("#ff0000"), parse_color("blue")}) == 2
    assert Color("gray", (0.5,)).rgb() == (0.5, 0.5, 0.5)
    assert cmyk(1, 0, 0, 0).rgb() == (0, 1, 1)
    assert cmyk(0, 0, 0, 0.5).rgb() == (0.5, 0.5, 0.5)


@pytest.mark.parametrize(
    "value, message",
    [
        ("redd", r"fill 'redd' is not a colour \(did you mean 'red'\?\)"),
        ("nonsense-colour-name", r"'nonsense-colour-name' is not a colour \(unknown name\)"),
        ("#ff000", r"#rgb, #rgba, #rrggbb or #rrggbbaa"),
        ("#gg0000", r"#rgb, #rgba, #rrggbb or #rrggbbaa"),
        ("1.5", r"gray level string must be between 0 and 1"),
        ("nan", r"gray level string must be between 0 and 1"),
        ("-0.1", r"gray level string must be between 0 and 1"),
        (1.5, r"1.5 is outside 0-1"),
        (-1, r"-1 is outside 0-1"),
        (NAN, r"nan is outside 0-1"),
        ((255, 0, 0), r"255 is outside 0-1; divide 0-255 values by 255"),
        ((1, 0, NAN), r"nan is outside 0-1"),
        ((1, 0), r"2 components, not 3 \(RGB\) or 4 \(RGBA\)"),
        ((1, 0, 0, 1, 1), r"5 components"),
        ((1, "0", 0), r"'0' is not a number"),
        (("red", 2), r"2 is outside 0-1"),
        (("cmyk", 0, 0, 0), r"\('cmyk', c, m, y, k\) or \(colour, alpha\)"),
        (True, r"a bool"),
        ({"r": 1}, r"a dict"),
        (np.zeros((2, 3)), r"an array of shape \(2, 3\)"),
    ],
)
def test_bad_colors_name_argument_and_value(value: object, message: str) -> None:
    with pytest.raises(StyleError, match=message) as info:
        parse_color(value, name="fill")
    text = str(info.value)
    assert text.startswith("fill ")
    assert "use a CSS name, '#rrggbb', or an (r, g, b) tuple of 0-1 floats" in text
    assert isinstance(info.value, (PdfWriterError, ValueError))


@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
def test_hex_round_trip(channels: tuple[int, int, int, int]) -> None:
    text = "#" + "".join(f"{c:02x}" for c in channels)
    color = parse_color(text)
    assert color is not None
    assert color.components == tuple(c / 255 for c in channels[:3])
    assert color.alpha == channels[3] / 255
    assert parse_color(text.upper()) == color


# Per-item colours ----------------------------------------------------------------


def test_parse_colors_from_arrays() -> None:
    rows = np.array([[1, 0, 0], [0, 0.5, 1]])
    np.testing.assert_array_equal(parse_colors(rows, 2), [[1, 0, 0, 1], [0, 0.5, 1, 1]])
    rgba = np.array([[1, 0, 0, 0.5], [0, 0, 0, 0]], dtype=np.float32)
    np.testing.assert_allclose(parse_colors(rgba, 2), rgba)
    np.testing.assert_array_equal(parse_colors([[0, 1, 0]], 3), [[0, 1, 0, 1]] * 3)
    np.testing.assert_array_equal(parse_colors([0.25, 0.75], 2), [[0.25] * 3 + [1], [0.75] * 3 + [1]])
    assert parse_colors(np.empty((0, 4)), 0).shape == (0, 4)


def test_parse_colors_from_mixed_lists() -> None:
    values = ["red", "#00ff0080", (0, 0, 1), "0.5", ("cmyk", 0, 0, 0, 1), None, ("red", 0.25)]
    expected = [
        [1, 0, 0, 1],
        [0, 1, 0, 0x80 / 255],
        [0, 0, 1, 1],
        [0.5, 0.5, 0.5, 1],
        [0, 0, 0, 1],
        [0, 0, 0, 0],
        [1, 0, 0, 0.25],
    ]
    np.testing.assert_allclose(parse_colors(values, len(values)), expected)


@pytest.mark.parametrize(
    "single, row",
    [
        ("blue", [0, 0, 1, 1]),
        ((1, 0, 0), [1, 0, 0, 1]),
        (np.array([1, 0, 0, 0.5]), [1, 0, 0, 0.5]),
        (("green", 0.5), [0, 128 / 255, 0, 0.5]),
        (0.5, [0.5, 0.5, 0.5, 1]),
        (None, [0, 0, 0, 0]),
    ],
)
def test_parse_colors_repeats_one_colour(single: object, row: list[float]) -> None:
    np.testing.assert_allclose(parse_colors(single, 3), [row] * 3)


@pytest.mark.parametrize(
    "values, message",
    [
        (np.array([[1, 0, 0], [0, 1, 0]]), r"colors has 2 colours for 3 items"),
        (np.array([[1, 0, 2.0]]), r"colors\[0\] \(1.0, 0.0, 2.0\) is not a colour"),
        (np.array([[0, 0, 0], [1, NAN, 0]]), r"colors\[1\] \(1.0, nan, 0.0\) is not a colour"),
        (np.zeros((3, 5)), r"shape \(N, 3\) or \(N, 4\), not \(3, 5\)"),
        (["red", "bluee", "green"], r"colors\[1\] 'bluee' is not a colour \(did you mean 'blue'\?\)"),
        (["red", (300, 0, 0), "green"], r"colors\[1\] \(300, 0, 0\) is not a colour"),
        (object(), r"is not a colour \(a object, not a sequence of colours\)"),
    ],
)
def test_parse_colors_errors(values: object, message: str) -> None:
    with pytest.raises(StyleError, match=message):
        parse_colors(values, 3)


# Operators -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, fill, stroke",
    [
        ("red", b"1 0 0 rg", b"1 0 0 RG"),
        ("0.5", b".5 g", b".5 G"),
        (0, b"0 g", b"0 G"),
        (("cmyk", 0, 0, 0, 1), b"0 0 0 1 k", b"0 0 0 1 K"),
        ((0.123456, 0.5, 1), b".1235 .5 1 rg", b".1235 .5 1 RG"),
        ("#336699", b".2 .4 .6 rg", b".2 .4 .6 RG"),
        (("blue", 0.5), b"0 0 1 rg", b"0 0 1 RG"),
    ],
)
def test_operators(value: object, fill: bytes, stroke: bytes) -> None:
    color = parse_color(value)
    assert fill_operator(color) == fill
    assert stroke_operator(color) == stroke


# Rendered -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected, tol",
    [
        ("red", (255, 0, 0), 2),
        ("navy", (0, 0, 128), 2),
        ("#ff8000", (255, 128, 0), 2),
        ("C0", (31, 119, 180), 2),
        ("0.5", (128, 128, 128), 2),
        ((0, 0.5, 0), (0, 128, 0), 2),
        # pdfium converts CMYK with its own curves (K=1 comes out as (35, 31, 32)), not naively.
        (("cmyk", 0, 0, 0, 1), (0, 0, 0), 40),
        (("cmyk", 0, 0, 0, 0), (255, 255, 255), 2),
    ],
)
def test_rendered_fill_and_stroke(
    tmp_pdf: Callable[[str], Path], value: object, expected: tuple[int, int, int], tol: int
) -> None:
    path = tmp_pdf("color")
    color = parse_color(value)
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((100, 50))
        page.content.raw(fill_operator(color) + b"\n10 10 30 30 re\nf\n")
        page.content.raw(stroke_operator(color) + b"\n10 w\n60 25 m 90 25 l\nS\n")
    with check_pdf(path) as checked:
        image = checked.render(0, 72)
        for x, y in ((25, 25), (75, 25)):
            assert_color(pixel(image, x, y, 72), expected, tol)
