"""Completeness, validity, uniqueness and the dirty-data generator, checked by hand and against ground truth."""
import pandas as pd
import pytest
from pypinyin import lazy_pinyin

from crmlab import quality as q
from crmlab.synth.dirty import HOMOPHONES, TRADITIONAL, make_dirty_customers
from crmlab.validation import CrmlabInputError


@pytest.fixture
def records():
    return pd.DataFrame({
        "name": ["张伟", "测试", "李娜", "王芳"],
        "phone": ["138-0013-8000", "13800000000", "1380013800", None],
        "email": ["zw@163.com", "test@test.com", "lina163.com", "  "],
        "birth_date": ["1980-02-29", None, "1890-01-01", "1990-13-01"],
    }, index=pd.Index(["r1", "r2", "r3", "r4"], name="record_id"))


def test_completeness_hand_case(records):
    # phone: r4 missing → 3/4; email: r4 blank ("  ") → 3/4; birth_date: r2 missing → 3/4; name all filled.
    out = q.completeness(records, ["name", "phone", "email", "birth_date"])
    assert out["completeness"].tolist() == [1.0, 0.75, 0.75, 0.75]
    assert out.loc["phone", "missing"] == 1
    assert q.complete_records(records, ["name", "phone", "email"]).tolist() == [True, True, True, False]


def test_validity_hand_case(records):
    flags = q.validity(records)
    assert flags.index.equals(records.index)
    # r1: 13800138000 after normalising, valid; r2 placeholder (well-formed but fake); r3 has 10 digits; r4 missing.
    assert flags["phone_format"].tolist() == [True, True, False, pd.NA]
    assert flags["phone_not_placeholder"].tolist() == [True, False, True, pd.NA]
    assert flags["name_not_placeholder"].tolist() == [True, False, True, True]
    assert flags["email_format"].tolist() == [True, True, False, pd.NA]
    # 1980-02-29 is a leap day (valid); 1890 is before 1900; month 13 does not exist.
    assert flags["birth_date_range"].tolist() == [True, pd.NA, False, False]
    report = q.validity_report(records)
    assert report.loc["phone_format", "checked"] == 3 and report.loc["phone_format", "invalid"] == 1
    assert report.loc["phone_format", "validity"] == pytest.approx(2 / 3)


def test_validity_with_own_rule(records):
    rules = pd.DataFrame([{"rule": "mobile_139", "column": "phone", "check": "pattern", "value": r"139\d{8}"}])
    assert q.validity(records, rules)["mobile_139"].tolist() == [False, False, False, pd.NA]


def test_normalise_phone():
    phones = pd.Series(["+86 138 0013 8000", "0086-13800138000", "(138)0013-8000", None])
    assert q.normalise_phone(phones).tolist()[:3] == ["13800138000"] * 3
    assert pd.isna(q.normalise_phone(phones).iloc[3])
    us = pd.Series(["(212) 555-0123", "+1 212 555 0123", "1-212-555-0123", "212.555.0123"])
    assert q.normalise_phone(us, "en_US").tolist() == ["2125550123"] * 4


def test_uniqueness_hand_case(records):
    # Clusters {r1, r2}, {r3}, {r4}: 3 people in 4 records.
    out = q.uniqueness(records, clusters=pd.Series([1, 1, 2, 3], index=records.index))
    assert out["distinct"] == 3 and out["uniqueness"] == 0.75
    dup = pd.DataFrame({"name": ["Ann ", "ann", "Bob"]})
    assert q.uniqueness(dup, key=["name"])["uniqueness"] == pytest.approx(2 / 3)


