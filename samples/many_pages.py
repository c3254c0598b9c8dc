"""A 500-page document with distinct content on every page, streamed to disk as it is drawn.

Usage: python samples/many_pages.py [OUT.pdf]
"""

import math
import sys

import pdfwriter

target = sys.argv[1] if len(sys.argv) > 1 else "many_pages.pdf"
with pdfwriter.Document(target, metadata={"Title": "Five hundred pages"}) as doc:
    for number in range(500):
        page = doc.add_page("A5")
        content = page.content
        # A bar chart whose bars change from page to page.
        for bar in range(10):
            value = 0.5 + 0.5 * math.sin(number / 10 + bar)
            content.set_fill_rgb(0.2, 0.3 + 0.06 * bar, 0.7)
            content.rectangle(40 + 34 * bar, 60, 24, 400 * value)
            content.paint(b"f")
        content.set_stroke_gray(0)
        content.move_to(30, 60)
        content.line_to(390, 60)
        content.paint(b"S")
print(f"wrote {target}")
