#!/usr/bin/env python
"""Benchmark pdfwriter against pydyf and pikepdf on the same jobs, side by side.

    python benchmarks/bench_writer.py            # full sizes, median of 3 runs
    python benchmarks/bench_writer.py --quick    # sizes / 10, one run
    python benchmarks/bench_writer.py --profile  # cProfile of the pdfwriter page job

Jobs
  pages      Write a document of 10,000 pages, each with distinct content (a
             filled rectangle sized by the page number and a 20-point polyline).
             The content-stream bytes come from one function shared by all
             libraries and are built before the clock starts, so only the
             writers are measured. Compression is on everywhere.
  serialize  Serialize 1,000,000 small objects (a mix of dictionaries, arrays,
             names, numbers, strings and references, modelled on what a PDF
             writer emits), one call per object. Objects are built before the
             clock starts.

Each (job, library) runs in a fresh subprocess: N timed runs (wall time, and
the growth of the process's peak RSS over its RSS just before the run), then
one more run under tracemalloc for the peak of Python allocations. tracemalloc
cannot see memory allocated by C/C++ code (pikepdf/qpdf objects, zlib
buffers): the RSS column shows that side. Output files are checked with pikepdf
(page count and the content of sample pages) after all timing is done.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402
from _common import dist_version, fmt_bytes, ratio  # noqa: E402

FULL_PAGES = 10_000
FULL_OBJECTS = 1_000_000
SIZE_PAGES = 1_000  # the object-streams on/off size comparison
PAGE_SIZE = (612, 792)
REF_BASE = 3  # pikepdf.new() already uses objects 1 and 2
REF_POOL = 1000

# --------------------------------------------------------------------------------------
# Shared inputs
# --------------------------------------------------------------------------------------


def page_content(i: int) -> bytes:
    """Content-stream bytes of page i: a filled rectangle sized by i and a 20-point polyline."""
    r, g, b = (i % 7) / 7, (i % 11) / 11, (i % 13) / 13
    width = 50 + i % 450
    height = 40 + (i * 37) % 640
    parts = [b"q\n%.3f %.3f %.3f rg\n72 72 %d %d re\nf\n0 0 .5 RG\n1.5 w\n" % (r, g, b, width, height)]
    phase = i * 0.37
    for k in range(20):
        x = 72 + k * 24
        y = 400 + 150 * math.sin(phase + k * 0.6)
        parts.append(b"%.2f %.2f %s\n" % (x, y, b"l" if k else b"m"))
    parts.append(b"S\nQ\n")
    return b"".join(parts)


class Kit:
    """Constructors for one library's objects, so every library gets the same object mix."""

    def __init__(self, name, string, ref, dictionary, array):
        self._names: dict = {}
        self._make_name = name
        self.string = string
        self.ref = ref
        self.dict = dictionary
        self.array = array

    def name(self, value: str):
        obj = self._names.get(value)
        if obj is None:
            obj = self._names[value] = self._make_name(value)
        return obj


def make_kit(lib: str) -> Kit:
    if lib == "pdfwriter":
        from pdfwriter.pdf import Name, Reference

        refs = [Reference(REF_BASE + k) for k in range(REF_POOL)]
        return Kit(Name, str, lambda i: refs[i % REF_POOL], dict, list)
    if lib == "pydyf":
        import pydyf

        # pydyf has no reference type: an object's .reference is the bytes b"12 0 R".
        refs = [b"%d 0 R" % (REF_BASE + k) for k in range(REF_POOL)]
        return Kit(lambda s: "/" + s, pydyf.String, lambda i: refs[i % REF_POOL],
                   pydyf.Dictionary, pydyf.Array)
    if lib == "pikepdf":
        import pikepdf

        pdf = pikepdf.new()
        refs = [pdf.make_indirect(pikepdf.Dictionary()) for _ in range(REF_POOL)]
        assert refs[0].objgen == (REF_BASE, 0), refs[0].objgen
        kit = Kit(lambda s: pikepdf.Name("/" + s), pikepdf.String, lambda i: refs[i % REF_POOL],
                  lambda d: pikepdf.Dictionary({"/" + k: v for k, v in d.items()}), pikepdf.Array)
        kit.pdf = pdf  # keep the owner of the indirect objects alive
        return kit
    raise ValueError(lib)


