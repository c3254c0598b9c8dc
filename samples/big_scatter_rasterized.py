"""Two million points as a scatter: the cloud is rasterized, the axes, ticks and labels stay vector.

As vectors the 2,000,000 translucent markers make a 24 MB file that pdfium needs most of a
minute to display; inside ``page.rasterized(dpi=200)`` they become one 1218 x 1172 image of
the plot area with a soft mask, and the file is 1.0 MB, while the frame, tick labels and title
remain sharp, searchable text and lines. Needs the 'raster' extra (pypdfium2).

Usage: python samples/big_scatter_rasterized.py [OUT.pdf]
"""

import os
import sys

import numpy as np

import pdfwriter

target = sys.argv[1] if len(sys.argv) > 1 else "big_scatter_rasterized.pdf"
count = 2_000_000
rng = np.random.default_rng(2024)
# Three Gaussian clusters and a ring, in data units from -4 to 4.
parts = [
    rng.normal((-1.5, 1.0), (0.6, 0.4), (count * 3 // 10, 2)),
    rng.normal((1.6, -0.8), (0.5, 0.9), (count * 3 // 10, 2)),
    rng.normal((0.5, 2.2), (0.3, 0.3), (count // 10, 2)),
]
angle = rng.uniform(0, 2 * np.pi, count - sum(len(p) for p in parts))
radius = rng.normal(3.0, 0.15, angle.size)
parts.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
data = np.concatenate(parts)

left, bottom, width, height = 70.0, 60.0, 440.0, 440.0
lo, hi = -4.0, 4.0
xy = np.column_stack([left + (data[:, 0] - lo) / (hi - lo) * width, bottom + (data[:, 1] - lo) / (hi - lo) * height])
# Colour by distance from the origin, through a small blue-to-orange ramp.
t = np.clip(np.hypot(data[:, 0], data[:, 1]) / 3.5, 0, 1)[:, None]
colors = (1 - t) * np.array([0.15, 0.3, 0.75]) + t * np.array([0.95, 0.5, 0.1])

with pdfwriter.Document(target, metadata={"Title": "Two million points"}) as doc:
    page = doc.add_page((560, 560))
    with page.clip((left, bottom, width, height)), page.rasterized(dpi=200):
        page.markers(xy, ".", size=1.6, fill=colors, alpha=0.35)
    page.rect(left, bottom, width, height, stroke="black", line_width=1)
    for value in range(-4, 5, 2):
        x = left + (value - lo) / (hi - lo) * width
        y = bottom + (value - lo) / (hi - lo) * height
        page.line(x, bottom, x, bottom - 5, line_width=0.8)
        page.line(left, y, left - 5, y, line_width=0.8)
        page.text(x, bottom - 18, str(value), size=10, halign="center")
        page.text(left - 9, y, str(value), size=10, halign="right", valign="center")
    page.text(left + width / 2, bottom - 38, "x", size=12, halign="center")
    page.text(left - 36, bottom + height / 2, "y", size=12, halign="center", angle=90)
    page.text(left + width / 2, bottom + height + 14, f"{count:,} points, rasterized at 200 dpi", size=14, halign="center")
print(f"wrote {target} ({os.path.getsize(target) / 1e6:.1f} MB)")
