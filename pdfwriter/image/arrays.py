"""numpy helpers that behave alike on every numpy version pdfwriter supports."""

from __future__ import annotations

import numpy as np


def view_as(array: np.ndarray, dtype: np.dtype | type | str) -> np.ndarray:
    """`array.view(dtype)` for an array whose last axis is contiguous (rows of any stride).

    numpy 1.23 and later view such arrays in place; earlier versions accept
    only C-contiguous arrays for a dtype of another size, and get a copy.
    """
    try:
        return array.view(dtype)
    except ValueError:
        return np.ascontiguousarray(array).view(dtype)
