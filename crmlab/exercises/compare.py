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
    """A value as a student reads it: plain numbers with sensible rounding (4,550,770.5, 0.0123), never 4.55e+06."""
    if isinstance(value, np.generic):  # numpy 2 reprs read np.int64(17); students should see 17
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    if isinstance(value, int) or float(value).is_integer() and magnitude < 1e15:
        return f"{int(value):,}"
    if magnitude >= 1000:
        text = f"{value:,.2f}"
    elif magnitude >= 1:
        text = f"{value:.4f}"
    else:
        text = f"{value:.6f}" if magnitude >= 1e-6 else f"{value:.3g}"
        return text.rstrip("0").rstrip(".") if "e" not in text else text
    return text.rstrip("0").rstrip(".")


def _kind(answer: Any) -> str:
    """What the student handed in, in words (for messages that put type and shape first)."""
    if isinstance(answer, pd.DataFrame):
        return tr(f"a table (DataFrame) of {answer.shape[0]} rows × {answer.shape[1]} columns",
                  f"一个 {answer.shape[0]} 行 × {answer.shape[1]} 列的表格（DataFrame）")
    if isinstance(answer, pd.Series):
        return tr(f"a pandas Series of {len(answer)} values", f"一个含 {len(answer)} 个值的 pandas Series")
    if isinstance(answer, np.ndarray):
        return tr(f"an array of {answer.size} values", f"一个含 {answer.size} 个值的数组")
    if isinstance(answer, (list, tuple, set)):
        return tr(f"a {type(answer).__name__} of {len(answer)} items", f"一个含 {len(answer)} 项的 {type(answer).__name__}")
    if isinstance(answer, bool):
        return tr(f"True/False ({answer})", f"布尔值（{answer}）")
    if isinstance(answer, str):
        return tr(f"the text {answer!r}", f"文字 {answer!r}")
    return tr(f"a {type(answer).__name__}", f"一个 {type(answer).__name__}")


def as_number(answer: Any) -> tuple[float, str | None]:
    """The one number ``answer`` holds, and None; or NaN and the message saying why it is not one number.

    One value in a Series or array counts as that value; True/False and text do not.
    """
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
        if np.size(answer) != 1:
            return math.nan, tr(f"The answer should be one number; you gave {_kind(answer)}. "
                                "Reduce it to the one value the question asks for (e.g. .sum(), .mean() or .loc[...]).",
                                f"答案应当是一个数；你给的是{_kind(answer)}。请把它化成题目要的那一个值"
                                "（例如用 .sum()、.mean() 或 .loc[...]）。")
        answer = np.asarray(answer).ravel()[0]
    not_a_number = (tr(f"The answer should be a number; you gave {_kind(answer)}.",
                       f"答案应当是一个数；你给的是{_kind(answer)}。"))
    if isinstance(answer, (bool, np.bool_, str)):
        return math.nan, not_a_number
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return math.nan, not_a_number
    if math.isnan(value):
        return value, tr("The answer is NaN (not a number): check for missing values or a division by zero.",
                         "答案是 NaN（非数值）：请检查缺失值或除以零。")
    return value, None


def number(rtol: float = 1e-6, atol: float = 1e-9, *, share: bool = False, decimals: int | None = None) -> Comparator:
    """A single number, right within ``atol + rtol·|expected|`` (money: rtol≈1e-6; a rate read off a chart: atol=0.01).

    ``share=True``: the number is a share or a probability, so a value outside [0, 1] is named as such.
    ``decimals=2``: the question asks for two decimal places, so an answer rounded to them passes.
    """
    def compare(answer: Any, expected: float) -> str | None:
        value, problem = as_number(answer)
        if problem is not None:
            return problem
        want = float(expected)
        if math.isclose(value, want, rel_tol=rtol, abs_tol=atol):
            return None
        if decimals is not None and round(value, decimals) == round(want, decimals):
            return None
        if decimals is not None and math.isclose(value, want, abs_tol=0.5 * 10 ** -decimals + 1e-12):
            return None
        if want != 0 and math.isclose(value, 100 * want, rel_tol=max(rtol, 1e-3), abs_tol=100 * atol):
            return tr("Your answer looks like a percentage: give it as a fraction (80 % → 0.8).",
                      "你的答案像是百分数：请写成小数（80% → 0.8）。")
        if share and not 0 <= value <= 1:
            return tr(f"A share (or probability) lies between 0 and 1; {_fmt(value)} cannot be one.",
                      f"占比（或概率）只能在 0 到 1 之间；{_fmt(value)} 不可能是占比。")
        if want != 0 and math.isclose(value, -want, rel_tol=max(rtol, 1e-6), abs_tol=atol):
            return tr("Your answer has the wrong sign.", "你的答案符号反了（正负号错误）。")
        direction = tr("too high", "偏高") if value > want else tr("too low", "偏低")
        return tr(f"Your answer {_fmt(value)} is {direction}.", f"你的答案 {_fmt(value)} {direction}。")
    return compare


