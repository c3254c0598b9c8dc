"""Gradient paints: fills that blend colour stops, usable wherever a fill colour is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import StyleError
from ..resources.shading import Gradient, linear_gradient, point, radial_gradient
from .color import parse_color


def _stops(stops: Sequence[tuple[float, Any]]) -> tuple[tuple[float, Any], ...]:
    """Stops as a hashable tuple of (offset, Color)."""
    try:
        return tuple((float(offset), parse_color(color, name="gradient stop")) for offset, color in stops)
    except StyleError:
        raise
    except (TypeError, ValueError, OverflowError):
        raise StyleError(f"gradient stops must be (offset, colour) pairs, not {stops!r}") from None


@dataclass(frozen=True)
class LinearGradient:
    """Colours blending along the line from `start` (offset 0) to `end` (offset 1), in drawing coordinates."""

    start: tuple[float, float]
    end: tuple[float, float]
    stops: tuple[tuple[float, Any], ...]
    extend: tuple[bool, bool] = (True, True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", point("gradient start", self.start))
        object.__setattr__(self, "end", point("gradient end", self.end))
        object.__setattr__(self, "stops", _stops(self.stops))
        object.__setattr__(self, "extend", tuple(self.extend))
        self.shading()

    def shading(self) -> Gradient:
        """The shading dictionaries that paint this gradient."""
        return linear_gradient(self.start, self.end, self.stops, extend=self.extend)


@dataclass(frozen=True)
class RadialGradient:
    """Colours blending from the circle (`center0`, `r0`) to the circle (`center1`, `r1`)."""

    center0: tuple[float, float]
    r0: float
    center1: tuple[float, float]
    r1: float
    stops: tuple[tuple[float, Any], ...]
    extend: tuple[bool, bool] = (True, True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "center0", point("gradient center0", self.center0))
        object.__setattr__(self, "center1", point("gradient center1", self.center1))
        object.__setattr__(self, "stops", _stops(self.stops))
        object.__setattr__(self, "extend", tuple(self.extend))
        self.shading()

    def shading(self) -> Gradient:
        """The shading dictionaries that paint this gradient."""
        return radial_gradient(self.center0, self.r0, self.center1, self.r1, self.stops, extend=self.extend)


GradientPaint = LinearGradient | RadialGradient
