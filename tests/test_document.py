"""Document and Page: sizes, metadata, atomic output and clear errors."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import pickle
import stat
import threading

import numpy as np
import pytest
from harness import check_pdf, pixel

import pdfwriter
from pdfwriter.errors import (
    AnnotationError, DocumentError, MetadataError, OutputError, PageSizeError, PdfWriterError,
)


@pytest.mark.parametrize(
    "size, expected",
    [
        ("A4", (595.28, 841.89)),
        ("a4", (595.28, 841.89)),
        ("A4-landscape", (841.89, 595.28)),
        ("A0", (2383.94, 3370.39)),
        ("A6", (297.64, 419.53)),
        ("Letter", (612, 792)),
        ("legal", (612, 1008)),
        ("Letter landscape", (792, 612)),
        ((300, 400.5), (300, 400.5)),
    ],
)
def test_page_sizes(tmp_pdf, size, expected):
    path = tmp_pdf("size")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page(size)
        assert page.size == pytest.approx(expected)
    with check_pdf(path) as checked:
        box = [float(v) for v in checked.pdf.pages[0].MediaBox]
        assert box == pytest.approx([0, 0, *expected])


def test_landscape_keyword(tmp_pdf):
    with pdfwriter.Document(tmp_pdf("l")) as doc:
        assert doc.add_page("A5", landscape=True).size == pytest.approx((595.28, 419.53))
        assert doc.add_page((100, 50), landscape=True).size == (100, 50)


@pytest.mark.parametrize(
    "size, message",
    [
        ("A9", "unknown page size 'A9'"),
        ((0, 100), "from 3 to 14400"),
        ((100, 20000), "from 3 to 14400"),
        ((float("nan"), 100), "from 3 to 14400"),
        (("a", "b"), "name such as 'A4'"),
        (42, "name such as 'A4'"),
    ],
)
def test_bad_page_sizes(size, message):
    doc = pdfwriter.Document(io.BytesIO())
    with pytest.raises(PageSizeError, match=message):
        doc.add_page(size)
    doc.abort()


def test_metadata_is_written_with_dates_keywords_and_trapped(tmp_pdf):
    path = tmp_pdf("meta")
    created = dt.datetime(2024, 3, 5, 14, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30)))
    metadata = {
        "Title": "Quarterly report \u2014 \u00e9t\u00e9",
        "Author": "\u674e\u96f7",
        "Subject": "Numbers",
        "Keywords": ["sales", "q3"],
        "Creator": "report.py",
        "CreationDate": created,
        "ModDate": dt.date(2024, 3, 6),
        "Trapped": False,
        "Department": "Finance",
    }
    with pdfwriter.Document(path, metadata=metadata) as doc:
        doc.add_page()
        doc.set_metadata(Subject="Revised numbers", Producer=None)
    with check_pdf(path) as checked:
        info = checked.pdf.docinfo
        assert str(info.Title) == "Quarterly report \u2014 \u00e9t\u00e9"
        assert str(info.Author) == "\u674e\u96f7"
        assert str(info.Subject) == "Revised numbers"
        assert str(info.Keywords) == "sales, q3"
        assert str(info.CreationDate) == "D:20240305143000-05'30'"
        assert str(info.ModDate) == "D:20240306000000"
        assert info.Trapped == "/False"
        assert str(info.Department) == "Finance"
        assert "/Producer" not in info


def test_default_metadata_has_producer_and_creation_date(tmp_pdf):
    path = tmp_pdf("default")
    with pdfwriter.Document(path) as doc:
        doc.add_page()
    with check_pdf(path) as checked:
        assert str(checked.pdf.docinfo.Producer).startswith("pdfwriter ")
        assert str(checked.pdf.docinfo.CreationDate).startswith("D:20")


@pytest.mark.parametrize(
    "metadata, message",
    [
        ({"title": "x"}, "did you mean 'Title'"),
        ({"Title": 3}, "'Title' must be a str"),
        ({"CreationDate": "2024-01-01"}, "datetime"),
        ({"Trapped": "maybe"}, "Trapped"),
        ({"Keywords": ["a", 1]}, "Keywords"),
        ({"Bad Key": "x"}, "without spaces"),
        ({3: "x"}, "not valid"),
        ("Title", "must be a dict"),
    ],
)
def test_bad_metadata_is_rejected_clearly(metadata, message):
    with pytest.raises(MetadataError, match=message):
        pdfwriter.Document(io.BytesIO(), metadata=metadata)


def test_path_output_is_atomic_and_leaves_nothing_on_error(tmp_path):
    target = tmp_path / "report.pdf"
    with pytest.raises(RuntimeError):
        with pdfwriter.Document(target) as doc:
            doc.add_page()
            raise RuntimeError("user code failed")
    assert list(tmp_path.iterdir()) == []

    target.write_bytes(b"previous version")
    with pytest.raises(RuntimeError):
        with pdfwriter.Document(str(target)) as doc:
            doc.add_page()
            raise RuntimeError("again")
    assert target.read_bytes() == b"previous version"
    assert list(tmp_path.iterdir()) == [target]

    with pdfwriter.Document(target) as doc:
        doc.add_page()
        # Until the document closes, the old file is untouched.
        assert target.read_bytes() == b"previous version"
    assert target.read_bytes().startswith(b"%PDF-")
    assert list(tmp_path.iterdir()) == [target]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_an_abandoned_document_leaves_no_temporary_file(tmp_path):
    doc = pdfwriter.Document(tmp_path / "never.pdf")
    doc.add_page()
    del doc
    assert list(tmp_path.iterdir()) == []


def test_path_targets_are_written_as_open_would_write_them(tmp_path):
    """Through a symbolic link the file it points to is replaced and the link kept; a replaced file keeps
    its permissions (a private 0600 report stays private); a new one gets the umask's."""
    real = tmp_path / "shared" / "report.pdf"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "report.pdf"
    link.symlink_to(real)
    with pdfwriter.Document(link) as doc:
        doc.add_page()
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf", "shared"]
    assert [p.name for p in real.parent.iterdir()] == ["report.pdf"]
    dangling = tmp_path / "to-be.pdf"
    dangling.symlink_to(tmp_path / "shared" / "new.pdf")
    with pdfwriter.Document(dangling) as doc:
        doc.add_page()
    assert dangling.is_symlink() and (tmp_path / "shared" / "new.pdf").read_bytes().startswith(b"%PDF-")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "shared" / "new.pdf").stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give files away")
