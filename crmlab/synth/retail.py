"""The ``retail`` world: a supermarket chain with an online shop (B2C 零售).

Latent process per customer (kept in the ``truth`` table):

* purchases: after the first (trial) purchase at sign-up, repeat purchases arrive as a Poisson
  process with rate λ ~ Gamma(r, α) per week, modulated by the locale's seasonal calendar
  (time runs in "operational weeks", so λ stays the average weekly rate);
* dropout: after each repeat purchase the customer leaves for good with probability
  p ~ Beta(a, b) — together exactly the BG/NBD story (Fader, Hardie & Lee 2005);
* spend: each transaction's amount z ~ Gamma(p_s, ν) with ν ~ Gamma(q, γ) per customer, so the
  customer's mean spend is p_s/ν (the Gamma-Gamma model, Fader, Hardie & Lee 2005b; Colombo &
  Jiang 1999);
* satisfaction (满意度) is a latent score in (0, 1) tied by a Gaussian copula to dropout
  (dissatisfied customers leave sooner) and to attachment (依恋); it drives the survey answers
  and how often a customer opens a ticket or complains;
* loyalty type (客户忠诚的类型) from attachment × repeat purchase as the course places them:
  high/high is trust loyalty (信赖忠诚); high repeat with low attachment is monopoly, inertia or
  incentive loyalty (垄断/惰性/利益忠诚); low/low is price loyalty (价格忠诚) for a share of those
  customers and none for the rest; low repeat with high attachment is none.

References: Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the
easy way: an alternative to the Pareto/NBD model. Marketing Science 24(2), 275–284.
Fader, Hardie & Lee (2005b). RFM and CLV: using iso-value curves for customer base analysis.
Journal of Marketing Research 42(4), 415–430. Dick, A. S. & Basu, K. (1994). Customer loyalty:
toward an integrated conceptual framework. JAMS 22(2), 99–113.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from crmlab.synth.common import ids_at, lognormal_hours, make_ids, pick, streams, to_dates, to_datetimes
from crmlab.synth.pools import LocalePools
from crmlab.synth.profiles import people
from crmlab.synth.scenarios import CURRENCY, RETAIL
from crmlab.synth.world import TABLES, apply_dtypes

# One random stream per part (appended parts never shift earlier ones): changing the value
# pools changes names and phones only, never the purchase history.
# Named random streams; a new part goes at the end so the existing streams keep their numbers.
PARTS = ["profiles", "latent", "purchases", "spend", "survey", "tickets", "membership", "signup", "price_loyal"]


def seasonal_intensity(start: pd.Timestamp, days: int, locale: str, params: dict = RETAIL) -> np.ndarray:
    """Relative purchase intensity of each day (mean 1 over the period): Gaussian bumps at the locale's holidays."""
    day = np.arange(days, dtype=float)
    intensity = np.ones(days)
    dates = pd.date_range(start, periods=days, freq="D")
    for _, when, width, height in params["seasonality"][locale]:
        for year in range(dates[0].year - 1, dates[-1].year + 2):
            if when is None:  # the Spring Festival peak is the week before New Year's Eve
                eve = params["spring_festival_eve"].get(year)
                if eve is None:
                    continue
                peak = pd.Timestamp(eve) - pd.Timedelta(days=5)
            else:
                peak = pd.Timestamp(year=year, month=when[0], day=when[1])
            centre = (peak - start).days
            intensity += height * np.exp(-0.5 * ((day - centre) / width) ** 2)
    return intensity / intensity.mean()


