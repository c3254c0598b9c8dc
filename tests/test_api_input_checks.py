"""Bad arguments to the drawing and text calls raise the library's errors, naming what is wrong, never a
bare TypeError, ValueError or OverflowError from numpy, fontTools or Python, and the page stays usable."""

from __future__ import annotations

import io

import numpy as np
import pytest
from harness import check_pdf

import pdfwriter
from pdfwriter.errors import FontError, GeometryError, PdfWriterError, StyleError
from pdfwriter.graphics.paint import LinearGradient, RadialGradient
from pdfwriter.graphics.path import Path

HUGE = 10**400  # no float holds it

BAD_CALLS = {
    "text x None": (lambda p: p.text(None, 10, "x"), StyleError),
    "text x array": (lambda p: p.text(np.array([5.0]), 10, "x"), StyleError),
    "text y huge": (lambda p: p.text(10, HUGE, "x"), StyleError),
    "text render list": (lambda p: p.text(10, 10, "x", render=[]), StyleError),
    "text halign list": (lambda p: p.text(10, 10, "x", halign=["left"]), StyleError),
    "text fallback int": (lambda p: p.text(10, 10, "x", fallback=5), FontError),
    "text font with NUL": (lambda p: p.text(10, 10, "x", font="Foo\x00Bar"), FontError),
    "text font with surrogate": (lambda p: p.text(10, 10, "x", font="\ud800"), FontError),
    "line huge": (lambda p: p.line(0, 0, HUGE, 1), StyleError),
    "line ragged": (lambda p: p.line([[0, 0], [1]]), StyleError),
    "markers huge": (lambda p: p.markers([[0, 0], [HUGE, 1]]), StyleError),
    "markers size text": (lambda p: p.markers([[0, 0]], size="big"), StyleError),
    "dash as array and bad offset": (lambda p: p.rect(0, 0, 9, 9, dash=([3, 1], "x")), StyleError),
    "dash offset huge": (lambda p: p.rect(0, 0, 9, 9, dash=([3, 1], HUGE)), StyleError),
    "fill huge component": (lambda p: p.rect(0, 0, 9, 9, fill=(HUGE, 0, 0)), StyleError),
    "path ragged": (lambda p: p.draw_path(Path([[0, 0], [1]])), GeometryError),
    "gouraud none": (lambda p: p.gouraud_triangles(np.zeros((0, 3, 2)), np.zeros((0, 3, 3))), StyleError),
    "gouraud text": (lambda p: p.gouraud_triangles("x", "y"), StyleError),
    "quad_mesh text": (lambda p: p.quad_mesh("x", "red"), StyleError),
    "linear gradient None": (lambda p: LinearGradient(None, (1, 1), ((0, "red"), (1, "blue"))), StyleError),
    "radial gradient huge": (lambda p: RadialGradient((HUGE, 0), 1, (0, 0), 2, ((0, "red"), (1, "blue"))),
                             StyleError),
}


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_arguments_raise_the_librarys_errors_and_leave_the_page_usable(name: str, tmp_path) -> None:
    call, error = BAD_CALLS[name]
    target = tmp_path / "page.pdf"
    with pdfwriter.Document(target) as doc:
        page = doc.add_page((100, 100))
        with pytest.raises(error) as caught:
            call(page)
        assert isinstance(caught.value, PdfWriterError)
        assert len(str(caught.value)) < 400  # a 400-digit number is not repeated whole
        page.rect(10, 10, 80, 80, fill="blue")
    with check_pdf(target) as pdf:
        assert tuple(pdf.render(0)[50, 50, :3]) == (0, 0, 255)


def test_numpy_arrays_are_accepted_as_dash_patterns() -> None:
    """dash=np.array([3, 1]) raised numpy's "truth value is ambiguous" before."""
    with pdfwriter.Document(io.BytesIO()) as doc:
        doc.add_page().line(0, 0, 50, 50, dash=np.array([3.0, 1.0]))