def test_a_replaced_file_keeps_its_owner_where_the_process_may_set_it(tmp_path):
    """A job running as root that rewrites a user's report leaves it the user's, as open() would."""
    target = tmp_path / "users.pdf"
    target.write_bytes(b"old")
    os.chown(target, 4321, 4322)
    target.chmod(0o640)
    with pdfwriter.Document(target) as doc:
        doc.add_page()
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4322, 0o640)
    assert target.read_bytes().startswith(b"%PDF-")


def test_devices_and_named_pipes_are_written_straight(tmp_path):
    """A target that is no regular file is written as open() writes it, not replaced by a renamed file:
    /dev/null stays the null device, and a named pipe's reader gets the PDF."""
    with pdfwriter.Document(os.devnull) as doc:
        doc.add_page()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    with pdfwriter.Document(pipe) as doc:
        doc.add_page().rect(10, 10, 20, 20, fill="blue")
    reader.join(timeout=30)
    assert stat.S_ISFIFO(pipe.stat().st_mode) and list(tmp_path.iterdir()) == [pipe]
    target = tmp_path / "received.pdf"
    target.write_bytes(received[0])
    with check_pdf(target) as pdf:
        assert pdf.page_count == 1
        assert pixel(pdf.render(0), 20, 20) == (0, 0, 255)


