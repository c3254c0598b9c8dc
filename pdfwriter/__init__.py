"""pdfwriter: a standalone PDF writer for documents, figures and images."""

__version__ = "0.1.0"

from . import errors  # noqa: E402
from .document import PAGE_SIZES, Document, Page  # noqa: E402
from .graphics.paint import LinearGradient, RadialGradient  # noqa: E402
from .graphics.path import Path  # noqa: E402

__all__ = [
    "Document", "LinearGradient", "PAGE_SIZES", "Page", "Path", "RadialGradient", "errors", "__version__",
]
