"""Edge cases of matplotlib figures, saved by matplotlib's PDF backend and by pdfwriter's: the same picture.

Degenerate data (empty, masked, NaN, infinite, huge, log scales with zeros),
alpha everywhere (fully transparent text, lines and fills; alpha arrays;
translucent hatched spans), every kind of collection, patch, arrow and box
style, clip paths on collections and text, path effects, figure images,
Agg filters, non-uniform images, subfigures and connection patches, bar and
contour labels, scales, projections, and savefig options. Each is rendered with pdfium at 72 dpi in both files, in
pdf.fonttype 3 (matplotlib's default), 42 and with the 14 standard fonts:
at most 0.5% of the pixels may differ by more than 32 in any channel, as in
the fidelity corpus (tests/test_mpl_fidelity.py).
"""

from __future__ import annotations

import datetime
import warnings
from typing import Any, Callable

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("agg")

from matplotlib import collections as mc  # noqa: E402
from matplotlib import colors  # noqa: E402
from matplotlib import patches as mp  # noqa: E402
from matplotlib import patheffects as pe  # noqa: E402
from matplotlib import transforms as mt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import NonUniformImage  # noqa: E402

from harness import check_pdf  # noqa: E402
from test_mpl_fidelity import CHANNEL_TOLERANCE, MAX_DIFFERING  # noqa: E402

OURS = "module://pdfwriter.mpl"
CASES: dict[str, tuple[Callable[[Any, np.random.Generator], None], str | None]] = {}


def case(projection: str | None = None) -> Callable:
    def register(draw: Callable[[Any, np.random.Generator], None]) -> Callable:
        CASES[draw.__name__] = (draw, projection)
        return draw

    return register


@case()
def degenerate_data(ax, rng) -> None:
    ax.plot([], [])
    ax.scatter([1], [2], s=[0])
    ax.plot([1], [1], "o-")
    ax.plot(np.ma.masked_array([1, 2, 3, 4], [0, 1, 0, 0]))
    ax.errorbar([1, 2, 3], [1, np.inf, 2], yerr=[0.1, 0.2, np.nan])
    ax.plot([0, 1], [1e300, -1e300])
    ax.set_ylim(-1, 5)


@case()
def log_with_zeros(ax, rng) -> None:
    ax.loglog([0, 1, 10], [0, 1, 100])
    ax.hist(rng.random(100), log=True)


@case()
def dates_and_categories(ax, rng) -> None:
    ax.plot([datetime.date(2020, 1, d) for d in range(1, 10)], range(9))
    ax.twiny().bar(["a", "b", "ç"], [1, 2, 3], alpha=0.3)


@case()
def transparent_everything(ax, rng) -> None:
    ax.plot([0, 1], [0, 1], color="red", lw=5)
    ax.plot([0, 1], [1, 0], alpha=0)
    ax.fill([0, 1, 1], [0, 0, 1], alpha=0.0)
    ax.text(0.5, 0.5, "invisible", alpha=0, fontsize=20)
    ax.text(0.2, 0.2, r"$\sum x$ hidden", alpha=0, fontsize=20)
    ax.text(0.5, 0.8, "nonecolor", color="none")
    ax.scatter(*rng.random((2, 20)), facecolors="none", edgecolors="k", s=100, alpha=0)


@case()
def alpha_arrays(ax, rng) -> None:
    ax.imshow(rng.random((20, 20)), alpha=rng.random((20, 20)), extent=(0, 1, 0, 1))
    ax.scatter(*rng.random((2, 500)), s=rng.uniform(1, 50, 500), c=rng.random(500), alpha=rng.random(500),
               edgecolors="k", linewidths=rng.uniform(0, 2, 500), marker="h")
    ax.pcolormesh(np.linspace(1, 2, 7), np.linspace(0, 1, 6), rng.random((5, 6)), alpha=rng.random((5, 6)))
    ax.set_xlim(0, 2)


