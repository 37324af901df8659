"""A data-only format for handing an answer's *value* from a student's kernel to the grader.

The student's kernel runs :func:`dump` (it writes JSON, never pickle); the grader runs
:func:`load` in its own process and compares there, so nothing the kernel prints or returns can
make an answer right: the kernel can only hand over a value, which is what answering is.

What travels: None, Ellipsis, bool, int, float (NaN and ±inf included), str, list, tuple, set,
dict, numpy scalars and arrays, pandas Timestamp/Timedelta, Series, DataFrame and Index
(MultiIndex and RangeIndex too) with their dtypes (numeric, bool, nullable, string, object,
datetime, timedelta, category). Anything else arrives as an "unsupported" marker naming its
type. Floats travel as Python's shortest round-trip repr, so they arrive bit for bit (pandas'
``to_json`` keeps at most 15 significant digits, which is why it is not used).
"""
from __future__ import annotations

import json
import math
import os
from typing import Any

MAX_DEPTH = 32


class Unsupported:
    """An answer the format cannot carry (a model object, a figure …); compared as its type name."""

    def __init__(self, type_name: str, why: str = ""):
        self.type_name, self.why = type_name, why

    def __repr__(self) -> str:
        return f"<unsupported answer of type {self.type_name}>"


class TooLarge(Exception):
    """The encoded answer is over the size cap."""


# --- encoding (runs in the student's kernel) ------------------------------------------------

def _array(values: Any) -> dict:
    """A column/index's values with their dtype (values: Series, Index or ndarray)."""
    import numpy as np
    import pandas as pd

    s = pd.Series(np.asarray(values) if isinstance(values, np.ndarray) else values, copy=False)
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return {"dtype": "category", "ordered": bool(dtype.ordered), "categories": _array(dtype.categories),
                "codes": s.cat.codes.astype("int64").tolist()}
    kind = getattr(dtype, "kind", "O")
    if kind == "M":
        return {"dtype": str(dtype), "v": [None if pd.isna(x) else x.isoformat() for x in s]}
    if kind == "m":
        return {"dtype": str(dtype), "v": s.astype("int64").where(s.notna(), None).tolist()
                if not s.isna().any() else [None if pd.isna(x) else int(x.value) for x in s]}
    if isinstance(dtype, np.dtype) and kind in "biuf":
        return {"dtype": str(dtype), "v": s.tolist()}
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):  # Int64, Float64, boolean, string
        return {"dtype": str(dtype), "v": [None if pd.isna(x) else _plain(x) for x in s.astype(object)]}
    if pd.api.types.infer_dtype(s, skipna=False) == "string":
        return {"dtype": "object", "v": s.tolist()}
    return {"dtype": "object", "e": [encode(x, 1) for x in s]}


def _plain(x: Any) -> Any:
    import numpy as np

    return x.item() if isinstance(x, np.generic) else x


def _index(index: Any) -> dict:
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        return {"multi": [_array(index.get_level_values(i)) for i in range(index.nlevels)],
                "names": [encode(n, 1) for n in index.names]}
    if isinstance(index, pd.RangeIndex):
        return {"range": [index.start, index.stop, index.step], "name": encode(index.name, 1)}
    return {**_array(index), "name": encode(index.name, 1)}


