"""The file writer: numbers objects, streams them to the output, ends with xref and trailer.

Objects go to the output as soon as they are added, so memory holds the
largest single object, at most one pending object stream, and about 13 bytes
of cross-reference data per object (the xref needs every position). Output
positions are counted, never asked of the file, so pipes and other
non-seekable outputs work. Two cross-reference forms are written: a classic
xref table (``xref_stream=False``) and, by default, a compressed
cross-reference stream with the non-stream objects packed into object
streams.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from array import array
from typing import Any, BinaryIO

import numpy as np

from ..errors import DocumentError, OutputError
from .deflate import checksum, compressobj, deflate, deflate_many
from .numbers import DEFAULT_DECIMALS
from .objects import Name, Reference, Stream, serialize

_FLUSH_AT = 1 << 18
_PENDING = 3
_FLATE = Name("FlateDecode")
# Streams of at least _LARGE_STREAM bytes are deflated at level _LARGE_LEVEL at most, in
# pieces of _STREAM_PIECE on the deflate thread pool. Measured on 6-15 MiB content
# streams (a million-point line, 100,000 markers, a 500 x 500 mesh), level 4 takes a
# third to a quarter of level 6's time for output 4-15% larger; level 5 half the time.
_LARGE_STREAM = 1 << 20
_LARGE_LEVEL = 4
_STREAM_PIECE = 1 << 20


class StreamSink:
    """A stream being written in pieces whose total size is not known in advance.

    Its /Length is an indirect object written after the data. Use it as a
    context manager or call close(); no other object can be added meanwhile.
    """

    def __init__(
        self, writer: PdfWriter, ref: Reference, length_ref: Reference, compress: bool
    ) -> None:
        self._writer = writer
        self.ref = ref
        self._length_ref = length_ref
        self._compressor = compressobj(writer.compress_level) if compress else None
        self._length = 0
        self._closed = False

    def write(self, data: bytes) -> None:
        """Append bytes to the stream's (uncompressed) data."""
        if self._closed:
            raise DocumentError("this stream is closed; open a new one")
        if self._compressor is not None:
            data = self._compressor.compress(data)
        self._length += len(data)
        self._writer._emit(data)

    def close(self) -> None:
        """Finish the stream and write its length object."""
        if self._closed:
            return
        if self._compressor is not None:
            tail = self._compressor.flush()
            self._length += len(tail)
            self._writer._emit(tail)
        self._closed = True
        self._writer._emit(b"\nendstream\nendobj\n")
        self._writer._open_sink = None
        self._writer.add(self._length, self._length_ref)

    def __enter__(self) -> StreamSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PdfWriter:
    """Writes numbered PDF objects to a binary output, then the xref and trailer.

    The output only needs a ``write`` method. `deterministic` makes the file ID
    a hash of the content alone, so equal input gives byte-identical files.
    """

    def __init__(
        self,
        output: BinaryIO,
        *,
        compress: bool = True,
        compress_level: int = 6,
        xref_stream: bool = True,
        object_streams: bool = True,
        deterministic: bool = False,
        decimals: int = DEFAULT_DECIMALS,
        objects_per_stream: int = 100,
    ) -> None:
        if isinstance(compress_level, bool) or not isinstance(compress_level, (int, np.integer)) \
                or not 0 <= compress_level <= 9:
            raise DocumentError(f"compression level must be a whole number from 0 to 9, not {compress_level!r}")
        compress_level = int(compress_level)
        if object_streams and not xref_stream:
            raise DocumentError(
                "object streams need a cross-reference stream: pass xref_stream=True "
                "or object_streams=False"
            )
        self._out = output
        self.compress = compress
        self.compress_level = compress_level
        self.xref_stream = xref_stream
        self.object_streams = object_streams
        self.deterministic = deterministic
        self.decimals = decimals
        self._per_stream = objects_per_stream
        #: The version in the header; features of later versions raise `version` above it.
        self.header_version = "1.5" if xref_stream else "1.4"
        self.version = self.header_version
        # Per object number: its xref entry type (0 not yet written, 1 at an offset,
        # 2 inside an object stream, PENDING waiting for one), then the two fields.
        self._kind = bytearray(1)
        self._field2 = array("q", [0])
        self._field3 = array("i", [0])
        self._pending: list[tuple[int, bytes]] = []
        self._open_sink: StreamSink | None = None
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._position = 0
        self._crc = 0
        self._closed = False
        self._emit(b"%PDF-" + self.header_version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")

    # Output ---------------------------------------------------------------

    def _emit(self, data: bytes) -> None:
        """Queue bytes for the output, flushing in large blocks; a block's worth or more is written as it is,
        after what is queued (not copied into a join)."""
        self._position += len(data)
        if len(data) >= _FLUSH_AT:
            self._flush()
            self._write(data)
            return
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= _FLUSH_AT:
            self._flush()

    def _flush(self) -> None:
        """Write the queued bytes to the output."""
        if self._buffer:
            self._write(b"".join(self._buffer))
            self._buffer.clear()
            self._buffered = 0

    def _write(self, block: bytes) -> None:
        self._crc = checksum(block, self._crc)
        written = self._out.write(block)
        if isinstance(written, int) and written < len(block):
            # A raw (unbuffered) output may take part of a block: write the rest, as BufferedWriter would.
            rest = memoryview(block)[written:]
            while rest:
                written = self._out.write(rest)
                if not written:
                    raise OutputError(
                        f"the output took {len(block) - len(rest)} of {len(block)} bytes and then none "
                        "(a non-blocking stream?): give a blocking binary file object"
                    )
                rest = rest[written:]

    @property
    def position(self) -> int:
        """Bytes written so far (the file size if the document ended now)."""
        return self._position

    # Objects --------------------------------------------------------------

    def require_version(self, version: str) -> None:
        """Note that the file uses a feature of this PDF version (for the catalog's /Version)."""
        if tuple(map(int, version.split("."))) > tuple(map(int, self.version.split("."))):
            self.version = version

    def reserve(self) -> Reference:
        """Allocate an object number now, to be written later with add(obj, ref)."""
        self._check_open()
        return self._new_number()

    def _new_number(self) -> Reference:
        """Allocate the next object number."""
        self._kind.append(0)
        self._field2.append(0)
        self._field3.append(0)
        return Reference(len(self._kind) - 1)

    def _at_offset(self, number: int) -> None:
        """Record that object `number` starts at the current output position."""
        self._kind[number] = 1
        self._field2[number] = self._position

    def add(self, obj: Any, ref: Reference | None = None) -> Reference:
        """Write an object (a Stream or any serializable value) and return its reference."""
        self._check_open()
        if self._open_sink is not None:
            raise DocumentError("a stream is still being written; close it before adding objects")
        ref = self._claim(ref)
        if isinstance(obj, Stream):
            self._write_stream(ref, obj)
        elif self.object_streams:
            self._pending.append((ref.number, serialize(obj, self.decimals)))
            self._kind[ref.number] = _PENDING
            if len(self._pending) >= self._per_stream:
                self._write_object_stream()
        else:
            self._at_offset(ref.number)
            self._emit(b"%d 0 obj\n" % ref.number + serialize(obj, self.decimals) + b"\nendobj\n")
        return ref

    def open_stream(
        self, dictionary: dict | None = None, ref: Reference | None = None, *, compress: bool | None = None
    ) -> StreamSink:
        """Start a stream to be written in pieces (its Length becomes an indirect object)."""
        self._check_open()
        if self._open_sink is not None:
            raise DocumentError("a stream is still being written; close it before opening another")
        ref = self._claim(ref)
        compress = self.compress if compress is None else compress
        sink = StreamSink(self, ref, self.reserve(), compress)
        dictionary = dict(dictionary or {})
        dictionary["Length"] = sink._length_ref
        if compress:
            dictionary["Filter"] = _FLATE
        self._at_offset(ref.number)
        self._emit(b"%d 0 obj\n" % ref.number + serialize(dictionary, self.decimals) + b"\nstream\n")
        self._open_sink = sink
        return sink

    def _claim(self, ref: Reference | None) -> Reference:
        """Return a fresh reference, or check that a reserved one is still unwritten."""
        if ref is None:
            return self._new_number()
        if ref.number >= len(self._kind) or ref.generation != 0:
            raise DocumentError(f"{ref} was not reserved by this writer")
        if self._kind[ref.number]:
            raise DocumentError(f"object {ref.number} has been written already")
        return ref

    def _write_stream(self, ref: Reference, stream: Stream) -> None:
        """Write a complete stream object, compressing it when that makes it smaller."""
        data = stream.data
        dictionary = dict(stream.dictionary)
        compress = stream.compress
        if compress is None:
            compress = self.compress and "Filter" not in dictionary
        if compress:
            data, flate = self.packed(data)
            if flate:
                _prepend_flate(dictionary)
        dictionary["Length"] = len(data)
        self._at_offset(ref.number)
        head = b"%d 0 obj\n" % ref.number + serialize(dictionary, self.decimals) + b"\nstream\n"
        self._emit(head)
        self._emit(data)
        self._emit(b"\nendstream\nendobj\n")

    def packed(self, data: bytes) -> tuple[bytes, bool]:
        """Stream data as this writer stores it when compressing: (deflated, True) when that saves
        more than the filter entry costs, else (data, False)."""
        if data:
            packed = self._deflate(data)
            if len(packed) + 20 < len(data):
                return packed, True
        return data, False

    def _deflate(self, data: bytes) -> bytes:
        """Flate-compress stream data at the writer's level (capped for large streams, see _LARGE_LEVEL)."""
        if len(data) < _LARGE_STREAM:
            return deflate(data, self.compress_level)
        level = min(self.compress_level, _LARGE_LEVEL)
        return deflate_many([(data, zlib.Z_DEFAULT_STRATEGY, level)], _STREAM_PIECE)[0]

    def _write_object_stream(self) -> None:
        """Pack the pending non-stream objects into one object stream."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        offsets = []
        bodies = []
        at = 0
        for number, body in pending:
            offsets.append(b"%d %d" % (number, at))
            bodies.append(body)
            at += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        data = header + b"\n".join(bodies)
        ref = self._new_number()
        for index, (obj_number, _) in enumerate(pending):
            self._kind[obj_number] = 2
            self._field2[obj_number] = ref.number
            self._field3[obj_number] = index
        self._write_stream(
            ref,
            Stream(
                data,
                {"Type": Name("ObjStm"), "N": len(pending), "First": len(header)},
                compress=self.compress,
            ),
        )

    def _check_open(self) -> None:
        if self._closed:
            raise DocumentError("the PDF file has been finished; no more objects can be added")

    # End of file ----------------------------------------------------------

    def close(self, root: Reference, info: Reference | None = None) -> None:
        """Write the cross-reference section and trailer, then flush the output."""
        self._check_open()
        if self._open_sink is not None:
            raise DocumentError("a stream is still being written; close it before finishing")
        self._write_object_stream()
        unwritten = [n for n, kind in enumerate(self._kind) if n and not kind]
        if unwritten:
            shown = ", ".join(map(str, unwritten[:10]))
            raise DocumentError(f"objects reserved but never written: {shown}")
        self._flush()
        file_id = self._file_id()
        trailer: dict[str, Any] = {"Root": root}
        if info is not None:
            trailer["Info"] = info
        trailer["ID"] = [file_id, file_id]
        if self.xref_stream:
            self._write_xref_stream(trailer)
        else:
            self._write_xref_table(trailer)
        self._flush()
        if hasattr(self._out, "flush"):
            self._out.flush()
        self._closed = True

    def _file_id(self) -> bytes:
        """The file identifier: a hash of the content, salted with chance unless deterministic.

        The content enters as a CRC-32 of every byte written and the length
        (an identifier, not a seal: a cryptographic hash of all output cost
        ten times as long as writing a file of JPEG photos).
        """
        digest = hashlib.md5(b"%d %d" % (self._crc, self._position))
        if not self.deterministic:
            digest.update(os.urandom(16))
        return digest.digest()

    def _write_xref_table(self, trailer: dict[str, Any]) -> None:
        """Write a classic xref table and trailer dictionary."""
        start = self._position
        size = len(self._kind)
        offsets = np.frombuffer(self._field2, dtype=np.int64)[1:]
        # Each entry is exactly 20 bytes: ten zero-padded digits, " 00000 n \n".
        digits = (offsets[:, None] // 10 ** np.arange(9, -1, -1, dtype=np.int64)) % 10 + ord("0")
        tail = np.broadcast_to(np.frombuffer(b" 00000 n \n", dtype=np.uint8), (len(offsets), 10))
        table = np.hstack([digits.astype(np.uint8), tail]).tobytes()
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n", table]
        trailer = {"Size": size, **trailer}
        lines.append(b"trailer\n" + serialize(trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % start)
        self._emit(b"".join(lines))

    def _write_xref_stream(self, trailer: dict[str, Any]) -> None:
        """Write a cross-reference stream (PNG Up predictor, Flate) that also ends the file."""
        ref = self._new_number()
        self._at_offset(ref.number)
        size = len(self._kind)
        kinds = np.frombuffer(self._kind, dtype=np.uint8).astype(np.int64)
        second = np.frombuffer(self._field2, dtype=np.int64)
        third = np.frombuffer(self._field3, dtype=np.int32).astype(np.int64)
        widths = [1, _byte_width(int(second.max())), _byte_width(int(third.max()))]
        columns = sum(widths)
        rows = np.zeros((size, columns), dtype=np.uint8)
        col = 0
        for field, width in zip((kinds, second, third), widths):
            for k in range(width):
                rows[:, col + k] = (field >> (8 * (width - 1 - k))) & 0xFF
            col += width
        parms = None
        data = rows.tobytes()
        if self.compress:
            # The Up predictor helps when neighbouring rows are alike, and hurts when
            # entries alternate between offsets and object streams: keep the smaller.
            plain = deflate(data, self.compress_level)
            predicted = deflate(_png_up(rows), self.compress_level)
            if len(predicted) < len(plain):
                data, parms = predicted, {"Predictor": 12, "Columns": columns}
            else:
                data = plain
        dictionary: dict[str, Any] = {"Type": Name("XRef"), "Size": size, "W": widths}
        dictionary.update(trailer)
        if self.compress:
            dictionary["Filter"] = _FLATE
            if parms is not None:
                dictionary["DecodeParms"] = parms
        dictionary["Length"] = len(data)
        start = self._position
        self._emit(b"%d 0 obj\n" % ref.number + serialize(dictionary) + b"\nstream\n")
        self._emit(data)
        self._emit(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)


def _prepend_flate(dictionary: dict) -> None:
    """Put FlateDecode in front of any filters a stream dictionary already names."""
    existing = dictionary.get("Filter")
    if existing is None:
        dictionary["Filter"] = _FLATE
        return
    filters = list(existing) if isinstance(existing, (list, tuple)) else [existing]
    dictionary["Filter"] = [_FLATE, *filters]
    parms = dictionary.get("DecodeParms")
    if parms is not None:
        parms = list(parms) if isinstance(parms, (list, tuple)) else [parms]
        dictionary["DecodeParms"] = [None, *parms]


def _byte_width(value: int) -> int:
    """Bytes needed to hold a non-negative integer (at least one)."""
    return max(1, (value.bit_length() + 7) // 8)


def _png_up(rows: np.ndarray) -> bytes:
    """Encode rows with the PNG Up predictor (filter byte 2 before each row)."""
    diff = rows.copy()
    diff[1:] -= rows[:-1]
    tagged = np.empty((rows.shape[0], rows.shape[1] + 1), dtype=np.uint8)
    tagged[:, 0] = 2
    tagged[:, 1:] = diff
    return tagged.tobytes()
