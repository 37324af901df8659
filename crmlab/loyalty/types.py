"""Loyalty types (客户忠诚的类型) and Dick & Basu's loyalty matrix, from two scores per customer.

Where each cause-based type sits on attachment (依恋) × repeat purchase (重复购买) is a data table
(``data/loyalty_types.csv``) a teacher can edit: textbooks disagree (some list seven types), and
the course places monopoly, inertia and incentive loyalty all at low attachment × high repeat.
A quadrant therefore names the types that *can* explain it, not one type.

References
----------
Dick, A. S. & Basu, K. (1994). Customer loyalty: toward an integrated conceptual framework.
Journal of the Academy of Marketing Science 22(2), 99–113.
Jones, T. O. & Sasser, W. E. (1995). Why satisfied customers defect. Harvard Business Review 73(6).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crmlab.i18n import get_language, tr
from crmlab.validation import CrmlabInputError, require_frame, require_numeric

DATA_DIR = Path(__file__).with_name("data")
LEVELS = ("low", "high")


def loyalty_type_table(path: str | Path | None = None) -> pd.DataFrame:
    """The loyalty-type table (one row per type: attachment, repeat_purchase, names, description).

    ``path`` reads a teacher's own copy instead of the shipped ``data/loyalty_types.csv``.
    """
    table = pd.read_csv(path or DATA_DIR / "loyalty_types.csv").set_index("loyalty_type")
    require_frame(table, "loyalty type table", ["attachment", "repeat_purchase", "name_en", "name_zh"])
    for col in ("attachment", "repeat_purchase"):
        bad = sorted(set(table[col]) - set(LEVELS))
        if bad:
            raise CrmlabInputError(tr(
                f"loyalty type table: column {col} must hold 'low' or 'high'; found {bad}.",
                f"忠诚类型表：{col} 列只能是 'low' 或 'high'；发现 {bad}。",
            ))
    return table


def dick_basu_table() -> pd.DataFrame:
    """Dick & Basu's 2 × 2 matrix: relative attitude × repeat patronage → true/latent/spurious/none."""
    return pd.read_csv(DATA_DIR / "dick_basu.csv")


def _levels(values: pd.Series, name: str, cut: float | None) -> tuple[pd.Series, float]:
    series = require_numeric(values, name)
    threshold = float(series.median()) if cut is None else float(cut)
    return pd.Series(np.where(series > threshold, "high", "low"), index=series.index, name=name), threshold


def loyalty_quadrant(df: pd.DataFrame, attachment_col: str, repeat_col: str,
                     attachment_cut: float | None = None, repeat_cut: float | None = None,
                     table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Place customers on attachment × repeat purchase and name the loyalty types that fit (忠诚类型定位).

    Parameters
    ----------
    df : one row per customer.
    attachment_col, repeat_col : attachment score (e.g. survey 1–7) and repeat-purchase measure.
    attachment_cut, repeat_cut : a value above the cut is "high"; default the median.
    table : a loyalty-type table (default :func:`loyalty_type_table`).

    Returns
    -------
    DataFrame indexed like ``df``: attachment_level, repeat_level, candidate_types
    (types of the table in that quadrant, joined by "/"; "none" when no type sits there).
    """
    require_frame(df, "df", [attachment_col, repeat_col])
    table = loyalty_type_table() if table is None else table
    att, _ = _levels(df[attachment_col], attachment_col, attachment_cut)
    rep, _ = _levels(df[repeat_col], repeat_col, repeat_cut)
    names = table.groupby(["attachment", "repeat_purchase"]).apply(lambda g: "/".join(g.index))
    key = pd.MultiIndex.from_arrays([att.to_numpy(), rep.to_numpy()])
    candidates = names.reindex(key).fillna("none").to_numpy()
    return pd.DataFrame({"attachment_level": att, "repeat_level": rep, "candidate_types": candidates},
                        index=df.index)


def dick_basu_segment(df: pd.DataFrame, attitude_col: str, repeat_col: str,
                      attitude_cut: float | None = None, repeat_cut: float | None = None) -> pd.Series:
    """Dick & Basu loyalty segment per customer (真正忠诚/潜在忠诚/虚假忠诚/不忠诚).

    high attitude & high repeat → "true"; high & low → "latent"; low & high → "spurious";
    low & low → "none". Cuts default to the medians. Returns a Series indexed like ``df``.
    References: Dick & Basu (1994), Figure 2.
    """
    require_frame(df, "df", [attitude_col, repeat_col])
    att, _ = _levels(df[attitude_col], attitude_col, attitude_cut)
    rep, _ = _levels(df[repeat_col], repeat_col, repeat_cut)
    matrix = dick_basu_table().set_index(["relative_attitude", "repeat_patronage"])["loyalty"]
    labels = matrix.reindex(pd.MultiIndex.from_arrays([att.to_numpy(), rep.to_numpy()])).to_numpy()
    return pd.Series(labels, index=df.index, name="dick_basu")


def loyalty_scores(df: pd.DataFrame, attitude_cols: list[str], behaviour_cols: list[str]) -> pd.DataFrame:
    """Attitudinal (态度忠诚) and behavioural (行为忠诚) loyalty scores on a 0–100 scale.

    Each column is rescaled to 0–100 by its min and max in ``df`` (percentile-free, so a teacher
    can check it by hand), then averaged within the group: survey items (e.g. attachment,
    repurchase intent, recommend) for attitude, transaction measures (e.g. repeat purchases,
    purchase growth, tenure) for behaviour. Returns attitudinal, behavioural indexed like ``df``.
    References: Dick & Basu (1994); Oliver (1999), Whence consumer loyalty? J. Marketing 63.
    """
    require_frame(df, "df", list(attitude_cols) + list(behaviour_cols))
    if not attitude_cols or not behaviour_cols:
        raise CrmlabInputError(tr(
            "attitude_cols and behaviour_cols must each name at least one column.",
            "attitude_cols 和 behaviour_cols 都必须至少包含一列。",
        ))

    def scaled(cols: list[str]) -> pd.Series:
        parts = []
        for col in cols:
            s = require_numeric(df[col], col).astype(float)
            span = s.max() - s.min()
            parts.append((s - s.min()) / span * 100 if span > 0 else s * 0 + 50.0)
        return pd.concat(parts, axis=1).mean(axis=1)

    return pd.DataFrame({"attitudinal": scaled(attitude_cols), "behavioural": scaled(behaviour_cols)})


def type_label(loyalty_type: str) -> str:
    """The name of a loyalty type in the language in force."""
    row = loyalty_type_table().loc[loyalty_type]
    return row["name_zh"] if get_language() == "zh" else row["name_en"]
