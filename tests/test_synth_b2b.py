"""The b2b world: integrity, customer-category rules, the sales funnel, orders, receivables, service."""
import numpy as np
import pandas as pd
import pytest

from crmlab.synth import generate
from crmlab.synth.scenarios import B2B

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")
FUNNEL = ["lead", "qualified", "proposal", "negotiation"]


@pytest.fixture(scope="module")
def world():
    return generate("b2b", 400, seed=3)


@pytest.fixture(scope="module")
def big():
    return generate("b2b", 6000, seed=8, locale="zh_CN")


KEYS = {"accounts": "account_id", "contacts": "contact_id", "products": "product_id", "departments": "department_id",
        "staff": "staff_id", "opportunities": "opportunity_id", "orders": "order_id", "receivables": "invoice_id",
        "service_requests": "ticket_id", "truth": "account_id"}
FOREIGN = [("accounts", "owner_staff_id", "staff", "staff_id"), ("contacts", "account_id", "accounts", "account_id"),
           ("staff", "department_id", "departments", "department_id"),
           ("opportunities", "account_id", "accounts", "account_id"),
           ("opportunities", "owner_staff_id", "staff", "staff_id"),
           ("opportunities", "product_id", "products", "product_id"),
           ("stage_history", "opportunity_id", "opportunities", "opportunity_id"),
           ("orders", "account_id", "accounts", "account_id"), ("orders", "opportunity_id", "opportunities", "opportunity_id"),
           ("orders", "staff_id", "staff", "staff_id"), ("order_lines", "order_id", "orders", "order_id"),
           ("order_lines", "product_id", "products", "product_id"), ("receivables", "order_id", "orders", "order_id"),
           ("receivables", "account_id", "accounts", "account_id"),
           ("service_requests", "account_id", "accounts", "account_id"), ("truth", "account_id", "accounts", "account_id")]


def test_keys_unique(world):
    for table, key in KEYS.items():
        assert world[table][key].is_unique and world[table][key].notna().all(), table
    assert not world["stage_history"].duplicated(["opportunity_id", "stage"]).any()
    assert not world["order_lines"].duplicated(["order_id", "line_no"]).any()


@pytest.mark.parametrize("table, column, target, key", FOREIGN)
def test_every_foreign_key_resolves(world, table, column, target, key):
    values = world[table][column].dropna()
    assert len(values) > 0
    assert values.isin(world[target][key]).all()


def test_receivable_account_is_the_order_account(world):
    r = world["receivables"].merge(world["orders"][["order_id", "account_id"]], on="order_id", suffixes=("", "_order"))
    assert (r["account_id"] == r["account_id_order"]).all()


def test_every_category_and_its_rule(world):
    a = world["accounts"]
    assert set(a["category"]) == {"consumer", "business", "channel", "government", "service", "internal"}
    assert (a.loc[a["category"] == "channel", "buys_for"] == "resale").all()
    assert (a.loc[a["category"] == "government", "buys_for"] == "public_project").all()
    assert (a["same_group"] == (a["category"] == "internal")).all()
    assert (a.loc[a["category"] == "consumer", "industry"] == "household").all()
    truth = world["truth"].set_index("account_id")["true_category_reason"]
    reasons = a.set_index("account_id")["category"].map(B2B["category_reason"])
    assert (truth == reasons).all()


def test_dates_inside_the_period(world):
    """Event dates lie in [start, end]; expected_close and due_date are plans and may lie beyond."""
    day_end = END + pd.Timedelta(days=1)
    for table, cols in [("accounts", ["created_date"]), ("opportunities", ["created_date", "closed_date"]),
                        ("stage_history", ["entered_date"]), ("orders", ["order_date"]),
                        ("receivables", ["invoice_date", "paid_date"]),
                        ("service_requests", ["opened_at", "first_response_at", "resolved_at"]),
                        ("truth", ["true_churn_date"])]:
        for col in cols:
            values = world[table][col].dropna()
            assert values.min() >= START and values.max() < day_end, (table, col)


def test_stage_history_never_skips_a_stage(world):
    h = world["stage_history"]
    o = world["opportunities"].set_index("opportunity_id")
    for opp_id, stages in h.groupby("opportunity_id", sort=False)["stage"]:
        seq = list(stages.astype(str))
        body = seq[:-1] if seq[-1] in ("won", "lost") else seq
        assert body == FUNNEL[:len(body)], seq
        if seq[-1] == "won":
            assert body == FUNNEL
        assert seq[-1] == str(o.loc[opp_id, "stage"])
    dates = h.groupby("opportunity_id", sort=False)["entered_date"]
    assert dates.apply(lambda d: d.is_monotonic_increasing).all()
    assert set(h["opportunity_id"]) == set(o.index)


def test_opportunity_status_agrees_with_stage(world):
    o = world["opportunities"]
    closed = o["status"] != "open"
    assert (o.loc[closed, "stage"].astype(str) == o.loc[closed, "status"].astype(str)).all()
    assert o.loc[~closed, "stage"].isin(FUNNEL).all()
    assert o["closed_date"].notna().eq(closed).all()
    assert (o["amount"] > 0).all()


