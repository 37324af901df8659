"""PathModel (PLS path modelling) against published/peer reference output, hand cases and properties."""
import numpy as np
import pandas as pd
import pytest

from crmlab.satisfaction import ECSI, ECSI_MOBI_BLOCKS, PathModel, load_ecsi_mobi
from crmlab.validation import ConvergenceWarning, CrmlabInputError

MOBI = load_ecsi_mobi()

# Reference: R package seminr (Ray, Danks & Calero Valdez), estimate_pls() on `mobi` with the
# path weighting scheme, Image/Expectation/Loyalty/Complaints mode A and Quality mode B, paths
# Image→Expectation, Expectation→Loyalty, Quality→Loyalty, Complaints→Loyalty. The R output
# is the golden fixture "seminr-mobi-basic-paths.csv" / "-outer-model.csv" of the Python plspm
# package's test suite (GoogleCloudPlatform/plspm-python, tests/data); seminr itself is tested
# against SmartPLS 3 and ADANCO. Values copied to 15 significant digits.
SEMINR_PATHS = {
    ("Image", "Expectation"): 0.512876954138615,
    ("Expectation", "Loyalty"): 0.124534792831633,
    ("Quality", "Loyalty"): 0.405693671851465,
    ("Complaints", "Loyalty"): 0.176081956818542,
}
SEMINR_OUTER = {  # item: (weight, loading)
    "IMAG1": (0.289315133055235, 0.738146832100829), "IMAG2": (0.302049292567551, 0.628057636334134),
    "IMAG3": (0.239056557053925, 0.584994323749385), "IMAG4": (0.306197698970417, 0.755321624185593),
    "IMAG5": (0.307935309510133, 0.73266724244498), "CUEX1": (0.486195010983096, 0.750620088913199),
    "CUEX2": (0.561419220295048, 0.760693713932964), "CUEX3": (0.381323454524026, 0.545427204646342),
    "PERQ1": (0.407033650980277, 0.848331559563572), "PERQ2": (0.166397958325427, 0.613093727616285),
    "PERQ3": (0.38465728634974, 0.840292545241395), "PERQ4": (0.0740065406659367, 0.654863987061899),
    "PERQ5": (0.0521512126128109, 0.670785747101997), "PERQ6": (-0.0862475048715799, 0.610190554740549),
    "PERQ7": (0.247567714116287, 0.802363177633337), "CUSCO": (1.0, 1.0),
    "CUSL1": (0.455294149865501, 0.817374915589384), "CUSL2": (0.117887757261553, 0.205795369057261),
    "CUSL3": (0.658305669437138, 0.916889001865127),
}
BASIC_BLOCKS = {
    "Image": ECSI_MOBI_BLOCKS["IMAG"], "Expectation": ECSI_MOBI_BLOCKS["EXPE"],
    "Quality": ECSI_MOBI_BLOCKS["QUAL"], "Complaints": ["CUSCO"], "Loyalty": ECSI_MOBI_BLOCKS["LOY"],
}


def ecsi_model(**options):
    return ECSI.path_model(ECSI_MOBI_BLOCKS, **options)


def test_mobi_data_is_the_published_table():
    # Tenenhaus et al. (2005), section 5: 250 customers, 24 items on 1–10, no missing values.
    assert MOBI.shape == (250, 24)
    assert MOBI.notna().all().all()
    assert MOBI.min().min() == 1 and MOBI.max().max() == 10


def test_matches_seminr_reference_to_1e6():
    model = PathModel(list(SEMINR_PATHS), BASIC_BLOCKS, modes={"Quality": "B"}).fit(MOBI)
    expected_paths = pd.Series(SEMINR_PATHS)
    np.testing.assert_allclose(model.path_coefficients_[expected_paths.index], expected_paths, atol=1e-6)
    outer = pd.DataFrame(SEMINR_OUTER, index=["weight", "loading"]).T
    np.testing.assert_allclose(model.loadings_[outer.index], outer["loading"], atol=1e-6)
    np.testing.assert_allclose(model.weights_[outer.index], outer["weight"], atol=1e-6)


def test_ecsi_full_model_shape_and_signs():
    model = ecsi_model().fit(MOBI)
    assert list(model.r2_.index) == ["EXPE", "QUAL", "VAL", "SAT", "COMP", "LOY"]
    assert model.path_coefficients_.index.names == ["from", "to"]
    assert len(model.loadings_) == 24
    # Tenenhaus et al. (2005), Fig. 4: quality is the strongest driver of satisfaction.
    sat = model.path_coefficients_.xs("SAT", level="to")
    assert sat.idxmax() == "QUAL"
    assert ((model.r2_ > 0) & (model.r2_ < 1)).all()


