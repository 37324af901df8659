"""Customer IDs as integer codes, once, so that every group-by after runs on integers.

Hashing millions of strings is what makes a group-by on string IDs slow (pandas hashes them again in
every group-by). IDs of one fixed width (``C000908``, ``2024001234``: the usual case, and every crmlab
world) are read in place from the Arrow buffer as bytes; each byte position is mapped to the few values
it takes and the positions packed into one integer in the IDs' sort order (mixed radix), so that
``C0001234`` becomes a small integer; a small range is then coded by counting, a larger one by hashing
integers. Other IDs fall back to pandas' factorize. Either way the codes number the IDs in sorted order.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _fixed_width_words(values: pd.Series) -> np.ndarray | None:
    """The IDs' bytes as an (n, width) uint8 matrix when they are Arrow strings of one width (at most 32
    bytes) without missing values; None otherwise. Equal-width UTF-8 strings sort as their bytes do."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return None
    array = getattr(values.array, "_pa_array", None)
    if array is None or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return None
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    if len(array) == 0 or array.null_count:
        return None
    width_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width_type)[array.offset:array.offset + len(array) + 1]
    width = int(offsets[1] - offsets[0])
    if not 1 <= width <= 32 or int(offsets[-1] - offsets[0]) != width * len(array):
        return None
    if not np.all(np.diff(offsets) == width):
        return None
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[int(offsets[0]):int(offsets[-1])]
    return data.reshape(len(array), width)


def _dense_codes(columns: np.ndarray) -> np.ndarray | None:
    """Byte columns of equal-width IDs packed into one integer per ID in the IDs' sort order, each byte
    position mapped to the few values it takes (digits: 10), so IDs like C0001234 become small integers;
    None when the packed range would exceed 64 bits."""
    packed = np.zeros(len(columns), dtype=np.int64)
    size = 1
    by_position = np.ascontiguousarray(columns.T)  # each byte position contiguous: no strided reads
    for column in by_position:
        present = np.bincount(column, minlength=256) > 0
        levels = int(present.sum())
        if levels == 1:
            continue
        if size * levels >= 2**62:
            return None
        values = np.flatnonzero(present)
        np.multiply(packed, levels, out=packed)
        if values[-1] - values[0] + 1 == levels:  # a run of byte values (the digits): a shift, no lookup
            np.add(packed, column, out=packed)
            packed -= int(values[0])
        else:
            rank = (np.cumsum(present) - 1).astype(np.int64)
            np.add(packed, rank[column], out=packed)
        size *= levels
    return packed


def factorize_sorted(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``(codes, uniques)`` with ``uniques`` sorted and ``values == uniques[codes]``; as
    ``pd.factorize(values, sort=True)`` (no missing values: callers check IDs first), faster on string IDs.

    Codes are int64; ``uniques`` keeps the dtype of ``values``.
    """
    columns = _fixed_width_words(values)
    packed = _dense_codes(columns) if columns is not None else None
    if packed is not None:
        if packed.max() < 4 * len(packed) + 1024:  # a small range: count instead of hashing or sorting
            present = np.bincount(packed) > 0
            rank = np.cumsum(present) - 1
            codes = rank[packed]
            first = np.empty(int(rank[-1]) + 1, dtype=np.int64)
            first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # a row holding each distinct ID
            return codes, pd.Index(values.array.take(first))
        codes, uniques = pd.factorize(packed)
        order = np.argsort(uniques, kind="stable")
        first = np.empty(len(uniques), dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
        labels = pd.Index(values.array.take(first[order]))
    else:
        codes, labels = pd.factorize(values)
        order = np.argsort(np.asarray(labels), kind="stable") if len(labels) else np.zeros(0, dtype=np.int64)
        labels = pd.Index(labels).take(order)
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    return position[codes], labels