def make_object(kit: Kit, i: int):
    """Object i of the mix: eight kinds in turn, values varying with i."""
    N, S, R, D, A = kit.name, kit.string, kit.ref, kit.dict, kit.array
    kind = i % 8
    if kind == 0:  # link annotation
        x = 72 + (i % 500) * 0.5
        y = 100 + (i % 600) * 1.25
        return D({"Type": N("Annot"), "Subtype": N("Link"), "Rect": A([x, y, x + 120.5, y + 14.25]),
                  "Border": A([0, 0, 0]), "A": D({"S": N("URI"), "URI": S(f"https://example.org/doc/{i}")})})
    if kind == 1:  # page
        return D({"Type": N("Page"), "Parent": R(i), "MediaBox": A([0, 0, 612, 792]),
                  "Contents": R(i + 1), "Resources": D({"Font": D({"F1": R(i + 2)}),
                                                         "ProcSet": A([N("PDF"), N("Text")])})})
    if kind == 2:  # outline item
        return D({"Title": S(f"Section {i // 8}.{i % 10} (draft)"), "Parent": R(i), "Prev": R(i + 3),
                  "Next": R(i + 5), "Dest": A([R(i + 7), N("XYZ"), 72, 720.5 - (i % 100), 0]),
                  "Count": -(i % 5)})
    if kind == 3:  # graphics state
        return D({"Type": N("ExtGState"), "CA": (i % 100) / 100, "ca": (i % 40) / 40,
                  "LW": 0.5 + (i % 8) * 0.25})
    if kind == 4:  # glyph widths
        return A([250 + (i * 7 + j * 13) % 750 for j in range(16)])
    if kind == 5:  # matrix
        return A([1, 0, 0, 1, (i % 300) * 0.5, (i % 700) * 0.25])
    if kind == 6:  # short string
        return S(f"Figure {i}: results")
    return D({"Type": N("FontDescriptor"), "FontName": N("ABCDEF+DejaVuSans"), "Flags": 32,
              "FontBBox": A([-1021, -463, 1793, 1232]), "ItalicAngle": 0, "Ascent": 928,
              "Descent": -236, "CapHeight": 729, "StemV": 87, "FontFile2": R(i)})


def serializer(lib: str):
    """The one-object serializer of each library (a plain callable, no lambda overhead)."""
    if lib == "pdfwriter":
        from pdfwriter.pdf import serialize

        return serialize
    if lib == "pydyf":
        import operator

        return operator.attrgetter("data")  # Dictionary/Array/String .data property
    if lib == "pikepdf":
        import pikepdf

        return pikepdf.Object.unparse
    raise ValueError(lib)


# --------------------------------------------------------------------------------------
# Page writers (job 1)
# --------------------------------------------------------------------------------------


def write_pdfwriter(path: str, contents: list[bytes], **options) -> None:
    import pdfwriter

    with pdfwriter.Document(path, **options) as doc:
        for data in contents:
            doc.add_page(PAGE_SIZE).content.raw(data)


def write_pydyf(path: str, contents: list[bytes]) -> None:
    import pydyf

    pdf = pydyf.PDF()
    for data in contents:
        stream = pydyf.Stream([data], compress=True)
        pdf.add_object(stream)
        pdf.add_page(pydyf.Dictionary({
            "Type": "/Page",
            "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([0, 0, *PAGE_SIZE]),
            "Contents": stream.reference,
            "Resources": pydyf.Dictionary(),
        }))
    with open(path, "wb") as f:
        pdf.write(f, compress=True)


