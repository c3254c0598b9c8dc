"""PDF objects as Python values, and `serialize` that writes them as bytes.

Python values map onto PDF objects directly: int and float are numbers, bool
is a boolean, None is null, str is a text string, bytes is a byte string,
list and tuple are arrays, dict is a dictionary (str keys become names).
Names, explicitly typed strings, references, streams, content-stream operators
and pre-serialized bytes have their own small classes here.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

import numpy as np

from ..errors import ObjectError
from .numbers import DEFAULT_DECIMALS, format_number

# Bytes a name may hold as they are: regular characters in 0x21..0x7E except '#'.
_DELIMITERS = b"()<>[]{}/%#"
_NAME_ESCAPES = {
    b: (bytes([b]) if 0x21 <= b <= 0x7E and b not in _DELIMITERS else b"#%02X" % b)
    for b in range(256)
}


class Name:
    """A PDF name (/Type). Built from str (UTF-8 encoded) or bytes; escapes what it must."""

    __slots__ = ("value", "_encoded")

    def __init__(self, value: str | bytes) -> None:
        if isinstance(value, str):
            value = value.encode("utf-8")
        elif not isinstance(value, (bytes, bytearray)):
            raise ObjectError(f"a Name is made from str or bytes, not {type(value).__name__}")
        if b"\x00" in value:
            raise ObjectError(f"a PDF name cannot contain a NUL byte: {value!r}")
        self.value = bytes(value)
        self._encoded = b"/" + b"".join(_NAME_ESCAPES[b] for b in self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Name):
            return self.value == other.value
        if isinstance(other, str):
            return self.value == other.encode("utf-8")
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Name({self.value.decode('utf-8', 'backslashreplace')!r})"

    def __str__(self) -> str:
        return "/" + self.value.decode("utf-8", "backslashreplace")


# PDFDocEncoding: the code points of bytes 0x18-0x1F and 0x80-0xA0 that differ
# from Latin-1 (PDF 32000-1:2008, Annex D.2). 0x7F, 0x9F and 0xAD are undefined.
_PDFDOC_SPECIAL = {
    0x18: "\u02d8", 0x19: "\u02c7", 0x1A: "\u02c6", 0x1B: "\u02d9",
    0x1C: "\u02dd", 0x1D: "\u02db", 0x1E: "\u02da", 0x1F: "\u02dc",
    0x80: "\u2022", 0x81: "\u2020", 0x82: "\u2021", 0x83: "\u2026",
    0x84: "\u2014", 0x85: "\u2013", 0x86: "\u0192", 0x87: "\u2044",
    0x88: "\u2039", 0x89: "\u203a", 0x8A: "\u2212", 0x8B: "\u2030",
    0x8C: "\u201e", 0x8D: "\u201c", 0x8E: "\u201d", 0x8F: "\u2018",
    0x90: "\u2019", 0x91: "\u201a", 0x92: "\u2122", 0x93: "\ufb01",
    0x94: "\ufb02", 0x95: "\u0141", 0x96: "\u0152", 0x97: "\u0160",
    0x98: "\u0178", 0x99: "\u017d", 0x9A: "\u0131", 0x9B: "\u0142",
    0x9C: "\u0153", 0x9D: "\u0161", 0x9E: "\u017e", 0xA0: "\u20ac",
}
_PDFDOC_ENCODE = {ord(c): b for b, c in _PDFDOC_SPECIAL.items()}
_PDFDOC_ENCODE.update({b: b for b in (0x09, 0x0A, 0x0D)})
_PDFDOC_ENCODE.update({b: b for b in range(0x20, 0x7F)})
_PDFDOC_ENCODE.update({b: b for b in range(0xA1, 0x100) if b != 0xAD})


_ASCII_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_lone_surrogate(text: str) -> bool:
    """True if text holds a lone UTF-16 surrogate (as str decoded with errors='surrogateescape' may),
    which encode_text (like any encoding) cannot write: callers refuse such text when it is given."""
    try:
        text.encode("utf-16-be")
    except UnicodeEncodeError:
        return True
    return False


def encode_text(text: str) -> bytes:
    """Encode a text string: PDFDocEncoding when every character fits, else UTF-16BE with BOM."""
    if text.isascii():
        encoded = text.encode("ascii")
        if not _ASCII_CONTROL.search(encoded):
            return encoded
    try:
        encoded = bytes(_PDFDOC_ENCODE[ord(c)] for c in text)
    except KeyError:
        return b"\xfe\xff" + text.encode("utf-16-be")
    # A PDFDoc string that starts like a byte-order mark would be read as Unicode.
    if encoded.startswith((b"\xfe\xff", b"\xef\xbb\xbf")):
        return b"\xfe\xff" + text.encode("utf-16-be")
    return encoded


_LITERAL_ESCAPES = {b: bytes([b]) for b in range(256)}
_LITERAL_ESCAPES.update({b: b"\\%03o" % b for b in range(0x20)})
_LITERAL_ESCAPES.update({
    0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t", 0x08: b"\\b", 0x0C: b"\\f",
    0x28: b"\\(", 0x29: b"\\)", 0x5C: b"\\\\",
})
_LITERAL_TABLE = [_LITERAL_ESCAPES[b] for b in range(256)]
_NEEDS_ESCAPE = re.compile(rb"[\x00-\x1f()\\]")


def serialize_bytes(data: bytes) -> bytes:
    """Write a byte string as a literal (escaped) or hex string, whichever is shorter."""
    if not _NEEDS_ESCAPE.search(data):
        return b"(" + data + b")"
    literal = b"".join([_LITERAL_TABLE[b] for b in data])
    if len(literal) + 2 <= 2 * len(data) + 2:
        return b"(" + literal + b")"
    return b"<" + data.hex().encode("ascii") + b">"


class String:
    """A PDF string given explicitly: text (str) or raw bytes, optionally forced to hex form."""

    __slots__ = ("data", "hex")

    def __init__(self, value: str | bytes, *, hex: bool = False) -> None:
        if isinstance(value, str):
            self.data = encode_text(value)
        elif isinstance(value, (bytes, bytearray, memoryview)):
            self.data = bytes(value)
        else:
            raise ObjectError(f"a String is made from str or bytes, not {type(value).__name__}")
        self.hex = hex

    def __eq__(self, other: object) -> bool:
        return isinstance(other, String) and self.data == other.data

    def __hash__(self) -> int:
        return hash(self.data)

    def __repr__(self) -> str:
        return f"String({self.data!r})"


class Reference:
    """An indirect reference (12 0 R) to an object the writer numbers."""

    __slots__ = ("number", "generation")

    def __init__(self, number: int, generation: int = 0) -> None:
        if number < 1 or generation < 0:
            raise ObjectError(f"invalid object reference {number} {generation} R")
        self.number = number
        self.generation = generation

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Reference)
            and self.number == other.number
            and self.generation == other.generation
        )

    def __hash__(self) -> int:
        return hash((self.number, self.generation))

    def __repr__(self) -> str:
        return f"Reference({self.number}, {self.generation})"


class Stream:
    """A stream object: a dictionary and its data.

    `compress` None lets the writer decide (Flate unless the dictionary already
    names a Filter, as JPEG data does); True or False forces it.
    """

    __slots__ = ("data", "dictionary", "compress")

    def __init__(
        self,
        data: bytes = b"",
        dictionary: Mapping[str | Name, Any] | None = None,
        *,
        compress: bool | None = None,
    ) -> None:
        self.data = bytes(data)
        self.dictionary = dict(dictionary or {})
        self.compress = compress

    def __repr__(self) -> str:
        return f"Stream({len(self.data)} bytes, {self.dictionary!r})"


class Operator:
    """A content-stream operator with its operands, written as ``operands name``."""

    __slots__ = ("name", "operands")

    def __init__(self, name: str, *operands: Any) -> None:
        self.name = name.encode("ascii")
        self.operands = operands

    def __repr__(self) -> str:
        return f"Operator({self.name.decode()!r}, {', '.join(map(repr, self.operands))})"


class Verbatim:
    """Bytes already in PDF syntax, written unchanged."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)

    def __repr__(self) -> str:
        return f"Verbatim({self.data!r})"


