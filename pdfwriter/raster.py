"""The raster fallback: drawing in a `page.rasterized(dpi=...)` block becomes one image.

The block's drawing goes to a page of a small in-memory Document (written by
pdfwriter, uncompressed so pdfium reads it fast) whose box is the visible part
of the page (the page narrowed by clips), snapped outward to a pixel grid
anchored at the page's top-left corner, as viewers lay out their pixels. Its
first operator moves the origin so that its user space is page space, and
the transform in force when the block starts scopes the drawing, so
coordinates mean what they mean on the page. While the block is open the
page's raw `content` stream and `resources` are the scratch page's, so
operators written straight into page.content are rasterized too; a resource
they name must be a direct object or made inside the block (an object of the
real document would not exist in the scratch one: ImageError). pdfium
renders that page over a transparent background to straight-alpha RGBA at
exactly the grid's size; the raster is
cropped to its non-transparent pixels and placed on the real page through
the clips and transforms around the block, so it lands on the pixels the
vector drawing would have covered.

Bounds come from pdfium rather than from tracking what each call drew:
with up to 20,000 page objects the window rendered is the union of the
bounds pdfium gives each object (rendering a whole A4 page at 600 dpi for a
small drawing costs 0.6 s, its window 0.07 s); with more, asking each object
costs more than rendering the visible box. Either way the raster is then
cropped to its non-transparent pixels, exact for every kind of drawing.

pdfium builds an object for each form XObject placement, which makes
markers its slowest case (2,000,000 placed forms: 22 s to load the page, 8 s
to draw). On the scratch page markers are therefore written out as inline
paths, one filled path each so overlapping translucent markers still blend:
the same 2,000,000 markers load and draw in about 7 s (the renderer's
`place_markers` hook). Inline, a scaled marker keeps the line width and dash
pattern as set, unscaled, as a path of the same shape would.
"""

from __future__ import annotations

import ctypes
import io
import math
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from .errors import ImageError, MissingDependencyError
from .graphics.checks import non_negative
from .graphics.content import CONTENT_DECIMALS
from .graphics.gstate import GraphicsContext
from .graphics.renderer import Renderer
from .image import draw_image
from .pdf.numbers import format_array, format_rows
from .pdf.objects import Name, Reference, Stream
from .resources.canon import ResourceCanon

if TYPE_CHECKING:
    from .canvas import Canvas

#: A raster larger than this many pixels is refused (4 bytes each while rendering).
MAX_PIXELS = 1 << 28
# Pages must be at least 3 points on a side; a smaller region is padded (the padding stays transparent).
_MIN_SIDE = 3.0
# Form contents that can be written inline, moved and scaled: path construction and painting only.
_PATH_OPERATORS = frozenset(
    b"m l c v y h re f F f* S s B B* b b* n".split()
)
# Up to this many page objects the rendered window is the union of their bounds (see _drawn_box),
# padded by _BOUNDS_PAD pixels for anti-aliasing.
_BOUNDS_OBJECTS = 20_000
_BOUNDS_PAD = 2
# Grid coordinates this close to a whole pixel count as on it (float noise from dpi / 72).
_SNAP = 1e-6


def load_pdfium() -> Any:
    """The pypdfium2 module, or MissingDependencyError naming the extra that installs it."""
    try:
        import pypdfium2
        import pypdfium2.raw
    except ImportError as exc:
        raise MissingDependencyError(
            "rasterized() renders with pdfium: install the 'raster' extra "
            "(pip install 'pdfwriter[raster]', which brings pypdfium2)"
        ) from exc
    return pypdfium2


class _FormCanon(ResourceCanon):
    """A canon that also keeps the content of each form XObject it makes, by resource name,
    and every reference it hands out (so the scratch page can tell its own objects from others)."""

    def __init__(self, writer: Any) -> None:
        super().__init__(writer)
        self.forms: dict[str, bytes] = {}
        self.handed_out: set[int] = set()

    def get(self, category: str, prefix: str, key: Any, build: Any) -> tuple[str, Any]:
        made: list[Any] = []

        def recording() -> Any:
            made.append(build())
            return made[0]

        name, ref = super().get(category, prefix, key, recording)
        self.handed_out.add(ref.number)
        if made and isinstance(made[0], Stream) and made[0].dictionary.get("Subtype") == Name("Form"):
            operators = {token for token in made[0].data.split() if token[:1].isalpha()}
            if operators <= _PATH_OPERATORS:
                self.forms[name] = made[0].data
        return name, ref

    def font(self, font: Any) -> tuple[str, Reference, Any]:
        found = super().font(font)
        self.handed_out.add(found[1].number)
        return found

    def font_part(self, font: Any, part: int) -> tuple[str, Reference]:
        name, ref = super().font_part(font, part)
        self.handed_out.add(ref.number)
        return name, ref


