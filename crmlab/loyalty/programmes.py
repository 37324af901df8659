"""Loyalty programmes (忠诚计划): a tiered points programme simulator and a switching-cost scoring aid.

The simulator follows a member base through periods: members spend, earn points at their tier's
rate, collect growth value (成长值) that moves them up tiers, redeem part of their points (the rest
is breakage, 积分沉淀) and stay with a retention rate raised by their tier's benefits. The same
random draws without the programme give the baseline, so the difference is the programme's
effect: what it costs against the margin its retention lift earns.

Switching costs (转换成本) follow the course's eight kinds, grouped as in Burnham, Frels & Mahajan
(2003) into procedural (程序), financial (财务) and relational (关系) costs; the table is data
(``data/switching_costs.csv``).

References
----------
Burnham, T. A., Frels, J. K. & Mahajan, V. (2003). Consumer switching costs: a typology,
antecedents, and consequences. J. Academy of Marketing Science 31(2), 109–126.
Kumar, V. & Reinartz, W. (2018). Customer Relationship Management, 3rd ed., ch. 10 (loyalty programmes).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.loyalty._inputs import positive_number
from crmlab.validation import (CrmlabInputError, require_fraction, require_frame, require_int,
                               require_numeric)

DATA_DIR = Path(__file__).with_name("data")

DEFAULT_TIERS = pd.DataFrame({
    "tier": ["basic", "silver", "gold", "platinum"],
    "min_growth_value": [0.0, 2_000.0, 6_000.0, 15_000.0],
    "earn_rate": [1.0, 1.2, 1.5, 2.0],
    "retention_lift": [0.00, 0.02, 0.04, 0.06],
    "service_cost": [0.0, 5.0, 15.0, 40.0],
})


def _check_tiers(tiers: pd.DataFrame) -> pd.DataFrame:
    require_frame(tiers, "tiers", ["tier", "min_growth_value", "earn_rate", "retention_lift", "service_cost"])
    for col in ("min_growth_value", "earn_rate", "service_cost"):
        require_numeric(tiers[col], col, allow_negative=False)
    require_numeric(tiers["retention_lift"], "retention_lift")
    thresholds = tiers["min_growth_value"].to_numpy(dtype=float)
    if thresholds[0] != 0 or np.any(np.diff(thresholds) <= 0):
        raise CrmlabInputError(tr(
            f"tiers.min_growth_value must start at 0 and increase tier by tier; got {thresholds.tolist()}.",
            f"tiers.min_growth_value 必须从 0 开始并逐级递增；实际是 {thresholds.tolist()}。",
        ))
    return tiers


def simulate_programme(n_members: int = 10_000, periods: int = 12, *, tiers: pd.DataFrame | None = None,
                       mean_spend: float = 500.0, spend_shape: float = 2.0, base_retention: float = 0.85,
                       new_members: int = 500, redemption_rate: float = 0.7, point_value: float = 0.01,
                       margin_rate: float = 0.25, seed: int = 0) -> pd.DataFrame:
    """Simulate a tiered points programme against the same member base without it (梯度忠诚计划模拟).

    Parameters
    ----------
    n_members, new_members : members at the start and joining each period.
    periods : number of periods (e.g. months).
    tiers : tier table (tier, min_growth_value, earn_rate, retention_lift, service_cost);
        default :data:`DEFAULT_TIERS`. Growth value is cumulative spend.
    mean_spend, spend_shape : each member's mean spend per period ~ Gamma(shape, mean/shape).
    base_retention : retention per period without the programme; tier lifts are added to it.
    redemption_rate : share of earned points redeemed (1 − it is breakage).
    point_value : cost to the firm of one redeemed point.
    margin_rate : gross margin on revenue.
    seed : random seed; same seed, same result.

    Returns
    -------
    DataFrame indexed by period 1..periods: members, members_baseline, revenue, revenue_baseline,
    points_earned, points_redeemed, breakage_points, programme_cost, incremental_margin
    (margin_rate × extra revenue − programme_cost), cumulative_net, and one ``tier_<name>`` count per tier.
    """
    tiers = _check_tiers(DEFAULT_TIERS if tiers is None else tiers)
    n0 = require_int(n_members, "n_members", minimum=1)
    n_new = require_int(new_members, "new_members", minimum=0)
    t_max = require_int(periods, "periods", minimum=1)
    spend_mean = positive_number(mean_spend, "mean_spend")
    shape = positive_number(spend_shape, "spend_shape")
    r0 = require_fraction(base_retention, "base_retention")
    burn = require_fraction(redemption_rate, "redemption_rate")
    value = positive_number(point_value, "point_value", allow_zero=True)
    margin = require_fraction(margin_rate, "margin_rate")
    rng = np.random.default_rng(seed)

    total = n0 + n_new * t_max
    join = np.r_[np.zeros(n0, dtype=int), np.repeat(np.arange(1, t_max + 1), n_new)]
    member_mean = rng.gamma(shape, spend_mean / shape, total)
    thresholds = tiers["min_growth_value"].to_numpy(dtype=float)
    earn = tiers["earn_rate"].to_numpy(dtype=float)
    lift = tiers["retention_lift"].to_numpy(dtype=float)
    service = tiers["service_cost"].to_numpy(dtype=float)
    alive = join == 0
    alive_base = alive.copy()
    growth = np.zeros(total)
    rows = []
    for t in range(1, t_max + 1):  # periods are few; each step is vectorised over members
        spend = rng.gamma(shape, member_mean / shape)
        survive_draw = rng.random(total)
        tier = np.searchsorted(thresholds, growth, side="right") - 1
        if t > 1:  # the first period's members have just been counted; churn applies between periods
            alive = alive & (survive_draw < np.clip(r0 + lift[tier], 0.0, 1.0))
            alive_base = alive_base & (survive_draw < r0)
        alive = alive | (join == t)
        alive_base = alive_base | (join == t)
        paid = np.where(alive, spend, 0.0)
        growth += paid
        earned = (paid * earn[tier]).sum()
        redeemed = earned * burn
        cost = redeemed * value + service[tier][alive].sum()
        revenue, revenue_base = paid.sum(), np.where(alive_base, spend, 0.0).sum()
        row = {"period": t, "members": int(alive.sum()), "members_baseline": int(alive_base.sum()),
               "revenue": revenue, "revenue_baseline": revenue_base, "points_earned": earned,
               "points_redeemed": redeemed, "breakage_points": earned - redeemed, "programme_cost": cost,
               "incremental_margin": margin * (revenue - revenue_base) - cost}
        counts = np.bincount(tier[alive], minlength=len(tiers))
        row.update({f"tier_{name}": int(c) for name, c in zip(tiers["tier"], counts)})
        rows.append(row)
    out = pd.DataFrame(rows).set_index("period")
    out["cumulative_net"] = out["incremental_margin"].cumsum()
    return out


def switching_cost_table() -> pd.DataFrame:
    """The eight switching costs (转换成本) with their group: procedural, financial or relational."""
    return pd.read_csv(DATA_DIR / "switching_costs.csv").set_index("cost_type")


def switching_cost_scores(ratings: pd.DataFrame) -> pd.DataFrame:
    """Score switching costs per customer from ratings of the eight kinds (转换成本评分).

    Parameters
    ----------
    ratings : one row per customer, one column per cost type of :func:`switching_cost_table`
        (economic_risk, evaluation, learning, setup, benefit_loss, monetary_loss,
        personal_relationship, brand_relationship), e.g. 1–7 agreement scores.

    Returns
    -------
    DataFrame indexed like ``ratings``: procedural, financial, relational (mean of the group's
    items), overall (mean of the three groups) and dominant (the highest group).
    References: Burnham, Frels & Mahajan (2003), Table 1.
    """
    table = switching_cost_table()
    require_frame(ratings, "ratings", list(table.index))
    for col in table.index:
        require_numeric(ratings[col], col)
    groups = {}
    for group, items in table.groupby("group").groups.items():
        groups[group] = ratings[list(items)].astype(float).mean(axis=1)
    out = pd.DataFrame(groups)[["procedural", "financial", "relational"]]
    out["overall"] = out.mean(axis=1)
    out["dominant"] = out[["procedural", "financial", "relational"]].idxmax(axis=1)
    return out
