"""Annotations: link areas (to a URI or to a page of the same document) and notes.

An area is given in the drawing's user space, as a rectangle (x0, y0, x1, y1)
or as four corners, and mapped to page space through the current transform.
When the result is not one upright rectangle on the page (rotated text, a
rotating transform, several lines of a text block) the quadrilaterals go in
/QuadPoints, counter-clockwise as PDF 32000 asks, and /Rect is the rectangle
enclosing them, which is all that viewers ignoring /QuadPoints use.

A link to a page names it by index; the page's object number is reserved on
first mention, so a link may point at a page added later (the document
refuses to close if that page never comes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote

import numpy as np

from .errors import AnnotationError, GeometryError
from .graphics.checks import finite
from .graphics.color import Color
from .pdf.objects import Name, Reference, has_lone_surrogate

#: The icons PDF viewers draw for a note (a Text annotation); "Note" is the default.
NOTE_ICONS = ("Note", "Comment", "Key", "Help", "NewParagraph", "Paragraph", "Insert")
#: Viewers draw a note's icon about 20 points square, hanging from the top-left corner of its /Rect.
NOTE_ICON_SIZE = 20.0
# Characters kept as they are in a URI (RFC 3986 reserved and unreserved, and % of escapes made already);
# anything else (spaces, non-ASCII) is percent-encoded as UTF-8, as browsers do.
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~-._"
# Twice the area of a quadrilateral below which it covers nothing (square points).
_EMPTY = 1e-9
# How much /Rect reaches past the QuadPoints it encloses.
_PAD = 1e-5
_ANNOT, _LINK, _TEXT, _URI, _FIT, _XYZ = (Name(n) for n in ("Annot", "Link", "Text", "URI", "Fit", "XYZ"))


def area_corners(area: Any, what: str = "link area") -> np.ndarray:
    """The (4, 2) corners of a rectangle (x0, y0, x1, y1) or of four (x, y) corners in order around a quadrilateral."""
    try:
        values = np.asarray(area, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        values = None
    if values is not None and values.shape == (4,):
        x0, y0, x1, y1 = values
        values = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    if values is None or values.shape != (4, 2):
        raise GeometryError(
            f"{what} must be a rectangle (x0, y0, x1, y1) or four (x, y) corners, not {area!r:.80}"
        )
    if not np.isfinite(values).all():
        raise GeometryError(f"{what} must be finite numbers, not {area!r:.80}")
    return values


def place(
    quads: np.ndarray, ctm: np.ndarray | None = None, what: str = "link area"
) -> tuple[list[float], list[float] | None]:
    """Map (n, 4, 2) quadrilaterals to page space: the enclosing /Rect and /QuadPoints (None: an upright rectangle)."""
    quads = np.asarray(quads, dtype=np.float64).reshape(-1, 4, 2)
    if ctm is not None:
        quads = quads @ ctm[:2, :2].T + ctm[:2, 2]
    following = quads[:, [1, 2, 3, 0]]
    doubled = (quads[..., 0] * following[..., 1] - following[..., 0] * quads[..., 1]).sum(axis=1)
    if np.any(np.abs(doubled) < _EMPTY):
        raise GeometryError(f"{what} covers no area on the page (a zero width or height, or corners on a line)")
    # Counter-clockwise, keeping the first corner first.
    quads = np.where((doubled < 0)[:, None, None], quads[:, [0, 3, 2, 1]], quads)
    lo, hi = quads.reshape(-1, 2).min(axis=0), quads.reshape(-1, 2).max(axis=0)
    # One quadrilateral with each corner at a corner of its bounds is an upright rectangle.
    if len(quads) == 1 and ((np.abs(quads[0] - lo) <= 1e-6) | (np.abs(quads[0] - hi) <= 1e-6)).all():
        return [float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])], None
    # Points as written (6 decimals), and a /Rect 0.00001 wider all round, as matplotlib writes it,
    # so every quadrilateral lies strictly inside (viewers may ignore QuadPoints outside /Rect).
    quads = np.round(quads, 6)
    lo, hi = np.round(quads.reshape(-1, 2).min(axis=0) - _PAD, 6), np.round(quads.reshape(-1, 2).max(axis=0) + _PAD, 6)
    return [float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])], [float(v) for v in quads.ravel()]


def normalize_uri(uri: Any) -> bytes:
    """A URI as the ASCII bytes PDF wants: spaces, controls and non-ASCII characters percent-encoded (UTF-8)."""
    if not isinstance(uri, str):
        raise AnnotationError(f"a link's uri must be a str such as 'https://example.org', not {type(uri).__name__}")
    if not uri.strip():
        raise AnnotationError("a link's uri is empty: give an address such as 'https://example.org'")
    if has_lone_surrogate(uri):
        raise AnnotationError(f"a link's uri holds a lone surrogate, which has no UTF-8 form: {uri!r:.60}")
    return quote(uri, safe=_URI_SAFE).encode("ascii")


def _optional_number(name: str, value: Any) -> float | None:
    return None if value is None else finite(name, value, error=AnnotationError)


def destination_view(left: Any, top: Any, zoom: Any) -> tuple[Any, ...]:
    """The view after a jump: /Fit (the whole page) by default, else /XYZ with the given left, top and zoom."""
    left, top, zoom = _optional_number("left", left), _optional_number("top", top), _optional_number("zoom", zoom)
    if left is None and top is None and zoom is None:
        return (_FIT,)
    if zoom is not None and zoom <= 0:
        raise AnnotationError(f"zoom must be a factor > 0 (1 for 100%), not {zoom!r}")
    return (_XYZ, left, top, zoom)


def page_index(target: Any) -> int:
    """A page index from the caller: an int from 0 (the first page)."""
    if isinstance(target, bool) or not isinstance(target, (int, np.integer)):
        raise AnnotationError(f"page must be a page index (0 for the first page) or a Page, not {target!r:.40}")
    if target < 0:
        raise AnnotationError(f"page index {target} is negative: pages count from 0 (the first page)")
    return int(target)


def _color_entries(color: Color | None) -> dict[str, Any]:
    if color is None:
        return {}
    entries: dict[str, Any] = {"C": list(color.components)}
    if color.alpha < 1:
        entries["CA"] = color.alpha
    return entries


@dataclass(frozen=True)
class Link:
    """A clickable area: a URI action, or a destination on page `target` (an index)."""

    rect: list[float]
    quad_points: list[float] | None
    uri: bytes | None = None
    target: int | None = None
    view: tuple[Any, ...] = (_FIT,)
    border: float = 0.0
    color: Color | None = None

    def pdf_object(self, page_ref: Callable[[int], Reference]) -> dict[str, Any]:
        """The annotation dictionary; page_ref(index) gives the reference of a page of the document."""
        annot: dict[str, Any] = {"Type": _ANNOT, "Subtype": _LINK, "Rect": self.rect, "Border": [0, 0, self.border]}
        annot.update(_color_entries(self.color))
        if self.quad_points is not None:
            annot["QuadPoints"] = self.quad_points
        if self.uri is not None:
            annot["A"] = {"S": _URI, "URI": self.uri}
        else:
            assert self.target is not None
            annot["Dest"] = [page_ref(self.target), *self.view]
        return annot


@dataclass(frozen=True)
class Note:
    """A note: a Text annotation shown as an icon that opens to its text."""

    rect: list[float]
    text: str
    icon: str = "Note"
    author: str | None = None
    subject: str | None = None
    color: Color | None = None
    open: bool = False

    def pdf_object(self, page_ref: Callable[[int], Reference]) -> dict[str, Any]:
        """The annotation dictionary."""
        annot: dict[str, Any] = {
            "Type": _ANNOT, "Subtype": _TEXT, "Rect": self.rect, "Contents": self.text, "Name": Name(self.icon),
        }
        if self.author is not None:
            annot["T"] = self.author
        if self.subject is not None:
            annot["Subj"] = self.subject
        annot.update(_color_entries(self.color))
        if self.open:
            annot["Open"] = True
        return annot


def note_rect(at: Any, ctm: np.ndarray | None) -> list[float]:
    """A note's /Rect: a point (x, y) is the icon's top-left corner; a rectangle is mapped to the page as it is."""
    try:
        values = np.asarray(at, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        values = None
    if values is None or values.shape not in ((2,), (4,)):
        raise GeometryError(f"a note is placed at a point (x, y) or a rectangle (x0, y0, x1, y1), not {at!r:.80}")
    if not np.isfinite(values).all():
        raise GeometryError(f"a note's position must be finite numbers, not {at!r:.80}")
    if values.shape == (2,):
        point = values if ctm is None else ctm[:2, :2] @ values + ctm[:2, 2]
        x, y = float(point[0]), float(point[1])
        return [x, y - NOTE_ICON_SIZE, x + NOTE_ICON_SIZE, y]
    return place(area_corners(values, "note rectangle"), ctm, "note rectangle")[0]


def check_text(name: str, value: Any) -> str:
    """A note's text entry (contents, author, subject)."""
    if not isinstance(value, str):
        raise AnnotationError(f"a note's {name} must be a str, not {type(value).__name__}")
    if has_lone_surrogate(value):
        raise AnnotationError(f"a note's {name} holds a lone surrogate, which no text encoding can write: "
                              f"{value!r:.60}")
    return value


def check_icon(icon: Any) -> str:
    """A note icon name."""
    if icon not in NOTE_ICONS:
        raise AnnotationError(f"note icon must be one of {', '.join(NOTE_ICONS)}, not {icon!r}")
    return icon
