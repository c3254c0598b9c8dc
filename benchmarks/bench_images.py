#!/usr/bin/env python
"""Images to PDF with pdfwriter, img2pdf, ReportLab, fpdf2 and matplotlib, side by side.

    python benchmarks/bench_images.py            # every job, median of 3 runs (a few minutes)
    python benchmarks/bench_images.py --quick    # one run each, 5 screenshots, 2 photos
    python benchmarks/bench_images.py --only screenshots-png,rgba --keep DIR

Inputs are made before any clock starts, in a temporary folder:
  * 20 RGB 1920 x 1080 screenshots saved as PNG by Pillow (default settings): a dark title
    bar, a sidebar and flat panels, rows of anti-aliased glyph-like text, icons, and a
    640 x 400 photo region (smooth shapes with sensor-like noise, hardly compressible);
  * 5 photos, 4000 x 3000 RGB JPEGs (Pillow, quality 90);
  * one 3000 x 4000 (W x H) RGBA float64 array in 0..1 (smooth colour fields, an alpha ramp).
Every page is the image at 96 pixels an inch (0.75 pt a pixel).

Jobs (each library writes one PDF file; medians of wall-clock time):
  screenshots-png  the 20 PNG files: pdfwriter images_to_pdf (the `images` command's engine);
                   img2pdf.convert; fpdf2 pdf.image(path); ReportLab drawImage(path);
                   matplotlib plt.imread + figimage per page into PdfPages.
  photos-jpeg      the 5 JPEG files, the same calls.
  screenshots-npy  the 20 screenshots as uint8 arrays already in memory: pdfwriter page.image;
                   fpdf2 and ReportLab given PIL images (Image.fromarray); img2pdf needs
                   encoded files, so its row PNG-encodes each array with Pillow first;
                   matplotlib figimage.
  rgba             the RGBA float array: pdfwriter page.image; matplotlib imshow (axes off,
                   figure the array's size); fpdf2 given Image.fromarray of the array
                   converted to uint8 (the conversion is timed).
Ratios are each row's time, CPU time and size over pdfwriter's in the same job. CPU time counts
every thread of the process: on a busy machine, where the wall-clock times of threaded writers
mean little, it is the figure to compare.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import dist_version, fmt_bytes, print_table, ratio  # noqa: E402

PT = 0.75  # points per pixel at 96 dpi


# Inputs -----------------------------------------------------------------------------


def _smooth(rng: np.random.Generator, height: int, width: int, cells: int, channels: int = 3) -> np.ndarray:
    """A smooth random field in 0..1: coarse noise blown up with bilinear interpolation."""
    coarse = rng.random((cells + 1, cells + 1, channels))
    ys = np.linspace(0, cells, height, endpoint=False)
    xs = np.linspace(0, cells, width, endpoint=False)
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    top = coarse[y0][:, x0] * (1 - fx) + coarse[y0][:, x0 + 1] * fx
    bottom = coarse[y0 + 1][:, x0] * (1 - fx) + coarse[y0 + 1][:, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


def _photo_pixels(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Photo-like pixels: smooth shapes and light falloff with per-pixel sensor noise."""
    field = _smooth(rng, height, width, 6) * 0.7 + _smooth(rng, height, width, 40) * 0.3
    noise = rng.normal(0, 4.0, (height, width, 3))
    return np.clip(field * 235 + 10 + noise, 0, 255).astype(np.uint8)


def _glyphs(rng: np.random.Generator) -> np.ndarray:
    """64 glyph-like 12 x 8 coverage tiles (strokes with anti-aliased edges)."""
    tiles = np.zeros((64, 12, 8))
    for tile in tiles:
        for _ in range(rng.integers(2, 4)):
            if rng.random() < 0.5:
                column = rng.integers(1, 7)
                tile[rng.integers(1, 4) : rng.integers(8, 11), column] = 1
                tile[:, column - 1] = np.maximum(tile[:, column - 1], tile[:, column] * 0.35)
            else:
                row = rng.integers(2, 10)
                tile[row, rng.integers(0, 3) : rng.integers(5, 8)] = 1
    return tiles