def test_unwritable_targets_raise_output_error(tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        pdfwriter.Document(tmp_path / "no" / "such" / "folder.pdf")
    with pytest.raises(OutputError, match="binary file object"):
        pdfwriter.Document(12)
    assert issubclass(OutputError, OSError) and issubclass(OutputError, PdfWriterError)


def test_output_errors_are_also_the_operating_systems_error(tmp_path):
    """A missing folder raises what open() raises there too (FileNotFoundError, errno, file name), so code
    written for other writers catches it; the message stays pdfwriter's."""
    missing = tmp_path / "no" / "folder.pdf"
    with pytest.raises(FileNotFoundError) as caught:
        pdfwriter.Document(missing)
    assert isinstance(caught.value, OutputError)
    assert caught.value.errno == errno.ENOENT and caught.value.filename == str(missing)
    assert str(caught.value).startswith(f"cannot write {str(missing)!r}")
    copy = pickle.loads(pickle.dumps(caught.value))  # as when raised in a worker process
    assert type(copy) is type(caught.value) and str(copy) == str(caught.value) and copy.errno == errno.ENOENT
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(NotADirectoryError) as caught:
        pdfwriter.Document(tmp_path / "file" / "below.pdf")
    assert isinstance(caught.value, OutputError)
    with pytest.raises(IsADirectoryError, match="it is a folder; give a file name in it") as caught:
        pdfwriter.Document(tmp_path)
    assert isinstance(caught.value, OutputError)
    assert list(tmp_path.iterdir()) == [tmp_path / "file"]


def test_a_target_that_cannot_be_replaced_at_close_leaves_no_temporary_file(tmp_path):
    """The finished file is moved onto the target at close; if that fails (here a folder was made there
    meanwhile), the error is an OutputError of the system's kind and the temporary file is removed."""
    target = tmp_path / "late.pdf"
    doc = pdfwriter.Document(target)
    doc.add_page().rect(10, 10, 50, 50, fill="red")
    target.mkdir()
    with pytest.raises(OutputError, match="cannot write") as caught:
        doc.close()
    assert isinstance(caught.value, OSError) and caught.value.filename == str(target)
    assert list(tmp_path.iterdir()) == [target] and list(target.iterdir()) == []


def test_text_mode_files_raise_output_error_before_anything_is_written(tmp_path):
    target = tmp_path / "text.pdf"
    with open(target, "w") as text_file:
        with pytest.raises(OutputError, match="text mode; open it with 'wb'"):
            pdfwriter.Document(text_file)
    assert target.read_bytes() == b""
    with pytest.raises(OutputError, match="text mode"):
        pdfwriter.Document(io.StringIO())
    with open(target, "rb") as read_only:
        with pytest.raises(OutputError, match="open for reading only; open it with 'wb'"):
            pdfwriter.Document(read_only)
    assert target.read_bytes() == b""
    with open(target, "wb") as binary_file:  # binary files and buffers are fine
        with pdfwriter.Document(binary_file) as doc:
            doc.add_page()
    assert target.read_bytes().startswith(b"%PDF-")


def test_closed_documents_refuse_more_pages():
    doc = pdfwriter.Document(io.BytesIO())
    doc.add_page()
    doc.close()
    doc.close()
    with pytest.raises(DocumentError, match="closed"):
        doc.add_page()


def test_a_document_with_no_pages_is_refused_and_writes_nothing(tmp_path):
    path = tmp_path / "empty.pdf"
    with pytest.raises(DocumentError, match="at least one page"):
        with pdfwriter.Document(path):
            pass
    assert list(tmp_path.iterdir()) == []
    out = io.BytesIO()
    with pytest.raises(DocumentError, match="at least one page"):
        pdfwriter.Document(out).close()
    assert out.getvalue() == b""


def test_page_count_and_large_page_trees(tmp_pdf):
    path = tmp_pdf("tree")
    with pdfwriter.Document(path) as doc:
        for i in range(1500):
            doc.add_page((100 + i % 1000, 100))
        assert doc.page_count == 1500
    with check_pdf(path) as checked:
        assert checked.page_count == 1500
        assert [float(p.MediaBox[2]) for p in checked.pdf.pages] == [100 + i % 1000 for i in range(1500)]
        # Balanced: the root does not list 1,500 kids directly.
        assert len(checked.pdf.Root.Pages.Kids) <= 32


def test_bad_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(DocumentError, match="SOURCE_DATE_EPOCH"):
        pdfwriter.Document(io.BytesIO())


class _Trickle(io.RawIOBase):
    """A raw output that takes at most `chunk` bytes a call (as pipes and sockets may), or none at all."""

    def __init__(self, chunk: int) -> None:
        self.chunk, self.data = chunk, bytearray()

    def writable(self) -> bool:
        return True

    def write(self, block) -> int:
        taken = bytes(block[: self.chunk])
        self.data += taken
        return len(taken)


def test_raw_outputs_that_take_part_of_a_write_get_every_byte(tmp_path):
    """An unbuffered stream may accept part of each write; the rest is written until all of it is taken."""
    output = _Trickle(777)
    with pdfwriter.Document(output) as doc:
        page = doc.add_page()
        page.text(72, 700, "Every byte arrives", size=14)
        page.image(np.random.default_rng(1).integers(0, 255, (64, 64, 3), dtype=np.uint8), 72, 400)
    target = tmp_path / "trickled.pdf"
    target.write_bytes(bytes(output.data))
    with check_pdf(target) as pdf:
        assert "Every byte arrives" in pdf.text(0)
    with pytest.raises(OutputError, match="non-blocking"):
        with pdfwriter.Document(_Trickle(0)) as doc:
            doc.add_page()


def test_drawing_on_a_page_already_written_raises(tmp_path):
    """A page goes to the file when the next one is added: drawing on it afterwards (or after close) raises
    DocumentError, where it was silently lost."""
    output = io.BytesIO()
    doc = pdfwriter.Document(output)
    first = doc.add_page((200, 200))
    second = doc.add_page((200, 200))
    with pytest.raises(DocumentError, match=r"page 0 \(counting from 0\) is written already"):
        first.rect(0, 0, 200, 200, fill="red")
    with pytest.raises(DocumentError, match="written already"):
        first.text(10, 10, "lost")
    second.rect(0, 0, 200, 200, fill="blue")
    doc.close()
    with pytest.raises(DocumentError, match=r"page 1 \(counting from 0\) is written already"):
        second.rect(0, 0, 10, 10, fill="red")
    target = tmp_path / "written.pdf"
    target.write_bytes(output.getvalue())
    with check_pdf(target) as pdf:
        assert pixel(pdf.render(0), 100, 100) == (255, 255, 255)
        assert pixel(pdf.render(1), 100, 100) == (0, 0, 255)


def test_a_link_to_a_far_page_index_is_refused_at_close_without_reserving_every_page(tmp_path):
    """Only the pages mentioned get an object number: a link to page 10**12 fails at close with
    AnnotationError in no time and memory (it reserved one object per index up to it)."""
    target = tmp_path / "far.pdf"
    with pytest.raises(AnnotationError, match="page index 1000000000000"):
        with pdfwriter.Document(target) as doc:
            doc.add_page().link((10, 10, 50, 50), page=10**12)
            doc.add_page()
    assert list(tmp_path.iterdir()) == []


def test_dates_keep_four_digit_years_and_whole_minute_offsets(tmp_path):
    """Years before 1000 keep four digits (strftime wrote datetime(1, 1, 1) as D:10101000000, read as
    1010-10-10) and an offset is cut to whole minutes toward zero (-30 s came out -00'01')."""
    target = tmp_path / "dates.pdf"
    with pdfwriter.Document(target) as doc:
        doc.add_page()
        doc.set_metadata(CreationDate=dt.datetime(1, 1, 1), ModDate=dt.datetime(
            999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(seconds=-30))))
    with check_pdf(target) as pdf:
        info = pdf.pdf.docinfo
        assert str(info["/CreationDate"]) == "D:00010101000000"
        assert str(info["/ModDate"]) == "D:09991231235959Z"


