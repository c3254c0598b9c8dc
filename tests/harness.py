"""Validation harness for the PDFs that pdfwriter's tests write.

Tests import it as ``from harness import assert_color, check_pdf, pixel``
(pytest puts tests/ on sys.path because tests/ has no __init__.py).

``check_pdf`` fails a PDF on anything pikepdf (qpdf) reports, on structural
faults that qpdf silently tolerates (xref offsets that miss their object,
startxref not pointing at the xref, no trailing %%EOF), on content streams
with unknown operators, wrong operand counts, unbalanced q/Q or BT/ET, or
names missing from the resources, and, when asked to or when installed, on
anything qpdf --check, pdftoppm, mutool or Ghostscript complain about.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import warnings
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pikepdf
import pypdfium2 as pdfium

EXTERNAL_ENV = "PDFWRITER_EXTERNAL_VALIDATORS"
TOOL_TIMEOUT_S = 60
# Debian package that provides each external tool.
TOOL_PACKAGES = {
    "qpdf": "qpdf",
    "pdftoppm": "poppler-utils",
    "pdftotext": "poppler-utils",
    "mutool": "mupdf-tools",
    "gs": "ghostscript",
}

# Filters qpdf decodes at StreamDecodeLevel.all (full names and inline abbreviations).
_DECODABLE_FILTERS = frozenset(
    {
        "/FlateDecode", "/Fl", "/LZWDecode", "/LZW", "/ASCII85Decode", "/A85",
        "/ASCIIHexDecode", "/AHx", "/RunLengthDecode", "/RL", "/DCTDecode", "/DCT",
    }
)  # fmt: skip

# Operand count of every content-stream operator (ISO 32000-1 Annex A);
# None: the colour operators whose count depends on the colour space.
_OPERATOR_ARITY: dict[str, int | None] = {
    "b": 0, "B": 0, "b*": 0, "B*": 0, "BDC": 2, "BMC": 1, "BT": 0, "BX": 0,
    "c": 6, "cm": 6, "CS": 1, "cs": 1, "d": 2, "d0": 2, "d1": 6, "Do": 1,
    "DP": 2, "EMC": 0, "ET": 0, "EX": 0, "f": 0, "F": 0, "f*": 0, "G": 1,
    "g": 1, "gs": 1, "h": 0, "i": 1, "j": 1, "J": 1, "K": 4, "k": 4, "l": 2,
    "m": 2, "M": 1, "MP": 1, "n": 0, "q": 0, "Q": 0, "re": 4, "RG": 3,
    "rg": 3, "ri": 1, "s": 0, "S": 0, "SC": None, "sc": None, "SCN": None,
    "scn": None, "sh": 1, "T*": 0, "Tc": 1, "Td": 2, "TD": 2, "Tf": 2,
    "Tj": 1, "TJ": 1, "TL": 1, "Tm": 6, "Tr": 1, "Ts": 1, "Tw": 1, "Tz": 1,
    "v": 4, "w": 1, "W": 0, "W*": 0, "y": 4, "'": 1, '"': 3,
}  # fmt: skip

# Operator -> (index of the operand that names a resource, resource category).
_RESOURCE_OPERANDS = {
    "Tf": (0, "/Font"),
    "Do": (0, "/XObject"),
    "gs": (0, "/ExtGState"),
    "sh": (0, "/Shading"),
    "cs": (0, "/ColorSpace"),
    "CS": (0, "/ColorSpace"),
    "scn": (-1, "/Pattern"),
    "SCN": (-1, "/Pattern"),
    "BDC": (1, "/Properties"),
    "DP": (1, "/Properties"),
}
_BUILTIN_COLOR_SPACES = frozenset(["/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern"])

_QPDF_OK_TEXT = (
    "No syntax or stream encoding errors found; the file may still contain\n"
    "errors that qpdf cannot detect\n"
)
# Printed by Debian's mupdf-tools on every run: a build property, not a PDF fault.
_MUTOOL_NOISE = "warning: ICC support is not available"


class CheckedPdf:
    """A PDF that passed check_pdf, with helpers to render it and extract its text.

    .pdf is opened with inherit_page_attributes=False, so page dictionaries are
    as written: use Page.mediabox and the like for inherited attributes.
    """

    def __init__(self, pdf: pikepdf.Pdf, path: Path, tempdir: Path | None) -> None:
        self.pdf = pdf
        self.path = path
        # A temporary copy of given bytes goes at close() or, if never closed, at collection.
        self._remove_tempdir = (
            weakref.finalize(self, shutil.rmtree, tempdir, ignore_errors=True) if tempdir else None
        )
        self._pdfium: pdfium.PdfDocument | None = None

    @property
    def page_count(self) -> int:
        """Number of pages in the document."""
        return len(self.pdf.pages)

    def render(self, page_index: int = 0, dpi: float = 72) -> np.ndarray:
        """Render a page with pdfium on white; uint8 array of shape (H, W, 3), RGB."""
        return self._render(page_index, dpi, (255, 255, 255, 255))

    def render_rgba(self, page_index: int = 0, dpi: float = 72) -> np.ndarray:
        """Render a page with pdfium on a transparent background; uint8 (H, W, 4), RGBA."""
        return self._render(page_index, dpi, (0, 0, 0, 0))

    def text(self, page_index: int = 0) -> str:
        """Text of a page as pdfium extracts it."""
        page = self._document()[page_index]
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_bounded())
        finally:
            textpage.close()
            page.close()

    def text_poppler(self, page_index: int = 0) -> str | None:
        """Text of a page as poppler's pdftotext extracts it; None without pdftotext."""
        if shutil.which("pdftotext") is None:
            return None
        number = str(page_index + 1)
        args = ["pdftotext", "-f", number, "-l", number, str(self.path), "-"]
        result = _run(args)
        if isinstance(result, str):
            raise AssertionError(result)
        if result.returncode != 0:
            raise AssertionError(_describe(args, result))
        return result.stdout

    def close(self) -> None:
        """Close the pikepdf and pdfium documents and delete any temporary copy."""
        if self._pdfium is not None:
            self._pdfium.close()
            self._pdfium = None
        self.pdf.close()
        if self._remove_tempdir is not None:
            self._remove_tempdir()

    def __enter__(self) -> CheckedPdf:
        """Return self; the with-block closes it."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close on leaving the with-block."""
        self.close()

    def _document(self) -> pdfium.PdfDocument:
        """The pdfium document, opened on first use."""
        if self._pdfium is None:
            self._pdfium = pdfium.PdfDocument(str(self.path))
        return self._pdfium

    def _render(self, page_index: int, dpi: float, fill: tuple[int, int, int, int]) -> np.ndarray:
        """Render a page over fill (RGBA); RGB, or RGBA when fill is not opaque."""
        page = self._document()[page_index]
        try:
            bitmap = page.render(scale=dpi / 72, fill_color=fill, rev_byteorder=True)
            try:
                return np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
            finally:
                bitmap.close()
        finally:
            page.close()


