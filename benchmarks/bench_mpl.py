#!/usr/bin/env python
"""Large matplotlib figures saved through matplotlib's PDF backend and through pdfwriter.mpl, side by side.

    python benchmarks/bench_mpl.py               # full sizes, median of 3 runs
    python benchmarks/bench_mpl.py --quick       # sizes / 10 (10 pages), one run
    python benchmarks/bench_mpl.py --only scatter,imshow
    python benchmarks/bench_mpl.py --keep DIR    # keep the PDF files
    python benchmarks/bench_mpl.py --floor       # also time matplotlib's own share (see below)

Workloads (one 8 x 6 in figure each, fixed seeds):
  line      ax.plot of a 1,000,000-point random walk (default path simplification on)
  scatter   ax.scatter of 100,000 points, colour-mapped values, sizes 4-100 pt^2
  mesh      ax.pcolormesh of a 500 x 500 random array (viridis)
  imshow    ax.imshow of a 3000 x 4000 array (a smooth field plus 10% noise, viridis) with
            interpolation="none", so the whole image is embedded at its own resolution
  imshow_rgba  ax.imshow of a 3000 x 4000 x 4 float RGBA array (smooth colour fields, 10% noise,
            an alpha ramp), interpolation="none"
  labels    2,000 ax.text labels at random places
  pages     100 figures (a line plot with title and labels) through PdfPages
  corpus    the 32 figures of the fidelity tests (tests/mpl_figures.py), each saved to its own
            file: total time and total size

Figures are built before the clock; the time is savefig alone (for pages: PdfPages from
opening to close). Both backends run in the same process, after a warm-up that loads fonts.
Each row prints both times and sizes and the ratios matplotlib / pdfwriter for time (higher
is faster) and pdfwriter / matplotlib for size (lower is smaller). Targets, reported not
asserted: 10x faster on scatter, mesh and imshow, no slower anywhere, files at most 0.8x.

--floor adds a third run of each workload through pdfwriter.mpl with a renderer that
measures text as pdfwriter does but draws nothing: what is left is matplotlib's own share of
a save (artist drawing, tick and text layout, colour mapping and image conversion, and the
cleaning of paths: NaN removal, clipping and simplification, which matplotlib's backend runs
as it writes each path), which every backend pays, plus measuring the text. The table then shows it and the largest
speed-up a backend measuring as pdfwriter does could reach, matplotlib's time over that
floor.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages as MplPdfPages  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import pdfwriter.mpl  # noqa: E402

OURS = "module://pdfwriter.mpl"
FULL = {"line": 1_000_000, "scatter": 100_000, "mesh": 500, "imshow": (3000, 4000),
        "imshow_rgba": (3000, 4000), "labels": 2000, "pages": 100,
        "corpus": 1}
SPEED_TARGETS = {"scatter": 10.0, "mesh": 10.0, "imshow": 10.0, "imshow_rgba": 10.0, "corpus": 2.0}
SIZE_TARGET = 0.8


def _size(name: str, quick: bool):
    n = FULL[name]
    if not quick:
        return n
    if isinstance(n, tuple):
        return tuple(v // 10 for v in n)
    if name == "corpus":
        return n
    return max(n // 10, 10) if name != "mesh" else n // 10 * 3


def build(name: str, n) -> Figure:
    rng = np.random.default_rng(0)
    fig = Figure(figsize=(8, 6))
    ax = fig.add_subplot()
    if name == "line":
        ax.plot(np.arange(n), np.cumsum(rng.normal(size=n)))
    elif name == "scatter":
        x, y = rng.normal(size=(2, n))
        ax.scatter(x, y, c=rng.random(n), s=rng.uniform(4, 100, n), cmap="viridis")
    elif name == "mesh":
        ax.pcolormesh(rng.random((n, n)), cmap="viridis")
    elif name == "imshow":
        y, x = np.mgrid[0 : n[0], 0 : n[1]]
        field = np.sin(x / 150.0) * np.cos(y / 110.0) + 0.1 * rng.random(n)
        ax.imshow(field, cmap="viridis", interpolation="none")
    elif name == "imshow_rgba":
        y, x = np.mgrid[0 : n[0], 0 : n[1]]
        rgba = np.empty((*n, 4))
        rgba[..., 0] = 0.5 + 0.5 * np.sin(x / 150.0)
        rgba[..., 1] = 0.5 + 0.5 * np.cos(y / 110.0)
        rgba[..., 2] = 0.5 + 0.5 * np.sin((x + y) / 200.0)
        rgba[..., :3] = np.clip(rgba[..., :3] * 0.9 + 0.1 * rng.random((*n, 3)), 0, 1)
        rgba[..., 3] = np.linspace(0.2, 1.0, n[1])[None, :]
        ax.imshow(rgba, interpolation="none")
    elif name == "labels":
        for k in range(n):
            ax.text(rng.random(), rng.random(), f"label {k}", fontsize=6)
    return fig


def _page_figure(k: int) -> Figure:
    fig = Figure(figsize=(8, 6))
    ax = fig.add_subplot()
    x = np.linspace(0, 10, 200)
    ax.plot(x, np.sin(x + k / 10))
    ax.set_title(f"Page {k + 1}")
    ax.set_xlabel("x")
    ax.set_ylabel("sin(x)")
    return fig


def _corpus() -> dict:
    """The fidelity tests' figure makers, by name."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "tests"))
    from mpl_figures import FIGURES

    return FIGURES


