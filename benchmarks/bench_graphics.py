#!/usr/bin/env python
"""Benchmark pdfwriter's drawing against matplotlib's PDF backend on the same plots, side by side.

    python benchmarks/bench_graphics.py                 # full sizes, median of 3 runs
    python benchmarks/bench_graphics.py --quick         # sizes / 10, one run
    python benchmarks/bench_graphics.py --only scatter  # one workload (comma-separate several)
    python benchmarks/bench_graphics.py --profile mesh  # cProfile of pdfwriter on one workload ('all')

Workloads (one 8 x 6 in page; the data fill the same 504 x 360 pt box at (36, 36) in both
libraries; matplotlib's axes are switched off so both files hold only the data):
  line             A 1,000,000-vertex polyline (a random walk, fixed seed), 1 pt wide:
                   pdfwriter page.line(xy) without simplification vs matplotlib ax.plot with
                   rcParams['path.simplify'] = False.
  line-simplified  The same line: pdfwriter page.line(xy, simplify=0.1) (tolerance 0.1 pt) vs
                   matplotlib's default simplification (threshold 1/9 px = 1/9 pt at the PDF
                   backend's 72 dpi).
  scatter          100,000 'o' markers with per-point RGB colours and diameters (2-10 pt):
                   pdfwriter page.markers(xy, 'o', size=d, fill=rgb) vs matplotlib
                   ax.scatter(x, y, s=d**2, c=rgb) (its defaults also stroke every marker's edge
                   in the face colour, 1.5 pt wide; a second matplotlib row uses linewidths=0).
  mesh             A 500 x 500 quad mesh with per-quad colours (viridis): pdfwriter builds the
                   250,000 quad Paths (and the colours, through a 256-entry viridis table) and
                   calls page.renderer.draw_path_collection(GraphicsContext(stroke=None), paths,
                   master_transform=..., fills=...); vs matplotlib ax.pcolormesh(z).

Timing: each (workload, variant) runs in a fresh subprocess, after a warm-up on tiny inputs
(imports, font and backend set-up are not timed). Inputs are built before the clock. The
pdfwriter time covers Document() to close() (plus building the Paths and colours for the mesh,
reported as its own phase); the matplotlib time covers Figure() to the end of savefig (its
savefig phase is reported separately). Wall-clock medians of 3 runs (1 with --quick).

Then, not timed in the main table:
  * matplotlib breakdown: one instrumented savefig per matplotlib variant: time inside the
    outermost RendererPdf.draw_* calls, the rest of Figure.draw (artists), PdfFile.finalize
    (deferred objects: XObject templates, fonts, xref), and time in zlib (backend_pdf's zlib
    is swapped for a timing shim), split between drawing and finalize;
  * pdfwriter at zlib levels 1, 3 (the default is 6, and 4 for streams of 1 MiB or more) and with
    compress=False;
  * the zlib floor: each library's file is written once uncompressed, its streams are read back
    with pikepdf, and zlib.compress at levels 1, 3, 6 is timed on those bytes alone;
  * sanity checks: operator counts in the uncompressed content, and first pages rendered with
    pypdfium2 at 50 dpi (ink coverage and mean pixel difference, pdfwriter vs matplotlib).
Targets (reported, not asserted): line in at most 1/3 of matplotlib's time, scatter and mesh in
at most 1/10, files no larger than matplotlib's.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402
from _common import dist_version, fmt_bytes, print_table  # noqa: E402

FULL = {"line": 1_000_000, "line-simplified": 1_000_000, "scatter": 100_000, "mesh": 500}
WORKLOADS = list(FULL)
FIG_IN = (8.0, 6.0)
PAGE = (FIG_IN[0] * 72, FIG_IN[1] * 72)  # 576 x 432 pt
BOX = (36.0, 36.0, 504.0, 360.0)  # x, y, width, height in points: where the data go
AX_RECT = [BOX[0] / PAGE[0], BOX[1] / PAGE[1], BOX[2] / PAGE[0], BOX[3] / PAGE[1]]
MPL_BLUE = "#1f77b4"  # matplotlib's C0
SIMPLIFY_PT = 0.1
TARGETS = {"line": 3.0, "line-simplified": 3.0, "scatter": 10.0, "mesh": 10.0}
ZLIB_LEVELS = (1, 3, 6)

# --------------------------------------------------------------------------------------
# Shared inputs (fixed seeds; built before the clock)
# --------------------------------------------------------------------------------------


def workload_size(name: str, quick: bool) -> int:
    n = FULL[name]
    if not quick:
        return n
    return int(round(n / 10**0.5)) if name == "mesh" else n // 10  # mesh: side, so quads / 10


def make_inputs(name: str, n: int) -> dict:
    if name.startswith("line"):
        rng = np.random.default_rng(1)
        x = np.arange(n, dtype=np.float64)
        y = np.cumsum(rng.standard_normal(n))
        return {"x": x, "y": y, "xlim": (0.0, float(n - 1)), "ylim": (float(y.min()), float(y.max()))}
    if name == "scatter":
        rng = np.random.default_rng(2)
        x, y = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
        return {"x": x, "y": y, "d": rng.uniform(2, 10, n), "rgb": rng.uniform(0, 1, (n, 3)),
                "xlim": (0.0, 1.0), "ylim": (0.0, 1.0)}
    if name == "mesh":
        rng = np.random.default_rng(3)
        yy, xx = np.mgrid[0:n, 0:n] / n
        z = np.sin(6 * xx) * np.cos(4 * yy) + 0.15 * rng.standard_normal((n, n))
        from matplotlib import colormaps  # the LUT only; pdfwriter maps the values itself

        lut = colormaps["viridis"](np.linspace(0, 1, 256))
        return {"z": z, "lut": lut, "xlim": (0.0, float(n)), "ylim": (0.0, float(n))}
    raise ValueError(name)


def data_to_page(inputs: dict) -> np.ndarray:
    """The affine (a, b, c, d, e, f) mapping data limits onto BOX, as matplotlib's transData does."""
    (x0, x1), (y0, y1) = inputs["xlim"], inputs["ylim"]
    sx, sy = BOX[2] / (x1 - x0), BOX[3] / (y1 - y0)
    return np.array([sx, 0.0, 0.0, sy, BOX[0] - x0 * sx, BOX[1] - y0 * sy])


