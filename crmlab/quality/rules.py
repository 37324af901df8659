"""Validity rules for customer records (正确性规则), kept as data per locale.

Each rule is one row: the column it checks, the kind of check and its value. Kinds:
``pattern`` (the normalised value must match a regular expression), ``not_placeholder`` (the
value must not be one of the known fake entries, e.g. phone 13800000000 or name "test"), and
``date_range`` (a date that parses and lies within [low, high]). Students read the table,
add a row, and pass it to :func:`crmlab.quality.validity`.
"""
from __future__ import annotations

import pandas as pd

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError, phone_text, require_choice

EMAIL_PATTERN = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"

# Per locale: how phones are written and which entries are placeholders seen in practice
# (the car dealer's report names records like phone 13800000000 created to get past a required field).
LOCALES = {
    "zh_CN": {
        "country_code": "86",
        "phone_pattern": r"1[3-9]\d{9}",  # mainland mobile numbers: 11 digits starting 13–19
        "placeholder_phones": ("13800000000", "00000000000", "11111111111", "12345678901", "13888888888",
                               "13000000000", "18888888888"),
        "placeholder_names": ("test", "测试", "无", "未知", "客户", "xxx", "某某", "aaa", "匿名"),
        "placeholder_emails": ("test@test.com", "a@a.com", "123@qq.com", "xxx@xxx.com", "none@none.com"),
    },
    "en_US": {
        "country_code": "1",
        "phone_pattern": r"[2-9]\d{2}[2-9]\d{6}",  # NANP: area code and exchange do not start with 0 or 1
        "placeholder_phones": ("0000000000", "1234567890", "5555555555", "9999999999", "1111111111"),
        "placeholder_names": ("test", "n/a", "na", "unknown", "xxx", "asdf", "customer", "none"),
        "placeholder_emails": ("test@test.com", "a@a.com", "none@none.com", "xxx@xxx.com", "noemail@example.com"),
    },
}


def validity_rules(locale: str = "zh_CN") -> pd.DataFrame:
    """The default validity rules for ``locale`` as a table: rule, column, check, value, description.

    Parameters
    ----------
    locale : "zh_CN" or "en_US".

    Returns
    -------
    DataFrame, one row per rule; edit or extend it and pass it to :func:`crmlab.quality.validity`.
    """
    require_choice(locale, "locale", LOCALES)
    data = LOCALES[locale]
    rows = [
        ("phone_format", "phone", "pattern", data["phone_pattern"],
         tr("phone has the right number of digits for the locale", "电话号码位数与格式正确")),
        ("phone_not_placeholder", "phone", "not_placeholder", data["placeholder_phones"],
         tr("phone is not a placeholder such as 13800000000", "电话不是 13800000000 之类的占位号码")),
        ("name_not_placeholder", "name", "not_placeholder", data["placeholder_names"],
         tr("name is not a placeholder such as 'test'", "姓名不是“测试”之类的占位值")),
        ("email_format", "email", "pattern", EMAIL_PATTERN,
         tr("e-mail looks like name@domain.tld", "电子邮件格式为 名称@域名.后缀")),
        ("email_not_placeholder", "email", "not_placeholder", data["placeholder_emails"],
         tr("e-mail is not a placeholder such as test@test.com", "电子邮件不是 test@test.com 之类的占位值")),
        ("birth_date_range", "birth_date", "date_range", ("1900-01-01", None),
         tr("birth date is a real date between 1900 and today", "出生日期是 1900 年至今的有效日期")),
    ]
    return pd.DataFrame(rows, columns=["rule", "column", "check", "value", "description"])


def normalise_phone(phones: pd.Series, locale: str = "zh_CN") -> pd.Series:
    """Phone numbers reduced to their digits, without the country code (电话号码标准化).

    "+86 138-0013-8000", "0086 13800138000" and "138 0013 8000" all become "13800138000"; a value with
    letters keeps them so that the format rule rejects it. Missing stays missing.
    """
    require_choice(locale, "locale", LOCALES)
    code = LOCALES[locale]["country_code"]
    phones = phone_text(phones, "phones")  # a column read_csv made float (13912345678.0) is text again
    text = phones.astype("str")
    digits = text.str.replace(r"[\s\-().]", "", regex=True)
    digits = digits.str.replace(rf"^(\+|00){code}", "", regex=True)
    if locale == "en_US":
        # NANP numbers are often written with the trunk prefix 1 in front of the ten digits.
        digits = digits.str.replace(r"^1(?=\d{10}$)", "", regex=True)
    return digits.where(phones.notna())


def _check_rules(rules: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(rules, pd.DataFrame):
        raise CrmlabInputError(tr(
            f"rules must be a DataFrame like crmlab.quality.validity_rules('zh_CN'), got {type(rules).__name__}.",
            f"rules 必须是形如 crmlab.quality.validity_rules('zh_CN') 的 DataFrame，实际是 {type(rules).__name__}。",
        ))
    missing = [c for c in ("rule", "column", "check", "value") if c not in rules.columns]
    if missing:
        raise CrmlabInputError(tr(
            f"rules has no column {missing}; it needs rule, column, check and value.",
            f"rules 缺少列 {missing}；需要 rule、column、check、value 四列。",
        ))
    bad = sorted(set(rules["check"]) - {"pattern", "not_placeholder", "date_range"})
    if bad:
        raise CrmlabInputError(tr(
            f"rules has unknown check kind(s) {bad}; use pattern, not_placeholder or date_range.",
            f"rules 含有未知的检查类型 {bad}；可用 pattern、not_placeholder、date_range。",
        ))
    return rules
