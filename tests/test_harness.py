"""Tests of the validation harness itself, on hand-written PDFs (no pdfwriter needed)."""

from __future__ import annotations

import gc
import shutil
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import harness
import numpy as np
import pytest
from harness import assert_color, check_pdf, external_default, pixel

RED = (255, 0, 0)
WHITE = (255, 255, 255)
# The red rectangle of the sample page: x 10..60, y 10..40 (points, origin bottom-left).
SAMPLE_CONTENT = b"1 0 0 rg 10 10 50 30 re f\nBT /F1 12 Tf 20 60 Td (Hello) Tj ET\n"


def stream_object(data: bytes, entries: bytes = b"") -> bytes:
    """Body of a stream object holding data, with extra dictionary entries."""
    return b"<< %s /Length %d >>\nstream\n" % (entries, len(data)) + data + b"\nendstream"


def build_pdf(
    content: bytes = SAMPLE_CONTENT,
    *,
    content_entries: bytes = b"",
    resources: bytes = b"/Font << /F1 5 0 R >>",
    extra_objects: Sequence[bytes] = (),
) -> bytes:
    """One 100x100 pt page drawing content; Helvetica is object 5, extra_objects are 6, 7, ...

    Written with a classic xref table whose offsets are computed here.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100]"
        b" /Resources << %s >> /Contents 4 0 R >>" % resources,
        stream_object(content, content_entries),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_offset,
    )
    return bytes(out)


def with_form(form_content: bytes, page_content: bytes = b"q /X1 Do Q\n") -> bytes:
    """Sample page that draws Form XObject /X1 (object 6) holding form_content."""
    form = stream_object(form_content, b"/Type /XObject /Subtype /Form /BBox [0 0 100 100]")
    return build_pdf(
        page_content,
        resources=b"/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>",
        extra_objects=[form],
    )


def broken_startxref() -> bytes:
    """The sample PDF with startxref pointing 7 bytes past the xref table."""
    good = build_pdf()
    start = good.rindex(b"startxref\n") + len(b"startxref\n")
    wrong = int(good[start:].split()[0]) + 7
    return good[:start] + b"%d\n%%%%EOF\n" % wrong


def shifted_object_offset(shift: int) -> bytes:
    """The sample PDF with the xref offset of object 4 (the content stream) moved by shift bytes."""
    good = build_pdf()
    offset = good.index(b"\n4 0 obj") + 1
    entry = b"%010d 00000 n " % offset
    assert good.count(entry) == 1
    return good.replace(entry, b"%010d 00000 n " % (offset + shift))


@pytest.fixture
def sample(tmp_pdf: Callable[[str], Path]) -> Path:
    """Path of the valid sample PDF."""
    path = tmp_pdf("sample")
    path.write_bytes(build_pdf())
    return path


def have(tool: str) -> bool:
    """Whether an external tool is on PATH."""
    return shutil.which(tool) is not None


def test_valid_pdf_passes(sample: Path) -> None:
    with check_pdf(sample) as checked:
        assert checked.page_count == 1
        assert checked.path == sample
        assert checked.pdf.pages[0].MediaBox == [0, 0, 100, 100]


def test_valid_pdf_passes_in_process_only(sample: Path) -> None:
    check_pdf(sample, external=False).close()


@pytest.mark.skipif(
    not all(have(tool) for tool in ("qpdf", "pdftoppm", "mutool", "gs")),
    reason="needs qpdf, poppler-utils, mupdf-tools and ghostscript",
)
def test_valid_pdf_passes_all_external_validators(sample: Path) -> None:
    check_pdf(sample, external=True).close()


def test_bytes_source_gets_a_temporary_file() -> None:
    checked = check_pdf(build_pdf())
    assert checked.path.read_bytes() == build_pdf()
    assert checked.text() == "Hello"
    checked.close()
    assert not checked.path.exists()


def test_unclosed_bytes_source_is_cleaned_up() -> None:
    path = check_pdf(build_pdf()).path
    gc.collect()
    assert not path.exists()


def test_render_is_rgb_on_white(sample: Path) -> None:
    with check_pdf(sample) as checked:
        img = checked.render()
        assert img.shape == (100, 100, 3)
        assert img.dtype == np.uint8
        assert_color(pixel(img, 35, 25), RED)
        assert_color(pixel(img, 80, 80), WHITE)
        assert_color(pixel(img, 5, 5), WHITE)
        assert checked.render(dpi=144).shape == (200, 200, 3)


def test_render_rgba_is_transparent_outside_drawing(sample: Path) -> None:
    with check_pdf(sample) as checked:
        img = checked.render_rgba(dpi=36)
        assert img.shape == (50, 50, 4)
        assert_color(pixel(img, 35, 25, dpi=36), (*RED, 255))
        assert pixel(img, 80, 80, dpi=36)[3] == 0


def test_pixel_maps_pdf_points_with_y_up(sample: Path) -> None:
    with check_pdf(sample) as checked:
        for dpi in (72, 150):
            img = checked.render(dpi=dpi)
            # Inside the rectangle near its bottom-right corner...
            assert_color(pixel(img, 57, 13, dpi=dpi), RED)
            # ...and just outside it above, below, left and right.
            for x, y in [(57, 43), (57, 7), (7, 13), (63, 13)]:
                assert_color(pixel(img, x, y, dpi=dpi), WHITE)


def test_pixel_index_arithmetic() -> None:
    img = np.zeros((20, 10, 3), dtype=np.uint8)
    img[19, 0] = (1, 2, 3)  # bottom-left pixel
    img[0, 9] = (4, 5, 6)  # top-right pixel
    assert pixel(img, 0, 0) == (1, 2, 3)
    assert pixel(img, 9.5, 19.5) == (4, 5, 6)
    assert pixel(img, 4.9, 9.9, dpi=144) == (4, 5, 6)
    with pytest.raises(ValueError, match="outside"):
        pixel(img, 10, 0)
    with pytest.raises(ValueError, match="outside"):
        pixel(img, 0, -0.5)


def test_assert_color() -> None:
    assert_color((254, 1, 0), RED)
    assert_color([250, 5, 5], RED, tol=5)
    expected_message = r"\(250, 0, 0\) differs from expected \(255, 0, 0\) by 5"
    with pytest.raises(AssertionError, match=expected_message):
        assert_color((250, 0, 0), RED)
    with pytest.raises(AssertionError, match="channels"):
        assert_color((255, 0, 0, 255), RED)


def test_text(sample: Path) -> None:
    with check_pdf(sample) as checked:
        assert "Hello" in checked.text()
        poppler = checked.text_poppler()
        if have("pdftotext"):
            assert poppler is not None and "Hello" in poppler
        else:
            assert poppler is None


def test_flate_compressed_content_passes() -> None:
    data = build_pdf(zlib.compress(SAMPLE_CONTENT), content_entries=b"/Filter /FlateDecode")
    with check_pdf(data) as checked:
        assert_color(pixel(checked.render(), 35, 25), RED)


def test_form_xobject_and_inline_image_pass() -> None:
    inline_image = b"q 10 0 0 10 80 80 cm BI /W 1 /H 1 /BPC 8 /CS /RGB ID \x00\x00\xff EI Q\n"
    data = with_form(b"1 0 0 rg 10 10 50 30 re f\n", b"q /X1 Do Q\n" + inline_image)
    with check_pdf(data) as checked:
        img = checked.render()
        assert_color(pixel(img, 35, 25), RED)
        assert_color(pixel(img, 85, 85), (0, 0, 255))
        assert_color(pixel(img, 75, 75), WHITE)


BROKEN = {
    "broken startxref offset": broken_startxref(),
    "xref offset of an object off by 3": shifted_object_offset(3),
    "xref offset of an object off by -1": shifted_object_offset(-1),
    "truncated file": build_pdf()[: len(build_pdf()) // 2],
    "unbalanced << in content": build_pdf(SAMPLE_CONTENT + b"<< /A 1\n"),
    "stray ) in content": build_pdf(b"BT /F1 12 Tf 20 60 Td Hello) Tj ET\n"),
    "unbalanced [ in content": build_pdf(b"[1 2] 0 d [3 0 d 10 10 50 30 re S\n"),
    "unknown operator": build_pdf(b"1 0 0 rgg 10 10 50 30 re f\n"),
    "exponent number": build_pdf(b"1e-05 0 0 rg 10 10 50 30 re f\n"),
    "too few operands": build_pdf(b"1 0 0 rg 10 10 50 re f\n"),
    "q without Q": build_pdf(b"q 1 0 0 rg 10 10 50 30 re f\n"),
    "Q without q": build_pdf(b"Q 1 0 0 rg 10 10 50 30 re f\n"),
    "BT without ET": build_pdf(b"BT /F1 12 Tf 20 60 Td (Hello) Tj\n"),
    "font not in resources": build_pdf(b"BT /F2 12 Tf 20 60 Td (Hello) Tj ET\n"),
    "wrong /Length": build_pdf().replace(b"/Length %d" % len(SAMPLE_CONTENT), b"/Length 70"),
    "garbage after %%EOF": build_pdf() + b"garbage\n",
    "not a PDF": b"this is not a PDF file\n",
    "corrupt Flate data": build_pdf(b"not zlib data", content_entries=b"/Filter /FlateDecode"),
    "unknown operator in form XObject": with_form(b"1 0 0 rgg 10 10 50 30 re f\n"),
    "XObject not in resources": with_form(b"1 0 0 rg 10 10 50 30 re f\n", b"/X2 Do\n"),
    "page tree /Count wrong": build_pdf().replace(b"/Count 1", b"/Count 2"),
    "page /Parent wrong": build_pdf().replace(b"/Parent 2 0 R", b"/Parent 1 0 R"),
    "page tree kid missing": build_pdf().replace(b"/Kids [3 0 R]", b"/Kids [9 0 R]"),
}


@pytest.mark.parametrize("data", BROKEN.values(), ids=BROKEN.keys())
def test_broken_pdf_fails_in_process(data: bytes) -> None:
    with pytest.raises(AssertionError, match="failed"):
        check_pdf(data, external=False)


@pytest.mark.parametrize("data", BROKEN.values(), ids=BROKEN.keys())
def test_broken_pdf_fails_with_default_validators(data: bytes) -> None:
    with pytest.raises(AssertionError, match="failed"):
        check_pdf(data)


def test_failure_lists_every_problem(tmp_pdf: Callable[[str], Path]) -> None:
    path = tmp_pdf("two-faults")
    path.write_bytes(build_pdf(b"q 1 0 0 rgg\n"))
    with pytest.raises(AssertionError) as failure:
        check_pdf(path, external=False)
    message = str(failure.value)
    assert str(path) in message
    assert "unknown operator" in message
    assert "q without a matching Q" in message


@pytest.mark.skipif(not have("qpdf"), reason="qpdf is not installed")
def test_qpdf_flags_broken_xref() -> None:
    with pytest.raises(AssertionError, match=r"qpdf --check .*exit status 3[\s\S]*xref not found"):
        check_pdf(broken_startxref(), external=True)


@pytest.mark.parametrize(
    ("tool", "fault", "expected"),
    [
        ("pdftoppm", "unknown operator", "Unknown operator 'rgg'"),
        ("mutool", "stray ) in content", "syntax error in content stream"),
        ("gs", "q without Q", "encountered more q than Q"),
    ],
)
def test_external_renderers_flag_faults(tool: str, fault: str, expected: str) -> None:
    if not have(tool):
        pytest.skip(f"{tool} is not installed")
    with pytest.raises(AssertionError) as failure:
        check_pdf(BROKEN[fault], external=True)
    assert expected in str(failure.value)


def test_required_missing_tool_names_debian_package(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda tool: None if tool == "gs" else real_which(tool))
    with pytest.raises(AssertionError, match="gs is not installed: apt-get install ghostscript"):
        check_pdf(sample, external=True)


def test_auto_mode_skips_missing_tools(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(harness.EXTERNAL_ENV, raising=False)
    monkeypatch.setattr(shutil, "which", lambda tool: None)
    check_pdf(sample).close()


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("0", False), ("", None)])
def test_external_default_from_environment(
    value: str, expected: bool | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(harness.EXTERNAL_ENV, value)
    assert external_default() is expected


def test_external_default_rejects_unknown_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(harness.EXTERNAL_ENV, "yes")
    with pytest.raises(ValueError, match="must be 1, 0 or unset"):
        external_default()


def test_environment_forces_external_validators(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(harness.EXTERNAL_ENV, "1")
    monkeypatch.setattr(shutil, "which", lambda tool: None)
    with pytest.raises(AssertionError, match="qpdf is not installed"):
        check_pdf(sample)


def test_tmp_pdf_gives_fresh_paths(tmp_pdf: Callable[[str], Path], tmp_path: Path) -> None:
    first = tmp_pdf("a")
    assert first == tmp_path / "a.pdf"
    assert not first.exists()
    assert tmp_pdf("a.pdf") == tmp_path / "a-2.pdf"
    assert tmp_pdf("a") == tmp_path / "a-3.pdf"
    assert tmp_pdf("b").parent == tmp_path


def test_error_and_warning_in_file_name_do_not_fail(tmp_pdf: Callable[[str], Path]) -> None:
    path = tmp_pdf("error-WARNING-Error")
    path.write_bytes(build_pdf())
    check_pdf(path).close()
