"""Chinese display names of the CRM-operations lessons' labels (销售阶段、服务类型、三个控制、数据质量 …).

Code keeps the English identifiers (``"proposal"``, ``"complaint"``, ``"omission_rate"``); a table a
Chinese lesson shows passes through :func:`localise`, which renames index labels, column names and
text values found in :data:`NAMES_ZH` when the language in force is Chinese and changes nothing in
English. The names follow the course's glossary (``shared/design/GLOSSARY.md``).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from crmlab.i18n import get_language
from crmlab.labels import localise_table

NAMES_ZH: dict[str, str] = {
    # sales funnel (lesson 16): stages, statuses and the tables' headers
    "lead": "线索", "qualified": "合格商机", "proposal": "方案报价", "negotiation": "谈判", "won": "成交",
    "lost": "丢单", "open": "进行中", "total": "合计", "all": "全部", "stage": "销售阶段", "status": "状态",
    "opportunities": "机会数", "amount": "金额", "win_prob": "成功率", "weighted": "加权金额",
    "reached": "到达数", "to_next": "进入下一阶段的比例", "from_first": "占全部线索的比例", "win_rate": "赢单率",
    "group": "分组", "outcome": "结果", "days": "天数", "count": "数量", "mean": "平均值", "std": "标准差",
    "min": "最小值", "max": "最大值",
    "opportunity_id": "机会编号", "expected_close": "预计成交日期", "period": "季度",
    "open_deals": "在途机会数", "forecast": "预测", "actual": "实际", "won_deals": "赢单数", "error": "误差",
    # service (lesson 17): kinds of request, times, levels, Haier's three controls, churn tables
    "inquiry": "咨询", "complaint": "投诉", "repair": "维修", "delivery": "配送", "kind": "请求类型",
    "response_hours": "响应时间（小时）", "resolution_hours": "解决时间（小时）",
    "tickets": "服务请求数", "response_within": "及时响应率", "resolution_within": "及时解决率",
    "median_response_hours": "响应时间中位数（小时）", "median_resolution_hours": "解决时间中位数（小时）",
    "complaints": "投诉数", "complaint_rate": "服务投诉率", "requests": "服务请求数", "unrecorded": "未记录数",
    "omission_rate": "服务遗漏率", "surveyed": "回访数", "dissatisfied": "不满意",
    "dissatisfaction_rate": "服务不满率",
    "no_request": "没有服务请求", "served": "接受过服务", "complained": "投诉过", "service_experience": "服务经历",
    "mostly unhappy": "多数不满意", "mixed": "满意与不满意参半", "mostly happy": "多数满意",
    "after_service": "服务后的满意情况", "customers": "客户数", "churned": "流失数", "churn_rate": "流失率",
    "lift": "相对于平均的倍数",
    # data quality (lesson 02)
    "records": "记录数", "completeness": "完整性", "validity": "正确性", "uniqueness": "唯一性",
    "distinct": "不同客户数", "duplicates": "重复记录", "filled": "已填写", "missing": "缺失", "column": "字段",
    "checked": "检查数", "invalid": "不合规数", "rule": "规则", "phone_format": "手机号格式",
    "phone_not_placeholder": "手机号不是占位号码", "name_not_placeholder": "姓名不是占位名",
    "email_format": "邮箱格式", "email_not_placeholder": "邮箱不是占位邮箱", "birth_date_range": "出生日期合理",
    "predicted_pairs": "判为重复的记录对", "true_pairs": "真实重复的记录对", "true_positives": "判对的记录对",
    "precision": "查准率", "recall": "查全率", "f1": "F1", "before": "清理前", "after": "清理后",
    "change": "变化", "measure": "指标", "complete": "完整记录占比", "signup_date": "登记年份",
    # capstone (lesson 18)
    "margin": "毛利率", "cost": "每份挽留优惠的成本", "facts": "案例条件", "uplift": "优惠带来的价值提升", "budget": "预算",
    "abc": "ABC 类别", "p_alive": "存活概率", "value": "价值（预期利润）", "gain": "预期净收益", "clv": "客户终身价值",
    "segment": "RFM 细分", "by expected gain": "按预期净收益选择", "RFM at risk": "按 RFM“流失风险”选择",
    "targets": "选中的客户", "others": "其他客户", "RFM at risk pick": "RFM“流失风险”名单",
}


@lru_cache(maxsize=1)
def _segments_zh() -> dict[str, str]:
    from crmlab.classify.rfm import default_segment_map

    return default_segment_map().drop_duplicates("segment").set_index("segment")["segment_zh"].to_dict()


def name(key: Any) -> Any:
    """The display name of one label in the language in force (unknown labels unchanged)."""
    if get_language() != "zh" or not isinstance(key, str):
        return key
    return NAMES_ZH.get(key) or _segments_zh().get(key, key)


def localise(obj: Any) -> Any:
    """A copy of a table (DataFrame or Series) with its labels in the language in force, for display only."""
    return localise_table(obj, name)
