"""A bar chart drawn with the page API: gradient background, hatched bars, dashed grid, markers.

Usage: python samples/bar_chart.py [OUT.pdf]
"""

import sys

import numpy as np

import pdfwriter

target = sys.argv[1] if len(sys.argv) > 1 else "bar_chart.pdf"
values = [3.2, 5.1, 4.4, 6.8, 2.9, 5.9]
left, bottom, width, height = 60.0, 60.0, 420.0, 260.0
scale = height / 8

with pdfwriter.Document(target, metadata={"Title": "Bar chart"}) as doc:
    page = doc.add_page((540, 380))
    sky = pdfwriter.LinearGradient((0, bottom), (0, bottom + height), [(0, "#f4f8ff"), (1, "#dce8f8")])
    page.rect(left, bottom, width, height, fill=sky, stroke=None)
    for level in range(1, 8):
        y = bottom + level * scale
        page.line(left, y, left + width, y, stroke="#99aabb", line_width=0.5, dash="dashed")
    slot = width / len(values)
    with page.clip((left, bottom, width, height)):
        for i, value in enumerate(values):
            hatch = "//" if value > 5 else None
            page.rect(left + i * slot + 12, bottom, slot - 24, value * scale,
                      fill="steelblue", hatch=hatch, hatch_color="white", stroke="navy")
    tops = np.array([(left + (i + 0.5) * slot, bottom + v * scale) for i, v in enumerate(values)])
    page.line(tops, stroke="darkorange", line_width=2, join="round")
    page.markers(tops, "D", size=9, fill="darkorange", stroke="white", line_width=1)
    page.line(np.array([(left, bottom + height), (left, bottom), (left + width, bottom)]), line_width=1.5)
print(f"wrote {target}")