# --------------------------------------------------------------------------------------
# pdfwriter: each returns its phases in seconds
# --------------------------------------------------------------------------------------


def pdfw_line(path: str, inputs: dict, simplify: float | None = None, **doc) -> dict:
    import pdfwriter

    a, _, _, d, e, f = data_to_page(inputs)
    t0 = time.perf_counter()
    with pdfwriter.Document(path, **doc) as document:
        page = document.add_page(PAGE)
        xy = np.column_stack([inputs["x"] * a + e, inputs["y"] * d + f])
        page.line(xy, line_width=1.0, stroke=MPL_BLUE, join="round", cap="projecting", simplify=simplify)
        t1 = time.perf_counter()
    t2 = time.perf_counter()
    return {"draw": t1 - t0, "finish": t2 - t1}


def pdfw_scatter(path: str, inputs: dict, **doc) -> dict:
    import pdfwriter

    a, _, _, d, e, f = data_to_page(inputs)
    t0 = time.perf_counter()
    with pdfwriter.Document(path, **doc) as document:
        page = document.add_page(PAGE)
        xy = np.column_stack([inputs["x"] * a + e, inputs["y"] * d + f])
        with page.clip(BOX):  # matplotlib clips collections to the axes box too
            page.markers(xy, "o", size=inputs["d"], fill=inputs["rgb"])
        t1 = time.perf_counter()
    t2 = time.perf_counter()
    return {"draw": t1 - t0, "finish": t2 - t1}


def build_quads(inputs: dict) -> tuple[list, np.ndarray]:
    """The mesh's quad Paths (data coordinates, row by row like pcolormesh) and RGBA fills."""
    from pdfwriter.graphics.path import Path

    z, lut = inputs["z"], inputs["lut"]
    lo, hi = z.min(), z.max()
    index = np.clip(((z - lo) / (hi - lo) * 256).astype(np.intp), 0, 255)  # matplotlib's N=256 rule
    fills = lut[index.ravel()]
    side = z.shape[0]
    jj, ii = np.mgrid[0:side, 0:side]  # row j (y), column i (x)
    corners = np.stack([np.stack([ii, jj], -1), np.stack([ii + 1, jj], -1), np.stack([ii + 1, jj + 1], -1),
                        np.stack([ii, jj + 1], -1), np.stack([ii, jj], -1)], axis=2)
    vertices = corners.reshape(-1, 5, 2).astype(np.float64)
    codes = np.array([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY], dtype=np.uint8)
    return [Path(v, codes) for v in vertices], fills


def pdfw_mesh(path: str, inputs: dict, **doc) -> dict:
    t0 = time.perf_counter()
    paths, fills = build_quads(inputs)
    t1 = time.perf_counter()
    return {"build": t1 - t0, **write_quads(path, inputs, paths, fills, **doc)}


def write_quads(path: str, inputs: dict, paths: list, fills: np.ndarray, **doc) -> dict:
    """Draw prebuilt quad Paths as one path collection and write the file."""
    import pdfwriter
    from pdfwriter.graphics.gstate import GraphicsContext

    t0 = time.perf_counter()
    with pdfwriter.Document(path, **doc) as document:
        page = document.add_page(PAGE)
        page.renderer.draw_path_collection(GraphicsContext(stroke=None), paths,
                                           master_transform=data_to_page(inputs), fills=fills)
        t1 = time.perf_counter()
    t2 = time.perf_counter()
    return {"draw": t1 - t0, "finish": t2 - t1}


