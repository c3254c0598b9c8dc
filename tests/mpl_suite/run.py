"""Run matplotlib's own PDF tests with pdfwriter as the "pdf" backend.

    python tests/mpl_suite/run.py [pytest options]

Runs the installed matplotlib/tests/test_backend_pdf.py and the "pdf" case of
every check_figures_equal test of matplotlib's test modules, with the
plugin in this directory. matplotlib's wheels leave out the baseline images
that test_backend_pdf.py's image comparisons need: they are taken from the
matplotlib sdist of the installed version, downloaded once from the package
index (or read from PDFWRITER_MPL_SDIST, a path to that .tar.gz) and kept in
PDFWRITER_MPL_CACHE (default ~/.cache/pdfwriter). The exit status is
pytest's: non-zero when a test not listed in expected_failures.txt fails.

    python tests/mpl_suite/run.py --mpl-images [pytest options]

is a survey rather than a gate: the "pdf" case of every image_comparison test
of the other modules, pdfwriter's file rendered by Ghostscript against
matplotlib's baseline PDF, pixel for pixel (differences of a pixel's edge
fail it; docs/MATPLOTLIB.md has the count). With --mpl-own-backend either
command runs with matplotlib's own PDF backend instead, as a yardstick.
"""

from __future__ import annotations

import hashlib
import html.parser
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: matplotlib test modules whose baselines the suite compares against.
BASELINE_MODULES = ("test_backend_pdf",)


class _Links(html.parser.HTMLParser):
    """The href of every anchor of a simple-index page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _download_sdist(version: str, into: Path) -> Path:
    """matplotlib-<version>.tar.gz from the package index (PEP 503), its sha256 checked."""
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/") + "/matplotlib/"
    with urllib.request.urlopen(index, timeout=60) as response:
        parser = _Links()
        parser.feed(response.read().decode("utf-8", "replace"))
    name = f"matplotlib-{version}.tar.gz"
    for href in parser.hrefs:
        url, _, fragment = urllib.parse.urljoin(index, href).partition("#")
        if url.rsplit("/", 1)[-1] == name:
            break
    else:
        raise SystemExit(f"{index} lists no {name}; set PDFWRITER_MPL_SDIST to a local copy")
    target = into / name
    digest = hashlib.sha256()
    with urllib.request.urlopen(url, timeout=300) as response, open(target, "wb") as out:
        while chunk := response.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    if fragment.startswith("sha256=") and fragment[7:] != digest.hexdigest():
        raise SystemExit(f"{url}: sha256 {digest.hexdigest()} does not match the index's {fragment[7:]}")
    return target


def baselines(version: str, every_module: bool = False) -> Path:
    """The directory holding the sdist's tests/data/ and tests/baseline_images/<module>/ (fetched once):
    of BASELINE_MODULES, or with `every_module` the baseline PDFs of every module."""
    cache = Path(os.environ.get("PDFWRITER_MPL_CACHE") or Path.home() / ".cache" / "pdfwriter")
    root = cache / (f"matplotlib-{version}" + ("-every-module" if every_module else ""))
    modules = ("baseline_images/",) if every_module else tuple(f"baseline_images/{m}/" for m in BASELINE_MODULES)
    wanted = modules + ("data/",)  # data/ (test fonts) only from matplotlib 3.11
    if all((root / name).is_dir() for name in modules):
        return root
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        sdist = os.environ.get("PDFWRITER_MPL_SDIST")
        if sdist:
            archive = Path(sdist)
        else:
            print(f"fetching the baseline images of matplotlib {version} from its sdist", file=sys.stderr)
            archive = _download_sdist(version, Path(work))
        staged = Path(work) / "staged"
        prefix = f"matplotlib-{version}/lib/matplotlib/tests/"
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                relative = member.name.removeprefix(prefix)
                if every_module and relative.startswith("baseline_images/") and not relative.endswith(".pdf"):
                    continue  # the pdf cases compare with baseline PDFs only
                if member.name.startswith(prefix) and relative.startswith(wanted) and member.isfile():
                    target = staged.joinpath(*Path(relative).parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as src, open(target, "wb") as out:
                        shutil.copyfileobj(src, out)
        missing = [name for name in modules if not (staged / name).is_dir()]
        if missing:
            raise SystemExit(f"{archive} holds no tests/{', tests/'.join(missing)}")
        shutil.rmtree(root, ignore_errors=True)
        staged.rename(root)
    return root


def test_modules(tests_dir: Path, images: bool = False) -> list[str]:
    """test_backend_pdf.py and every matplotlib test module using check_figures_equal (with `images`,
    every module using image_comparison but test_backend_pdf.py)."""
    if images:
        names = sorted(
            path.name for path in tests_dir.glob("test_*.py")
            if path.name != "test_backend_pdf.py" and "image_comparison" in path.read_text(encoding="utf-8")
        )
    else:
        names = sorted(
            path.name for path in tests_dir.glob("test_*.py")
            if path.name == "test_backend_pdf.py" or "check_figures_equal" in path.read_text(encoding="utf-8")
        )
    return [str(tests_dir / name) for name in names]


def main(argv: list[str]) -> int:
    import matplotlib
    import pytest

    package = Path(matplotlib.__file__).resolve().parent
    tests_dir = package / "tests"
    if not (tests_dir / "test_backend_pdf.py").is_file():
        raise SystemExit(f"{tests_dir} has no test_backend_pdf.py: install a matplotlib wheel that ships its tests")
    sys.path.insert(0, str(HERE))
    images = "--mpl-images" in argv
    args = [
        "-c", str(HERE / "pytest.ini"), "--rootdir", str(package),
        "-p", "no:cacheprovider", "-p", "mpl_plugin",
        "--mpl-baselines", str(baselines(matplotlib.__version__, every_module=images)),
        *argv,
    ]
    if not any(arg.startswith("--mpl-results") for arg in argv):
        # One folder per matplotlib version: matplotlib reconverts a baseline only when its PNG is
        # older than the baseline file, so another version's PNGs would be compared instead.
        folder = matplotlib.__version__ + ("-matplotlib" if "--mpl-own-backend" in argv else "")
        args += ["--mpl-results", str(Path.cwd() / "build" / "mpl-suite" / folder)]
    if not any(arg.endswith(".py") or ".py::" in arg for arg in argv):
        args += test_modules(tests_dir, images)
    return int(pytest.main(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
