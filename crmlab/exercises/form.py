"""The *form* of an answer: what an assessed check can say without knowing the answer.

``crmlab assign --assessed`` records each question's form from the instructor's own answer (a number
or a share, a label, a list of IDs, a Series keyed by customer, a table with these columns) and
writes it into the student version; a check there compares a student's answer with the form only:
not attempted, wrong type, a missing column, a share above 1. Whether the answer is right is
decided when the work is graded.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from crmlab.exercises.compare import _kind, as_number, table_problem
from crmlab.i18n import tr


def _index_name(index: pd.Index) -> str | None:
    return str(index.name) if index.name is not None else None


def describe(value: Any, *, share: bool = False) -> dict:
    """The form of ``value`` (JSON-ready): its type and, for tables, its columns and index name."""
    if isinstance(value, pd.DataFrame):
        return {"type": "frame", "columns": [str(c) for c in value.columns], "index": _index_name(value.index)}
    if isinstance(value, pd.Series):
        kind = "numbers" if pd.api.types.is_numeric_dtype(value) and not pd.api.types.is_bool_dtype(value) else "labels"
        return {"type": "series", "values": kind, "index": _index_name(value.index)}
    if isinstance(value, (bool, np.bool_)):
        return {"type": "bool"}  # checked like a label: the comparator says what is wrong on grading
    if isinstance(value, (int, float, np.integer, np.floating)):
        return {"type": "number", "share": bool(share)}
    if isinstance(value, str):
        return {"type": "text"}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Index)):
        return {"type": "items"}
    return {"type": "other"}


def problem(answer: Any, form: Mapping | None, keys: Any = None) -> str | None:
    """What is wrong with the *form* of ``answer`` (None when it has the form asked for).

    ``keys``: the IDs a Series or table answer must be indexed by (from the student's own data);
    missing and extra IDs are counted and one of each named.
    """
    found = _form(answer, form)
    if found is not None or keys is None or not isinstance(answer, (pd.Series, pd.DataFrame)):
        return found
    want = pd.Index(pd.unique(np.asarray(list(keys), dtype=object)))
    missing, extra = want.difference(answer.index), answer.index.difference(want)
    if len(missing):
        return tr(f"{len(missing)} ID(s) of your data are missing from your answer, e.g. {missing[0]!r}.",
                  f"你的答案缺少数据中的 {len(missing)} 个编号，例如 {missing[0]!r}。")
    if len(extra):
        return tr(f"Your answer has {len(extra)} ID(s) that are not in your data, e.g. {extra[0]!r}.",
                  f"你的答案含有 {len(extra)} 个数据中没有的编号，例如 {extra[0]!r}。")
    return None


def _form(answer: Any, form: Mapping | None) -> str | None:
    kind = form.get("type") if isinstance(form, Mapping) else None
    if kind == "frame":
        return table_problem(answer, form.get("columns", []))
    if kind == "series":
        if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
            answer = answer.iloc[:, 0]
        if not isinstance(answer, pd.Series):
            return tr(f"The answer should be a pandas Series; you gave {_kind(answer)}.",
                      f"答案应当是一个 pandas Series；你给的是{_kind(answer)}。")
        if answer.index.has_duplicates:
            return tr("A key appears more than once in your answer's index.", "你的答案的索引中有重复的键。")
        if form.get("values") == "numbers" and not pd.api.types.is_numeric_dtype(answer):
            return tr("The answer's values should be numbers.", "答案中的值应当是数字。")
        return None
    if kind == "number":
        value, found = as_number(answer)
        if found is not None:
            return found
        if math.isinf(value):
            return tr(f"Your answer is {value}; check for a division by zero.", f"你的答案是 {value}；请检查是否除以了零。")
        if form.get("share") and not 0 <= value <= 1:
            return tr(f"Your answer {value:g} is not between 0 and 1: give a share as a fraction (0.25, not 25).",
                      f"你的答案 {value:g} 不在 0 到 1 之间：比例请写成小数（0.25，而不是 25）。")
        return None
    if kind == "text":
        if not isinstance(answer, str):
            return tr(f"The answer should be a label (text); you gave {_kind(answer)}.",
                      f"答案应当是一个标签（文字）；你给的是{_kind(answer)}。")
        return None if answer.strip() else tr("Your answer is empty text.", "你的答案是空文字。")
    if kind == "items":
        if isinstance(answer, (str, bytes, pd.DataFrame)) or not isinstance(answer, Iterable):
            return tr(f"The answer should be a list of items; you gave {_kind(answer)}.",
                      f"答案应当是一个列表；你给的是{_kind(answer)}。")
        return None
    return None