# --------------------------------------------------------------------------------------
# matplotlib: Figure() to the end of savefig
# --------------------------------------------------------------------------------------


def _mpl_figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIG_IN)
    ax = fig.add_axes(AX_RECT)
    ax.set_axis_off()
    return fig, ax


def _mpl_save(fig, ax, inputs: dict, path: str, t0: float) -> dict:
    ax.set_xlim(*inputs["xlim"])
    ax.set_ylim(*inputs["ylim"])
    t1 = time.perf_counter()
    fig.savefig(path, format="pdf")
    t2 = time.perf_counter()
    return {"build": t1 - t0, "savefig": t2 - t1}


def mpl_line(path: str, inputs: dict, simplify: bool = False, compression: int = 6) -> dict:
    import matplotlib

    with matplotlib.rc_context({"path.simplify": simplify, "pdf.compression": compression}):
        t0 = time.perf_counter()
        fig, ax = _mpl_figure()
        ax.plot(inputs["x"], inputs["y"], lw=1.0, color=MPL_BLUE)
        return _mpl_save(fig, ax, inputs, path, t0)


def mpl_scatter(path: str, inputs: dict, linewidths: float | None = None, compression: int = 6) -> dict:
    import matplotlib

    with matplotlib.rc_context({"pdf.compression": compression}):
        t0 = time.perf_counter()
        fig, ax = _mpl_figure()
        ax.scatter(inputs["x"], inputs["y"], s=inputs["d"] ** 2, c=inputs["rgb"], linewidths=linewidths)
        return _mpl_save(fig, ax, inputs, path, t0)


def mpl_mesh(path: str, inputs: dict, compression: int = 6) -> dict:
    import matplotlib

    with matplotlib.rc_context({"pdf.compression": compression}):
        t0 = time.perf_counter()
        fig, ax = _mpl_figure()
        ax.pcolormesh(inputs["z"])
        return _mpl_save(fig, ax, inputs, path, t0)


# (label, function, keyword arguments); the first row of each workload is the pdfwriter
# baseline, the second the matplotlib comparison that the targets refer to.
VARIANTS: dict[str, list[tuple[str, str, dict]]] = {
    "line": [("pdfwriter", "pdfw_line", {}),
             ("matplotlib path.simplify=False", "mpl_line", {"simplify": False})],
    "line-simplified": [(f"pdfwriter simplify={SIMPLIFY_PT}", "pdfw_line", {"simplify": SIMPLIFY_PT}),
                        ("matplotlib default simplify", "mpl_line", {"simplify": True})],
    "scatter": [("pdfwriter", "pdfw_scatter", {}),
                ("matplotlib", "mpl_scatter", {}),
                ("matplotlib linewidths=0", "mpl_scatter", {"linewidths": 0.0})],
    "mesh": [("pdfwriter", "pdfw_mesh", {}),
             ("matplotlib", "mpl_mesh", {})],
}
# Extra pdfwriter rows (compression section): label suffix -> Document keywords.
PDFW_COMPRESSION = {"level 1": {"compression_level": 1}, "level 3": {"compression_level": 3},
                    "compress=False": {"compress": False}}


def runner(func_name: str):
    return globals()[func_name]


def warm_inputs(name: str) -> dict:
    return make_inputs(name, 16 if name == "mesh" else 2000)


# --------------------------------------------------------------------------------------
# Worker side
# --------------------------------------------------------------------------------------


def job_time(spec: dict) -> dict:
    """Time one variant: warm-up on tiny inputs, then `repeats` runs; phases per run."""
    func = runner(spec["func"])
    kwargs = dict(spec["kwargs"])
    path = spec["path"]
    func(path + ".warmup.pdf", warm_inputs(spec["workload"]), **kwargs)
    os.unlink(path + ".warmup.pdf")
    inputs = make_inputs(spec["workload"], spec["n"])
    runs = []
    for _ in range(spec["repeats"]):
        gc.collect()
        start = time.perf_counter()
        phases = func(path, inputs, **kwargs)
        phases["total"] = time.perf_counter() - start
        runs.append(phases)
    return {"runs": runs, "size": os.path.getsize(path)}


