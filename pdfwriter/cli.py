"""Command line: ``python -m pdfwriter demo OUT.pdf``."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from . import Document, LinearGradient, Page, Path, RadialGradient, __version__
from .errors import PdfWriterError
from .pdf import Name, Reference


def _title(page: Page, font: Reference, text: str, subtitle: str) -> None:
    """A heading in Helvetica (a standard font, not embedded), written with raw operators."""
    content = page.content
    content.begin_text()
    content.set_font("F1", 18)
    content.move_text(40, page.height - 50)
    content.show_text(text.encode("cp1252"))
    content.set_font("F1", 10)
    content.move_text(0, -16)
    content.show_text(subtitle.encode("cp1252"))
    content.end_text()
    page.add_resource("Font", "F1", font)


def _shapes_page(page: Page) -> None:
    """Fills, strokes, dashes, alpha, hatches, gradients, clips and transforms."""
    page.rect(40, 560, 120, 80, fill="steelblue", stroke="navy", line_width=3)
    page.circle(250, 600, 45, fill="#ff8c0099", stroke="black", dash="dashed")
    page.polygon([(330, 560), (450, 560), (390, 650)], fill="seagreen", join="round", line_width=6, stroke="darkgreen")
    for k, hatch in enumerate(["/", "\\", "|", "-", "+", "x", "o", "O", ".", "*"]):
        page.rect(40 + k * 50, 470, 40, 60, fill="lavender", hatch=hatch, hatch_color="indigo", stroke="black", line_width=0.5)
    sunset = LinearGradient((40, 0), (500, 0), [(0, "midnightblue"), (0.5, "orchid"), (1, "gold")])
    page.rect(40, 380, 460, 60, fill=sunset)
    glow = RadialGradient((150, 250), 0, (150, 250), 90, [(0, "white"), (0.6, "orange"), (1, (1, 0.3, 0, 0))])
    page.circle(150, 250, 90, fill=glow)
    with page.clip(Path.circle(380, 250, 80)):
        for i in range(12):
            page.rect(300 + i * 14, 160, 7, 180, fill=(i / 12, 0.3, 1 - i / 12))
    with page.transform((0.866, 0.5, -0.5, 0.866, 300, 60)):
        page.rect(0, 0, 150, 40, fill="crimson", alpha=0.6)


def _data_page(page: Page) -> None:
    """A scatter with per-point colours and sizes, a dense line, and a Gouraud-shaded mesh."""
    rng = np.random.default_rng(7)
    xy = rng.normal((300, 560), (90, 50), size=(3000, 2))
    colours = np.column_stack([rng.uniform(0.1, 0.9, 3000), rng.uniform(0.2, 0.6, 3000), rng.uniform(0.5, 1, 3000)])
    page.markers(xy, "o", size=rng.uniform(2, 7, 3000), fill=colours, alpha=0.7)
    x = np.linspace(40, 560, 200_000)
    y = 380 + 40 * np.sin(x / 9) * np.cos(x / 67) + rng.normal(0, 2, x.size)
    page.line(np.column_stack([x, y]), stroke="darkslategray", line_width=0.6, simplify=0.05)
    grid = np.linspace(60, 540, 9)
    points, colors = [], []
    for i in range(8):
        for j in range(4):
            x0, x1 = grid[i], grid[i + 1]
            y0, y1 = 80 + j * 50, 130 + j * 50
            corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            tones = [(i / 8, j / 4, 1 - i / 8), ((i + 1) / 8, j / 4, 0.5), ((i + 1) / 8, (j + 1) / 4, 0.2), (i / 8, (j + 1) / 4, 1)]
            for a, b, c in ((0, 1, 2), (0, 2, 3)):
                points.append([corners[a], corners[b], corners[c]])
                colors.append([tones[a], tones[b], tones[c]])
    page.gouraud_triangles(np.array(points), np.array(colors))


def write_demo(target: str) -> int:
    """Write a PDF that shows what the library does; return its page count."""
    helvetica = {
        "Type": Name("Font"), "Subtype": Name("Type1"),
        "BaseFont": Name("Helvetica"), "Encoding": Name("WinAnsiEncoding"),
    }
    metadata = {"Title": "pdfwriter demo", "Subject": "What pdfwriter can do so far"}
    with Document(target, metadata=metadata) as doc:
        font = doc.writer.add(helvetica)
        page = doc.add_page("Letter")
        _title(page, font, f"pdfwriter {__version__}", "Shapes, strokes, dashes, alpha, hatches, gradients, clips, transforms")
        _shapes_page(page)
        page = doc.add_page("Letter")
        _title(page, font, "Data", "3,000 markers with per-point colours and sizes, a simplified 200,000-point line, a Gouraud mesh")
        _data_page(page)
        return doc.page_count


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m pdfwriter", description="Write PDF files.")
    parser.add_argument("--version", action="version", version=f"pdfwriter {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="write a demo PDF showing what pdfwriter can do")
    demo.add_argument("output", help="the PDF file to write")
    args = parser.parse_args(argv)
    try:
        pages = write_demo(args.output)
    except PdfWriterError as exc:
        print(f"pdfwriter: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.output} ({pages} pages)")
    return 0
