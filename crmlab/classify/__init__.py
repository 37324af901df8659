"""Customer classification (客户分类): categories, ABC, RFM and value tiers.

- :func:`customer_category` — consumer / business / channel / government / service / internal (客户类型)
- :func:`abc_classes`, :func:`abc_profile`, :func:`pareto_curve`, :func:`top_share`, :func:`gini` — ABC客户分类
- :func:`rfm_scores`, :func:`rfm_from_summary`, :func:`rfm_segments` — RFM scores (from a transaction log or
  a per-customer table) and the segment map
- :func:`value_tiers`, :func:`profit_pyramid`, :func:`value_change` — 客户分层 and value change
"""
from crmlab.classify.abc import abc_classes, abc_profile, gini, pareto_curve, top_share
from crmlab.classify.categories import (
    customer_categories, customer_category, default_category_rules, relationship_types, steel_exercise,
)
from crmlab.classify.purchases import purchase_summary
from crmlab.classify.rfm import (
    default_segment_map, quantile_score, rfm_from_summary, rfm_scores, rfm_segments, segment_grid,
)
from crmlab.classify.tiers import profit_pyramid, value_change, value_tiers

__all__ = [
    "abc_classes", "abc_profile", "customer_categories", "customer_category", "default_category_rules",
    "default_segment_map", "gini", "pareto_curve", "profit_pyramid", "purchase_summary", "quantile_score",
    "relationship_types", "rfm_from_summary", "rfm_scores", "rfm_segments", "segment_grid", "steel_exercise", "top_share",
    "value_change", "value_tiers",
]
