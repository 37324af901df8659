"""Duplicate detection: pinyin keys, blocking, scores, clusters, and precision/recall against ground truth."""
import numpy as np
import pandas as pd
import pytest

from crmlab import quality as q
from crmlab.synth.dirty import make_dirty_customers
from crmlab.validation import CrmlabInputError


def test_name_key_meets_in_one_block():
    keys = q.name_key(pd.Series(["张伟", "張偉", "章伟", "伟张", "王伟", "John Smith", "smith, JOHN", None]))
    assert keys.iloc[:4].nunique() == 1 and keys.iloc[0] == "wei zhang"
    assert keys.iloc[4] != keys.iloc[0]
    assert keys.iloc[5] == keys.iloc[6] == "john smith"
    assert pd.isna(keys.iloc[7])


@pytest.fixture
def people():
    return pd.DataFrame({
        "name": ["张伟", "張偉", "章伟", "张伟", "李娜"],
        "phone": ["138-0013-8000", "+86 138 0013 8000", None, "139-2222-3333", "137-4444-5555"],
        "email": ["zhangwei@163.com", None, "zhangwei@163.com", "zw1990@qq.com", "lina@126.com"],
        "birth_date": ["1985-03-02", "1985-03-02", "1985-03-02", "1990-07-15", "1985-03-02"],
        "city": ["上海市", "上海市", "上海市", "上海市", "上海市"],
    }, index=pd.Index(["a", "b", "c", "d", "e"], name="record_id"))


def test_find_duplicates_small_case(people):
    pairs = q.find_duplicates(people)
    matched = {tuple(sorted(p)) for p in pairs.loc[pairs["match"], ["left", "right"]].to_numpy()}
    # a, b, c are one person written three ways; d is another 张伟 (other phone, birth date, e-mail); e is 李娜.
    assert matched == {("a", "b"), ("a", "c"), ("b", "c")}
    ab = pairs[(pairs["left"] == "a") & (pairs["right"] == "b")].iloc[0]
    # name 1.0 (same key), phone 1 (same digits), e-mail missing, birth 1: (0.4 + 0.3 + 0.1) / 0.8 = 1.0
    assert ab["score"] == pytest.approx(1.0) and np.isnan(ab["email_sim"])
    ad = pairs[(pairs["left"] == "a") & (pairs["right"] == "d")].iloc[0]
    assert ad["phone_sim"] == 0 and ad["birth_sim"] == 0 and not ad["match"]
    clusters = q.duplicate_clusters(pairs, people.index)
    assert clusters["a"] == clusters["b"] == clusters["c"] != clusters["d"] != clusters["e"]
    kept = q.deduplicate(people, clusters)
    assert list(kept.index) == ["a", "d", "e"]   # a has the most filled fields of its cluster


def test_duplicate_metrics_hand_case():
    pairs = pd.DataFrame({"left": ["r1", "r3", "r1"], "right": ["r2", "r4", "r5"], "match": [True, True, False]})
    person = pd.Series({"r1": "a", "r2": "a", "r3": "b", "r4": "c", "r5": "a"})
    m = q.duplicate_metrics(pairs, person)
    # true pairs: person a has 3 records → C(3,2) = 3; b and c none. Predicted 2, correct 1 (r1–r2).
    assert (m["true_pairs"], m["predicted_pairs"], m["true_positives"]) == (3, 2, 1)
    assert m["precision"] == 0.5 and m["recall"] == pytest.approx(1 / 3)
    assert m["f1"] == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))   # 0.4


@pytest.mark.parametrize("locale", ["zh_CN", "en_US"])
def test_against_ground_truth(locale):
    dirty, truth = make_dirty_customers(3000, seed=5, locale=locale)
    pairs = q.find_duplicates(dirty, locale=locale)
    m = q.duplicate_metrics(pairs, truth["person_id"])
    assert m["precision"] >= 0.95 and m["recall"] >= 0.85, m.to_dict()
    # A stricter threshold can only keep or lose matches, so recall cannot rise.
    strict = q.duplicate_metrics(q.find_duplicates(dirty, locale=locale, threshold=0.99), truth["person_id"])
    assert strict["recall"] <= m["recall"]
    clusters = q.duplicate_clusters(pairs, dirty.index)
    true_u = q.uniqueness(dirty, clusters=truth["person_id"])["uniqueness"]
    found_u = q.uniqueness(dirty, clusters=clusters)["uniqueness"]
    assert abs(found_u - true_u) < 0.03


def test_placeholders_do_not_form_a_block():
    df = pd.DataFrame({"name": ["测试", "无", "王强", "刘洋"], "phone": ["13800000000"] * 4,
                       "email": [None, None, "wq@1.com", "ly@2.com"], "birth_date": [None, None, "1980-01-01", "1970-01-01"],
                       "city": [None, None, "北京市", "天津市"]})
    assert len(q.find_duplicates(df)) == 0


def test_bad_inputs(people):
    with pytest.raises(CrmlabInputError, match="mobile"):
        q.find_duplicates(people, phone="mobile")
    with pytest.raises(CrmlabInputError, match="threshold"):
        q.find_duplicates(people, threshold=85)
    with pytest.raises(CrmlabInputError, match="blocks"):
        q.find_duplicates(people, blocks=["soundex"])
    with pytest.raises(CrmlabInputError, match="weights"):
        q.find_duplicates(people, weights={"shoe_size": 1.0})
    with pytest.raises(CrmlabInputError, match="max_block_size"):
        q.find_duplicates(people, max_block_size=1)
    with pytest.raises(CrmlabInputError, match="Series"):
        q.name_key(["张伟"])
    pairs = q.find_duplicates(people)
    with pytest.raises(CrmlabInputError, match="index"):
        q.duplicate_clusters(pairs, pd.Index(["x"]))
    with pytest.raises(CrmlabInputError, match="person"):
        q.duplicate_metrics(pairs, people["name"].to_dict())
    with pytest.raises(CrmlabInputError, match="indexed like df"):
        q.deduplicate(people, pd.Series([0, 1]))
