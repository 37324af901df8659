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


_YYYYMMDD_FIX = 'pd.to_datetime(df["date"].astype(str), format="%Y%m%d")'


def _labels_of(index: pd.Index, mask: Any, limit: int = 3) -> str:
    """The first few row labels where ``mask`` holds, for a message (labels, never positions)."""
    return _preview(index[np.asarray(mask, dtype=bool)][:limit], limit)


def _numbers_as_dates(series: pd.Series, name: str) -> CrmlabInputError:
    sample = series.dropna()
    example = sample.iloc[0] if len(sample) else None
    example = example.item() if hasattr(example, "item") else example
    looks_like_yyyymmdd = len(sample) and bool(((sample >= 1_000_01_01) & (sample <= 2_999_12_31)).all())
    if looks_like_yyyymmdd:
        return CrmlabInputError(tr(
            f"{name} holds numbers such as {example!r}, not dates: read_csv took the dates for integers, and "
            f"pandas would read {example!r} as nanoseconds after 1970-01-01. Convert the column first: "
            f"{_YYYYMMDD_FIX}",
            f"{name} 是数字（例如 {example!r}）而不是日期：read_csv 把日期读成了整数，pandas 会把 {example!r} "
            f"当作 1970-01-01 之后的纳秒数。请先转换该列：{_YYYYMMDD_FIX}",
        ))
    return CrmlabInputError(tr(
        f"{name} holds numbers such as {example!r}, not dates. Give dates such as '2024-03-31' or convert the "
        f"column with pd.to_datetime(..., format=...) naming its layout, e.g. {_YYYYMMDD_FIX}.",
        f"{name} 是数字（例如 {example!r}）而不是日期。请给出 '2024-03-31' 这样的日期，或用 pd.to_datetime(..., "
        f"format=...) 写明其格式进行转换，例如 {_YYYYMMDD_FIX}。",
    ))