@pytest.mark.parametrize("scheme", ["path", "factorial"])
def test_cross_check_with_peer_seminr_python(scheme):
    seminr = pytest.importorskip("seminr")
    names = {"IMAG": "IMAG", "EXPE": "CUEX", "QUAL": "PERQ", "VAL": "PERV", "SAT": "CUSA", "LOY": "CUSL"}
    counts = {"IMAG": 5, "EXPE": 3, "QUAL": 7, "VAL": 2, "SAT": 3, "LOY": 3}
    mm = seminr.constructs(*[seminr.composite(c, seminr.multi_items(p, list(range(1, counts[c] + 1))))
                             for c, p in names.items()], seminr.composite("COMP", seminr.single_item("CUSCO")))
    sm = seminr.relationships(*[seminr.paths(s, d) for s, d in ECSI.paths])
    weighting = seminr.path_weighting if scheme == "path" else seminr.path_factorial
    peer = seminr.estimate_pls(MOBI, mm, sm, inner_weights=weighting)
    ours = ecsi_model(scheme=scheme).fit(MOBI)
    rows, cols = list(peer.path_coef.rows), list(peer.path_coef.cols)
    for (s, d), value in ours.path_coefficients_.items():
        assert value == pytest.approx(peer.path_coef.values[rows.index(s), cols.index(d)], abs=1e-6)
    peer_loadings = np.asarray(peer.outer_loadings.values).sum(axis=1)
    items = [r.measurement for r in peer.mm_matrix.rows]
    np.testing.assert_allclose(ours.loadings_[items], peer_loadings, atol=1e-6)


def test_single_items_reduce_to_correlation():
    # One item per construct: the score is the standardised item, so the path is the Pearson r.
    # x = 1,2,3,4; y = 2,1,4,3: deviations (−1.5,−.5,.5,1.5) and (−.5,−1.5,1.5,.5);
    # Σ dx·dy = .75+.75+.75+.75 = 3, Σ dx² = Σ dy² = 5 → r = 3/5 = 0.6, R² = 0.36.
    df = pd.DataFrame({"x": [1, 2, 3, 4], "y": [2, 1, 4, 3]})
    model = PathModel([("X", "Y")], {"X": ["x"], "Y": ["y"]}).fit(df)
    assert model.path_coefficients_[("X", "Y")] == pytest.approx(0.6)
    assert model.r2_["Y"] == pytest.approx(0.36)
    assert model.loadings_.tolist() == pytest.approx([1.0, 1.0])


def test_two_blocks_schemes_agree():
    # With two positively related constructs the three inner schemes differ only by a positive
    # factor on the single inner weight, which the normalisation removes.
    results = [PathModel([("IMAG", "EXPE")], {"IMAG": ECSI_MOBI_BLOCKS["IMAG"], "EXPE": ECSI_MOBI_BLOCKS["EXPE"]},
                         scheme=s).fit(MOBI).path_coefficients_.iloc[0] for s in ("path", "centroid", "factorial")]
    assert results == pytest.approx([results[0]] * 3, abs=1e-9)


def test_sign_follows_majority_of_loadings():
    df = MOBI.copy()
    df["CUEX1"] = 11 - df["CUEX1"]  # a reverse-worded item: one of three loadings turns negative
    model = PathModel([("IMAG", "EXPE")], {"IMAG": ECSI_MOBI_BLOCKS["IMAG"], "EXPE": ECSI_MOBI_BLOCKS["EXPE"]}).fit(df)
    assert model.loadings_["CUEX1"] < 0 < model.loadings_["CUEX2"]
    assert model.path_coefficients_.iloc[0] > 0


def test_unstandardised_equals_standardised_on_unit_variance_items():
    z = (MOBI - MOBI.mean()) / MOBI.std()
    a = ecsi_model().fit(z)
    b = ecsi_model(standardize=False).fit(z)
    np.testing.assert_allclose(a.path_coefficients_, b.path_coefficients_, atol=1e-9)


def test_scores_are_standardised_and_indexed_like_input():
    df = MOBI.set_index(pd.Index([f"R{i:03d}" for i in range(250)]))
    model = ecsi_model().fit(df)
    assert model.scores_.index.equals(df.index)
    np.testing.assert_allclose(model.scores_.std(), 1.0)
    np.testing.assert_allclose(model.scores_.mean(), 0.0, atol=1e-12)


