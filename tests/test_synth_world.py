"""Locales, pools, determinism, the World's CSV form, and bad inputs to ``generate``."""

import pandas as pd
import pandas.testing as pdt
import pytest

from crmlab.synth import World, generate
from crmlab.synth.pools import load_pools
from crmlab.validation import CrmlabInputError

# The 31 provincial-level divisions of mainland China (4 municipalities, 22 provinces, 5 autonomous regions).
PROVINCES_31 = {
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区",
    "新疆维吾尔自治区",
}


@pytest.fixture(scope="module")
def zh():
    return generate("retail", 1500, seed=4, locale="zh_CN")


@pytest.fixture(scope="module")
def en():
    return generate("retail", 1500, seed=4, locale="en_US")


def test_china_division_table_is_real_and_complete():
    div = load_pools("zh_CN").divisions
    assert set(div["province"]) == PROVINCES_31
    assert div.groupby("province")["city"].size().drop(["北京市", "天津市", "上海市", "重庆市"]).min() >= 2
    assert div["city"].is_unique  # a prefecture-level city belongs to one province
    pairs = set(zip(div["province"], div["city"]))
    # Spot checks written from the official division list, including Faker's known bad pair.
    for good in [("广东省", "深圳市"), ("江西省", "南昌市"), ("宁夏回族自治区", "银川市"), ("四川省", "成都市"),
                 ("湖北省", "武汉市"), ("辽宁省", "大连市"), ("山东省", "青岛市"), ("新疆维吾尔自治区", "乌鲁木齐市")]:
        assert good in pairs
    assert ("江西省", "银川市") not in pairs


def test_zh_customers_use_consistent_places(zh):
    div = load_pools("zh_CN").divisions
    pairs = set(zip(div["province"], div["city"]))
    c = zh["customers"]
    assert set(zip(c["province"].astype(str), c["city"].astype(str))) <= pairs
    assert c["province"].nunique() > 20


def test_zh_formats(zh):
    c = zh["customers"]
    assert c["phone"].str.fullmatch(r"1[3-9]\d-\d{4}-\d{4}").all()
    assert c["name"].str.fullmatch(r"[\u4e00-\u9fff]{2,4}").all()
    assert c["email"].str.fullmatch(r"[a-z0-9.]+@[a-z0-9.]+\.(com|cn|net)").all()
    assert c["address"].str.endswith("号").all()
    assert zh.meta["currency"] == "CNY"
    # zh_CN has few distinct names: they repeat, which is why an id, never a name, is the key.
    assert c["name"].nunique() < len(c)


def test_en_formats(en):
    c = en["customers"]
    phone = c["phone"].str.extract(r"^\((\d{3})\) (\d{3})-(\d{4})$")
    assert phone.notna().all().all()
    exchange = phone[1].astype(int)
    assert (exchange >= 200).all() and (exchange % 100 != 11).all()  # no N11 service codes
    # The area code belongs to the customer's own city.
    div = load_pools("en_US").divisions
    codes = {(p, city): set(a.split()) for p, city, a in zip(div["province"], div["city"], div["area_codes"])}
    assert all(code in codes[(p, city)] for code, p, city in zip(phone[0], c["province"].astype(str), c["city"].astype(str)))
    assert c["email"].str.fullmatch(r"[a-z0-9.]+@[a-z0-9.]+\.(com|net)").all()
    assert c["name"].str.fullmatch(r"\S+ \S+").all()
    assert c["address"].str.match(r"^\d+ ").all()
    assert en.meta["currency"] == "USD"


def test_b2b_zh_names(tmp_path):
    w = generate("b2b", 120, seed=1, locale="zh_CN")
    a = w["accounts"]
    companies = a.loc[a["category"].isin(["business", "channel"]), "name"]
    assert companies.str.contains("公司").all()
    internal = a.loc[a["category"] == "internal", "name"]
    assert internal.str.startswith("华钢").all()


def test_same_seed_same_bytes(tmp_path):
    for scenario in ("retail", "b2b"):
        generate(scenario, 120, seed=9, locale="zh_CN").to_csv(tmp_path / f"{scenario}1")
        generate(scenario, 120, seed=9, locale="zh_CN").to_csv(tmp_path / f"{scenario}2")
        for path in (tmp_path / f"{scenario}1").iterdir():
            assert path.read_bytes() == (tmp_path / f"{scenario}2" / path.name).read_bytes(), path.name


