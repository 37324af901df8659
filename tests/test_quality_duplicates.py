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


# ---- any person table: fields by role, several blocking passes, linking two tables (issue 17, item 4) -------

@pytest.fixture
def febrl_like():
    """Records written like the FEBRL benchmark's (Christen 2008): name parts, address, postcode, birth date, ID.

    p1/p1x differ by a surname typo in the first letters ("smith"/"zmith") and a swapped street number, so no
    name block holds both; they still meet on the birth date and the ID. p2/p2x differ by a given-name typo
    and a missing postcode. p3 shares p1's surname and suburb but nothing else.
    """
    return pd.DataFrame({
        "given": ["john", "mary", "james", "jhon", "marry"],
        "last": ["smith", "jones", "smith", "zmith", "jones"],
        "number": ["12", "4", "8", "21", "4"],
        "street": ["main street", "king road", "hill street", "main street", "king road"],
        "postcode": ["2600", "3000", "2600", "2600", None],
        "dob": ["19800102", "19751212", "19620330", "19800102", "19751212"],
        "ssn": ["1234567", "7654321", "5555123", "1234567", "7654321"],
    }, index=pd.Index(["p1", "p2", "p3", "p1x", "p2x"], name="rec_id"))


FIELDS = {"given_name": "given", "surname": "last", "address": ["number", "street"], "postcode": "postcode",
          "birth_date": "dob", "id_number": "ssn"}


def test_any_columns_typos_do_not_hide_pairs(febrl_like):
    pairs = q.find_duplicates(febrl_like, fields=FIELDS, locale="en_US", method="average", threshold=0.8)
    candidates = {tuple(sorted(p)) for p in pairs[["left", "right"]].to_numpy()}
    assert {("p1", "p1x"), ("p2", "p2x")} <= candidates
    matched = {tuple(sorted(p)) for p in pairs.loc[pairs["match"], ["left", "right"]].to_numpy()}
    assert matched == {("p1", "p1x"), ("p2", "p2x")}
    assert {"given_name_sim", "surname_sim", "address_sim", "postcode_sim", "birth_date_sim",
            "id_number_sim"} <= set(pairs.columns)
    # The postcode is missing on p2x: its similarity is NaN and it does not count in the average.
    p2 = pairs[(pairs["left"] == "p2") & (pairs["right"] == "p2x")].iloc[0]
    assert np.isnan(p2["postcode_sim"])
    # Only the surname pass: the typo in the first letter keeps p1 and p1x apart (the reason for several passes).
    only = q.find_duplicates(febrl_like, fields=FIELDS, locale="en_US", blocks=["surname:exact"])
    assert not {("p1", "p1x")} & {tuple(sorted(p)) for p in only[["left", "right"]].to_numpy()}


def test_soundex_codes():
    # Knuth, TAOCP vol. 3 (1973), p. 392: Euler, Gauss, Hilbert, Knuth, Lloyd, Lukasiewicz.
    # Ashcraft A261 (h skipped) and Pfister P236 (first letter and f in one class) from the US National Archives
    # rules.
    keys = pd.Series(["ashcraft", "pfister", "euler", "ellery", "gauss", "ghosh", "hilbert", "heilbronn", "knuth",
                      "kant", "lloyd", "ladd", "lukasiewicz", "lissajous"])
    assert q.duplicates._soundex(keys).tolist() == ["a261", "p236", "e46", "e46", "g2", "g2", "h416", "h416", "k53",
                                                  "k53", "l3", "l3", "l222", "l222"]


def test_link_two_tables(febrl_like):
    a = febrl_like.loc[["p1", "p2", "p3"]]
    b = febrl_like.loc[["p1x", "p2x"]].rename(index={"p1x": "b1", "p2x": "b2"})
    pairs = q.find_duplicates(a, b, fields=FIELDS, locale="en_US", method="average", threshold=0.8)
    assert pairs["left"].isin(a.index).all() and pairs["right"].isin(b.index).all()   # never within one table
    assert set(map(tuple, pairs.loc[pairs["match"], ["left", "right"]].to_numpy())) == {("p1", "b1"), ("p2", "b2")}
    truth_a = pd.Series({"p1": 1, "p2": 2, "p3": 3})
    truth_b = pd.Series({"b1": 1, "b2": 2})
    m = q.duplicate_metrics(pairs, truth_a, truth_b)
    assert (m["true_pairs"], m["true_positives"], m["precision"]) == (2, 2, 1.0)