def test_lone_surrogates_and_odd_option_types_are_refused_when_given(tmp_path):
    """Text no encoding can write (a lone surrogate, as str decoded with errors='surrogateescape' holds) is
    refused where it is given, not at close with UnicodeEncodeError; so are odd Trapped values and
    compression levels (TypeError before)."""
    with pytest.raises(MetadataError, match="lone surrogate"):
        pdfwriter.Document(io.BytesIO(), metadata={"Title": "bad \ud800"})
    with pytest.raises(MetadataError, match="lone surrogate"):
        pdfwriter.Document(io.BytesIO(), metadata={"Keywords": ["a", "\udc00"]})
    with pytest.raises(MetadataError, match="not valid"):
        pdfwriter.Document(io.BytesIO(), metadata={"X\udc80": "v"})
    with pytest.raises(MetadataError, match="Trapped"):
        pdfwriter.Document(io.BytesIO(), metadata={"Trapped": ["x"]})
    for level in (None, "6", 5.5, True):
        with pytest.raises(DocumentError, match="whole number from 0 to 9"):
            pdfwriter.Document(io.BytesIO(), compression_level=level)
    target = tmp_path / "notes.pdf"
    with pdfwriter.Document(target) as doc:
        page = doc.add_page()
        with pytest.raises(AnnotationError, match="lone surrogate"):
            page.note((10, 10), "text \ud800")
        with pytest.raises(AnnotationError, match="lone surrogate"):
            page.link((10, 10, 50, 50), "http://example.org/\udfff")
    with check_pdf(target) as pdf:
        assert "/Annots" not in pdf.pdf.pages[0].obj
