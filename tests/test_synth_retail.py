"""The retail world: integrity, ranges, dates, and the latent truth matching its parameters."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crmlab.synth import generate
from crmlab.synth.scenarios import RETAIL

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-31")


@pytest.fixture(scope="module")
def world():
    return generate("retail", 3000, seed=11)


@pytest.fixture(scope="module")
def big():
    """20,000 customers: enough for the latent distributions to be checked within a few standard errors."""
    return generate("retail", 20_000, seed=5, locale="zh_CN")


def test_tables_and_keys(world):
    assert list(world.tables) == ["customers", "transactions", "survey", "tickets", "truth"]
    for table, key in [("customers", "customer_id"), ("transactions", "transaction_id"), ("survey", "response_id"),
                       ("tickets", "ticket_id"), ("truth", "customer_id")]:
        assert world[table][key].is_unique
        assert world[table][key].notna().all()
    assert world["customers"]["customer_id"].iloc[0] == "C000001"
    assert len(world["customers"]) == 3000


def test_referential_integrity(world):
    ids = set(world["customers"]["customer_id"])
    for table in ["transactions", "survey", "tickets", "truth"]:
        assert set(world[table]["customer_id"]) <= ids
    assert list(world["truth"]["customer_id"]) == list(world["customers"]["customer_id"])
    # Every customer makes a first (trial) purchase on the sign-up day.
    first = world["transactions"].groupby("customer_id")["date"].min()
    signup = world["customers"].set_index("customer_id")["signup_date"]
    assert (first.reindex(signup.index) == signup).all()


def test_no_latent_column_leaks_into_observed_tables(world):
    for name, table in world.tables.items():
        if name != "truth":
            assert not [c for c in table.columns if c.startswith("true_")]


def test_dtypes(world):
    c, t = world["customers"], world["transactions"]
    assert str(c["customer_id"].dtype) == "str"
    assert c["signup_date"].dtype.kind == "M" and t["date"].dtype.kind == "M"
    assert isinstance(c["member_tier"].dtype, pd.CategoricalDtype) and c["member_tier"].cat.ordered
    assert list(c["member_tier"].cat.categories) == ["basic", "silver", "gold", "platinum"]
    assert world["tickets"]["resolved"].dtype == bool
    assert str(world["tickets"]["satisfied"].dtype) == "boolean"


def test_value_ranges(world):
    t, s = world["transactions"], world["survey"]
    assert (t["amount"] > 0).all() and (t["n_items"] >= 1).all()
    assert (t["amount"] == t["amount"].round(2)).all()
    assert s["overall"].between(1, 10).all() and s["recommend"].between(0, 10).all()
    likert = [c for c in s.columns if c.split("_")[0] in {"expect", "perceive", "importance"}]
    assert len(likert) == 15
    assert s[likert + ["repurchase_intent", "attachment"]].apply(lambda col: col.between(1, 7).all()).all()
    truth = world["truth"]
    for col in ["true_satisfaction", "true_attachment", "true_switching_cost", "true_dropout_prob"]:
        assert truth[col].between(0, 1).all()
    assert (truth["true_purchase_rate"] > 0).all() and (truth["true_mean_spend"] > 0).all()
    assert world["customers"]["birth_year"].between(1950, 2005).all()
    assert set(world["customers"]["gender"]) <= {"F", "M"}


def test_dates_inside_the_period(world):
    day_end = END + pd.Timedelta(days=1)
    for table, cols in [("customers", ["signup_date"]), ("transactions", ["date"]), ("survey", ["date"]),
                        ("tickets", ["opened_at", "first_response_at", "resolved_at"]), ("truth", ["true_dropout_date"])]:
        for col in cols:
            values = world[table][col].dropna()
            assert values.min() >= START and values.max() < day_end, (table, col)
    k = world["tickets"]
    assert (k["first_response_at"] >= k["opened_at"]).all()
    done = k["resolved_at"].notna()
    assert (k.loc[done, "resolved_at"] >= k.loc[done, "first_response_at"]).all()
    assert (k["resolved"] == done).all()
    assert k.loc[~k["resolved"], "satisfied"].isna().all()


def test_dropout_follows_the_last_purchase(world):
    """BG/NBD: a customer leaves right after a repeat purchase, so the last purchase is the dropout day."""
    truth = world["truth"].set_index("customer_id")
    last = world["transactions"].groupby("customer_id")["date"].max()
    gone = truth.index[~truth["true_alive"]]
    assert len(gone) > 100
    assert (last[gone] == truth.loc[gone, "true_dropout_date"]).all()
    assert truth["true_dropout_date"].isna().eq(truth["true_alive"]).all()


def test_member_tier_from_last_year_spend(world):
    """Tier thresholds (USD 300 / 1,000 / 2,500) applied to spend in the last 365 days, recomputed here."""
    t = world["transactions"]
    recent = t[t["date"] > END - pd.Timedelta(days=365)]
    spend = recent.groupby("customer_id")["amount"].sum().reindex(world["customers"]["customer_id"], fill_value=0)
    expected = pd.cut(spend.to_numpy(), [-np.inf, 300, 1000, 2500, np.inf], right=False,
                      labels=["basic", "silver", "gold", "platinum"])
    # A spend within a cent of a threshold may fall either side (sum order); allow none of those to differ.
    near = np.isclose(spend.to_numpy()[:, None], [300, 1000, 2500], atol=0.01).any(axis=1)
    got = world["customers"]["member_tier"].astype(str).to_numpy()
    assert (got[~near] == np.asarray(expected.astype(str))[~near]).all()


def test_latent_purchase_and_dropout_match_parameters(big):
    """Sample moments against the Gamma(r, α) and Beta(a, b) they were drawn from (4 standard errors)."""
    truth, n = big["truth"], len(big["truth"])
    r, alpha = RETAIL["purchase_rate"]["r"], RETAIL["purchase_rate"]["alpha"]  # 1.2, 4.0
    lam = truth["true_purchase_rate"]
    assert abs(lam.mean() - r / alpha) < 4 * np.sqrt(r) / alpha / np.sqrt(n)
    assert abs(lam.var() - r / alpha**2) < 0.05 * r / alpha**2
    a, b = RETAIL["dropout"]["a"], RETAIL["dropout"]["b"]  # 2, 20
    sd_p = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert abs(truth["true_dropout_prob"].mean() - a / (a + b)) < 4 * sd_p / np.sqrt(n)
    assert stats.kstest(truth["true_dropout_prob"], stats.beta(a, b).cdf).pvalue > 1e-3


def test_latent_spend_matches_gamma_gamma(big):
    """E[p/ν] = pγ/(q−1), Var = p²γ²/((q−1)²(q−2)); γ is scaled by the CNY price level (4)."""
    p, q, gamma = RETAIL["spend"]["p"], RETAIL["spend"]["q"], RETAIL["spend"]["gamma"] * 4.0
    assert big.meta["truth_parameters"]["gamma"] == gamma
    spend = big["truth"]["true_mean_spend"]
    mean = p * gamma / (q - 1)  # 6 · 100 / 3 = 200 CNY
    sd = p * gamma / ((q - 1) * np.sqrt(q - 2))
    assert abs(spend.mean() - mean) < 4 * sd / np.sqrt(len(spend))
    # Observed amounts of frequent buyers average to their true mean spend (z has sd mean/√p).
    t = big["transactions"].groupby("customer_id")["amount"].agg(["mean", "size"])
    frequent = t[t["size"] >= 30].join(big["truth"].set_index("customer_id")["true_mean_spend"])
    assert ((frequent["mean"] / frequent["true_mean_spend"] - 1).abs() < 4 / np.sqrt(p * frequent["size"])).mean() > 0.99


def test_satisfaction_drives_dropout_through_the_copula(big):
    """Gaussian copula with ρ = −0.5: Spearman's rho = (6/π)·asin(ρ/2) = −0.4826."""
    rho = RETAIL["satisfaction_dropout_corr"]
    expected = 6 / np.pi * np.arcsin(rho / 2)
    got = stats.spearmanr(big["truth"]["true_satisfaction"], big["truth"]["true_dropout_prob"]).statistic
    assert abs(got - expected) < 0.03


