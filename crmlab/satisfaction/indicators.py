"""Satisfaction indicators from a company's own data (客户满意度的衡量指标).

The course measures satisfaction indirectly through reputation (美誉度), name recall
(指名度), return rate (回头率), complaint rate (投诉率), purchase amount (购买额) and price
sensitivity (对价格的敏感度). Each function takes the retail world's tables
(``survey``, ``transactions``, ``tickets``; see datasets/SCHEMA.md) and column names.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, require_choice, require_date, require_dates, require_frame, require_ids, require_label_in_data,
    require_number, require_numeric, require_series,
)


def reputation(survey: pd.DataFrame, score: str = "overall", threshold: float = 8) -> float:
    """Reputation (美誉度): the share of respondents who speak well of the company.

    美誉度 = respondents whose rating ≥ ``threshold`` / all respondents. With the retail
    survey's ``overall`` (1–10), 8 and above counts as praise. Satisfied customers praise
    the company to others, so the share rises with satisfaction.
    """
    require_frame(survey, "survey", [score])
    threshold = require_number(threshold, "threshold", minimum=0,
                               hint="It is a rating on the survey's scale, e.g. 8 on a 1-10 scale.",
                               hint_zh="它是问卷量表上的评分，例如 1–10 分量表上的 8。")
    values = require_numeric(survey[score], f"survey[{score!r}]")
    return float((values >= threshold).mean())


def name_recall(answers: pd.Series, brand: str) -> float:
    """Name recall (指名度): the share of respondents who name the brand unprompted.

    指名度 = respondents whose first-named (or chosen-by-name) brand is ``brand`` / all
    respondents. ``answers`` holds one named brand per respondent (empty = named none).
    """
    named = require_series(answers, "answers")
    if not isinstance(brand, str) or not brand:
        raise CrmlabInputError(tr(f"brand must be a non-empty text, got {brand!r}.", f"brand 必须是非空文本，实际是 {brand!r}。"))
    return float((named.astype("str").str.strip().str.casefold() == brand.strip().casefold()).mean())


def purchase_amount(transactions: pd.DataFrame, customer: str = "customer_id", amount: str = "amount") -> pd.Series:
    """Purchase amount (购买额) per customer: the sum of the customer's transaction amounts."""
    require_frame(transactions, "transactions", [customer, amount])
    values = require_numeric(transactions[amount], f"transactions[{amount!r}]", allow_negative=False)
    ids = require_ids(transactions[customer], f"transactions[{customer!r}]")
    return values.groupby(ids).sum().rename("purchase_amount")


def repeat_purchases(transactions: pd.DataFrame, customer: str = "customer_id") -> pd.Series:
    """Number of purchases after the first one, per customer (0 = bought once)."""
    require_frame(transactions, "transactions", [customer])
    require_ids(transactions[customer], f"transactions[{customer!r}]")
    return (transactions.groupby(customer).size() - 1).rename("repeat_purchases")


def return_rate(transactions: pd.DataFrame, customer: str = "customer_id", date: str = "date",
                start: str | None = None, end: str | None = None) -> float:
    """Return rate (回头率): the share of buying customers who came back and bought again.

    回头率 = customers with ≥ 2 purchases in [start, end] / customers with ≥ 1 purchase in it.
    """
    require_frame(transactions, "transactions", [customer, date])
    dates = require_dates(transactions[date], f"transactions[{date!r}]")
    require_ids(transactions[customer], f"transactions[{customer!r}]")
    keep = pd.Series(True, index=transactions.index)
    if start is not None:
        keep &= dates >= require_date(start, "start")
    if end is not None:
        keep &= dates <= require_date(end, "end")
    counts = transactions.loc[keep, customer].value_counts()
    if counts.empty:
        raise CrmlabInputError(tr(
            f"no transactions between {start} and {end}; widen the period.",
            f"{start} 至 {end} 之间没有交易；请扩大时间范围。",
        ))
    return float((counts >= 2).mean())


def complaint_rate(tickets: pd.DataFrame, transactions: pd.DataFrame, kind: str = "kind",
                   complaint: str = "complaint", per: str = "transaction") -> float:
    """Complaint rate (投诉率): complaints per transaction (or per buying customer).

    投诉率 = number of complaint tickets / number of transactions (``per="transaction"``)
    or / number of distinct buying customers (``per="customer"``). Haier's first
    "control" (三个控制: 服务投诉率) is this rate.
    """
    require_frame(tickets, "tickets", [kind])
    require_frame(transactions, "transactions", ["customer_id"] if per == "customer" else [])
    require_choice(per, "per", ("transaction", "customer"))
    require_label_in_data(complaint, "complaint", tickets[kind].astype("str"))
    complaints = int((tickets[kind] == complaint).sum())
    base = len(transactions) if per == "transaction" else transactions["customer_id"].nunique()
    return complaints / base


def price_sensitivity(survey: pd.DataFrame, price: str = "importance_price",
                      others: Sequence[str] = ("importance_quality", "importance_service",
                                               "importance_range", "importance_convenience")) -> pd.Series:
    """Price sensitivity (对价格的敏感度) per respondent: the importance of price relative to the other attributes.

    sensitivity = importance(price) / mean importance(other attributes). Above 1 the
    respondent weighs price more than the average attribute; satisfied, loyal customers
    tend to weigh price less (the course: satisfied customers are less price-sensitive).
    """
    columns = [price, *others]
    require_frame(survey, "survey", columns)
    data = pd.DataFrame({c: require_numeric(survey[c], f"survey[{c!r}]", allow_negative=False) for c in columns})
    base = data[list(others)].mean(axis=1)
    if (base == 0).any():
        raise CrmlabInputError(tr("the other importances average 0 for some respondents; sensitivity is undefined.",
                                  "部分受访者其他属性的重要性平均为 0，无法计算敏感度。"))
    return (data[price] / base).rename("price_sensitivity")


def price_elasticity(df: pd.DataFrame, price: str, quantity: str) -> float:
    """Price elasticity of demand: the slope of log(quantity) on log(price) (−1.5 = 1 % dearer, 1.5 % fewer sold).

    Lower ``|elasticity|`` among a segment signals lower price sensitivity.

    References
    ----------
    Tellis, G. J. (1988). The price elasticity of selective demand. Journal of Marketing Research 25(4), 331–341.
    """
    require_frame(df, "df", [price, quantity])
    p = require_numeric(df[price], f"df[{price!r}]", allow_negative=False, allow_zero=False)
    q = require_numeric(df[quantity], f"df[{quantity!r}]", allow_negative=False, allow_zero=False)
    if p.nunique() < 2:
        raise CrmlabInputError(tr(f"df[{price!r}] never changes; elasticity needs at least two prices.",
                                  f"df[{price!r}] 没有变化；弹性至少需要两个不同价格。"))
    x, y = np.log(p.to_numpy()), np.log(q.to_numpy())
    return float(np.polyfit(x, y, 1)[0])
