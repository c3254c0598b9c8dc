"""pytest plugin: matplotlib's own PDF tests, with pdfwriter writing every PDF.

Loaded by `run.py` (``pytest -p mpl_plugin`` also works with this directory on
sys.path). It registers pdfwriter for the "pdf" file format, makes
``matplotlib.backends.backend_pdf.PdfPages`` pdfwriter's PdfPages, keeps
every test of test_backend_pdf.py and the "pdf" case of every
check_figures_equal test of the other modules, points matplotlib's image
comparison at a directory of baseline PDFs, and marks the tests listed in
expected_failures.txt as expected to fail (a listed test that passes is
reported as XPASS; with --mpl-strict it fails the run).

With --mpl-images it keeps instead the "pdf" case of every image_comparison
test of the other modules: each figure saved by pdfwriter is rendered by
Ghostscript and compared pixel for pixel with matplotlib's baseline PDF, a
survey of how closely pdfwriter's files match matplotlib's (the expected
failures list does not apply).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
EXPECTED_FAILURES = HERE / "expected_failures.txt"
#: Every test of this module runs; from the others only check_figures_equal's "pdf" case.
WHOLE_MODULE = "test_backend_pdf.py"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pdfwriter-mpl", "matplotlib's tests against pdfwriter.mpl")
    group.addoption("--mpl-baselines", metavar="DIR", default=None,
                    help="directory holding data/ and baseline_images/<test module>/ from matplotlib's sdist")
    group.addoption("--mpl-results", metavar="DIR", default=None,
                    help="where the compared PDFs and their renderings go (default ./result_images)")
    group.addoption("--mpl-expected", metavar="FILE", default=str(EXPECTED_FAILURES),
                    help="the expected-failures list (test id, then ' | ' and the reason)")
    group.addoption("--mpl-strict", action="store_true",
                    help="fail the run when a listed test passes")
    group.addoption("--mpl-images", action="store_true",
                    help="run the pdf case of every image_comparison test outside test_backend_pdf.py instead")
    group.addoption("--mpl-own-backend", action="store_true",
                    help="leave matplotlib's own PDF backend in place (a yardstick for the same selection)")


def read_expected(path: Path) -> dict[str, str]:
    """The expected-failures list: {test id: reason}; '#' starts a comment line."""
    expected: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        test_id, sep, reason = line.partition(" | ")
        if not sep or not reason.strip():
            raise pytest.UsageError(f"{path}:{number}: write 'test id | reason', got {line!r}")
        expected[test_id.strip()] = reason.strip()
    return expected


def test_id(item: pytest.Item) -> str:
    """A test's id in the list: module file name and the test's name, e.g. test_text.py::test_x[pdf]."""
    parts = [item.path.name]
    parent = item.parent
    names = []
    while parent is not None and not isinstance(parent, pytest.Module):
        names.append(parent.name)
        parent = parent.parent
    parts.extend(reversed(names))
    parts.append(item.name)
    return "::".join(parts)


def _is_pdf_figures_equal(item: pytest.Item) -> bool:
    """True for the "pdf" case of a check_figures_equal test."""
    function = getattr(item, "function", None)
    callspec = getattr(item, "callspec", None)
    if function is None or callspec is None or callspec.params.get("ext") != "pdf":
        return False
    code = function.__code__
    qualname = getattr(code, "co_qualname", None)  # Python 3.11 and later
    if qualname is not None:
        return "check_figures_equal" in qualname
    # Before, the code's name is only "wrapper": check_figures_equal's wrapper makes the two figures.
    return {"fig_test", "fig_ref"} <= set(code.co_varnames)


def _is_pdf_image_comparison(item: pytest.Item) -> bool:
    """True for the "pdf" case of an image_comparison test outside WHOLE_MODULE."""
    callspec = getattr(item, "callspec", None)
    return item.path.name != WHOLE_MODULE and callspec is not None and callspec.params.get("extension") == "pdf"


def install() -> None:
    """pdfwriter writes "pdf"; backend_pdf.PdfPages is pdfwriter's."""
    import matplotlib.backends.backend_pdf as backend_pdf

    import pdfwriter.mpl

    pdfwriter.mpl.install()
    backend_pdf.PdfPages = pdfwriter.mpl.PdfPages


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    """Import matplotlib.tests without its __init__, which refuses to load when the baselines are not installed.

    Wheels ship the test modules but not baseline_images/; the image
    comparisons read their baselines from --mpl-baselines instead.
    """
    import importlib.util
    import sys

    import matplotlib

    if "matplotlib.tests" in sys.modules:
        return
    spec = importlib.util.find_spec("matplotlib.tests")
    if spec is None:
        raise pytest.UsageError("matplotlib's tests are not installed")
    package = importlib.util.module_from_spec(spec)
    sys.modules["matplotlib.tests"] = package
    matplotlib.tests = package


