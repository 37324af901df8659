"""Scenario parameters: every number a generator draws from, one readable table per scenario.

Generators are pure functions of (these parameters, size, seed). To change a world, change it
here; the datasheet (datasets/README.md) quotes these values.
"""
from __future__ import annotations

import pandas as pd

# Price level of the world's currency relative to USD prices of the same basket.
CURRENCY = {"en_US": ("USD", 1.0), "zh_CN": ("CNY", 4.0)}

RETAIL = {
    # Latent purchase process (BG/NBD, Fader, Hardie & Lee 2005): λ ~ Gamma(r, α) per week,
    # dropout after each repeat purchase with p ~ Beta(a, b).
    "purchase_rate": {"r": 1.2, "alpha": 4.0},  # mean λ = r / α = 0.3 purchases a week
    "dropout": {"a": 2.0, "b": 20.0},  # mean p = a / (a + b) ≈ 0.09
    # Spend per transaction (Gamma-Gamma, Fader, Hardie & Lee 2005b): z ~ Gamma(p, ν), ν ~ Gamma(q, γ);
    # the customer's mean spend is p / ν, with population mean p γ / (q - 1) = 50 (USD).
    "spend": {"p": 6.0, "q": 4.0, "gamma": 25.0},
    # Seasonal multipliers of the weekly purchase rate around each locale's holidays:
    # (month, day) of the peak, width in days, height above the base rate.
    "seasonality": {
        "en_US": [("christmas", (12, 18), 10, 0.8), ("thanksgiving", (11, 27), 4, 0.5), ("back_to_school", (8, 20), 10, 0.2)],
        "zh_CN": [("double_11", (11, 11), 3, 1.5), ("618", (6, 18), 3, 0.6), ("spring_festival", None, 10, 0.9)],
    },
    # Chinese New Year's Eve (除夕) moves with the lunar calendar.
    "spring_festival_eve": {2022: "2022-01-31", 2023: "2023-01-21", 2024: "2024-02-09", 2025: "2025-01-28",
                            2026: "2026-02-16", 2027: "2027-02-05", 2028: "2028-01-25", 2029: "2029-02-12",
                            2030: "2030-02-02", 2021: "2021-02-11", 2020: "2020-01-24"},
    "acquisition_channel": {"store": 0.45, "online": 0.30, "referral": 0.10, "campaign": 0.15},
    "online_share": {"store": 0.15, "online": 0.75, "referral": 0.35, "campaign": 0.40},
    "category": pd.DataFrame({
        "share": [0.35, 0.30, 0.18, 0.07, 0.10],
        "item_price": [4.0, 5.0, 8.0, 60.0, 25.0],  # USD per item, for n_items
    }, index=pd.Index(["fresh", "grocery", "household", "electronics", "clothing"], name="category")),
    # Member tier from spend in the last 365 days (USD; multiplied by the currency's price level).
    "tier_thresholds": {"silver": 300.0, "gold": 1000.0, "platinum": 2500.0},
    "points_per_unit": 1.0,  # one point per currency unit spent
    # Loyalty type (客户忠诚的类型) placed by attachment × repeat purchase; share among the
    # low-attachment, high-repeat customers (monopoly, inertia, incentive loyalty), and mean
    # switching cost per type. Price loyalty is low attachment × low repeat (price_loyal_share).
    "loyalty": pd.DataFrame({
        "share_low_attachment": [0.20, 0.50, 0.0, 0.30, 0.0, 0.0],
        "switching_cost": [0.85, 0.55, 0.15, 0.35, 0.60, 0.10],
        "points_redeemed": [0.2, 0.1, 0.3, 0.8, 0.3, 0.2],  # share of earned points already spent
    }, index=pd.Index(["monopoly", "inertia", "price", "incentive", "trust", "none"], name="loyalty_type")),
    "price_loyal_share": 0.4,  # of the low-attachment, low-repeat customers: loyal to the lowest price
    "repeat_quantile": 0.5,  # λ above this population quantile counts as high repeat purchase
    "attachment_threshold": 0.6,
    # Latent satisfaction (0–1) is a normal score through Φ; dropout probability is tied to it by
    # a Gaussian copula with this correlation (negative: dissatisfied customers leave sooner).
    "satisfaction_dropout_corr": -0.5,
    "satisfaction_attachment_corr": 0.6,
    "survey_share": 0.15,  # customers who answer one satisfaction survey
    "survey_attributes": ["quality", "price", "service", "range", "convenience"],
    # Tickets per customer per year: base rate, and how much dissatisfaction multiplies it.
    "tickets": {"rate_per_year": 0.25, "dissatisfaction_multiplier": 4.0,
                "kind": {"complaint": 0.35, "inquiry": 0.35, "return": 0.20, "repair": 0.10},
                "channel": {"phone": 0.45, "online": 0.40, "store": 0.15},
                "response_hours_median": 6.0, "resolution_hours_median": 48.0,
                "unresolved_share": 0.06, "surveyed_share": 0.6},
    "female_share": 0.55,
    "birth_years": (1950, 2005),
}

