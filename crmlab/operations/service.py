"""Customer service and complaints (客户服务与投诉, lesson 17): service times, service levels,
Haier's three controls, and the link between service and churn.

Haier's service quality control (海尔“三个控制”) watches three rates: the complaint rate
(投诉率), the omission rate (遗漏率: requests that were never recorded, so never handled) and
the dissatisfaction rate (不满意率: dissatisfied among customers surveyed after service).

References
----------
Parasuraman, A., Zeithaml, V. A. & Berry, L. L. (1988). SERVQUAL. Journal of Retailing 64(1), 12–40
(responsiveness as a service-quality dimension).
Course lecture plans (seeds/000): the Haier case, 投诉率 / 遗漏率 / 不满意率.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import (
    CrmlabInputError, require_bool, require_date, require_dates, require_frame, require_int, require_label_in_data,
    require_positive,
)

_HOURS = pd.Timedelta(hours=1)


def _times(tickets: pd.DataFrame, column: str, *, allow_missing: bool) -> pd.Series:
    return require_dates(tickets[column], column, allow_missing=allow_missing)


def _flags(series: pd.Series, name: str) -> pd.Series:
    """A yes/no column as nullable booleans (missing = not known), read by the shared boolean check."""
    return require_bool(series, name, allow_missing=True)


def service_times(tickets: pd.DataFrame, *, opened: str = "opened_at", first_response: str = "first_response_at",
                  resolved: str = "resolved_at") -> pd.DataFrame:
    """First response time and resolution time of each ticket in hours (响应时间/解决时间), indexed like ``tickets``.

    response_hours = first_response − opened; resolution_hours = resolved − opened; NaN while not yet
    answered / resolved. A time before the ticket was opened is an error.
    """
    require_frame(tickets, "tickets", [opened, first_response, resolved])
    start = _times(tickets, opened, allow_missing=False)
    out = pd.DataFrame({
        "response_hours": (_times(tickets, first_response, allow_missing=True) - start) / _HOURS,
        "resolution_hours": (_times(tickets, resolved, allow_missing=True) - start) / _HOURS,
    }, index=tickets.index)
    negative = (out < 0).any(axis=1)
    if negative.any():
        raise CrmlabInputError(tr(
            f"tickets has responses or resolutions before the ticket was opened, e.g. at index "
            f"{list(tickets.index[negative][:3])}. Check the time columns.",
            f"tickets 中有响应或解决时间早于登记时间的记录，例如索引 {list(tickets.index[negative][:3])}。请检查时间列。",
        ))
    return out


def service_level(tickets: pd.DataFrame, response_target: float = 4.0, resolution_target: float = 48.0, *,
                  by: str | None = None, opened: str = "opened_at", first_response: str = "first_response_at",
                  resolved: str = "resolved_at") -> pd.DataFrame:
    """Service levels (服务水平): the share of tickets answered and resolved within the targets (SLA).

    Parameters
    ----------
    tickets : one row per service request.
    response_target, resolution_target : the targets in hours.
    by : a column to break the levels down by (e.g. ``kind``); None gives one row ``all``.

    Returns
    -------
    DataFrame per group: tickets, response_within = share with response_hours ≤ response_target,
    resolution_within = share with resolution_hours ≤ resolution_target (a ticket not yet answered or
    resolved counts as outside the target), median_response_hours, median_resolution_hours.
    """
    for value, name in ((response_target, "response_target"), (resolution_target, "resolution_target")):
        require_positive(value, name, hint="It is a number of hours.", hint_zh="单位是小时。")
    require_frame(tickets, "tickets", [by] if by else [])
    times = service_times(tickets, opened=opened, first_response=first_response, resolved=resolved)
    frame = pd.DataFrame({
        "g": tickets[by].to_numpy() if by else "all",
        "response_ok": (times["response_hours"] <= response_target).to_numpy(),
        "resolution_ok": (times["resolution_hours"] <= resolution_target).to_numpy(),
        "response": times["response_hours"].to_numpy(), "resolution": times["resolution_hours"].to_numpy(),
    })
    out = frame.groupby("g", observed=True).agg(
        tickets=("response_ok", "size"), response_within=("response_ok", "mean"),
        resolution_within=("resolution_ok", "mean"), median_response_hours=("response", "median"),
        median_resolution_hours=("resolution", "median"))
    out.index.name = by or "group"
    return out


def three_controls(tickets: pd.DataFrame, customers: int, *, kind: str = "kind", recorded: str = "recorded",
                   satisfied: str = "satisfied", complaint: str = "complaint") -> pd.Series:
    """Haier's three controls (海尔三个控制): complaint, omission and dissatisfaction rates.

    Parameters
    ----------
    tickets : every service request, recorded or not (``recorded`` False = an omission, 遗漏).
    customers : the denominator of the complaint rate: the number of customers served in the period
        (pass the number of orders instead to get complaints per order).
    kind, recorded, satisfied : column names; ``complaint`` is the label of a complaint in ``kind``.

    Returns
    -------
    Series: complaints, complaint_rate = complaints / customers; requests, unrecorded,
    omission_rate = unrecorded / requests; surveyed, dissatisfied, dissatisfaction_rate = dissatisfied /
    surveyed (customers not surveyed are left out, not counted as satisfied).
    """
    require_frame(tickets, "tickets", [kind, recorded, satisfied])
    customers = require_int(customers, "customers", minimum=1)
    is_recorded = _flags(tickets[recorded], recorded)
    if is_recorded.isna().any():
        raise CrmlabInputError(tr(f"{recorded} must be True or False for every request; some are missing.",
                                  f"{recorded} 必须对每条请求填写 True 或 False；存在缺失。"))
    is_satisfied = _flags(tickets[satisfied], satisfied)
    require_label_in_data(complaint, "complaint", tickets[kind].astype("str"))
    complaints = int((tickets[kind].astype("str") == complaint).sum())
    requests, unrecorded = len(tickets), int((~is_recorded).sum())
    surveyed = int(is_satisfied.notna().sum())
    dissatisfied = int((is_satisfied == False).sum())  # noqa: E712 - NA (not surveyed) must not count
    return pd.Series({
        "complaints": complaints, "complaint_rate": complaints / customers,
        "requests": requests, "unrecorded": unrecorded, "omission_rate": unrecorded / requests,
        "surveyed": surveyed, "dissatisfied": dissatisfied,
        "dissatisfaction_rate": dissatisfied / surveyed if surveyed else np.nan,
    }, dtype=float, name="three_controls")


SERVICE_GROUPS = ("no_request", "served", "complained", "dissatisfied")


def service_experience(tickets: pd.DataFrame, customers: pd.Index, *, account: str = "account_id",
                       kind: str = "kind", satisfied: str = "satisfied", complaint: str = "complaint") -> pd.Series:
    """Each customer's service experience, indexed by ``customers``: the worst that happened to them.

    no_request (no ticket) < served (tickets, no complaint, never dissatisfied) < complained (a complaint,
    never dissatisfied) < dissatisfied (at least one dissatisfied survey answer).
    """
    require_frame(tickets, "tickets", [account, kind, satisfied])
    if not isinstance(customers, pd.Index):
        raise CrmlabInputError(tr(f"customers must be a pandas Index of customer ids (e.g. accounts.index), got "
                                  f"{type(customers).__name__}.",
                                  f"customers 必须是客户编号组成的 pandas Index（例如 accounts.index），实际是 "
                                  f"{type(customers).__name__}。"))
    require_label_in_data(complaint, "complaint", tickets[kind].astype("str"))
    dissatisfied = (_flags(tickets[satisfied], satisfied) == False).fillna(False)  # noqa: E712
    level = np.where(dissatisfied.to_numpy(dtype=bool), 3,
                     np.where((tickets[kind].astype("str") == complaint).to_numpy(), 2, 1))
    # Worst level per customer with integer positions: position of each ticket's customer in `customers`.
    where = customers.get_indexer(tickets[account])
    known = where >= 0
    codes = np.zeros(len(customers), dtype=np.int8)
    np.maximum.at(codes, where[known], level[known].astype(np.int8))
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(SERVICE_GROUPS), ordered=True),
                     index=customers, name="service_experience")


def service_churn_link(tickets: pd.DataFrame, churned: pd.Series, *, until: Any = None, account: str = "account_id",
                       kind: str = "kind", satisfied: str = "satisfied", complaint: str = "complaint",
                       opened: str = "opened_at") -> pd.DataFrame:
    """Churn rate by service experience (服务与客户流失): does bad service go with lost customers?

    Parameters
    ----------
    tickets : service requests with the customer's id in ``account``.
    churned : True for each customer who left, indexed by customer (e.g. ``truth.true_churn_date.notna()``).
    until : only tickets opened on or before this day count. Use it to look forward: service up to
        ``until``, then churn after it, among the customers still active on ``until``. Without it, a
        customer who left early had less time to ask for service, which biases the comparison.

    Returns
    -------
    DataFrame indexed by experience group (see :func:`service_experience`): customers, churned,
    churn_rate, lift = churn_rate / overall churn rate. An association, not a proof of cause.
    """
    if not isinstance(churned, pd.Series):
        raise CrmlabInputError(tr(f"churned must be a Series of True/False indexed by customer, got "
                                  f"{type(churned).__name__}.",
                                  f"churned 必须是以客户为索引的 True/False Series，实际是 {type(churned).__name__}。"))
    flags = _flags(churned, "churned")
    if until is not None:
        require_frame(tickets, "tickets", [opened])
        tickets = tickets[(_times(tickets, opened, allow_missing=False) <= require_date(until, "until")).to_numpy()]
    if flags.isna().any() or len(flags) == 0:
        raise CrmlabInputError(tr("churned must say True or False for every customer (no missing values).",
                                  "churned 必须对每个客户给出 True 或 False（不能有缺失）。"))
    group = service_experience(tickets, churned.index, account=account, kind=kind, satisfied=satisfied,
                               complaint=complaint)
    frame = pd.DataFrame({"group": group.array, "churned": flags.to_numpy(dtype=bool)})
    out = frame.groupby("group", observed=False).agg(customers=("churned", "size"), churned=("churned", "sum"))
    out["churn_rate"] = out["churned"] / out["customers"].where(out["customers"] > 0)
    out["lift"] = out["churn_rate"] / flags.to_numpy(dtype=bool).mean()
    out.index.name = "service_experience"
    return out


SATISFACTION_GROUPS = ("mostly unhappy", "mixed", "mostly happy")


def churn_by_satisfaction(tickets: pd.DataFrame, churned: pd.Series, *, account: str = "account_id",
                          satisfied: str = "satisfied") -> pd.DataFrame:
    """Churn rate of the surveyed customers by how often they were satisfied after service (服务满意与流失).

    Each customer with at least one survey answer gets share = satisfied answers / answers, and falls in
    one of three groups: mostly unhappy (share ≤ 1/3), mixed (1/3 < share ≤ 2/3), mostly happy (> 2/3).
    Unlike :func:`service_churn_link`, a customer's group does not depend on how many requests they
    made, so customers who left early (and had less time to ask for service) are not pushed into
    one group.

    Parameters
    ----------
    tickets : service requests with the customer in ``account`` and the survey answer in ``satisfied``
        (True/False, empty if not surveyed).
    churned : True for each customer who left, indexed by customer.

    Returns
    -------
    DataFrame indexed by group: customers, churned, churn_rate, lift = churn_rate / churn rate of all
    surveyed customers. An association, not a proof of cause.
    """
    require_frame(tickets, "tickets", [account, satisfied])
    if not isinstance(churned, pd.Series):
        raise CrmlabInputError(tr(f"churned must be a Series of True/False indexed by customer, got "
                                  f"{type(churned).__name__}.",
                                  f"churned 必须是以客户为索引的 True/False Series，实际是 {type(churned).__name__}。"))
    flags = _flags(churned, "churned")
    if flags.isna().any():
        raise CrmlabInputError(tr("churned must say True or False for every customer (no missing values).",
                                  "churned 必须对每个客户给出 True 或 False（不能有缺失）。"))
    answers = _flags(tickets[satisfied], satisfied)
    surveyed = answers.notna().to_numpy()
    share = (answers[surveyed].astype(float).groupby(tickets.loc[surveyed, account].to_numpy()).mean())
    unknown = share.index.difference(flags.index)
    if len(unknown):
        raise CrmlabInputError(tr(f"tickets has customers that churned does not know, e.g. {unknown[0]!r}; give "
                                  "churned for every customer.",
                                  f"tickets 中有 churned 未包含的客户，例如 {unknown[0]!r}；请为每个客户给出 churned。"))
    group = pd.cut(share, [0, 1 / 3, 2 / 3, 1], include_lowest=True, labels=list(SATISFACTION_GROUPS))
    left = flags.reindex(share.index).astype(bool)
    out = left.groupby(group, observed=False).agg(["size", "sum"]).rename(columns={"size": "customers",
                                                                                    "sum": "churned"})
    out["churned"] = out["churned"].astype("int64")
    out["churn_rate"] = out["churned"] / out["customers"].where(out["customers"] > 0)
    out["lift"] = out["churn_rate"] / left.mean()
    out.index.name = "after_service"
    return out
