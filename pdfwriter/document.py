"""Document and Page: the top of the object graph, written as pages are finished.

A page is written to the output as soon as the next one is added (or the
document closes), so a long document never holds its pages in memory. The
page tree is balanced at close from parent nodes reserved as pages arrive.
"""

from __future__ import annotations

import datetime as _dt
import errno
import io
import math
import os
import secrets
import stat
import weakref
from typing import IO, Any, Mapping

from . import __version__
from .errors import AnnotationError, DocumentError, MetadataError, OutputError, PageSizeError, output_error
from .canvas import Canvas
from .graphics.content import ContentStream
from .graphics.renderer import Renderer
from .pdf.objects import Name, Reference, Stream, has_lone_surrogate
from .pdf.writer import PdfWriter
from .resources.canon import ResourceCanon

_MM = 72 / 25.4
# ISO 216 A series in millimetres; North American sizes in points.
_ISO_A = {
    "A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420),
    "A4": (210, 297), "A5": (148, 210), "A6": (105, 148),
}
PAGE_SIZES: dict[str, tuple[float, float]] = {
    name: (round(w * _MM, 2), round(h * _MM, 2)) for name, (w, h) in _ISO_A.items()
}
PAGE_SIZES.update({"LETTER": (612.0, 792.0), "LEGAL": (612.0, 1008.0), "TABLOID": (792.0, 1224.0)})
#: PDF viewers accept page sides from 3 to 14,400 units (PDF 32000-1, Annex C).
MIN_SIDE, MAX_SIDE = 3.0, 14400.0
_KIDS_PER_NODE = 32
_PAGE = Name("Page")


def page_size(size: str | tuple[float, float], landscape: bool = False) -> tuple[float, float]:
    """Resolve "A4", "letter", "A4-landscape" or (width, height) in points to (width, height)."""
    if isinstance(size, str):
        key = size.strip().upper().replace(" ", "-")
        if key.endswith("-LANDSCAPE"):
            key, landscape = key[: -len("-LANDSCAPE")], True
        elif key.endswith("-PORTRAIT"):
            key = key[: -len("-PORTRAIT")]
        if key not in PAGE_SIZES:
            names = ", ".join(n.title() if len(n) > 2 else n for n in PAGE_SIZES)
            raise PageSizeError(
                f"unknown page size {size!r}; use one of {names} (optionally with "
                "'-landscape'), or (width, height) in points"
            )
        width, height = PAGE_SIZES[key]
    else:
        try:
            width, height = (float(v) for v in size)
        except (TypeError, ValueError, OverflowError):
            raise PageSizeError(
                f"page size must be a name such as 'A4' or (width, height) in points, not {size!r}"
            ) from None
        for side in (width, height):
            if not (math.isfinite(side) and MIN_SIDE <= side <= MAX_SIDE):
                raise PageSizeError(
                    f"page size {size!r} is outside what viewers accept: each side must be "
                    f"from {MIN_SIDE:g} to {MAX_SIDE:g} points"
                )
    if landscape and height > width:
        width, height = height, width
    return width, height


# Metadata ---------------------------------------------------------------------

_TEXT_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer")
_DATE_KEYS = ("CreationDate", "ModDate")
_STANDARD_KEYS = _TEXT_KEYS + _DATE_KEYS + ("Trapped",)
_TRAPPED = {True: "True", False: "False", "true": "True", "false": "False", "unknown": "Unknown"}


