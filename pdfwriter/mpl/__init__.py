"""matplotlib backend writing PDF with pdfwriter.

Use it as ``matplotlib.use("module://pdfwriter.mpl")``, per call with
``fig.savefig("f.pdf", backend="module://pdfwriter.mpl")``, or for every
PDF a program saves with ``pdfwriter.mpl.install()``. `PdfPages` writes
several figures into one file, as matplotlib's does. Importing this module
imports matplotlib; nothing else in pdfwriter does.
"""

from __future__ import annotations

from .backend import FigureCanvasPdfwriter, FigureManagerPdfwriter, draw_figure, install, uninstall
from .pages import PdfPages
from .renderer import RendererPdfwriter

#: The names matplotlib looks for in a backend module.
FigureCanvas = FigureCanvasPdfwriter
FigureManager = FigureManagerPdfwriter

__all__ = [
    "FigureCanvas", "FigureCanvasPdfwriter", "FigureManager", "FigureManagerPdfwriter", "PdfPages",
    "RendererPdfwriter", "draw_figure", "install", "uninstall",
]
