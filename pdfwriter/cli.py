"""Command line: ``python -m pdfwriter demo OUT.pdf`` and ``python -m pdfwriter images FILE... -o OUT.pdf``."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from . import Document, LinearGradient, Page, Path, RadialGradient, __version__
from .errors import PdfWriterError
from .image import convert
from .text.fonts import default_fallbacks


def _title(page: Page, text: str, subtitle: str) -> None:
    """A heading and a line under it, in the bundled DejaVu Sans Bold and DejaVu Sans (embedded as subsets)."""
    top = page.height - 50
    page.text(40, top, text, size=18, font="DejaVu Sans Bold")
    page.text(40, top - 16, subtitle, size=10, color="dimgray")


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


def _text_page(page: Page) -> None:
    """Body text, alignment, rotation, kerning, spacing, render modes, a text clip, other scripts."""
    body = (
        "Text is laid out by pdfwriter itself: glyph advances and pair kerning from the font,\n"
        "character and word spacing, horizontal scaling, any angle, and fallback fonts for the\n"
        "characters the first font lacks. Fonts are embedded as subsets, and everything extracts."
    )
    page.text(40, 700, body, size=10.5, line_spacing=1.45)
    page.line(306, 550, 306, 645, stroke="lightgray", dash="dotted")
    for k, halign in enumerate(("left", "center", "right")):
        page.text(306, 630 - k * 32, f"halign={halign!r}", size=16, halign=halign, color="steelblue")
    page.text(560, 420, "rotated 90 degrees", size=14, angle=90, color="darkred")
    page.text(40, 520, "AVATAR WAVE Type", size=30)
    page.text(40, 485, "AVATAR WAVE Type", size=30, kerning=False, color="gray")
    page.text(40, 467, "kerned (black) and kerning=False (grey)", size=9, color="dimgray")
    page.text(40, 440, "letter spaced", size=16, char_spacing=4)
    page.text(220, 440, "wide words apart", size=16, word_spacing=14)
    page.text(40, 410, "condensed 70%", size=16, horizontal_scale=70)
    page.text(220, 410, "stretched 140%", size=16, horizontal_scale=140)
    page.text(40, 340, "Outline", size=44, render="stroke", color="navy", line_width=1)
    page.text(230, 340, "Fill+stroke", size=44, render="fill_stroke", color="gold", stroke="black", line_width=1.2)
    rainbow = LinearGradient((40, 0), (560, 0), [(0, "red"), (0.33, "gold"), (0.66, "seagreen"), (1, "royalblue")])
    with page.clip_text(40, 200, "CLIPPED", size=80, font="DejaVu Sans Bold"):
        page.rect(40, 180, 520, 90, fill=rainbow)
    page.rect(40, 298, 215, 8, fill="black")
    page.text(40, 296, "Half transparent over a bar", size=18, color="crimson", alpha=0.5)
    scripts = "Ελληνικά · Русский · Français · Čeština"
    if any(font.has_char("日") for font in default_fallbacks()):
        scripts += " · 日本語 · 中文 · 한국어"
    page.text(40, 140, scripts, size=14)
    page.text(40, 110, "(characters DejaVu Sans lacks come from the fallback font)", size=9, color="dimgray")


def write_demo(target: str) -> int:
    """Write a PDF that shows what the library does; return its page count."""
    metadata = {"Title": "pdfwriter demo", "Subject": "What pdfwriter can do so far"}
    with Document(target, metadata=metadata) as doc:
        page = doc.add_page("Letter")
        _title(page, f"pdfwriter {__version__}", "Shapes, strokes, dashes, alpha, hatches, gradients, clips, transforms")
        _shapes_page(page)
        page = doc.add_page("Letter")
        _title(page, "Data", "3,000 markers with per-point colours and sizes, a simplified 200,000-point line, a Gouraud mesh")
        _data_page(page)
        page = doc.add_page("Letter")
        _title(page, "Text", "Fonts embedded as subsets, kerning, alignment, rotation, spacing, render modes, clipping, fallback")
        _text_page(page)
        return doc.page_count


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m pdfwriter", description="Write PDF files.")
    parser.add_argument("--version", action="version", version=f"pdfwriter {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="write a demo PDF showing what pdfwriter can do")
    demo.add_argument("output", help="the PDF file to write")
    images = commands.add_parser("images", help="convert images (PNG, JPEG, TIFF, .npy) to a PDF, one page each")
    convert.add_arguments(images)
    args = parser.parse_args(argv)
    if args.command == "images":
        return convert.run(args)
    try:
        pages = write_demo(args.output)
    except PdfWriterError as exc:
        print(f"pdfwriter: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.output} ({pages} pages)")
    return 0