#: Warnings of newer pytest and pyparsing that matplotlib before 3.11 meets (parametrize with an
#: iterator, pyparsing's camelCase names), and that matplotlib's conftest turns into errors.
_OLD_MATPLOTLIB_WARNINGS = (
    "ignore:Passing a non-Collection iterable to parametrize",
    "ignore:'[A-Za-z]+' (argument is )?deprecated:DeprecationWarning",
)


@pytest.hookimpl(trylast=True)  # after matplotlib's conftest, whose "error" filter these must follow
def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--mpl-own-backend"):
        install()
    config.pluginmanager.register(_Session(config), "pdfwriter-mpl-session")
    for line in _OLD_MATPLOTLIB_WARNINGS:
        config.addinivalue_line("filterwarnings", line)


class _Session:
    """Per-run state: the list, which listed tests were seen, and the image directories."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.expected = read_expected(Path(config.getoption("--mpl-expected")))
        self.seen: set[str] = set()
        self.xpassed: list[str] = []
        baselines = config.getoption("--mpl-baselines")
        results = config.getoption("--mpl-results")
        self.baselines = Path(baselines).resolve() if baselines else None
        self.results = Path(results).resolve() if results else None
        self._patch_image_directories()

    def _patch_image_directories(self) -> None:
        """matplotlib's image tests look for baselines next to the test module: look in --mpl-baselines."""
        from matplotlib.testing import decorators

        original = decorators._image_directories
        baselines, results = self.baselines, self.results

        def image_directories(func: Any) -> tuple[Path, Path]:
            baseline_dir, result_dir = original(func)
            if baselines is not None:
                baseline_dir = baselines / "baseline_images" / baseline_dir.name
            if results is not None:
                result_dir = results / result_dir.name
                result_dir.mkdir(parents=True, exist_ok=True)
            return baseline_dir, result_dir

        decorators._image_directories = image_directories

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        keep, drop = [], []
        images = config.getoption("--mpl-images")
        for item in items:
            if images:
                wanted = _is_pdf_image_comparison(item)
            else:
                wanted = item.path.name == WHOLE_MODULE or _is_pdf_figures_equal(item)
            (keep if wanted else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
        for item in keep:
            self._use_sdist_data(item)
            if images:
                continue
            tid = test_id(item)
            reason = self.expected.get(tid)
            if reason is not None:
                self.seen.add(tid)
                item.add_marker(pytest.mark.xfail(reason=reason, strict=False))

    def _use_sdist_data(self, item: pytest.Item) -> None:
        """test_backend_pdf.py finds its font files at Path(__file__).parent / "data": point it at the sdist's."""
        module = getattr(item, "module", None)
        if self.baselines is None or module is None or item.path.name != WHOLE_MODULE:
            return
        if (self.baselines / "data").is_dir():
            module.__file__ = str(self.baselines / WHOLE_MODULE)

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if not self.config.getoption("--mpl-own-backend"):
            install()  # a test may have registered another "pdf" writer

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Generator[None, Any, None]:
        outcome = yield
        report = outcome.get_result()
        if call.when == "call" and getattr(report, "wasxfail", None) is not None and report.passed:
            self.xpassed.append(test_id(item))
            if self.config.getoption("--mpl-strict"):
                report.outcome = "failed"
                report.longrepr = f"[XPASS(strict)] listed in expected_failures.txt but passed: {test_id(item)}"

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        write = terminalreporter.write_line
        if self.xpassed:
            terminalreporter.section("listed in expected_failures.txt but passed")
            for tid in self.xpassed:
                write(tid)
        unseen = sorted(set(self.expected) - self.seen)
        if unseen and not self.config.option.keyword and not self.config.getoption("--mpl-images"):
            terminalreporter.section("listed in expected_failures.txt but not collected")
            for tid in unseen:
                write(tid)