def external_default() -> bool | None:
    """check_pdf's default external, from $PDFWRITER_EXTERNAL_VALIDATORS (1, 0 or unset)."""
    value = os.environ.get(EXTERNAL_ENV, "")
    choices = {"1": True, "0": False, "": None}
    if value not in choices:
        raise ValueError(f"{EXTERNAL_ENV} must be 1, 0 or unset, not {value!r}")
    return choices[value]


def check_pdf(
    source: str | os.PathLike[str] | bytes, *, external: bool | None = None
) -> CheckedPdf:
    """Validate a PDF (path or bytes): raise AssertionError listing every problem, else open it."""
    if external is None:
        external = external_default()
    tempdir: Path | None = None
    if isinstance(source, bytes):
        tempdir = Path(tempfile.mkdtemp(prefix="check_pdf-"))
        path = tempdir / "input.pdf"
        path.write_bytes(source)
        data, label = source, f"PDF given as {len(source)} bytes"
    else:
        path = Path(source)
        data, label = path.read_bytes(), str(path)
    pdf: pikepdf.Pdf | None = None
    try:
        pdf, problems = _pikepdf_problems(path)
        problems += _structure_problems(data, pdf)
        if external is not False:
            problems += _external_problems(path, required=external is True)
        if problems:
            listing = "\n".join(
                f"  {n}. " + problem.replace("\n", "\n     ")
                for n, problem in enumerate(problems, 1)
            )
            raise AssertionError(f"{label} failed {len(problems)} check(s):\n{listing}")
    except BaseException:
        if pdf is not None:
            pdf.close()
        if tempdir is not None:
            shutil.rmtree(tempdir, ignore_errors=True)
        raise
    assert pdf is not None  # pikepdf could not open it only if there were problems
    return CheckedPdf(pdf, path, tempdir)


