"""Colour maps: values to colours through a 256-entry palette, NaN to a 'bad' colour.

The viridis, magma, inferno and plasma tables (Stéfan van der Walt and
Nathaniel Smith) and cividis (Jamie Nuñez, Christopher Anderton and Ryan
Renslow) are published under CC0; they are stored here as 256 RGB triples,
sampled once from matplotlib's colormaps, which need not be installed. "gray"
is the plain ramp. Each name also exists reversed, with "_r" appended.
"""

from __future__ import annotations

import base64
import difflib
from typing import Any, Callable

import numpy as np

from ..errors import ImageError
from ..graphics.color import parse_color
from .sources import ImageInput, raw_array

# 256 RGB triples per map, base64-encoded.
_TABLES = {
    "viridis": (
        "RAFURAJWRQRXRQVZRgdaRghcRgpdRgteRw1gRw5hRxBjRxFkRxNlSBRnSBZoSBdpSBhqSBpsSBttSBxuSB1vSB9wSCBx"
        "SCFzSCN0SCR1SCV2SCZ3SCh4SCl5Ryp6Ryx6Ry17Ry58Ry99RjB+RjJ+RjN/RjSARTWBRTeBRTiCRDmDRDqDRDuEQz2E"
        "Qz6FQj+FQkCGQkGGQUKHQUSHQEWIQEaIP0eIP0iJPkmJPkqJPkyKPU2KPU6KPE+KPFCLO1GLO1KLOlOLOlSMOVWMOVaM"
        "OFiMOFmMN1qMN1uNNlyNNl2NNV6NNV+NNGCNNGGNM2KNM2ONMmSOMmWOMWaOMWeOMWiOMGmOMGqOL2uOL2yOLm2OLm6O"
        "Lm+OLXCOLXGOLHGOLHKOLHOOK3SOK3WOKnaOKneOKniOKXmOKXqOKXuOKHyOKH2OJ36OJ3+OJ4COJoGOJoKOJoKOJYOO"
        "JYSOJYWOJIaOJIeOI4iOI4mOI4qNIouNIoyNIo2NIY6NIY+NIZCNIZGMIJKMIJKMIJOMH5SMH5WLH5aLH5eLH5iLH5mK"
        "H5qKHpuKHpyJHp2JH56JH5+IH6CIH6GIH6GHH6KHIKOGIKSGIaWFIaaFIqeFIqiEI6mDJKqDJauCJayCJq2BJ62BKK6A"
        "Ka9/KrB/LLF+LbJ9LrN8L7R8MbV7MrZ6NLZ5Nbd5N7h4OLl3Orp2O7t1Pbx0P7xzQL1yQr5xRL9wRsBvSMFuSsFtTMJs"
        "TsNrUMRqUsVpVMVoVsZnWMdlWshkXMhjXsliYMpgY8tfZcteZ8xcac1bbM1abs5YcM9Xc9BWddBUd9FTetFRfNJQf9NO"
        "gdNNhNRLhtVJidVIi9ZGjtZFkNdDk9dBldhAmNg+m9k8ndk7oNo5oto3pds2qNs0qtwyrdwwsN0vst0ttd4ruN4put4o"
        "vd8mwN8lwt8jxeAhyOAgyuEfzeEd0OEc0uIb1eIa2OIZ2uMZ3eMY3+MY4uQY5eQZ5+QZ6uUa7OUb7+Uc8eUd9OYe9uYg"
        "+OYh++cj/ecl"
    ),
    "magma": (
        "AAAEAQAFAQEGAQEIAgEJAgILAgINAwMPAwMSBAQUBQQWBgUYBgUaBwYcCAceCQcgCggiCwkkDAkmDQopDgsrEAstEQwv"
        "Eg0xEw00FA42FQ44Fg87GA89GRA/GhBCHBBEHRFHHhFJIBFLIRFOIhFQJBJTJRJVJxJYKRFaKhFcLBFfLRFhLxFjMRFl"
        "MxBnNBBpNhBrOBBsOQ9uOw9wPQ9xPw9yQA90Qg91RA92RRB3RxB4SRB4ShB5TBF6ThF7TxJ7URJ8UhN8VBN9VhR9VxV+"
        "WRV+WhZ+XBZ/XRd/Xxh/YBiAYhmAZBqAZRqAZxuAaByBahyBax2BbR2Bbh6BcB+Bch+BcyCBdSGBdiGBeCKBeSKCeyOC"
        "fCOCfiSCgCWCgSWBgyaBhCaBhieBiCeBiSiBiymBjCmBjiqBkCqBkSuBkyuAlCyAliyAmC2AmS2Amy5/nC5/ni9/oC9/"
        "oTB+ozB+pTF+pjF9qDJ9qjN9qzN8rTR8rjR7sDV7sjV7szZ6tTZ6tzd5uDd5ujh4vDl4vTl3vzp3wDp2wjt1xDx1xTx0"
        "xz1zyD5zyj5yzD9xzUBxz0Bw0EFv0kJv00Nu1URt1kVs2EVs2UZr20dq3Ehp3klo30po4Exn4k1m405l5E9k5VBk51Jj"
        "6FNi6VRi6lZh61dg7Fhg7Vpf7lte711e8F9e8WBd8mJd8mRc82Vc9Gdc9Glc9Wtc9mxc9m5c93Bc93Jc+HRc+HZc+Xhd"
        "+Xld+Xtd+n1e+n9e+oFf+4Nf+4Vg+4dh/Ilh/Ipi/Ixj/I5k/JBl/ZJm/ZRn/ZZo/Zhp/Zpq/Ztr/p1s/p9t/qFu/qNv"
        "/qVx/qdy/qlz/qp0/qx2/q53/rB4/rJ6/rR7/rZ8/rd+/rl//ruB/r2C/r+E/sGF/sKH/sSI/saK/siM/sqN/syP/s2Q"
        "/s+S/tGU/tOV/tWX/teZ/tia/dqc/dye/d6g/eCh/eKj/eOl/eWn/eep/emq/eus/Oyu/O6w/PCy/PK0/PS2/Pa4/Pe5"
        "/Pm7/Pu9/P2/"
    ),
    "inferno": (
        "AAAEAQAFAQEGAQEIAgEKAgIMAgIOAwIQBAMSBAMUBQQXBgQZBwUbCAUdCQYfCgciCwckDAgmDQgpDgkrEAktEQowEgoy"
        "FAs0FQs3Fgs5GAw8GQw+GwxBHAxDHgxFHwxIIQxKIwxMJAxPJgxRKAtTKQtVKwtXLQtZLwpbMQpcMgpeNApfNglhOAli"
        "OQljOwlkPQllPglmQApnQgpoRApoRQppRwtqSQtqSgxrTAxrTQ1sTw1sUQ5sUg5tVA9tVQ9tVxBuWRBuWhFuXBJuXRJu"
        "XxNuYRNuYhRuZBVuZRVuZxZuaRZuahdubBhubRhubxlucRluchpudBpudRtudxxteBxteh1tfB1tfR5tfx5sgB9sgiBs"
        "hCBrhSFrhyFriCJqiiJqjCNpjSNpjyRpkCVokiVokyZnlSZnlydmmCdmmihlmylknSlknypjoCpjoitioyxhpSxgpi1g"
        "qC5fqS5eqy9erTBdrjBcsDFbsTJaszJatDNZtjRYtzVXuTVWujZVvDdUvThTvzlSwDpRwTpQwztPxDxOxj1Nxz5MyD9L"
        "ykBKy0FJzEJIzkNHz0RG0EVF0kZE00dD1EhC1UpB10s/2Ew+2U092k4821A73VE63lI431M34FU24VY14lc041kz5Fox"
        "5Vww5l0v514u6GAt6WEr6mMq62Qp62Yo7Gcm7Wkl7mok72wj724h8G8g8XEf8XMd8nQc83Yb83gZ9HkY9XsX9X0V9n4U"
        "9oAT94IS94QQ+IUP+IcO+IkM+YsL+YwK+Y4J+pAI+pIH+pQH+5YG+5cG+5kG+5sG+50H/J8H/KEI/KMJ/KUK/KYM/KgN"
        "/KoP/KwR/K4S/LAU/LIW/LQY+7Ya+7gd+7of+7wh+74j+sAm+sIo+sQq+sYt+ccv+cky+cs1+M03+M8699E999NA9tVD"
        "9tdG9dlJ9dtM9N1P9N9T9OFW8+Na8+Vd8uZh8uhl8upp8ext8e1x8e918fF58vJ98vSC8/WG8/aK9PiO9fmS9vqW+Pua"
        "+fyd+v2h/P+k"
    ),
    "plasma": (
        "DQiHEAeIEweJFgeKGQaMGwaNHQaOIAaPIgaQJAaRJgWRKAWSKgWTLAWULgWVLwWWMQWXMwWXNQSYNwSZOASaOgSaPASb"
        "PgScPwScQQSdQwOeRAOeRgOfSAOfSQOgSwOhTAKhTgKiUAKiUQKjUwKjVQKkVgGkWAGkWQGlWwGlXAGmXgGmYAGmYQCn"
        "YwCnZACnZgCnZwCoaQCoagCobACobgCobwCocQCocgGodAGodQGodwGoeAGoegKoewKofQOofgOogASogQSngwWnhAWn"
        "hgamhwemiAimigmliwqljQuljgykjw2kkQ6jkg+jlBCilRGhlhOhmBSgmRWfmhafnBeenRidnhmdoBqcoRuboh2aox6a"
        "pR+ZpiCYpyGXqCKWqiOVqySUrCaUrSeTriiSsCmRsSqQsiuPsyyOtC6NtS+MtjCLtzGKuDKJujOIuzSIvDWHvTeGvjiF"
        "vzmEwDqDwTuCwjyBwz2AxD5/xUB+xkF9x0J8yEN7yUR6ykV6y0Z5zEd4zEl3zUp2zkt1z0x00E1z0U5y0k9x01Fx1FJw"
        "1VNv1VRu1lVt11Zs2Fdr2Vhq2lpq2ltp21xo3F1n3V5m3l9l3mFk32Jj4GNj4WRi4mVh4mZg42hf5Gle5Wpd5Wtd5mxc"
        "525b529a6HBZ6XFY6XJX6nRX63VW63ZV7HdU7XlT7XpS7ntR73xR735Q8H9P8IBO8YFN8YNM8oRL84VL84dK9IhJ9IlI"
        "9YtH9YxG9o1F9o9E95BE95FD95NC+JRB+JVA+Zc/+Zg++Zo++ps9+pw8+p47+586+6E5+6I4/KM4/KU3/KY2/Kg1/Kk0"
        "/asz/awz/a4y/a8x/bEw/bIv/bQv/bUu/rct/rgs/ros/rsr/r0q/r4q/sAp/cIp/cMo/cUn/cYn/cgn/com/csm/M0l"
        "/M4l/NAl/NIl+9Mk+9Uk+9ck+tgk+tok+dwk+d0l+N8l+OEl9+Il9+Ql9uYm9ugm9ekm9esn9O0n8+4n8/An8vIn8fQm"
        "8fUl8Pck8Pkh"
    ),
    "cividis": (
        "ACJOACNPACRRACVTACVUACZWACdYAChZAChbACldACpfACphACtiACxkACxmAC1oAC5qAC5sAC9tADBvADBwADFwADFx"
        "ATJxBTNxCDNwDDRwDzVwEjVwFDZwFjdwGDdvGjhvHDlvHjpvIDpvITtuIzxuJDxuJj1uJz5uKT9uKj9tK0BtLUFtLkFt"
        "L0JtMUNtMkNtM0RtNEVsNUVsNkZsOEdsOUhsOkhsO0lsPEpsPUpsPktsP0xsQExsQU1sQk5sQ05sRE9sRVBsRlFsR1Fs"
        "SFJsSVNsSlNsS1RsTFVsTVVsTlZsT1dsUFdsUVhtUlltU1ptVFptVVttVVxtVlxtV11tWF5tWV5uWl9uW2BuXGFuXWFu"
        "XmJuXmNvX2NvYGRvYWVvYmVvY2ZwZGdwZWhwZWhwZmlwZ2pxaGpxaWtxamxxa21ybG1ybG5ybW9ybm9zb3BzcHFzcXJ0"
        "cnJ0cnN0c3R1dHR1dXV1dnZ2d3d2d3d3eHh3eXl3enp4e3p4fHt4fXx4fnx4fn14f354gH94gX94goB5g4F5hIJ5hYJ5"
        "hoN5h4R4iIV4iYV4ioZ4i4d4jIh4jYh4jol4j4p4kIt4kYt4kox4ko14k454lI53lY93lpB3l5F3mJJ3mZJ3mpN2m5R2"
        "nJV2nZV2npZ2n5d1oJh1oZl1opl1o5p0pJt0pZx0ppx0p51zqJ5zqZ9zqqBzq6ByrKFyraJyrqNxr6RxsKVxsaVws6Zw"
        "tKdvtahvtqlvt6luuKpuuattuqxtu61tvK5sva5svq9rv7BrwLFqwbJqwrNpw7NpxLRoxbVoxrZnx7dnyLhmyblly7ll"
        "zLpkzbtjzrxjz71i0L5i0b9h0sBg08Bf1MFf1cJe1sNd18Rc2cVc2sZb28da3MhZ3chY3slY38pX4MtW4cxV4s1U5M5T"
        "5c9S5tBR59FQ6NJP6dNO6tNM69RL7dVK7tZJ79dI8NhG8dlF8tpE89tC9dxB9t0/994++N88+eA6++E4/OI2/eM0/uQ0"
        "/uU1/uY2/ug4"
    ),
}
COLORMAPS: dict[str, np.ndarray] = {
    name: np.frombuffer(base64.b64decode("".join(text)), dtype=np.uint8).reshape(256, 3)
    for name, text in _TABLES.items()
}
COLORMAPS["gray"] = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
COLORMAPS.update({f"{name}_r": table[::-1].copy() for name, table in list(COLORMAPS.items())})
NORMS = ("linear", "log")