B2B = {
    # Account categories (客户类型) and what makes each recognisable by rules.
    "categories": pd.DataFrame({
        "share": [0.10, 0.40, 0.20, 0.08, 0.12, 0.10],
        "same_group": [False, False, False, False, False, True],
        "opportunities_per_year": [0.4, 1.5, 2.0, 1.0, 0.8, 1.0],
        "annual_demand_t": [30.0, 2500.0, 6000.0, 1500.0, 400.0, 8000.0],  # mean tonnes a year
        "credit_limit": [0.0, 500_000.0, 1_000_000.0, 800_000.0, 200_000.0, 2_000_000.0],  # USD
        "payment_days": [0, 60, 45, 90, 60, 30],
        "requests_per_year": [0.5, 2.0, 3.0, 1.5, 1.0, 1.0],
    }, index=pd.Index(["consumer", "business", "channel", "government", "service", "internal"], name="category")),
    # Why an account is in its category: the rule a student should find (truth.true_category_reason).
    "category_reason": {
        "consumer": "an individual buying for their own use (e.g. a farmer building a house)",
        "business": "a company buying for its own production or project",
        "channel": "a distributor buying to resell",
        "government": "a public body buying for a public project",
        "service": "a service organisation (hospital, school, hotel) buying for its own facilities",
        "internal": "a company of the same group (internal customer)",
    },
    "buys_for": {"household": "own_use", "construction": "own_use", "real_estate": "own_use",
                 "automotive": "production", "machinery": "production", "shipbuilding": "production",
                 "distribution": "resale", "public_works": "public_project", "healthcare": "own_use",
                 "education": "own_use", "hospitality": "own_use"},
    "group_name": {"en_US": "Ironbridge", "zh_CN": "华钢"},  # the supplier's own group, for internal customers
    "legacy_share": 0.5,  # accounts already in the CRM on the first day (created_date = start)
    "industries": {
        "consumer": ["household"],
        "business": ["construction", "automotive", "machinery", "shipbuilding", "real_estate"],
        "channel": ["distribution"],
        "government": ["public_works"],
        "service": ["healthcare", "education", "hospitality"],
        "internal": ["automotive", "machinery"],
    },
    # Relationship (关系类型) probabilities per category: buyer_seller, preferred_supplier, partner, strategic_alliance.
    "relationship": pd.DataFrame(
        [[0.95, 0.05, 0.0, 0.0], [0.45, 0.30, 0.18, 0.07], [0.20, 0.30, 0.40, 0.10],
         [0.50, 0.40, 0.10, 0.0], [0.60, 0.30, 0.10, 0.0], [0.0, 0.10, 0.30, 0.60]],
        index=pd.Index(["consumer", "business", "channel", "government", "service", "internal"], name="category"),
        columns=["buyer_seller", "preferred_supplier", "partner", "strategic_alliance"]),
    # The sales funnel (销售漏斗): probability that an opportunity at this stage is eventually won.
    "stage_win_prob": pd.Series({"lead": 0.10, "qualified": 0.25, "proposal": 0.50, "negotiation": 0.75, "won": 1.0},
                                name="win_prob"),
    "stage_days_mean": pd.Series({"lead": 10.0, "qualified": 14.0, "proposal": 21.0, "negotiation": 14.0}),
    "repeat_orders_per_year": {"consumer": 0.3, "business": 3.0, "channel": 6.0, "government": 1.0, "service": 1.0, "internal": 8.0},
    "products": pd.DataFrame({
        "family": ["rebar", "rebar", "rebar", "plate", "plate", "plate", "pipe", "pipe", "wire", "wire", "section", "section"],
        "spec": ["HRB400 Φ12", "HRB400 Φ16", "HRB500 Φ25", "Q235B 10mm", "Q345B 20mm", "Q355D 40mm",
                 "DN50 3.5mm", "DN200 6mm", "Q195 Φ6.5", "SWRH82B Φ12.5", "HW200×200", "HN400×200"],
        "list_price": [560.0, 555.0, 590.0, 620.0, 660.0, 720.0, 700.0, 740.0, 540.0, 680.0, 640.0, 655.0],  # USD/t
        "cost_ratio": [0.86, 0.86, 0.84, 0.85, 0.83, 0.80, 0.82, 0.81, 0.88, 0.80, 0.84, 0.84],
    }, index=pd.Index([f"P{i:03d}" for i in range(1, 13)], name="product_id")),
    "product_mix": {"consumer": ["rebar", "section"], "business": ["plate", "section", "pipe", "rebar"],
                    "channel": ["rebar", "wire", "pipe", "plate", "section"], "government": ["rebar", "section", "pipe"],
                    "service": ["pipe", "rebar", "section"], "internal": ["plate", "wire"]},
    # Staff: (department, role, discount limit, count per 100 accounts, minimum).
    "staff": pd.DataFrame({
        "department_id": ["D01", "D02", "D03", "D01", "D04", "D05", "D06"],
        "role": ["sales_rep", "sales_rep", "sales_rep", "sales_manager", "service_agent", "finance", "director"],
        "discount_limit": [0.03, 0.05, 0.05, 0.10, 0.0, 0.0, 0.15],
        "per_100_accounts": [2.0, 1.0, 1.0, 0.5, 1.0, 0.5, 0.1],
        "minimum": [3, 1, 1, 1, 2, 1, 1],
    }),
    "churn_per_year": {"consumer": 0.5, "business": 0.08, "channel": 0.10, "government": 0.05, "service": 0.08, "internal": 0.0},
    "service": {"kind": {"complaint": 0.30, "inquiry": 0.30, "repair": 0.15, "delivery": 0.25},
                "response_hours_median": 8.0, "resolution_hours_median": 72.0, "escalated_share": 0.12,
                "omission_rate": 0.05, "unresolved_share": 0.05, "surveyed_share": 0.7},
}

SCENARIOS = {"retail": RETAIL, "b2b": B2B}