def char_boxes(path: Path | str, page_index: int = 0, *, loose: bool = False) -> list[tuple[str, tuple[float, ...]]]:
    """Each character but white space pdfium finds on a page, with its box (left, bottom, right, top) in
    points (`loose`: from the font's ascent and descent and the advance, not the glyph's outline)."""
    with pdfium_text(path, page_index) as textpage:
        text = textpage.get_text_range()
        return [(text[i], textpage.get_charbox(i, loose=loose))
                for i in range(textpage.count_chars()) if not text[i].isspace()]


@contextlib.contextmanager
def pdfium_text(path: Path | str, page_index: int = 0) -> Iterator[Any]:
    """A page's pdfium text page, closed with its page and document (children first: older pypdfium2
    versions crash when a document is closed under them)."""
    with contextlib.closing(pdfium.PdfDocument(str(path))) as document, \
            contextlib.closing(document[page_index]) as page, contextlib.closing(page.get_textpage()) as textpage:
        yield textpage


def pixel(img: np.ndarray, x_pt: float, y_pt: float, dpi: float = 72) -> tuple[int, ...]:
    """Colour at PDF point (x_pt, y_pt) of a render; origin bottom-left of the page box, y up."""
    scale = dpi / 72
    height, width = img.shape[:2]
    col = int(np.floor(x_pt * scale))
    row = height - 1 - int(np.floor(y_pt * scale))
    if not (0 <= col < width and 0 <= row < height):
        raise ValueError(
            f"point ({x_pt}, {y_pt}) pt at {dpi} dpi is outside the {width}x{height} px image"
        )
    return tuple(int(v) for v in img[row, col])


def assert_color(actual: Sequence[int], expected: Sequence[int], tol: int = 2) -> None:
    """Assert that two colours match channel by channel within tol."""
    actual_t = tuple(int(v) for v in actual)
    expected_t = tuple(int(v) for v in expected)
    if len(actual_t) != len(expected_t):
        raise AssertionError(
            f"colour {actual_t} and expected {expected_t} have different numbers of channels"
        )
    diff = max(abs(a - e) for a, e in zip(actual_t, expected_t, strict=True))
    if diff > tol:
        raise AssertionError(
            f"colour {actual_t} differs from expected {expected_t} by {diff} (tolerance {tol})"
        )


def _pikepdf_problems(path: Path) -> tuple[pikepdf.Pdf | None, list[str]]:
    """Open with pikepdf and collect its warnings, stream-decoding and content-stream problems."""
    problems: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # Keep the page tree as written, so tests see exactly what the writer made.
            pdf = pikepdf.Pdf.open(path, inherit_page_attributes=False)
        except Exception as exc:  # pikepdf raises several types for unreadable files
            return None, [f"pikepdf cannot open the file: {type(exc).__name__}: {exc}"]
        # qpdf recovers from damage (rebuilding the xref, guessing stream
        # lengths) and only says so in warnings: every warning is a failure.
        # get_warnings() drains the list, so it is read after each phase.
        problems += [f"pikepdf: {w}" for w in pdf.get_warnings()]
        # First, before anything loads pdf.pages: qpdf repairs the page tree then.
        problems += _page_tree_problems(pdf)
        problems += _object_problems(pdf)
        problems += _content_problems(pdf)
        problems += [f"pikepdf: {w}" for w in pdf.get_warnings()]
        try:
            syntax = [p.removeprefix("WARNING: ") for p in pdf.check_pdf_syntax()]
        except pikepdf.PdfError as exc:
            syntax = [f"check_pdf_syntax failed: {exc}"]
        problems += [f"pikepdf: {p}" for p in syntax]
    problems += [f"pikepdf (Python warning): {w.message}" for w in caught]
    return pdf, list(dict.fromkeys(problems))


