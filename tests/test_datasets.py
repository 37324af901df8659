"""Loading datasets: committed worlds, per-student worlds, the registry, and the byte-for-byte build."""
import pandas as pd
import pandas.testing as pdt
import pytest

from crmlab import datasets
from crmlab.student import ENV_VAR, seed_for
from crmlab.synth import generate
from crmlab.validation import CrmlabInputError


def test_registry_names_and_descriptions():
    assert {"retail", "retail_zh", "b2b", "b2b_zh"} <= set(datasets.REGISTRY)
    for name, entry in datasets.REGISTRY.items():
        builder, description = entry[:2]
        assert callable(builder) and description


def test_datasets_dir_is_the_repository_folder():
    assert datasets.DATASETS_DIR.name == "datasets"
    assert (datasets.DATASETS_DIR / "SCHEMA.md").is_file()


def test_committed_files_equal_a_fresh_build():
    assert datasets.build(check=True) == []


def test_load_default_worlds_with_dtypes():
    retail = datasets.load("retail")
    c, t = retail["customers"], retail["transactions"]
    assert len(c) == 2000 and retail.meta["locale"] == "en_US"
    assert t["date"].dtype.kind == "M" and isinstance(t["category"].dtype, pd.CategoricalDtype)
    assert str(c["customer_id"].dtype) == "str"
    b2b = datasets.load("b2b")
    assert len(b2b["accounts"]) == 300
    assert b2b["service_requests"]["escalated"].dtype == bool
    zh = datasets.load("retail_zh")
    assert zh.meta["locale"] == "zh_CN" and zh.meta["seed"] != retail.meta["seed"]


def test_committed_world_equals_its_generator():
    entry = datasets.REGISTRY["b2b"]
    fresh = generate("b2b", 300, seed=entry.seed, locale="en_US")
    loaded = datasets.load("b2b")
    for name in fresh.tables:
        pdt.assert_frame_equal(loaded[name], fresh[name])


def test_loaded_world_is_safe_to_modify():
    first = datasets.load("retail")
    first["customers"]["name"] = "x"
    first["transactions"].loc[0, "amount"] = -1.0
    again = datasets.load("retail")
    assert (again["customers"]["name"] != "x").all()
    assert again["transactions"].loc[0, "amount"] > 0


def test_student_worlds_differ_and_repeat():
    a = datasets.load("retail", student_id="2024001")
    b = datasets.load("retail", student_id="2024002")
    again = datasets.load("retail", student_id="2024001")
    default = datasets.load("retail")
    assert a.meta["seed"] == seed_for("2024001")
    assert len(a["customers"]) == len(default["customers"])
    assert not a["truth"]["true_purchase_rate"].equals(b["truth"]["true_purchase_rate"])
    assert not a["truth"]["true_purchase_rate"].equals(default["truth"]["true_purchase_rate"])
    pdt.assert_frame_equal(a["transactions"], again["transactions"])


def test_student_id_from_the_environment(monkeypatch):
    monkeypatch.setenv(ENV_VAR, "2024777")
    assert datasets.load("b2b").meta["seed"] == seed_for("2024777")
    monkeypatch.setenv(ENV_VAR, "")
    assert datasets.load("b2b").meta["seed"] == datasets.REGISTRY["b2b"].seed


@pytest.mark.parametrize("kwargs, word", [({"name": "shop"}, "'shop'"), ({"name": "retail", "student_id": ""}, "student_id"),
                                          ({"name": "retail", "student_id": 42}, "42")])
def test_bad_inputs(kwargs, word):
    with pytest.raises(CrmlabInputError, match=word):
        datasets.load(**kwargs)


def test_build_writes_and_detects_a_change(tmp_path):
    assert datasets.build(["b2b"], directory=tmp_path) == ["b2b"]  # nothing there yet: written
    assert datasets.build(["b2b"], check=True, directory=tmp_path) == []
    path = tmp_path / "b2b" / "accounts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("A0001", "A9999"), encoding="utf-8")
    assert datasets.build(["b2b"], check=True, directory=tmp_path) == ["b2b"]
    assert "A9999" in path.read_text(encoding="utf-8")  # --check never writes
