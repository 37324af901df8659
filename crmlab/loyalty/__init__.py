"""Loyalty and customer value (客户忠诚与客户终身价值).

Loyalty types and Dick & Basu's matrix (:mod:`.types`), behavioural loyalty measures
(:mod:`.measures`), textbook CLV formulas (:mod:`.clv`), the course's cases (:mod:`.cases`),
retention curves (:class:`ShiftedBetaGeometric`), buy-till-you-die models (:class:`BGNBD`,
:class:`GammaGamma`) with the transaction-log summary they need (:mod:`.summary`), and
loyalty programmes and switching costs (:mod:`.programmes`).
"""
from crmlab.loyalty.bgnbd import BGNBD, simulate_bgnbd
from crmlab.loyalty.cases import dynamic_customer_value, mrs_smith_loss
from crmlab.loyalty.clv import TIMINGS, clv_by_period, finite_horizon_clv, simple_clv
from crmlab.loyalty.gamma_gamma import GammaGamma
from crmlab.loyalty.measures import (cohort_table, cross_buying, customer_lifetime, expected_lifetime,
                                     period_amounts, purchase_counts, purchase_growth, repeat_purchase_rate,
                                     retention_by_period, share_of_wallet)
from crmlab.loyalty.programmes import (DEFAULT_TIERS, simulate_programme, switching_cost_scores,
                                       switching_cost_table)
from crmlab.loyalty.sbg import ShiftedBetaGeometric
from crmlab.loyalty.summary import calibration_holdout_summary, load_cdnow_summary, load_cdnow_transactions
from crmlab.loyalty.types import (dick_basu_segment, dick_basu_table, loyalty_quadrant, loyalty_scores,
                                  loyalty_type_table)

__all__ = [
    "BGNBD", "GammaGamma", "ShiftedBetaGeometric", "simulate_bgnbd",
    "calibration_holdout_summary", "load_cdnow_summary", "load_cdnow_transactions",
    "TIMINGS", "simple_clv", "finite_horizon_clv", "clv_by_period",
    "mrs_smith_loss", "dynamic_customer_value",
    "purchase_counts", "repeat_purchase_rate", "period_amounts", "purchase_growth", "retention_by_period",
    "cohort_table", "customer_lifetime", "expected_lifetime", "cross_buying", "share_of_wallet",
    "loyalty_type_table", "dick_basu_table", "loyalty_quadrant", "dick_basu_segment", "loyalty_scores",
    "DEFAULT_TIERS", "simulate_programme", "switching_cost_table", "switching_cost_scores",
]
