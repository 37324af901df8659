"""The ``b2b`` world: an industrial steel supplier and its accounts (企业客户、渠道、政府、内部客户).

Accounts of every customer category carry the attributes that let rules classify them
(``buys_for``, ``same_group``, ``industry``); the reason sits in ``truth``. Opportunities move
through the sales funnel (销售漏斗) lead → qualified → proposal → negotiation → won, with the
probability of advancing from stage k chosen so that P(win | at stage k) equals the scenario's
``stage_win_prob`` table; lost opportunities leave from the last stage they reached, so
``stage_history`` never skips a stage. Won opportunities and repeat business become orders,
order lines and receivables; service requests carry response and resolution times, omissions
(遗漏: requests never recorded) and satisfaction.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from crmlab.synth.common import ids_at, lognormal_hours, make_ids, streams, to_dates, to_datetimes
from crmlab.synth.pools import LocalePools
from crmlab.synth.profiles import people
from crmlab.synth.scenarios import B2B, CURRENCY
from crmlab.synth.world import TABLES, apply_dtypes

# One random stream per part (appended parts never shift earlier ones): changing the value
# pools changes names and phones only, never the accounts' behaviour.
PARTS = ["staff", "accounts", "contacts", "opportunities", "orders", "receivables", "service", "account_profiles"]
FUNNEL = ["lead", "qualified", "proposal", "negotiation"]


def _choose_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One column index per row of a probability matrix (inverse CDF, vectorised)."""
    return (rng.random((len(probs), 1)) > np.cumsum(probs, axis=1)[:, :-1]).sum(axis=1)


def _company_names(rng, pools: LocalePools, params: dict, industry: np.ndarray, category: np.ndarray,
                   city: np.ndarray, person: np.ndarray) -> np.ndarray:
    """Account names by category: a person, a public body of a city, or stem + trade word + legal suffix."""
    n = len(industry)
    zh = pools.locale == "zh_CN"
    words = pools.raw["company_words"]
    word = np.full(n, "", dtype=object)
    for ind in np.unique(industry):
        options = np.array(words[ind] or [""], dtype=object)
        rows = industry == ind
        word[rows] = options[rng.integers(0, len(options), rows.sum())]
    stems = pools.strings("company_stems")
    stem = stems[rng.integers(0, len(stems), n)]
    suffix = pools.weighted("company_suffixes").sample(rng, n)
    city = city.astype(object)
    group = params["group_name"][pools.locale]
    if zh:
        # 城市 + 字号 + 行业 + 组织形式, e.g. 长沙和泰建筑工程有限公司
        city_short = np.array([c.removesuffix("市").removesuffix("地区") for c in city], dtype=object)
        company = city_short + stem + word + suffix
        public = city + word
        internal = group + word + "有限公司"
    else:
        company = stem + " " + word + " " + suffix
        public = city + " " + word
        internal = group + " " + word + " Co."
    return np.where(category == "consumer", person.astype(object),
                    np.where(np.isin(category, ["government", "service"]), public,
                             np.where(category == "internal", internal, company)))


