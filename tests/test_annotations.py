"""Links and notes: what pikepdf reads in /Annots, and what pdfium finds on the page."""

from __future__ import annotations

import ctypes
import math
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from harness import char_boxes, check_pdf

import pdfwriter
from pdfwriter.errors import AnnotationError, GeometryError, StyleError


def pdfium_links(path: Path, page_index: int = 0) -> list[dict[str, Any]]:
    """Every link pdfium finds on a page: rect, quads, uri, and the index of the page it goes to."""
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[page_index]
        found = []
        position, link = ctypes.c_int(0), raw.FPDF_LINK()
        while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
            rect = raw.FS_RECTF()
            assert raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect))
            quads = []
            for k in range(raw.FPDFLink_CountQuadPoints(link)):
                q = raw.FS_QUADPOINTSF()
                assert raw.FPDFLink_GetQuadPoints(link, k, ctypes.byref(q))
                quads.append((q.x1, q.y1, q.x2, q.y2, q.x3, q.y3, q.x4, q.y4))
            entry: dict[str, Any] = {
                "rect": (rect.left, rect.bottom, rect.right, rect.top), "quads": quads, "uri": None, "page": None,
            }
            dest = raw.FPDFLink_GetDest(document.raw, link)
            if dest:
                entry["page"] = raw.FPDFDest_GetDestPageIndex(document.raw, dest)
                has = [ctypes.c_int() for _ in range(3)]
                values = [ctypes.c_float() for _ in range(3)]
                raw.FPDFDest_GetLocationInPage(dest, *map(ctypes.byref, has), *map(ctypes.byref, values))
                entry["top"] = values[1].value if has[1].value else None
            action = raw.FPDFLink_GetAction(link)
            if action and raw.FPDFAction_GetType(action) == raw.PDFACTION_URI:
                size = raw.FPDFAction_GetURIPath(document.raw, action, None, 0)
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFAction_GetURIPath(document.raw, action, buffer, size)
                entry["uri"] = buffer.value.decode("ascii")
            found.append(entry)
        page.close()
        return found
    finally:
        document.close()


def pdfium_link_at(path: Path, x: float, y: float, page_index: int = 0) -> bool:
    """Whether pdfium finds a link under the point (x, y) of a page."""
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[page_index]
        found = bool(raw.FPDFLink_GetLinkAtPoint(page.raw, x, y))
        page.close()
        return found
    finally:
        document.close()


