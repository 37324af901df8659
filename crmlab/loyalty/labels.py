"""Chinese display names of the loyalty lessons' labels (忠诚类型、忠诚细分、转换成本、会员等级 …).

Code keeps the English codes (``"trust"``, ``"spurious"``, ``"procedural"``, ``"gold"``), which
code compares and filters on. Tables and charts a Chinese lesson shows pass through
:func:`localise`, which renames index, columns and label values by the table below when the
language in force is Chinese; of a pair of columns ``x_en`` / ``x_zh`` it keeps the one in the
language in force. :func:`to_codes` reads an answer written with Chinese names back into codes,
so a check accepts both.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from crmlab.i18n import get_language
from crmlab.labels import localise_table, read_back

DATA_DIR = Path(__file__).with_name("data")

# Codes that are not in the data tables, and the column headers of the tables the lessons show.
_OTHER_ZH: dict[str, str] = {
    # Dick & Basu segments (names also in data/dick_basu.csv) and "no type fits"
    "true": "真正忠诚", "latent": "潜在忠诚", "spurious": "虚假忠诚", "none": "不忠诚",
    "low": "低", "high": "高",
    # member tiers of the retail world and of DEFAULT_TIERS
    "basic": "普通会员", "silver": "银卡会员", "gold": "金卡会员", "platinum": "白金会员",
    # the exam case's two customers
    "satisfied": "满意", "unhappy": "不满意", "case": "情形", "high_switching_cost": "转换成本高",
    # column headers
    "loyalty_type": "忠诚类型", "name": "名称", "description": "说明", "attachment": "依恋",
    "repeat_purchase": "重复购买", "relative_attitude": "相对态度", "repeat_patronage": "重复光顾",
    "loyalty": "忠诚细分", "cost_type": "转换成本", "group": "类别", "visits": "到店次数",
    "attachment_level": "依恋水平", "repeat_level": "重复购买水平", "candidate_types": "可能的忠诚类型",
    "repurchase_intent": "再购意向", "purchases_per_year": "每年购买次数", "overall": "总体满意度",
    "true_switching_cost": "真实转换成本", "true_loyalty_type": "真实忠诚类型",
    "transactions": "交易笔数", "total_spend": "消费总额", "true_attachment": "真实依恋",
    "true_satisfaction": "真实满意度", "purchases": "购买次数", "repeat_purchases": "重复购买次数",
    "categories": "购买品类数", "category_share": "品类占比", "share_of_wallet": "钱包份额",
    "spend_with_us": "在本店消费", "grocery_budget": "日用品总预算",
    "tenure": "首末次购买间隔（周）", "since_last": "距上次购买（周）", "period": "期",
    "active": "活跃客户", "retained": "保留客户", "new": "新客户", "retention_rate": "保持率",
    "churn_rate": "流失率", "procedural": "程序性", "financial": "财务性", "relational": "关系性",
    "dominant": "主要类别", "step": "步骤", "value": "数值", "arithmetic": "算式",
    "own_value": "自身价值", "lifetime_value": "每位客户的生命周期价值", "listeners": "听到的人数",
    "converted": "受影响的客户数", "word_of_mouth_value": "口碑价值", "total_value": "总价值",
    "fitted": "估计值", "truth": "真实值", "tier": "会员等级", "min_growth_value": "最低成长值",
    "earn_rate": "积分倍率", "retention_lift": "保持率提升", "service_cost": "服务成本",
    "member_tier": "会员等级", "points_balance": "积分余额", "size": "人数", "sum": "合计",
    "mean": "平均", "members": "会员数", "members_baseline": "无计划时的会员数",
    "programme_cost": "计划成本", "incremental_margin": "新增毛利（扣除成本）",
    "cumulative_net": "累计净收益", "count": "数量", "25%": "25%", "50%": "中位数", "75%": "75%",
    "std": "标准差", "min": "最小值", "max": "最大值", "repeat_buyer": "是否回头客",
    "P(alive) > 0.5": "存活概率 > 0.5", "true_alive": "实际是否存活", "previous": "上一年消费", "latest": "最近一年消费", "growth": "增长率", "age": "成为客户至今（周）",
}


@lru_cache(maxsize=None)
def _names_zh() -> tuple[tuple[str, str], ...]:
    names = dict(_OTHER_ZH)
    names.update(pd.read_csv(DATA_DIR / "loyalty_types.csv").set_index("loyalty_type")["name_zh"].to_dict())
    names.update(pd.read_csv(DATA_DIR / "switching_costs.csv").set_index("cost_type")["name_zh"].to_dict())
    names.update(pd.read_csv(DATA_DIR / "dick_basu.csv").set_index("loyalty")["name_zh"].to_dict())
    return tuple(names.items())


def names_zh() -> dict[str, str]:
    """Code → Chinese name, for every label the loyalty lessons show."""
    return dict(_names_zh())


def name(key: Any) -> Any:
    """The display name of one label in the language in force (unknown labels unchanged).

    A candidate-type string such as ``"monopoly/inertia/incentive"`` is named part by part.
    """
    if get_language() != "zh" or not isinstance(key, str):
        return key
    names = names_zh()
    if key in names:
        return names[key]
    if "/" in key and all(part in names for part in key.split("/")):
        return "、".join(names[part] for part in key.split("/"))
    return key


def _keep_language(frame: pd.DataFrame) -> pd.DataFrame:
    """Of each ``x_en`` / ``x_zh`` pair (or ``x`` / ``x_zh``) keep the one in the language in force, named ``x``."""
    own, other = ("_zh", "_en") if get_language() == "zh" else ("_en", "_zh")
    index_zh = f"{frame.index.name}_zh"
    if frame.index.name and index_zh in frame.columns:  # e.g. step / step_zh: the index in the language
        if get_language() == "zh":
            frame = frame.set_index(index_zh).rename_axis(frame.index.name)
        else:
            frame = frame.drop(columns=index_zh)
    columns = [str(c) for c in frame.columns]
    drop = [c for c in frame.columns if str(c).endswith(other)]
    rename = {c: str(c)[:-len(own)] for c in frame.columns if str(c).endswith(own)}
    drop += [base for base in rename.values() if base in columns]  # "group" gives way to "group_zh"
    return frame.drop(columns=drop).rename(columns=rename)


def localise(obj: Any) -> Any:
    """A copy of a table (DataFrame or Series) with its labels in the language in force, for display only.

    Index labels, column names and text values with a Chinese name are shown in Chinese in a Chinese
    lesson; numbers and unknown labels are kept. Of a pair of columns ``x_en`` / ``x_zh`` only the
    one in the language in force is kept (in English too).
    """
    if isinstance(obj, pd.DataFrame):
        obj = _keep_language(obj)
    out = localise_table(obj, name)
    if isinstance(out, pd.DataFrame) and get_language() == "zh" and name("name") in out.columns \
            and list(out[name("name")]) == list(out.index):
        out = out.drop(columns=name("name"))  # the index already shows the Chinese name
    return out


def to_codes(values: Any) -> Any:
    """An answer written with Chinese names (or codes) read back into codes, element by element.

    Strings, Series and lists are mapped; anything else is returned unchanged, so a comparator still
    sees (and names) a wrong type. ``"垄断忠诚、惰性忠诚、利益忠诚"`` becomes ``"monopoly/inertia/incentive"``.
    """
    lookup = {zh: code for code, zh in _names_zh()}

    def one(key: str) -> Any:
        if key in lookup:
            return lookup[key]
        parts = [p.strip() for p in key.replace("/", "、").split("、")]
        if len(parts) > 1 and all(p in lookup for p in parts):
            return "/".join(lookup[p] for p in parts)
        return key

    return read_back(values, one)