def generate_retail(n: int, seed: int, pools: LocalePools, start: pd.Timestamp, end: pd.Timestamp,
                    params: dict = RETAIL) -> tuple[dict[str, pd.DataFrame], dict]:
    """All tables of a retail world with ``n`` customers; returns (tables, truth parameters)."""
    rng = streams(seed, "retail", PARTS)
    locale = pools.locale
    price_level = CURRENCY[locale][1]
    n_days = (end - start).days + 1

    # --- profiles -------------------------------------------------------------------------
    profile = people(rng["profiles"], pools, n, params["female_share"])
    customer_ids = make_ids("C", n, 6)
    signup = np.floor(rng["signup"].random(n) * max(n_days - 30, 1))
    channel = pick(rng["signup"], params["acquisition_channel"], n)

    # --- latent truth -----------------------------------------------------------------------
    lat = rng["latent"]
    r, alpha = params["purchase_rate"]["r"], params["purchase_rate"]["alpha"]
    a, b = params["dropout"]["a"], params["dropout"]["b"]
    lam = lat.gamma(r, 1.0 / alpha, n)
    z_sat = lat.standard_normal(n)
    satisfaction = special.ndtr(z_sat)
    rho = params["satisfaction_dropout_corr"]
    p_drop = special.betaincinv(a, b, special.ndtr(rho * z_sat + np.sqrt(1 - rho**2) * lat.standard_normal(n)))
    rho_a = params["satisfaction_attachment_corr"]
    attachment = special.ndtr(rho_a * z_sat + np.sqrt(1 - rho_a**2) * lat.standard_normal(n))
    loyalty = params["loyalty"]
    high_repeat = lam >= special.gammaincinv(r, params["repeat_quantile"]) / alpha  # Gamma(r, α) quantile
    high_attach = attachment >= params["attachment_threshold"]
    shares = loyalty["share_low_attachment"].to_numpy()
    behavioural = lat.choice(len(loyalty), size=n, p=shares / shares.sum())
    price_loyal = rng["price_loyal"].random(n) < params["price_loyal_share"]
    type_code = np.select(
        [high_repeat & high_attach, high_repeat, ~high_attach & price_loyal],
        [loyalty.index.get_loc("trust"), behavioural, loyalty.index.get_loc("price")],
        default=loyalty.index.get_loc("none"))
    mean_cost = loyalty["switching_cost"].to_numpy()[type_code]
    switching_cost = lat.beta(mean_cost * 10 + 0.01, (1 - mean_cost) * 10 + 0.01)

    trial_day, tx_owner, tx_day, dropout_day = _purchases(rng["purchases"], start, n_days, locale, params,
                                                          signup, lam, p_drop)
    n_tx = len(tx_owner)

    # --- spend (Gamma-Gamma) ---------------------------------------------------------------
    sp = rng["spend"]
    p_s, q, gamma = params["spend"]["p"], params["spend"]["q"], params["spend"]["gamma"] * price_level
    nu = sp.gamma(q, 1.0 / gamma, n)
    amount = np.maximum(np.round(sp.gamma(p_s, 1.0, n_tx) / nu[tx_owner], 2), 0.01)
    cats = params["category"]
    cat_code = sp.choice(len(cats), size=n_tx, p=cats["share"].to_numpy())
    item_price = cats["item_price"].to_numpy()[cat_code] * price_level
    n_items = np.maximum(1, np.round(amount / item_price * sp.uniform(0.6, 1.4, n_tx))).astype(np.int64)
    online_share = np.array([params["online_share"][c] for c in channel.categories])[channel.codes]
    tx_online = sp.random(n_tx) < online_share[tx_owner]
    city_code = profile["_place"].to_numpy()
    # Online orders are fulfilled by the store in the customer's own city; city names repeat
    # across US states (Portland, Charleston), so stores are keyed by name only.
    city_of_place, city_names = pd.factorize(pools.divisions["city"])

    transactions = apply_dtypes({
        "transaction_id": make_ids("T", n_tx, 8),
        "customer_id": ids_at(customer_ids, tx_owner),
        "date": to_dates(start, tx_day),
        "amount": amount,
        "n_items": n_items,
        "category": pd.Categorical.from_codes(cat_code, categories=list(cats.index)),
        "channel": pd.Categorical.from_codes(tx_online.astype(np.int8), categories=["store", "online"]),
        "store": pd.Categorical.from_codes(city_of_place[city_code[tx_owner]], categories=city_names),
    }, TABLES["retail"]["transactions"])

    # --- membership: tier from the last 365 days' spend, points from lifetime spend ---------
    mem = rng["membership"]
    recent = tx_day >= n_days - 365
    spend_365 = np.bincount(tx_owner[recent], weights=amount[recent], minlength=n)
    spend_all = np.bincount(tx_owner, weights=amount, minlength=n)
    thresholds = np.array(list(params["tier_thresholds"].values())) * price_level
    tier = pd.Categorical.from_codes(np.searchsorted(thresholds, spend_365, side="right"),
                                     categories=["basic", *params["tier_thresholds"]])
    redeemed = loyalty["points_redeemed"].to_numpy()[type_code] * mem.uniform(0.5, 1.5, n)
    points = np.floor(spend_all * params["points_per_unit"] * np.clip(1 - redeemed, 0, 1)).astype(np.int64)

    low, high = params["birth_years"]
    customers = pd.DataFrame({
        "customer_id": customer_ids,
        "name": profile["name"], "gender": profile["gender"],
        "birth_year": mem.integers(low, high + 1, n),
        "province": profile["province"], "city": profile["city"], "address": profile["address"],
        "phone": profile["phone"], "email": profile["email"],
        "signup_date": to_dates(start, signup),
        "acquisition_channel": channel,
        "member_tier": tier,
        "points_balance": points,
    })

    active_end = np.where(np.isnan(dropout_day), n_days - 1e-6, dropout_day)
    survey = _survey(rng["survey"], params, customer_ids, start, trial_day, active_end, satisfaction, attachment, p_drop)
    tickets = _tickets(rng["tickets"], params, customer_ids, start, n_days, trial_day, active_end, satisfaction)

    truth = pd.DataFrame({
        "customer_id": customer_ids,
        "true_purchase_rate": np.round(lam, 6),
        "true_dropout_prob": np.round(p_drop, 6),
        "true_dropout_date": pd.Series(to_dates(start, np.nan_to_num(dropout_day))).where(~np.isnan(dropout_day)),
        "true_alive": np.isnan(dropout_day),
        "true_mean_spend": np.round(p_s / nu, 2),
        "true_satisfaction": np.round(satisfaction, 6),
        "true_attachment": np.round(attachment, 6),
        "true_loyalty_type": pd.Categorical.from_codes(type_code, categories=list(loyalty.index)),
        "true_switching_cost": np.round(switching_cost, 6),
    })
    tables = {"customers": customers, "transactions": transactions, "survey": survey, "tickets": tickets, "truth": truth}
    tables = {name: frame if name == "transactions" else apply_dtypes(frame, TABLES["retail"][name])
              for name, frame in tables.items()}
    truth_parameters = {"r": r, "alpha": alpha, "a": a, "b": b, "p": p_s, "q": q, "gamma": gamma,
                        "satisfaction_dropout_corr": rho}
    return tables, truth_parameters