def test_win_rate_per_stage_matches_the_funnel_table(big):
    """P(eventually won | reached stage k) = 10 %, 25 %, 50 %, 75 % (within 4 binomial standard errors).

    Only opportunities created at least a year before the end are counted: they are all closed,
    so right-censoring does not bias the rate.
    """
    o = big["opportunities"]
    old = o[o["created_date"] < END - pd.Timedelta(days=365)]
    assert (old["status"] != "open").all()
    h = big["stage_history"]
    h = h[h["opportunity_id"].isin(old["opportunity_id"])]
    won = set(old.loc[old["status"] == "won", "opportunity_id"])
    for stage, p in B2B["stage_win_prob"].drop("won").items():
        reached = h.loc[h["stage"] == stage, "opportunity_id"]
        rate = reached.isin(won).mean()
        assert abs(rate - p) < 4 * np.sqrt(p * (1 - p) / len(reached)), (stage, rate, len(reached))


def test_orders_from_won_opportunities(world):
    o = world["opportunities"].set_index("opportunity_id")
    orders = world["orders"]
    from_opp = orders[orders["opportunity_id"].notna()]
    assert from_opp["opportunity_id"].is_unique
    assert set(from_opp["opportunity_id"]) == set(o.index[o["status"] == "won"])
    assert (from_opp["order_date"].to_numpy() == o.loc[from_opp["opportunity_id"], "closed_date"].to_numpy()).all()
    assert (orders["opportunity_id"].isna().sum()) > 0  # repeat business exists


def test_discount_within_staff_limit(world):
    limit = world["staff"].set_index("staff_id")["discount_limit"]
    o = world["orders"]
    assert (o["discount"] >= 0).all()
    assert (o["discount"] <= limit.reindex(o["staff_id"]).to_numpy() + 1e-12).all()


def test_order_lines_and_receivables_add_up(world):
    lines = world["order_lines"]
    assert (lines["quantity"] > 0).all()
    numbering = lines.groupby("order_id")["line_no"].agg(["min", "max", "size"])
    assert (numbering["min"] == 1).all() and (numbering["max"] == numbering["size"]).all()
    gross = (lines["quantity"] * lines["unit_price"]).groupby(lines["order_id"]).sum()
    r = world["receivables"].join(world["orders"].set_index("order_id")["discount"], on="order_id")
    expected = (gross.reindex(r["order_id"]).to_numpy() * (1 - r["discount"].to_numpy())).round(2)
    assert np.allclose(r["amount"], expected, atol=0.011)
    assert (r["due_date"] >= r["invoice_date"]).all()
    paid = r["paid_date"].notna()
    assert (r.loc[paid, "paid_date"] >= r.loc[paid, "invoice_date"]).all()
    status = world["orders"].set_index("order_id")["status"].astype(str)
    assert set(status[r["order_id"]]) <= {"invoiced", "paid"}
    assert (status[r.loc[paid, "order_id"]] == "paid").all()
    assert set(status[~status.index.isin(r["order_id"])]) <= {"confirmed", "shipped"}


def test_products_price_above_cost(world):
    p = world["products"]
    assert (p["unit_cost"] < p["list_price"]).all() and (p["unit"] == "t").all()
    assert set(p["family"]) == {"rebar", "plate", "pipe", "wire", "section"}


def test_one_primary_contact_per_account(world):
    c = world["contacts"]
    assert (c.groupby("account_id")["is_primary"].sum() == 1).all()
    assert set(c["account_id"]) == set(world["accounts"]["account_id"])


def test_service_requests(big):
    s = big["service_requests"]
    assert (s["first_response_at"] >= s["opened_at"]).all()
    done = s["resolved_at"].notna()
    assert (s.loc[done, "resolved_at"] >= s.loc[done, "first_response_at"]).all()
    assert s.loc[~done, "satisfied"].isna().all()
    omission = 1 - s["recorded"].mean()
    rate = B2B["service"]["omission_rate"]
    assert abs(omission - rate) < 4 * np.sqrt(rate * (1 - rate) / len(s))
    sat = s.join(big["truth"].set_index("account_id")["true_satisfaction"], on="account_id")
    happy = sat.loc[sat["satisfied"].notna()]
    assert happy.loc[happy["satisfied"].astype(bool), "true_satisfaction"].mean() > \
        happy.loc[~happy["satisfied"].astype(bool), "true_satisfaction"].mean() + 0.05


def test_no_activity_after_churn(world):
    churn = world["truth"].set_index("account_id")["true_churn_date"]
    for table, col in [("service_requests", "opened_at"), ("opportunities", "created_date")]:
        t = world[table].join(churn, on="account_id")
        gone = t["true_churn_date"].notna()
        assert (t.loc[gone, col] <= t.loc[gone, "true_churn_date"] + pd.Timedelta(days=1)).all()
