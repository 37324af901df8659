"""Data-quality reports for customer records (客户数据质量): completeness, validity, uniqueness.

The three dimensions are the car dealer's clean-up criteria (seeds/003): completeness (完整性:
required fields filled), correctness/validity (正确性: values that can be real), uniqueness
(唯一性: one record per person). Each report is a share in [0, 1] so the clean-up can be
measured before and after (:func:`before_after`).

References
----------
Wang, R. Y. & Strong, D. M. (1996). Beyond accuracy: what data quality means to data consumers.
Journal of Management Information Systems 12(4), 5–33.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.quality.rules import _check_rules, normalise_phone, validity_rules
from crmlab.validation import CrmlabInputError, require_frame


def _blank(series: pd.Series) -> pd.Series:
    """Missing, or text that is empty after stripping spaces."""
    if pd.api.types.is_string_dtype(series) or series.dtype == object:
        return series.isna() | series.astype("str").str.strip().eq("")
    return series.isna()


def _required_list(df: pd.DataFrame, required: Sequence[str], name: str = "required") -> list[str]:
    if isinstance(required, str) or not isinstance(required, Sequence) or not len(required):
        raise CrmlabInputError(tr(
            f"{name} must be a non-empty list of column names, e.g. ['name', 'phone'], got {required!r}.",
            f"{name} 必须是非空的列名列表，例如 ['name', 'phone']，实际是 {required!r}。",
        ))
    require_frame(df, "df", list(required))
    return list(required)


def completeness(df: pd.DataFrame, required: Sequence[str]) -> pd.DataFrame:
    """Completeness of required fields (完整性): the share of records in which each is filled.

    Parameters
    ----------
    df : customer records.
    required : the columns that must be filled (必填字段); blank text counts as missing.

    Returns
    -------
    DataFrame indexed by column: ``filled``, ``missing``, ``completeness`` = filled / records.
    """
    required = _required_list(df, required)
    missing = pd.Series({c: int(_blank(df[c]).sum()) for c in required}, dtype="int64")
    out = pd.DataFrame({"filled": len(df) - missing, "missing": missing})
    out["completeness"] = out["filled"] / len(df)
    out.index.name = "column"
    return out


def complete_records(df: pd.DataFrame, required: Sequence[str]) -> pd.Series:
    """True for each record whose required fields are all filled, indexed like ``df``."""
    required = _required_list(df, required)
    blank = np.column_stack([_blank(df[c]).to_numpy(dtype=bool) for c in required])
    return pd.Series(~blank.any(axis=1), index=df.index, name="complete")


def validity(df: pd.DataFrame, rules: pd.DataFrame | None = None, locale: str = "zh_CN") -> pd.DataFrame:
    """Check each record against the validity rules (正确性); one column per rule, indexed like ``df``.

    Parameters
    ----------
    df : customer records.
    rules : a rules table (see :func:`crmlab.quality.validity_rules`); default: the locale's rules for
        the columns ``df`` has.
    locale : how phones are normalised before the format rule ("zh_CN" or "en_US").

    Returns
    -------
    DataFrame of nullable booleans: True valid, False invalid, <NA> where the value is missing
    (missing values are completeness's concern, not validity's).
    """
    require_frame(df, "df")
    if rules is None:
        rules = validity_rules(locale)
        rules = rules[rules["column"].isin(df.columns)]
    else:
        rules = _check_rules(rules)
        require_frame(df, "df", list(rules["column"].unique()))
    out = {}
    for rule in rules.itertuples(index=False):
        values = df[rule.column]
        present = ~_blank(values)
        if rule.check == "pattern":
            text = normalise_phone(values, locale) if rule.column == "phone" else values.astype("str").str.strip()
            ok = text.str.fullmatch(rule.value, flags=re.ASCII).fillna(False).astype(bool)
        elif rule.check == "not_placeholder":
            lowered = values.astype("str").str.strip().str.lower()
            if rule.column == "phone":
                lowered = normalise_phone(values, locale)
            ok = ~lowered.isin([str(v).lower() for v in rule.value])
        else:
            low, high = rule.value
            dates = pd.to_datetime(values, errors="coerce")
            high = pd.Timestamp.now() if high is None else pd.Timestamp(high)
            ok = dates.notna() & (dates >= pd.Timestamp(low)) & (dates <= high)
        out[rule.rule] = pd.Series(ok.to_numpy(dtype=bool), index=df.index, dtype="boolean").where(present)
    return pd.DataFrame(out, index=df.index)


def validity_report(df: pd.DataFrame, rules: pd.DataFrame | None = None, locale: str = "zh_CN") -> pd.DataFrame:
    """Per rule: values checked, invalid, and ``validity`` = valid / checked (missing values not counted)."""
    flags = validity(df, rules, locale)
    checked = flags.notna().sum()
    invalid = (flags == False).sum()  # noqa: E712 - nullable booleans: NA must not count as invalid
    out = pd.DataFrame({"checked": checked, "invalid": invalid})
    out["validity"] = (1 - out["invalid"] / out["checked"].where(out["checked"] > 0)).astype(float)
    out.index.name = "rule"
    return out


def uniqueness(df: pd.DataFrame, key: Sequence[str] | None = None, clusters: pd.Series | None = None) -> pd.Series:
    """Uniqueness (唯一性): distinct people / records.

    Parameters
    ----------
    df : customer records.
    key : columns that identify a person exactly (text compared after trimming and lower-casing);
        give either ``key`` or ``clusters``.
    clusters : a person label per record, indexed like ``df`` (e.g. from
        :func:`crmlab.quality.duplicate_clusters`, or the ground truth's ``person_id``).

    Returns
    -------
    Series: records, distinct, duplicates (= records − distinct), uniqueness = distinct / records.
    """
    require_frame(df, "df")
    if (key is None) == (clusters is None):
        raise CrmlabInputError(tr(
            "uniqueness needs exactly one of key (columns that identify a person) or clusters (a label per record).",
            "uniqueness 需要且只需要 key（识别同一客户的列）或 clusters（每条记录的客户标签）之一。",
        ))
    if clusters is not None:
        if not isinstance(clusters, pd.Series) or not clusters.index.equals(df.index):
            raise CrmlabInputError(tr(
                "clusters must be a Series indexed like df (one label per record).",
                "clusters 必须是与 df 索引一致的 Series（每条记录一个标签）。",
            ))
        distinct = int(clusters.nunique(dropna=False))
    else:
        key = _required_list(df, key, "key")
        normalised = pd.DataFrame({c: df[c].astype("str").str.strip().str.lower() for c in key})
        distinct = int(len(normalised.drop_duplicates()))
    records = len(df)
    return pd.Series({"records": records, "distinct": distinct, "duplicates": records - distinct,
                      "uniqueness": distinct / records}, dtype=float, name="uniqueness")


def quality_summary(df: pd.DataFrame, required: Sequence[str], *, key: Sequence[str] | None = None,
                    clusters: pd.Series | None = None, rules: pd.DataFrame | None = None,
                    locale: str = "zh_CN") -> pd.Series:
    """The three dimensions in one Series: completeness, validity, uniqueness (shares of records).

    completeness = records with every required field filled / records;
    validity = records with no rule failing / records;
    uniqueness = distinct people / records (from ``key`` or ``clusters``, see :func:`uniqueness`).
    """
    complete = complete_records(df, required)
    flags = validity(df, rules, locale)
    failing = (flags == False).any(axis=1)  # noqa: E712
    unique = uniqueness(df, key=key, clusters=clusters)
    return pd.Series({"records": float(len(df)), "completeness": float(complete.mean()),
                      "validity": float(1 - failing.mean()), "uniqueness": unique["uniqueness"]},
                     name="quality")


def before_after(before: pd.DataFrame, after: pd.DataFrame, required: Sequence[str], *,
                 key: Sequence[str] | None = None, clusters_before: pd.Series | None = None,
                 clusters_after: pd.Series | None = None, rules: pd.DataFrame | None = None,
                 locale: str = "zh_CN") -> pd.DataFrame:
    """Quality before and after a clean-up (清理前后对比): one row per dimension, the change beside it."""
    b = quality_summary(before, required, key=key, clusters=clusters_before, rules=rules, locale=locale)
    a = quality_summary(after, required, key=key, clusters=clusters_after, rules=rules, locale=locale)
    out = pd.DataFrame({"before": b, "after": a})
    out["change"] = out["after"] - out["before"]
    out.index.name = "measure"
    return out
