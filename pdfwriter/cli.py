"""Command line: ``python -m pdfwriter demo OUT.pdf``."""

from __future__ import annotations

import argparse
import math
import sys

from . import Document, __version__
from .errors import PdfWriterError
from .pdf import Name


def write_demo(target: str) -> int:
    """Write a PDF that shows what the library does; return its page count."""
    helvetica = {
        "Type": Name("Font"), "Subtype": Name("Type1"),
        "BaseFont": Name("Helvetica"), "Encoding": Name("WinAnsiEncoding"),
    }
    metadata = {"Title": "pdfwriter demo", "Subject": "What pdfwriter can do so far"}
    with Document(target, metadata=metadata) as doc:
        font = doc.writer.add(helvetica)
        for size in ("A4", "Letter-landscape", (400, 400)):
            page = doc.add_page(size)
            page.add_resource("Font", "F1", font)
            content = page.content
            width, height = page.size
            content.begin_text()
            content.set_font("F1", 20)
            content.move_text(40, height - 60)
            content.show_text(b"pdfwriter %s" % __version__.encode())
            content.set_font("F1", 11)
            content.move_text(0, -22)
            content.show_text(b"Page size %g x %g pt" % (round(width, 2), round(height, 2)))
            content.end_text()
            # A ring of coloured squares, drawn with the low-level content stream.
            cx, cy, radius = width / 2, height / 2 - 20, min(width, height) / 4
            for k in range(12):
                angle = 2 * math.pi * k / 12
                content.set_fill_rgb(0.5 + 0.5 * math.cos(angle), 0.5 + 0.5 * math.sin(angle), 0.6)
                content.rectangle(cx + radius * math.cos(angle) - 12, cy + radius * math.sin(angle) - 12, 24, 24)
                content.paint(b"f")
            content.set_stroke_gray(0.2)
            content.set_line_width(1.5)
            content.set_dash([6, 3])
            content.rectangle(20, 20, width - 40, height - 100)
            content.paint(b"S")
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
