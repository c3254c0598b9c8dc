"""The file writer in every mode: valid files, streamed output, bounded memory, determinism."""

from __future__ import annotations

import io
import re
import subprocess
import tracemalloc
import zlib

import pikepdf

from pdfwriter.pdf.deflate import deflate
import pytest
from harness import check_pdf

import pdfwriter
from pdfwriter.errors import DocumentError
from pdfwriter.pdf import Name, PdfWriter, Stream

MODES = [
    pytest.param(dict(), id="xref-stream+objstm"),
    pytest.param(dict(object_streams=False), id="xref-stream"),
    pytest.param(dict(xref_stream=False), id="xref-table"),
    pytest.param(dict(compress=False), id="uncompressed"),
    pytest.param(dict(xref_stream=False, compress=False), id="table-uncompressed"),
    pytest.param(dict(compression_level=9), id="level-9"),
]


class PipeLike:
    """A write-only output with no tell or seek, like a pipe or a socket."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self._chunks)


def draw_numbered_pages(doc: pdfwriter.Document, count: int) -> None:
    """Pages whose red bar grows with the page number, so each page differs."""
    for i in range(count):
        page = doc.add_page((200 + i % 7, 300))
        page.content.set_fill_rgb(1, 0, 0)
        page.content.rectangle(10, 10, 20 + i % 150, 30)
        page.content.paint(b"f")


def close_empty(writer: PdfWriter) -> None:
    """End a low-level file with a catalog and an empty page tree."""
    pages = writer.add({"Type": Name("Pages"), "Kids": [], "Count": 0})
    writer.close(writer.add({"Type": Name("Catalog"), "Pages": pages}))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seekable", [True, False], ids=["seekable", "pipe"])
def test_every_writer_mode_gives_a_valid_file(mode, seekable):
    out = io.BytesIO() if seekable else PipeLike()
    with pdfwriter.Document(out, metadata={"Title": "Modes"}, **mode) as doc:
        draw_numbered_pages(doc, 75)
    data = out.getvalue()
    with check_pdf(data) as checked:
        assert checked.page_count == 75
        assert checked.pdf.docinfo.Title == "Modes"
        # Page order survives the balanced page tree.
        widths = [float(p.MediaBox[2]) for p in checked.pdf.pages]
        assert widths == [200 + i % 7 for i in range(75)]
        image = checked.render(74, dpi=72)
        red_end = 10 + 20 + 74 % 150
        height = image.shape[0]
        assert tuple(image[height - 25, 15]) == (255, 0, 0)
        assert tuple(image[height - 25, red_end + 3]) == (255, 255, 255)
    if mode.get("xref_stream", True):
        assert b"/Type/XRef" in data
        assert (b"/Type/ObjStm" in data) == mode.get("object_streams", True) or not mode.get("compress", True)
    else:
        assert b"\nxref\n0 " in data and b"trailer\n" in data


def test_object_streams_make_a_long_document_smaller():
    sizes = {}
    for objstm in (True, False):
        out = io.BytesIO()
        with pdfwriter.Document(out, object_streams=objstm, deterministic=True) as doc:
            draw_numbered_pages(doc, 1000)
        sizes[objstm] = len(out.getvalue())
    print(f"1,000 pages: {sizes[True]:,} bytes with object streams, {sizes[False]:,} without")
    assert sizes[True] < 0.8 * sizes[False]


def test_streams_compress_only_when_it_helps_and_keep_existing_filters():
    out = io.BytesIO()
    writer = PdfWriter(out)
    small = writer.add(Stream(b"0 g"))
    big = writer.add(Stream(b"1 0 0 rg 0 0 10 10 re f\n" * 200))
    jpeg_like = writer.add(Stream(b"\xff\xd8 not really jpeg", {"Filter": Name("DCTDecode")}))
    both = writer.add(Stream(b"abc" * 100, {"Filter": Name("ASCIIHexDecode")}, compress=True))
    close_empty(writer)
    pdf = pikepdf.open(io.BytesIO(out.getvalue()))
    assert "/Filter" not in pdf.get_object(small.number, 0)
    assert pdf.get_object(big.number, 0).Filter == "/FlateDecode"
    assert pdf.get_object(jpeg_like.number, 0).Filter == "/DCTDecode"
    assert pdf.get_object(jpeg_like.number, 0).read_raw_bytes() == b"\xff\xd8 not really jpeg"
    assert list(pdf.get_object(both.number, 0).Filter) == ["/FlateDecode", "/ASCIIHexDecode"]


@pytest.mark.parametrize("compress", [True, False])
def test_streams_of_unknown_length_get_an_indirect_length(compress):
    out = PipeLike()
    with pdfwriter.Document(out, compress=compress) as doc:
        doc.add_page("A6")
        sink = doc.writer.open_stream({"Type": Name("XObject"), "Subtype": Name("Form"), "BBox": [0, 0, 10, 10]})
        with sink:
            for i in range(1000):
                sink.write(b"%d 0 m %d 10 l S\n" % (i % 10, i % 10))
        with pytest.raises(DocumentError, match="closed"):
            sink.write(b"x")
    data = out.getvalue()
    assert re.search(rb"\n%d 0 obj\n<<.*/Length \d+ 0 R" % sink.ref.number, data)
    pdf = pikepdf.open(io.BytesIO(data))
    stream = pdf.get_object(sink.ref.number, 0)
    assert stream.read_bytes() == b"".join(b"%d 0 m %d 10 l S\n" % (i % 10, i % 10) for i in range(1000))


def test_objects_cannot_interleave_with_an_open_stream():
    writer = PdfWriter(io.BytesIO())
    writer.open_stream()
    with pytest.raises(DocumentError, match="still being written"):
        writer.add(1)


def test_reserved_objects_must_be_written_once():
    writer = PdfWriter(io.BytesIO())
    ref = writer.reserve()
    writer.add(5, ref)
    with pytest.raises(DocumentError, match="written already"):
        writer.add(6, ref)
    forgotten = writer.reserve()
    with pytest.raises(DocumentError, match=f"never written: {forgotten.number}"):
        writer.close(writer.add({"Type": Name("Catalog")}))


def test_bad_writer_options_are_rejected():
    with pytest.raises(DocumentError, match="level"):
        PdfWriter(io.BytesIO(), compress_level=12)
    with pytest.raises(DocumentError, match="cross-reference stream"):
        PdfWriter(io.BytesIO(), xref_stream=False, object_streams=True)


def write_sample(target, **options) -> None:
    with pdfwriter.Document(target, metadata={"Title": "Same"}, **options) as doc:
        draw_numbered_pages(doc, 5)


def test_same_input_gives_identical_bytes_with_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = io.BytesIO(), io.BytesIO()
    write_sample(first)
    write_sample(second)
    assert first.getvalue() == second.getvalue()
    pdf = pikepdf.open(io.BytesIO(first.getvalue()))
    assert str(pdf.docinfo.CreationDate) == "D:20231114221320Z"
    # The file ID is a hash of the content: a different document gets a different one.
    other = io.BytesIO()
    with pdfwriter.Document(other) as doc:
        doc.add_page()
    assert pikepdf.open(io.BytesIO(other.getvalue())).trailer.ID[0] != pdf.trailer.ID[0]


def test_deterministic_flag_and_default_ids(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a, b = io.BytesIO(), io.BytesIO()
    write_sample(a, deterministic=True)
    write_sample(b, deterministic=True)
    assert a.getvalue() == b.getvalue()
    c, d = io.BytesIO(), io.BytesIO()
    write_sample(c)
    write_sample(d)
    ids = [pikepdf.open(io.BytesIO(x.getvalue())).trailer.ID[0] for x in (c, d)]
    assert ids[0] != ids[1]


def test_output_to_a_real_pipe(tmp_path):
    target = tmp_path / "piped.pdf"
    with open(target, "wb") as sink:
        proc = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=sink)
        with pdfwriter.Document(proc.stdin) as doc:
            draw_numbered_pages(doc, 3)
        proc.stdin.close()
        assert proc.wait() == 0
    with check_pdf(target) as checked:
        assert checked.page_count == 3


def test_ten_thousand_pages_stream_out_in_bounded_memory(tmp_path):
    target = tmp_path / "long.pdf"
    tracemalloc.start()
    try:
        with pdfwriter.Document(target) as doc:
            for i in range(10_000):
                page = doc.add_page((300, 300))
                # Distinct content on every page, ~2 KB before compression.
                page.content.raw(
                    b"".join(b"%d %d m %d %d l S\n" % (i % 97, k, (i * k) % 300, k + 1) for k in range(100))
                )
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = target.stat().st_size
    print(f"10,000 pages: peak traced memory {peak / 2**20:.1f} MiB, file {size / 2**20:.1f} MiB")
    # Holding the pages would need far more than the file size; the bound is generous.
    assert peak < 16 * 2**20
    with check_pdf(target, external=False) as checked:
        assert checked.page_count == 10_000
        assert checked.pdf.pages[9999].Contents.read_bytes().startswith(b"%d 0 m" % (9999 % 97))


def test_version_in_header_and_catalog_version_for_later_features():
    out = io.BytesIO()
    with pdfwriter.Document(out) as doc:
        doc.add_page()
        doc.writer.require_version("1.7")
    data = out.getvalue()
    assert data.startswith(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    assert pikepdf.open(io.BytesIO(data)).Root.Version == "/1.7"
    table = io.BytesIO()
    with pdfwriter.Document(table, xref_stream=False) as doc:
        doc.add_page()
    assert table.getvalue().startswith(b"%PDF-1.4\n")


def test_streams_are_flate_at_the_chosen_level():
    outputs = {}
    for level in (1, 9):
        out = io.BytesIO()
        writer = PdfWriter(out, compress_level=level)
        payload = bytes(range(256)) * 64 + b"x" * 10000
        ref = writer.add(Stream(payload))
        close_empty(writer)
        pdf = pikepdf.open(io.BytesIO(out.getvalue()))
        raw = pdf.get_object(ref.number, 0).read_raw_bytes()
        assert zlib.decompress(raw) == payload
        outputs[level] = raw
    payload = bytes(range(256)) * 64 + b"x" * 10000
    assert outputs[1] == deflate(payload, 1)  # the level asked for, as the deflate engine writes it
    assert len(outputs[9]) < len(outputs[1])



def test_deflate_engine_is_zlib_ng_and_zlib_still_works(monkeypatch):
    """zlib-ng is a declared dependency; without it (a platform with no wheel) Python's zlib writes the same data."""
    from pdfwriter.pdf import deflate as engine

    assert engine.ENGINE_NAME == "zlib-ng"
    payload = bytes(range(256)) * 4096 + b"pdfwriter " * 300_000  # over two pieces: the parallel path too
    fast = engine.deflate_many([(payload, zlib.Z_DEFAULT_STRATEGY, 6)], piece=1 << 20)[0]
    monkeypatch.setattr(engine, "_engine", zlib)
    plain = engine.deflate_many([(payload, zlib.Z_DEFAULT_STRATEGY, 6)], piece=1 << 20)[0]
    assert zlib.decompress(fast) == payload == zlib.decompress(plain)
    assert engine.deflate(payload, 9) != fast  # zlib's own level 9 now