class _DrawsNothing(pdfwriter.mpl.RendererPdfwriter):
    """pdfwriter's matplotlib renderer with every drawing call a no-op (text is still measured,
    paths cleaned as matplotlib's backend cleans them)."""

    def _nothing(self, *args, **kwargs) -> None:
        return None

    def draw_path(self, gc, path, transform, rgbFace=None) -> None:
        unfilled = rgbFace is None and not gc.get_hatch()
        path.cleaned(transform=transform, remove_nans=True, clip=self._page_box if unfilled else None,
                     simplify=path.should_simplify if unfilled else False, curves=True,
                     sketch=gc.get_sketch_params())

    draw_markers = draw_path_collection = draw_quad_mesh = _nothing
    draw_gouraud_triangles = draw_image = draw_text = draw_mathtext = draw_tex = _nothing


FLOOR = "floor"


def run_once(name: str, n, backend: str, path: str) -> tuple[float, int]:
    """(seconds, bytes) of one save of workload `name` through `backend` (or FLOOR) into `path`."""
    if backend != FLOOR:
        return _run_once(name, n, backend, path)
    from pdfwriter.mpl import backend as ours

    ours.RendererPdfwriter = _DrawsNothing
    try:
        return _run_once(name, n, OURS, path)
    finally:
        ours.RendererPdfwriter = pdfwriter.mpl.RendererPdfwriter


def _run_once(name: str, n, backend: str, path: str) -> tuple[float, int]:
    """(seconds, bytes) of one save of workload `name` through `backend` into `path`.

    pdfwriter's cache of text layouts is emptied first: each run starts as a
    first save of its strings would (within a run, repeated strings still hit it).
    """
    pdfwriter.mpl.renderer._TEXT_CACHE.clear()
    if name == "corpus":
        total, size = 0.0, 0
        for key, make in _corpus().items():
            fig = make()
            target = f"{path[:-4]}-{key}.pdf"
            gc.collect()
            start = time.perf_counter()
            fig.savefig(target, format="pdf", backend=backend if backend == OURS else "pdf")
            total += time.perf_counter() - start
            size += os.path.getsize(target)
            plt.close("all")
        return total, size
    if name == "pages":
        figures = [_page_figure(k) for k in range(n)]
        gc.collect()
        start = time.perf_counter()
        pages_class = pdfwriter.mpl.PdfPages if backend == OURS else MplPdfPages
        with pages_class(path) as pages:
            for fig in figures:
                pages.savefig(fig)
        return time.perf_counter() - start, os.path.getsize(path)
    fig = build(name, n)
    gc.collect()
    start = time.perf_counter()
    fig.savefig(path, format="pdf", backend=backend if backend == OURS else "pdf", dpi=100)
    elapsed = time.perf_counter() - start
    plt.close("all")
    return elapsed, os.path.getsize(path)


def measure(name: str, quick: bool, runs: int, folder: str, floor: bool = False) -> dict[str, tuple[float, int]]:
    n = _size(name, quick)
    result = {}
    for label, backend in (("matplotlib", "pdf"), ("pdfwriter", OURS), ("floor", FLOOR))[: 3 if floor else 2]:
        path = os.path.join(folder, f"{name}-{label}.pdf")
        runs_done = [run_once(name, n, backend, path) for _ in range(runs)]
        result[label] = (statistics.median(t for t, _ in runs_done), runs_done[-1][1])
        print(f"  {name:8s} {label:10s} {result[label][0]:8.2f} s {result[label][1] / 1e6:9.3f} MB", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes / 10, one run")
    parser.add_argument("--only", default="", help="comma-separated workloads: " + ",".join(FULL))
    parser.add_argument("--runs", type=int, default=None, help="runs per backend (median); default 3, 1 with --quick")
    parser.add_argument("--keep", default=None, help="folder to keep the PDF files in")
    parser.add_argument("--floor", action="store_true", help="also time matplotlib's own share (a renderer drawing nothing)")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(FULL)
    unknown = set(names) - set(FULL)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    runs = args.runs or (1 if args.quick else 3)
    folder = args.keep or tempfile.mkdtemp(prefix="bench_mpl-")
    os.makedirs(folder, exist_ok=True)
    warm = build("labels", 5)
    for backend in ("pdf", OURS):
        warm.savefig(os.path.join(folder, "warm-up.pdf"), format="pdf", backend=backend)
    print(f"matplotlib {matplotlib.__version__}, {'quick' if args.quick else 'full'} sizes, {runs} run(s); files in {folder}")
    results: dict[str, dict[str, tuple[float, int]]] = {}
    for name in names:
        results[name] = measure(name, args.quick, runs, folder, args.floor)
    print()
    floor_head = f" {'floor s':>8s} {'at most':>8s}" if args.floor else ""
    print(f"{'workload':9s} {'mpl s':>8s} {'ours s':>8s} {'speed-up':>9s}{floor_head} {'mpl MB':>9s} {'ours MB':>9s} "
          f"{'size':>6s}  targets")
    for name, r in results.items():
        (mt, ms), (ot, os_) = r["matplotlib"], r["pdfwriter"]
        speed, size = mt / ot, os_ / ms
        wanted = SPEED_TARGETS.get(name, 1.0)
        verdict = ("ok" if speed >= wanted else f"below {wanted:g}x") + ", " + (
            "ok" if size <= SIZE_TARGET else f"size above {SIZE_TARGET}x")
        floor_cells = ""
        if args.floor:
            ft = r["floor"][0]
            floor_cells = f" {ft:8.2f} {mt / ft:7.1f}x"
        print(f"{name:9s} {mt:8.2f} {ot:8.2f} {speed:8.1f}x{floor_cells} {ms / 1e6:9.3f} {os_ / 1e6:9.3f} {size:5.2f}x  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