def job_mpl_breakdown(spec: dict) -> dict:
    """One instrumented matplotlib savefig: where its time goes."""
    import matplotlib.backends.backend_pdf as bpdf
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

    func = runner(spec["func"])
    kwargs = dict(spec["kwargs"])
    path = spec["path"]
    func(path + ".warmup.pdf", warm_inputs(spec["workload"]), **kwargs)
    os.unlink(path + ".warmup.pdf")
    inputs = make_inputs(spec["workload"], spec["n"])

    acc = {"figure_draw": 0.0, "renderer": 0.0, "finalize": 0.0, "close": 0.0,
           "zlib_draw": 0.0, "zlib_finalize": 0.0, "zlib_calls": 0, "renderer_calls": {}}
    state = {"depth": 0, "in_finalize": False}

    def timed(fn, key):
        def wrapper(*args, **kw):
            t = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                acc[key] += time.perf_counter() - t
        return wrapper

    def outermost(fn, name):
        def wrapper(*args, **kw):
            calls = acc["renderer_calls"]
            calls[name] = calls.get(name, 0) + 1
            if state["depth"]:
                return fn(*args, **kw)
            state["depth"] += 1
            t = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                acc["renderer"] += time.perf_counter() - t
                state["depth"] -= 1
        return wrapper

    def finalize_wrapper(fn):
        def wrapper(*args, **kw):
            state["in_finalize"] = True
            try:
                return timed(fn, "finalize")(*args, **kw)
            finally:
                state["in_finalize"] = False
        return wrapper

    class TimedCompressor:
        __slots__ = ("_c",)

        def __init__(self, level):
            self._c = zlib.compressobj(level)

        def _time(self, method, *args):
            t = time.perf_counter()
            out = method(*args)
            acc["zlib_finalize" if state["in_finalize"] else "zlib_draw"] += time.perf_counter() - t
            acc["zlib_calls"] += 1
            return out

        def compress(self, data):
            return self._time(self._c.compress, data)

        def flush(self, *args):
            return self._time(self._c.flush, *args)

    class ZlibShim:
        compressobj = TimedCompressor

        def __getattr__(self, name):
            return getattr(zlib, name)

    bpdf.zlib = ZlibShim()
    methods = ["draw_path", "draw_path_collection", "draw_markers", "draw_quad_mesh", "draw_image",
               "draw_text", "draw_gouraud_triangles"]
    for name in methods:
        fn = getattr(bpdf.RendererPdf, name, None) or getattr(RendererBase, name)
        setattr(bpdf.RendererPdf, name, outermost(fn, name))
    Figure.draw = timed(Figure.draw, "figure_draw")
    bpdf.PdfFile.finalize = finalize_wrapper(bpdf.PdfFile.finalize)
    bpdf.PdfFile.close = timed(bpdf.PdfFile.close, "close")

    gc.collect()
    start = time.perf_counter()
    phases = func(path, inputs, **kwargs)
    acc["total"] = time.perf_counter() - start
    acc.update(phases)
    return acc


def _stream_bytes(path: str) -> tuple[bytes, list[bytes]]:
    """(first page's content, every stream's decoded bytes) of a PDF, read with pikepdf."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
        streams = [obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream)]
    return content, streams


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def job_zlib(spec: dict) -> dict:
    """Write both libraries' files uncompressed (not timed), then time zlib alone on their bytes."""
    workload, n, outdir, repeats = spec["workload"], spec["n"], spec["dir"], spec["repeats"]
    inputs = make_inputs(workload, n)
    variants = VARIANTS[workload][:2]
    out = {}
    for label, func_name, kwargs in variants:
        path = os.path.join(outdir, f"{workload}-{slug(label)}-uncompressed.pdf")
        func = runner(func_name)
        if func_name.startswith("pdfw"):
            func(path, inputs, compress=False, **kwargs)
        else:
            func(path, inputs, compression=0, **kwargs)
        content, streams = _stream_bytes(path)
        lib = "pdfwriter" if func_name.startswith("pdfw") else "matplotlib"
        entry = {"label": label, "content_len": len(content), "streams": len(streams),
                 "streams_len": sum(map(len, streams)), "counts": op_counts(content), "levels": {}}
        for level in ZLIB_LEVELS:
            packed = zlib.compress(content, level)
            t_content = _median_time(lambda: zlib.compress(content, level), repeats)
            t_all = _median_time(lambda: [zlib.compress(s, level) for s in streams], repeats)
            sizes_all = sum(len(zlib.compress(s, level)) for s in streams)
            entry["levels"][level] = {"content_time": t_content, "content_size": len(packed),
                                      "all_time": t_all, "all_size": sizes_all}
        out[lib] = entry
    return out


def op_counts(content: bytes) -> dict:
    """Rough operator counts of a content stream (space/newline-separated tokens)."""
    tokens = content.split()
    counts = {}
    for op in (b"m", b"l", b"c", b"Do", b"f", b"re", b"S", b"B", b"cm", b"rg"):
        counts[op.decode()] = 0
    for token in tokens:
        key = token.decode("latin-1")
        if key in counts:
            counts[key] += 1
    return counts