def colormap_table(cmap: Any) -> np.ndarray:
    """A (256, 3) or (256, 4) uint8 table from a name, a list of colours, or a callable on 0..1 floats."""
    if isinstance(cmap, str):
        table = COLORMAPS.get(cmap)
        if table is None:
            near = difflib.get_close_matches(cmap, COLORMAPS, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"use one of {', '.join(sorted(COLORMAPS))}"
            raise ImageError(f"unknown colormap {cmap!r}: {hint}, a list of colours or a callable")
        return table
    if callable(cmap):
        table = _table_from_callable(cmap)
    elif isinstance(cmap, (list, tuple)) and len(cmap) >= 2:
        table = _table_from_colors(cmap)
    else:
        raise ImageError(f"cmap must be a colormap name, a list of at least 2 colours or a callable, not {cmap!r:.60}")
    opaque = table.shape[1] == 3 or bool((table[:, 3] == 255).all())
    return np.ascontiguousarray(table[:, :3]) if opaque else table


def _table_from_callable(cmap: Callable[[np.ndarray], Any]) -> np.ndarray:
    """Evaluate a callable at 256 points from 0 to 1; it returns RGB(A) as 0..1 floats or uint8."""
    colors = np.asarray(cmap(np.linspace(0.0, 1.0, 256)))
    if colors.shape not in ((256, 3), (256, 4)):
        raise ImageError(f"a cmap callable must map 256 values to (256, 3) or (256, 4) colours, not {colors.shape}")
    if colors.dtype == np.uint8:
        return colors
    try:
        colors = colors.astype(np.float64)
    except (TypeError, ValueError):
        raise ImageError(f"a cmap callable must return colours as numbers, not dtype {colors.dtype}") from None
    if not ((colors >= 0) & (colors <= 1)).all():
        raise ImageError("a cmap callable must return colours as 0..1 floats (or uint8)")
    return np.round(colors * 255).astype(np.uint8)


def _table_from_colors(colors: Any) -> np.ndarray:
    """Interpolate evenly spaced colours (any form parse_color reads) into 256 RGBA entries."""
    parsed = [parse_color(c, name="cmap colour") for c in colors]
    stops = np.array([(*c.rgb(), c.alpha) if c is not None else (0.0, 0.0, 0.0, 0.0) for c in parsed])
    positions = np.linspace(0.0, 1.0, len(stops))
    at = np.linspace(0.0, 1.0, 256)
    table = np.stack([np.interp(at, positions, stops[:, k]) for k in range(4)], axis=1)
    return np.round(table * 255).astype(np.uint8)


def apply_colormap(
    values: Any,
    cmap: Any = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    *,
    norm: str = "linear",
    bad: Any = None,
) -> ImageInput:
    """Colour-map a 2-D array of values: an Indexed image (uint8 indices, 256-colour palette).

    Values are scaled from vmin..vmax (default: the finite data range) onto
    the 256 entries, as matplotlib does; values outside are clipped to the
    ends. "log" scales log10 of the values and treats values <= 0 as bad.
    NaN and infinite values, and the masked entries of a masked array, take
    the `bad` colour, transparent by default (alpha from an SMask); an opaque
    bad colour gives an RGB image.
    """
    if norm not in NORMS:
        raise ImageError(f"norm must be one of {', '.join(map(repr, NORMS))}, not {norm!r}")
    data = raw_array(values)
    masked = None
    if isinstance(data, np.ma.MaskedArray):
        masked = np.ma.getmaskarray(data)
        data = data.data
    if data.ndim == 3 and data.shape[2] == 1:
        data = data[:, :, 0]
    if data.ndim != 2 or data.size == 0:
        raise ImageError(f"colour-mapped values must be a non-empty 2-D array, not shape {data.shape}")
    if data.dtype.kind not in "biuf":
        raise ImageError(f"colour-mapped values must be real numbers, not dtype {data.dtype}")
    data = data.astype(np.float64 if data.dtype.itemsize > 4 or data.dtype.kind in "iu" else np.float32, copy=False)
    good = np.isfinite(data)
    if masked is not None:
        if masked.ndim == 3:
            masked = masked[:, :, 0]
        good &= ~masked
    if norm == "log":
        good &= data > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            data = np.log10(np.where(good, data, 1))
    low, high = _limits(data, good, vmin, vmax, norm)
    if low > high:
        raise ImageError(
            f"vmin ({vmin if vmin is not None else 'the data minimum'}) is above vmax "
            f"({vmax if vmax is not None else 'the data maximum'}): for a reversed map use its '_r' name "
            "(e.g. 'viridis_r')"
        )
    span = high - low
    if data.dtype == np.float32 and abs(span) > float(np.finfo(np.float32).max):
        data = data.astype(np.float64)  # a range beyond float32's (values near +-3e38) is scaled in float64
    if not np.isfinite(span):
        data, low, high = data * 0.5, low * 0.5, high * 0.5  # and one beyond float64's at half size
    with np.errstate(invalid="ignore"):
        scaled = np.where(good, (data - low) / (high - low) * 256 if high > low else 0, 0)
    indices = np.clip(scaled, 0, 255).astype(np.uint8)
    table = colormap_table(cmap)
    palette = np.ascontiguousarray(table[:, :3])
    opacity = table[:, 3] if table.shape[1] == 4 else None
    alpha = None if opacity is None else opacity[indices]
    if not good.all():
        bad_color = parse_color(bad, name="bad") if bad is not None else None
        bad_alpha = 0 if bad_color is None else int(round(bad_color.alpha * 255))
        if bad_alpha > 0:
            rgb = palette[indices]
            rgb[~good] = np.round(np.array(bad_color.rgb()) * 255).astype(np.uint8)
            if alpha is None and bad_alpha < 255:
                alpha = np.full(indices.shape, 255, dtype=np.uint8)
            if alpha is not None:
                alpha[~good] = bad_alpha
            height, width = indices.shape
            return ImageInput(width, height, "rgb", rgb, alpha)
        if alpha is None:
            alpha = good
        else:
            alpha[~good] = 0
    height, width = indices.shape
    return ImageInput(width, height, "indexed", indices[:, :, None], alpha, palette)


def _limits(data: np.ndarray, good: np.ndarray, vmin: Any, vmax: Any, norm: str) -> tuple[float, float]:
    """The scaled range: vmin and vmax (log10 of them for "log"), else the finite data range."""
    limits = []
    for name, value, pick in (("vmin", vmin, np.min), ("vmax", vmax, np.max)):
        if value is None:
            limits.append(float(pick(data[good])) if good.any() else 0.0)
            continue
        need = "a finite number > 0 (norm='log')" if norm == "log" else "a finite number"
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise ImageError(f"{name} must be {need}, not {value!r}") from None
        if not np.isfinite(number) or (norm == "log" and number <= 0):
            raise ImageError(f"{name} must be {need}, not {value!r}")
        limits.append(float(np.log10(number)) if norm == "log" else number)
    return limits[0], limits[1]