def pdfium_annotations(path: Path, page_index: int = 0) -> list[tuple[int, tuple[float, ...], str]]:
    """(subtype, rect, Contents) of every annotation pdfium reads on a page."""
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[page_index]
        out = []
        for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
            annot = raw.FPDFPage_GetAnnot(page.raw, k)
            rect = raw.FS_RECTF()
            raw.FPDFAnnot_GetRect(annot, ctypes.byref(rect))
            size = raw.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFAnnot_GetStringValue(annot, b"Contents", ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
            text = buffer.raw[: max(size - 2, 0)].decode("utf-16-le")
            out.append((raw.FPDFAnnot_GetSubtype(annot), (rect.left, rect.bottom, rect.right, rect.top), text))
            raw.FPDFPage_CloseAnnot(annot)
        page.close()
        return out
    finally:
        document.close()


def _annots(pdf, page_index: int = 0) -> list:
    return list(pdf.pdf.pages[page_index].obj.get("/Annots", []))


def _floats(array) -> list[float]:
    return [float(v) for v in array]


# URI links ---------------------------------------------------------------------------


def test_uri_link_is_a_borderless_link_annotation_pdfium_finds(tmp_pdf) -> None:
    path = tmp_pdf("uri")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page("A4")
        page.rect(72, 700, 150, 30, fill="lightblue")
        page.link((72, 700, 222, 730), "https://example.org/docs?page=2#top")
    with check_pdf(path, external=True) as pdf:
        (annot,) = _annots(pdf)
        assert annot.Subtype == "/Link"
        assert _floats(annot.Rect) == [72, 700, 222, 730]
        assert _floats(annot.Border) == [0, 0, 0]
        assert annot.A.S == "/URI"
        assert bytes(annot.A.URI) == b"https://example.org/docs?page=2#top"
        assert "/QuadPoints" not in annot
    (link,) = pdfium_links(path)
    assert link["rect"] == pytest.approx((72, 700, 222, 730))
    assert link["uri"] == "https://example.org/docs?page=2#top"
    assert pdfium_link_at(path, 150, 715)
    assert not pdfium_link_at(path, 150, 740)
    assert not pdfium_link_at(path, 60, 715)


def test_rectangle_corners_in_any_order_give_the_same_rect(tmp_pdf) -> None:
    path = tmp_pdf("order")
    with pdfwriter.Document(path) as doc:
        doc.add_page((300, 300)).link((200, 150, 100, 50), "https://example.org")
    (link,) = pdfium_links(path)
    assert link["rect"] == pytest.approx((100, 50, 200, 150))


def test_non_ascii_and_spaces_in_a_uri_are_percent_encoded(tmp_pdf) -> None:
    path = tmp_pdf("iri")
    with pdfwriter.Document(path) as doc:
        doc.add_page((300, 300)).link((10, 10, 100, 40), "https://example.org/Größe 2?q=a b")
    (link,) = pdfium_links(path)
    assert link["uri"] == "https://example.org/Gr%C3%B6%C3%9Fe%202?q=a%20b"


def test_quadrilateral_link_writes_quadpoints_inside_its_rect(tmp_pdf) -> None:
    corners = [(100, 100), (180, 140), (160, 180), (80, 140)]
    path = tmp_pdf("quad")
    with pdfwriter.Document(path) as doc:
        doc.add_page((300, 300)).link(corners, "https://example.org/rotated")
    with check_pdf(path, external=True) as pdf:
        (annot,) = _annots(pdf)
        assert _floats(annot.QuadPoints) == [100, 100, 180, 140, 160, 180, 80, 140]
        # The enclosing rectangle, a hair wider so the quadrilateral lies strictly inside.
        rect = _floats(annot.Rect)
        assert rect == pytest.approx([80, 100, 180, 180], abs=1e-4)
        assert rect[0] < 80 and rect[1] < 100 and rect[2] > 180 and rect[3] > 180
    (link,) = pdfium_links(path)
    assert link["quads"] == [pytest.approx((100, 100, 180, 140, 160, 180, 80, 140))]


def test_clockwise_corners_are_written_counter_clockwise(tmp_pdf) -> None:
    path = tmp_pdf("clockwise")
    with pdfwriter.Document(path) as doc:
        doc.add_page((300, 300)).link([(100, 100), (80, 140), (160, 180), (180, 140)], "https://example.org")
    with check_pdf(path) as pdf:
        quad = np.array(_floats(_annots(pdf)[0].QuadPoints)).reshape(4, 2)
    x, y = quad[:, 0], quad[:, 1]
    assert (x * np.roll(y, -1) - np.roll(x, -1) * y).sum() > 0
    assert tuple(quad[0]) == (100, 100)


def test_transform_blocks_move_link_areas_like_drawings(tmp_pdf) -> None:
    path = tmp_pdf("transform")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((400, 400))
        with page.transform((2, 0, 0, 2, 50, 60)):
            page.link((10, 10, 40, 20), "https://example.org/scaled")
        with page.transform((0, 1, -1, 0, 300, 0)):  # a quarter turn stays upright: no QuadPoints
            page.link((10, 10, 50, 20), "https://example.org/quarter")
        angle = math.radians(30)
        with page.transform((math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle), 200, 200)):
            page.link((0, 0, 100, 20), "https://example.org/tilted")
    links = {link["uri"].rsplit("/", 1)[1]: link for link in pdfium_links(path)}
    assert links["scaled"]["rect"] == pytest.approx((70, 80, 130, 100))
    assert links["quarter"]["rect"] == pytest.approx((280, 10, 290, 50))
    assert links["quarter"]["quads"] == []
    c, s = math.cos(angle), math.sin(angle)
    expected = [(200, 200), (200 + 100 * c, 200 + 100 * s), (200 + 100 * c - 20 * s, 200 + 100 * s + 20 * c),
                (200 - 20 * s, 200 + 20 * c)]
    assert links["tilted"]["quads"] == [pytest.approx(np.ravel(expected), abs=1e-3)]
    expected_rect = (200 - 20 * s, 200, 200 + 100 * c, 200 + 100 * s + 20 * c)
    assert links["tilted"]["rect"] == pytest.approx(expected_rect, abs=1e-3)
    assert pdfium_link_at(path, 100, 90)