def encode(value: Any, depth: int = 0) -> dict:
    """``value`` as a JSON-able tree of ``{"t": type, ...}`` nodes (see the module docstring)."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    if depth > MAX_DEPTH:
        return {"t": "unsupported", "type": "nested deeper than 32 levels"}
    if value is None:
        return {"t": "none"}
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"t": "int", "v": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"t": "float", "v": float(value)}
    if isinstance(value, str):
        return {"t": "str", "v": str.__str__(value)}
    if isinstance(value, pd.DataFrame):
        return {"t": "frame", "index": _index(value.index), "columns": _index(value.columns),
                "data": [_array(value.iloc[:, i]) for i in range(value.shape[1])]}
    if isinstance(value, pd.Series):
        return {"t": "series", "name": encode(value.name, depth + 1), "index": _index(value.index),
                "values": _array(value)}
    if isinstance(value, pd.Index):
        return {"t": "index", "index": _index(value)}
    if isinstance(value, np.ndarray):
        flat = value.reshape(-1)
        return {"t": "ndarray", "shape": list(value.shape), "values": _array(flat)}
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return {"t": "timestamp", "v": None if pd.isna(stamp) else stamp.isoformat()}
    if isinstance(value, (pd.Timedelta, dt.timedelta, np.timedelta64)):
        delta = pd.Timedelta(value)
        return {"t": "timedelta", "v": None if pd.isna(delta) else int(delta.value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        kind = {list: "list", tuple: "tuple"}.get(type(value), "set" if isinstance(value, (set, frozenset))
                                                    else "list" if isinstance(value, list) else "tuple")
        items = sorted(value, key=repr) if kind == "set" else list(value)
        return {"t": kind, "v": [encode(x, depth + 1) for x in items]}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(x, depth + 1)] for k, x in value.items()]}
    return {"t": "unsupported", "type": type(value).__name__[:80]}


def dumps(value: Any, cap_bytes: int) -> str:
    """The JSON text of ``value``; raises :class:`TooLarge` above ``cap_bytes``."""
    try:
        tree = encode(value)
    except Exception as exc:  # a broken __float__, a pandas object in a strange state ...
        tree = {"t": "unsupported", "type": type(value).__name__[:80], "why": f"{type(exc).__name__}: {exc}"[:200]}
    text = json.dumps(tree, ensure_ascii=True, allow_nan=True, separators=(",", ":"))
    if len(text) > cap_bytes:
        raise TooLarge(len(text))
    return text


def dump(value: Any, path: str, cap_bytes: int) -> None:
    """Write ``value`` to ``path`` (through a temporary file); over the cap, write a marker instead."""
    try:
        text = dumps(value, cap_bytes)
    except TooLarge as exc:
        text = json.dumps({"t": "too large", "bytes": int(exc.args[0])})
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii") as handle:
        handle.write(text)
    os.replace(tmp, path)


# --- decoding (runs in the grader) ----------------------------------------------------------

class Malformed(ValueError):
    """The file is not an answer in this format."""


def _unarray(node: dict) -> Any:
    import numpy as np
    import pandas as pd

    if not isinstance(node, dict):
        raise Malformed("array node")
    dtype = node.get("dtype")
    if dtype == "category":
        categories = _unarray(node["categories"])
        return pd.Categorical.from_codes(node["codes"], categories=categories, ordered=bool(node["ordered"]))
    if "e" in node:
        return pd.array([decode(x, 1) for x in node["e"]], dtype=object)
    values = node.get("v")
    if not isinstance(values, list) or not isinstance(dtype, str) or len(dtype) > 60:
        raise Malformed("array values")
    if dtype.startswith("datetime64"):
        return pd.Series(pd.to_datetime(values)).astype(dtype).array
    if dtype.startswith("timedelta64"):
        return pd.Series(pd.to_timedelta([np.nan if v is None else v for v in values], unit="ns")).astype(dtype).array
    if dtype == "object":
        return pd.array(values, dtype=object)
    target = pd.api.types.pandas_dtype(dtype)
    if isinstance(target, np.dtype):
        if target.kind not in "biuf":
            raise Malformed("array dtype")
        return np.array(values, dtype=target)
    return pd.array(values, dtype=target)


def _unindex(node: dict) -> Any:
    import pandas as pd

    if "multi" in node:
        return pd.MultiIndex.from_arrays([_unarray(level) for level in node["multi"]],
                                         names=[decode(n, 1) for n in node["names"]])
    if "range" in node:
        start, stop, step = (int(x) for x in node["range"])
        return pd.RangeIndex(start, stop, step, name=decode(node["name"], 1))
    return pd.Index(_unarray(node), name=decode(node["name"], 1), tupleize_cols=False)


def decode(node: Any, depth: int = 0) -> Any:
    """The value a tree from :func:`encode` describes (only plain Python, numpy and pandas objects)."""
    import numpy as np
    import pandas as pd

    if depth > MAX_DEPTH + 2 or not isinstance(node, dict) or not isinstance(node.get("t"), str):
        raise Malformed("node")
    t = node["t"]
    if t == "none":
        return None
    if t == "ellipsis":
        return Ellipsis
    if t in ("bool", "int", "float", "str"):
        value = node.get("v")
        kind = {"bool": bool, "int": int, "float": float, "str": str}[t]
        if t == "float" and isinstance(value, int):
            value = float(value)
        if type(value) is not kind:
            raise Malformed(t)
        return value
    if t in ("list", "tuple", "set"):
        items = [decode(x, depth + 1) for x in node["v"]]
        return {"list": list, "tuple": tuple, "set": lambda xs: set(xs)}[t](items)
    if t == "dict":
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in node["v"]}
    if t == "frame":
        columns = [pd.Series(_unarray(col)) for col in node["data"]]
        index = _unindex(node["index"])
        frame = pd.concat([c.set_axis(index) for c in columns], axis=1) if columns else pd.DataFrame(index=index)
        frame.columns = _unindex(node["columns"])
        return frame
    if t == "series":
        return pd.Series(_unarray(node["values"]), index=_unindex(node["index"]), name=decode(node["name"], 1))
    if t == "index":
        return _unindex(node["index"])
    if t == "ndarray":
        shape = [int(n) for n in node["shape"]]
        return np.asarray(_unarray(node["values"])).reshape(shape)
    if t == "timestamp":
        return pd.NaT if node["v"] is None else pd.Timestamp(node["v"])
    if t == "timedelta":
        return pd.NaT if node["v"] is None else pd.Timedelta(int(node["v"]), unit="ns")
    if t == "unsupported":
        return Unsupported(str(node.get("type", "?"))[:80], str(node.get("why", ""))[:200])
    raise Malformed(t)


def load(path: str, cap_bytes: int) -> Any:
    """The answer in ``path`` (written by :func:`dump`); raises TooLarge, Malformed or OSError."""
    with open(path, "rb") as handle:
        raw = handle.read(cap_bytes + 1)
    if len(raw) > cap_bytes:
        raise TooLarge(len(raw))
    try:
        tree = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Malformed("not JSON") from exc
    if isinstance(tree, dict) and tree.get("t") == "too large":
        raise TooLarge(int(tree.get("bytes", 0)) if isinstance(tree.get("bytes"), int) else 0)
    try:
        return decode(tree)
    except (KeyError, TypeError, ValueError, IndexError, OverflowError, RecursionError) as exc:
        raise Malformed(f"{type(exc).__name__}") from exc


__all__ = ["Malformed", "TooLarge", "Unsupported", "decode", "dump", "dumps", "encode", "load", "math"]
