"""Graphics state: what a drawing call wants (GraphicsContext) and what the stream has set (StateStack).

The StateStack remembers every parameter the content stream has set at each
q/Q level. Asked to draw with a GraphicsContext, it emits only the operators
that change something: a colour that is already current is not repeated,
stroke parameters are not written for a fill, and alpha and blend mode go
through one shared ExtGState per distinct combination. Clips can only be
narrowed inside q ... Q, so a change of clip pops back (Q) to the deepest
level whose clips the new state keeps, then pushes (q) the rest; after each
Q the tracked state is the one saved at the matching q.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..pdf.numbers import format_number
from ..pdf.objects import Name, serialize
from ..resources.canon import ResourceCanon
from .color import Color, fill_operator, stroke_operator
from .content import CONTENT_DECIMALS, ContentStream

CAPS = {"butt": 0, "round": 1, "projecting": 2, "square": 2}
JOINS = {"miter": 0, "round": 1, "bevel": 2}
FILL_RULES = ("nonzero", "evenodd")
BLACK = Color("gray", (0.0,), 1.0)


@dataclass
class GraphicsContext:
    """The style of one drawing call: stroke, widths, dashes, alpha, clips, hatch, fill rule.

    The fill colour is not part of it: the renderer's calls take it separately,
    as matplotlib's do. `scope` lists what must hold around the drawing, each
    item pushed under its own q: clips (``... re W n``, a path with ``W n`` or
    ``W* n``) and transforms (``... cm``), as content-stream bytes in the space
    of the item before; equal bytes, equal scope.
    """

    stroke: Color | None = BLACK
    line_width: float = 1.0
    dash: tuple[tuple[float, ...], float] | None = None
    cap: str = "butt"
    join: str = "miter"
    miter_limit: float = 10.0
    stroke_alpha: float | None = None
    fill_alpha: float | None = None
    blend_mode: str = "Normal"
    scope: tuple[bytes, ...] = ()
    hatch: str | None = None
    hatch_color: Color = BLACK
    hatch_line_width: float = 1.0
    #: Where hatch cells are anchored, in the page's default space (matplotlib's
    #: backend anchors them at the page's top-left corner).
    hatch_origin: tuple[float, float] = (0.0, 0.0)
    #: Paint a hatched fill as matplotlib's PDF backend does: the fill colour fills
    #: the hatch cells behind the lines and the pattern is painted once, at the
    #: fill's alpha (a translucent face shows its lines over what is behind it,
    #: not over the face). False: the fill, then the hatch over it.
    fill_in_hatch: bool = False
    fill_rule: str = "nonzero"
    #: The visible region (x0, y0, x1, y1) in drawing coordinates, for skipping
    #: what cannot show; None means the renderer's own bounds.
    cull_box: tuple[float, float, float, float] | None = None

    def effective_stroke_alpha(self) -> float:
        """Stroke alpha: the explicit one, else the stroke colour's own."""
        if self.stroke_alpha is not None:
            return self.stroke_alpha
        return self.stroke.alpha if self.stroke is not None else 1.0

    def strokes(self) -> bool:
        """True when a stroke would show (a colour, a positive width, not fully transparent)."""
        return self.stroke is not None and self.line_width > 0 and self.effective_stroke_alpha() > 0


# What the content stream has set, per parameter; PDF's initial values.
_INITIAL: dict[str, Any] = {
    "fill": ("gray", (0.0,)),
    "stroke": ("gray", (0.0,)),
    "alpha": (1.0, 1.0, "Normal"),
    "w": 1.0,
    "d": None,
    "J": 0,
    "j": 0,
    "M": 10.0,
}


def _num(value: float) -> bytes:
    return format_number(value, CONTENT_DECIMALS)