def _parse_dates(series: pd.Series, name: str) -> pd.Series:
    """Datetimes stay as they are; ISO 8601 text is parsed; numbers and other text layouts are refused."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        # One time zone for the whole column: keep each moment's local wall-clock time (the calendar day
        # the customer saw), as a naive timestamp.
        return series.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(series):
        return series
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        raise _numbers_as_dates(series, name)
    known = series.dropna()
    kind = pd.api.types.infer_dtype(known, skipna=True) if len(known) else "empty"
    if kind in ("integer", "floating", "mixed-integer-float", "decimal"):
        raise _numbers_as_dates(pd.to_numeric(known), name)
    try:
        parsed = pd.to_datetime(series, format="ISO8601")
    except (ValueError, TypeError, OverflowError) as exc:
        text = known.astype("str")
        bad = ~text.str.match(r"^\s*\d{4}-\d{1,2}-\d{1,2}([ T].*)?$")
        example = known[bad.to_numpy()] if bad.any() else known
        if "tz" in str(exc).lower() or "time zone" in str(exc).lower() or "offset" in str(exc).lower():
            raise CrmlabInputError(tr(
                f"{name} mixes time zones (e.g. {example.iloc[0]!r} at row {example.index[0]!r}). Put them on one "
                "clock first, e.g. pd.to_datetime(df['date'], utc=True).dt.tz_convert('Asia/Shanghai').",
                f"{name} 混用了多个时区（例如第 {example.index[0]!r} 行的 {example.iloc[0]!r}）。请先统一时区，例如 "
                "pd.to_datetime(df['date'], utc=True).dt.tz_convert('Asia/Shanghai')。",
            )) from None
        raise CrmlabInputError(tr(
            f"{name} must hold dates written year first, e.g. '2024-03-31'; could not read {example.iloc[0]!r} at "
            f"row {example.index[0]!r}. A date such as '01/02/2024' is ambiguous (1 February or January 2?): "
            "convert the column yourself naming its layout, e.g. pd.to_datetime(df['date'], format='%d/%m/%Y'), "
            f"or for 19970101-style text {_YYYYMMDD_FIX}.",
            f"{name} 必须是年份在前的日期，例如 '2024-03-31'；无法读取第 {example.index[0]!r} 行的 {example.iloc[0]!r}。"
            "'01/02/2024' 这样的日期有歧义（2 月 1 日还是 1 月 2 日？）：请写明格式自行转换，例如 "
            f"pd.to_datetime(df['date'], format='%d/%m/%Y')；19970101 这类文本请用 {_YYYYMMDD_FIX}。",
        )) from None
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    return parsed


def require_dates(values: pd.Series, name: str, *, not_after: Any = None, allow_missing: bool = False) -> pd.Series:
    """Parse a column of dates; refuse numbers, non-ISO text, missing dates and dates after ``not_after``.

    Accepted: datetime columns, ``datetime.date``/``Timestamp`` objects and ISO 8601 text
    ('2024-03-31', '2024-03-31 09:30'). Integers such as 19970101 (what ``read_csv`` makes of
    such a date column) are refused with the conversion to use, as is text in another layout
    ('01/02/2024' is ambiguous). A time-zone-aware column keeps its local wall-clock time and
    drops the zone; a column mixing zones is refused. Errors name the row labels.
    """
    series = require_series(values, name)
    parsed = _parse_dates(series, name)
    if not allow_missing and parsed.isna().any():
        where = parsed.isna()
        raise CrmlabInputError(tr(
            f"{name} has {int(where.sum())} missing date(s), e.g. at row(s) {_labels_of(parsed.index, where)}. "
            "Drop those rows first.",
            f"{name} 有 {int(where.sum())} 个缺失日期，例如第 {_labels_of(parsed.index, where)} 行。请先删除这些行。",
        ))
    if not_after is not None:
        limit = require_date(not_after, "the analysis date")
        late = parsed > limit
        if late.any():
            where = parsed.index[late.to_numpy()]
            raise CrmlabInputError(tr(
                f"{name} has {int(late.sum())} date(s) after the analysis date {limit.date()}, e.g. "
                f"{parsed[where[0]].date()} at row {where[0]!r}. Choose a later analysis date or drop "
                "the later rows.",
                f"{name} 有 {int(late.sum())} 个日期晚于分析日期 {limit.date()}，例如第 {where[0]!r} 行的 "
                f"{parsed[where[0]].date()}。请选择更晚的分析日期，或删除这些行。",
            ))
    return parsed


def require_date(value: Any, name: str) -> pd.Timestamp:
    """Read one date argument (``at``, ``calibration_end`` …): a datetime or ISO text such as '2024-03-31'.

    Integers such as 19970101 and text in other layouts are refused with the fix; a time zone is
    dropped keeping the local wall-clock time.
    """
    if isinstance(value, (pd.Series, pd.DataFrame, list, tuple, np.ndarray)) or value is None:
        raise CrmlabInputError(tr(
            f"{name} must be one date such as '2024-03-31', got {type(value).__name__} {_preview([value], 1)}.",
            f"{name} 必须是一个日期，例如 '2024-03-31'，实际是 {type(value).__name__} {_preview([value], 1)}。",
        ))
    if isinstance(value, (bool, np.bool_, numbers.Number)):
        example = value
        if isinstance(value, numbers.Integral) and 1_000_01_01 <= int(value) <= 2_999_12_31:
            fix = f'pd.to_datetime("{int(value)}", format="%Y%m%d")'
        else:
            fix = "'2024-03-31'"
        raise CrmlabInputError(tr(
            f"{name} must be a date, got the number {example!r}. Write it as a date, e.g. {fix}.",
            f"{name} 必须是日期，实际是数字 {example!r}。请写成日期，例如 {fix}。",
        ))
    try:
        if isinstance(value, str):
            stamp = pd.to_datetime(pd.Series([value.strip()]), format="ISO8601").iloc[0]
        else:
            stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise CrmlabInputError(tr(
            f"{name} must be a date written year first, e.g. '2024-03-31'; could not read {value!r}.",
            f"{name} 必须是年份在前的日期，例如 '2024-03-31'；无法读取 {value!r}。",
        ))
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def require_ids(values: Any, name: str) -> pd.Series:
    """Check a column of IDs: none missing, one type for the whole column (all numbers or all text).

    A column mixing 1001 and '1001' would count one customer as two; it is refused with the fix.
    """
    series = require_series(values, name)
    missing = series.isna()
    if missing.any():
        raise CrmlabInputError(tr(
            f"{name} has {int(missing.sum())} missing customer ids, e.g. at row(s) {_labels_of(series.index, missing)}. "
            "Drop those rows first: every row must belong to someone.",
            f"{name} 有 {int(missing.sum())} 个缺失编号，例如第 {_labels_of(series.index, missing)} 行。"
            "请先删除这些行：每一行都必须属于某个客户。",
        ))
    if series.dtype == object:
        kind = pd.api.types.infer_dtype(series, skipna=True)
        if kind.startswith("mixed"):
            is_text = series.map(lambda v: isinstance(v, str)).to_numpy()  # runs only on a column already wrong
            texts, others = series[is_text], series[~is_text]
            example = _preview([others.iloc[0], texts.iloc[0]] if len(texts) and len(others) else series.head(2))
            raise CrmlabInputError(tr(
                f"{name} mixes numbers and text (e.g. {example}), so one customer could count as two. "
                f"Give the column one type, e.g. df[...] = df[...].astype(str).",
                f"{name} 混合了数字和文本（例如 {example}），同一位客户可能被算成两位。请统一该列的类型，"
                "例如 df[...] = df[...].astype(str)。",
            ))
    return series


_TRUE = {"true", "t", "yes", "y", "1", "1.0", "是", "对", "真"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", "否", "不是", "假"}


def require_bool(values: Any, name: str, *, allow_missing: bool = False) -> pd.Series:
    """Read a yes/no column as booleans: bool, 0/1, or text true/false, yes/no, 是/否 (any case).

    Anything else (2, 'maybe', 'resell') is refused naming the rows. With ``allow_missing`` a
    blank stays missing (a nullable ``boolean`` column); otherwise it is refused.
    """
    series = require_series(values, name)
    if pd.api.types.is_bool_dtype(series) and not series.isna().any():
        return series.astype(bool)
    known = series.notna()
    out = pd.Series(pd.NA, index=series.index, dtype="boolean")
    if pd.api.types.is_bool_dtype(series):
        out[known] = series[known].astype(bool)
        bad = pd.Series(False, index=series.index)
    else:
        text = series[known].astype("str").str.strip().str.lower()
        is_true, is_false = text.isin(_TRUE), text.isin(_FALSE)
        out[known] = is_true
        bad = pd.Series(False, index=series.index)
        bad[known] = ~(is_true | is_false)
    if bad.any():
        examples = pd.unique(series[bad.to_numpy()])[:3].tolist()
        raise CrmlabInputError(tr(
            f"{name} must be yes/no: True/False, 1/0 or the words true/false, yes/no, 是/否; found "
            f"{_preview(examples)} at row(s) {_labels_of(series.index, bad)}.",
            f"{name} 必须是“是/否”：True/False、1/0，或文字 true/false、yes/no、是/否；在第 "
            f"{_labels_of(series.index, bad)} 行发现 {_preview(examples)}。",
        ))
    if not allow_missing:
        if (~known).any():
            raise CrmlabInputError(tr(
                f"{name} is blank at row(s) {_labels_of(series.index, ~known)}; fill in yes or no.",
                f"{name} 在第 {_labels_of(series.index, ~known)} 行为空；请填写是或否。",
            ))
        return out.astype(bool)
    return out


def require_flag(value: Any, name: str) -> bool:
    """One yes/no argument: a bool, 0/1, or the words true/false, yes/no, 是/否."""
    if isinstance(value, (pd.Series, pd.DataFrame, list, tuple, np.ndarray, dict)) or value is None:
        raise CrmlabInputError(tr(
            f"{name} must be True or False, got {value!r}.",
            f"{name} 必须是 True 或 False，实际是 {value!r}。",
        ))
    return bool(require_bool(pd.Series([value]), name).iloc[0])


def _case_and_language_hint(unknown: Sequence[Any], allowed: Sequence[Any]) -> tuple[str, str]:
    """Say when an unknown label is an allowed one in another case, or is written in Chinese."""
    lowered = {str(a).strip().lower(): a for a in allowed}
    en, zh = [], []
    for value in unknown:
        text = str(value)
        match = lowered.get(text.strip().lower())
        if match is not None:
            en.append(f"labels are case-sensitive: write {match!r}, not {value!r}")
            zh.append(f"标签区分大小写：请写 {match!r}，而不是 {value!r}")
        elif any("\u4e00" <= ch <= "\u9fff" for ch in text) and not any(
                any("\u4e00" <= ch <= "\u9fff" for ch in str(a)) for a in allowed):
            en.append(f"{value!r} is Chinese; the labels are the English codes listed")
            zh.append(f"{value!r} 是中文；请使用上面列出的英文代码")
    return ("; ".join(en[:3]) + ". ") if en else "", ("；".join(zh[:3]) + "。") if zh else ""


def require_choice(value: Any, name: str, allowed: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``allowed``; say so when only the case or the language differs."""
    allowed = list(allowed)
    try:
        ok = value in allowed
    except (TypeError, ValueError):  # an unhashable or array value compared against the choices
        ok = False
    if not ok or (isinstance(value, bool) and not any(isinstance(a, bool) for a in allowed)):
        hint_en, hint_zh = _case_and_language_hint([value], allowed)
        raise CrmlabInputError(tr(
            f"{name} must be one of {_preview(allowed, 20)}; got {value!r}. {hint_en}".rstrip(),
            f"{name} 必须是 {_preview(allowed, 20)} 之一；实际是 {value!r}。{hint_zh}",
        ))
    return value


