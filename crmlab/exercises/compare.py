"""Comparators: is a student's answer right, and if not, what exactly is wrong?

A comparator is a callable ``(answer, expected) -> str | None``: None when the answer is right,
else a message that says what is wrong *without printing the expected value*.
Numeric answers get a tolerance suited to the quantity; tables are compared by key and the
message names the first wrong rows.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import text, tr

Comparator = Callable[[Any, Any], "str | None"]
RowExplainer = Callable[[Any], str]


def _fmt(value: Any) -> str:
    if isinstance(value, np.generic):  # numpy 2 reprs read np.int64(17); students should see 17
        value = value.item()
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def number(rtol: float = 1e-6, atol: float = 1e-9) -> Comparator:
    """A single number, right within ``atol + rtol·|expected|`` (money: rtol≈1e-6; a rate read off a chart: atol=0.01)."""
    def compare(answer: Any, expected: float) -> str | None:
        if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
            if np.size(answer) != 1:
                return tr("The answer should be one number, not a table or a list.",
                          "答案应当是一个数，而不是表格或列表。")
            answer = np.asarray(answer).ravel()[0]
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return tr(f"The answer should be a number; got {type(answer).__name__} {answer!r}.",
                      f"答案应当是一个数；实际是 {type(answer).__name__} {answer!r}。")
        if math.isnan(value):
            return tr("The answer is NaN (not a number): check for missing values or a division by zero.",
                      "答案是 NaN（非数值）：请检查缺失值或除以零。")
        if math.isclose(value, float(expected), rel_tol=rtol, abs_tol=atol):
            return None
        if float(expected) != 0 and math.isclose(value, 100 * float(expected), rel_tol=max(rtol, 1e-3)):
            return tr("Your answer looks like a percentage: give it as a fraction (80 % → 0.8).",
                      "你的答案像是百分数：请写成小数（80% → 0.8）。")
        direction = tr("too high", "偏高") if value > float(expected) else tr("too low", "偏低")
        return tr(f"Your answer {_fmt(value)} is {direction}.", f"你的答案 {_fmt(value)} {direction}。")
    return compare


def exact() -> Comparator:
    """A label, a word or a whole number that must match exactly (strings compared without surrounding spaces)."""
    def compare(answer: Any, expected: Any) -> str | None:
        a = answer.strip() if isinstance(answer, str) else answer
        e = expected.strip() if isinstance(expected, str) else expected
        if isinstance(a, str) and isinstance(e, str) and a.upper() == e.upper() and len(e) == 1:
            return None  # a class letter: 'a' is as good as 'A'
        if a == e:
            return None
        return tr(f"{_fmt(answer)} is not right.", f"{_fmt(answer)} 不正确。")
    return compare


def one_of() -> Comparator:
    """A label where several answers are right (e.g. two features tie for the highest score): any one of them."""
    match = exact()

    def compare(answer: Any, expected: Iterable[Any]) -> str | None:
        if any(match(answer, e) is None for e in expected):
            return None
        return tr(f"{_fmt(answer)} is not right.", f"{_fmt(answer)} 不正确。")
    return compare


def same_items() -> Comparator:
    """A collection whose order does not matter (e.g. the IDs of the A customers)."""
    def compare(answer: Any, expected: Iterable[Any]) -> str | None:
        if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
            return tr("The answer should be a list (or set) of items.", "答案应当是一个列表（或集合）。")
        got, want = set(answer), set(expected)
        if got == want:
            return None
        extra, missing = sorted(got - want, key=str), sorted(want - got, key=str)
        parts = []
        if extra:
            parts.append(tr(f"{len(extra)} item(s) should not be there, e.g. {_fmt(extra[0])}",
                            f"有 {len(extra)} 项不应出现，例如 {_fmt(extra[0])}"))
        if missing:
            parts.append(tr(f"{len(missing)} item(s) are missing", f"缺少 {len(missing)} 项"))
        return "; ".join(parts) + "."
    return compare


def series_by_key(rtol: float = 1e-6, atol: float = 1e-9, explain: RowExplainer | None = None,
                  what: str | tuple[str, str] = ("value", "值"), max_rows: int = 3) -> Comparator:
    """A Series compared key by key (index): numbers within tolerance, labels exactly.

    ``explain(key)`` may add a fact about the first wrong key from the student's own data
    (e.g. "its cumulative share is 0.83") without giving the answer away. ``what`` names one value
    in the message, as an ``(English, 中文)`` pair: ``("class", "类别")``.
    """
    def compare(answer: Any, expected: pd.Series) -> str | None:
        noun = text(what)
        if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
            answer = answer.iloc[:, 0]
        if not isinstance(answer, pd.Series):
            return tr(f"The answer should be a pandas Series indexed like the data; got {type(answer).__name__}.",
                      f"答案应当是与数据索引一致的 pandas Series；实际是 {type(answer).__name__}。")
        missing = expected.index.difference(answer.index)
        extra = answer.index.difference(expected.index)
        if len(missing):
            return tr(f"{len(missing)} key(s) are missing from your answer, e.g. {_fmt(missing[0])}.",
                      f"你的答案缺少 {len(missing)} 个键，例如 {_fmt(missing[0])}。")
        if len(extra):
            return tr(f"Your answer has {len(extra)} key(s) that are not in the data, e.g. {_fmt(extra[0])}.",
                      f"你的答案含有 {len(extra)} 个数据中没有的键，例如 {_fmt(extra[0])}。")
        if answer.index.has_duplicates:
            dup = answer.index[answer.index.duplicated()][0]
            return tr(f"Key {_fmt(dup)} appears more than once in your answer.",
                      f"键 {_fmt(dup)} 在你的答案中出现了不止一次。")
        got = answer.reindex(expected.index)
        if pd.api.types.is_numeric_dtype(expected) and not pd.api.types.is_bool_dtype(expected):
            got_num = pd.to_numeric(got, errors="coerce").to_numpy(dtype=float)
            want = expected.to_numpy(dtype=float)
            wrong = ~np.isclose(got_num, want, rtol=rtol, atol=atol, equal_nan=True)
        else:
            wrong = (got.astype(object).to_numpy() != expected.astype(object).to_numpy())
        if not wrong.any():
            return None
        keys = expected.index[wrong]
        first = keys[0]
        message = tr(f"{int(wrong.sum())} of {len(expected)} {noun}s are wrong. For {_fmt(first)} you have "
                     f"{_fmt(got[first])}",
                     f"{len(expected)} 个{noun}中有 {int(wrong.sum())} 个不对。{_fmt(first)} 你的答案是 {_fmt(got[first])}")
        if explain is not None:
            message += tr("; ", "；") + explain(first)
        message += "."
        if len(keys) > 1:
            shown = ", ".join(_fmt(k) for k in keys[1:max_rows])
            message += tr(f" Also check: {shown}.", f" 另请检查：{shown}。")
        return message
    return compare


def frame_by_key(columns: Iterable[str] | None = None, rtol: float = 1e-6, atol: float = 1e-9,
                 max_rows: int = 3) -> Comparator:
    """A DataFrame compared row by row on its index, column by column (only ``columns`` when given)."""
    def compare(answer: Any, expected: pd.DataFrame) -> str | None:
        if not isinstance(answer, pd.DataFrame):
            return tr(f"The answer should be a pandas DataFrame; got {type(answer).__name__}.",
                      f"答案应当是 pandas DataFrame；实际是 {type(answer).__name__}。")
        cols = list(columns) if columns is not None else list(expected.columns)
        absent = [c for c in cols if c not in answer.columns]
        if absent:
            return tr(f"Your table has no column {', '.join(map(repr, absent))}.",
                      f"你的表格缺少列 {', '.join(map(repr, absent))}。")
        for col in cols:
            message = series_by_key(rtol=rtol, atol=atol, what=(f"'{col}' value", f"“{col}”值"),
                                    max_rows=max_rows)(answer[col], expected[col])
            if message is not None:
                return tr(f"Column '{col}': ", f"列“{col}”：") + message
        return None
    return compare