def exact() -> Comparator:
    """A label, a word or a whole number that must match exactly (strings compared without surrounding spaces)."""
    def compare(answer: Any, expected: Any) -> str | None:
        if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple, set)) and not isinstance(
                expected, (pd.Series, pd.DataFrame, np.ndarray, list, tuple, set)):
            return tr(f"The answer should be one value; you gave {_kind(answer)}.",
                      f"答案应当是一个值；你给的是{_kind(answer)}。")
        a = answer.strip() if isinstance(answer, str) else answer
        e = expected.strip() if isinstance(expected, str) else expected
        if isinstance(e, str) and not isinstance(a, str):
            return tr(f"The answer should be a label (text); you gave {_kind(answer)}.",
                      f"答案应当是一个标签（文字）；你给的是{_kind(answer)}。")
        if isinstance(a, str) and not isinstance(e, str) and not isinstance(e, bool):
            return tr(f"The answer should be a number; you gave {_kind(answer)}.",
                      f"答案应当是一个数；你给的是{_kind(answer)}。")
        if isinstance(a, str) and isinstance(e, str) and a.upper() == e.upper() and len(e) == 1:
            return None  # a class letter: 'a' is as good as 'A'
        try:
            if a == e:
                return None
            if isinstance(a, (int, float, np.number)) and isinstance(e, (int, float, np.number)) \
                    and not isinstance(a, bool) and e != 0 and a == -e:
                return tr("Your answer has the wrong sign.", "你的答案符号反了（正负号错误）。")
        except (TypeError, ValueError):  # numpy/pandas objects that refuse ==
            pass
        return tr(f"{_fmt(answer)} is not right.", f"{_fmt(answer)} 不正确。")
    return compare


def one_of() -> Comparator:
    """A label where several answers are right (e.g. two features tie for the highest score): any one of them."""
    match = exact()

    def compare(answer: Any, expected: Iterable[Any]) -> str | None:
        problems = [match(answer, e) for e in expected]
        if any(p is None for p in problems):
            return None
        return problems[0] if problems else tr(f"{_fmt(answer)} is not right.", f"{_fmt(answer)} 不正确。")
    return compare


def same_items() -> Comparator:
    """A collection whose order does not matter (e.g. the IDs of the A customers)."""
    def compare(answer: Any, expected: Iterable[Any]) -> str | None:
        if isinstance(answer, pd.DataFrame):
            return tr(f"The answer should be a list of IDs; you gave {_kind(answer)}. "
                      "Its index holds the IDs: list(table.index).",
                      f"答案应当是编号列表；你给的是{_kind(answer)}。表格的索引就是编号：list(表.index)。")
        if isinstance(answer, pd.Series) and pd.api.types.is_bool_dtype(answer):
            return tr("You gave a True/False Series (a filter); the question asks for the IDs it selects: "
                      "list(series.index[series]).",
                      "你给的是一个 True/False 的 Series（筛选条件）；题目要的是它选出的编号：list(series.index[series])。")
        if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
            return tr(f"The answer should be a list (or set) of items; you gave {_kind(answer)}.",
                      f"答案应当是一个列表（或集合）；你给的是{_kind(answer)}。")
        items = list(answer)
        got, want = set(items), set(expected)
        if len(items) != len(got) and got == want:
            return tr("Some items appear more than once in your list.", "你的列表中有重复的项。")
        if got == want:
            return None
        extra, missing = sorted(got - want, key=str), sorted(want - got, key=str)
        parts = []
        if extra:
            parts.append(tr(f"{len(extra)} item(s) should not be there, e.g. {_fmt(extra[0])}",
                            f"有 {len(extra)} 项不应出现，例如 {_fmt(extra[0])}"))
        if missing:
            parts.append(tr(f"{len(missing)} item(s) are missing", f"缺少 {len(missing)} 项"))
        return tr("; ", "；").join(parts) + tr(".", "。")
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
            return tr(f"The answer should be a pandas Series indexed by {expected.index.name or 'key'}; "
                      f"you gave {_kind(answer)}.",
                      f"答案应当是以 {expected.index.name or '键'} 为索引的 pandas Series；你给的是{_kind(answer)}。")
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
        message += tr(".", "。")
        if len(keys) > 1:
            shown = ", ".join(_fmt(k) for k in keys[1:max_rows])
            message += tr(f" Also check: {shown}.", f"另请检查：{shown}。")
        return message
    return compare


def table_problem(answer: Any, columns: Iterable[str]) -> str | None:
    """None when ``answer`` is a DataFrame with every one of ``columns``; else what is wrong with it."""
    if not isinstance(answer, pd.DataFrame):
        return tr(f"The answer should be a table (pandas DataFrame); you gave {_kind(answer)}.",
                  f"答案应当是一个表格（pandas DataFrame）；你给的是{_kind(answer)}。")
    absent = [c for c in columns if c not in answer.columns]
    if absent:
        return tr(f"Your table has no column {', '.join(map(repr, absent))}.",
                  f"你的表格缺少列 {', '.join(map(repr, absent))}。")
    return None


def frame_by_key(columns: Iterable[str] | None = None, rtol: float = 1e-6, atol: float = 1e-9,
                 max_rows: int = 3) -> Comparator:
    """A DataFrame compared row by row on its index, column by column (only ``columns`` when given)."""
    def compare(answer: Any, expected: pd.DataFrame) -> str | None:
        cols = list(columns) if columns is not None else list(expected.columns)
        problem = table_problem(answer, cols)
        if problem is not None:
            return problem
        for col in cols:
            message = series_by_key(rtol=rtol, atol=atol, what=(f"'{col}' value", f"“{col}”值"),
                                    max_rows=max_rows)(answer[col], expected[col])
            if message is not None:
                return tr(f"Column '{col}': ", f"列“{col}”：") + message
        return None
    return compare