def test_total_effects_add_indirect_paths():
    model = ecsi_model().fit(MOBI)
    p = model.path_coefficients_
    total = model.total_effects()
    # VAL → SAT → LOY and VAL → SAT → COMP → LOY are the only routes from VAL to LOY.
    expected = p[("VAL", "SAT")] * (p[("SAT", "LOY")] + p[("SAT", "COMP")] * p[("COMP", "LOY")])
    assert total[("VAL", "LOY")] == pytest.approx(expected)


def test_bootstrap_intervals_and_determinism():
    model = ecsi_model().fit(MOBI)
    a = model.bootstrap(n=40, seed=3)
    b = model.bootstrap(n=40, seed=3)
    pd.testing.assert_frame_equal(a, b)
    paths = a.loc["path"]
    assert len(paths) == 12
    assert (paths["ci_lower"] <= paths["ci_upper"]).all()
    assert (paths["boot_se"] > 0).all()
    # The strong QUAL → SAT path stays clearly positive in every resample interval.
    assert paths.loc[("QUAL", "SAT"), "ci_lower"] > 0.2


def test_acsi_index_range_and_hand_case():
    model = ecsi_model().fit(MOBI)
    weights = model.unstandardized_weights("SAT")
    assert weights.sum() == pytest.approx(1.0)
    assert (weights > 0).all()
    top = pd.DataFrame({c: [10, 1] for c in weights.index})
    # All answers 10 → (10 − 1)/(10 − 1)·100 = 100; all answers 1 → 0.
    assert model.index_scores(top, "SAT", (1, 10)).tolist() == pytest.approx([100.0, 0.0])
    index = model.index(MOBI, "SAT", (1, 10))
    manual = 100 * ((MOBI[weights.index] @ weights).mean() - 1) / 9
    assert index == pytest.approx(manual)
    assert 60 < index < 85  # mobi satisfaction items average about 7.5 on 1–10


@pytest.mark.parametrize("kwargs, match", [
    ({"paths": [("IMAG", "NOPE")]}, "NOPE"),
    ({"paths": [("IMAG", "EXPE"), ("EXPE", "IMAG")]}, "cycle"),
    ({"scheme": "magic"}, "scheme"),
    ({"modes": {"IMAG": "C"}}, "modes"),
    ({"blocks": {"IMAG": [], "EXPE": ["CUEX1"]}}, "non-empty"),
    ({"blocks": {"IMAG": ["CUEX1"], "EXPE": ["CUEX1"]}}, "two blocks"),
])
def test_bad_specification(kwargs, match):
    spec = {"paths": [("IMAG", "EXPE")], "blocks": {"IMAG": ["IMAG1", "IMAG2"], "EXPE": ["CUEX1", "CUEX2"]}}
    spec.update(kwargs)
    with pytest.raises(CrmlabInputError, match=match):
        PathModel(**spec).fit(MOBI)


def test_bad_data():
    model = PathModel([("IMAG", "EXPE")], {"IMAG": ["IMAG1", "IMAG2"], "EXPE": ["CUEX1", "CUEX2"]})
    with pytest.raises(CrmlabInputError, match="CUEX2"):
        model.fit(MOBI.drop(columns="CUEX2"))
    flat = MOBI.assign(IMAG2=5)
    with pytest.raises(CrmlabInputError, match="same answer"):
        model.fit(flat)
    with pytest.raises(CrmlabInputError, match="NaN"):
        model.fit(MOBI.assign(IMAG1=MOBI["IMAG1"].where(MOBI.index > 0)))
    with pytest.raises(CrmlabInputError, match="DataFrame"):
        model.fit(MOBI.to_numpy())
    with pytest.raises(CrmlabInputError, match="not fitted"):
        model.bootstrap(n=5)
    fitted = model.fit(MOBI)
    with pytest.raises(CrmlabInputError, match="scale"):
        fitted.index_scores(MOBI, "EXPE", (1, 5))


def test_convergence_parameters():
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        ecsi_model(max_iter=1).fit(MOBI)
    loose = ecsi_model(tol=1e-3).fit(MOBI)
    tight = ecsi_model(tol=1e-12).fit(MOBI)
    assert loose.n_iter_ < tight.n_iter_
    np.testing.assert_allclose(loose.path_coefficients_, tight.path_coefficients_, atol=1e-2)
    with pytest.raises(CrmlabInputError, match="tol"):
        ecsi_model(tol=0).fit(MOBI)
    with pytest.raises(CrmlabInputError, match="paths"):
        PathModel(None, {"A": ["IMAG1"]}).fit(MOBI)
