"""The command line, the samples and the README's snippets all write valid PDFs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from harness import check_pdf

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_demo_command_writes_a_valid_pdf_with_text_and_colour(tmp_path):
    result = run("-m", "pdfwriter", "demo", "demo.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wrote demo.pdf" in result.stdout
    with check_pdf(tmp_path / "demo.pdf") as checked:
        assert checked.page_count >= 2
        assert "pdfwriter" in checked.text(0)
        image = checked.render(0, dpi=36)
        # The ring of squares brings saturated colours onto a white page.
        spread = image.max(axis=2).astype(int) - image.min(axis=2)
        assert (spread > 100).sum() > 200


def test_demo_command_reports_bad_output_clearly(tmp_path):
    result = run("-m", "pdfwriter", "demo", str(tmp_path / "missing" / "demo.pdf"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("pdfwriter: cannot write")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.py")), ids=lambda p: p.stem)
def test_every_sample_writes_a_valid_pdf(sample, tmp_path):
    out = tmp_path / f"{sample.stem}.pdf"
    result = run(str(sample), str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with check_pdf(out) as checked:
        assert checked.page_count >= 1
        assert (checked.render(0, dpi=18) < 250).any()


def test_readme_snippets_run(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippets = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert snippets
    for snippet in snippets:
        result = subprocess.run([sys.executable, "-c", snippet], cwd=tmp_path, capture_output=True, text=True)
        assert result.returncode == 0, f"{snippet}\n{result.stderr}"
    for pdf in tmp_path.glob("*.pdf"):
        with check_pdf(pdf) as checked:
            assert checked.page_count >= 1