# Tokens starting with these bytes need no separating space before them.
_SELF_DELIMITED_START = frozenset([b"/", b"(", b"[", b"<"])


def _write(obj: Any, out: list[bytes], decimals: int) -> None:
    """Append the serialization of one object to `out` (recursive)."""
    kind = type(obj)
    if kind is Name:
        out.append(obj._encoded)
    elif kind is int:
        out.append(b"%d" % obj)
    elif kind is float:
        out.append(format_number(obj, decimals))
    elif kind is Reference:
        out.append(b"%d %d R" % (obj.number, obj.generation))
    elif kind is str:
        out.append(serialize_bytes(encode_text(obj)))
    elif kind is dict:
        out.append(b"<<")
        for key, value in obj.items():
            out.append(_key(key))
            mark = len(out)
            _write(value, out, decimals)
            if out[mark][:1] not in _SELF_DELIMITED_START:
                out[mark] = b" " + out[mark]
        out.append(b">>")
    elif kind is list or kind is tuple:
        out.append(b"[")
        first = True
        for item in obj:
            mark = len(out)
            _write(item, out, decimals)
            if not first and out[mark][:1] not in _SELF_DELIMITED_START:
                out[mark] = b" " + out[mark]
            first = False
        out.append(b"]")
    elif kind is bool:
        out.append(b"true" if obj else b"false")
    elif obj is None:
        out.append(b"null")
    elif kind is bytes or kind is bytearray:
        out.append(serialize_bytes(bytes(obj)))
    elif kind is String:
        out.append(b"<" + obj.data.hex().encode() + b">" if obj.hex else serialize_bytes(obj.data))
    elif kind is Verbatim:
        out.append(obj.data)
    elif kind is Operator:
        for operand in obj.operands:
            _write(operand, out, decimals)
            out.append(b" ")
        out.append(obj.name)
    elif isinstance(obj, (np.integer, int)):
        out.append(b"%d" % int(obj))
    elif isinstance(obj, (np.floating, float)):
        out.append(format_number(float(obj), decimals))
    elif isinstance(obj, np.ndarray):
        _write(obj.tolist(), out, decimals)
    elif isinstance(obj, Mapping):
        _write(dict(obj), out, decimals)
    elif isinstance(obj, Stream):
        raise ObjectError(
            "a Stream cannot be nested inside another object; add it to the writer "
            "and refer to it with the Reference it returns"
        )
    else:
        raise ObjectError(
            f"cannot write a {type(obj).__name__} to PDF ({obj!r:.60}); use int, float, bool, "
            "None, str, bytes, list, tuple, dict or a pdfwriter.pdf type"
        )


def _key(key: Any) -> bytes:
    """Serialize a dictionary key: a Name, or a str that becomes one."""
    if type(key) is str:
        name = _KEY_CACHE.get(key)
        if name is None:
            name = Name(key)._encoded
            if len(_KEY_CACHE) < _KEY_CACHE_SIZE:
                _KEY_CACHE[key] = name
        return name
    if type(key) is Name:
        return key._encoded
    raise ObjectError(f"dictionary keys must be str or Name, not {type(key).__name__} ({key!r:.40})")


# Dictionary keys repeat endlessly (Type, Length, Filter, ...): cache their encoding.
_KEY_CACHE: dict[str, bytes] = {}
_KEY_CACHE_SIZE = 4096


def serialize(obj: Any, decimals: int = DEFAULT_DECIMALS) -> bytes:
    """Write any supported Python or pdfwriter.pdf value as PDF bytes."""
    out: list[bytes] = []
    _write(obj, out, decimals)
    return b"".join(out)


def serialize_operators(operators: Iterable[Operator], decimals: int = DEFAULT_DECIMALS) -> bytes:
    """Write a sequence of operators as content-stream bytes, one per line."""
    return b"\n".join(serialize(op, decimals) for op in operators)