def job_render(spec: dict) -> dict:
    """Render first pages with pypdfium2; compare pdfwriter and matplotlib pixel by pixel."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return {"error": "pypdfium2 is not installed"}

    def render(path: str, dpi: float) -> np.ndarray:
        doc = pdfium.PdfDocument(path)
        try:
            bitmap = doc[0].render(scale=dpi / 72)
            arr = np.asarray(bitmap.to_pil().convert("RGB")).astype(np.int16)  # to_numpy() is BGR(A)
        finally:
            doc.close()
        return arr

    def poppler_ink(path: str, dpi: float) -> float | None:
        """Ink coverage of poppler's render (pdftoppm), a second opinion; None if unavailable."""
        if not shutil.which("pdftoppm"):
            return None
        with tempfile.TemporaryDirectory() as tmp:
            stem = os.path.join(tmp, "page")
            done = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", path, stem],
                                  capture_output=True, timeout=600)
            if done.returncode != 0:
                return None
            from PIL import Image

            image = np.asarray(Image.open(stem + ".png").convert("RGB"))
        return float((image.min(axis=2) < 240).mean())

    out = {}
    for name, a_path, b_path, dpi in spec["pairs"]:
        try:
            a, b = render(a_path, dpi), render(b_path, dpi)
        except Exception as exc:  # noqa: BLE001 - report, never fail
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        ink_a = float((a.min(axis=2) < 240).mean())
        ink_b = float((b.min(axis=2) < 240).mean())
        entry = {"dpi": dpi, "shape": list(a.shape[:2]), "ink_a": ink_a, "ink_b": ink_b}
        try:
            entry["poppler"] = [poppler_ink(a_path, dpi), poppler_ink(b_path, dpi)]
        except Exception:  # noqa: BLE001 - a second opinion only
            entry["poppler"] = [None, None]
        if a.shape == b.shape:
            diff = np.abs(a - b)
            entry["mean_diff"] = float(diff.mean())
            entry["share_diff_gt32"] = float((diff.max(axis=2) > 32).mean())
        if spec.get("png_dir"):
            try:
                from PIL import Image

                both = np.concatenate([a, np.full((a.shape[0], 4, 3), 255, np.int16), b], axis=1)
                png = os.path.join(spec["png_dir"], f"render-{slug(name)}.png")
                Image.fromarray(both.astype(np.uint8)).save(png)
                entry["png"] = png
            except Exception:  # noqa: BLE001
                pass
        out[name] = entry
    return out


def worker(spec: dict) -> dict:
    return {"time": job_time, "mpl_breakdown": job_mpl_breakdown, "zlib": job_zlib,
            "render": job_render}[spec["job"]](spec)


# --------------------------------------------------------------------------------------
# Driver side
# --------------------------------------------------------------------------------------


def run_worker(spec: dict) -> dict:
    return _common.run_worker(os.path.abspath(__file__), spec)


def slug(label: str) -> str:
    return "".join(c if c.isalnum() or c in ".-" else "-" for c in label).strip("-")


def median_phases(result: dict) -> dict:
    keys = result["runs"][0].keys()
    return {k: statistics.median(r[k] for r in result["runs"]) for k in keys}


def phase_text(ph: dict) -> str:
    order = [("build", "build"), ("draw", "draw"), ("finish", "close"), ("savefig", "savefig")]
    return " + ".join(f"{label} {ph[k]:.3f}" for k, label in order if k in ph)