def screenshot(seed: int) -> np.ndarray:
    """A 1080 x 1920 RGB screen: title bar, sidebar, panels, text, icons and a photo region."""
    rng = np.random.default_rng(seed)
    height, width = 1080, 1920
    img = np.full((height, width, 3), 248, dtype=np.uint8)
    img[:36] = (40, 44, 52)
    img[36:, :280] = (236, 238, 242)
    img[36:, 280] = (200, 204, 210)
    accent = rng.integers(0, 256, 3)
    for k in range(3):  # panels with borders and headers
        y0, x0 = 80 + k * 320, 320
        img[y0 : y0 + 280, x0 : x0 + 760] = 255
        img[y0 : y0 + 280, x0] = img[y0 : y0 + 280, x0 + 759] = (210, 214, 220)
        img[y0, x0 : x0 + 760] = img[y0 + 279, x0 : x0 + 760] = (210, 214, 220)
        img[y0 + 1 : y0 + 30, x0 + 1 : x0 + 759] = accent * 0.3 + 178
    glyphs = _glyphs(rng)
    ink = np.array([30, 33, 38], dtype=np.float64)

    def text(y: int, x: int, columns: int, paper: np.ndarray) -> None:
        ids = rng.integers(0, 64, columns)
        ids[rng.random(columns) < 0.16] = 0  # word gaps
        coverage = glyphs[ids].transpose(1, 0, 2).reshape(12, columns * 8)
        coverage[:, ids.repeat(8) == 0] = 0
        region = img[y : y + 12, x : x + columns * 8]
        region[:] = (paper * (1 - coverage[:, :, None]) + ink * coverage[:, :, None]).astype(np.uint8)

    for row in range(44):  # sidebar entries and their icons
        y = 50 + row * 22
        img[y : y + 12, 16:28] = rng.integers(60, 200, 3)
        text(y, 36, int(rng.integers(10, 28)), np.array([236, 238, 242.0]))
    for k in range(3):
        for line in range(10):
            y = 80 + k * 320 + 44 + line * 22
            text(y, 336, int(rng.integers(40, 90)), np.array([255, 255, 255.0]))
    for line in range(40):  # a code pane on the right
        text(80 + line * 22, 1500, int(rng.integers(10, 50)), np.array([248, 248, 248.0]))
    img[560:960, 1120:1760] = _photo_pixels(rng, 400, 640)
    return img


def rgba_array() -> np.ndarray:
    """A 4000 x 3000 x 4 float64 RGBA array in 0..1."""
    rng = np.random.default_rng(7)
    height, width = 4000, 3000
    rgb = _smooth(rng, height, width, 12) * 0.8 + rng.random((height, width, 3)) * 0.2
    alpha = np.linspace(0.2, 1.0, width)[None, :, None] * np.ones((height, 1, 1))
    return np.concatenate([rgb, alpha], axis=2)


def make_inputs(folder: Path, screens: int, photos: int) -> dict[str, list]:
    """Write the PNG and JPEG files; return paths and arrays."""
    from PIL import Image

    arrays = [screenshot(seed) for seed in range(screens)]
    pngs, jpegs = [], []
    for k, array in enumerate(arrays):
        path = folder / f"screen{k:02d}.png"
        Image.fromarray(array).save(path)
        pngs.append(path)
    for k in range(photos):
        path = folder / f"photo{k}.jpg"
        Image.fromarray(_photo_pixels(np.random.default_rng(100 + k), 3000, 4000)).save(path, quality=90)
        jpegs.append(path)
    return {"png": pngs, "jpeg": jpegs, "arrays": arrays}


# Writers ------------------------------------------------------------------------------


def pdfwriter_files(files: list[Path], out: Path) -> None:
    from pdfwriter.image.convert import images_to_pdf

    images_to_pdf(files, out, dpi=96)


def pdfwriter_arrays(arrays: list[np.ndarray], out: Path) -> None:
    import pdfwriter

    with pdfwriter.Document(out) as doc:
        for array in arrays:
            h, w = array.shape[:2]
            doc.add_page((w * PT, h * PT)).image(array, 0, 0, w * PT, h * PT)


def img2pdf_files(files: list[Path], out: Path) -> None:
    import img2pdf

    out.write_bytes(img2pdf.convert([str(f) for f in files]))


def img2pdf_arrays(arrays: list[np.ndarray], out: Path) -> None:
    import img2pdf
    from PIL import Image

    encoded = []
    for array in arrays:
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, "PNG")
        encoded.append(buffer.getvalue())
    out.write_bytes(img2pdf.convert(encoded))


def _size_of(source) -> tuple[int, int]:
    from PIL import Image

    if isinstance(source, Path):
        with Image.open(source) as image:
            return image.size
    return source.size


def fpdf_images(sources: list, out: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    for source in sources:
        w, h = _size_of(source)
        pdf.add_page(format=(w * PT, h * PT))
        pdf.image(source if not isinstance(source, Path) else str(source), 0, 0, w * PT, h * PT)
    pdf.output(str(out))


def reportlab_images(sources: list, out: Path) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(out))
    for source in sources:
        w, h = _size_of(source)
        pdf.setPageSize((w * PT, h * PT))
        pdf.drawImage(str(source) if isinstance(source, Path) else ImageReader(source), 0, 0, w * PT, h * PT)
        pdf.showPage()
    pdf.save()