def test_quality_summary_and_before_after(records):
    clusters = pd.Series([1, 2, 3, 4], index=records.index)
    s = q.quality_summary(records, ["name", "phone"], clusters=clusters)
    # complete: r1, r2, r3 → 0.75; records with no failing rule: only r1 → 0.25; all distinct → 1.
    assert (s["completeness"], s["validity"], s["uniqueness"]) == (0.75, 0.25, 1.0)
    after = records.loc[["r1"]]
    table = q.before_after(records, after, ["name", "phone"], clusters_before=clusters,
                           clusters_after=clusters.loc[["r1"]])
    assert table.loc["validity", "after"] == 1.0 and table.loc["validity", "change"] == 0.75


def test_bad_inputs(records):
    with pytest.raises(CrmlabInputError, match="mobile"):
        q.completeness(records, ["name", "mobile"])
    with pytest.raises(CrmlabInputError, match="list of column names"):
        q.completeness(records, "name")
    with pytest.raises(CrmlabInputError, match="empty"):
        q.completeness(records.iloc[:0], ["name"])
    with pytest.raises(CrmlabInputError, match="check kind"):
        q.validity(records, pd.DataFrame([{"rule": "r", "column": "phone", "check": "looks_ok", "value": None}]))
    with pytest.raises(CrmlabInputError, match="locale"):
        q.validity_rules("fr_FR")
    with pytest.raises(CrmlabInputError, match="exactly one"):
        q.uniqueness(records)
    with pytest.raises(CrmlabInputError, match="indexed like df"):
        q.uniqueness(records, clusters=pd.Series([1, 2]))


# ---- the dirty-data generator ---------------------------------------------------------------

def test_variant_tables_keep_the_pinyin():
    # A homophone or a traditional form must read the same, or pinyin blocking could not reunite them.
    for table in (HOMOPHONES, TRADITIONAL):
        for plain, variant in table.items():
            assert lazy_pinyin(plain) == lazy_pinyin(variant), (plain, variant)


def test_dirty_generator_is_deterministic_and_sized():
    a, ta = make_dirty_customers(300, seed=7)
    b, tb = make_dirty_customers(300, seed=7)
    c, _ = make_dirty_customers(300, seed=8)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ta, tb)
    assert not a.equals(c)
    assert len(a) == 300 and a.index.is_unique and ta.index.equals(a.index)
    assert ta["is_duplicate"].sum() == 45 and ta["is_placeholder"].sum() == 6   # 15 % and 2 % of 300
    # Each extra copy belongs to a person who also has an original record.
    originals = set(ta.loc[~ta["is_duplicate"], "person_id"])
    assert set(ta.loc[ta["is_duplicate"], "person_id"]) <= originals


@pytest.mark.parametrize("locale", ["zh_CN", "en_US"])
def test_validity_finds_exactly_the_injected_errors(locale):
    dirty, truth = make_dirty_customers(1500, seed=11, locale=locale)
    flags = q.validity(dirty, locale=locale)
    tagged = truth["errors"].str.contains("invalid_phone")
    assert (flags.loc[tagged, "phone_format"] == False).all()  # noqa: E712
    clean_phone = ~tagged & ~truth["is_placeholder"] & dirty["phone"].notna()
    assert (flags.loc[clean_phone, "phone_format"] == True).all()  # noqa: E712
    tagged = truth["errors"].str.contains("invalid_email")
    assert (flags.loc[tagged, "email_format"] == False).all()  # noqa: E712
    assert (flags.loc[truth["is_placeholder"], "phone_not_placeholder"] == False).all()  # noqa: E712
    assert (flags.loc[~truth["is_placeholder"], "phone_not_placeholder"] != False).all()  # noqa: E712


def test_dirty_generator_bad_inputs():
    with pytest.raises(CrmlabInputError, match="duplicate_rate"):
        make_dirty_customers(100, duplicate_rate=15)
    with pytest.raises(CrmlabInputError, match="locale"):
        make_dirty_customers(100, locale="de_DE")
    with pytest.raises(CrmlabInputError, match="n must"):
        make_dirty_customers(0)
    with pytest.raises(CrmlabInputError, match="no real person"):
        make_dirty_customers(10, duplicate_rate=0.6, placeholder_rate=0.5)
