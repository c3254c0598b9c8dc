"""The figure canvas: savefig(..., format="pdf") through pdfwriter, one page per figure."""

from __future__ import annotations

from typing import Any, Mapping

import matplotlib as mpl
from matplotlib.backend_bases import FigureCanvasBase, FigureManagerBase, register_backend
from matplotlib.backends.backend_mixed import MixedModeRenderer

from ..document import MIN_SIDE, Document, Page
from ..errors import MetadataError
from .renderer import RendererPdfwriter

#: matplotlib's Creator entry; Producer names pdfwriter, CreationDate is set as for any Document.
_CREATOR = "Matplotlib v{version}, https://matplotlib.org"


def figure_metadata(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """The Info entries for a figure: matplotlib's Creator, then the user's (None removes an entry)."""
    if metadata is not None and not isinstance(metadata, Mapping):
        raise MetadataError(f"metadata must be a dict, not {type(metadata).__name__}")
    info: dict[str, Any] = {"Creator": _CREATOR.format(version=mpl.__version__)}
    info.update(metadata or {})
    return info


def document_options() -> dict[str, Any]:
    """Document keywords from rcParams (pdf.compression: 0 none, 1-9 Flate level)."""
    level = int(mpl.rcParams["pdf.compression"])
    return {"compress": level > 0, "compression_level": level if level > 0 else 6}


def draw_figure(figure: Any, document: Document, *, bbox_inches_restore: Any = None) -> Page:
    """Draw a figure on a new page of `document`, at 72 points per inch (images at the figure's dpi).

    The figure's dpi is left at 72, as matplotlib's PDF backend leaves it:
    savefig puts it back, and a tight bounding box is measured at 72 dpi.
    """
    dpi = figure.dpi
    figure.dpi = 72
    width, height = figure.get_size_inches()
    # Viewers take pages from 3 points a side: a narrower figure sits at the bottom left of a wider page.
    page = document.add_page((max(width * 72.0, MIN_SIDE), max(height * 72.0, MIN_SIDE)))
    renderer = MixedModeRenderer(
        figure, width, height, dpi, RendererPdfwriter(page, dpi, height, width),
        bbox_inches_restore=bbox_inches_restore,
    )
    figure.draw(renderer)
    renderer.finalize()
    return page


class FigureCanvasPdfwriter(FigureCanvasBase):
    """A canvas that saves figures as PDF with pdfwriter (the "pdf" file type)."""

    fixed_dpi = 72
    filetypes = {"pdf": "Portable Document Format"}

    def get_default_filetype(self) -> str:
        return "pdf"

    def print_pdf(
        self,
        filename: Any,
        *,
        bbox_inches_restore: Any = None,
        metadata: Mapping[str, Any] | None = None,
        dpi: Any = None,
        facecolor: Any = None,
        edgecolor: Any = None,
        orientation: Any = None,
    ) -> None:
        """Write the figure as a one-page PDF to a path or binary file, or as the next page of a PdfPages.

        dpi, facecolor, edgecolor and orientation are applied by savefig
        before this is called (dpi as the figure's dpi), so they are not used here.
        """
        from matplotlib.backends import backend_pdf

        from .pages import PdfPages

        if isinstance(filename, PdfPages):
            page = draw_figure(self.figure, filename._document(), bbox_inches_restore=bbox_inches_restore)
            filename._add_notes(page)
            return
        if isinstance(filename, backend_pdf.PdfPages):
            # matplotlib's own PdfPages holds matplotlib's PdfFile: its page is written by its backend.
            canvas = backend_pdf.FigureCanvasPdf(self.figure)
            canvas.print_pdf(filename, bbox_inches_restore=bbox_inches_restore, metadata=metadata)
            return
        with Document(filename, metadata=figure_metadata(metadata), **document_options()) as document:
            draw_figure(self.figure, document, bbox_inches_restore=bbox_inches_restore)

    def draw(self) -> None:
        """Lay the figure out without rendering (as matplotlib's PDF canvas does)."""
        self.figure.draw_without_rendering()
        super().draw()


FigureManagerPdfwriter = FigureManagerBase


def install() -> None:
    """Make pdfwriter the writer of every ``savefig("....pdf")`` (the "pdf" format), whatever the backend."""
    register_backend("pdf", "pdfwriter.mpl", "Portable Document Format")


def uninstall() -> None:
    """Give the "pdf" format back to matplotlib's own PDF backend."""
    register_backend("pdf", "matplotlib.backends.backend_pdf", "Portable Document Format")
