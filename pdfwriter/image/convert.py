"""Images to PDF, one page per image: the engine of ``python -m pdfwriter images``.

PNG and JPEG files are read by pdfwriter itself (their compressed data is
embedded as it is where PDF allows); ``.npy`` files are numpy arrays; TIFF
(every frame) and the other formats Pillow reads go through Pillow when it
is installed. A file that cannot be read is reported by name and the others
are still converted, unless `strict` asks to stop at the first failure.
"""

from __future__ import annotations

import io
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterator, Sequence

import numpy as np

from ..errors import ImageError, PageSizeError, PdfWriterError
from .sources import JPEG_MAGIC, PNG_MAGIC, ImageInput, from_file_bytes, to_array

NPY_MAGIC = b"\x93NUMPY"
#: Resolution of "fit" pages unless told otherwise: the CSS pixel (96 per inch), as screens show images.
DEFAULT_DPI = 96.0
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_SIZE = re.compile(r"^\s*([0-9.]+)\s*x\s*([0-9.]+)\s*(pt|mm|cm|in)?\s*$", re.IGNORECASE)


@dataclass
class Conversion:
    """What a conversion did: pages written and, for each file that failed, its name and the reason."""

    pages: int = 0
    files: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def parse_page_size(text: str) -> tuple[float, float] | None:
    """None for "fit"; a named size ("A4", "Letter", "A4-landscape") or "WxH" in pt (or mm, cm, in)."""
    from ..document import page_size

    if text.strip().lower() == "fit":
        return None
    match = _SIZE.match(text)
    if match:
        unit = _UNITS[(match.group(3) or "pt").lower()]
        try:
            return page_size((float(match.group(1)) * unit, float(match.group(2)) * unit))
        except ValueError:
            raise PageSizeError(f"page size {text!r}: the numbers are not valid") from None
    return page_size(text)