def validate_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Check metadata and convert it to Info dictionary values (None removes a key)."""
    info: dict[str, Any] = {}
    if not isinstance(metadata, Mapping):
        raise MetadataError(f"metadata must be a dict, not {type(metadata).__name__}")
    for key, value in metadata.items():
        if not isinstance(key, str) or not key or any(c.isspace() for c in key) or has_lone_surrogate(key):
            raise MetadataError(f"metadata key {key!r} is not valid: use a str without spaces")
        for standard in _STANDARD_KEYS:
            if key != standard and key.lower() == standard.lower():
                raise MetadataError(f"metadata key {key!r}: did you mean {standard!r}?")
        if value is None:
            info[key] = None
        elif key in _DATE_KEYS:
            info[key] = pdf_date(value, key)
        elif key == "Trapped":
            flag = _TRAPPED.get(value.lower() if isinstance(value, str) else value) \
                if isinstance(value, (str, bool, Name)) else None
            if flag is None and isinstance(value, Name) and str(value)[1:] in _TRAPPED.values():
                flag = str(value)[1:]
            if flag is None:
                raise MetadataError(
                    f"metadata 'Trapped' must be True, False or 'Unknown', not {value!r}"
                )
            info[key] = Name(flag)
        elif key == "Keywords" and isinstance(value, (list, tuple)):
            if not all(isinstance(v, str) for v in value):
                raise MetadataError("metadata 'Keywords' must be a str or a list of str")
            value = ", ".join(value)
            if has_lone_surrogate(value):
                raise MetadataError(f"metadata 'Keywords' holds a lone surrogate ({value!r:.60})")
            info[key] = value
        elif isinstance(value, str):
            if has_lone_surrogate(value):
                raise MetadataError(
                    f"metadata {key!r} holds a lone surrogate ({value!r:.60}), which no text encoding "
                    "can write: decode its source with errors='replace' or remove it"
                )
            info[key] = value
        else:
            raise MetadataError(
                f"metadata {key!r} must be a str, not {type(value).__name__} ({value!r:.40})"
            )
    return info


def pdf_date(value: Any, key: str = "date") -> str:
    """Format a datetime or date as a PDF date string (D:YYYYMMDDHHmmSS+HH'mm')."""
    if isinstance(value, _dt.datetime):
        moment = value
    elif isinstance(value, _dt.date):
        moment = _dt.datetime(value.year, value.month, value.day)
    else:
        raise MetadataError(
            f"metadata {key!r} must be a datetime.datetime or datetime.date, not {value!r:.40}"
        )
    # Not strftime: its %Y writes years before 1000 with fewer than four digits on some platforms.
    text = (f"D:{moment.year:04d}{moment.month:02d}{moment.day:02d}"
            f"{moment.hour:02d}{moment.minute:02d}{moment.second:02d}")
    offset = moment.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds() / 60)  # whole minutes, toward zero (PDF dates have no seconds there)
    if minutes == 0:
        return text + "Z"
    sign = "+" if minutes > 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}'{minutes:02d}'"


def _source_date() -> _dt.datetime | None:
    """The time given by SOURCE_DATE_EPOCH, if set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    except ValueError:
        raise DocumentError(f"SOURCE_DATE_EPOCH must be an integer, not {epoch!r}") from None


# Output targets -----------------------------------------------------------------


class _AtomicFile:
    """A temporary file beside the target, renamed over it only on success.

    Written as open(path, "wb") would write it:
    - through symbolic links: the file they point to is replaced, not the link;
    - a replaced file keeps its permissions and, where the process may (as
      root), its owner; a new file gets the umask's permissions (the
      temporary file is created with them: the process's umask, shared by
      threads, is never changed);
    - a target that exists but is no regular file (/dev/null, /dev/stdout, a
      named pipe) is written straight: a rename would put a file in its place.
    Unlike open(), other hard links to a replaced file keep the old content.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.temp: str | None = None
        try:
            self.replaced: os.stat_result | None = os.stat(path)  # through links, as open() goes
        except OSError:
            self.replaced = None
        if self.replaced is not None and stat.S_ISDIR(self.replaced.st_mode):
            cause = IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
            raise output_error(path, cause, "it is a folder; give a file name in it")
        if self.replaced is not None and not stat.S_ISREG(self.replaced.st_mode):
            try:
                self.file: IO[bytes] = open(path, "wb")  # noqa: SIM115 - closed by commit() or discard()
            except OSError as exc:
                raise output_error(path, exc) from exc
            return
        self.target = os.path.realpath(path)
        folder, name = os.path.split(self.target)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
        for attempt in range(100):
            self.temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.part")
            try:
                fd = os.open(self.temp, flags, 0o666)
                break
            except OSError as exc:
                if isinstance(exc, FileExistsError) and attempt < 99:
                    continue  # another writer's temporary file of the same name
                raise output_error(path, exc) from exc
        self.file = os.fdopen(fd, "wb")
        self._cleanup = weakref.finalize(self, _remove_quietly, self.file, self.temp)

    def commit(self) -> None:
        """Close the file and, for a temporary one, move it to the target (removing it if either fails)."""
        try:
            self.file.close()
            if self.temp is None:
                return
            replaced = self.replaced
            if replaced is not None:
                if hasattr(os, "chown") and (replaced.st_uid, replaced.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.chown(self.temp, replaced.st_uid, replaced.st_gid)  # where allowed (root), as open() keeps them
                    except OSError:
                        pass
                os.chmod(self.temp, replaced.st_mode & 0o777)
            os.replace(self.temp, self.target)
        except OSError as exc:
            if self.temp is not None:
                self._cleanup()
            raise output_error(self.path, exc) from exc
        self._cleanup.detach()

    def discard(self) -> None:
        """Close and remove the temporary file (a target written straight is only closed)."""
        if self.temp is None:
            self.file.close()
        else:
            self._cleanup()


def _remove_quietly(file: IO[bytes], path: str) -> None:
    file.close()
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


# Pages ------------------------------------------------------------------------------


class _PageRefs:
    """The references of a document's pages by index, each reserved on first mention
    (a link may go to a page that is not added yet)."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        # Only the pages mentioned get a number: a link to page 10**9 reserves one, not 10**9.
        self._refs: dict[int, Reference] = {}

    def __call__(self, index: int) -> Reference:
        ref = self._refs.get(index)
        if ref is None:
            ref = self._refs[index] = self.writer.reserve()
        return ref

    def highest(self) -> int:
        """The highest index mentioned so far (-1 if none)."""
        return max(self._refs, default=-1)