class StateStack:
    """The state a content stream has set, with the q/Q levels its clips need."""

    def __init__(self, content: ContentStream, canon: ResourceCanon, resources: dict[str, dict]) -> None:
        self.content = content
        self.canon = canon
        self.resources = resources
        self._clips: list[bytes] = []
        self._saved: list[dict[str, Any]] = []
        self.state = dict(_INITIAL)
        #: Write no stroke or fill colours: everything is drawn in the colours current where the
        #: content is used (a form placed by another document), as matplotlib's pdf.inheritcolor.
        #: Alphas, patterns and the colours inside images, shadings and patterns are kept.
        self.inherit_color = False

    @property
    def depth(self) -> int:
        """How many q levels are open."""
        return len(self._saved)

    def push(self) -> None:
        """q, remembering the state to restore."""
        self._saved.append(dict(self.state))
        self.content.raw(b"q\n")

    def pop(self) -> None:
        """Q, restoring the state saved at the matching q."""
        self.state = self._saved.pop()
        self.content.raw(b"Q\n")

    def close(self) -> None:
        """Pop every open level (end of page or of a form)."""
        while self._saved:
            self.pop()
        self._clips.clear()

    def set_clips(self, clips: tuple[bytes, ...]) -> None:
        """Open the q levels of a scope (clips and transforms), reusing its common leading items."""
        keep = 0
        while keep < len(self._clips) and keep < len(clips) and self._clips[keep] == clips[keep]:
            keep += 1
        while len(self._clips) > keep:
            self._clips.pop()
            self.pop()
        for clip in clips[keep:]:
            self.push()
            self.content.raw(clip)
            self._clips.append(clip)

    def use_resource(self, category: str, name: str, ref: Any) -> None:
        """Name a resource in the page (or form) resources this stream draws with."""
        self.resources.setdefault(category, {})[name] = ref

    def apply(self, gc: GraphicsContext, fill: Color | None, *, stroke: bool, pattern: bool = False) -> None:
        """Emit what must change for a path filled with `fill` and, if `stroke`, stroked by gc.

        `pattern`: the fill is a tiling pattern (set with set_fill_pattern). Some
        viewers (pdfium) paint the strokes inside a pattern cell at the stroke
        alpha in effect, others not, so when the path is not stroked that alpha
        is set too: to gc.stroke_alpha if given (the matplotlib adapter gives
        what matplotlib's backend sets), else to 1, which all viewers agree on.
        """
        self.set_clips(gc.scope)
        out: list[bytes] = []
        state = self.state
        if gc.fill_alpha is not None:
            wanted_fill_alpha = gc.fill_alpha
        else:
            wanted_fill_alpha = fill.alpha if fill is not None else state["alpha"][1]
        if stroke:
            wanted_stroke_alpha = gc.effective_stroke_alpha()
        elif pattern:
            wanted_stroke_alpha = gc.stroke_alpha if gc.stroke_alpha is not None else 1.0
        else:
            wanted_stroke_alpha = state["alpha"][0]
        alpha = (round(wanted_stroke_alpha, 4), round(wanted_fill_alpha, 4), gc.blend_mode)
        if alpha != state["alpha"]:
            name, ref = self.canon.extgstate(*alpha)
            self.use_resource("ExtGState", name, ref)
            out.append(serialize(Name(name)) + b" gs\n")
            state["alpha"] = alpha
        if fill is not None and not self.inherit_color:
            key = (fill.space, fill.components)
            if key != state["fill"]:
                out.append(fill_operator(fill) + b"\n")
                state["fill"] = key
        if stroke and gc.stroke is not None:
            key = (gc.stroke.space, gc.stroke.components)
            if key != state["stroke"] and not self.inherit_color:
                out.append(stroke_operator(gc.stroke) + b"\n")
                state["stroke"] = key
            self._stroke_parameters(gc, out)
        if out:
            self.content.raw(b"".join(out))

    def set_fill_pattern(self, name: str, ref: Any) -> None:
        """Make a pattern resource the fill colour (hatches, gradients used as paint)."""
        key = ("pattern", name)
        if self.state["fill"] != key:
            self.use_resource("Pattern", name, ref)
            self.content.raw(b"/Pattern cs " + serialize(Name(name)) + b" scn\n")
            self.state["fill"] = key

    def _stroke_parameters(self, gc: GraphicsContext, out: list[bytes]) -> None:
        """Line width, dash, cap, join and miter limit, each only if it changed."""
        state = self.state
        if gc.line_width != state["w"]:
            out.append(_num(gc.line_width) + b" w\n")
            state["w"] = gc.line_width
        dash = _normal_dash(gc.dash)
        if dash != state["d"]:
            pattern, offset = dash if dash is not None else ((), 0.0)
            out.append(b"[" + b" ".join(map(_num, pattern)) + b"] " + _num(offset) + b" d\n")
            state["d"] = dash
        cap = CAPS[gc.cap]
        if cap != state["J"]:
            out.append(b"%d J\n" % cap)
            state["J"] = cap
        join = JOINS[gc.join]
        if join != state["j"]:
            out.append(b"%d j\n" % join)
            state["j"] = join
        if join == 0 and gc.miter_limit != state["M"]:
            out.append(_num(gc.miter_limit) + b" M\n")
            state["M"] = gc.miter_limit


def _normal_dash(dash: tuple[tuple[float, ...], float] | None) -> tuple[tuple[float, ...], float] | None:
    """A dash in canonical form: None for solid (no pattern, or all-zero pattern)."""
    if dash is None:
        return None
    pattern, offset = dash
    pattern = tuple(float(v) for v in pattern)
    if not pattern or not any(pattern):
        return None
    return pattern, float(offset)
