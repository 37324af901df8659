"""Dirty customer records with ground truth (脏数据生成器), for the data-quality lesson (02).

The errors are the ones the car dealer's clean-up met (seeds/003): the same person entered
twice with a mistyped name (a homophone such as 章 for 张, a traditional form such as 張, a
swapped name order, a letter typo), a phone written in another format, a field left out;
invalid phones and e-mails; placeholder records (name "test", phone 13800000000) made to get
past a required field; and missing required fields. The truth frame says, for every record,
which real person it belongs to and which errors were injected, so every quality report and
duplicate finder can be scored.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab.i18n import tr
from crmlab.quality.rules import LOCALES as RULE_LOCALES
from crmlab.synth.pools import load_pools
from crmlab.synth.profiles import people
from crmlab.validation import CrmlabInputError, require_choice, require_fraction, require_int

# Characters entered wrongly but read the same (同音字): pinyin without tones is unchanged.
HOMOPHONES = {
    "张": "章", "王": "汪", "李": "黎", "刘": "柳", "林": "琳", "伟": "炜", "丽": "莉", "敏": "民", "静": "婧",
    "军": "君", "洋": "阳", "勇": "永", "艳": "燕", "杰": "洁", "娟": "鹃", "涛": "滔", "明": "鸣", "霞": "侠",
    "平": "萍", "刚": "钢", "芳": "方", "华": "桦", "红": "虹", "玲": "铃", "斌": "彬", "辉": "晖", "鹏": "朋",
    "峰": "锋", "宇": "雨", "浩": "昊", "俊": "骏", "英": "瑛", "梅": "玫", "秀": "绣", "健": "建", "云": "芸",
    "飞": "菲", "婷": "亭", "建": "健", "志": "智", "文": "雯", "金": "晋", "春": "椿",
}
# Traditional forms (繁体字) of common name characters, as typed by customers from Hong Kong or Taiwan.
TRADITIONAL = {
    "张": "張", "伟": "偉", "刘": "劉", "陈": "陳", "杨": "楊", "黄": "黃", "赵": "趙", "吴": "吳", "孙": "孫",
    "马": "馬", "罗": "羅", "郑": "鄭", "谢": "謝", "韩": "韓", "冯": "馮", "邓": "鄧", "许": "許", "丽": "麗",
    "军": "軍", "华": "華", "红": "紅", "国": "國", "东": "東", "龙": "龍", "凤": "鳳", "兰": "蘭", "云": "雲",
    "飞": "飛", "杰": "傑", "涛": "濤", "刚": "剛", "辉": "輝", "鹏": "鵬", "静": "靜", "强": "強", "宁": "寧",
    "叶": "葉", "钟": "鍾", "萧": "蕭", "卫": "衛", "严": "嚴", "艳": "艷", "凯": "凱", "丰": "豐",
}
DUPLICATE_ERRORS = ("name_variant", "phone_format", "swapped_name", "missing_field")
_VARIANTS = {ch: [v for v in (HOMOPHONES.get(ch), TRADITIONAL.get(ch)) if v and v != ch]
             for ch in set(HOMOPHONES) | set(TRADITIONAL)}


def _name_variant(name: str, rng: np.random.Generator, zh: bool) -> str:
    if zh:
        spots = [i for i, ch in enumerate(name) if _VARIANTS.get(ch)]
        if spots:
            i = spots[rng.integers(len(spots))]
            options = _VARIANTS[name[i]]
            return name[:i] + options[rng.integers(len(options))] + name[i + 1:]
        # No look-alike available: a wrong character, which changes the pinyin too (the hard case).
        i = int(rng.integers(1, len(name)))
        return name[:i] + "小文明华国"[rng.integers(5)] + name[i + 1:]
    letters = [i for i, ch in enumerate(name[:-1]) if ch.isalpha() and name[i + 1].isalpha()]
    i = letters[rng.integers(len(letters))]
    kind = rng.integers(3)
    if kind == 0:  # two letters swapped
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if kind == 1:  # a letter dropped
        return name[:i] + name[i + 1:]
    return name[:i] + name[i] + name[i:]  # a letter doubled


def _swap_name(name: str, zh: bool) -> str:
    if zh:  # given name typed first
        return name[1:] + name[0]
    parts = name.split(" ")
    return " ".join(parts[1:] + parts[:1])


def _reformat_phone(phone: str, rng: np.random.Generator, zh: bool) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    kind = rng.integers(3)
    if zh:
        forms = (f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}", digits, f"0086-{digits}")
    else:
        forms = (f"{digits[:3]}.{digits[3:6]}.{digits[6:]}", f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}",
                 f"1-{digits[:3]}-{digits[3:6]}-{digits[6:]}")
    return forms[kind]


def _break_phone(phone: str, rng: np.random.Generator) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    kind = rng.integers(3)
    if kind == 0:
        return digits[:-1]  # a digit short
    if kind == 1:
        return digits + str(rng.integers(10))  # a digit too many
    return digits[:4] + "O" + digits[5:]  # letter O for zero


def _break_email(email: str, rng: np.random.Generator) -> str:
    local, _, domain = email.partition("@")
    kind = rng.integers(3)
    if kind == 0:
        return local + domain  # @ lost
    if kind == 1:
        return f"{local}@{domain.rsplit('.', 1)[0]}"  # no top-level domain
    return f"{local}@@{domain}"


def make_dirty_customers(n: int = 1000, seed: int = 0, locale: str = "zh_CN", *, duplicate_rate: float = 0.15,
                         invalid_rate: float = 0.05, placeholder_rate: float = 0.02,
                         missing_rate: float = 0.05) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customer records with injected errors, and the truth about each record (客户脏数据与真实情况).

    Parameters
    ----------
    n : number of records.
    seed : seed of the numpy Generator (same seed → same records).
    locale : "zh_CN" or "en_US".
    duplicate_rate : share of records that are extra copies of a person already in the data (重复记录);
        each copy gets one or two of ``DUPLICATE_ERRORS``.
    invalid_rate : share of records with an invalid phone or e-mail (错误数据).
    placeholder_rate : share of records that are placeholders (虚拟数据): fake name, phone 13800000000 …
    missing_rate : share of records missing a required field (phone, e-mail or city).

    Returns
    -------
    (dirty, truth): both indexed by ``record_id``. dirty has name, gender, birth_date, phone, email,
    province, city, signup_date; truth has person_id, is_duplicate (an extra copy), is_placeholder and
    errors (";"-joined tags: name_variant, phone_format, swapped_name, missing_field, invalid_phone,
    invalid_email, missing_required, placeholder).
    """
    n = require_int(n, "n", minimum=1)
    seed = require_int(seed, "seed", minimum=0)
    require_choice(locale, "locale", ("zh_CN", "en_US"))
    rates = {k: require_fraction(v, k) for k, v in dict(duplicate_rate=duplicate_rate, invalid_rate=invalid_rate,
                                                          placeholder_rate=placeholder_rate,
                                                          missing_rate=missing_rate).items()}
    n_placeholder = int(round(n * rates["placeholder_rate"]))
    n_duplicate = int(round(n * rates["duplicate_rate"]))
    n_people = n - n_placeholder - n_duplicate
    if n_people < 1:
        raise CrmlabInputError(tr(
            f"duplicate_rate + placeholder_rate leave no real person among n={n} records; lower them.",
            f"duplicate_rate 与 placeholder_rate 之和过大，n={n} 条记录中没有真实客户；请调低。",
        ))
    zh = locale == "zh_CN"
    rng = np.random.default_rng(seed)
    base = people(rng, load_pools(locale), n_people).drop(columns=["_place", "address"])
    base["gender"] = base["gender"].astype("str")
    start = np.datetime64("1955-01-01")
    base["birth_date"] = pd.Series(start + rng.integers(0, 50 * 365, n_people).astype("timedelta64[D]")).dt.strftime("%Y-%m-%d")
    base["signup_date"] = pd.Series(np.datetime64("2018-01-01")
                                    + rng.integers(0, 6 * 365, n_people).astype("timedelta64[D]")).dt.strftime("%Y-%m-%d")
    base["person_id"] = [f"P{i:06d}" for i in range(1, n_people + 1)]

    # Extra copies of real people, each with one or two entry differences.
    source = rng.integers(0, n_people, n_duplicate)
    dup = base.iloc[source].reset_index(drop=True)
    dup["signup_date"] = pd.Series(np.datetime64("2018-01-01")
                                   + rng.integers(0, 6 * 365, n_duplicate).astype("timedelta64[D]")).dt.strftime("%Y-%m-%d")
    n_errors = rng.integers(1, 3, n_duplicate)
    picks = [rng.choice(len(DUPLICATE_ERRORS), k, replace=False) for k in n_errors]
    dup_errors = [[DUPLICATE_ERRORS[i] for i in sorted(p)] for p in picks]
    names, phones, emails = dup["name"].tolist(), dup["phone"].tolist(), dup["email"].tolist()
    for row, errors in enumerate(dup_errors):
        if "name_variant" in errors:
            names[row] = _name_variant(names[row], rng, zh)
        if "swapped_name" in errors:
            names[row] = _swap_name(names[row], zh)
        if "phone_format" in errors:
            phones[row] = _reformat_phone(phones[row], rng, zh)
        if "missing_field" in errors:
            if rng.random() < 0.5:
                phones[row] = None
            else:
                emails[row] = None
    dup["name"], dup["phone"], dup["email"] = (pd.Series(v, dtype="str") for v in (names, phones, emails))

    # Placeholder records: fake entries that stand for nobody.
    data = RULE_LOCALES[locale]
    ph = pd.DataFrame({
        "name": rng.choice(list(data["placeholder_names"]), n_placeholder),
        "gender": rng.choice(["F", "M"], n_placeholder),
        "phone": rng.choice(list(data["placeholder_phones"]), n_placeholder),
        "email": np.where(rng.random(n_placeholder) < 0.5, rng.choice(list(data["placeholder_emails"]), n_placeholder),
                          None),
        "province": base["province"].to_numpy()[rng.integers(0, n_people, n_placeholder)],
        "city": None,
        "birth_date": None,
        "signup_date": pd.Series(np.datetime64("2018-01-01") + rng.integers(0, 6 * 365, n_placeholder)
                                 .astype("timedelta64[D]")).dt.strftime("%Y-%m-%d"),
        "person_id": [f"X{i:06d}" for i in range(1, n_placeholder + 1)],
    })
    records = pd.concat([base, dup, ph], ignore_index=True)
    errors = [[] for _ in range(n_people)] + dup_errors + [["placeholder"] for _ in range(n_placeholder)]
    is_duplicate = np.r_[np.zeros(n_people, bool), np.ones(n_duplicate, bool), np.zeros(n_placeholder, bool)]
    real = np.flatnonzero(~np.r_[np.zeros(n_people + n_duplicate, bool), np.ones(n_placeholder, bool)])

    # Invalid phones and e-mails, then missing required fields, on real people's records.
    phones, emails, cities = records["phone"].tolist(), records["email"].tolist(), records["city"].tolist()
    for row in rng.choice(real, min(len(real), int(round(n * rates["invalid_rate"]))), replace=False):
        if rng.random() < 0.5 and phones[row] is not None and not pd.isna(phones[row]):
            phones[row] = _break_phone(phones[row], rng)
            errors[row].append("invalid_phone")
        elif emails[row] is not None and not pd.isna(emails[row]):
            emails[row] = _break_email(emails[row], rng)
            errors[row].append("invalid_email")
    for row in rng.choice(real, min(len(real), int(round(n * rates["missing_rate"]))), replace=False):
        field = rng.integers(3)
        if field == 0:
            phones[row] = None
        elif field == 1:
            emails[row] = None
        else:
            cities[row] = None
        errors[row].append("missing_required")
    records["phone"], records["email"], records["city"] = (pd.Series(v, dtype="str") for v in (phones, emails, cities))

    order = rng.permutation(n)
    record_id = pd.Index([f"R{i:06d}" for i in range(1, n + 1)], name="record_id")
    columns = ["name", "gender", "birth_date", "phone", "email", "province", "city", "signup_date"]
    dirty = records.iloc[order][columns].set_axis(record_id)
    for column in columns:
        dirty[column] = dirty[column].astype("str")
    truth = pd.DataFrame({
        "person_id": records["person_id"].to_numpy()[order],
        "is_duplicate": is_duplicate[order],
        "is_placeholder": np.isin(order, np.arange(n_people + n_duplicate, n)),
        "errors": pd.Series([";".join(errors[i]) for i in order], dtype="str").to_numpy(),
    }, index=record_id)
    truth["person_id"] = truth["person_id"].astype("str")
    truth["errors"] = truth["errors"].astype("str")
    return dirty, truth
