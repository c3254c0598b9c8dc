"""The one exception hierarchy: every input pdfwriter rejects raises a PdfWriterError subclass."""


class PdfWriterError(Exception):
    """Base class of every error pdfwriter raises on purpose."""


class ObjectError(PdfWriterError, TypeError):
    """A value cannot be written as a PDF object (wrong type, or a malformed name or reference)."""


class NumberError(PdfWriterError, ValueError):
    """A number cannot be written to PDF: NaN or infinity."""


class DocumentError(PdfWriterError):
    """A document was used wrongly: drawing on a closed document, an unwritten reserved object, ..."""


class MetadataError(PdfWriterError, ValueError):
    """A metadata key or value is not valid for the PDF Info dictionary."""


class PageSizeError(PdfWriterError, ValueError):
    """A page size is unknown or outside what PDF viewers accept."""


class FontError(PdfWriterError, ValueError):
    """A font cannot be found, read or used."""


class OutputError(PdfWriterError, OSError):
    """The output cannot be created or written (a missing folder, no permission, not a file)."""


class GeometryError(PdfWriterError, ValueError):
    """A path or matrix is malformed: wrong shape or dtype, unknown codes, a curve missing vertices."""


class StyleError(PdfWriterError, ValueError):
    """A drawing style value (colour, width, dash, hatch, ...) is not valid."""


class ImageError(PdfWriterError, ValueError):
    """An image cannot be read or embedded: an unsupported source, shape or dtype, NaN pixels, a bad file."""


class MissingDependencyError(PdfWriterError, ImportError):
    """An optional feature needs a package that is not installed; the message names the extra to install."""


class AnnotationError(PdfWriterError, ValueError):
    """A link or note is not valid: no URI or page to go to, a page the document never gets, an unknown icon."""