def generate_b2b(n: int, seed: int, pools: LocalePools, start: pd.Timestamp, end: pd.Timestamp,
                 params: dict = B2B) -> tuple[dict[str, pd.DataFrame], dict]:
    """All tables of a b2b world with ``n`` accounts; returns (tables, truth parameters)."""
    rng = streams(seed, "b2b", PARTS)
    price_level = CURRENCY[pools.locale][1]
    n_days = (end - start).days + 1
    period_end = float(n_days) - 1.0 / 86_400

    # --- departments and staff --------------------------------------------------------------
    departments = pd.DataFrame({"department_id": list(pools.raw["department_names"]),
                                "name": list(pools.raw["department_names"].values())})
    plan = params["staff"]
    count = np.maximum(plan["minimum"].to_numpy(), np.round(plan["per_100_accounts"].to_numpy() * n / 100).astype(int))
    row = np.repeat(np.arange(len(plan)), count)
    staff_ids = make_ids("S", len(row), 3)
    staff_people = people(rng["staff"], pools, len(row))
    staff = pd.DataFrame({"staff_id": staff_ids, "name": staff_people["name"],
                          "department_id": plan["department_id"].to_numpy()[row],
                          "role": plan["role"].to_numpy()[row],
                          "discount_limit": plan["discount_limit"].to_numpy()[row]})

    # --- accounts ------------------------------------------------------------------------------
    acc = rng["accounts"]
    cats = params["categories"]
    cat_code = acc.choice(len(cats), size=n, p=cats["share"].to_numpy())
    category = cats.index.to_numpy()[cat_code]
    industry = np.empty(n, dtype=object)
    for c, options in params["industries"].items():
        rows = category == c
        industry[rows] = np.array(options, dtype=object)[acc.integers(0, len(options), rows.sum())]
    contact_people = people(rng["account_profiles"], pools, n)
    names = _company_names(rng["account_profiles"], pools, params, industry.astype(str), category,
                           contact_people["city"].to_numpy().astype(str), contact_people["name"].to_numpy().astype(str))
    buys_for = np.array([params["buys_for"][i] for i in industry])
    relationship = params["relationship"]
    rel_code = _choose_rows(acc, relationship.to_numpy()[cat_code])
    # Channel partners are served by channel sales, the group and public bodies by key accounts.
    dept_for = np.where(category == "channel", "D03", np.where(np.isin(category, ["internal", "government"]), "D02", "D01"))
    reps = staff[staff["role"] == "sales_rep"]
    owner = np.empty(n, dtype=object)
    for dept in np.unique(dept_for):
        pool = reps.loc[reps["department_id"] == dept, "staff_id"].to_numpy()
        rows = dept_for == dept
        owner[rows] = pool[acc.integers(0, len(pool), rows.sum())]
    created = np.where(acc.random(n) < params["legacy_share"], 0.0, np.floor(acc.random(n) * (n_days - 60)))
    credit = np.round(cats["credit_limit"].to_numpy()[cat_code] * price_level * acc.lognormal(0, 0.4, n), -3)
    demand = acc.gamma(2.0, cats["annual_demand_t"].to_numpy()[cat_code] / 2.0)
    satisfaction = special.ndtr(acc.standard_normal(n))
    churn_rate = np.array([params["churn_per_year"][c] for c in category]) * (0.5 + 1.5 * (1 - satisfaction))
    churn_day = created + acc.exponential(365.25 / np.maximum(churn_rate, 1e-12))
    churned = churn_day < n_days
    active_end = np.where(churned, churn_day, period_end)
    account_ids = make_ids("A", n, 4)
    accounts = pd.DataFrame({
        "account_id": account_ids, "name": pd.Series(names, dtype="str"),
        "category": category, "industry": industry.astype(str),
        "province": contact_people["province"], "city": contact_people["city"], "address": contact_people["address"],
        "buys_for": buys_for, "same_group": cats["same_group"].to_numpy()[cat_code],
        "relationship": pd.Categorical.from_codes(rel_code, categories=list(relationship.columns)),
        "owner_staff_id": owner.astype(str), "created_date": to_dates(start, created), "credit_limit": credit,
    })
    truth = pd.DataFrame({
        "account_id": account_ids,
        "true_category_reason": [params["category_reason"][c] for c in category],
        "true_annual_demand": np.round(demand, 1),
        "true_churn_date": pd.Series(to_dates(start, np.where(churned, churn_day, 0))).where(churned),
        "true_satisfaction": np.round(satisfaction, 6),
    })

    # --- contacts -----------------------------------------------------------------------------
    con = rng["contacts"]
    n_contacts = np.where(category == "consumer", 1, np.minimum(1 + con.poisson(1.0, n), 4))
    c_owner = np.repeat(np.arange(n), n_contacts)
    c_people = people(con, pools, len(c_owner))
    first_of_account = np.concatenate([[True], c_owner[1:] != c_owner[:-1]])
    titles = pools.strings("contact_titles")
    title = titles[con.integers(0, len(titles), len(c_owner))]
    # An individual customer is their own contact.
    consumer_row = category[c_owner] == "consumer"
    contacts = pd.DataFrame({
        "contact_id": make_ids("CT", len(c_owner), 5), "account_id": ids_at(account_ids, c_owner),
        "name": np.where(consumer_row, contact_people["name"].to_numpy()[c_owner], c_people["name"].to_numpy()),
        "title": pd.Series(title.astype(object)).where(~consumer_row),
        "phone": np.where(consumer_row, contact_people["phone"].to_numpy()[c_owner], c_people["phone"].to_numpy()),
        "email": np.where(consumer_row, contact_people["email"].to_numpy()[c_owner], c_people["email"].to_numpy()),
        "is_primary": first_of_account,
    })

    # --- products -------------------------------------------------------------------------------
    prod = params["products"]
    family_label = np.array([pools.raw["product_families"][f] for f in prod["family"]], dtype=object)
    list_price = np.round(prod["list_price"].to_numpy() * price_level, 2)
    products = pd.DataFrame({
        "product_id": prod.index.to_numpy(), "name": family_label + " " + prod["spec"].to_numpy(),
        "family": prod["family"].to_numpy(), "unit": "t", "list_price": list_price,
        "unit_cost": np.round(list_price * prod["cost_ratio"].to_numpy(), 2),
    })

    def products_for(rng_, owners: np.ndarray) -> np.ndarray:
        """A product row per event, from the families the account's category buys."""
        out = np.empty(len(owners), dtype=np.int64)
        for c, families in params["product_mix"].items():
            rows = category[owners] == c
            allowed = np.flatnonzero(prod["family"].isin(families).to_numpy())
            out[rows] = allowed[rng_.integers(0, len(allowed), rows.sum())]
        return out

    # --- opportunities and the funnel ----------------------------------------------------------
    opp = rng["opportunities"]
    years = (active_end - created) / 365.25
    n_opp = opp.poisson(cats["opportunities_per_year"].to_numpy()[cat_code] * years)
    o_owner = np.repeat(np.arange(n), n_opp)
    m = len(o_owner)
    o_created = created[o_owner] + opp.random(m) * (active_end[o_owner] - created[o_owner])
    order = np.argsort(o_created, kind="stable")
    o_owner, o_created = o_owner[order], o_created[order]
    win = params["stage_win_prob"]
    advance_prob = win[FUNNEL].to_numpy() / win.reindex(FUNNEL[1:] + ["won"]).to_numpy()
    advances = opp.random((m, len(FUNNEL))) < advance_prob
    reached = np.cumprod(advances, axis=1).sum(axis=1)  # stages passed: 4 means won
    durations = opp.exponential(params["stage_days_mean"][FUNNEL].to_numpy(), (m, len(FUNNEL)))
    entered = o_created[:, None] + np.concatenate([np.zeros((m, 1)), np.cumsum(durations, axis=1)], axis=1)
    won = reached == len(FUNNEL)
    # The outcome (won or lost) is decided at the end of the last stage reached.
    last_stage = np.minimum(reached, len(FUNNEL) - 1)
    outcome_day = entered[np.arange(m), last_stage + 1]
    closed = outcome_day <= period_end
    in_funnel = (np.arange(len(FUNNEL))[None, :] <= last_stage[:, None]) & (entered[:, :-1] <= period_end)
    # Row-major nonzero keeps each opportunity's stages together and in funnel order.
    h_opp, h_col = np.nonzero(np.concatenate([in_funnel, closed[:, None]], axis=1))
    is_outcome = h_col == len(FUNNEL)
    h_stage = np.where(is_outcome, np.where(won[h_opp], "won", "lost"),
                       np.array(FUNNEL, dtype=object)[np.minimum(h_col, len(FUNNEL) - 1)])
    h_day = np.where(is_outcome, outcome_day[h_opp], entered[h_opp, np.minimum(h_col, len(FUNNEL) - 1)])
    current = np.where(closed, np.where(won, "won", "lost"),
                       np.array(FUNNEL, dtype=object)[in_funnel.sum(axis=1) - 1])
    product_row = products_for(opp, o_owner)
    quantity = np.maximum(np.round(opp.gamma(2.0, demand[o_owner] * 0.15 / 2.0), 1), 0.5)
    amount = np.round(quantity * list_price[product_row], 2)
    opp_ids = make_ids("OP", m, 5)
    status = np.where(closed, np.where(won, "won", "lost"), "open")
    opportunities = pd.DataFrame({
        "opportunity_id": opp_ids, "account_id": ids_at(account_ids, o_owner),
        "owner_staff_id": owner[o_owner].astype(str), "product_id": prod.index.to_numpy()[product_row],
        "created_date": to_dates(start, o_created),
        "expected_close": to_dates(start, o_created + opp.integers(30, 121, m)),
        "amount": amount, "stage": current, "status": status,
        "closed_date": pd.Series(to_dates(start, np.where(closed, outcome_day, 0))).where(closed),
    })
    stage_history = pd.DataFrame({"opportunity_id": ids_at(opp_ids, h_opp), "stage": h_stage,
                                  "entered_date": to_dates(start, h_day)})

    # --- orders: won opportunities + repeat business ------------------------------------------
    ordr = rng["orders"]
    won_rows = np.flatnonzero(won & closed)
    rep_rate = np.array([params["repeat_orders_per_year"][c] for c in category])
    n_rep = ordr.poisson(rep_rate * years)
    r_owner = np.repeat(np.arange(n), n_rep)
    r_day = created[r_owner] + ordr.random(len(r_owner)) * (active_end[r_owner] - created[r_owner])
    ord_owner = np.concatenate([o_owner[won_rows], r_owner])
    ord_day = np.concatenate([outcome_day[won_rows], r_day])
    ord_opp = np.concatenate([won_rows, np.full(len(r_owner), -1)])
    order = np.argsort(ord_day, kind="stable")
    ord_owner, ord_day, ord_opp = ord_owner[order], ord_day[order], ord_opp[order]
    k = len(ord_owner)
    staff_limit = staff.set_index("staff_id")["discount_limit"]
    limit = staff_limit.reindex(owner[ord_owner].astype(str)).to_numpy()
    discount = np.round(limit * ordr.random(k) ** 2, 3)
    n_lines = np.where(ord_opp >= 0, 1, np.minimum(1 + ordr.poisson(0.6, k), 3))
    l_order = np.repeat(np.arange(k), n_lines)
    line_no = np.arange(len(l_order)) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines) + 1
    l_product = products_for(ordr, ord_owner[l_order])
    from_opp = ord_opp[l_order] >= 0
    l_product[from_opp] = product_row[ord_opp[l_order][from_opp]]
    per_order = demand[ord_owner[l_order]] / np.maximum(rep_rate[ord_owner[l_order]], 0.5) / n_lines[l_order]
    l_qty = np.maximum(np.round(ordr.gamma(2.0, per_order / 2.0), 1), 0.1)
    l_qty[from_opp] = quantity[ord_opp[l_order][from_opp]]
    order_ids = make_ids("O", k, 6)
    order_lines = pd.DataFrame({"order_id": ids_at(order_ids, l_order), "line_no": line_no,
                                "product_id": prod.index.to_numpy()[l_product], "quantity": l_qty,
                                "unit_price": list_price[l_product]})
    order_total = np.round(np.bincount(l_order, weights=l_qty * list_price[l_product], minlength=k) * (1 - discount), 2)

    # --- receivables ---------------------------------------------------------------------------
    rec = rng["receivables"]
    invoice_day = ord_day + rec.uniform(3, 15, k)
    invoiced = invoice_day <= period_end
    terms = cats["payment_days"].to_numpy()[cat_code][ord_owner]
    lateness = rec.gamma(1.5, 10.0 * (1.5 - satisfaction[ord_owner]), k)  # unhappy accounts pay later
    paid_day = invoice_day + terms * rec.uniform(0.6, 1.0, k) + np.where(rec.random(k) < 0.4, lateness, 0.0)
    bad_debt = rec.random(k) < 0.03
    paid = invoiced & ~bad_debt & (paid_day <= period_end)
    age = period_end - ord_day
    ord_status = np.where(paid, "paid", np.where(invoiced, "invoiced", np.where(age < 3, "confirmed", "shipped")))
    orders = pd.DataFrame({
        "order_id": order_ids, "account_id": ids_at(account_ids, ord_owner),
        "opportunity_id": pd.Series(np.where(ord_opp >= 0, opp_ids.to_numpy()[np.maximum(ord_opp, 0)], None), dtype="str"),
        "staff_id": owner[ord_owner].astype(str), "order_date": to_dates(start, ord_day), "status": ord_status,
        "discount": discount,
    })
    inv_rows = np.flatnonzero(invoiced)
    receivables = pd.DataFrame({
        "invoice_id": make_ids("INV", len(inv_rows), 6), "order_id": order_ids.to_numpy()[inv_rows],
        "account_id": account_ids.to_numpy()[ord_owner[inv_rows]],
        "invoice_date": to_dates(start, invoice_day[inv_rows]),
        "due_date": to_dates(start, invoice_day[inv_rows] + terms[inv_rows]),
        "amount": order_total[inv_rows],
        "paid_date": pd.Series(to_dates(start, np.where(paid, paid_day, 0)[inv_rows])).where(paid[inv_rows]),
    })

    # --- service requests ----------------------------------------------------------------------
    svc = rng["service"]
    sp = params["service"]
    req_rate = cats["requests_per_year"].to_numpy()[cat_code] * (0.5 + 1.5 * (1 - satisfaction))
    n_req = svc.poisson(req_rate * years)
    s_owner = np.repeat(np.arange(n), n_req)
    q = len(s_owner)
    opened = created[s_owner] + svc.random(q) * (active_end[s_owner] - created[s_owner])
    order = np.argsort(opened, kind="stable")
    s_owner, opened = s_owner[order], opened[order]
    kinds = list(sp["kind"])
    probs = np.tile(np.array(list(sp["kind"].values())), (q, 1))
    probs[:, kinds.index("complaint")] *= 0.4 + 1.6 * (1 - satisfaction[s_owner])
    probs /= probs.sum(axis=1, keepdims=True)
    kind_code = _choose_rows(svc, probs)
    is_complaint = kind_code == kinds.index("complaint")
    first_response = np.minimum(opened + lognormal_hours(svc, sp["response_hours_median"], q), period_end)
    escalated = svc.random(q) < sp["escalated_share"] * (1 + is_complaint)
    resolved_day = first_response + lognormal_hours(svc, sp["resolution_hours_median"], q) * (1 + escalated)
    resolved = (svc.random(q) >= sp["unresolved_share"]) & (resolved_day <= period_end)
    recorded = svc.random(q) >= sp["omission_rate"]
    surveyed = resolved & (svc.random(q) < sp["surveyed_share"])
    p_sat = np.clip(0.2 + 0.6 * satisfaction[s_owner] - 0.15 * escalated, 0, 1)
    satisfied = pd.array(svc.random(q) < p_sat, dtype="boolean")
    satisfied[~surveyed] = pd.NA
    service_requests = pd.DataFrame({
        "ticket_id": make_ids("SR", q, 5), "account_id": ids_at(account_ids, s_owner),
        "opened_at": to_datetimes(start, opened), "kind": pd.Categorical.from_codes(kind_code, categories=kinds),
        "first_response_at": to_datetimes(start, first_response),
        "resolved_at": pd.Series(to_datetimes(start, resolved_day)).where(resolved),
        "escalated": escalated, "recorded": recorded, "satisfied": satisfied,
    })

    tables = {"accounts": accounts, "contacts": contacts, "products": products, "departments": departments,
              "staff": staff, "opportunities": opportunities, "stage_history": stage_history, "orders": orders,
              "order_lines": order_lines, "receivables": receivables, "service_requests": service_requests,
              "truth": truth}
    tables = {name: apply_dtypes(frame, TABLES["b2b"][name]) for name, frame in tables.items()}
    truth_parameters = {"stage_win_prob": {k: float(v) for k, v in win.items()}}
    return tables, truth_parameters