# Links to pages --------------------------------------------------------------------------


def test_page_links_land_on_their_pages_including_later_ones(tmp_pdf) -> None:
    path = tmp_pdf("goto")
    with pdfwriter.Document(path) as doc:
        first = doc.add_page((300, 400))
        first.link((10, 10, 100, 40), page=2)  # not added yet
        first.link((10, 50, 100, 80), page=1, top=250)
        second = doc.add_page((300, 400))
        second.link((10, 10, 100, 40), page=first)
        second.link((10, 50, 100, 80), page=second, left=0, top=400, zoom=2)
        doc.add_page((300, 400))
    with check_pdf(path, external=True) as pdf:
        pages = pdf.pdf.pages
        forward, down = _annots(pdf, 0)
        assert forward.Dest[0].objgen == pages[2].objgen and forward.Dest[1] == "/Fit"
        assert down.Dest[0].objgen == pages[1].objgen and down.Dest[1] == "/XYZ"
        assert down.Dest[2] is None and float(down.Dest[3]) == 250 and down.Dest[4] is None
        back, here = _annots(pdf, 1)
        assert back.Dest[0].objgen == pages[0].objgen
        assert _floats(list(here.Dest)[2:]) == [0, 400, 2]
        assert "/A" not in back
    first_links, second_links = pdfium_links(path, 0), pdfium_links(path, 1)
    assert [link["page"] for link in first_links] == [2, 1]
    assert first_links[1]["top"] == pytest.approx(250)
    assert [link["page"] for link in second_links] == [0, 1]
    assert pdfium_links(path, 2) == []


def test_a_link_to_a_page_never_added_stops_close_and_leaves_no_file(tmp_pdf) -> None:
    path = tmp_pdf("missing")
    doc = pdfwriter.Document(path)
    doc.add_page().link((10, 10, 50, 50), page=3)
    doc.add_page()
    with pytest.raises(AnnotationError, match="page index 3.*2 page"):
        doc.close()
    assert not path.exists()


def test_a_link_to_a_page_of_another_document_is_refused(tmp_pdf) -> None:
    with pdfwriter.Document(tmp_pdf("a")) as one, pdfwriter.Document(tmp_pdf("b")) as other:
        page = one.add_page()
        foreign = other.add_page()
        with pytest.raises(AnnotationError, match="same document"):
            page.link((10, 10, 50, 50), page=foreign)


# Text links --------------------------------------------------------------------------------


def test_text_url_links_the_box_of_the_text(tmp_pdf) -> None:
    path = tmp_pdf("text-url")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((400, 300))
        page.text(50, 200, "Read the manual", size=14, url="https://example.org/manual")
        page.text(350, 100, "right aligned", size=10, halign="right", valign="top", url="https://example.org/r")
    links = pdfium_links(path)
    assert [link["uri"] for link in links] == ["https://example.org/manual", "https://example.org/r"]
    boxes = np.array([box for _, box in char_boxes(path)])  # (left, bottom, right, top)
    first, second = boxes[:13], boxes[13:]
    for link, chars in ((links[0], first), (links[1], second)):
        x0, y0, x1, y1 = link["rect"]
        assert x0 <= chars[:, 0].min() + 0.5 and chars[:, 2].max() <= x1 + 0.5
        assert y0 <= chars[:, 1].min() and chars[:, 3].max() <= y1
        assert link["quads"] == []
    assert links[0]["rect"][0] == pytest.approx(50)
    assert links[1]["rect"][2] == pytest.approx(350)
    assert links[1]["rect"][3] == pytest.approx(100, abs=0.01)  # valign top: the ascent line at y


