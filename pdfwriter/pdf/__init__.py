"""The PDF object model and file writer; knows nothing of drawing."""

from .numbers import format_array, format_number
from .objects import Name, Operator, Reference, Stream, String, Verbatim, serialize
from .writer import PdfWriter, StreamSink

__all__ = [
    "Name", "Operator", "PdfWriter", "Reference", "Stream", "StreamSink", "String",
    "Verbatim", "format_array", "format_number", "serialize",
]
