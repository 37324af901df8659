"""Customer data quality (客户数据质量, lesson 02): completeness, validity, uniqueness, duplicates.

``completeness``/``validity``/``uniqueness`` measure the car dealer's three criteria; ``find_duplicates``
finds the same person entered twice, in one table or across two (several blocking passes + rapidfuzz + pinyin
keys + Fellegi–Sunter) and ``duplicate_metrics`` scores it against a ground truth such as :func:`crmlab.synth.dirty.make_dirty_customers`'s.
"""
from crmlab.quality.duplicates import (
    BLOCKS, ROLES, deduplicate, duplicate_clusters, duplicate_metrics, fellegi_sunter, find_duplicates, name_key,
)
from crmlab.quality.reports import (
    before_after, complete_records, completeness, quality_summary, uniqueness, validity, validity_report,
)
from crmlab.quality.rules import normalise_phone, validity_rules

__all__ = [
    "BLOCKS", "ROLES", "before_after", "complete_records", "completeness", "deduplicate", "duplicate_clusters",
    "duplicate_metrics", "fellegi_sunter", "find_duplicates", "name_key", "normalise_phone", "quality_summary",
    "uniqueness", "validity", "validity_report", "validity_rules",
]