def test_rotated_text_url_gives_quadpoints_around_the_glyphs(tmp_pdf) -> None:
    path = tmp_pdf("text-rotated")
    with pdfwriter.Document(path) as doc:
        doc.add_page((300, 300)).text(60, 60, "diagonal", size=20, angle=45, url="https://example.org/d")
    (link,) = pdfium_links(path)
    (quad,) = link["quads"]
    corners = np.array(quad).reshape(4, 2)
    assert tuple(corners.min(axis=0)) == pytest.approx(link["rect"][:2])
    # The baseline start is on the quad's lower edge, rotated by 45 degrees.
    edge = corners[1] - corners[0]
    assert math.degrees(math.atan2(edge[1], edge[0])) == pytest.approx(45)
    for left, bottom, right, top in (box for _, box in char_boxes(path)):
        centre = ((left + right) / 2, (bottom + top) / 2)
        assert pdfium_link_at(path, *centre)


def test_multiline_text_url_gives_one_quad_per_line(tmp_pdf) -> None:
    path = tmp_pdf("text-lines")
    with pdfwriter.Document(path) as doc:
        doc.add_page((300, 300)).text(150, 200, "a long first line\nshort", halign="center", url="https://x.org")
    (link,) = pdfium_links(path)
    assert len(link["quads"]) == 2
    first, second = (np.array(q).reshape(4, 2) for q in link["quads"])
    assert np.ptp(second[:, 0]) < np.ptp(first[:, 0])
    assert second[:, 0].mean() == pytest.approx(150) and first[:, 0].mean() == pytest.approx(150)
    assert second[:, 1].max() < first[:, 1].max()


# Notes -----------------------------------------------------------------------------------------


def test_note_at_a_point_is_a_text_annotation_with_its_icon_hanging_from_the_point(tmp_pdf) -> None:
    path = tmp_pdf("note")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((300, 300))
        page.note((100, 250), "Check these numbers — über 3 σ", author="Reviewer", subject="Data", color="orange",
                  icon="Comment", open=True)
        page.note((10, 10, 40, 30), "Plain")
    with check_pdf(path, external=True) as pdf:
        note, plain = _annots(pdf)
        assert note.Subtype == "/Text" and note.Name == "/Comment"
        assert _floats(note.Rect) == [100, 230, 120, 250]
        assert str(note.Contents) == "Check these numbers — über 3 σ"
        assert str(note.T) == "Reviewer" and str(note.Subj) == "Data"
        assert _floats(note.C) == pytest.approx([1, 165 / 255, 0])
        assert bool(note.Open) is True
        assert _floats(plain.Rect) == [10, 10, 40, 30] and plain.Name == "/Note" and "/T" not in plain
    found = pdfium_annotations(path)
    assert [(kind, text) for kind, _, text in found] == [
        (raw.FPDF_ANNOT_TEXT, "Check these numbers — über 3 σ"), (raw.FPDF_ANNOT_TEXT, "Plain"),
    ]
    assert found[0][1] == pytest.approx((100, 230, 120, 250))


def test_note_point_follows_the_transform(tmp_pdf) -> None:
    path = tmp_pdf("note-transform")
    with pdfwriter.Document(path) as doc:
        page = doc.add_page((300, 300))
        with page.transform((1, 0, 0, 1, 50, 20)):
            page.note((10, 100), "moved")
    with check_pdf(path) as pdf:
        assert _floats(_annots(pdf)[0].Rect) == [60, 100, 80, 120]


