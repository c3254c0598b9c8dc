"""A fast reader for Adobe Font Metrics (AFM) files: global metrics, character widths, kerning.

Only what PDF output needs is kept: the header values a FontDescriptor
draws on, each character's code, width, name and bounding box, and the
horizontal kerning pairs (KPX and KP). Everything else (composites, track
kerning, vertical metrics) is skipped. Errors name the file and line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FontError


@dataclass(frozen=True)
class CharMetric:
    """One character: its code in the font's encoding (-1: none), width, name and bounding box."""

    code: int
    width: float
    name: str
    bbox: tuple[float, float, float, float] | None


@dataclass
class AfmMetrics:
    """The metrics an AFM file gives; lengths in 1/1000 em, None where the file says nothing."""

    font_name: str
    full_name: str | None = None
    family_name: str | None = None
    weight: str | None = None
    italic_angle: float = 0.0
    is_fixed_pitch: bool = False
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    cap_height: float | None = None
    x_height: float | None = None
    ascender: float | None = None
    descender: float | None = None
    std_vw: float | None = None
    encoding_scheme: str | None = None
    #: Characters by glyph name, in file order.
    chars: dict[str, CharMetric] = field(default_factory=dict)
    #: Horizontal kerning by (left name, right name).
    kerning: dict[tuple[str, str], float] = field(default_factory=dict)


_NUMBER_KEYS = {
    "ItalicAngle": "italic_angle",
    "CapHeight": "cap_height",
    "XHeight": "x_height",
    "Ascender": "ascender",
    "Descender": "descender",
    "StdVW": "std_vw",
}
_STRING_KEYS = {
    "FontName": "font_name",
    "FullName": "full_name",
    "FamilyName": "family_name",
    "Weight": "weight",
    "EncodingScheme": "encoding_scheme",
}


class _Reader:
    """Parses AFM text line by line, remembering where it is for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.line = 0

    def fail(self, message: str) -> FontError:
        """A FontError naming the file and current line."""
        return FontError(f"{self.source}, line {self.line}: {message}")

    def number(self, text: str) -> float:
        """Parse one number."""
        try:
            return float(text)
        except ValueError:
            raise self.fail(f"expected a number, found {text!r}") from None

    def parse(self) -> AfmMetrics:
        """Read the whole file."""
        header: dict[str, object] = {}
        chars: dict[str, CharMetric] = {}
        kerning: dict[tuple[str, str], float] = {}
        started = False
        section = ""
        for self.line, raw in enumerate(self.lines, 1):
            line = raw.strip()
            if not line:
                continue
            key, _, value = line.partition(" ")
            value = value.strip()
            if not started:
                if key != "StartFontMetrics":
                    raise self.fail("not an AFM file (it must begin with StartFontMetrics)")
                started = True
            elif section == "chars":
                if key == "EndCharMetrics":
                    section = ""
                else:
                    metric = self.char_metric(line)
                    chars.setdefault(metric.name, metric)
            elif section == "kern":
                if key in ("KPX", "KP"):
                    parts = value.split()
                    if len(parts) < 3:
                        raise self.fail(f"{key} needs two glyph names and an amount")
                    kerning[(parts[0], parts[1])] = self.number(parts[2])
                elif key.startswith("EndKernPairs"):
                    section = ""
            elif key == "StartCharMetrics":
                section = "chars"
            elif key.startswith("StartKernPairs"):
                # StartKernPairs1 holds vertical (writing direction 1) pairs only.
                section = "skip" if key == "StartKernPairs1" else "kern"
            elif section == "skip":
                if key.startswith("EndKernPairs"):
                    section = ""
            elif key in _STRING_KEYS:
                header[_STRING_KEYS[key]] = value
            elif key in _NUMBER_KEYS:
                header[_NUMBER_KEYS[key]] = self.number(value.split()[0] if value else "")
            elif key == "IsFixedPitch":
                header["is_fixed_pitch"] = value.lower() == "true"
            elif key == "FontBBox":
                parts = value.split()
                if len(parts) != 4:
                    raise self.fail(f"FontBBox needs four numbers, found {value!r}")
                header["bbox"] = tuple(self.number(p) for p in parts)
            elif key == "EndFontMetrics":
                break
        if not started:
            raise FontError(f"{self.source}: empty file, not an AFM file")
        if section in ("chars", "kern"):
            part = "CharMetrics" if section == "chars" else "KernPairs"
            raise FontError(f"{self.source}: ends inside its {part} section (truncated?)")
        if "font_name" not in header:
            raise FontError(f"{self.source}: no FontName line")
        return AfmMetrics(**header, chars=chars, kerning=kerning)  # type: ignore[arg-type]

    def char_metric(self, line: str) -> CharMetric:
        """Parse one CharMetrics line: 'C 65 ; WX 667 ; N A ; B 14 0 654 718 ;'."""
        code, width, name, bbox = -1, None, None, None
        for item in line.split(";"):
            parts = item.split()
            if not parts:
                continue
            key = parts[0]
            if len(parts) < 2:
                raise self.fail(f"{key} without a value in a CharMetrics line")
            if key == "C":
                code = int(self.number(parts[1]))
            elif key == "CH":
                try:
                    code = int(parts[1].strip("<>"), 16)
                except ValueError:
                    raise self.fail(f"bad hexadecimal code {parts[1]!r}") from None
            elif key in ("WX", "W0X", "W", "W0"):
                width = self.number(parts[1])
            elif key == "N":
                name = parts[1]
            elif key == "B":
                if len(parts) != 5:
                    raise self.fail(f"B needs four numbers, found {item.strip()!r}")
                bbox = (
                    self.number(parts[1]), self.number(parts[2]),
                    self.number(parts[3]), self.number(parts[4]),
                )  # fmt: skip
        if name is None:
            raise self.fail("CharMetrics line without a glyph name (N)")
        if width is None:
            raise self.fail(f"CharMetrics line for {name!r} without a width (WX)")
        return CharMetric(code, width, name, bbox)


def parse_afm(path: str | os.PathLike[str]) -> AfmMetrics:
    """Read an AFM file; FontError names the file and line of anything malformed."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FontError(f"cannot read AFM file {path}: {exc.strerror or exc}") from None
    return parse_afm_text(data.decode("latin-1"), str(path))


def parse_afm_text(text: str, source: str = "<AFM text>") -> AfmMetrics:
    """Parse AFM text; `source` names it in error messages."""
    return _Reader(text, source).parse()