class Page(Canvas):
    """One page, in points with the origin bottom-left: the drawing methods of Canvas,
    plus `content` (the raw content stream) and `resources` for low-level use."""

    def __init__(self, size: tuple[float, float], canon: ResourceCanon, pages: _PageRefs, index: int) -> None:
        self.width, self.height = size
        #: Position in the document, from 0.
        self.index = index
        self._pages = pages
        self._written = False
        self.content = ContentStream()
        #: Resource dictionaries by category (Font, XObject, ExtGState, Pattern, Shading, ...).
        self.resources: dict[str, dict[str, Any]] = {}
        self._init_canvas(Renderer(self.content, canon, self.resources, (0.0, 0.0, self.width, self.height)))

    @property
    def size(self) -> tuple[float, float]:
        """(width, height) in points."""
        return self.width, self.height

    def add_resource(self, category: str, name: str, value: Any) -> str:
        """Name a resource (a Reference or direct object) in this page's resource dictionary."""
        self.resources.setdefault(category, {})[name] = value
        return name

    def _annotate(self, annotation: Any) -> None:
        """Keep a link or note for /Annots; a page already written can take no more."""
        if self._written:
            raise DocumentError(
                f"page {self.index} (counting from 0) is written already: add links and notes "
                "before the next add_page() or close()"
            )
        super()._annotate(annotation)

    def _page_target(self, target: Any) -> int:
        """The index of a page a link goes to: an index, or a Page of the same document."""
        if isinstance(target, Page):
            if target._pages is not self._pages:
                raise AnnotationError("a link can only go to a page of the same document")
            return target.index
        return super()._page_target(target)

    def _write(self, writer: PdfWriter, parent: Reference) -> Reference:
        """Write the content stream, annotations and page object; return the page's reference."""
        self.renderer.finish()
        page: dict[str, Any] = {
            "Type": _PAGE,
            "Parent": parent,
            "MediaBox": [0, 0, self.width, self.height],
            "Resources": {k: v for k, v in self.resources.items() if v},
        }
        data = self.content.data
        if data:
            page["Contents"] = writer.add(Stream(data))
        self.content.seal(
            f"page {self.index} (counting from 0) is written already: draw on a page before the next "
            "add_page() or close()"
        )
        if self.annotations:
            page["Annots"] = [writer.add(a.pdf_object(self._pages)) for a in self.annotations]
            self.annotations.clear()
        self._written = True
        return writer.add(page, self._pages(self.index))