def require_labels(values: pd.Series, name: str, allowed: Iterable[Any]) -> pd.Series:
    """Check that every value of a Series is one of ``allowed``; name the unknown labels and their rows."""
    series = require_series(values, name)
    allowed = list(allowed)
    outside = ~series.isin(allowed)
    unknown = pd.unique(series[outside.to_numpy()])
    if len(unknown):
        hint_en, hint_zh = _case_and_language_hint(list(unknown[:3]), allowed)
        raise CrmlabInputError(tr(
            f"{name} has unknown label(s) {_preview(unknown)} at row(s) {_labels_of(series.index, outside)}; "
            f"allowed are {_preview(allowed, 20)}. {hint_en}".rstrip(),
            f"{name} 在第 {_labels_of(series.index, outside)} 行含有未知标签 {_preview(unknown)}；"
            f"允许的取值为 {_preview(allowed, 20)}。{hint_zh}",
        ))
    return series


def require_labelled_alike(named: dict[str, Any]) -> None:
    """Refuse pairing a Series indexed by customer with a plain list (which has no customers)."""
    labelled = [k for k, v in named.items() if isinstance(v, pd.Series) and not (
        isinstance(v.index, pd.RangeIndex) and v.index.equals(pd.RangeIndex(len(v))))]
    plain = [k for k, v in named.items() if isinstance(v, (list, tuple, np.ndarray))]
    if labelled and plain:
        raise CrmlabInputError(tr(
            f"{labelled[0]} is a Series indexed by customer but {plain[0]} is a plain list: they cannot be paired by "
            f"customer. Pass {plain[0]} as a Series on the same customer index.",
            f"{labelled[0]} 是按客户索引的 Series，而 {plain[0]} 是普通列表，无法按客户配对。"
            f"请把 {plain[0]} 也传成同一客户索引的 Series。",
        ))


