"""Chinese display names of the satisfaction lessons' data labels (属性、卡诺功能、象限、满意水平 …).

Code keeps the English identifiers (``"quality"``, ``"fresh_produce"``, ``"dissatisfied"``); tables and
charts a Chinese lesson shows pass through :func:`localise`, which renames index, columns and label
values by the table below when the language in force is Chinese, and changes nothing in English.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from crmlab.i18n import get_language
from crmlab.labels import localise_table

NAMES_ZH: dict[str, str] = {
    # survey attributes (lessons 06–08)
    "quality": "商品质量", "price": "价格", "service": "服务", "range": "品类", "convenience": "便利性",
    # satisfaction levels (lesson 06) and NPS groups (lesson 07)
    "dissatisfied": "不满意", "ordinary": "一般", "satisfied": "满意",
    "detractor": "贬损者", "passive": "被动者", "promoter": "推荐者",
    # importance–satisfaction quadrants (lesson 08)
    "concentrate": "重点改进区", "keep_up": "优势保持区", "low_priority": "次要改进区", "overkill": "过度投入区",
    "importance": "重要性", "satisfaction": "满意度", "quadrant": "象限",
    "stated": "直接询问", "correlation": "相关系数", "regression": "回归系数",
    # SERVQUAL dimensions (lesson 07)
    "tangibles": "有形性", "reliability": "可靠性", "responsiveness": "响应性", "assurance": "保证性",
    "empathy": "移情性", "dimension": "维度", "item": "题号", "negative_1988": "反向措辞（1988）",
    # Kano features and answers (lesson 09)
    "fresh_produce": "生鲜新鲜", "clean_store": "店内整洁", "short_queues": "排队时间短",
    "helpful_staff": "店员热心", "free_wifi": "免费无线网络", "self_checkout": "自助收银",
    "home_delivery": "送货上门", "background_music": "背景音乐",
    "like": "喜欢", "must-be": "理应如此", "neutral": "无所谓", "live-with": "能忍受", "dislike": "不喜欢",
    "functional": "具备时（正向问题）", "dysfunctional": "不具备时（反向问题）",
    "category": "类别", "truth": "真实类别", "better": "Better", "worse": "Worse",
    # delivered value (lesson 06)
    "product": "产品价值", "personnel": "人员价值", "image": "形象价值",
    "money": "货币成本", "time": "时间成本", "energy": "精神成本", "effort": "体力成本",
    "total_value": "顾客总价值", "total_cost": "顾客总成本", "delivered_value": "客户让渡价值",
    "level": "满意水平", "C": "C", "respondent": "受访者", "attribute": "属性", "shopper": "顾客", "store": "超市",
    # expectation model (lesson 06)
    "expectation": "期望 a", "first_buyers": "首次购买人数", "repurchase_rate": "重复购买率",
    "repeat_buyers": "重复购买人数", "total_purchases": "购买总数",
}
NAMES_ZH.update({f"{side}_{a}": f"{zh}：{NAMES_ZH[a]}" for side, zh in
                 [("expect", "期望"), ("perceive", "感知"), ("importance", "重要性")]
                 for a in ["quality", "price", "service", "range", "convenience"]})


def name(key: Any) -> Any:
    """The display name of one label in the language in force (unknown labels unchanged)."""
    if get_language() != "zh" or not isinstance(key, str):
        return key
    return NAMES_ZH.get(key, key)


def localise(obj: Any) -> Any:
    """A copy of a table (DataFrame or Series) with its labels in the language in force, for display only."""
    return localise_table(obj, name)
