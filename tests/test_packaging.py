"""The wheel ships every subpackage and the bundled fonts, and an installed pdfwriter finds its fonts."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pdfwriter.fontfiles import CORE14_NAMES

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent

TTF_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSerif.ttf",
)
NOTICE_FILES = ("LICENSE-DejaVu.txt", "LICENSE-Adobe-AFM.txt", "README.md")

# Left out of the copy the wheel is built from: build leftovers would leak stale files into the wheel.
BUILD_IGNORE = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".venv", "venv"
)


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    """Run a command, failing the test with its output if it exits non-zero."""
    result = subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} exited {result.returncode}\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a clean copy of the repository and return its path."""
    source = tmp_path_factory.mktemp("source") / "pdfwriter-src"
    shutil.copytree(REPO, source, ignore=BUILD_IGNORE)
    out = tmp_path_factory.mktemp("wheelhouse")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(source)])
    (built,) = out.glob("pdfwriter-*.whl")
    return built


def wheel_names(wheel: Path) -> set[str]:
    """Return the file names inside a wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_ships_the_fonts_and_their_licences(wheel: Path) -> None:
    names = wheel_names(wheel)
    expected = [*TTF_FILES, *(f"{name}.afm" for name in CORE14_NAMES), *NOTICE_FILES]
    missing = [f for f in expected if f"pdfwriter/fonts/{f}" not in names]
    assert not missing, f"missing from pdfwriter/fonts in the wheel: {missing}"
    assert not [n for n in names if n.startswith("fonts/")], "fonts/ must ship as pdfwriter/fonts only"
    with zipfile.ZipFile(wheel) as archive:
        for ttf in TTF_FILES:
            shipped = archive.read(f"pdfwriter/fonts/{ttf}")
            assert shipped == (REPO / "fonts" / ttf).read_bytes(), f"{ttf} differs from the repository's copy"


def test_wheel_ships_every_subpackage(wheel: Path) -> None:
    names = wheel_names(wheel)
    package_root = REPO / "pdfwriter"
    folders = [package_root] + sorted(p.parent for p in package_root.rglob("__init__.py"))
    missing = []
    for folder in folders:
        for module in sorted(folder.glob("*.py")):
            arcname = module.relative_to(REPO).as_posix()
            if arcname not in names:
                missing.append(arcname)
    assert not missing, (
        f"missing from the wheel (is the package listed in pyproject.toml [tool.setuptools] packages?): "
        f"{missing}"
    )


def test_installed_wheel_finds_its_bundled_fonts(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env["PYTHONNOUSERSITE"] = "1"
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = Path(run([str(python), "-c", where], env=env, cwd=tmp_path).stdout.strip())
    # When this test runs in a venv, --system-site-packages reaches only the base interpreter's packages;
    # a .pth file appends this environment's site-packages (after the new venv's own) so pdfwriter's
    # dependencies import. Lines of a .pth are plain paths: the .pth files in those folders (such as an
    # editable install of pdfwriter) are not run, so only the wheel's pdfwriter can be found.
    outer = "".join(f"{folder}\n" for folder in site.getsitepackages())
    (purelib / "_outer_site_packages.pth").write_text(outer, encoding="utf-8")
    run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], env=env, cwd=tmp_path)
    probe = (
        "import json, pdfwriter.fontfiles as f;"
        "print(json.dumps([str(f.fonts_dir()), str(f.bundled_font('DejaVu Sans')),"
        " str(f.core14_afm('Helvetica'))]))"
    )
    result = run([str(python), "-c", probe], env=env, cwd=tmp_path)
    fonts_dir, dejavu, helvetica = (Path(p) for p in json.loads(result.stdout))
    site_packages = purelib.resolve()
    assert fonts_dir == site_packages / "pdfwriter" / "fonts"
    assert dejavu == fonts_dir / "DejaVuSans.ttf" and dejavu.is_file()
    assert helvetica == fonts_dir / "Helvetica.afm" and helvetica.is_file()
