"""Flate (zlib) compression, large buffers in pieces on a thread pool.

zlib releases the GIL while it compresses, so pieces of one buffer deflate
on several processors at once. Each piece is a raw deflate primed with the
32 KiB before it and ends with a sync flush (the last one finishes the
stream), so the pieces joined behind one zlib header, with the Adler-32 of
the whole buffer after them, are one valid zlib stream (as pigz does). The
pieces depend only on the data size, so the output does not depend on the
number of processors.
"""

from __future__ import annotations

import math
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

#: Bytes per piece by default.
PIECE = 1 << 22
# The zlib header (CMF, FLG) that matches each level's FLEVEL field.
_ZLIB_HEADERS = {0: b"\x78\x01", 1: b"\x78\x01", 6: b"\x78\x9c", 7: b"\x78\xda", 8: b"\x78\xda", 9: b"\x78\xda"}

_pool: ThreadPoolExecutor | None = None


def deflate(data: Any, level: int, strategy: int = zlib.Z_DEFAULT_STRATEGY) -> bytes:
    """One complete zlib stream of `data`, in one piece."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS, 8, strategy)
    return compressor.compress(data) + compressor.flush()


def _deflate_piece(data: np.ndarray, start: int, stop: int, level: int, strategy: int) -> bytes:
    """Raw deflate of data[start:stop], primed with the 32 KiB before it, ending byte-aligned (or final)."""
    primer = {"zdict": data[max(0, start - 32768) : start].tobytes()} if start else {}
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS, 8, strategy, **primer)
    body = compressor.compress(data[start:stop])
    return body + compressor.flush(zlib.Z_FINISH if stop == len(data) else zlib.Z_SYNC_FLUSH)


def deflate_many(jobs: list[tuple[Any, int, int]], piece: int = PIECE) -> list[bytes]:
    """zlib streams of several (data, strategy, level) buffers, large ones deflated in pieces on a thread pool.

    Buffers (bytes or arrays) totalling under two pieces are deflated here, in
    one piece each.
    """
    flat = [np.frombuffer(data, dtype=np.uint8) if isinstance(data, (bytes, bytearray, memoryview))
            else np.ascontiguousarray(data).reshape(-1) for data, _, _ in jobs]
    if sum(len(f) for f in flat) < 2 * piece:
        return [deflate(f, level, strategy) for f, (_, strategy, level) in zip(flat, jobs)]
    pool = _thread_pool()
    futures = []
    for data, (_, strategy, level) in zip(flat, jobs):
        count = max(1, math.ceil(len(data) / piece))
        bounds = [len(data) * k // count for k in range(count + 1)]
        pieces = [pool.submit(_deflate_piece, data, a, b, level, strategy) for a, b in zip(bounds, bounds[1:])]
        header = _ZLIB_HEADERS.get(level, b"\x78\x5e")
        futures.append((header, pieces, pool.submit(zlib.adler32, data)))
    return [
        header + b"".join(p.result() for p in pieces) + checksum.result().to_bytes(4, "big")
        for header, pieces, checksum in futures
    ]


def _thread_pool() -> ThreadPoolExecutor:
    """The shared deflate thread pool (one thread per processor), made on first use."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="pdfwriter-deflate")
    return _pool


def _forget_pool() -> None:
    """Drop the pool in a forked child, whose copy has no threads behind it."""
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)