def matplotlib_images(sources: list, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    with PdfPages(out) as pdf:
        for source in sources:
            array = plt.imread(source) if isinstance(source, Path) else source
            h, w = array.shape[:2]
            fig = Figure(figsize=(w / 96, h / 96), dpi=96)
            fig.figimage(array, resize=False)
            pdf.savefig(fig)


def pil_images(arrays: list[np.ndarray]) -> list:
    from PIL import Image

    return [Image.fromarray(array) for array in arrays]


def rgba_pdfwriter(array: np.ndarray, out: Path) -> None:
    pdfwriter_arrays([array], out)


def rgba_matplotlib(array: np.ndarray, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    h, w = array.shape[:2]
    fig = Figure(figsize=(w / 96, h / 96), dpi=96)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.imshow(array, interpolation="none")
    fig.savefig(out, format="pdf")


def rgba_fpdf(array: np.ndarray, out: Path) -> None:
    from PIL import Image

    pixels = np.round(array * 255).astype(np.uint8)
    fpdf_images([Image.fromarray(pixels, "RGBA")], out)


# Running ------------------------------------------------------------------------------


def timed(job: Callable[[Path], None], out: Path, runs: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds (all threads) of `runs` calls writing `out`, and the file's size."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        job(out)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu), out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run each, 5 screenshots and 2 photos")
    parser.add_argument("--runs", type=int, default=None, help="runs per row (default 3, 1 with --quick)")
    parser.add_argument("--only", default="", help="comma-separated jobs: screenshots-png, photos-jpeg, screenshots-npy, rgba")
    parser.add_argument("--keep", metavar="DIR", help="keep the inputs and PDFs in DIR")
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 3)
    jobs = [j for j in args.only.split(",") if j] or ["screenshots-png", "photos-jpeg", "screenshots-npy", "rgba"]
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_images."))
    folder.mkdir(parents=True, exist_ok=True)
    screens, photos = (5, 2) if args.quick else (20, 5)
    print(f"making inputs in {folder} ...", flush=True)
    inputs = make_inputs(folder, screens, photos)
    png_bytes = sum(p.stat().st_size for p in inputs["png"])
    jpeg_bytes = sum(p.stat().st_size for p in inputs["jpeg"])
    print(f"{screens} PNG screenshots: {fmt_bytes(png_bytes)}; {photos} JPEG photos: {fmt_bytes(jpeg_bytes)}")
    print("versions: " + ", ".join(f"{d} {dist_version(d)}" for d in
                                   ("pdfwriter", "img2pdf", "fpdf2", "reportlab", "matplotlib", "pillow", "numpy")))

    warm = folder / "warm.pdf"  # imports and first-call costs stay out of the clock
    for job in (pdfwriter_files, img2pdf_files, fpdf_images, reportlab_images, matplotlib_images):
        job(inputs["png"][:1], warm)
    pdfwriter_arrays(inputs["arrays"][:1], warm)

    table: dict[str, list[tuple[str, Callable[[Path], None]]]] = {
        "screenshots-png": [
            ("pdfwriter", lambda out: pdfwriter_files(inputs["png"], out)),
            ("img2pdf", lambda out: img2pdf_files(inputs["png"], out)),
            ("fpdf2", lambda out: fpdf_images(inputs["png"], out)),
            ("ReportLab", lambda out: reportlab_images(inputs["png"], out)),
            ("matplotlib", lambda out: matplotlib_images(inputs["png"], out)),
        ],
        "photos-jpeg": [
            ("pdfwriter", lambda out: pdfwriter_files(inputs["jpeg"], out)),
            ("img2pdf", lambda out: img2pdf_files(inputs["jpeg"], out)),
            ("fpdf2", lambda out: fpdf_images(inputs["jpeg"], out)),
            ("ReportLab", lambda out: reportlab_images(inputs["jpeg"], out)),
            ("matplotlib", lambda out: matplotlib_images(inputs["jpeg"], out)),
        ],
        "screenshots-npy": [
            ("pdfwriter", lambda out: pdfwriter_arrays(inputs["arrays"], out)),
            ("img2pdf (Pillow PNG first)", lambda out: img2pdf_arrays(inputs["arrays"], out)),
            ("fpdf2", lambda out: fpdf_images(pil_images(inputs["arrays"]), out)),
            ("ReportLab", lambda out: reportlab_images(pil_images(inputs["arrays"]), out)),
            ("matplotlib", lambda out: matplotlib_images(inputs["arrays"], out)),
        ],
    }
    if "rgba" in jobs:
        array = rgba_array()
        table["rgba"] = [
            ("pdfwriter", lambda out: rgba_pdfwriter(array, out)),
            ("fpdf2 (uint8 + PIL)", lambda out: rgba_fpdf(array, out)),
            ("matplotlib imshow", lambda out: rgba_matplotlib(array, out)),
        ]
    rows = []
    for job in jobs:
        base = None
        for label, write in table[job]:
            out = folder / f"{job}-{label.split()[0].lower()}.pdf"
            seconds, cpu, size = timed(write, out, runs)
            base = base or (seconds, cpu, size)
            rows.append([job, label, f"{seconds:.3f} s", f"{cpu:.3f} s", fmt_bytes(size), ratio(seconds, base[0]),
                         ratio(cpu, base[1]), ratio(size, base[2])])
            print(f"  {job:16s} {label:28s} {seconds:7.3f} s  cpu {cpu:7.3f} s  {size:>11,d} bytes", flush=True)
    print(f"\nmedian of {runs} run(s); ratios are each row's figure over pdfwriter's in the same job; cpu is the")
    print(f"process's CPU time over all its threads (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} processors)")
    print_table(["job", "library", "time", "cpu", "size", "time ratio", "cpu ratio", "size ratio"], rows)
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
