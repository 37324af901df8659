"""The survey generator: same seed → same bytes; the stated truth is recovered by the methods."""
import numpy as np
import pandas as pd
import pytest

from crmlab.satisfaction import PathModel, SERVQUAL_ITEMS, kano_counts, servqual_gaps
from crmlab.synth.surveys import index_survey, kano_survey, servqual_survey
from crmlab.validation import CrmlabInputError

SIX = {c: 6 for c in ["IMAG", "EXPE", "QUAL", "VAL", "SAT", "COMP", "LOY"]}


def test_same_seed_same_bytes():
    a, b = index_survey(200, seed=7), index_survey(200, seed=7)
    pd.testing.assert_frame_equal(a.responses, b.responses)
    assert not a.responses.equals(index_survey(200, seed=8).responses)
    pd.testing.assert_frame_equal(kano_survey(50, {"x": "A"}, seed=1).responses,
                                  kano_survey(50, {"x": "A"}, seed=1).responses)


def test_likert_answers_on_scale():
    s = index_survey(300, scale=(1, 7), seed=2)
    assert s.responses.min().min() >= 1 and s.responses.max().max() <= 7
    assert list(s.truth["loadings"].index) == list(s.responses.columns)


def test_latent_scores_have_the_stated_structure():
    s = index_survey(20000, seed=4, scale=None)
    eta = s.truth["scores"]
    # IMAG is exogenous and EXPE has IMAG as its only cause: cor(IMAG, EXPE) = β = 0.50.
    assert eta["IMAG"].corr(eta["EXPE"]) == pytest.approx(0.50, abs=0.02)
    assert eta.std().to_numpy() == pytest.approx(np.ones(7), abs=0.02)


def test_path_model_recovers_known_paths():
    # Six items per construct with loading 0.95: composite reliability ≈ 0.98, so PLS's
    # measurement-error attenuation is ≈ 2 %; with n = 5000 the sampling sd of a path is ≈ 0.015.
    s = index_survey(5000, items=SIX, loading=0.95, seed=3)
    model = PathModel(list(s.truth["paths"].index), s.truth["blocks"]).fit(s.responses)
    error = (model.path_coefficients_ - s.truth["paths"]).abs()
    assert error.max() < 0.06
    assert model.loadings_.min() > 0.85


def test_halo_inflates_correlations_across_constructs():
    plain = index_survey(4000, seed=5, scale=None, halo=0.0).responses
    halo = index_survey(4000, seed=5, scale=None, halo=0.4).responses
    # IMAG1 and CUSCO are linked only through long paths; a shared halo adds h² = 0.16.
    assert halo["IMAG1"].corr(halo["COMP1"]) > plain["IMAG1"].corr(plain["COMP1"]) + 0.1


def test_kano_recovers_categories():
    truth = {"wifi": "A", "price": "O", "clean": "M", "music": "I", "ads": "R"}
    s = kano_survey(300, truth, noise=0.3, seed=6)
    f = s.responses.filter(like="_functional").rename(columns=lambda c: c.removesuffix("_functional"))
    d = s.responses.filter(like="_dysfunctional").rename(columns=lambda c: c.removesuffix("_dysfunctional"))
    assert kano_counts(f, d)["category"].to_dict() == truth


def test_servqual_recovers_gaps():
    gaps = {"tangibles": 0.3, "reliability": -1.0, "responsiveness": -0.5, "assurance": 0.0, "empathy": 0.5}
    s = servqual_survey(2000, gaps, wording="1988", seed=9)
    out = servqual_gaps(s.responses, [f"E{i}" for i in range(1, 23)], [f"P{i}" for i in range(1, 23)],
                        reverse=SERVQUAL_ITEMS["negative_1988"])
    # rounding to whole answers and clipping to 1–7 shrink gaps a little
    recovered = out["dimensions"].mean()
    assert recovered.to_dict() == pytest.approx(gaps, abs=0.15)
    assert recovered.idxmin() == "reliability"


def test_generator_bad_input():
    with pytest.raises(CrmlabInputError, match="explain"):
        index_survey(100, paths={("A", "B"): 1.2}, items={"A": 2, "B": 2})
    with pytest.raises(CrmlabInputError, match="loading"):
        index_survey(100, loading=1.0)
    with pytest.raises(CrmlabInputError, match="items"):
        index_survey(100, items={"IMAG": 3})
    with pytest.raises(CrmlabInputError, match="unknown Kano"):
        kano_survey(10, {"x": "Z"})
    with pytest.raises(CrmlabInputError, match="missing"):
        servqual_survey(10, {"tangibles": 0})
    with pytest.raises(CrmlabInputError, match="n"):
        index_survey(3)