def write_pikepdf(path: str, contents: list[bytes], append: bool = False) -> None:
    import pikepdf

    pdf = pikepdf.new()
    pages = pdf.Root.Pages
    kids = pikepdf.Array()
    for data in contents:
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=pikepdf.Array([0, 0, *PAGE_SIZE]),
            Contents=pikepdf.Stream(pdf, data),
            Resources=pikepdf.Dictionary(),
        )
        if append:  # the documented page-list API
            pdf.pages.append(pikepdf.Page(page))
        else:  # fill /Kids directly: the fast way
            page.Parent = pages
            kids.append(pdf.make_indirect(page))
    if not append:
        pages.Kids = kids
        pages.Count = len(kids)
    pdf.save(path, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)


PAGE_WRITERS = {
    "pdfwriter": lambda p, c: write_pdfwriter(p, c),
    "pdfwriter xref-table": lambda p, c: write_pdfwriter(p, c, xref_stream=False),
    "pydyf": write_pydyf,
    "pikepdf": write_pikepdf,
    "pikepdf pages.append": lambda p, c: write_pikepdf(p, c, append=True),
}
SERIALIZERS = ["pdfwriter", "pydyf", "pikepdf"]

# --------------------------------------------------------------------------------------
# Worker side: one job, one library, fresh process
# --------------------------------------------------------------------------------------


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux); False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak_rss_kib() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB elsewhere


def _measure(run, repeats: int) -> dict:
    """Time `run` `repeats` times (peak-RSS growth each), then once under tracemalloc."""
    times, growth = [], []
    exact_rss = True
    for _ in range(repeats):
        gc.collect()
        exact_rss &= _reset_peak_rss()
        before = _peak_rss_kib()
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        growth.append(_peak_rss_kib() - before)
    gc.collect()
    tracemalloc.start()
    run()
    py_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"times": times, "rss_growth_kib": max(growth), "rss_exact": exact_rss,
            "py_peak": py_peak, "result": result}


def worker(spec: dict) -> dict:
    if spec["job"] == "pages":
        contents = [page_content(i) for i in range(spec["n"])]
        write = PAGE_WRITERS[spec["lib"]]
        path = spec["path"]
        # Import the library before measuring (its import is not part of the job).
        write(path + ".warmup.pdf", contents[:2])
        os.unlink(path + ".warmup.pdf")
        out = _measure(lambda: write(path, contents), spec["repeats"])
        out["size"] = os.path.getsize(path)
        return out
    if spec["job"] == "serialize":
        kit = make_kit(spec["lib"])
        start = time.perf_counter()
        objects = [make_object(kit, i) for i in range(spec["n"])]
        build = time.perf_counter() - start
        fn = serializer(spec["lib"])

        def run():
            total = 0
            for obj in objects:
                total += len(fn(obj))
            return total

        out = _measure(run, spec["repeats"])
        out["size"] = out.pop("result")
        out["build_time"] = build
        return out
    if spec["job"] == "sizes":
        contents = [page_content(i) for i in range(spec["n"])]
        sizes = {}
        for label, options, name in [
            ("object streams on", {}, "objstm-on"),
            ("object streams off (xref stream)", {"object_streams": False}, "objstm-off"),
            ("object streams off (xref table)", {"xref_stream": False}, "objstm-off-xref-table"),
        ]:
            path = os.path.join(spec["dir"], f"size-{spec['n']}-pages-{name}.pdf")
            write_pdfwriter(path, contents, **options)
            sizes[label] = {"path": path, "size": os.path.getsize(path)}
        return sizes
    if spec["job"] == "verify":
        return verify(spec)
    raise ValueError(spec["job"])


