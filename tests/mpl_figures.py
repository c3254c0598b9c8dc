"""A corpus of matplotlib figures for comparing pdfwriter's backend with matplotlib's own.

Each function builds and returns a Figure (never shown); FIGURES maps a
short name to each. Figures use fixed random seeds so both backends draw the
same data. Sizes are small so a whole corpus renders in seconds.
"""

from __future__ import annotations

from typing import Callable

import matplotlib
import numpy as np
from matplotlib.figure import Figure

#: (major, minor) of the matplotlib installed: a few of its PDF backend's behaviours changed in 3.11.
MATPLOTLIB_VERSION = tuple(int(part) for part in matplotlib.__version__.split(".")[:2])


def _fig(width: float = 4.0, height: float = 3.0) -> Figure:
    return Figure(figsize=(width, height))


def lines() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    x = np.linspace(0, 10, 200)
    for k in range(4):
        ax.plot(x, np.sin(x + k), linewidth=0.5 + k)
    ax.set_title("Lines of several widths")
    return fig


def dashes() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 50)
    for k, style in enumerate(["-", "--", "-.", ":", (0, (5, 2, 1, 2))]):
        ax.plot(x, x + k, linestyle=style, linewidth=2, dash_capstyle="round" if k == 3 else "butt")
    ax.set_xlabel("dash patterns")
    return fig


def markers() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    for k, marker in enumerate("o^sDv<>ph*+x.|_"):
        ax.plot(np.arange(5), np.full(5, k), marker=marker, markersize=7, linestyle="none",
                markerfacecolor="C%d" % (k % 10), markeredgecolor="k")
    ax.set_ylim(-1, 15)
    return fig


def large_scatter() -> Figure:
    rng = np.random.default_rng(1)
    fig = _fig()
    ax = fig.add_subplot()
    x, y = rng.normal(size=(2, 5000))
    ax.scatter(x, y, c=np.hypot(x, y), s=rng.uniform(2, 20, 5000), cmap="viridis", alpha=0.6)
    return fig


def hatches() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    for k, hatch in enumerate(["/", "\\\\", "|", "-", "+", "x", "o", "O", ".", "*"]):
        ax.bar(k, k + 1, hatch=hatch, color="white", edgecolor="C%d" % k)
    return fig


def hatches_default_size() -> Figure:
    fig = _fig(6.4, 4.8)
    ax = fig.add_subplot()
    for k, hatch in enumerate(["/", "\\\\", "|", "-", "+", "x"]):
        ax.bar(k, k + 1, hatch=hatch, color="white", edgecolor="C%d" % k)
    ax.fill_between([0, 5], [0.2, 0.2], [0.6, 0.6], hatch="//", facecolor="C9", alpha=0.4)
    return fig


def fill_between_alpha() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    x = np.linspace(0, 4 * np.pi, 300)
    ax.fill_between(x, np.sin(x), np.sin(x) + 1, alpha=0.3, color="C0")
    ax.fill_between(x, np.cos(x), np.cos(x) - 1, alpha=0.5, color="C1", linewidth=0)
    ax.plot(x, np.sin(x), color="k")
    return fig


def contour_colorbar() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    x, y = np.meshgrid(np.linspace(-3, 3, 60), np.linspace(-2, 2, 50))
    z = np.exp(-x**2 - y**2) - 0.5 * np.exp(-(x - 1) ** 2 - (y - 0.5) ** 2)
    filled = ax.contourf(x, y, z, levels=12, cmap="RdBu_r")
    lines_ = ax.contour(x, y, z, levels=6, colors="k", linewidths=0.5)
    ax.clabel(lines_, fontsize=6)
    fig.colorbar(filled, ax=ax)
    return fig


def pcolormesh_flat() -> Figure:
    rng = np.random.default_rng(2)
    fig = _fig()
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(rng.random((30, 40)), cmap="magma")
    fig.colorbar(mesh, ax=ax)
    return fig


def pcolormesh_gouraud() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    x, y = np.meshgrid(np.linspace(0, 1, 12), np.linspace(0, 1, 10))
    ax.pcolormesh(x, y, np.sin(6 * x) * np.cos(4 * y), shading="gouraud", cmap="viridis")
    return fig


def tripcolor() -> Figure:
    rng = np.random.default_rng(3)
    fig = _fig()
    ax = fig.add_subplot()
    x, y = rng.random((2, 60))
    ax.tripcolor(x, y, np.sin(5 * x) + y, cmap="plasma")
    ax.triplot(x, y, color="k", linewidth=0.3)
    return fig


def imshow_small() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    ax.imshow(np.arange(20).reshape(4, 5), cmap="tab20", interpolation="nearest")
    return fig


def imshow_large() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    y, x = np.mgrid[0:400, 0:500]
    ax.imshow(np.sin(x / 25.0) * np.cos(y / 30.0), cmap="coolwarm")
    return fig


