"""Image XObjects in their smallest lossless form, compressed fast.

An ImageInput becomes a colour image stream and, when some pixel is not fully
opaque, a separate soft-mask (SMask) stream. On the way: RGB whose channels are
all equal becomes DeviceGray; up to 256 distinct colours become an Indexed
image of 1, 2, 4 or 8 bits per pixel (gray with up to 16 levels too); an
alpha plane of only 0 and full becomes a 1-bit mask; 16-bit stays 16-bit.
Flate data uses the PNG row filter (none, Sub or Up) and zlib strategy that
compress a sample of rows best (for filtered rows from level 4 up, Z_FILTERED
as libpng uses, which keeps array input as small as Pillow's PNG files);
planes over 8 MiB are deflated at level 3 at most with Python's zlib (its
level 6 takes two to three times as long there), at the level asked for with
zlib-ng. Large planes are cut into pieces
of whole rows that the worker threads filter and deflate (pdf/deflate.py),
joined into one stream; the filter trials run side by side on those threads too.

Where the time goes, measured on the 1920 x 1080 screenshots of
benchmarks/bench_images.py (CPU per image): deflate 29.5 ms, filter trials
3.5 ms, SHA-256 for the content key 3 ms, Adler-32 1.6 ms, filtering 0.7 ms.
zlib is the floor at this size: the screenshots' photo region (a third of
the rows) takes two thirds of it, and every cheaper setting costs more bytes
than the margin under Pillow's PNG output (0.2%): Z_FILTERED at level 5,
10% faster, +0.6%; level 4, +1.2%; level 3 (no lazy matching), twice as fast,
+20%; the run-length strategy, +21%. Smaller windows or memLevels are slower
(more window slides). Of the other PNG filters, Average makes these images
2.4% larger and Paeth 0.3% smaller for 30 ms of numpy per image, so only
None, Sub and Up are tried.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from ..pdf.deflate import ENGINE_NAME, TRIAL_LEVEL, WINDOW, Deflating, PieceMaker, deflate_parts, worker_pool
from ..pdf.deflate import deflate as _deflate
from ..pdf.objects import Name, Reference, Stream
from .palette import few_colors, is_gray, sample
from .sources import ImageInput

_DEVICE = {"gray": Name("DeviceGray"), "rgb": Name("DeviceRGB"), "cmyk": Name("DeviceCMYK")}
_ICC_SPACES = {b"GRAY": 1, b"RGB ": 3, b"CMYK": 4}
_ALTERNATE = {1: _DEVICE["gray"], 3: _DEVICE["rgb"], 4: _DEVICE["cmyk"]}
_FLATE = Name("FlateDecode")
_XOBJECT, _IMAGE = Name("XObject"), Name("Image")
# Bytes of rows compressed (at TRIAL_LEVEL) per trial of a row filter; planes up to _TRIAL_ALL
# are tried whole, at the level asked for. 256 KiB chose as well as 512 KiB on the
# screenshots of benchmarks/bench_images.py, in half the time (a quarter of the encoding time).
_SAMPLE_BYTES = 1 << 18
_TRIAL_ALL = 1 << 17
# Planes smaller than four samples are sampled a quarter at a time (at least _SAMPLE_MIN): a
# 231 x 288 RGB image (195 KiB) was otherwise tried whole six times over, 9 ms of trials
# for a 4 ms deflate.
_SAMPLE_MIN = 1 << 15
# Whole-plane trials of planes this large run side by side too: a 300 x 400 colour-mapped plane's
# five trial compressions took 7 ms one after another on the calling thread.
_PARALLEL_TRIALS = 1 << 15
# Planes larger than this are deflated at level _LARGE_LEVEL at most. With Python's zlib,
# level 6 takes two to three times level 3's time there for output some 25% smaller, so 3;
# zlib-ng's level 6 costs little more than its 3 (a 3840 x 2160 screenshot: 51 ms against
# 31 ms, 4% smaller; a noisy 3000 x 4000 RGBA image: the same time and size), so 6.
_LARGE_PLANE = 1 << 23
_LARGE_LEVEL = 6 if ENGINE_NAME == "zlib-ng" else 3
# Compression that saves less than this fraction is not worth a filter: the data is stored.
_MIN_SAVING = 0.02
# Trials within this fraction of the smallest count as equal; of those, the strategy first in
# _SPEED_RANK (the quickest to deflate) is chosen.
_CLOSE = 0.003
_SPEED_RANK = {zlib.Z_HUFFMAN_ONLY: 0, zlib.Z_RLE: 1}
# Deflate pieces of image planes, in whole rows (smaller than the writer's: a 1920 x 1080 RGB plane
# spreads over six pieces, so two processors share it; primed with the 32 KiB of filtered rows before
# them, the pieces of the benchmark's screenshots come out 0.2% smaller than one whole stream).
# Planes under two pieces are deflated in one, on the calling thread.
_PIECE = 1 << 20

@dataclass
class _Plane:
    """Packed sample rows (H, bytes per row) and what the image dictionary says about them."""

    rows: np.ndarray
    colors: int
    bits: int
    entries: dict[str, Any] = field(default_factory=dict)


def icc_components(profile: bytes) -> int | None:
    """The colour components of an ICC profile (1, 3 or 4, from its header), or None if unusable."""
    return _ICC_SPACES.get(profile[16:20]) if len(profile) >= 128 else None


def icc_stream(profile: bytes) -> Stream:
    """An ICCBased colour space stream for a profile whose icc_components is not None."""
    n = icc_components(profile)
    return Stream(profile, {"N": n, "Alternate": _ALTERNATE[n]})


def encode_image(
    image: ImageInput, *, compress_level: int = 6, interpolate: bool = False, icc: Reference | None = None
) -> tuple[Stream, Stream | None]:
    """The image XObject stream and its SMask stream (None when opaque), ready to add to a writer.

    `icc` is the reference of an ICCBased stream for the image's colours (see
    icc_stream); the caller sets the colour stream's /SMask to the added mask.
    `compress_level` 0 stores the samples uncompressed.
    """
    if image.encoded is not None:
        entries = {**image.encoded.entries, "ColorSpace": _space(image.space, image.palette, icc)}
        return _stream(image, image.encoded.bits, entries, image.encoded.data, interpolate), None
    planes = [_color_plane(image, icc)]
    mask = _alpha_plane(image.alpha)
    if mask is not None:
        planes.append(mask)
    packed = _compress_planes(planes, image.width, compress_level)
    streams = [
        _stream(image, plane.bits, {**plane.entries, **filters}, data, interpolate)
        for plane, (data, filters) in zip(planes, packed)
    ]
    return streams[0], (streams[1] if mask is not None else None)


def _stream(image: ImageInput, bits: int, entries: dict[str, Any], data: bytes, interpolate: bool) -> Stream:
    """An image XObject stream, with its data already in final (filtered) form."""
    dictionary = {
        "Type": _XOBJECT, "Subtype": _IMAGE, "Width": image.width, "Height": image.height,
        "BitsPerComponent": bits, **entries,
    }  # fmt: skip
    if interpolate:
        dictionary["Interpolate"] = True
    return Stream(data, dictionary, compress=False)


def _space(space: str, palette: np.ndarray | None, icc: Reference | None) -> Any:
    """The PDF colour space: a device space, [/ICCBased ref], or [/Indexed base hival lookup]."""
    if space == "indexed":
        base = _space("gray" if palette.shape[1] == 1 else "rgb", None, icc)
        return [Name("Indexed"), base, len(palette) - 1, palette.tobytes()]
    return [Name("ICCBased"), icc] if icc is not None else _DEVICE[space]


# Choosing the form -------------------------------------------------------------------


def _color_plane(image: ImageInput, icc: Reference | None) -> _Plane:
    """The colour samples in their smallest form: 1-bit, gray, indexed, or as given."""
    pixels = image.pixels
    height, width, channels = pixels.shape
    if pixels.dtype == np.bool_:
        return _Plane(np.packbits(pixels[:, :, 0], axis=1), 1, 1, {"ColorSpace": _space("gray", None, icc)})
    if image.space == "indexed":
        return _indexed_plane(pixels[:, :, 0], image.palette, icc)
    space = image.space
    if space == "rgb" and icc is None and is_gray(pixels):
        pixels, space, channels = np.ascontiguousarray(pixels[:, :, :1]), "gray", 1
    if pixels.dtype == np.uint8 and space in ("gray", "rgb"):
        found = few_colors(pixels, 16 if space == "gray" else 256)
        if found is not None:
            return _indexed_plane(*found, icc)
    bits = 16 if pixels.dtype == np.uint16 else 8
    if bits == 16:
        rows = pixels.astype(">u2").view(np.uint8).reshape(height, -1)
    else:
        rows = pixels.reshape(height, -1)
    return _Plane(rows, channels, bits, {"ColorSpace": _space(space, None, icc)})


def _indexed_plane(indices: np.ndarray, palette: np.ndarray, icc: Reference | None) -> _Plane:
    """Indices packed at 1, 2, 4 or 8 bits with the palette trimmed to the entries used."""
    count = int(indices.max()) + 1
    if count > len(palette):
        palette = np.vstack([palette, np.zeros((count - len(palette), palette.shape[1]), dtype=np.uint8)])
    palette = np.ascontiguousarray(palette[:count], dtype=np.uint8)
    bits = 1 if count <= 2 else 2 if count <= 4 else 4 if count <= 16 else 8
    return _Plane(pack_bits(indices, bits), 1, bits, {"ColorSpace": _space("indexed", palette, icc)})


def pack_bits(values: np.ndarray, bits: int) -> np.ndarray:
    """Pack (H, W) uint8 values below 2**bits into rows of bytes, most significant bits first."""
    if bits == 8:
        return values
    per_byte = 8 // bits
    height, width = values.shape
    padded = np.zeros((height, -(-width // per_byte) * per_byte), dtype=np.uint8)
    padded[:, :width] = values
    groups = padded.reshape(height, -1, per_byte)
    out = groups[:, :, 0] << np.uint8(8 - bits)
    for k in range(1, per_byte):
        out |= groups[:, :, k] << np.uint8(8 - bits * (k + 1))
    return out


def _alpha_plane(alpha: np.ndarray | None) -> _Plane | None:
    """The soft mask samples: None when fully opaque, 1 bit when only 0 and full, else 8 or 16 bits."""
    if alpha is None:
        return None
    gray = {"ColorSpace": _DEVICE["gray"]}
    if alpha.dtype == np.bool_:
        return None if alpha.all() else _Plane(np.packbits(alpha, axis=1), 1, 1, gray)
    full = 65535 if alpha.dtype == np.uint16 else 255
    if alpha.min() == full:
        return None
    sampled = sample(alpha[:, :, None])
    binary = bool(((sampled == 0) | (sampled == full)).all()) and bool(((alpha == 0) | (alpha == full)).all())
    if binary:
        return _Plane(np.packbits(alpha == full, axis=1), 1, 1, gray)
    if alpha.dtype == np.uint16:
        return _Plane(alpha.astype(">u2").view(np.uint8), 1, 16, gray)
    return _Plane(alpha, 1, 8, gray)


# Compression -----------------------------------------------------------------------


def _compress_planes(planes: list[_Plane], width: int, level: int) -> list[tuple[bytes, dict[str, Any]]]:
    """Each plane's stream data and filter entries; the big deflate work runs on a thread pool."""
    results: list[tuple[bytes, dict[str, Any]] | None] = []
    pending: list[tuple[int, Deflating, dict[str, Any]]] = []
    for index, plane in enumerate(planes):
        rows = np.ascontiguousarray(plane.rows)
        if level == 0:
            results.append((rows.tobytes(), {}))
            continue
        bpp = max(1, plane.colors * plane.bits // 8)
        plane_level = min(level, _LARGE_LEVEL) if rows.nbytes > _LARGE_PLANE else level
        choice = _choose_filter(rows, bpp, plane_level)
        if choice is None:
            results.append((rows.tobytes(), {}))
            continue
        kind, strategy, done = choice
        entries: dict[str, Any] = {"Filter": _FLATE}
        if kind is not None:
            entries["DecodeParms"] = {
                "Predictor": 15, "Colors": plane.colors, "BitsPerComponent": plane.bits, "Columns": width,
            }  # fmt: skip
        if done is not None:
            results.append((done, entries))
            continue
        results.append(None)
        if rows.nbytes < 2 * _PIECE:
            packed = _deflate(_filtered(rows, kind, bpp), plane_level, strategy)
            results[index] = (packed, entries) if len(packed) < rows.nbytes else (rows.tobytes(), {})
        else:
            pending.append((index, deflate_parts(_row_pieces(rows, kind, bpp), plane_level, strategy), entries))
    for index, deflating, entries in pending:
        rows = planes[index].rows
        compressed = deflating.result()
        results[index] = (compressed, entries) if len(compressed) < rows.nbytes else (rows.tobytes(), {})
    return results  # type: ignore[return-value]


def _row_pieces(rows: np.ndarray, kind: int | None, bpp: int) -> list[PieceMaker]:
    """Makers of the filtered plane in pieces of whole rows, about _PIECE bytes each, filtered on the workers."""
    height, row_bytes = rows.shape
    tagged = row_bytes + (kind is not None)
    per_piece = max(1, _PIECE // tagged)
    primer_rows = -(-WINDOW // tagged)

    def maker(start: int, stop: int) -> PieceMaker:
        def make() -> tuple[np.ndarray, np.ndarray]:
            first = max(0, start - primer_rows)
            block = _filtered(rows[first:stop], kind, bpp, rows[first - 1] if first else None).reshape(-1)
            cut = (start - first) * tagged
            return block[max(0, cut - WINDOW) : cut], block[cut:]

        return make

    return [maker(start, min(height, start + per_piece)) for start in range(0, height, per_piece)]


# A trial: (compressed size, row filter, zlib strategy, compressed data, the sampled rows filtered).
_Trial = tuple[int, Optional[int], int, bytes, bytes]


def _choose_filter(rows: np.ndarray, bpp: int, level: int) -> tuple[int | None, int, bytes | None] | None:
    """(row filter or None for no predictor, zlib strategy, the compressed data if the trial was the whole plane).

    None, Sub and Up are tried on a sample of row blocks at TRIAL_LEVEL (on the
    whole plane at `level` when it is small), then the best with the
    run-length and Huffman-only strategies; None is returned when no choice saves _MIN_SAVING.
    Trials on samples run on the worker pool, side by side.
    """
    height, row_bytes = rows.shape
    whole = rows.nbytes <= _TRIAL_ALL
    blocks = [(0, height)] if whole else _sample_blocks(height, row_bytes)
    trial_level = level if whole else min(level, TRIAL_LEVEL)
    sequential = whole and rows.nbytes < _PARALLEL_TRIALS
    run = (lambda jobs: [job() for job in jobs]) if sequential else _in_parallel

    def sample(kind: int | None) -> Callable[[], _Trial]:
        def trial() -> _Trial:
            parts = [_filtered(rows[a:b], kind, bpp, rows[a - 1] if a else None) for a, b in blocks]
            data = b"".join(part.tobytes() for part in parts)
            packed = _deflate(data, trial_level, zlib.Z_DEFAULT_STRATEGY)
            return len(packed), kind, zlib.Z_DEFAULT_STRATEGY, packed, data

        return trial

    trials = run([sample(kind) for kind in (None, 1, 2)])
    size, kind, _, _, data = min(trials, key=lambda t: t[0])
    # Filtered rows are small differences: favouring literals over short matches (Z_FILTERED,
    # as libpng does) makes photo-like regions some 5% smaller at the same speed. It acts from
    # level 4 up only, so it is tried at the level asked for (the run-length and Huffman-only
    # strategies ignore the level, so their trials at the trial level stand for them). On noisy
    # rows Huffman coding alone is a little smaller than run lengths and no slower (one thread:
    # a 3000 x 4000 colour-mapped plane with 10% noise 35 ms against 39 and 100 bytes smaller in
    # 8.5 MB; 36 MB of noisy RGB 108 ms against 119).
    strategies = [(trial_level, zlib.Z_RLE), (trial_level, zlib.Z_HUFFMAN_ONLY)]
    if kind is not None and level >= 4:
        strategies.append((level, zlib.Z_FILTERED))
    more = run([_trial(data, kind, lvl, strategy) for lvl, strategy in strategies])
    if kind is not None and level >= 4:
        trials = more
    else:
        trials += more
    size, kind, strategy, packed, _ = _quickest_of_smallest(trials)
    sampled = sum(stop - start for start, stop in blocks) * row_bytes
    if size > sampled * (1 - _MIN_SAVING):
        return None
    return kind, strategy, (packed if whole else None)


def _quickest_of_smallest(trials: list[_Trial]) -> _Trial:
    """The trial whose strategy deflates fastest among those within _CLOSE of the smallest size.

    On noisy rows every strategy comes out within a few hundredths of a
    percent (36 MB of noisy RGB: Huffman-only 24.464 MB in 107 ms, run
    lengths 24.465 MB in 121 ms); which one a sample ranks first is then
    chance, and the faster one is the better choice.
    """
    smallest = min(trial[0] for trial in trials)
    close = [trial for trial in trials if trial[0] <= smallest * (1 + _CLOSE)]
    return min(close, key=lambda trial: (_SPEED_RANK.get(trial[2], len(_SPEED_RANK)), trial[0]))


def _trial(data: bytes, kind: int | None, level: int, strategy: int) -> Callable[[], _Trial]:
    """A trial compression of sampled rows, as a job for _in_parallel."""

    def trial() -> _Trial:
        packed = _deflate(data, level, strategy)
        return len(packed), kind, strategy, packed, data

    return trial


def _in_parallel(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run jobs on the worker pool (the first one here), results in order."""
    futures = [worker_pool().submit(job) for job in jobs[1:]]
    return [jobs[0](), *(future.result() for future in futures)]


def _sample_blocks(height: int, row_bytes: int) -> list[tuple[int, int]]:
    """Eight blocks of consecutive rows (at least four each) spread over the plane, about _SAMPLE_BYTES in all
    (a quarter of a smaller plane, at least _SAMPLE_MIN)."""
    budget = min(_SAMPLE_BYTES, max(_SAMPLE_MIN, height * row_bytes // 4))
    per_block = max(4, budget // (8 * row_bytes))
    starts = np.linspace(0, max(0, height - per_block), 8).astype(int)
    return [(int(s), int(min(height, s + per_block))) for s in np.unique(starts)]


def _filtered(rows: np.ndarray, kind: int | None, bpp: int, above: np.ndarray | None = None) -> np.ndarray:
    """Rows with a PNG filter applied and tagged (kind 1 Sub, 2 Up), or unchanged for None.

    `above` is the row before the first (zeros when None), as a decoder sees it.
    """
    if kind is None:
        return rows
    height, row_bytes = rows.shape
    tagged = np.empty((height, row_bytes + 1), dtype=np.uint8)
    tagged[:, 0] = kind
    if kind == 1:
        tagged[:, 1 : 1 + bpp] = rows[:, :bpp]
        np.subtract(rows[:, bpp:], rows[:, :-bpp], out=tagged[:, 1 + bpp :])
    else:
        np.subtract(rows[1:], rows[:-1], out=tagged[1:, 1:])
        tagged[0, 1:] = rows[0] if above is None else rows[0] - above
    return tagged
