"""Labels shown to students: the codes the classification functions return, in the language in force.

The functions of :mod:`crmlab.classify` return stable English codes (``"consumer"``, ``"Champions"``,
``"problem"``), which code compares and filters on. A table or chart a lesson shows uses the name in
the language in force: :func:`shown` maps codes to names (the Chinese names are the course's own,
see GLOSSARY), :func:`name_map` gives the mapping for ``DataFrame.rename``, and :func:`to_codes` reads
an answer written with either language's names back into codes, so a check accepts both.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlab.i18n import get_language
from crmlab.labels import read_back

# Short Chinese names of the customer categories, as the course lists them (客户范畴).
_CATEGORY_ZH = {"consumer": "消费者客户", "business": "企业客户", "channel": "中间商客户",
                "government": "政府客户", "service": "服务型客户", "internal": "内部客户"}
# Other ways a student may write a category in Chinese.
_CATEGORY_ALIASES = {"消费者": "consumer", "个人客户": "consumer", "消费者（个人）客户": "consumer",
                     "企业": "business", "企业（B2B）客户": "business", "中间商": "channel", "渠道": "channel",
                     "渠道客户": "channel", "分销商": "channel", "代销商": "channel", "政府": "government",
                     "服务型": "service", "内部": "internal"}
_HEADERS_ZH = {"count": "客户数", "sum": "合计", "mean": "平均", "share": "占比", "customers": "客户数",
               "customer_share": "客户占比", "value": "贡献", "value_share": "贡献占比", "true_value": "真实周价值",
               "alive": "仍活跃的比例", "rising": "上升", "falling": "下降", "lapsed": "已流失",
               "complained": "有投诉", "segment": "细分", "category": "客户类型", "relationship": "关系类型",
               "name": "名称", "description": "说明", "action": "建议行动", "reason": "理由", "frequency": "消费频率",
               "abc_class": "ABC 类别", "value_class": "按贡献", "frequency_class": "按频率", "All": "合计"}


@lru_cache(maxsize=None)
def _zh(kind: str) -> tuple[tuple[str, str], ...]:
    from crmlab.classify.categories import relationship_types
    from crmlab.classify.rfm import default_segment_map
    from crmlab.classify.tiers import PROFIT_TIERS_ZH, STATUSES_ZH, VALUE_TIERS_ZH

    if kind == "category":
        table = _CATEGORY_ZH
    elif kind == "relationship":
        table = relationship_types()["name_zh"].to_dict()
    elif kind == "segment":
        table = default_segment_map().drop_duplicates("segment").set_index("segment")["segment_zh"].to_dict()
    elif kind == "tier":
        table = {**VALUE_TIERS_ZH, **PROFIT_TIERS_ZH}
    elif kind == "status":
        table = STATUSES_ZH
    elif kind == "header":
        table = _HEADERS_ZH
    else:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    return tuple(table.items())


KINDS = ("category", "relationship", "segment", "tier", "status", "header")


def name_map(kind: str) -> dict[str, str]:
    """Code → name shown, in the language in force (English: the code itself, so nothing changes).

    ``kind`` is one of ``"category"``, ``"relationship"``, ``"segment"`` (RFM), ``"tier"`` (value and
    profit tiers), ``"status"`` (value change) or ``"header"`` (column headers of summary tables).
    """
    pairs = _zh(kind)
    return {code: (zh if get_language() == "zh" else code) for code, zh in pairs}


def shown(values: pd.Series | pd.Index, kind: str) -> pd.Series | pd.Index:
    """The labels ``values`` as a student should read them: Chinese names in Chinese, codes in English.

    Values with no name (a label of the student's own map) are shown as they are.
    """
    names = name_map(kind)
    return values.map(lambda v: names.get(v, v))


def to_codes(values, kind: str):
    """An answer written with codes, English names or Chinese names, read back into codes.

    Strings, Series and lists are mapped element by element (surrounding spaces dropped); anything
    else is returned unchanged, so a comparator still sees (and names) a wrong type.
    """
    lookup = {zh: code for code, zh in _zh(kind)}
    if kind == "category":
        lookup.update(_CATEGORY_ALIASES)
        from crmlab.classify.categories import customer_categories
        lookup.update({name.lower(): code for code, name in customer_categories()["name"].items()})
    elif kind == "relationship":
        from crmlab.classify.categories import relationship_types
        lookup.update({name.lower(): code for code, name in relationship_types()["name"].items()})

    return read_back(values, lambda key: lookup.get(key, lookup.get(key.lower(), key)))