def imshow_alpha_origin_lower() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    ax.plot([0, 20], [0, 15], color="C3", linewidth=3)
    data = np.add.outer(np.arange(16), np.arange(21)).astype(float)
    ax.imshow(data, origin="lower", alpha=0.5, cmap="viridis", interpolation="nearest")
    return fig


def imshow_uint16() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    data = (np.add.outer(np.arange(64), np.arange(80)) * 500).astype(np.uint16)
    ax.imshow(data, cmap="gray", interpolation="nearest")
    return fig


def clip_path() -> Figure:
    from matplotlib.patches import Circle

    fig = _fig()
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 100)
    lines_ = ax.plot(x, np.sin(10 * x), x, np.cos(10 * x), linewidth=3)
    circle = Circle((0.5, 0), 0.4, transform=ax.transData, facecolor="none")
    for line in lines_:
        line.set_clip_path(circle)
    ax.set_aspect("equal")
    return fig


def three_d() -> Figure:
    fig = _fig()
    ax = fig.add_subplot(projection="3d")
    x, y = np.meshgrid(np.linspace(-2, 2, 20), np.linspace(-2, 2, 20))
    ax.plot_surface(x, y, np.exp(-x**2 - y**2), cmap="viridis", linewidth=0)
    ax.set_title("surface")
    return fig


def legends() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    for k in range(5):
        ax.plot([0, 1], [k, k + 1], label=f"series {k}", marker="os^Dv"[k])
    ax.legend(loc="upper left", ncols=2, title="Legend title", shadow=True)
    fig.legend(["figure legend"], loc="lower right")
    return fig


def annotations_arrows() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0, 1, 0])
    ax.annotate("peak", xy=(1, 1), xytext=(1.4, 0.6), arrowprops={"arrowstyle": "->", "connectionstyle": "arc3,rad=0.3"})
    ax.annotate("fancy", xy=(0.5, 0.5), xytext=(0.1, 0.8),
                arrowprops={"arrowstyle": "fancy", "color": "C2"},
                bbox={"boxstyle": "round,pad=0.3", "fc": "lightyellow", "ec": "k"})
    ax.annotate("wedge", xy=(1.5, 0.5), xytext=(1.7, 0.9), arrowprops={"arrowstyle": "wedge,tail_width=0.5", "fc": "C1"})
    return fig


def mathtext() -> Figure:
    fig = _fig()
    fig.text(0.05, 0.8, r"$\alpha^2 + \beta_i = \frac{\sqrt{x}}{\sum_{k=0}^{n} k!}$", fontsize=14)
    fig.text(0.05, 0.5, r"Energy $E = mc^2$ and $\int_0^\infty e^{-x}\,dx$", fontsize=12)
    fig.text(0.05, 0.2, r"$\mathcal{L}\ \mathbb{R}\ \mathrm{roman}\ \mathit{italic}$", fontsize=12)
    return fig


def mathtext_cm() -> Figure:
    import matplotlib as mpl

    fig = _fig()
    with mpl.rc_context({"mathtext.fontset": "cm"}):
        fig.text(0.05, 0.6, r"$\sum_{i=1}^{n} x_i^2 \leq \sqrt{\frac{a}{b}}$", fontsize=16,
                 math_fontfamily="cm")
        fig.text(0.05, 0.3, r"$\gamma \otimes \nabla f$", fontsize=16, math_fontfamily="stix")
    return fig


def rotated_aligned_text() -> Figure:
    fig = _fig()
    for k, angle in enumerate([0, 30, 45, 90, 135]):
        fig.text(0.1 + 0.18 * k, 0.5, f"angle {angle}", rotation=angle, ha=["left", "center", "right"][k % 3],
                 va=["baseline", "center", "top", "bottom", "center_baseline"][k], fontsize=9)
    fig.text(0.5, 0.1, "multi-line\ncentred text", ha="center", multialignment="center")
    return fig