@case()
def hatches_with_alpha(ax, rng) -> None:
    ax.axvspan(0.2, 0.4, alpha=0.3, hatch="/")
    ax.axhspan(0.1, 0.3, color="C1", alpha=0.2)
    ax.contourf(np.linspace(0.5, 1, 10), np.linspace(0, 1, 10), rng.random((10, 10)), levels=3,
                hatches=["//", "\\\\", "..", None], cmap="gray", alpha=0.5)
    x = np.linspace(0, 1, 50)
    ax.fill_between(x, np.sin(6 * x), where=np.sin(6 * x) > 0, interpolate=True, hatch="\\\\", alpha=0.5)
    ax.broken_barh([(0.1, 0.2), (0.5, 0.1)], (0.6, 0.2), facecolors=["r", "g"], hatch="x", edgecolor="k")


@case()
def statistics_plots(ax, rng) -> None:
    ax.violinplot([rng.normal(size=50) for _ in range(3)], showmeans=True, quantiles=[[0.25, 0.75]] * 3)
    ax.boxplot([rng.normal(size=50)], notch=True, positions=[4])
    ax.stem([5, 6, 7], [3, 1, 2])
    ax.eventplot(rng.random((2, 10)) * 2 + 5, colors=["C0", "C1"], linelengths=0.5)


@case()
def density_plots(ax, rng) -> None:
    ax.hexbin(*rng.normal(size=(2, 1000)), gridsize=15)
    ax.hist2d(*rng.normal(size=(2, 1000)) + 4, bins=20, norm=colors.LogNorm())


@case()
def vector_fields(ax, rng) -> None:
    ax.quiver(*np.mgrid[0:3, 0:3], rng.random((3, 3)), rng.random((3, 3)))
    ax.barbs([4, 5], [1, 2], [10, 20], [5, -5])
    y, x = np.mgrid[-3:3:20j, -3:3:20j]
    u, v = -1 - x**2 + y, 1 + x - y**2
    ax.streamplot(x + 10, y, u, v, linewidth=np.hypot(u, v) / 5, color=u, arrowstyle="->", density=0.6)


@case()
def text_boxes_and_arrows(ax, rng) -> None:
    for i, (ha, va, mode) in enumerate([("left", "top", "default"), ("center", "center", "anchor"),
                                        ("right", "bottom", "anchor")]):
        ax.text(0.2 + i * 0.3, 0.5, f"Al\nign{i}", ha=ha, va=va, rotation=30 * i, rotation_mode=mode,
                multialignment="center", linespacing=1.8, bbox=dict(boxstyle="round", fc="none", ec=f"C{i}"))
    for i, style in enumerate(["wedge", "-[", "|-|", "fancy"]):
        ax.annotate(f"s{i}", xy=(0.1 + 0.2 * i, 0.1), xytext=(0.1 + 0.2 * i, 0.3), arrowprops=dict(arrowstyle=style, fc="C2"),
                    bbox=dict(boxstyle="sawtooth" if i % 2 else "darrow", fc="w"))
    ax.add_patch(mp.FancyBboxPatch((0.6, 0.7), 0.2, 0.1, boxstyle="roundtooth,pad=0.05", hatch="..", fc="w"))
    ax.table(cellText=[["1", "2"], ["3", "ü"]], colLabels=["A", "B"], loc="top")


@case()
def path_effects_and_styles(ax, rng) -> None:
    ax.plot([0, 1], [0, 1], lw=3, path_effects=[pe.SimpleLineShadow(), pe.Normal()])
    ax.text(0.1, 0.6, "stroked", fontsize=30, path_effects=[pe.withStroke(linewidth=4, foreground="w")])
    for i, (join, cap) in enumerate([("miter", "butt"), ("round", "round"), ("bevel", "projecting")]):
        ax.plot([0, 0.5, 1], [i / 4, i / 4 + 0.2, i / 4], lw=10, solid_joinstyle=join, solid_capstyle=cap)
    ax.plot([0, 1], [1, 0.5], ls="--", lw=5, gapcolor="orange", dash_capstyle="round")