def require_label_in_data(value: Any, name: str, present: Iterable[Any]) -> Any:
    """A label argument naming a value of the data (``complaint="complaint"``): refused when the data hold it
    only in another case or language (``"Complaint"``), which would silently match nothing."""
    present = [p for p in pd.unique(pd.Series(list(present), dtype=object).dropna())]
    if value in present:
        return value
    hint_en, hint_zh = _case_and_language_hint([value], present)
    if hint_en or not isinstance(value, str):
        raise CrmlabInputError(tr(
            f"{name}={value!r} matches nothing in the data; its values are {_preview(present, 12)}. {hint_en}".rstrip(),
            f"{name}={value!r} 在数据中没有匹配项；数据中的取值为 {_preview(present, 12)}。{hint_zh}",
        ))
    return value


def align_pair(left: Any, right: Any, names: tuple[str, str]) -> tuple[pd.Series, pd.Series]:
    """Pair two per-customer columns by customer (their index labels), never by position.

    Two Series must hold the same customers (order may differ: ``right`` is put in ``left``'s
    order); a Series paired with a plain list is refused, since the list has no customers.
    Two plain lists are paired by position and must have the same length.
    """
    a_name, b_name = names
    a_series, b_series = isinstance(left, pd.Series), isinstance(right, pd.Series)
    require_labelled_alike({a_name: left, b_name: right})
    a, b = require_series(left, a_name), require_series(right, b_name)
    if len(a) != len(b) and not (a_series and b_series):
        raise CrmlabInputError(tr(
            f"{a_name} and {b_name} must have the same length; got {len(a)} and {len(b)}.",
            f"{a_name} 和 {b_name} 的长度必须相同；实际为 {len(a)} 和 {len(b)}。",
        ))
    if a_series and b_series:
        if not a.index.is_unique or not b.index.is_unique:
            which = a_name if not a.index.is_unique else b_name
            raise CrmlabInputError(tr(
                f"{which} has a customer more than once in its index; pass one value per customer.",
                f"{which} 的索引中有重复的客户；请每位客户只给一个值。",
            ))
        if not a.index.equals(b.index):
            only_a, only_b = a.index.difference(b.index), b.index.difference(a.index)
            if len(only_a) or len(only_b):
                raise CrmlabInputError(tr(
                    f"{a_name} and {b_name} must hold the same customers; only in {a_name}: {_preview(only_a)}; "
                    f"only in {b_name}: {_preview(only_b)}. Align them first, e.g. {b_name}.reindex({a_name}.index).",
                    f"{a_name} 和 {b_name} 必须包含相同的客户；仅在 {a_name} 中：{_preview(only_a)}；仅在 {b_name} 中："
                    f"{_preview(only_b)}。请先对齐，例如 {b_name}.reindex({a_name}.index)。",
                ))
            b = b.reindex(a.index)
    else:
        b = pd.Series(b.to_numpy(), index=a.index, name=b.name)
    return a, b