def _page_tree_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Page tree faults qpdf repairs or ignores: /Kids entries, /Parent links, /Type, /Count."""
    root = pdf.Root.get("/Pages")
    if not isinstance(root, pikepdf.Dictionary) or root.get("/Type") != "/Pages":
        return ["page tree: the catalog's /Pages is not a /Type /Pages dictionary"]
    problems: list[str] = []
    seen = {root.objgen}

    def count_pages(node: pikepdf.Object, where: str) -> int:
        """Check node's kids recursively; return the number of pages under it."""
        kids = node.get("/Kids")
        if not isinstance(kids, pikepdf.Array):
            problems.append(f"page tree: {where} has no /Kids array")
            return 0
        leaves = 0
        for index, kid in enumerate(kids):
            at = f"page tree: kid {index} of {where}"
            if not isinstance(kid, pikepdf.Dictionary) or not kid.is_indirect:
                problems.append(f"{at} is not an indirect dictionary (a missing object?)")
                continue
            if kid.objgen in seen:
                problems.append(f"{at} ({_objref(kid)}) appears twice in the tree")
                continue
            seen.add(kid.objgen)
            parent = kid.get("/Parent")
            if not isinstance(parent, pikepdf.Dictionary) or parent.objgen != node.objgen:
                problems.append(f"{at} ({_objref(kid)}) has a /Parent other than {where}")
            if kid.get("/Type") == "/Pages":
                leaves += count_pages(kid, f"pages node {_objref(kid)}")
            elif kid.get("/Type") == "/Page":
                leaves += 1
            else:
                problems.append(
                    f"{at} ({_objref(kid)}) has /Type {kid.get('/Type')}, not /Page or /Pages"
                )
        if node.get("/Count") != leaves:
            problems.append(
                f"page tree: {where} has /Count {node.get('/Count')} but {leaves} page(s)"
            )
        return leaves

    count_pages(root, f"root pages node {_objref(root)}")
    return problems


def _object_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Resolve every object and read every stream, decoding it where qpdf can."""
    problems = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        filters = obj.stream_dict.get("/Filter")
        names = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
        try:
            if all(str(name) in _DECODABLE_FILTERS for name in names):
                obj.read_bytes(pikepdf.StreamDecodeLevel.all)
            else:
                obj.read_raw_bytes()
        except pikepdf.PdfError as exc:
            problems.append(f"pikepdf: stream {_objref(obj)}: {exc}")
    return problems


def _content_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Parse every content stream and check its operators, nesting and resource names."""
    problems = []
    for where, content, resources in _content_streams(pdf):
        try:
            instructions = pikepdf.parse_content_stream(content)
        except pikepdf.PdfError as exc:
            problems.append(f"{where}: cannot parse: {exc}")
            continue
        problems += [f"{where}: {p}" for p in _instruction_problems(instructions, resources)]
    return problems


def _content_streams(
    pdf: pikepdf.Pdf,
) -> Iterator[tuple[str, pikepdf.Page | pikepdf.Object, pikepdf.Object | None]]:
    """Yield (description, page or stream, resources or None) for every content stream."""
    for number, page in enumerate(pdf.pages, 1):
        yield f"page {number} contents", page, _inherited_resources(page.obj)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Subtype") == "/Form":
            yield f"form XObject {_objref(obj)}", obj, obj.stream_dict.get("/Resources")
        elif isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/PatternType") == 1:
            yield f"tiling pattern {_objref(obj)}", obj, obj.stream_dict.get("/Resources")
        elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type3":
            for name, proc in obj.get("/CharProcs", pikepdf.Dictionary()).items():
                where = f"Type3 glyph {name} of font {_objref(obj)}"
                yield where, proc, obj.get("/Resources")


def _inherited_resources(page: pikepdf.Object) -> pikepdf.Object | None:
    """A page's /Resources, looked up the page tree as the PDF spec inherits it."""
    node: pikepdf.Object | None = page
    seen: set[tuple[int, int]] = set()
    while isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
        if "/Resources" in node:
            return node.Resources
        seen.add(node.objgen)
        node = node.get("/Parent")
    return None