def test_links_and_notes_keep_output_deterministic(tmp_pdf) -> None:
    outputs = []
    for name in ("d1", "d2"):
        path = tmp_pdf(name)
        with pdfwriter.Document(path, deterministic=True) as doc:
            page = doc.add_page()
            page.link((10, 10, 50, 50), "https://example.org")
            page.link((10, 60, 50, 90), page=1)
            page.note((100, 100), "n")
            doc.add_page().text(20, 20, "t", url="https://example.org/t", angle=10)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_border_width_and_colour_are_written(tmp_pdf) -> None:
    path = tmp_pdf("border")
    with pdfwriter.Document(path) as doc:
        doc.add_page((200, 200)).link((10, 10, 90, 40), "https://example.org", border=2, color="red")
    with check_pdf(path) as pdf:
        (annot,) = _annots(pdf)
        assert _floats(annot.Border) == [0, 0, 2]
        assert _floats(annot.C) == [1, 0, 0]


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (((10, 10, 50, 50),), {}, AnnotationError, "either a uri or page"),
        (((10, 10, 50, 50), "https://a.org"), {"page": 0}, AnnotationError, "not both"),
        (((10, 10, 50, 50), b"https://a.org"), {}, AnnotationError, "must be a str"),
        (((10, 10, 50, 50), "  "), {}, AnnotationError, "empty"),
        (((10, 10, 50, 50), "https://a.org"), {"top": 100}, AnnotationError, "uri link has none"),
        (((10, float("nan"), 50, 50), "https://a.org"), {}, GeometryError, "finite"),
        (((10, 10, 50), "https://a.org"), {}, GeometryError, "rectangle"),
        (("abcd", "https://a.org"), {}, GeometryError, "rectangle"),
        (((10, 10, 10, 50), "https://a.org"), {}, GeometryError, "no area"),
        (([(0, 0), (1, 1), (2, 2), (3, 3)], "https://a.org"), {}, GeometryError, "no area"),
        (((10, 10, 50, 50),), {"page": -1}, AnnotationError, "negative"),
        (((10, 10, 50, 50),), {"page": 1.5}, AnnotationError, "page index"),
        (((10, 10, 50, 50),), {"page": True}, AnnotationError, "page index"),
        (((10, 10, 50, 50),), {"page": 0, "zoom": 0}, AnnotationError, "zoom"),
        (((10, 10, 50, 50),), {"page": 0, "top": float("inf")}, AnnotationError, "finite"),
        (((10, 10, 50, 50), "https://a.org"), {"border": -1}, StyleError, "border"),
        (((10, 10, 50, 50), "https://a.org"), {"color": "nocolour"}, StyleError, "color"),
    ],
)
def test_bad_links_raise(tmp_pdf, args, kwargs, error, message) -> None:
    with pdfwriter.Document(tmp_pdf("bad")) as doc:
        page = doc.add_page()
        with pytest.raises(error, match=message):
            page.link(*args, **kwargs)
        assert page.annotations == []


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (((10, 10), 42), {}, AnnotationError, "text must be a str"),
        (((10, 10), "x"), {"author": 3}, AnnotationError, "author must be a str"),
        (((10, 10), "x"), {"icon": "Star"}, AnnotationError, "icon must be one of"),
        (((10,), "x"), {}, GeometryError, "point"),
        (((10, float("inf")), "x"), {}, GeometryError, "finite"),
    ],
)
def test_bad_notes_raise(tmp_pdf, args, kwargs, error, message) -> None:
    with pdfwriter.Document(tmp_pdf("badnote")) as doc:
        page = doc.add_page()
        with pytest.raises(error, match=message):
            page.note(*args, **kwargs)


def test_bad_text_url_raises_before_drawing(tmp_pdf) -> None:
    with pdfwriter.Document(tmp_pdf("badurl")) as doc:
        page = doc.add_page()
        with pytest.raises(AnnotationError, match="must be a str"):
            page.text(10, 10, "x", url=5)
        assert page.content.data == b""


def test_a_link_on_a_page_already_written_is_refused(tmp_pdf) -> None:
    from pdfwriter.errors import DocumentError

    with pdfwriter.Document(tmp_pdf("late")) as doc:
        first = doc.add_page()
        doc.add_page()
        with pytest.raises(DocumentError, match="written already"):
            first.link((10, 10, 50, 50), "https://example.org")
        with pytest.raises(DocumentError, match="written already"):
            first.note((10, 10), "late")