def phone_text(values: Any, name: str) -> pd.Series:
    """Phone numbers as text: a column ``read_csv`` turned into floats (13912345678.0, one blank is enough)
    becomes '13912345678' again; blanks stay missing."""
    series = require_series(values, name)
    if pd.api.types.is_float_dtype(series) or pd.api.types.is_integer_dtype(series):
        known = series.dropna()
        fractional = known != np.floor(known)
        if fractional.any():
            raise CrmlabInputError(tr(
                f"{name} holds numbers with decimals (e.g. {known[fractional].iloc[0]!r} at row "
                f"{known.index[fractional.to_numpy()][0]!r}), which are not phone numbers. Read the column as text: "
                "pd.read_csv(..., dtype={'phone': str}).",
                f"{name} 含有带小数的数字（例如第 {known.index[fractional.to_numpy()][0]!r} 行的 "
                f"{known[fractional].iloc[0]!r}），不是电话号码。请按文本读入该列：pd.read_csv(..., dtype={{'phone': str}})。",
            ))
        out = pd.Series(pd.NA, index=series.index, dtype="object")
        out[known.index] = known.astype("int64").astype("str").to_numpy()
        return out.rename(series.name)
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) != "string":
        # Only a column mixing text and floats gets here (rare); an all-text column returns at once.
        is_float = series.map(lambda v: isinstance(v, float) and v == v and float(v).is_integer())
        if is_float.any():
            series = series.copy()
            series[is_float] = series[is_float].astype("int64").astype("str")
    return series


def require_number(value: Any, name: str, *, minimum: float | None = None, maximum: float | None = None,
                   low_open: bool = False, high_open: bool = False, hint: str = "", hint_zh: str = "") -> float:
    """Check one finite real number within [minimum, maximum] (ends excluded when ``*_open``); return it as float.

    This is the one scalar range check: "> 0" is ``minimum=0, low_open=True``.
    """
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and bool(np.isfinite(value))
    if ok and minimum is not None:
        ok = value > minimum if low_open else value >= minimum
    if ok and maximum is not None:
        ok = value < maximum if high_open else value <= maximum
    if not ok:
        parts = []
        if minimum is not None:
            parts.append(f"{'>' if low_open else '>='} {minimum:g}")
        if maximum is not None:
            parts.append(f"{'<' if high_open else '<='} {maximum:g}")
        bound = (" " + " and ".join(parts)) if parts else ""
        bound_zh = (" " + " 且 ".join(parts)) if parts else ""
        raise CrmlabInputError(tr(
            f"{name} must be a finite number{bound}, got {value!r}. {hint}".rstrip(),
            f"{name} 必须是{bound_zh} 的有限数，实际是 {value!r}。{hint_zh}",
        ))
    return float(value)


def require_positive(value: Any, name: str, *, allow_zero: bool = False, hint: str = "", hint_zh: str = "") -> float:
    """One number > 0 (or >= 0 with ``allow_zero``)."""
    return require_number(value, name, minimum=0, low_open=not allow_zero, hint=hint, hint_zh=hint_zh)


