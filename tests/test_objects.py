"""The object model: what serialize writes, checked against pikepdf's parser."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np
import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdfwriter.errors import NumberError, ObjectError
from pdfwriter.pdf import Name, Operator, Reference, Stream, String, Verbatim, serialize
from pdfwriter.pdf.numbers import format_array, format_number
from pdfwriter.pdf.objects import encode_text


def parse(data: bytes) -> pikepdf.Object:
    return pikepdf.Object.parse(data)


def name_bytes(obj: pikepdf.Object) -> bytes:
    """The raw bytes of a parsed name (qpdf re-escapes it when unparsing)."""
    text = obj.unparse()[1:]
    return re.sub(rb"#([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), text)


def canonical_parsed(obj: pikepdf.Object):
    """A parsed object as plain Python values for comparison."""
    if isinstance(obj, pikepdf.Dictionary):
        return {name_bytes(pikepdf.Name(k)): canonical_parsed(v) for k, v in obj.items()}
    if isinstance(obj, pikepdf.Array):
        return [canonical_parsed(v) for v in obj]
    if isinstance(obj, pikepdf.Name):
        return ("name", name_bytes(obj))
    if isinstance(obj, pikepdf.String):
        return bytes(obj)
    if isinstance(obj, Decimal):
        return float(obj)
    return obj


def canonical_ours(obj):
    """What a value we serialize should read back as."""
    if isinstance(obj, dict):
        return {
            (k.value if isinstance(k, Name) else k.encode()): canonical_ours(v) for k, v in obj.items()
        }
    if isinstance(obj, (list, tuple)):
        return [canonical_ours(v) for v in obj]
    if isinstance(obj, Name):
        return ("name", obj.value)
    if isinstance(obj, str):
        return encode_text(obj)
    if isinstance(obj, String):
        return obj.data
    if isinstance(obj, float):
        return round(obj, 6)
    return obj


def same(a, b) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), abs_tol=1.5e-6)
    return a == b


names = st.builds(Name, st.binary(max_size=20).filter(lambda b: b"\x00" not in b))
scalars = (
    st.integers(-(2**31), 2**31 - 1)
    | st.floats(-1e9, 1e9, allow_nan=False)
    | st.booleans()
    | st.none()
    | names
    | st.binary(max_size=40)
    | st.text(max_size=20)
    | st.builds(String, st.binary(max_size=20), hex=st.booleans())
)
objects = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=6)
    | st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda s: "\x00" not in s), children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(objects)
def test_any_object_round_trips_through_pikepdf(obj):
    # Wrapped in an array so that bare scalars parse as objects too.
    parsed = parse(serialize([obj]))
    assert same(canonical_parsed(parsed)[0], canonical_ours(obj))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_byte_string_round_trips(data):
    assert bytes(parse(serialize(data))) == data


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=50))
def test_text_strings_decode_to_the_same_text(text):
    assert str(parse(serialize(text))) == text


def test_text_strings_use_pdfdoc_when_they_fit_and_utf16_otherwise():
    assert serialize("Caf\u00e9 \u2014 \u20ac5") == b"(Caf\xe9 \x84 \xa05)"
    assert serialize("\u65e5\u672c") == b"(\xfe\xff\x65\xe5\x67\x2c)"
    # A PDFDoc string that would begin with a byte-order mark is written as UTF-16.
    assert bytes(parse(serialize("\u00fe\u00ffx"))) == b"\xfe\xff\x00\xfe\x00\xff\x00x"
    assert str(parse(serialize("\u00fe\u00ffx"))) == "\u00fe\u00ffx"


def test_literal_strings_escape_and_pick_the_shorter_form():
    assert serialize(b"a(b)c\\") == b"(a\\(b\\)c\\\\)"
    assert serialize(b"line\nbreak\r") == b"(line\\nbreak\\r)"
    assert serialize(b"\x00\x01\x02") == b"<000102>"
    assert serialize(String(b"ab", hex=True)) == b"<6162>"


def test_names_escape_delimiters_whitespace_and_non_ascii():
    assert serialize(Name("Type")) == b"/Type"
    assert serialize(Name("A B#(x)/%")) == b"/A#20B#23#28x#29#2F#25"
    assert serialize(Name(b"\xe9\x7f")) == b"/#E9#7F"
    assert serialize(Name("")) == b"/"
    with pytest.raises(ObjectError, match="NUL"):
        Name(b"a\x00b")


def test_dictionaries_and_arrays_are_compact_and_parse():
    data = serialize({"Type": Name("Page"), "Kids": [Reference(3), Reference(4, 0)], "Count": 2, "N": None})
    assert data == b"<</Type/Page/Kids[3 0 R 4 0 R]/Count 2/N null>>"
    assert serialize([Name("a"), 1, Name("b"), [2, 3], (True, False)]) == b"[/a 1/b[2 3][true false]]"


def test_numpy_values_and_operators_and_verbatim():
    assert serialize([np.int32(7), np.float32(0.5), np.arange(3)]) == b"[7 .5[0 1 2]]"
    assert serialize(Operator("Tf", Name("F1"), 12)) == b"/F1 12 Tf"
    assert serialize({"A": Verbatim(b"[1 2]")}) == b"<</A[1 2]>>"


def test_unwritable_values_raise_object_error():
    with pytest.raises(ObjectError, match="set"):
        serialize({1, 2})
    with pytest.raises(ObjectError, match="keys"):
        serialize({1: 2})
    with pytest.raises(ObjectError, match="Reference"):
        serialize([Stream(b"x")])


@pytest.mark.parametrize(
    "value, text",
    [
        (0, b"0"), (-0.0, b"0"), (1.0, b"1"), (0.5, b".5"), (-0.5, b"-.5"), (-1e-9, b"0"),
        (123.4567891, b"123.456789"), (1e15, b"1000000000000000"), (2.6e-6, b".000003"), (37.68935, b"37.68935"),
        (10, b"10"), (-100.25, b"-100.25"),
    ],
)
def test_number_policy(value, text):
    assert format_number(value) == text
    assert b"e" not in format_number(value)


def test_large_numbers_are_written_in_full_without_exponent_up_to_two_to_the_52():
    assert format_number(2.0**52 - 1, 0) == b"4503599627370495"
    assert format_number(-123456789012.5, 2) == b"-123456789012.5"


@pytest.mark.parametrize("huge", [2.0**52, 1e20, -1e300, np.float64(1e308)])
def test_numbers_past_two_to_the_52_are_refused(huge):
    """Written whole they would take 16 to 309 digits, which readers take as 64-bit integers or not at
    all (pikepdf and qpdf read 1e20 as null): the page would be invalid."""
    with pytest.raises(NumberError, match="within"):
        format_number(huge)
    with pytest.raises(NumberError, match="within"):
        format_array(np.array([0.5, huge]), 3)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.float64("nan")])
def test_non_finite_numbers_raise(bad):
    with pytest.raises(NumberError, match="finite"):
        format_number(bad)
    with pytest.raises(NumberError):
        serialize([1, bad])
    with pytest.raises(NumberError):
        format_array(np.array([1.0, bad]))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(-1e7, 1e7, allow_nan=False), min_size=1, max_size=50),
    st.integers(0, 6),
)
def test_vectorised_formatting_matches_the_scalar_policy(values, decimals):
    array = np.array(values)
    expected = b" ".join(format_number(float(v), decimals) for v in array)
    assert format_array(array, decimals) == expected


def test_scalar_and_vectorised_formatting_round_near_ties_alike():
    values = np.array([37.68935, 0.00005, 2.5e-6, 1.00005, -7.12345])
    assert format_array(values, 4) == b" ".join(format_number(float(v), 4) for v in values)


def test_vectorised_formatting_of_large_values_uses_no_exponent():
    values = np.array([1e15, -3.5e14, 0.25])
    assert format_array(values, 3) == b"1000000000000000 -350000000000000 .25"