def test_different_seed_different_world():
    a, b = generate("retail", 100, seed=1), generate("retail", 100, seed=2)
    assert not a["customers"]["name"].equals(b["customers"]["name"])
    assert not a["truth"]["true_purchase_rate"].equals(b["truth"]["true_purchase_rate"])


def test_csv_round_trip_keeps_dtypes(tmp_path):
    for scenario in ("retail", "b2b"):
        world = generate(scenario, 80, seed=2)
        world.to_csv(tmp_path / scenario)
        back = World.from_csv(tmp_path / scenario)
        assert back.meta == world.meta and back.scenario == scenario
        for name in world.tables:
            pdt.assert_frame_equal(back[name], world[name])


def test_to_csv_refuses_to_overwrite(tmp_path):
    world = generate("retail", 60, seed=2)
    world.to_csv(tmp_path)
    before = (tmp_path / "customers.csv").read_bytes()
    with pytest.raises(CrmlabInputError, match="force=True"):
        generate("retail", 60, seed=3).to_csv(tmp_path)
    assert (tmp_path / "customers.csv").read_bytes() == before
    generate("retail", 60, seed=3).to_csv(tmp_path, force=True)
    assert (tmp_path / "customers.csv").read_bytes() != before


def test_from_csv_without_a_world(tmp_path):
    with pytest.raises(CrmlabInputError, match="meta.json"):
        World.from_csv(tmp_path)


def test_unknown_table_is_named():
    with pytest.raises(CrmlabInputError, match="customers, transactions"):
        generate("retail", 50)["orders"]


def test_meta_and_small_sizes():
    w = generate("retail", 1, seed=0)
    assert len(w["customers"]) == 1
    assert w.meta["analysis_date"] == "2026-01-01"
    assert set(w.meta) >= {"scenario", "seed", "locale", "customers", "start", "end", "analysis_date", "currency"}
    short = generate("b2b", 50, seed=0, start="2024-01-01", end="2024-06-30")
    assert short["opportunities"]["created_date"].max() <= pd.Timestamp("2024-06-30")


@pytest.mark.parametrize("kwargs, words", [
    ({"scenario": "shop"}, ["scenario", "'shop'", "'retail', 'b2b'"]),
    ({"customers": 0}, ["customers", "[1, 2000000]", "0"]),
    ({"customers": -5}, ["customers", "-5"]),
    ({"customers": 2.5}, ["customers", "whole number", "2.5"]),
    ({"seed": 1.5}, ["seed", "whole number", "1.5"]),
    ({"seed": "7"}, ["seed", "whole number", "'7'"]),
    ({"seed": -1}, ["seed", "-1"]),
    ({"locale": "fr_FR"}, ["locale", "'fr_FR'", "'en_US', 'zh_CN'"]),
    ({"start": "2025-01-01", "end": "2024-01-01"}, ["end", "start=2025-01-01", "end=2024-01-01"]),
    ({"start": "2024-01-01", "end": "2024-01-01"}, ["end", "90 days"]),
    ({"start": "someday"}, ["start", "YYYY-MM-DD", "'someday'"]),
])
def test_bad_inputs_name_parameter_value_and_allowed(kwargs, words):
    args = {"scenario": "retail", "customers": 50, **kwargs}
    with pytest.raises(CrmlabInputError) as info:
        generate(args.pop("scenario"), args.pop("customers"), **args)
    for word in words:
        assert word in str(info.value)


def test_generation_never_calls_faker(monkeypatch):
    """Runtime samples only the frozen pools, so the bytes cannot depend on the installed Faker."""
    import sys

    monkeypatch.setitem(sys.modules, "faker", None)  # any `import faker` now raises ImportError
    assert len(generate("retail", 50, seed=1, locale="zh_CN")["customers"]) == 50
    assert len(generate("b2b", 50, seed=1)["accounts"]) == 50


def test_pool_changes_leave_behaviour_alone():
    """Profiles draw from their own random stream: the purchase history does not depend on names."""
    from crmlab.synth.common import streams

    a = streams(5, "retail", ["profiles", "latent"])
    b = streams(5, "retail", ["profiles", "latent", "signup"])
    assert a["latent"].random() == b["latent"].random()


def test_b2b_size_cap_is_named():
    with pytest.raises(CrmlabInputError, match=r"customers must be in \[1, 200000\], got 300000"):
        generate("b2b", 300_000)