def percentage_hint(value: Any) -> tuple[str, str]:
    """A hint for a rate written as a percentage (10 for 10 %): 'write 0.1'."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "", ""
    if 1 < v <= 100:
        return (f"It looks like a percentage: write {v:g} % as {v / 100:g}.",
                f"这看起来是百分数：{v:g}% 请写作 {v / 100:g}。")
    return "", ""


def require_rate(value: Any, name: str, *, allow_zero: bool = True) -> float:
    """A rate per period (discount, interest): a number in [0, 1] (or (0, 1]); 10 for 10 % is refused with the fix."""
    hint_en, hint_zh = percentage_hint(value) if isinstance(value, numbers.Real) else ("", "")
    return require_number(value, name, minimum=0, low_open=not allow_zero, maximum=1,
                          hint=hint_en or "A rate is a fraction: write 10 % as 0.1.",
                          hint_zh=hint_zh or "比率请写成小数：10% 写作 0.1。")


def require_probabilities(probabilities: Any, name: str, required: Iterable[Any]) -> pd.Series:
    """A stage → probability table covering every stage in ``required``, each in [0, 1]."""
    if isinstance(probabilities, dict):
        probabilities = pd.Series(probabilities, dtype=object)
    if not isinstance(probabilities, pd.Series):
        raise CrmlabInputError(tr(
            f"{name} must be a Series or dict stage → probability, got {type(probabilities).__name__}.",
            f"{name} 必须是“阶段 → 概率”的 Series 或字典，实际是 {type(probabilities).__name__}。",
        ))
    missing = [s for s in required if s not in probabilities.index]
    if missing:
        raise CrmlabInputError(tr(
            f"{name} has no probability for stage(s) {_preview(missing, 10)}: deals in those stages would be "
            f"dropped from the forecast. Give every stage a probability (it may be 0).",
            f"{name} 缺少阶段 {_preview(missing, 10)} 的概率：这些阶段的商机会被漏掉。请为每个阶段给出概率（可以为 0）。",
        ))
    probs = require_numeric(probabilities, name, allow_negative=False).astype(float)
    over = probs > 1
    if over.any():
        raise CrmlabInputError(tr(
            f"{name} must be fractions in [0, 1]; got {probs[over].to_dict()}. If these are percentages, divide "
            "them by 100: write 75 % as 0.75.",
            f"{name} 必须是 [0, 1] 内的小数；实际有 {probs[over].to_dict()}。如果这些是百分数，请除以 100：75% 请写作 0.75。",
        ))
    return probs


class ConvergenceWarning(UserWarning):
    """A model's fit stopped before converging, or its data cannot identify the model; the reason is in the message."""


def warn_convergence(model: Any, reason_en: str, reason_zh: str) -> None:
    """Issue the one convergence warning every crmlab estimator uses."""
    import warnings
    name = type(model).__name__
    warnings.warn(tr(f"{name}: {reason_en}", f"{name}：{reason_zh}"), ConvergenceWarning, stacklevel=3)


def check_is_fitted(model: Any, attribute: str = "params_") -> Any:
    """Return ``model.<attribute>`` or explain that ``fit`` must run first (the one 'not fitted yet' check)."""
    value = getattr(model, attribute, None)
    if value is None:
        name = type(model).__name__
        raise CrmlabInputError(tr(
            f"this {name} is not fitted yet: call .fit(...) first, e.g. model = {name}(...).fit(...).",
            f"该 {name} 模型尚未拟合：请先调用 .fit(...)，例如 model = {name}(...).fit(...)。",
        ))
    return value


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
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise CrmlabInputError(tr(
            f"{name} must be a number between 0 and 1, got {value!r}.",
            f"{name} 必须是 0 到 1 之间的数，实际是 {value!r}。",
        ))
    low_bad = value <= 0 if open_low else value < 0
    high_bad = value >= 1 if open_high else value > 1
    if low_bad or high_bad:
        bounds = ("(" if open_low else "[") + "0, 1" + (")" if open_high else "]")
        hint_en, hint_zh = percentage_hint(value)
        raise CrmlabInputError(tr(
            f"{name} must be in {bounds}, got {value}. {hint_en or 'Write percentages as fractions: 80 % is 0.8.'}",
            f"{name} 必须在 {bounds} 范围内，实际是 {value}。{hint_zh or '百分比请写成小数：80% 写作 0.8。'}",
        ))
    return float(value)
