"""Lesson 10 (顾客满意度指数模型): fit the ECSI on the mobile-phone data; R², the 0–100 index, the top driver, ACSI."""
from crmlab.exercises import Exercises, Question, compare
from crmlab.satisfaction import ACSI, ECSI, ECSI_MOBI_BLOCKS, PathModel, load_ecsi_mobi


def _ecsi() -> PathModel:
    return ECSI.path_model(ECSI_MOBI_BLOCKS).fit(load_ecsi_mobi())


def _r2_sat() -> float:
    return float(_ecsi().r2_["SAT"])


def _sat_index() -> float:
    return _ecsi().index(load_ecsi_mobi(), "SAT", scale=(1, 10))


def _top_driver() -> str:
    return str(_ecsi().total_effects().xs("SAT", level="to").idxmax())


def _r2_acsi() -> float:
    return float(ACSI.path_model(ECSI_MOBI_BLOCKS).fit(load_ecsi_mobi()).r2_["SAT"])


EXERCISES = Exercises("10", [
    Question(
        id="10.q1", variable="r2_sat", legacy_expected=_r2_sat, compare=compare.number(rtol=1e-6),
        hints=["The fitted model's r2_ is a Series indexed by endogenous construct.",
               "Satisfaction is the construct 'SAT': model.r2_['SAT']."],
        legacy_solution='r2_sat = model.r2_["SAT"]',
    ),
    Question(
        id="10.q2", variable="sat_index", legacy_expected=_sat_index, compare=compare.number(rtol=1e-6),
        hints=["The index rescales the weighted mean of the SAT items from the 1–10 scale to 0–100.",
               "model.index(data, construct, scale) does it with the unstandardised weights."],
        legacy_solution='sat_index = model.index(mobi, "SAT", scale=(1, 10))',
    ),
    Question(
        id="10.q3", variable="top_driver", legacy_expected=_top_driver, compare=compare.exact(),
        hints=["A driver acts directly and through other constructs: use model.total_effects().",
               "Keep the effects into SAT: .xs('SAT', level='to'), then the largest: .idxmax()."],
        legacy_solution='top_driver = model.total_effects().xs("SAT", level="to").idxmax()',
    ),
    Question(
        id="10.q4", variable="r2_acsi", legacy_expected=_r2_acsi, compare=compare.number(rtol=1e-6),
        hints=["ACSI has the same constructs as ECSI without image (IMAG).",
               "ACSI.path_model(ECSI_MOBI_BLOCKS) builds it; fit it on mobi and read r2_['SAT']."],
        legacy_solution='r2_acsi = ACSI.path_model(ECSI_MOBI_BLOCKS).fit(mobi).r2_["SAT"]',
    ),
])