@case()
def collections_and_clips(ax, rng) -> None:
    scatter = ax.scatter(*rng.random((2, 300)), s=80, c=rng.random(300))
    scatter.set_clip_path(mp.Circle((0.5, 0.5), 0.3, transform=ax.transData))
    lines = mc.LineCollection([rng.random((3, 2)) for _ in range(10)], linewidths=rng.uniform(0.5, 4, 10),
                              linestyles=["-", "--", ":", "-."] * 2 + ["-", "-"], colors=rng.random((10, 3)))
    lines.set_clip_path(mp.Rectangle((0.2, 0.2), 0.4, 0.4, transform=ax.transData))
    ax.add_collection(lines)
    ax.add_collection(mc.PatchCollection([mp.Circle((rng.random(), rng.random()), 0.05) for _ in range(8)],
                                         cmap="jet", alpha=0.6, array=rng.random(8), edgecolor="k", linewidths=[0, 1, 2]))
    text = ax.text(0.5, 0.5, "CLIPPED", fontsize=30, ha="center")
    text.set_clip_path(mp.Circle((0.5, 0.5), 0.1, transform=ax.transData))


@case()
def images(ax, rng) -> None:
    ax.imshow(rng.random((4, 6)), origin="lower", extent=(5, 0, 3, 0), interpolation="nearest", aspect="auto")
    image = ax.imshow(rng.random((30, 30)) * 1000 + 1, norm=colors.LogNorm(), interpolation="bicubic", extent=(5, 8, 0, 3))
    image.set_clip_path(mp.Circle((6.5, 1.5), 1.2, transform=ax.transData))
    rotated = ax.imshow(rng.random((20, 20)), interpolation="none", extent=(8, 10, 0, 2))
    rotated.set_transform(mt.Affine2D().rotate_deg(20) + ax.transData)
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 3.5)


@case()
def figure_images_and_filters(ax, rng) -> None:
    fig = ax.figure
    fig.figimage(rng.random((20, 30)), xo=10, yo=15, cmap="viridis", origin="upper")
    fig.figimage(rng.random((10, 10, 4)), xo=100, yo=50, alpha=0.5)

    def shadow(image: np.ndarray, dpi: float) -> tuple[np.ndarray, int, int]:
        out = np.zeros_like(image)
        out[..., 3] = image[..., 3] * 0.5
        return out, 3, -3

    (line,) = ax.plot([0, 4, 9], [0, 5, 2], lw=5, color="C2", zorder=2)
    line.set_agg_filter(shadow)
    line.set_rasterized(True)
    ax.set_rasterization_zorder(1.5)
    ax.fill_between([0, 9], 0, 1, zorder=1, color="C1", alpha=0.5)
    ax.pcolorfast([0, 1, 3, 6], [1, 2, 3], rng.random((2, 3)), cmap="cool")
    uneven = NonUniformImage(ax, interpolation="bilinear", extent=(6, 9, 0, 3), cmap="summer")
    uneven.set_data(np.array([6, 6.5, 8, 9.0]), np.array([0, 1, 3.0]), rng.random((3, 4)))
    ax.add_image(uneven)
    ax.imshow(rng.random((10, 10)), extent=(0, 3, 3, 5), interpolation="lanczos", alpha=rng.random((10, 10)))
    ax.set_xlim(0, 9)
    ax.set_ylim(0, 5)


@case()
def subfigures_insets_and_connections(ax, rng) -> None:
    fig = ax.figure
    ax.remove()
    left, right = fig.subfigures(1, 2, wspace=0.05)
    left.set_facecolor("0.9")
    left.suptitle("left", fontsize=8)
    main = left.subplots()
    x = np.linspace(0, 10, 200)
    main.plot(x, np.sin(x**1.3))
    inset = main.inset_axes([0.55, 0.55, 0.4, 0.4])
    inset.plot(x, np.sin(x**1.3))
    inset.set_xlim(2, 3)
    main.indicate_inset_zoom(inset, edgecolor="k")
    main.axline((0, 0), slope=0.1, color="r", ls="--")
    scaled = right.subplots()
    scaled.set_xscale("symlog", linthresh=1)
    scaled.set_yscale("logit")
    x = np.linspace(-50, 50, 100)
    scaled.plot(x, 1 / (1 + np.exp(-x / 10)))
    scaled.secondary_xaxis("top", functions=(lambda v: v * 2, lambda v: v / 2)).set_xlabel("doubled")
    fig.add_artist(mp.ConnectionPatch((5, 0.5), (0, 0.5), "data", "data", axesA=main, axesB=scaled,
                                      arrowstyle="->", color="m", lw=2))
    fig.text(0.5, 0.02, "a long caption that wraps inside the width of the figure, " * 2, wrap=True, ha="center",
             fontsize=7)