def _purchases(rng, start, n_days, locale, params, signup, lam, p_drop):
    """The BG/NBD purchase story in operational time (seasonality as a time change).

    Returns (trial day, transaction owner, transaction day sorted by day, dropout day or NaN);
    days are fractional offsets from ``start``.
    """
    n = len(lam)
    cum_weeks = np.concatenate([[0.0], np.cumsum(seasonal_intensity(start, n_days, locale, params)) / 7.0])
    day_grid = np.arange(n_days + 1, dtype=float)
    trial_day = signup + rng.random(n)
    op_start = np.interp(trial_day, day_grid, cum_weeks)
    exposure = cum_weeks[-1] - op_start
    n_possible = rng.poisson(lam * exposure)
    n_until_dropout = rng.geometric(p_drop)
    n_repeat = np.minimum(n_possible, n_until_dropout)
    alive = n_until_dropout > n_possible
    has_repeat = n_repeat > 0
    # The K-th of N uniform order statistics is Beta(K, N-K+1); the earlier K-1 are uniform below it.
    last = np.zeros(n)
    last[has_repeat] = rng.beta(n_repeat[has_repeat], n_possible[has_repeat] - n_repeat[has_repeat] + 1)
    owner = np.repeat(np.arange(n, dtype=np.int32), n_repeat)
    position = rng.random(len(owner))
    position[np.cumsum(n_repeat)[has_repeat] - 1] = 1.0
    position *= last[owner]
    position *= exposure[owner]
    position += op_start[owner]
    repeat_day = np.interp(position, cum_weeks, day_grid)
    del position
    # Dropout only ever follows a repeat purchase (geometric count ≥ 1), so a lost customer has one.
    dropout_day = np.where(alive, np.nan, np.interp(op_start + last * exposure, cum_weeks, day_grid))
    tx_day = np.minimum(np.concatenate([trial_day, repeat_day]), n_days - 1e-9)
    del repeat_day
    order = np.argsort(tx_day, kind="stable")
    tx_owner = np.concatenate([np.arange(n, dtype=np.int32), owner])[order]
    return trial_day, tx_owner, tx_day[order], dropout_day