def test_satisfaction_shows_in_surveys_and_complaints(big):
    truth = big["truth"].set_index("customer_id")
    s = big["survey"].join(truth["true_satisfaction"], on="customer_id")
    assert stats.spearmanr(s["overall"], s["true_satisfaction"]).statistic > 0.6
    gap = s["perceive_quality"] - s["expect_quality"]
    assert stats.spearmanr(gap, s["true_satisfaction"]).statistic > 0.3
    k = big["tickets"].join(truth["true_satisfaction"], on="customer_id")
    low = k["true_satisfaction"] < 0.3
    share_low = (k.loc[low, "kind"] == "complaint").mean()
    share_high = (k.loc[k["true_satisfaction"] > 0.7, "kind"] == "complaint").mean()
    assert share_low > share_high + 0.1


def test_loyalty_types_follow_attachment_and_repeat_purchase(big):
    truth = big["truth"]
    r, alpha = RETAIL["purchase_rate"]["r"], RETAIL["purchase_rate"]["alpha"]
    median_rate = stats.gamma.median(r, scale=1 / alpha)
    high_repeat = truth["true_purchase_rate"] >= median_rate
    high_attach = truth["true_attachment"] >= 0.6
    kind = truth["true_loyalty_type"].astype(str)
    # The course's placement (seeds/000, 客户忠诚的类型): trust = high attachment × high repeat;
    # monopoly, inertia, incentive = low × high; price = low attachment × low repeat.
    assert (kind[high_repeat & high_attach] == "trust").all()
    assert set(kind[high_repeat & ~high_attach]) == {"monopoly", "inertia", "incentive"}
    assert set(kind[~high_repeat & ~high_attach]) == {"price", "none"}
    assert (kind[~high_repeat & high_attach] == "none").all()
    share_price = (kind[~high_repeat & ~high_attach] == "price").mean()
    assert abs(share_price - RETAIL["price_loyal_share"]) < 0.03
    costs = truth.groupby(kind)["true_switching_cost"].mean()
    assert costs["monopoly"] > costs["inertia"] > costs["price"]


def test_seasonality_double_11(big):
    """zh_CN: the Double 11 (双十一) week sells clearly more than the October weeks before it."""
    days = big["transactions"]["date"].value_counts()
    for year in (2023, 2024, 2025):
        peak = days[(days.index >= f"{year}-11-09") & (days.index <= f"{year}-11-13")].mean()
        base = days[(days.index >= f"{year}-10-01") & (days.index <= f"{year}-10-31")].mean()
        assert peak > 1.8 * base


def test_transactions_per_customer_scale(world):
    """Sizing for the 1,000,000-customer benchmark: about 10 transactions a customer."""
    assert 8 < len(world["transactions"]) / len(world["customers"]) < 12
