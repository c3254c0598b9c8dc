"""PdfPages: several figures in one PDF, with matplotlib's PdfPages interface."""

from __future__ import annotations

import os
from typing import IO, Any, Mapping

from ..annotations import check_text, note_rect
from ..document import Document, Page
from ..errors import DocumentError
from .backend import document_options, figure_metadata


class PdfPages:
    """A multipage PDF: each ``savefig`` adds a page; the file is written when it closes.

    `filename` is a path or a binary file object. As with matplotlib (3.10
    and later), the file is created at the first saved figure, and a PdfPages
    closed without any page writes nothing (a PDF needs a page); `keep_empty`
    is accepted for compatibility and changes nothing.
    """

    def __init__(
        self,
        filename: str | os.PathLike | IO[bytes],
        keep_empty: bool | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self._filename = filename
        self._info: dict[str, Any] = figure_metadata(metadata)
        self._doc: Document | None = None
        self._closed = False
        # Notes waiting for the next page: (text, rectangle).
        self._notes: list[tuple[str, list[float]]] = []

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        elif self._doc is not None:
            self._doc.abort()
            self._doc = None

    def _document(self) -> Document:
        """The open Document, created on first use."""
        if self._closed:
            raise DocumentError("this PdfPages is closed; create a new one to write more pages")
        if self._doc is None:
            self._doc = Document(self._filename, **document_options())
        return self._doc

    def close(self) -> None:
        """Finish the file (metadata from infodict() included)."""
        self._closed = True
        if self._doc is not None:
            doc, self._doc = self._doc, None
            try:
                doc.set_metadata(**self._info)
            except BaseException:
                doc.abort()
                raise
            if doc.page_count:
                doc.close()
            else:
                doc.abort()

    def infodict(self) -> dict[str, Any]:
        """The Info dictionary entries, modifiable until close (Title, Author, ..., None removes one)."""
        return self._info

    def savefig(self, figure: Any = None, **kwargs: Any) -> None:
        """Save a Figure (or figure number; default the active figure) as the next page."""
        from matplotlib.figure import Figure
        from matplotlib._pylab_helpers import Gcf

        if not isinstance(figure, Figure):
            manager = Gcf.get_active() if figure is None else Gcf.get_fig_manager(figure)
            if manager is None:
                raise ValueError(f"No figure {figure}")
            figure = manager.canvas.figure
        figure.savefig(self, format="pdf", backend="module://pdfwriter.mpl", **kwargs)

    def attach_note(self, text: str, positionRect: Any = (-100, -100, 0, 0)) -> None:
        """Add a note (a Text annotation) to the next page saved, at positionRect (x0, y0, x1, y1) in points.

        The default rectangle is off the page, as in matplotlib, so the note
        never shows in print; viewers list it with the page's comments.
        """
        self._notes.append((check_text("text", text), note_rect(positionRect, None)))

    def _add_notes(self, page: Page) -> None:
        """Put the waiting notes on a page just saved."""
        for text, rect in self._notes:
            page.note(rect, text)
        self._notes.clear()

    def get_pagecount(self) -> int:
        """Pages saved so far."""
        return self._doc.page_count if self._doc is not None else 0