def _instruction_problems(instructions: list[Any], resources: pikepdf.Object | None) -> list[str]:
    """Unknown operators, wrong operand counts, unbalanced q/Q, BT/ET, BX/EX, missing resources."""
    problems = []
    q_depth = bx_depth = 0
    in_text = False
    for index, instruction in enumerate(instructions):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        op = str(instruction.operator)
        operands = list(instruction.operands)
        at = f"instruction {index} ({op!r})"
        arity = _OPERATOR_ARITY.get(op, -1)
        if arity == -1:
            if bx_depth == 0:
                problems.append(f"{at}: unknown operator outside BX/EX")
            continue
        if (arity is None and not operands) or (arity is not None and len(operands) != arity):
            wanted = "at least 1" if arity is None else str(arity)
            problems.append(f"{at}: takes {wanted} operand(s), got {len(operands)}")
            continue
        if op == "q":
            q_depth += 1
        elif op == "Q":
            if q_depth == 0:
                problems.append(f"{at}: Q without a matching q")
            q_depth = max(q_depth - 1, 0)
        elif op == "BT":
            if in_text:
                problems.append(f"{at}: BT inside a text object")
            in_text = True
        elif op == "ET":
            if not in_text:
                problems.append(f"{at}: ET outside a text object")
            in_text = False
        elif op == "BX":
            bx_depth += 1
        elif op == "EX":
            if bx_depth == 0:
                problems.append(f"{at}: EX without a matching BX")
            bx_depth = max(bx_depth - 1, 0)
        if op in _RESOURCE_OPERANDS and resources is not None:
            problems += _resource_problems(at, op, operands, resources)
    if q_depth:
        problems.append(f"{q_depth} q without a matching Q at the end")
    if in_text:
        problems.append("text object (BT) not closed by ET at the end")
    if bx_depth:
        problems.append(f"{bx_depth} BX without a matching EX at the end")
    return problems


def _resource_problems(
    at: str, op: str, operands: list[Any], resources: pikepdf.Object
) -> list[str]:
    """Check that the name operand of op is defined in the resource dictionary."""
    position, category = _RESOURCE_OPERANDS[op]
    name = operands[position]
    if not isinstance(name, pikepdf.Name):
        # scn/SCN end in a name only for patterns; BDC/DP may take an inline dict.
        if op in ("scn", "SCN", "BDC", "DP"):
            return []
        return [f"{at}: resource operand {name!r} is not a name"]
    if category == "/ColorSpace" and str(name) in _BUILTIN_COLOR_SPACES:
        return []
    entries = resources.get(category)
    if not isinstance(entries, pikepdf.Dictionary) or name not in entries:
        return [f"{at}: {name} is not in the resources' {category}"]
    return []


def _structure_problems(data: bytes, pdf: pikepdf.Pdf | None) -> list[str]:
    """Byte-level faults qpdf repairs silently: header, %%EOF, startxref and xref offsets."""
    problems = []
    if not re.match(rb"%PDF-[12]\.\d", data):
        problems.append("file does not start with a %PDF-x.y header")
    start = data.rfind(b"startxref")
    tail = re.fullmatch(rb"startxref\s+(\d+)\s+%%EOF\s*", data[start:]) if start >= 0 else None
    if tail is None:
        problems.append("file does not end with 'startxref <offset> %%EOF'")
    else:
        offset = int(tail.group(1))
        if not (
            data.startswith(b"xref", offset)
            or re.match(rb"\d+\s+\d+\s+obj\b", data[offset : offset + 40])
        ):
            problems.append(
                f"startxref {offset} does not point at an xref table or xref stream object"
            )
    if pdf is not None:
        for (number, generation), entry in pdf.get_xref_table().items():
            at = entry.offset
            if entry.type != 1 or at is None:
                continue
            found = re.match(rb"(\d+)\s+(\d+)\s+obj\b", data[at : at + 40])
            if found is None or (int(found[1]), int(found[2])) != (number, generation):
                problems.append(
                    f"xref entry for object {number} {generation} has offset {at}, "
                    f"which does not start '{number} {generation} obj' "
                    f"(bytes there: {data[at : at + 20]!r})"
                )
    return problems