class _ScratchRenderer(Renderer):
    """A renderer whose markers are inline paths instead of placed forms (faster for pdfium)."""

    canon: _FormCanon
    #: Decimals of inline marker coordinates: a hundredth of a point, finer above 360 dpi.
    places = 2

    def place_markers(self, px: np.ndarray, py: np.ndarray, s: np.ndarray, line_width: float | None,
                      do: bytes, prefix: list, *, dash: Any = None) -> None:
        """Each placement as the form's path, scaled and moved (the line width and dash stay as set)."""
        name = do.split(b"/", 1)[1].split(b" ", 1)[0].decode()
        body = self.canon.forms.get(name)
        if body is None:
            super().place_markers(px, py, s, line_width, do, prefix, dash=dash)
            return
        columns = _inline_columns(body, px, py, s, self.places)
        self.content.raw(format_rows([*prefix, *columns], len(px), CONTENT_DECIMALS))


def _inline_columns(body: bytes, px: np.ndarray, py: np.ndarray, s: np.ndarray, places: int) -> list[Any]:
    """format_rows columns writing a form's path operators scaled by s and moved to (px, py)."""
    columns: list[Any] = []
    operands: list[float] = []
    for token in body.split():
        try:
            operands.append(float(token))
            continue
        except ValueError:
            pass
        values: list[Any] = []
        if token == b"re":
            x, y, w, h = operands
            values = [x * s + px, y * s + py, w * s, h * s]
        else:
            for i in range(0, len(operands) - 1, 2):
                values += [operands[i] * s + px, operands[i + 1] * s + py]
        for value in values:
            columns += [(value, None, places), b" "]
        columns.append(token + b"\n")
        operands = []
    return columns