@case()
def labels_on_bars_and_contours(ax, rng) -> None:
    bars = ax.barh([0, 1], [3, -1], height=0.4, color=["C0", "C1"], xerr=0.3, capsize=4, tick_label=["alpha", "beta"])
    ax.bar_label(bars, fmt="%.1f", padding=3)
    ax.bar_label(bars, labels=["x", "y"], label_type="center", color="w", fontweight="bold")
    x, y = np.meshgrid(np.linspace(-3, 3, 40), np.linspace(-0.5, 1.5, 30))
    contours = ax.contour(x, y, np.exp(-x**2 - y**2) - 0.5 * np.exp(-(x - 1) ** 2 - (y - 0.5) ** 2), 6, cmap="RdGy")
    ax.clabel(contours, inline=True, fontsize=7, fmt="%.2f")
    ax.tricontourf(rng.random(40) * 6 - 3, rng.random(40) * 2 - 0.5, rng.random(40), levels=3,
                   hatches=["", "..", "//"], alpha=0.3)


@case("polar")
def polar(ax, rng) -> None:
    theta = np.linspace(0, 2 * np.pi, 100)
    ax.fill(theta, 1 + 0.3 * np.sin(5 * theta), alpha=0.5)
    ax.bar(np.linspace(0, 6, 8), rng.random(8), width=0.5, bottom=0.2, edgecolor="k", hatch="/")


@case("mollweide")
def mollweide(ax, rng) -> None:
    ax.plot(np.linspace(-3, 3, 50), np.sin(np.linspace(-3, 3, 50)))
    ax.scatter(rng.uniform(-3, 3, 30), rng.uniform(-1.5, 1.5, 30), c=rng.random(30))
    ax.grid(True)


@case("3d")
def surface_3d(ax, rng) -> None:
    x, y = np.meshgrid(np.linspace(-2, 2, 15), np.linspace(-2, 2, 15))
    ax.plot_surface(x, y, np.exp(-x**2 - y**2), cmap="viridis", edgecolor="k", lw=0.2, alpha=0.9)
    ax.bar3d(*rng.random((3, 4)), 0.2, 0.2, rng.random(4), shade=True, alpha=0.8)
    ax.text(0, 0, 1, "3D text", zdir="x")


@pytest.mark.parametrize("fonts", ["type3", "type42", "core14"])
@pytest.mark.parametrize("name", list(CASES))
def test_edge_case_renders_as_matplotlibs(name: str, fonts: str, tmp_pdf) -> None:
    draw, projection = CASES[name]
    rc = {"type3": {"pdf.fonttype": 3}, "type42": {"pdf.fonttype": 42}, "core14": {"pdf.use14corefonts": True}}[fonts]
    renders = {}
    for backend in ("pdf", OURS):
        path = tmp_pdf(f"{name}-{fonts}-{backend.split('.')[-1]}")
        with mpl.rc_context(rc), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # missing glyphs and similar, alike for both backends
            fig = Figure(figsize=(4, 3))
            draw(fig.add_subplot(projection=projection), np.random.default_rng(0))
            fig.savefig(path, format="pdf", backend=backend)
        with check_pdf(path, external=backend == OURS) as pdf:
            renders[backend] = pdf.render(0, 72).astype(int)
    a, b = renders["pdf"], renders[OURS]
    assert a.shape == b.shape
    differing = float((np.abs(a - b).max(axis=2) > CHANNEL_TOLERANCE).mean())
    assert differing <= MAX_DIFFERING, f"{differing:.3%} of pixels differ"