def _likert(values: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.clip(np.round(values), low, high).astype(np.int64)


def _survey(rng, params, customer_ids, start, trial_day, active_end, satisfaction, attachment, p_drop) -> pd.DataFrame:
    """One satisfaction survey per respondent; perception − expectation grows with latent satisfaction."""
    n = len(customer_ids)
    who = np.flatnonzero(rng.random(n) < params["survey_share"])
    m = len(who)
    sat = satisfaction[who]
    day = trial_day[who] + rng.random(m) * (active_end[who] - trial_day[who])
    order = np.argsort(day, kind="stable")
    who, sat, day = who[order], sat[order], day[order]
    cols: dict[str, object] = {
        "response_id": make_ids("R", m, 6),
        "customer_id": ids_at(customer_ids, who),
        "date": to_dates(start, day),
    }
    halo = rng.normal(0, 0.4, m)  # one respondent's general mood colours every answer
    cols["overall"] = _likert(1 + 9 * sat + halo + rng.normal(0, 0.7, m), 1, 10)
    cols["recommend"] = _likert(10 * sat + halo + rng.normal(0, 1.0, m), 0, 10)
    expectation_mean = {"quality": 5.6, "price": 4.8, "service": 5.2, "range": 4.6, "convenience": 5.0}
    gap_weight = {"quality": 1.0, "price": 0.6, "service": 0.9, "range": 0.4, "convenience": 0.5}
    importance_mean = {"quality": 6.2, "price": 5.6, "service": 5.3, "range": 4.4, "convenience": 5.0}
    for attr in params["survey_attributes"]:
        expect = expectation_mean[attr] + rng.normal(0, 0.9, m)
        gap = 3.0 * gap_weight[attr] * (sat - 0.5) + halo + rng.normal(0, 0.7, m)
        cols[f"expect_{attr}"] = _likert(expect, 1, 7)
        cols[f"perceive_{attr}"] = _likert(expect + gap, 1, 7)
    for attr in params["survey_attributes"]:
        cols[f"importance_{attr}"] = _likert(importance_mean[attr] + rng.normal(0, 0.8, m), 1, 7)
    staying = 1 - p_drop[who] / p_drop.max()
    cols["repurchase_intent"] = _likert(1 + 6 * (0.6 * sat + 0.4 * staying) + rng.normal(0, 0.6, m), 1, 7)
    cols["attachment"] = _likert(1 + 6 * attachment[who] + rng.normal(0, 0.6, m), 1, 7)
    return pd.DataFrame(cols)


def _tickets(rng, params, customer_ids, start, n_days, trial_day, active_end, satisfaction) -> pd.DataFrame:
    """Service tickets while a customer is active; dissatisfied customers open more, and more complaints."""
    tp = params["tickets"]
    dissatisfaction = 1 - satisfaction
    rate = tp["rate_per_year"] * (1 + (tp["dissatisfaction_multiplier"] - 1) * dissatisfaction**2)
    years = (active_end - trial_day) / 365.25
    count = rng.poisson(rate * years)
    owner = np.repeat(np.arange(len(customer_ids)), count)
    m = len(owner)
    opened = trial_day[owner] + rng.random(m) * (active_end[owner] - trial_day[owner])
    order = np.argsort(opened, kind="stable")
    owner, opened = owner[order], opened[order]
    kinds = list(tp["kind"])
    base = np.array(list(tp["kind"].values()))
    complaint_boost = 0.4 + 1.6 * dissatisfaction[owner]
    probs = np.tile(base, (m, 1))
    probs[:, kinds.index("complaint")] *= complaint_boost
    probs /= probs.sum(axis=1, keepdims=True)
    kind_code = (rng.random((m, 1)) > np.cumsum(probs, axis=1)).sum(axis=1)
    period_end = float(n_days) - 1.0 / 86_400
    first_response = np.minimum(opened + lognormal_hours(rng, tp["response_hours_median"], m), period_end)
    resolved_day = first_response + lognormal_hours(rng, tp["resolution_hours_median"], m)
    resolved = (rng.random(m) >= tp["unresolved_share"]) & (resolved_day <= period_end)
    fast = resolved_day - opened < 3
    p_satisfied = np.clip(0.25 + 0.5 * satisfaction[owner] + 0.15 * fast, 0, 1)
    surveyed = resolved & (rng.random(m) < tp["surveyed_share"])
    satisfied = pd.array(rng.random(m) < p_satisfied, dtype="boolean")
    satisfied[~surveyed] = pd.NA
    return pd.DataFrame({
        "ticket_id": make_ids("TK", m, 6),
        "customer_id": ids_at(customer_ids, owner),
        "opened_at": to_datetimes(start, opened),
        "kind": pd.Categorical.from_codes(kind_code, categories=kinds),
        "channel": pick(rng, tp["channel"], m),
        "first_response_at": to_datetimes(start, first_response),
        "resolved_at": pd.Series(to_datetimes(start, resolved_day)).where(resolved),
        "resolved": resolved,
        "satisfied": satisfied,
    })