def font_families() -> Figure:
    fig = _fig()
    for k, family in enumerate(["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "STIXGeneral"]):
        fig.text(0.05, 0.85 - 0.2 * k, f"{family}: The quick brown fox", family=family, fontsize=11)
    fig.text(0.05, 0.05, "bold italic", weight="bold", style="italic")
    return fig


def unicode_text() -> Figure:
    fig = _fig()
    fig.text(0.05, 0.7, "Ünïcödé: àéîõü ß Ωμέγα Привет", fontsize=12)
    fig.text(0.05, 0.4, "Symbols: ±×÷ ≤≥ ∞ € → ✓", fontsize=12)
    return fig


def rasterized_artists() -> Figure:
    rng = np.random.default_rng(4)
    fig = _fig()
    ax = fig.add_subplot()
    ax.scatter(*rng.random((2, 300)), rasterized=True, color="C0")
    ax.plot([0, 1], [0, 1], color="C1")
    ax.pcolormesh(np.linspace(0, 1, 11), np.linspace(0, 0.3, 4), rng.random((3, 10)), rasterized=True, alpha=0.7)
    return fig


def nan_data() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    x = np.linspace(0, 10, 100)
    y = np.sin(x)
    y[20:25] = np.nan
    y[60] = np.inf
    ax.plot(x, y, marker=".")
    ax.scatter(x[::5], np.where(np.arange(20) % 4 == 0, np.nan, y[::5]), color="C1")
    return fig


def empty_figure() -> Figure:
    return _fig()


def bars_errorbars() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    ax.bar(np.arange(5), [3, 5, 2, 6, 4], yerr=[0.5, 0.4, 0.3, 0.6, 0.2], capsize=4, color="C0", edgecolor="k")
    ax.barh([1, 3], [2, 4], left=6, color="C2", alpha=0.7)
    ax.grid(True, linestyle=":")
    return fig


def subplots_ticks() -> Figure:
    fig = _fig(5, 4)
    axes = fig.subplots(2, 2)
    x = np.logspace(0, 3, 50)
    axes[0, 0].loglog(x, x**1.5)
    axes[0, 1].semilogy(x, np.exp(x / 300))
    axes[1, 0].hist(np.random.default_rng(5).normal(size=2000), bins=30)
    axes[1, 1].pie([3, 2, 5], labels=["a", "b", "c"], autopct="%1.0f%%")
    fig.tight_layout()
    return fig


def polar_and_patches() -> Figure:
    from matplotlib.patches import Ellipse, FancyBboxPatch, Polygon

    fig = _fig(5, 3)
    ax = fig.add_subplot(1, 2, 1, projection="polar")
    theta = np.linspace(0, 2 * np.pi, 100)
    ax.plot(theta, 1 + 0.5 * np.sin(5 * theta))
    ax2 = fig.add_subplot(1, 2, 2)
    ax2.add_patch(Ellipse((0.5, 0.5), 0.6, 0.3, angle=30, facecolor="C0", alpha=0.5))
    ax2.add_patch(Polygon([[0.1, 0.1], [0.3, 0.2], [0.2, 0.4]], closed=True, facecolor="C1", edgecolor="k", joinstyle="round"))
    ax2.add_patch(FancyBboxPatch((0.6, 0.1), 0.3, 0.2, boxstyle="round,pad=0.05", facecolor="C2"))
    return fig


def streamplot_quiver() -> Figure:
    fig = _fig()
    ax = fig.add_subplot()
    y, x = np.mgrid[-2:2:20j, -2:2:20j]
    ax.streamplot(x, y, -y, x, density=0.7, color="C0", linewidth=0.8)
    ax.quiver(x[::4, ::4], y[::4, ::4], -y[::4, ::4], x[::4, ::4], color="C3")
    return fig


def sketch_violin_table() -> Figure:
    import matplotlib as mpl

    rng = np.random.default_rng(6)
    fig = _fig(5, 4)
    with mpl.rc_context({"path.sketch": (1.5, 60, 2)}):
        ax = fig.add_subplot(2, 2, 1)
        ax.plot(np.sin(np.linspace(0, 6, 50)), color="C0", linewidth=2)
    ax2 = fig.add_subplot(2, 2, 2)
    ax2.violinplot([rng.normal(size=200), rng.normal(1, 0.5, size=200)], showmedians=True)
    ax3 = fig.add_subplot(2, 2, 3)
    ax3.step(np.arange(10), rng.random(10), where="mid")
    ax3.eventplot([rng.random(10) * 9], lineoffsets=0.5, linelengths=0.2, colors="C3")
    ax3.text(2, 0.8, "boxed", bbox={"boxstyle": "sawtooth", "fc": "w"})
    ax4 = fig.add_subplot(2, 2, 4)
    ax4.axis("off")
    ax4.table(cellText=[["1", "2"], ["3", "4"]], colLabels=["a", "b"], loc="center")
    return fig


FIGURES: dict[str, Callable[[], Figure]] = {
    f.__name__: f
    for f in (
        lines, dashes, markers, large_scatter, hatches, hatches_default_size, fill_between_alpha, contour_colorbar,
        pcolormesh_flat, pcolormesh_gouraud, tripcolor, imshow_small, imshow_large,
        imshow_alpha_origin_lower, imshow_uint16, clip_path, three_d, legends, annotations_arrows,
        mathtext, mathtext_cm, rotated_aligned_text, font_families, unicode_text, rasterized_artists,
        nan_data, empty_figure, bars_errorbars, subplots_ticks, polar_and_patches, streamplot_quiver,
        sketch_violin_table,
    )
}