class RasterGroup:
    """One rasterized block: a scratch page to draw on, then its raster placed on the real canvas."""

    def __init__(self, canvas: Canvas, dpi: float) -> None:
        from .document import Document

        self._pdfium = load_pdfium()
        dpi = non_negative("dpi", dpi, allow_zero=False, error=ImageError)
        self.dpi = dpi
        scale = dpi / 72.0
        x0, y0, x1, y1 = canvas._visible_box
        top = float(canvas.height)
        col0 = math.floor(x0 * scale + _SNAP)
        col1 = math.ceil(x1 * scale - _SNAP)
        row0 = math.floor((top - y1) * scale + _SNAP)
        row1 = math.ceil((top - y0) * scale - _SNAP)
        self.empty = col1 <= col0 or row1 <= row0
        least = math.ceil(_MIN_SIDE * scale)
        self.columns = max(col1 - col0, least)
        self.rows = max(row1 - row0, least)
        if self.columns * self.rows > MAX_PIXELS:
            raise ImageError(
                f"rasterizing {self.columns} x {self.rows} pixels at {dpi:g} dpi is too large "
                f"(at most {MAX_PIXELS:,} pixels): lower the dpi or clip the block to a smaller area"
            )
        # The scratch page's box in page space: its top-left corner is grid point (col0, row0).
        self.left = col0 / scale
        self.top = top - row0 / scale
        self.scale = scale
        width, height = self.columns / scale, self.rows / scale
        self._buffer = io.BytesIO()
        self._document = Document(self._buffer, compress=False, deterministic=True)
        self._document.canon = canon = _FormCanon(self._document.writer)
        page = self._document.add_page((width, height))
        self._page = page
        # The scratch page's first operator moves its origin so that its user space is page space:
        # the renderer's coordinates, and raw operators written to page.content, mean what they
        # mean on the page. The transform in force at the block's start is the drawing's scope.
        page.content.raw(format_array(np.array([1.0, 0.0, 0.0, 1.0, -self.left, height - self.top]), 6) + b" cm\n")
        bounds = (self.left, self.top - height, self.left + width, self.top)
        page.renderer = _ScratchRenderer(page.content, canon, page.resources, bounds)
        page.renderer.places = 2 + math.ceil(math.log10(max(dpi / 360, 1)))
        page.renderer.unit_scale = canvas.renderer.unit_scale
        self.renderer = page.renderer
        ctm = canvas._ctm
        identity = np.array_equal(ctm, np.eye(3))
        self.scope: tuple[bytes, ...] = () if identity else (format_array(ctm[:2, :].T.ravel(), 6) + b" cm\n",)

    def enter(self, canvas: Canvas) -> Callable[[], None]:
        """Send the canvas's drawing to the scratch page; return the function that undoes it.

        On a Page the raw `content` stream and `resources` are swapped too, so
        operators written straight into page.content are rasterized with the
        rest (resources they name must be added inside the block).
        """
        page = self._page
        saved = {"renderer": canvas.renderer, "_scope": canvas._scope}
        swapped = {"renderer": self.renderer, "_scope": self.scope}
        for name in ("content", "resources"):
            if hasattr(canvas, name):
                saved[name], swapped[name] = getattr(canvas, name), getattr(page, name)
        for name, value in swapped.items():
            setattr(canvas, name, value)

        def restore() -> None:
            for name, value in saved.items():
                setattr(canvas, name, value)

        return restore

    def discard(self) -> None:
        """Drop the scratch document (the block raised)."""
        self._document.abort()

    def _check_resources(self) -> None:
        """Refuse objects of the real document named in the scratch page's resources (they would not exist there)."""
        handed_out = self._document.canon.handed_out
        for category, entries in self._page.resources.items():
            for name, value in entries.items():
                if isinstance(value, Reference) and value.number not in handed_out:
                    self._document.abort()
                    raise ImageError(
                        f"resource /{name} ({category}) added inside a rasterized block refers to an object "
                        "of the document, which the block's own rendering cannot see: add it and write the "
                        "operators that use it outside the block, or give the resource as a direct object"
                    )

    def render(self) -> tuple[np.ndarray, int, int]:
        """The drawn part of the scratch page as straight-alpha RGBA, and its (column, row) on the grid."""
        self._document.close()
        pdfium = self._pdfium
        raw = pdfium.raw
        document = pdfium.PdfDocument(self._buffer.getvalue())
        try:
            page = document[0]
            try:
                c0, r0, c1, r1 = self._drawn_box(raw, page)
                if c1 <= c0 or r1 <= r0:
                    return np.zeros((0, 0, 4), dtype=np.uint8), 0, 0
                bitmap = pdfium.PdfBitmap.new_native(c1 - c0, r1 - r0, raw.FPDFBitmap_BGRA, rev_byteorder=True)
                try:
                    # Transparent (0 in any byte order); pdfium's own call, as PdfBitmap.fill_rect
                    # changed its arguments' order within pypdfium2 4.
                    raw.FPDFBitmap_FillRect(bitmap, 0, 0, c1 - c0, r1 - r0, 0)
                    # The whole page maps onto the grid; the bitmap is the window (c0, r0)-(c1, r1) of it.
                    raw.FPDF_RenderPageBitmap(bitmap, page, -c0, -r0, self.columns, self.rows, 0,
                                              raw.FPDF_REVERSE_BYTE_ORDER)
                    return np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True), c0, r0
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()

    def _drawn_box(self, raw: Any, page: Any) -> tuple[int, int, int, int]:
        """The grid window (c0, r0, c1, r1) holding every page object pdfium reports, padded.

        Rendering only that window matters for a small drawing on a large page
        at a high resolution (a 50 pt circle on A4 at 600 dpi: 66 ms instead of
        633 ms for the whole page). With many objects, asking each for its
        bounds costs more than rendering the visible region, so that is used.
        """
        whole = (0, 0, self.columns, self.rows)
        count = raw.FPDFPage_CountObjects(page)
        if count > _BOUNDS_OBJECTS:
            return whole
        edges = [ctypes.c_float() for _ in range(4)]
        lo_x = lo_y = math.inf
        hi_x = hi_y = -math.inf
        for index in range(count):
            if not raw.FPDFPageObj_GetBounds(raw.FPDFPage_GetObject(page, index), *map(ctypes.byref, edges)):
                return whole
            left, bottom, right, top = (edge.value for edge in edges)
            lo_x, lo_y, hi_x, hi_y = min(lo_x, left), min(lo_y, bottom), max(hi_x, right), max(hi_y, top)
        if count == 0:
            return 0, 0, 0, 0
        scale, height = self.scale, self.rows / self.scale
        pad = _BOUNDS_PAD
        return (
            max(0, math.floor(lo_x * scale) - pad), max(0, math.floor((height - hi_y) * scale) - pad),
            min(self.columns, math.ceil(hi_x * scale) + pad), min(self.rows, math.ceil((height - lo_y) * scale) + pad),
        )

    def place(self, canvas: Canvas) -> None:
        """Render the block, crop it to what was drawn, and draw it on the canvas as one image."""
        self._check_resources()
        if self.empty:
            self._document.abort()
            return
        pixels, left, top = self.render()
        opaque = pixels[:, :, 3] != 0
        rows = np.flatnonzero(opaque.any(axis=1))
        if rows.size == 0:
            return
        columns = np.flatnonzero(opaque[rows[0] : rows[-1] + 1].any(axis=0))
        r0, r1, c0, c1 = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
        crop = pixels[r0:r1, c0:c1]
        crop[crop[:, :, 3] == 0] = 0  # hidden colours compress better as zeros
        r0, r1, c0, c1 = r0 + top, r1 + top, c0 + left, c1 + left
        scale = self.scale
        x, y = self.left + c0 / scale, self.top - r1 / scale
        inverse = np.linalg.inv(canvas._ctm)
        transform = None if np.array_equal(inverse, np.eye(3)) else inverse
        gc = GraphicsContext(scope=canvas._scope)
        draw_image(canvas.renderer, gc, crop, x, y, (c1 - c0) / scale, (r1 - r0) / scale, transform=transform)
