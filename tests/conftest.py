"""Shared fixtures for pdfwriter's tests.

External validators: set PDFWRITER_EXTERNAL_VALIDATORS=1 (as CI does) to make
every check_pdf call require and run qpdf, pdftoppm, mutool and Ghostscript,
0 to skip them, or leave it unset to run whichever are installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from harness import EXTERNAL_ENV, TOOL_PACKAGES, external_default


def pytest_report_header() -> str:
    """Say in the session header how check_pdf will use the external validators."""
    mode = {True: "required", False: "skipped", None: "used if installed"}[external_default()]
    found = [tool for tool in TOOL_PACKAGES if shutil.which(tool)]
    missing = [tool for tool in TOOL_PACKAGES if not shutil.which(tool)]
    return (
        f"external PDF validators ({EXTERNAL_ENV}): {mode}; "
        f"found: {', '.join(found) or 'none'}; missing: {', '.join(missing) or 'none'}"
    )


@pytest.fixture
def tmp_pdf(tmp_path: Path) -> Callable[[str], Path]:
    """Function giving fresh paths in tmp_path: tmp_pdf("name") -> tmp_path / "name.pdf"."""
    handed_out: set[Path] = set()

    def make(name: str = "out") -> Path:
        stem = name.removesuffix(".pdf")
        path = tmp_path / f"{stem}.pdf"
        n = 1
        while path in handed_out or path.exists():
            n += 1
            path = tmp_path / f"{stem}-{n}.pdf"
        handed_out.add(path)
        return path

    return make