def _external_problems(path: Path, *, required: bool) -> list[str]:
    """Run the installed external validators; if required, a missing one is a problem too."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="check_pdf-pages-") as pages_dir:
        validators = [
            ("qpdf", ["qpdf", "--check", str(path)], _qpdf_verdict),
            (
                "pdftoppm",
                ["pdftoppm", "-r", "36", "-png", str(path), str(Path(pages_dir) / "page")],
                _pdftoppm_verdict,
            ),
            ("mutool", ["mutool", "draw", "-q", "-o", os.devnull, str(path)], _mutool_verdict),
            # No -q: with it Ghostscript hides its summary of repaired errors.
            (
                "gs",
                ["gs", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", str(path)],
                _gs_verdict,
            ),
        ]
        for tool, args, verdict in validators:
            if shutil.which(tool) is None:
                if required:
                    package = TOOL_PACKAGES[tool]
                    problems.append(
                        f"{tool} is not installed: apt-get install {package} "
                        f"(or unset {EXTERNAL_ENV} / pass external=None to skip it)"
                    )
                continue
            result = _run(args)
            if isinstance(result, str):
                problems.append(result)
                continue
            # The file name must not count: a test named test_error_... would fail qpdf.
            stdout = result.stdout.replace(str(path), "FILE")
            stderr = result.stderr.replace(str(path), "FILE")
            if not verdict(result.returncode, stdout, stderr):
                problems.append(_describe(args, result))
    return problems


def _qpdf_verdict(returncode: int, stdout: str, stderr: str) -> bool:
    """qpdf --check passes: exit 0 and no WARNING or error line beyond its all-clear text."""
    output = stdout.replace(_QPDF_OK_TEXT, "") + stderr
    return returncode == 0 and not re.search(r"WARNING|error", output, re.IGNORECASE)


def _pdftoppm_verdict(returncode: int, stdout: str, stderr: str) -> bool:
    """pdftoppm passes: exit 0 and nothing on stderr (poppler writes only diagnostics there)."""
    return returncode == 0 and not stderr.strip()


def _mutool_verdict(returncode: int, stdout: str, stderr: str) -> bool:
    """mutool draw passes: exit 0 and no error or warning line on stderr."""
    lines = [line for line in stderr.splitlines() if line.strip() != _MUTOOL_NOISE]
    return returncode == 0 and not any(
        re.search(r"error|warning", line, re.IGNORECASE) for line in lines
    )


def _gs_verdict(returncode: int, stdout: str, stderr: str) -> bool:
    """Ghostscript passes: exit 0 and no 'Error' or '****' in its output."""
    output = stdout + stderr
    return returncode == 0 and "Error" not in output and "****" not in output


def _run(args: list[str]) -> subprocess.CompletedProcess[str] | str:
    """Run a tool with the timeout; return its result, or a problem text if it timed out."""
    try:
        return subprocess.run(
            args,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TOOL_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        # TimeoutExpired carries bytes even when text=True was asked for.
        raw = exc.stderr
        stderr = raw.decode(errors="replace") if isinstance(raw, bytes) else (raw or "")
        return f"{' '.join(args)}: timed out after {TOOL_TIMEOUT_S} s\nstderr:\n{_head(stderr)}"


def _describe(args: list[str], result: subprocess.CompletedProcess[str]) -> str:
    """Failure text for a tool run: command, exit status, stdout and stderr."""
    return (
        f"{' '.join(args)}: exit status {result.returncode}\n"
        f"stdout:\n{_head(result.stdout)}\nstderr:\n{_head(result.stderr)}"
    )


def _head(output: str, limit: int = 40) -> str:
    """The first limit lines of a tool's output, saying how many more were cut."""
    lines = output.rstrip().splitlines()
    if len(lines) <= limit:
        return "\n".join(lines)
    return "\n".join([*lines[:limit], f"[... {len(lines) - limit} more lines]"])


def _objref(obj: pikepdf.Object) -> str:
    """'N G R' for an indirect object, 'direct' for a direct one."""
    number, generation = obj.objgen
    return f"{number} {generation} R" if number else "direct"
