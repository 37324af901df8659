"""Input checks shared by every crmlab model: one place, one wording.

Each check fails early with a :class:`CrmlabInputError` that says which argument was
wrong, what was found, and how to fix it, in words a student understands. Models call
these helpers instead of writing their own checks.
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab.errors import CrmlabInputError  # defined apart so light entry points need not import pandas
from crmlab.i18n import tr


def _preview(values: Iterable[Any], limit: int = 5) -> str:
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (", …" if len(values) > limit else "")


def require_frame(df: Any, name: str, columns: Sequence[str] = ()) -> pd.DataFrame:
    """Check that ``df`` is a non-empty DataFrame holding ``columns``; return it unchanged."""
    if not isinstance(df, pd.DataFrame):
        raise CrmlabInputError(tr(
            f"{name} must be a pandas DataFrame, got {type(df).__name__}. "
            f"Load the table first, e.g. {name} = pd.read_csv(...).",
            f"{name} 必须是 pandas DataFrame，实际是 {type(df).__name__}。请先读入表格，例如 {name} = pd.read_csv(...)。",
        ))
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise CrmlabInputError(tr(
            f"{name} has no column {_preview(missing)}. Its columns are: {_preview(df.columns, 20)}. "
            "Pass the name of the column that holds this information.",
            f"{name} 缺少列 {_preview(missing)}。现有的列：{_preview(df.columns, 20)}。请传入包含该信息的列名。",
        ))
    if len(df) == 0:
        raise CrmlabInputError(tr(
            f"{name} is empty (0 rows): there is nothing to compute. Check the filter that produced it.",
            f"{name} 是空表（0 行），无法计算。请检查生成它的筛选条件。",
        ))
    return df


def require_series(values: Any, name: str) -> pd.Series:
    """Turn a Series, list or array into a non-empty Series; reject tables and scalars."""
    if isinstance(values, pd.DataFrame):
        raise CrmlabInputError(tr(
            f"{name} must be one column (a Series), got a DataFrame with columns {_preview(values.columns)}. "
            f"Select one column, e.g. df['revenue'].",
            f"{name} 必须是一列（Series），实际是含有列 {_preview(values.columns)} 的 DataFrame。请选出一列，例如 df['revenue']。",
        ))
    if isinstance(values, (str, bytes)) or np.isscalar(values):
        raise CrmlabInputError(tr(
            f"{name} must be a column of values (a Series or list), got a single {type(values).__name__}.",
            f"{name} 必须是一列数值（Series 或列表），实际是单个 {type(values).__name__}。",
        ))
    series = values if isinstance(values, pd.Series) else pd.Series(values, name=name)
    if len(series) == 0:
        raise CrmlabInputError(tr(
            f"{name} is empty: there is nothing to compute.",
            f"{name} 为空，无法计算。",
        ))
    return series


def require_numeric(
    values: pd.Series,
    name: str,
    *,
    allow_nan: bool = False,
    allow_negative: bool = True,
    allow_zero: bool = True,
    integer: bool = False,
) -> pd.Series:
    """Check that a Series holds numbers (no NaN, no negatives, … as asked); return it as float or int."""
    series = require_series(values, name)
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        converted = pd.to_numeric(series, errors="coerce")
        bad = series[converted.isna() & series.notna()]
        if len(bad) or pd.api.types.is_bool_dtype(series):
            raise CrmlabInputError(tr(
                f"{name} must hold numbers; found non-numeric values {_preview(bad.head().tolist())} "
                f"(e.g. at index {_preview(bad.index[:3])}). Convert them with pd.to_numeric or drop them.",
                f"{name} 必须是数值；发现非数值 {_preview(bad.head().tolist())}（例如索引 {_preview(bad.index[:3])}）。"
                "请用 pd.to_numeric 转换或删除这些值。",
            ))
        series = converted
    if not allow_nan and series.isna().any():
        where = series.index[series.isna()]
        raise CrmlabInputError(tr(
            f"{name} has {len(where)} missing value(s) (NaN), e.g. at index {_preview(where[:3])}. "
            "Fill them (fillna) or drop those rows (dropna) first; the model will not guess them.",
            f"{name} 有 {len(where)} 个缺失值（NaN），例如索引 {_preview(where[:3])}。请先填补（fillna）或删除（dropna），模型不会替你猜测。",
        ))
    finite = series.dropna()
    if np.isinf(finite.to_numpy(dtype=float)).any():
        where = finite.index[np.isinf(finite.to_numpy(dtype=float))]
        raise CrmlabInputError(tr(
            f"{name} has infinite values at index {_preview(where[:3])}; check for a division by zero.",
            f"{name} 在索引 {_preview(where[:3])} 处有无穷大值，请检查是否除以了零。",
        ))
    if not allow_negative and (finite < 0).any():
        where = finite.index[finite < 0]
        raise CrmlabInputError(tr(
            f"{name} has {len(where)} negative value(s), e.g. {_preview(finite[where[:3]].tolist())} "
            f"at index {_preview(where[:3])}. Amounts and counts cannot be negative: remove refunds or "
            "data-entry errors first.",
            f"{name} 有 {len(where)} 个负值，例如索引 {_preview(where[:3])} 处的 {_preview(finite[where[:3]].tolist())}。"
            "金额和次数不能为负，请先剔除退款或录入错误。",
        ))
    if not allow_zero and (finite == 0).any():
        where = finite.index[finite == 0]
        raise CrmlabInputError(tr(
            f"{name} must be greater than 0; found 0 at index {_preview(where[:3])}.",
            f"{name} 必须大于 0；在索引 {_preview(where[:3])} 处发现 0。",
        ))
    if integer and (finite != np.floor(finite)).any():
        where = finite.index[finite != np.floor(finite)]
        raise CrmlabInputError(tr(
            f"{name} must hold whole numbers (counts); found {_preview(finite[where[:3]].tolist())} "
            f"at index {_preview(where[:3])}.",
            f"{name} 必须是整数（计数）；在索引 {_preview(where[:3])} 处发现 {_preview(finite[where[:3]].tolist())}。",
        ))
    return series


def require_dates(values: pd.Series, name: str, *, not_after: Any = None) -> pd.Series:
    """Parse a Series as dates; reject unparseable or missing dates and dates after ``not_after``."""
    series = require_series(values, name)
    try:
        parsed = pd.to_datetime(series)
    except (ValueError, TypeError) as exc:
        raise CrmlabInputError(tr(
            f"{name} must hold dates (e.g. '2024-03-31'); could not read them: {exc}",
            f"{name} 必须是日期（例如 '2024-03-31'），无法解析：{exc}",
        )) from None
    if parsed.isna().any():
        where = parsed.index[parsed.isna()]
        raise CrmlabInputError(tr(
            f"{name} has {len(where)} missing date(s), e.g. at index {_preview(where[:3])}. Drop those rows first.",
            f"{name} 有 {len(where)} 个缺失日期，例如索引 {_preview(where[:3])}。请先删除这些行。",
        ))
    if not_after is not None:
        limit = pd.Timestamp(not_after)
        late = parsed > limit
        if late.any():
            where = parsed.index[late]
            raise CrmlabInputError(tr(
                f"{name} has {int(late.sum())} date(s) after the analysis date {limit.date()}, e.g. "
                f"{parsed[where[0]].date()} at index {where[0]!r}. Choose a later analysis date or drop "
                "the later rows.",
                f"{name} 有 {int(late.sum())} 个日期晚于分析日期 {limit.date()}，例如索引 {where[0]!r} 处的 "
                f"{parsed[where[0]].date()}。请选择更晚的分析日期，或删除这些行。",
            ))
    return parsed


def require_choice(value: Any, name: str, allowed: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        raise CrmlabInputError(tr(
            f"{name} must be one of {_preview(allowed, 20)}; got {value!r}.",
            f"{name} 必须是 {_preview(allowed, 20)} 之一；实际是 {value!r}。",
        ))
    return value


def require_labels(values: pd.Series, name: str, allowed: Iterable[Any]) -> pd.Series:
    """Check that every value of a Series is one of ``allowed``; name the unknown labels."""
    series = require_series(values, name)
    allowed = list(allowed)
    unknown = pd.unique(series[~series.isin(allowed)])
    if len(unknown):
        raise CrmlabInputError(tr(
            f"{name} has unknown label(s) {_preview(unknown)}; allowed are {_preview(allowed, 20)}.",
            f"{name} 含有未知标签 {_preview(unknown)}；允许的取值为 {_preview(allowed, 20)}。",
        ))
    return series


def require_int(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Check that ``value`` is a whole number within [minimum, maximum]; return it as int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise CrmlabInputError(tr(
            f"{name} must be a whole number, got {value!r} ({type(value).__name__}).",
            f"{name} 必须是整数，实际是 {value!r}（{type(value).__name__}）。",
        ))
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = f"[{minimum if minimum is not None else '-∞'}, {maximum if maximum is not None else '∞'}]"
        raise CrmlabInputError(tr(
            f"{name} must be in {bounds}, got {value}.",
            f"{name} 必须在 {bounds} 范围内，实际是 {value}。",
        ))
    return value


def require_fraction(value: Any, name: str, *, open_low: bool = False, open_high: bool = False) -> float:
    """Check that ``value`` is a number in [0, 1] (ends excluded when asked); return it as float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise CrmlabInputError(tr(
            f"{name} must be a number between 0 and 1, got {value!r}.",
            f"{name} 必须是 0 到 1 之间的数，实际是 {value!r}。",
        ))
    low_bad = value <= 0 if open_low else value < 0
    high_bad = value >= 1 if open_high else value > 1
    if low_bad or high_bad:
        bounds = ("(" if open_low else "[") + "0, 1" + (")" if open_high else "]")
        raise CrmlabInputError(tr(
            f"{name} must be in {bounds}, got {value}. Write percentages as fractions: 80 % is 0.8.",
            f"{name} 必须在 {bounds} 范围内，实际是 {value}。百分比请写成小数：80% 写作 0.8。",
        ))
    return float(value)
