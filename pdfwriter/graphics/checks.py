"""Number checks shared by the style, hatch, shading and annotation code; failures are StyleErrors unless told."""

from __future__ import annotations

import math
from typing import Any

from ..errors import StyleError


def finite(name: str, value: Any, *, error: type[Exception] = StyleError) -> float:
    """A finite float, else `error` (StyleError by default); booleans are refused."""
    if isinstance(value, bool):
        raise error(f"{name} must be a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise error(f"{name} must be a number, not {value!r:.40}") from None
    if not math.isfinite(number):
        raise error(f"{name} must be finite, not {value!r}")
    return number


def non_negative(name: str, value: Any, *, allow_zero: bool = True, error: type[Exception] = StyleError) -> float:
    """A finite, non-negative (or, without allow_zero, positive) float, else `error` (StyleError by default)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise error(f"{name} must be a number, not {value!r:.40}") from None
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise error(f"{name} must be a finite number {'>=' if allow_zero else '>'} 0, not {value!r:.40}")
    return number
