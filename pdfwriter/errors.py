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
    """The output cannot be created or written (a missing folder, no permission, not a file).

    Raised for an operating-system error, it is also of that error's class
    where it is one of FileNotFoundError, PermissionError, IsADirectoryError
    and NotADirectoryError, with its errno and the target's file name, so
    code written for open() and other writers catches it alike.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if len(self.args) == 1 else super().__str__()

    def __reduce__(self) -> tuple:
        # OSError's own keeps only the arguments; errno and the file name were set after them.
        state = {**self.__dict__, "errno": self.errno, "strerror": self.strerror, "filename": self.filename}
        return (type(self), self.args, state)


class OutputFileNotFoundError(OutputError, FileNotFoundError):
    """The output's folder does not exist."""


class OutputPermissionError(OutputError, PermissionError):
    """The output may not be written there."""


class OutputIsADirectoryError(OutputError, IsADirectoryError):
    """The output path is a folder."""


class OutputNotADirectoryError(OutputError, NotADirectoryError):
    """A part of the output's folder path is a file."""


_OUTPUT_ERRORS: dict[type, type[OutputError]] = {
    FileNotFoundError: OutputFileNotFoundError, PermissionError: OutputPermissionError,
    IsADirectoryError: OutputIsADirectoryError, NotADirectoryError: OutputNotADirectoryError,
}


def output_error(filename: str, cause: OSError, reason: str | None = None) -> OutputError:
    """"cannot write `filename`: `reason`" (the cause's own words by default) as an OutputError of the
    matching class above for `cause`, with its errno and `filename`."""
    message = f"cannot write {filename!r}: {reason or cause.strerror or cause}"
    error = _OUTPUT_ERRORS.get(type(cause), OutputError)(message)
    error.errno, error.strerror, error.filename = cause.errno, cause.strerror, filename
    return error


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
