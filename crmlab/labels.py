"""Labels from data, shown in the language in force (数据标签的中文显示): one mechanism for every track.

Code keeps English identifiers (``"proposal"``, ``"attractive"``, ``"monopoly"``); what a Chinese lesson
shows is the Chinese name. Each track keeps only its table of names (``crmlab/<track>/labels.py``) and
uses the two functions here: :func:`localise_table` renames a table's index labels, column names and
text values for display, and :func:`read_back` reads an answer written with names back into codes, so
a check accepts "消费者客户" as well as "consumer".
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from crmlab.i18n import get_language


def _texts(series: pd.Series) -> bool:
    return (series.dtype == object or pd.api.types.is_string_dtype(series)
            or isinstance(series.dtype, pd.CategoricalDtype))


def localise_table(obj: Any, name: Callable[[Any], Any]) -> Any:
    """A copy of a DataFrame or Series with every label shown by ``name``, in Chinese only (for display).

    Index labels, column names and text values are passed through ``name``; numbers are kept. In
    English, or for anything that is not a table, ``obj`` is returned unchanged.
    """
    if get_language() != "zh" or not isinstance(obj, (pd.DataFrame, pd.Series)):
        return obj
    out = obj.copy()
    out.index = out.index.map(name)
    out.index.name = name(out.index.name)
    if isinstance(out, pd.DataFrame):
        for column in out.columns:
            if _texts(out[column]):
                out[column] = out[column].astype(object).map(name)
        out.columns = out.columns.map(name)
        out.columns.name = name(out.columns.name)
    else:
        out.name = name(out.name)
        if _texts(out):
            out = out.astype(object).map(name)
    return out


def read_back(values: Any, one: Callable[[str], Any] | Mapping[str, Any]) -> Any:
    """An answer written with names read back into codes, element by element (strings, Series, lists).

    ``one`` maps one stripped string to its code (a mapping: unknown strings are kept). Anything else
    is returned unchanged, so a comparator still sees, and names, a wrong type.
    """
    if isinstance(one, Mapping):
        lookup = one
        one = lambda key: lookup.get(key, key)  # noqa: E731

    def convert(value: Any) -> Any:
        return one(value.strip()) if isinstance(value, str) else value

    if isinstance(values, str):
        return convert(values)
    if isinstance(values, pd.Series):
        return values.map(convert) if _texts(values) else values
    if isinstance(values, (list, tuple)):
        return type(values)(convert(v) for v in values)
    return values