class Document:
    """A PDF document written to `target` (a path, PathLike or binary file object).

    Use it as a context manager, or call close(). Writing to a path is atomic:
    the file appears when the document closes successfully, and an exception
    inside the ``with`` block leaves no file (nor touches an existing one).
    """

    def __init__(
        self,
        target: str | os.PathLike | IO[bytes],
        *,
        metadata: Mapping[str, Any] | None = None,
        compress: bool = True,
        compression_level: int = 6,
        xref_stream: bool = True,
        object_streams: bool | None = None,
        deterministic: bool | None = None,
    ) -> None:
        self._info = validate_metadata(metadata or {})
        source_date = _source_date()
        self.deterministic = source_date is not None if deterministic is None else deterministic
        if self.deterministic and source_date is None:
            source_date = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
        self._created = source_date or _dt.datetime.now().astimezone()
        if object_streams is None:
            object_streams = xref_stream
        self._atomic: _AtomicFile | None = None
        if isinstance(target, (str, os.PathLike)):
            self._atomic = _AtomicFile(os.fspath(target))
            output = self._atomic.file
        elif isinstance(target, io.TextIOBase) or (
            isinstance(getattr(target, "mode", None), str) and "b" not in target.mode
        ):
            raise OutputError(
                f"cannot write a PDF to {getattr(target, 'name', type(target).__name__)!r}: it is open in "
                "text mode; open it with 'wb' (for standard output, sys.stdout.buffer)"
            )
        elif hasattr(target, "write"):
            writable = getattr(target, "writable", None)
            if callable(writable) and not writable():
                raise OutputError(
                    f"cannot write a PDF to {getattr(target, 'name', type(target).__name__)!r}: it is open "
                    "for reading only; open it with 'wb'"
                )
            output = target
        else:
            raise OutputError(
                f"cannot write a PDF to a {type(target).__name__}: give a path or a binary file object"
            )
        try:
            self.writer = PdfWriter(
                output,
                compress=compress,
                compress_level=compression_level,
                xref_stream=xref_stream,
                object_streams=object_streams,
                deterministic=self.deterministic,
            )
        except BaseException:
            if self._atomic is not None:
                self._atomic.discard()
            raise
        #: Shared resources (ExtGState, patterns, marker forms, ...), each made once.
        self.canon = ResourceCanon(self.writer)
        self._page: Page | None = None
        self._pages = _PageRefs(self.writer)
        self._page_count = 0
        self._leaves: list[Reference] = []
        self._closed = False

    # Metadata -----------------------------------------------------------
    @property
    def metadata(self) -> dict[str, Any]:
        """The Info dictionary entries set so far (a copy)."""
        return dict(self._info)

    def set_metadata(self, **entries: Any) -> None:
        """Set Info entries (Title, Author, Subject, Keywords, CreationDate, ...); None removes one."""
        self._info.update(validate_metadata(entries))

    # Pages ----------------------------------------------------------------
    @property
    def page_count(self) -> int:
        """Pages added so far."""
        return self._page_count

    def add_page(self, size: str | tuple[float, float] = "A4", *, landscape: bool = False) -> Page:
        """Start a new page (the previous one is finished and written). Sizes are in points."""
        self._check_open()
        resolved = page_size(size, landscape)
        self._finish_page()
        self._page = Page(resolved, self.canon, self._pages, self._page_count)
        self._page_count += 1
        return self._page

    def _finish_page(self) -> None:
        """Write the current page, if any, under its leaf of the page tree."""
        if self._page is None:
            return
        if self._page.index % _KIDS_PER_NODE == 0:
            self._leaves.append(self.writer.reserve())
        self._page._write(self.writer, self._leaves[-1])
        self._page = None

    def _write_page_tree(self) -> Reference:
        """Write the page tree nodes bottom-up and return the root's reference."""
        refs = [self._pages(index) for index in range(self._page_count)]
        level = [
            (ref, refs[i * _KIDS_PER_NODE : (i + 1) * _KIDS_PER_NODE])
            for i, ref in enumerate(self._leaves)
        ]
        counts = [len(kids) for _, kids in level]
        while True:
            if len(level) == 1:
                (ref, kids), count = level[0], counts[0]
                self.writer.add({"Type": Name("Pages"), "Kids": kids, "Count": count}, ref)
                return ref
            parents = []
            parent_counts = []
            for start in range(0, len(level), _KIDS_PER_NODE):
                group = level[start : start + _KIDS_PER_NODE]
                group_counts = counts[start : start + _KIDS_PER_NODE]
                parent = self.writer.reserve()
                for (ref, kids), count in zip(group, group_counts):
                    node = {"Type": Name("Pages"), "Parent": parent, "Kids": kids, "Count": count}
                    self.writer.add(node, ref)
                parents.append((parent, [ref for ref, _ in group]))
                parent_counts.append(sum(group_counts))
            level, counts = parents, parent_counts

    # Closing ------------------------------------------------------------------
    def close(self) -> None:
        """Finish the file: last page, page tree, Info, catalog, cross-reference and trailer."""
        if self._closed:
            return
        try:
            if self.page_count == 0:
                raise DocumentError(
                    "a PDF needs at least one page (viewers reject empty ones): "
                    "call add_page() before closing"
                )
            self._finish_page()
            if self._pages.highest() >= self._page_count:
                raise AnnotationError(
                    f"a link goes to page index {self._pages.highest()} (counting from 0), but the "
                    f"document has {self._page_count} page(s): add the page or change the link"
                )
            self.canon.close()
            root = self._write_page_tree()
            info = {"Producer": f"pdfwriter {__version__}", "CreationDate": pdf_date(self._created)}
            info.update(self._info)
            info = {k: v for k, v in info.items() if v is not None}
            info_ref = self.writer.add(info)
            catalog: dict[str, Any] = {"Type": Name("Catalog"), "Pages": root}
            if self.writer.version != self.writer.header_version:
                catalog["Version"] = Name(self.writer.version)
            self.writer.close(self.writer.add(catalog), info_ref)
        except BaseException:
            self.abort()
            raise
        self._closed = True
        if self._atomic is not None:
            self._atomic.commit()

    def abort(self) -> None:
        """Stop without finishing: a path target is removed, a file object is left as it is."""
        self._closed = True
        self._page = None
        if self._atomic is not None:
            self._atomic.discard()

    def _check_open(self) -> None:
        if self._closed:
            raise DocumentError("this document is closed; create a new Document to write more")

    def __enter__(self) -> Document:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