def profile(names: list[str], quick: bool, top: int) -> None:
    import cProfile
    import pstats

    import pdfwriter  # noqa: F401 - imports outside the profile

    for name in names:
        label, func_name, kwargs = VARIANTS[name][0]
        n = workload_size(name, quick)
        func = runner(func_name)
        size = f"{n}x{n} quads" if name == "mesh" else f"{n:,} points"
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "profile.pdf")
            func(path, warm_inputs(name), **kwargs)
            inputs = make_inputs(name, n)
            jobs = [(f"{label} on '{name}' ({size})", lambda: func(path, inputs, **kwargs))]
            if name == "mesh":  # the drawing alone, with the Paths built outside the profile
                paths, fills = build_quads(inputs)
                jobs.append((f"{label} on '{name}' ({size}), draw + close only (Paths prebuilt)",
                             lambda: write_quads(path, inputs, paths, fills)))
            for title, job in jobs:
                prof = cProfile.Profile()
                start = time.perf_counter()
                prof.enable()
                job()
                prof.disable()
                elapsed = time.perf_counter() - start
                print(f"\n== cProfile: {title}; {elapsed:.3f} s under the profiler")
                print(f"   top {top} by cumulative time:")
                stats = pstats.Stats(prof)
                stats.strip_dirs().sort_stats("cumulative").print_stats(top)
                print(f"   top {top} by own (internal) time:")
                stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes / 10 and a single run")
    parser.add_argument("--only", metavar="NAME",
                        help=f"run only these workloads (comma-separated): {', '.join(WORKLOADS)}")
    parser.add_argument("--profile", metavar="NAME", help="only cProfile pdfwriter on NAME (or 'all')")
    parser.add_argument("--top", type=int, default=10, help="rows of the --profile listings (default 10)")
    parser.add_argument("--keep", metavar="DIR", help="write the PDF files (and renders) to DIR and keep them")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    if args.profile:
        names = WORKLOADS if args.profile == "all" else args.profile.split(",")
        bad = [n for n in names if n not in VARIANTS]
        if bad:
            parser.error(f"unknown workload {bad[0]!r}; use one of {', '.join(WORKLOADS)} or 'all'")
        profile(names, args.quick, args.top)
        return
    names = WORKLOADS if not args.only else args.only.split(",")
    bad = [n for n in names if n not in VARIANTS]
    if bad:
        parser.error(f"unknown workload {bad[0]!r}; use one of {', '.join(WORKLOADS)}")
    repeats = 1 if args.quick else 3

    import importlib.util

    spec = importlib.util.find_spec("pdfwriter")
    where = os.path.dirname(spec.origin) if spec and spec.origin else "not found"
    print(f"Python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"pdfwriter {dist_version('pdfwriter')} (from {where}), matplotlib {dist_version('matplotlib')}, "
          f"numpy {dist_version('numpy')}, zlib {zlib.ZLIB_RUNTIME_VERSION}, pikepdf {dist_version('pikepdf')}, "
          f"pypdfium2 {dist_version('pypdfium2')}")
    print(f"wall time: median of {repeats} run(s); each (workload, variant) in a fresh subprocess; "
          "Flate level 6 in both libraries unless stated (pdfwriter: level 4 for streams of 1 MiB or more)")

    outdir = args.keep or tempfile.mkdtemp(prefix="bench_graphics_")
    os.makedirs(outdir, exist_ok=True)
    results: dict = {}
    extra: dict = {}
    breakdowns: dict = {}
    zfloor: dict = {}
    try:
        for name in names:
            n = workload_size(name, args.quick)
            results[name] = {}
            for label, func_name, kwargs in VARIANTS[name]:
                path = os.path.join(outdir, f"{name}-{slug(label)}.pdf")
                print(f"  timing {name} / {label} ...", file=sys.stderr, flush=True)
                r = run_worker({"job": "time", "workload": name, "func": func_name, "kwargs": kwargs,
                                "n": n, "repeats": repeats, "path": path})
                r["path"] = path
                results[name][label] = r
            base_label, base_func, base_kwargs = VARIANTS[name][0]
            extra[name] = {}
            for suffix, doc in PDFW_COMPRESSION.items():
                path = os.path.join(outdir, f"{name}-pdfwriter-{slug(suffix)}.pdf")
                print(f"  timing {name} / {base_label} {suffix} ...", file=sys.stderr, flush=True)
                extra[name][suffix] = run_worker({"job": "time", "workload": name, "func": base_func,
                                                  "kwargs": {**base_kwargs, **doc}, "n": n,
                                                  "repeats": repeats, "path": path})
            breakdowns[name] = {}
            for label, func_name, kwargs in VARIANTS[name][1:]:
                print(f"  instrumented savefig {name} / {label} ...", file=sys.stderr, flush=True)
                breakdowns[name][label] = run_worker({
                    "job": "mpl_breakdown", "workload": name, "func": func_name, "kwargs": kwargs, "n": n,
                    "path": os.path.join(outdir, f"{name}-{slug(label)}-instrumented.pdf")})
            print(f"  zlib floor {name} ...", file=sys.stderr, flush=True)
            zfloor[name] = run_worker({"job": "zlib", "workload": name, "n": n, "dir": outdir,
                                       "repeats": repeats})

        # ---- main table ----------------------------------------------------------------
        print("\n== Results (time = median wall time; ratios are matplotlib / pdfwriter, so > 1 "
              "means pdfwriter is faster / smaller)")
        rows = []
        for name in names:
            n = workload_size(name, args.quick)
            size_text = f"{n}x{n}" if name == "mesh" else f"{n:,}"
            base = results[name][VARIANTS[name][0][0]]
            bt = median_phases(base)
            for label, r in results[name].items():
                ph = median_phases(r)
                is_base = r is base
                runs = ", ".join(f"{x['total']:.2f}" for x in r["runs"])
                rows.append([
                    f"{name} ({size_text})", label, f"{ph['total']:.3f}", phase_text(ph), runs,
                    fmt_bytes(r["size"]),
                    "" if is_base else f"{ph['total'] / bt['total']:.1f}x",
                    "" if is_base else f"{r['size'] / base['size']:.2f}x",
                ])
        print_table(["workload", "variant", "time s", "phases s", "runs s", "file", "t mpl/pdfw",
                     "size mpl/pdfw"], rows)
        print("phases: pdfwriter build (mesh: quad Paths + colours) + draw (Document(), add_page, "
              "drawing calls) + close (page written: zlib, objects, xref);\n"
              "        matplotlib build (Figure, axes, plot call, limits) + savefig")

        print("\n== Targets (reported, not asserted)")
        for name in names:
            base_label = VARIANTS[name][0][0]
            mpl_label = VARIANTS[name][1][0]
            b, m = results[name][base_label], results[name][mpl_label]
            bt, mt = median_phases(b)["total"], median_phases(m)["total"]
            goal = TARGETS[name]
            t_ok = mt / bt >= goal
            s_ok = b["size"] <= m["size"]
            print(f"  {name:<16} time {bt:.3f} s vs {mt:.3f} s = 1/{mt / bt:.1f} of matplotlib "
                  f"(target <= 1/{goal:g}): {'met' if t_ok else 'NOT met'};  "
                  f"size {fmt_bytes(b['size'])} vs {fmt_bytes(m['size'])}: "
                  f"{'met' if s_ok else 'NOT met'}")
            if name == "mesh":
                ph = median_phases(b)
                rest = ph["draw"] + ph["finish"]
                print(f"  {'':<16} (draw + close alone, without building the Paths: {rest:.3f} s = "
                      f"1/{mt / rest:.1f} of matplotlib)")

        # ---- matplotlib breakdown ------------------------------------------------------
        print("\n== matplotlib: where savefig's time goes (one instrumented run per variant; seconds)")
        rows = []
        for name in names:
            for label, a in breakdowns[name].items():
                artists = a["figure_draw"] - a["renderer"]
                fin = a["finalize"]
                other = a["savefig"] - a["figure_draw"] - fin
                calls = ", ".join(f"{k} x{v:,}" for k, v in a["renderer_calls"].items())
                rows.append([name, label, f"{a['savefig']:.3f}", f"{artists:.3f}",
                             f"{a['renderer'] - a['zlib_draw']:.3f}", f"{a['zlib_draw']:.3f}",
                             f"{fin - a['zlib_finalize']:.3f}", f"{a['zlib_finalize']:.3f}",
                             f"{other:.3f}", f"{a['zlib_calls']:,}", calls])
        print_table(["workload", "variant", "savefig", "artists", "renderer", "zlib(r)",
                     "finalize", "zlib(f)", "other", "zlib calls", "renderer calls (all levels)"], rows)
        print("savefig = artists + renderer + zlib(r) + finalize + zlib(f) + other, where\n"
              "  artists  = Figure.draw minus the time inside the outermost RendererPdf.draw_* calls\n"
              "             (artist traversal, transforms, colour mapping);\n"
              "  renderer = inside RendererPdf.draw_* (path conversion, per-item Python, pdfRepr,\n"
              "             content output), minus zlib(r), the zlib time spent in those calls;\n"
              "  finalize = PdfFile.finalize (deferred XObjects such as path-collection templates and\n"
              "             markers, fonts, ExtGStates, xref, trailer), minus zlib(f) spent there;\n"
              "  other    = print_pdf set-up, renderer.finalize, PdfFile.close (file flush).\n"
              "  zlib time is measured by swapping backend_pdf's zlib.compressobj for a timing proxy;\n"
              "  the instrumented total is a little above the uninstrumented median.")

        # ---- compression levels ----------------------------------------------------------
        print("\n== pdfwriter at other zlib levels (median wall time, whole job) and without compression")
        rows = []
        for name in names:
            base_label = VARIANTS[name][0][0]
            base = results[name][base_label]
            entries = [("default (6; 4 from 1 MiB)", base), *[(k, v) for k, v in extra[name].items()]]
            for suffix, r in entries:
                ph = median_phases(r)
                rows.append([name, f"{base_label} {suffix}", f"{ph['total']:.3f}", phase_text(ph),
                             fmt_bytes(r["size"]), f"{r['size'] / base['size']:.2f}x"])
        print_table(["workload", "variant", "time s", "phases s", "file", "size / default"], rows)

        print("\n== zlib floor: zlib.compress alone on the uncompressed stream bytes (median; not part of "
              "the job times)")
        rows = []
        for name in names:
            for lib, z in zfloor[name].items():
                for level in ZLIB_LEVELS:
                    lv = z["levels"][str(level)]
                    rows.append([name, lib, f"{level}", fmt_bytes(z["content_len"]),
                                 f"{lv['content_time']:.3f}", fmt_bytes(lv["content_size"]),
                                 f"{z['streams']:,}", fmt_bytes(z["streams_len"]), f"{lv['all_time']:.3f}",
                                 fmt_bytes(lv["all_size"])])
        print_table(["workload", "library", "level", "page content", "zlib s", "packed",
                     "streams", "all streams", "zlib s", "packed"], rows, left=3)
        print("'page content' = the first page's content stream; 'all streams' = every stream in the "
              "file (matplotlib\nkeeps path-collection templates and markers in separate XObject "
              "streams), compressed one by one.")

        print("\n== Content checks (operator counts in the uncompressed page content)")
        for name in names:
            n = workload_size(name, args.quick)
            for lib, z in zfloor[name].items():
                c = {k: v for k, v in z["counts"].items() if v}
                print(f"  {name:<16} {lib:<10} " + ", ".join(f"{k} {v:,}" for k, v in c.items()))
            pc = zfloor[name]["pdfwriter"]["counts"]
            if name == "line":
                verdict = pc["l"] == n - 1 and pc["m"] == 1
                print(f"  {'':<16} pdfwriter: {'ok' if verdict else 'UNEXPECTED'} (1 m and {n - 1:,} l expected)")
            elif name == "line-simplified":
                print(f"  {'':<16} vertices kept: pdfwriter {pc['m'] + pc['l']:,} "
                      f"({(pc['m'] + pc['l']) / n:.1%}) at {SIMPLIFY_PT} pt; matplotlib "
                      f"{zfloor[name]['matplotlib']['counts']['m'] + zfloor[name]['matplotlib']['counts']['l']:,}"
                      " at 1/9 pt")
            elif name == "scatter":
                verdict = pc["Do"] == n
                print(f"  {'':<16} pdfwriter: {'ok' if verdict else 'UNEXPECTED'} ({n:,} Do expected)")
            elif name == "mesh":
                verdict = pc["f"] == n * n
                print(f"  {'':<16} pdfwriter: {'ok' if verdict else 'UNEXPECTED'} ({n * n:,} f expected)")

        # ---- renders -----------------------------------------------------------------------
        pairs = []
        for name in names:
            labels = [v[0] for v in VARIANTS[name]]
            for other in labels[1:]:
                pairs.append([f"{name}: {labels[0]} vs {other}", results[name][labels[0]]["path"],
                              results[name][other]["path"], 50])
        if "line" in names and "line-simplified" in names:
            pairs.append(["line: pdfwriter unsimplified vs simplify=0.1",
                          results["line"][VARIANTS["line"][0][0]]["path"],
                          results["line-simplified"][VARIANTS["line-simplified"][0][0]]["path"], 150])
            pairs.append(["line: matplotlib unsimplified vs default simplify",
                          results["line"][VARIANTS["line"][1][0]]["path"],
                          results["line-simplified"][VARIANTS["line-simplified"][1][0]]["path"], 150])
        print("\n== Pixel sanity check with pypdfium2 (not asserted; 'ink' = share of non-white pixels)", flush=True)
        renders = run_worker({"job": "render", "pairs": pairs, "png_dir": outdir if args.keep else None})
        if "error" in renders:
            print(f"  skipped: {renders['error']}")
        for what, r in renders.items():
            if not isinstance(r, dict):
                continue
            if "error" in r:
                print(f"  {what}: could not render: {r['error']}")
                continue
            both = r["ink_a"] > 0.01 and r["ink_b"] > 0.01
            line = (f"  {what} at {r['dpi']} dpi ({r['shape'][1]}x{r['shape'][0]} px): ink {r['ink_a']:.1%} vs "
                    f"{r['ink_b']:.1%}")
            if "mean_diff" in r:
                line += f"; mean |diff| {r['mean_diff']:.1f}/255, pixels off by > 32: {r['share_diff_gt32']:.1%}"
            line += "; both show the data" if both else "; one render looks EMPTY"
            print(line)
            pa, pb = r.get("poppler") or (None, None)
            if pa is not None and pb is not None:
                print(f"    poppler (pdftoppm) second opinion: ink {pa:.1%} vs {pb:.1%}")
            if "png" in r:
                print(f"    side by side: {r['png']}")
        print("  (pdfium mis-renders a stroke of ~1,000,000 vertices from about 200 dpi up, as a filled\n"
              "   band, for matplotlib's file as much as for pdfwriter's; poppler and MuPDF draw both\n"
              "   correctly. Hence 150 dpi for the simplification pairs.)")
    finally:
        if not args.keep:
            shutil.rmtree(outdir, ignore_errors=True)


if __name__ == "__main__":
    main()