def verify(spec: dict) -> dict:
    """Open every output with pikepdf; check page counts, sample page contents, and that
    the three serializers write equivalent objects."""
    import re

    import pikepdf

    report = {}
    for path, pages in spec["files"]:
        try:
            with pikepdf.open(path) as pdf:
                count = len(pdf.pages)
                samples = sorted({0, pages // 3, pages - 1})
                same = all(pdf.pages[i].Contents.read_bytes() == page_content(i) for i in samples)
            ok = count == pages and same
            report[path] = ("ok" if ok else "WRONG") + f": {count} pages (expected {pages})" + (
                "" if same else ", page content differs")
        except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
            report[path] = f"FAILED to open: {type(exc).__name__}: {exc}"
    # Serializer equivalence: parse each library's bytes back with qpdf and compare.
    unref = re.compile(rb"(\d+) (\d+) R")
    fns = {lib: serializer(lib) for lib in SERIALIZERS}
    kits = {lib: make_kit(lib) for lib in SERIALIZERS}
    mismatches = []
    for i in range(64):
        parsed = {}
        for lib in SERIALIZERS:
            data = fns[lib](make_object(kits[lib], i))
            parsed[lib] = pikepdf.Object.parse(unref.sub(rb"[/Ref \1 \2]", data))
        if not parsed["pdfwriter"] == parsed["pydyf"] == parsed["pikepdf"]:
            mismatches.append(i)
    report["serialize equivalence"] = (
        "ok: objects 0-63 parse to the same values for all three" if not mismatches
        else f"WRONG: objects {mismatches} differ")
    return report


# --------------------------------------------------------------------------------------
# Driver side
# --------------------------------------------------------------------------------------


def run_worker(spec: dict) -> dict:
    return _common.run_worker(os.path.abspath(__file__), spec)


def report_job(title: str, results: dict, base: str, size_label: str) -> list[list[str]]:
    """Print one job's block with ratios to `base`; return its rows for the final table."""
    print(f"\n== {title}")
    ref = results[base]
    rows = []
    for lib, r in results.items():
        t = statistics.median(r["times"])
        tb = statistics.median(ref["times"])
        runs = ", ".join(f"{x:.3f}" for x in r["times"])
        rss = r["rss_growth_kib"] * 1024
        print(f"  {lib}")
        print(f"    wall time      {t:8.3f} s   (runs: {runs})")
        print(f"    py peak mem    {fmt_bytes(r['py_peak']):>12}   (tracemalloc"
              + (", C++ side invisible)" if lib.startswith("pikepdf") else ")"))
        print(f"    RSS growth     {fmt_bytes(rss):>12}   (peak RSS minus RSS before the run)")
        print(f"    {size_label:<14} {fmt_bytes(r['size']):>12}   ({r['size']:,} bytes)")
        if lib != base:
            print(f"    {lib} / {base}: time {ratio(t, tb)}, py peak {ratio(r['py_peak'], ref['py_peak'])},"
                  f" RSS growth {ratio(r['rss_growth_kib'], ref['rss_growth_kib'])},"
                  f" size {ratio(r['size'], ref['size'])}")
        if not r["rss_exact"]:
            print("    (peak RSS could not be reset: growth is measured from the process's earlier peak)")
        rows.append([title.split(":")[0], lib, f"{t:.3f}", ratio(t, tb), fmt_bytes(r["py_peak"]),
                     ratio(r["py_peak"], ref["py_peak"]), fmt_bytes(rss),
                     ratio(r["rss_growth_kib"], ref["rss_growth_kib"]), fmt_bytes(r["size"]),
                     ratio(r["size"], ref["size"])])
    return rows


def print_table(rows: list[list[str]]) -> None:
    head = ["job", "library", "time s", "x pdfw", "py peak", "x pdfw", "RSS grow", "x pdfw",
            "output", "x pdfw"]
    _common.print_table(head, rows)


def profile(n: int) -> None:
    import cProfile
    import pstats

    import pdfwriter  # noqa: F401 - import outside the profile

    contents = [page_content(i) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "profile.pdf")
        prof = cProfile.Profile()
        prof.enable()
        write_pdfwriter(path, contents)
        prof.disable()
    print(f"cProfile of pdfwriter writing {n:,} pages (default mode), top 20 by cumulative time:")
    pstats.Stats(prof).strip_dirs().sort_stats("cumulative").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes / 10 and a single run")
    parser.add_argument("--profile", action="store_true",
                        help="only profile the pdfwriter page job with cProfile")
    parser.add_argument("--only", choices=["pages", "serialize"], help="run one job only")
    parser.add_argument("--keep", metavar="DIR", help="write the PDF files to DIR and keep them")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    scale = 10 if args.quick else 1
    n_pages, n_objects = FULL_PAGES // scale, FULL_OBJECTS // scale
    repeats = 1 if args.quick else 3
    if args.profile:
        profile(n_pages)
        return

    print(f"Python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    import importlib.util

    spec = importlib.util.find_spec("pdfwriter")
    where = os.path.dirname(spec.origin) if spec and spec.origin else "not found"
    print(f"pdfwriter {dist_version('pdfwriter')} (from {where}), pydyf {dist_version('pydyf')}, "
          f"pikepdf {dist_version('pikepdf')}")
    print(f"wall time: median of {repeats} run(s); each library in a fresh subprocess")
    print("Flate: pdfwriter level 6 (default), pikepdf/qpdf zlib default (6), pydyf level 9 (fixed)")

    outdir = args.keep or tempfile.mkdtemp(prefix="bench_writer_")
    os.makedirs(outdir, exist_ok=True)
    rows: list[list[str]] = []
    to_verify = []
    try:
        if args.only in (None, "pages"):
            results = {}
            for lib in PAGE_WRITERS:
                path = os.path.join(outdir, "pages-" + lib.replace(" ", "-").replace(".", "-") + ".pdf")
                print(f"  running pages/{lib} ...", file=sys.stderr, flush=True)
                results[lib] = run_worker({"job": "pages", "lib": lib, "n": n_pages,
                                           "repeats": repeats, "path": path})
                to_verify.append((path, n_pages))
            rows += report_job(f"pages: {n_pages:,}-page document, distinct content per page",
                               results, "pdfwriter", "file size")
            print("  pdfwriter = xref stream + object streams (default); pikepdf = /Kids filled "
                  "directly; 'pikepdf pages.append' = pdf.pages.append per page")
        if args.only in (None, "serialize"):
            results = {}
            for lib in SERIALIZERS:
                print(f"  running serialize/{lib} ...", file=sys.stderr, flush=True)
                results[lib] = run_worker({"job": "serialize", "lib": lib, "n": n_objects,
                                           "repeats": repeats})
            rows += report_job(f"serialize: {n_objects:,} small objects, one call each",
                               results, "pdfwriter", "bytes out")
            print("  building the objects (not timed): "
                  + ", ".join(f"{lib} {r['build_time']:.2f} s" for lib, r in results.items()))
            print("  serializers: pdfwriter.pdf.serialize(obj), pydyf obj.data, pikepdf obj.unparse()")

        sizes = run_worker({"job": "sizes", "n": SIZE_PAGES, "dir": outdir})
        to_verify += [(s["path"], SIZE_PAGES) for s in sizes.values()]

        print("\n== Summary (ratios are library / pdfwriter; 'pdfw' = pdfwriter default mode)")
        print_table(rows)
        print("py peak = tracemalloc peak (Python allocations only); RSS grow = growth of the "
              "process's peak RSS during the run (includes C/C++ memory)")

        on = sizes["object streams on"]["size"]
        print(f"\n== pdfwriter {SIZE_PAGES:,}-page document (same content), object streams on vs off")
        for label, s in sizes.items():
            saved = "" if s["size"] == on else f"   object streams save {100 * (1 - on / s['size']):.1f}%"
            print(f"  {label:<34} {s['size']:>10,} bytes{saved}")

        print("\n== Verification with pikepdf (not timed)")
        checks = run_worker({"job": "verify", "files": to_verify})
        for what, verdict in checks.items():
            print(f"  {os.path.basename(what):<42} {verdict}")
    finally:
        if not args.keep:
            shutil.rmtree(outdir, ignore_errors=True)


if __name__ == "__main__":
    main()
