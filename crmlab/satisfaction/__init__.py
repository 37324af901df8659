"""Customer satisfaction measurement (客户满意度的衡量): ratio, indicators, surveys, IPA, Kano, index models.

Lessons 06–10 use these: C = b/a and delivered value (:mod:`.ratio`), the course's
indicators (:mod:`.indicators`), Likert/NPS tools (:mod:`.survey`), SERVQUAL gaps
(:mod:`.servqual`), the importance–satisfaction matrix (:mod:`.ipa`), the Kano model
(:mod:`.kano`) and PLS path models for the ACSI/ECSI/SCSB/CCSI indices (:mod:`.pls`,
:mod:`.index_models`).
"""
from crmlab.satisfaction.index_models import (
    ACSI, CCSI, ECSI, ECSI_MOBI_BLOCKS, INDEX_MODELS, SCSB, IndexModel, load_ecsi_mobi,
)
from crmlab.satisfaction.indicators import (
    complaint_rate, name_recall, price_elasticity, price_sensitivity, purchase_amount, repeat_purchases,
    reputation, return_rate,
)
from crmlab.satisfaction.ipa import QUADRANTS, derived_importance, importance_satisfaction
from crmlab.satisfaction.kano import (
    EVALUATION_TABLE, better_worse, kano_category, kano_counts, kano_scores, kano_table,
)
from crmlab.satisfaction.pls import PathModel
from crmlab.satisfaction.ratio import delivered_value, satisfaction_level, satisfaction_ratio
from crmlab.satisfaction.servqual import SERVQUAL_ITEMS, servqual_gaps
from crmlab.satisfaction.survey import likert_summary, nps, nps_groups, reverse_score, straightliners

__all__ = [
    "ACSI", "CCSI", "ECSI", "ECSI_MOBI_BLOCKS", "EVALUATION_TABLE", "INDEX_MODELS", "QUADRANTS", "SCSB",
    "SERVQUAL_ITEMS", "IndexModel", "PathModel", "better_worse", "complaint_rate", "delivered_value",
    "derived_importance", "importance_satisfaction", "kano_category", "kano_counts", "kano_scores", "kano_table",
    "likert_summary", "load_ecsi_mobi", "name_recall", "nps", "nps_groups", "price_elasticity",
    "price_sensitivity", "purchase_amount", "repeat_purchases", "reputation", "return_rate", "reverse_score",
    "satisfaction_level", "satisfaction_ratio", "servqual_gaps", "straightliners",
]
