"""Helpers the benchmark scripts share: worker subprocesses, sizes, ratios, tables, versions."""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version as _dist_version


_compiled = False


def _worker_env() -> dict:
    """The environment of worker interpreters: bytecode caches used and written, as for installed packages.

    pip compiles every library's modules when it installs them; an editable
    pdfwriter (or PYTHONDONTWRITEBYTECODE in the environment) would otherwise
    pay for compiling its sources in every cold run, which no user does.
    """
    global _compiled
    if not _compiled:
        import pdfwriter

        compileall.compile_dir(os.path.dirname(pdfwriter.__file__), quiet=1)
        _compiled = True
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_worker(script: str, spec: dict) -> dict:
    """Run `script --worker SPEC` in a fresh interpreter; return the JSON of its last stdout line."""
    proc = subprocess.run([sys.executable, script, "--worker", json.dumps(spec)], capture_output=True, text=True,
                          env=_worker_env())
    if proc.returncode != 0:
        label = "/".join(str(v) for v in spec.values() if isinstance(v, (str, int)))
        sys.exit(f"worker {label} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt_bytes(n: float) -> str:
    """A byte count in B, KiB or MiB."""
    if n < 1024:
        return f"{n:.0f} B"
    if n < 1024**2:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 1024**2:.2f} MiB"


def ratio(value: float, base: float) -> str:
    """value / base as "1.23x" ("-" when base is zero)."""
    if not base:
        return "-"
    return f"{value / base:.2f}x"


def print_table(head: list[str], rows: list[list[str]], left: int = 2) -> None:
    """Print rows under a header; the first `left` columns left-aligned, the rest right-aligned."""
    table = [head] + rows
    widths = [max(len(r[c]) for r in table) for c in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    for k, r in enumerate(table):
        print("  ".join(cell.ljust(w) if c < left else cell.rjust(w) for c, (cell, w) in enumerate(zip(r, widths))))
        if k == 0:
            print(line)
    print(line)


def dist_version(dist: str) -> str:
    """The installed version of a distribution, or "not installed"."""
    try:
        return _dist_version(dist)
    except PackageNotFoundError:
        return "not installed"