def read_images(path: str | os.PathLike) -> Iterator[ImageInput]:
    """Every image in a file: one for PNG, JPEG and .npy, each frame for TIFF and other Pillow formats."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise ImageError(f"cannot read the file: {exc.strerror or exc}") from exc
    if data.startswith(PNG_MAGIC) or data.startswith(JPEG_MAGIC):
        yield from_file_bytes(data, repr(name))
    elif data.startswith(NPY_MAGIC):
        try:
            array = np.load(io.BytesIO(data), allow_pickle=False)
        except ValueError as exc:
            raise ImageError(f"not a readable .npy array: {exc}") from None
        yield to_array(array)
    else:
        yield from _pillow_frames(data)


def _pillow_frames(data: bytes) -> Iterator[ImageInput]:
    """The frames of an image Pillow can read (TIFF pages, GIF frames, BMP, WebP, ...)."""
    try:
        from PIL import Image, ImageSequence, UnidentifiedImageError
    except ImportError:
        raise ImageError(
            "not a PNG, JPEG or .npy file; TIFF and other formats need Pillow (pip install pillow)"
        ) from None
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError):
        raise ImageError("not an image file pdfwriter or Pillow can read") from None
    with image:
        try:
            for frame in ImageSequence.Iterator(image):
                frame.load()
                yield to_array(frame.copy())
        except (OSError, ValueError, EOFError) as exc:
            raise ImageError(f"damaged image data ({exc})") from None


def _place(
    image: ImageInput, fixed: tuple[float, float] | None, dpi: float, margin: float,
) -> tuple[tuple[float, float], tuple[float, float, float, float]]:
    """(page size, (x, y, width, height) of the image on it)."""
    if fixed is None:
        width, height = image.width * 72 / dpi, image.height * 72 / dpi
        page = (width + 2 * margin, height + 2 * margin)
        if max(page) > 14400:
            raise ImageError(
                f"{image.width} x {image.height} pixels at {dpi:g} dpi make a page larger than PDF's "
                "200 inches: raise --dpi or give a --page-size"
            )
        return (max(page[0], 3.0), max(page[1], 3.0)), (margin, margin, width, height)
    room_w, room_h = fixed[0] - 2 * margin, fixed[1] - 2 * margin
    scale = min(room_w / image.width, room_h / image.height)
    width, height = image.width * scale, image.height * scale
    return fixed, ((fixed[0] - width) / 2, (fixed[1] - height) / 2, width, height)


def images_to_pdf(
    files: Sequence[str | os.PathLike],
    target: str | os.PathLike | IO[bytes],
    *,
    page_size: str | tuple[float, float] | None = None,
    dpi: float = DEFAULT_DPI,
    origin: str = "upper",
    margin: float = 0.0,
    strict: bool = False,
    report: Callable[[int, int, str], None] | None = None,
) -> Conversion:
    """Write one page per image of `files` to `target`; return what was converted and what failed.

    `page_size` None (or "fit") makes each page the image's size at `dpi`
    plus `margin` on every side; a named size or (width, height) in points
    scales each image to fit inside the margins, centred, aspect kept.
    `report(done, total, name)` is called after each file. A file that fails
    is recorded in the result (or, with `strict`, raised at once and nothing
    is written). If no image could be read, nothing is written and
    ImageError is raised.
    """
    from ..document import Document

    fixed = parse_page_size(page_size) if isinstance(page_size, str) else page_size
    if fixed is not None and not isinstance(page_size, str):
        from ..document import page_size as resolve

        fixed = resolve(fixed)
    if not (isinstance(dpi, (int, float)) and math.isfinite(dpi) and dpi > 0):
        raise ImageError(f"dpi must be a positive number, not {dpi!r}")
    if not (isinstance(margin, (int, float)) and math.isfinite(margin) and margin >= 0):
        raise ImageError(f"margin must be a non-negative number of points, not {margin!r}")
    if origin not in ("upper", "lower"):
        raise ImageError(f"origin must be 'upper' or 'lower', not {origin!r}")
    if fixed is not None and 2 * margin >= min(fixed):
        raise PageSizeError(f"a margin of {margin:g} pt leaves no room on a {fixed[0]:g} x {fixed[1]:g} pt page")
    result = Conversion()
    document = Document(target, metadata={"Creator": "pdfwriter images"})
    try:
        for index, path in enumerate(files):
            name = os.fspath(path)
            added = 0
            try:
                for image in read_images(path):
                    size, (x, y, width, height) = _place(image, fixed, dpi, margin)
                    page = document.add_page(size)
                    added += 1
                    page.image(image, x, y, width, height, origin=origin)
            except PdfWriterError as exc:
                if strict:
                    raise ImageError(f"{name}: {exc}") from exc
                result.failed.append((name, str(exc)))
            result.pages += added
            result.files += added > 0
            if report is not None:
                report(index + 1, len(files), name)
        if result.pages == 0:
            reasons = "; ".join(f"{name}: {reason}" for name, reason in result.failed)
            raise ImageError(f"no image could be read, so no PDF was written ({reasons})")
    except BaseException:
        document.abort()
        raise
    document.close()
    return result


def progress_printer(stream: IO[str] | None = None, *, every_line: bool = False) -> Callable[[int, int, str], None]:
    """A report callback writing to `stream` (default: stderr): one updating line, or a line per file."""
    start = time.perf_counter()

    def report(done: int, total: int, name: str) -> None:
        out = sys.stderr if stream is None else stream
        elapsed = time.perf_counter() - start
        text = f"[{done}/{total}] {name} ({elapsed:.1f} s)"
        if every_line:
            print(text, file=out, flush=True)
        else:
            end = "\n" if done == total else ""
            print(f"\r\x1b[K{text}", end=end, file=out, flush=True)

    return report


def add_arguments(parser: Any) -> None:
    """The options of the ``images`` command."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="PNG, JPEG, TIFF (every frame; needs Pillow), .npy array")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="the PDF file to write")
    parser.add_argument("--page-size", default="fit", metavar="SIZE",
                        help="fit (default: each page the image's size at --dpi), A4, Letter, ... or WxH in pt "
                             "(or mm, cm, in, e.g. 210x297mm): the image is scaled to fit inside the margins, centred")
    parser.add_argument("--dpi", type=float, default=DEFAULT_DPI,
                        help=f"pixels per inch of 'fit' pages (default {DEFAULT_DPI:g}, the CSS pixel)")
    parser.add_argument("--origin", choices=("upper", "lower"), default="upper",
                        help="where row 0 goes: upper (pictures, default) or lower (arrays of data)")
    parser.add_argument("--margin", type=float, default=0.0, metavar="PT", help="white space around each image, in points")
    parser.add_argument("--strict", action="store_true", help="stop at the first file that fails and write nothing")
    parser.add_argument("--progress", action="store_true", help="print a line per file on stderr (automatic on a terminal)")


def run(args: Any) -> int:
    """Run the ``images`` command; 0 when every file converted, 1 otherwise."""
    report = None
    if args.progress:
        report = progress_printer(every_line=True)
    elif sys.stderr.isatty() and len(args.files) > 1:
        report = progress_printer()
    try:
        result = images_to_pdf(
            args.files, args.output, page_size=args.page_size, dpi=args.dpi, origin=args.origin,
            margin=args.margin, strict=args.strict, report=report,
        )
    except PdfWriterError as exc:
        print(f"pdfwriter: {exc}", file=sys.stderr)
        return 1
    for name, reason in result.failed:
        print(f"pdfwriter: {name}: {reason}", file=sys.stderr)
    print(f"wrote {args.output} ({result.pages} pages from {result.files} files"
          + (f"; {len(result.failed)} failed" if result.failed else "") + ")")
    return 1 if result.failed else 0