def test_chinese_names_by_role():
    df = pd.DataFrame({"姓名": ["张伟", "張偉", "章伟", "王芳"], "生日": ["1985-03-02", "1985-03-02", "1985-03-02",
                                                               "1985-03-02"]})
    pairs = q.find_duplicates(df, fields={"name": "姓名", "birth_date": "生日"}, method="average",
                              blocks=["name:exact"])
    assert {tuple(sorted(p)) for p in pairs[["left", "right"]].to_numpy()} == {(0, 1), (0, 2), (1, 2)}
    assert pairs["match"].all()


@pytest.mark.parametrize("locale", ["zh_CN", "en_US"])
def test_fellegi_sunter_on_generated_customers(locale):
    # The truth is the generator's person id, drawn before any record is written; the matcher never sees it.
    dirty, truth = make_dirty_customers(3000, seed=5, locale=locale)
    fields = {"name": "name", "phone": "phone", "email": "email", "birth_date": "birth_date", "city": "city"}
    pairs = q.find_duplicates(dirty, fields=fields, locale=locale)
    m = q.duplicate_metrics(pairs, truth["person_id"])
    assert m["precision"] >= 0.98 and m["recall"] >= 0.95, m.to_dict()
    parameters = pairs.attrs["fellegi_sunter"]
    assert (parameters["m"] > parameters["u"]).all()


def test_fellegi_sunter_recovers_known_parameters():
    # Property: data drawn from the latent-class model itself (Fellegi & Sunter 1969) with known p, m, u; EM must
    # find them again (Jaro 1989). 20 % of the values are missing at random and must not bias the estimates.
    rng = np.random.default_rng(17)
    n, p = 200_000, 0.05
    m = np.array([0.95, 0.9, 0.85, 0.97, 0.8])
    u = np.array([0.05, 0.1, 0.01, 0.2, 0.3])
    match = rng.random(n) < p
    agree = rng.random((n, 5)) < np.where(match[:, None], m, u)
    sims = np.where(agree, 1.0, 0.0)
    sims[rng.random((n, 5)) < 0.2] = np.nan
    probability, params = q.fellegi_sunter(pd.DataFrame(sims, columns=list("abcde")))
    assert params["m"].to_numpy() == pytest.approx(m, abs=0.02)
    assert params["u"].to_numpy() == pytest.approx(u, abs=0.01)
    assert params.attrs["prevalence"] == pytest.approx(p, abs=0.005)
    assert ((probability >= 0.5).to_numpy() == match).mean() > 0.97


def test_role_mapping_bad_inputs(febrl_like):
    with pytest.raises(CrmlabInputError, match="fields"):
        q.find_duplicates(febrl_like, fields={"shoe_size": "given"})
    with pytest.raises(CrmlabInputError, match="nickname"):
        q.find_duplicates(febrl_like, fields={"given_name": "nickname"})
    with pytest.raises(CrmlabInputError, match="blocks"):
        q.find_duplicates(febrl_like, fields=FIELDS, blocks=["email:exact"])
    with pytest.raises(CrmlabInputError, match="blocks"):
        q.find_duplicates(febrl_like, fields=FIELDS, blocks=["surname:soundex"])
    with pytest.raises(CrmlabInputError, match="method"):
        q.find_duplicates(febrl_like, fields=FIELDS, method="magic")
    with pytest.raises(CrmlabInputError, match="other"):
        q.find_duplicates(febrl_like, febrl_like.drop(columns="ssn"), fields=FIELDS)
    with pytest.raises(CrmlabInputError, match="window"):
        q.find_duplicates(febrl_like, fields=FIELDS, window=1)
    with pytest.raises(CrmlabInputError, match="weights"):
        q.find_duplicates(febrl_like, fields=FIELDS, weights={"email": 1.0})


def test_ids_read_as_floats_and_dates_as_datetimes(febrl_like):
    # read_csv makes an ID column float as soon as one value is blank (1234567 -> 1234567.0), and dates may
    # arrive parsed: both must compare as the values they stand for.
    df = febrl_like.copy()
    df["ssn"] = pd.to_numeric(df["ssn"]).astype(float)
    df.loc["p3", "ssn"] = np.nan
    df["dob"] = pd.to_datetime(df["dob"], format="%Y%m%d")
    pairs = q.find_duplicates(df, fields=FIELDS, locale="en_US", method="average", threshold=0.8)
    p1 = pairs[(pairs["left"] == "p1") & (pairs["right"] == "p1x")].iloc[0]
    assert p1["id_number_sim"] == 1.0 and p1["birth_date_sim"] == 1.0 and p1["match"]
