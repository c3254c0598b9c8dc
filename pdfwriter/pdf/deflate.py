"""Flate (zlib) compression, large buffers in pieces on a thread pool.

The compressor is zlib-ng (the zlib-ng package, a run-time dependency) when
it is installed, else Python's zlib: both write standard zlib streams.
Measured against zlib at the same level: on PNG-filtered image rows zlib-ng
is 2-3 times as fast for output as small or smaller; on page content streams
of text twice as fast and 1.4% smaller; on a 15 MB stream of path numbers
about as fast at level 4. Two of its levels behave differently: levels 4 to
6 (its "medium" deflate) ignore Z_FILTERED, so with that strategy they are
raised to 7, which honours it (on screenshot rows: zlib 6 + Z_FILTERED
31 ms / 520,494 bytes, zlib-ng 6 11 ms / 534,561, zlib-ng 7 15 ms /
520,046); its level 9 is slower and larger than its 8, so 9 is treated as 8.

zlib releases the GIL while it compresses, so pieces of one buffer deflate
on several processors at once. Each piece is a raw deflate primed with the
32 KiB before it and ends with a sync flush (the last one finishes the
stream), so the pieces joined behind one zlib header, with the Adler-32 of
the whole buffer after them (combined from each piece's), are one valid
zlib stream (as pigz does). The pieces depend only on the data size, so the
output does not depend on the number of processors.

A piece can also be made on the worker that deflates it (`deflate_parts`):
image/ filters its rows there, so the main thread neither filters nor
copies a whole image. The same pool (`worker_pool`) serves other work that
releases the GIL: hashing large images, trial compressions.
"""

from __future__ import annotations

import math
import os
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Sequence

import numpy as np

#: Bytes per piece by default.
PIECE = 1 << 22
#: The most a piece is primed with: deflate's window.
WINDOW = 1 << 15
# The zlib header (CMF, FLG) that matches each level's FLEVEL field.
_ZLIB_HEADERS = {0: b"\x78\x01", 1: b"\x78\x01", 6: b"\x78\x9c", 7: b"\x78\xda", 8: b"\x78\xda", 9: b"\x78\xda"}
_ADLER_BASE = 65521

#: A piece maker: returns (primer, body), the bytes (up to WINDOW) just before the piece and the piece.
PieceMaker = Callable[[], tuple[Any, Any]]

_pool: ThreadPoolExecutor | None = None

try:
    from zlib_ng import zlib_ng as _engine
except ImportError:  # pragma: no cover - a platform without zlib-ng wheels
    _engine = zlib

#: The module doing the deflating (zlib_ng or zlib; same interface and constants).
ENGINE_NAME = "zlib-ng" if _engine is not zlib else "zlib"
#: The cheapest level whose output size ranks choices (row filters) as the real level does:
#: zlib-ng's level 1 is a quick coder under which every filter looks alike (on screenshot
#: rows None, Sub and Up all come within 3%, at level 2 they are 30% apart, as at level 6).
TRIAL_LEVEL = 2 if _engine is not zlib else 1


def checksum(data: Any, value: int = 0) -> int:
    """CRC-32 of `data` continuing from `value` (the engine's: zlib-ng's is several times as fast)."""
    return _engine.crc32(data, value)


def compressobj(level: int, wbits: int = zlib.MAX_WBITS, strategy: int = zlib.Z_DEFAULT_STRATEGY,
                **options: Any) -> Any:
    """A compressor object of the engine (as zlib.compressobj), with zlib-ng's levels mapped (see above)."""
    if _engine is not zlib:
        if level == 9:
            level = 8
        elif 4 <= level <= 6 and strategy == zlib.Z_FILTERED:
            level = 7
    return _engine.compressobj(level, zlib.DEFLATED, wbits, 8, strategy, **options)


def deflate(data: Any, level: int, strategy: int = zlib.Z_DEFAULT_STRATEGY) -> bytes:
    """One complete zlib stream of `data`, in one piece."""
    compressor = compressobj(level, zlib.MAX_WBITS, strategy)
    return compressor.compress(data) + compressor.flush()


