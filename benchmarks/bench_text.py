#!/usr/bin/env python
"""Benchmark pdfwriter's text against ReportLab, fpdf2 and matplotlib on the same jobs, side by side.

    python benchmarks/bench_text.py              # full sizes, median of 5 runs
    python benchmarks/bench_text.py --quick      # labels / 10, 20 pages, 1 run
    python benchmarks/bench_text.py --profile    # cProfile of pdfwriter writing the report

Jobs
  labels   2,000 short labels ("word 1234", 6 pt) on one A4 page.
  report   A 200-page document: each A4 page has a 16 pt heading and 40 lines of
           10 pt body text (about 90 characters each, a few accented words).

Every library embeds a subset of the same TrueType font, DejaVu Sans
(/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf, or pdfwriter's bundled copy):
pdfwriter page.text with an OpenTypeFont; ReportLab TTFont + drawString;
fpdf2 add_font + text; matplotlib Figure.text with that file as its font,
saved through PdfPages with rcParams["pdf.fonttype"] 3 (Type 3 fonts) and 42
(TrueType). Compression is on everywhere (each library's default).

Timing, two ways, both medians:
  warm  each (job, library) runs in a fresh subprocess; a warm-up job on tiny
        inputs takes the imports out of the clock, then every timed run starts
        from fresh objects: the clock runs from loading the font file to the
        closed output file. The text lines are built before the clock.
  cold  the whole of a fresh `python` process that imports the library and runs
        the job once, as a script would (the parent's wall clock, minus the
        time the worker spent building the text lines). Reported: median wall
time, file size, and both as ratios to pdfwriter (above 1: pdfwriter is faster
or smaller). Afterwards (not timed) each file is checked: pikepdf opens it, its
fonts are embedded, and pypdfium2 extracts the expected text from a sample page.

Targets (reported, not asserted): the report in at most half of fpdf2's time,
and pdfwriter's files smaller than every other library's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import dist_version, fmt_bytes, print_table, ratio, run_worker  # noqa: E402

PAGE_W, PAGE_H = 595.0, 842.0  # A4
LABELS = 2_000
PAGES = 200
LINES_PER_PAGE = 40
LIBS = ("pdfwriter", "reportlab", "fpdf2", "matplotlib-type3", "matplotlib-type42")
WORDS = (
    "the of and to in is that for it as was with be by on not he this are or his from at which but have an "
    "they you were her she there been one all we their has would when if so no will more about what up out "
    "into than them can only other new some could time these two may then do first any my now such like our "
    "over man me even most made after also did many before must through back years where much your way well "
    "down should because each just those people how too little state good very make world still own see men "
    "work long get here between both life being under never day same another know while last might us great "
    "old year off come since against go came right used take three café naïve façade Zürich résumé Ångström"
).split()


def font_path() -> str:
    """The DejaVu Sans file every library loads."""
    system = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if os.path.exists(system):
        return system
    from pdfwriter.fontfiles import bundled_font_path

    return str(bundled_font_path("DejaVu Sans"))


# --------------------------------------------------------------------------------------
# Inputs (built before the clock; the same for every library)
# --------------------------------------------------------------------------------------


def make_labels(n: int) -> list[tuple[float, float, str]]:
    """n labels on a 20-column grid: (x, y from the bottom, text)."""
    rng = random.Random(1)
    rows = -(-n // 20)
    pitch = (PAGE_H - 60) / max(rows, 1)
    return [(30 + (i % 20) * 27.0, 30 + (i // 20) * pitch, f"{rng.choice(WORDS)} {i}") for i in range(n)]


def make_report(pages: int) -> list[tuple[str, list[str]]]:
    """pages x (heading, body lines of at most 90 characters)."""
    rng = random.Random(2)
    out = []
    for p in range(pages):
        lines = []
        for _ in range(LINES_PER_PAGE):
            words: list[str] = []
            while sum(len(w) + 1 for w in words) < 80:
                words.append(rng.choice(WORDS))
            line = " ".join(words)
            lines.append(line[0].upper() + line[1:] + ".")
        out.append((f"Chapter {p + 1}: {rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)}", lines))
    return out


def make_inputs(job: str, quick: bool) -> dict:
    if job == "labels":
        return {"labels": make_labels(LABELS // 10 if quick else LABELS)}
    return {"report": make_report(20 if quick else PAGES)}


def tiny_inputs(job: str) -> dict:
    return {"labels": make_labels(5)} if job == "labels" else {"report": make_report(1)}


HEADING_Y = PAGE_H - 72
BODY_Y = PAGE_H - 110
BODY_STEP = 17.0


# --------------------------------------------------------------------------------------
# The libraries
# --------------------------------------------------------------------------------------


def pdfwriter_job(path: str, inputs: dict, font: str) -> None:
    from pdfwriter import Document
    from pdfwriter.text.opentype import OpenTypeFont

    face = OpenTypeFont(font)
    with Document(path) as doc:
        if "labels" in inputs:
            page = doc.add_page((PAGE_W, PAGE_H))
            for x, y, text in inputs["labels"]:
                page.text(x, y, text, font=face, size=6)
            return
        for heading, lines in inputs["report"]:
            page = doc.add_page((PAGE_W, PAGE_H))
            page.text(56, HEADING_Y, heading, font=face, size=16)
            page.text(56, BODY_Y, "\n".join(lines), font=face, size=10, line_spacing=BODY_STEP / 10)


def reportlab_job(path: str, inputs: dict, font: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", font))
    canvas = Canvas(path, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    if "labels" in inputs:
        canvas.setFont("DejaVuSans", 6)
        for x, y, text in inputs["labels"]:
            canvas.drawString(x, y, text)
        canvas.showPage()
    else:
        for heading, lines in inputs["report"]:
            canvas.setFont("DejaVuSans", 16)
            canvas.drawString(56, HEADING_Y, heading)
            body = canvas.beginText(56, BODY_Y)
            body.setFont("DejaVuSans", 10, leading=BODY_STEP)
            for line in lines:
                body.textLine(line)
            canvas.drawText(body)
            canvas.showPage()
    canvas.save()


def fpdf2_job(path: str, inputs: dict, font: str) -> None:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(PAGE_W, PAGE_H))
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVuSans", fname=font)
    if "labels" in inputs:
        pdf.add_page()
        pdf.set_font("DejaVuSans", size=6)
        for x, y, text in inputs["labels"]:
            pdf.text(x, PAGE_H - y, text)
    else:
        for heading, lines in inputs["report"]:
            pdf.add_page()
            pdf.set_font("DejaVuSans", size=16)
            pdf.text(56, PAGE_H - HEADING_Y, heading)
            pdf.set_font("DejaVuSans", size=10)
            for k, line in enumerate(lines):
                pdf.text(56, PAGE_H - BODY_Y + k * BODY_STEP, line)
    pdf.output(path)


def matplotlib_job(path: str, inputs: dict, font: str, fonttype: int) -> None:
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    matplotlib.rcParams["pdf.fonttype"] = fonttype
    small, body, big = (FontProperties(fname=font, size=s) for s in (6, 10, 16))
    size = (PAGE_W / 72, PAGE_H / 72)
    with PdfPages(path) as pdf:
        if "labels" in inputs:
            fig = Figure(figsize=size)
            for x, y, text in inputs["labels"]:
                fig.text(x / PAGE_W, y / PAGE_H, text, fontproperties=small)
            pdf.savefig(fig)
            return
        for heading, lines in inputs["report"]:
            fig = Figure(figsize=size)
            fig.text(56 / PAGE_W, HEADING_Y / PAGE_H, heading, fontproperties=big)
            for k, line in enumerate(lines):
                fig.text(56 / PAGE_W, (BODY_Y - k * BODY_STEP) / PAGE_H, line, fontproperties=body)
            pdf.savefig(fig)


def run_job(lib: str, path: str, inputs: dict, font: str) -> None:
    if lib == "pdfwriter":
        pdfwriter_job(path, inputs, font)
    elif lib == "reportlab":
        reportlab_job(path, inputs, font)
    elif lib == "fpdf2":
        fpdf2_job(path, inputs, font)
    else:
        matplotlib_job(path, inputs, font, 3 if lib.endswith("type3") else 42)


# --------------------------------------------------------------------------------------
# Worker side
# --------------------------------------------------------------------------------------


def worker(spec: dict) -> dict:
    """Warm up, then time `repeats` runs of one (job, library) from fresh objects.

    With spec["cold"]: one run, no warm-up, imports included (the parent times the whole process).
    """
    font = font_path()
    if spec.get("cold"):
        t0 = time.perf_counter()
        inputs = make_inputs(spec["job"], spec["quick"])
        inputs_time = time.perf_counter() - t0
        run_job(spec["lib"], spec["path"], inputs, font)
        return {"inputs_time": inputs_time}
    with tempfile.TemporaryDirectory() as tmp:
        run_job(spec["lib"], os.path.join(tmp, "warm.pdf"), tiny_inputs(spec["job"]), font)
    inputs = make_inputs(spec["job"], spec["quick"])
    times = []
    for _ in range(spec["repeats"]):
        t0 = time.perf_counter()
        run_job(spec["lib"], spec["path"], inputs, font)
        times.append(time.perf_counter() - t0)
    return {"times": times, "size": os.path.getsize(spec["path"])}


def verify(path: str, job: str, quick: bool) -> str:
    """'ok', or what is wrong: the file opens, its fonts are embedded, a sample page's text extracts."""
    import pikepdf
    import pypdfium2 as pdfium

    inputs = make_inputs(job, quick)
    with pikepdf.open(path) as pdf:
        shown = 0
        for page in pdf.pages:
            for font in page.resources.get("/Font", {}).values():
                if font.Subtype == "/Type3":
                    shown += 1
                elif "DejaVu" in str(font.BaseFont):
                    shown += 1
                    desc = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).get("/FontDescriptor")
                    if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                        return f"font {font.BaseFont} is not embedded"
        if not shown:
            return "no DejaVu Sans or Type 3 font in the file"
    doc = pdfium.PdfDocument(path)
    try:
        index = 0 if job == "labels" else len(inputs["report"]) - 1
        textpage = doc[index].get_textpage()
        text = " ".join(textpage.get_text_bounded().split())
    finally:
        doc.close()
    if job == "labels":
        expected = [t for _, _, t in inputs["labels"][:: max(1, len(inputs["labels"]) // 20)]]
    else:
        heading, lines = inputs["report"][index]
        expected = [heading, lines[0], lines[-1]]
    missing = [e for e in expected if e not in text]
    return f"text missing from the sample page: {missing[0]!r}" if missing else "ok"


# --------------------------------------------------------------------------------------
# Driver side
# --------------------------------------------------------------------------------------


def profile(quick: bool) -> None:
    import cProfile
    import pstats

    font = font_path()
    with tempfile.TemporaryDirectory() as tmp:
        run_job("pdfwriter", os.path.join(tmp, "warm.pdf"), tiny_inputs("report"), font)
        inputs = make_inputs("report", quick)
        prof = cProfile.Profile()
        prof.enable()
        pdfwriter_job(os.path.join(tmp, "report.pdf"), inputs, font)
        prof.disable()
    stats = pstats.Stats(prof).sort_stats("cumulative")
    stats.print_stats(25)
    stats.sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="labels / 10, 20 pages, 1 run")
    parser.add_argument("--repeats", type=int, help="timed runs per library (default 5, 1 with --quick)")
    parser.add_argument("--only", choices=("labels", "report"), help="one job only")
    parser.add_argument("--libs", help=f"comma-separated subset of {','.join(LIBS)} (pdfwriter is always run)")
    parser.add_argument("--profile", action="store_true", help="cProfile pdfwriter writing the report")
    parser.add_argument("--keep", metavar="DIR", help="keep the PDFs in DIR")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    if args.profile:
        profile(args.quick)
        return
    repeats = args.repeats or (1 if args.quick else 5)
    jobs = [args.only] if args.only else ["labels", "report"]
    print(f"Python {platform.python_version()}, pdfwriter {dist_version('pdfwriter')}, "
          f"reportlab {dist_version('reportlab')}, fpdf2 {dist_version('fpdf2')}, "
          f"matplotlib {dist_version('matplotlib')}; font {font_path()}")
    print(f"wall time: median of {repeats} run(s) (matplotlib: at most 3); each (job, library) in a fresh subprocess")
    outdir = args.keep or tempfile.mkdtemp(prefix="bench_text-")
    os.makedirs(outdir, exist_ok=True)
    libs = ["pdfwriter"] + [lib for lib in (args.libs.split(",") if args.libs else LIBS) if lib != "pdfwriter"]
    rows, verdicts = [], []
    targets = []
    script = os.path.abspath(__file__)
    for job in jobs:
        results = {}
        for lib in libs:
            path = os.path.join(outdir, f"{job}-{lib}.pdf")
            # matplotlib takes 15-40 s per report run: at most 3 runs of it.
            runs = min(repeats, 3) if lib.startswith("matplotlib") else repeats
            spec = {"job": job, "lib": lib, "quick": args.quick, "repeats": runs, "path": path}
            results[lib] = run_worker(script, spec)
            cold = []
            for _ in range(1 if lib.startswith("matplotlib") else runs):
                t0 = time.perf_counter()
                done = run_worker(script, {**spec, "cold": True})
                cold.append(time.perf_counter() - t0 - done["inputs_time"])
            results[lib]["cold"] = cold
            verdicts.append(f"{job}/{lib}: {verify(path, job, args.quick)}")
        base_t = statistics.median(results["pdfwriter"]["times"])
        base_s = results["pdfwriter"]["size"]
        base_c = statistics.median(results["pdfwriter"]["cold"])
        for lib, r in results.items():
            t, c = statistics.median(r["times"]), statistics.median(r["cold"])
            rows.append([job, lib, f"{t:.3f}", ratio(t, base_t), f"{c:.3f}", ratio(c, base_c),
                         fmt_bytes(r["size"]), ratio(r["size"], base_s)])
        others = [r["size"] for lib, r in results.items() if lib != "pdfwriter"]
        line = f"{job}: smaller than every other file: {'yes' if base_s < min(others, default=0) else 'no'}"
        if "fpdf2" in results:
            for label, key, base in (("warm", "times", base_t), ("cold", "cold", base_c)):
                fpdf_t = statistics.median(results["fpdf2"][key])
                line += f"; {label}: {fpdf_t / base:.2f}x faster than fpdf2"
                if job == "report":
                    line += " (target 2x: " + ("met" if fpdf_t >= 2 * base else "not met") + ")"
        targets.append(line)
    print()
    print_table(["job", "library", "warm s", "x pdfw", "cold s", "x pdfw", "size", "x pdfw"], rows)
    print("warm: in a process that has run the job once on tiny inputs (imports done); cold: a fresh")
    print("process running the job once, interpreter start and imports included (input building excluded)")
    print("x pdfw: the library's figure / pdfwriter's (above 1: pdfwriter is faster or smaller)")
    for line in targets:
        print(line)
    print("checks (pikepdf opens, fonts embedded, sample text extracts with pdfium):")
    for line in verdicts:
        print("  " + line)
    if not args.keep:
        import shutil

        shutil.rmtree(outdir, ignore_errors=True)


if __name__ == "__main__":
    main()