class Deflating:
    """A zlib stream being deflated in pieces on the pool; result() waits for it."""

    def __init__(self, pieces: list[Future], level: int) -> None:
        self._pieces = pieces
        self._header = _ZLIB_HEADERS.get(level, b"\x78\x5e")

    def result(self) -> bytes:
        """The complete zlib stream (its bytes copied once, by one join of every piece's output)."""
        parts = [piece.result() for piece in self._pieces]
        checksum = 1
        for _, adler, length in parts:
            checksum = adler32_combine(checksum, adler, length)
        return b"".join([self._header, *(chunk for chunks, _, _ in parts for chunk in chunks),
                         checksum.to_bytes(4, "big")])


def deflate_parts(makers: Sequence[PieceMaker], level: int, strategy: int) -> Deflating:
    """Start deflating one stream whose pieces are made, in order, by `makers` on the pool."""
    pool = worker_pool()
    last = len(makers) - 1
    return Deflating([pool.submit(_deflate_part, make, level, strategy, k == last) for k, make in enumerate(makers)],
                     level)


def _deflate_part(make: PieceMaker, level: int, strategy: int, last: bool) -> tuple[tuple[bytes, bytes], int, int]:
    """(raw deflate of one piece primed with the bytes before it, in two chunks; its Adler-32; its length)."""
    primer, body = make()
    body = memoryview(np.ascontiguousarray(body)).cast("B") if isinstance(body, np.ndarray) else body
    options = {"zdict": bytes(primer)} if len(primer) else {}
    compressor = compressobj(level, -zlib.MAX_WBITS, strategy, **options)
    packed = compressor.compress(body), compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
    return packed, _engine.adler32(body), len(body)


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two buffers joined, from each one's checksum and the second's length (as zlib's)."""
    rem = second_length % _ADLER_BASE
    low = first & 0xFFFF
    high = (rem * low) % _ADLER_BASE
    low = (low + (second & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    high = (high + (first >> 16) + (second >> 16) + _ADLER_BASE - rem) % _ADLER_BASE
    return low | (high << 16)


def deflate_many(jobs: list[tuple[Any, int, int]], piece: int = PIECE) -> list[bytes]:
    """zlib streams of several (data, strategy, level) buffers, large ones deflated in pieces on a thread pool.

    Buffers (bytes or arrays) totalling under two pieces are deflated here, in
    one piece each.
    """
    flat = [np.frombuffer(data, dtype=np.uint8) if isinstance(data, (bytes, bytearray, memoryview))
            else np.ascontiguousarray(data).reshape(-1) for data, _, _ in jobs]
    if sum(len(f) for f in flat) < 2 * piece:
        return [deflate(f, level, strategy) for f, (_, strategy, level) in zip(flat, jobs)]
    started = []
    for data, (_, strategy, level) in zip(flat, jobs):
        count = max(1, math.ceil(len(data) / piece))
        bounds = [len(data) * k // count for k in range(count + 1)]
        makers = [_slicer(data, a, b) for a, b in zip(bounds, bounds[1:])]
        started.append(deflate_parts(makers, level, strategy))
    return [deflating.result() for deflating in started]


def _slicer(data: np.ndarray, start: int, stop: int) -> PieceMaker:
    """A piece maker for data[start:stop] (no copy)."""
    return lambda: (data[max(0, start - WINDOW) : start], data[start:stop])


def worker_pool() -> ThreadPoolExecutor:
    """The shared thread pool (one thread per processor) for work that releases the GIL, made on first use."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="pdfwriter-deflate")
    return _pool


def side_by_side(count: int, job: Callable[[int, int], Any], *, split: bool = True) -> None:
    """job(start, stop) over 0..count: with `split`, in one piece per processor on the pool and this thread.

    For numpy work on rows or elements that releases the GIL; the jobs must
    not wait on the pool themselves.
    """
    pieces = max(1, min(os.cpu_count() or 1, count)) if split else 1
    bounds = [count * k // pieces for k in range(pieces + 1)]
    futures = [worker_pool().submit(job, a, b) for a, b in zip(bounds[1:-1], bounds[2:])]
    try:
        job(bounds[0], bounds[1])
    finally:
        # Every piece has finished before this returns or raises (the first error wins).
        errors = [future.exception() for future in futures]
    for error in errors:
        if error is not None:
            raise error


def _forget_pool() -> None:
    """Drop the pool in a forked child, whose copy has no threads behind it."""
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)
