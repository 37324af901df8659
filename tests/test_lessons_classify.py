"""Lessons 01, 03, 04, 05 (customer classification), run from their source notebooks: each recognised
mistake, computed the way a student would, is refused with its own message in both languages; generic
wrong answers are refused; answers written with Chinese labels are accepted; and the course's fixed
cases give the answers worked out by hand below (independent of the code under test)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab import i18n  # noqa: E402
from crmlab.cases.classification import abc_exam, rfm_ties  # noqa: E402
from crmlab.classify.labels import name_map, shown, to_codes  # noqa: E402
from crmlab.classify import abc_classes, quantile_score  # noqa: E402
from crmlab.exercises import lesson  # noqa: E402
from crmlab.exercises.reference import reference_run  # noqa: E402
from crmlab.plot.classify import share_bar  # noqa: E402
from crmlab.validation import CrmlabInputError  # noqa: E402
from lesson_harness import lesson_namespace, wrong_message  # noqa: E402

LESSONS = ("01", "03", "04", "05")
QUESTIONS = [q for number in LESSONS for q in lesson(number)]
MISTAKES = [(q, m) for q in QUESTIONS for m in q.mistakes]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(params=["en", "zh"])
def language(request, monkeypatch):
    monkeypatch.setitem(i18n._state, "language", request.param)
    return request.param


def _reference(question, language):
    return lesson_namespace(question.lesson, None, language), question.expected()


# --- misconceptions: refused, and named ------------------------------------------------------

@pytest.mark.parametrize("question, mistake", MISTAKES, ids=[f"{q.id}-{m.name}" for q, m in MISTAKES])
def test_each_mistake_is_refused_with_its_own_message(question, mistake, language):
    ns, expected = _reference(question, language)
    wrong = mistake.wrong(ns)
    if question.compare(wrong, expected) is None:
        pytest.skip(f"on this world {mistake.name!r} happens to give the right answer")
    message = wrong_message(question.id, wrong)
    assert message == i18n.text(mistake.message)


def test_mistakes_are_named_on_a_students_own_world(monkeypatch):
    # The recognisers run on the student's world (the reference namespace), not on the shared one.
    monkeypatch.setenv("CRMLAB_STUDENT_ID", "2024001234")
    monkeypatch.setitem(i18n._state, "language", "zh")
    named = 0
    for question, mistake in MISTAKES:
        ns = lesson_namespace(question.lesson, "2024001234", "zh")
        wrong = mistake.wrong(ns)
        if question.compare(wrong, question.expected()) is None:
            continue
        assert wrong_message(question.id, wrong) == mistake.message[1], (question.id, mistake.name)
        named += 1
    assert named >= len(MISTAKES) - 3


def test_every_question_recognises_mistakes():
    # issue 13: the common wrong answers of each question are data; at least two per question here.
    assert all(len(q.mistakes) >= 2 for q in QUESTIONS), [q.id for q in QUESTIONS if len(q.mistakes) < 2]


def test_mistake_messages_never_show_the_expected_value(language):
    for question, mistake in MISTAKES:
        ns, expected = _reference(question, language)
        if isinstance(expected, (int, float, np.floating, np.integer)):
            assert f"{float(expected):.3g}" not in i18n.text(mistake.message), question.id


# --- generic wrong answers ---------------------------------------------------------------------

def _perturbations(expected):
    """Wrong answers of the kinds every check must refuse (a property, not a value)."""
    if isinstance(expected, (bool, np.bool_)):
        return []
    if isinstance(expected, (int, float, np.integer, np.floating)):
        value = float(expected)
        out = [value * 1.1 + 1, -value - 1]
        return out if value != 0 else [1.0]
    if isinstance(expected, str):
        return [expected + "x", ""]
    if isinstance(expected, list):
        return [expected[:-1], expected + ["nobody"]]
    if isinstance(expected, pd.Series):
        out = [expected.iloc[:-1], float(expected.iloc[0]) if pd.api.types.is_numeric_dtype(expected) else "A"]
        shifted = pd.Series(np.roll(expected.to_numpy(), 1), index=expected.index)
        if not shifted.equals(expected):
            out.append(shifted)  # values misaligned against the index
        return out
    if isinstance(expected, pd.DataFrame):
        out = [expected.iloc[:-1]]
        for column in expected.columns:
            changed = expected.copy()
            if pd.api.types.is_numeric_dtype(changed[column]):
                changed[column] = changed[column] + 1
            out.append(changed)
            out.append(expected.drop(columns=column))
        return out
    return []


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_generic_wrong_answers_are_refused(question):
    expected = question.expected()
    for wrong in _perturbations(expected):
        assert question.evaluate(wrong).status == "incorrect", (question.id, wrong)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_reference_passes(question, language):
    assert question.evaluate(question.expected()).status == "correct"


# --- labels in the language in force -------------------------------------------------------------

def test_chinese_labels_are_the_courses_and_answers_in_either_language_are_read():
    # GLOSSARY / course: 内部客户, 问题客户, 价值变动客户; 战略联盟关系.
    assert to_codes(pd.Series(["内部客户", "消费者", " channel "]), "category").tolist() == [
        "internal", "consumer", "channel"]
    assert to_codes("问题客户", "status") == "problem"
    assert to_codes(["价值变动客户", "value"], "status") == ["value_change", "value"]
    i18n._state["language"] = "zh"
    try:
        assert name_map("relationship")["strategic_alliance"] == "战略联盟关系"
        assert shown(pd.Series(["problem", "mine"]), "status").tolist() == ["问题客户", "mine"]
    finally:
        i18n._state["language"] = None
    i18n._state["language"] = "en"
    try:
        assert shown(pd.Index(["Champions"]), "segment").tolist() == ["Champions"]
    finally:
        i18n._state["language"] = None


def test_a_label_answer_in_chinese_passes(language):
    q = lesson("01").q1
    answer = pd.Series({"S1": "消费者客户", "S2": "内部客户", "S3": "企业客户", "S4": "政府客户",
                        "S5": "服务型客户", "S6": "中间商客户"})
    assert q.evaluate(answer).status == "correct"


def test_value_change_lists_in_chinese_names_pass(language):
    # The lab manual's names: 问题客户, 价值变动客户, 价值客户 (and 一般客户 for the rest).
    q = lesson("05").q3
    names = {"problem": "问题客户", "value_change": "价值变动客户", "value": "价值客户", "regular": "一般客户"}
    assert q.evaluate(q.expected().map(names)).status == "correct"


# --- the prose is true on every world -------------------------------------------------------------

def _prose_claims(student, language) -> list[str]:
    """What the lessons' prose says about the data, checked on one world; returns the claims that fail."""
    def ns(number):
        return reference_run(number, student, language).namespace

    l01, l03, l04, l05 = ns("01"), ns("03"), ns("04"), ns("05")
    category = l01["categories"]["category"]
    counts = category.value_counts()
    close = l01["accounts"]["relationship"].isin(["partner", "strategic_alliance"]).groupby(category).mean()
    revenue = l01["revenue"].groupby(category).sum()
    retail = l03["revenue"]
    crossed = pd.crosstab(l03["profile"]["value_class"], l03["profile"]["frequency_class"])
    by_segment = l04["by_segment"].mean()["true_value"]
    alive = l04["by_segment"].mean()["alive"]
    found = l04["segments"]["segment"].reindex(l04["top"])
    rest = found[~found.isin(["Champions", "Loyal"])].value_counts()
    tiers, revenue_2025 = l05["tiers"], l05["revenue_2025"]
    changes = l05["changes"]
    problems = changes[changes["status"] == "problem"]
    claims = {
        "01 business, then channel, are the largest groups": list(counts.index[:2]) == ["business", "channel"],
        "01 internal, then channel, are closest": list(close.nlargest(2).index) == ["internal", "channel"],
        "01 business, channel, internal bring nearly all": revenue[["business", "channel", "internal"]].sum()
        > 0.85 * revenue.sum(),
        "01 internal bring most per account": (revenue / counts).idxmax() == "internal",
        "03 class A far above 20 % of customers": (abc_classes(retail) == "A").mean() > 0.3,
        "03 A roughly doubles from 70 % to 90 %": 1.7 < (abc_classes(retail, (0.9, 0.98)) == "A").sum()
        / (abc_classes(retail, (0.7, 0.9)) == "A").sum() < 2.3,
        "03 top fifth well under 80 %": l03["top20"] < 0.75,
        "03 most big spenders buy often": crossed.loc["A", "A"] > crossed.loc["A"].sum() / 2,
        "04 dense-quantile puts most in F = 1": (quantile_score(l04["scores"]["frequency"], ties="dense-quantile")
                                                == 1).mean() > 0.5,
        "04 Champions worth by far the most": by_segment.idxmax() == "Champions"
        and by_segment.drop("Champions").max() * 1.8 < by_segment["Champions"],
        "04 Can't lose them nearly all left": alive["Can't lose them"] < 0.1,
        "04 RFM finds most of the top 20 %": l04["found_share"] > 0.5,
        "04 the rest mostly Potential loyalists, Promising": set(rest.index[:2]) == {"Potential loyalists",
                                                                                      "Promising"},
        "04 win-back segments hold a sizeable part": l04["win_back_share"] > 0.15,
        "05 VIP + major hold over half": revenue_2025[tiers.isin(["VIP", "major"])].sum() > 0.5 * revenue_2025.sum(),
        "05 there are lead customers": (l05["profit_tiers"] == "lead").sum() > 20,
        "05 most problem customers lapsed": problems["lapsed"].sum() > (problems["complaints"] > 0).sum(),
        "05 problem customers hold a large part": problems["value_1"].sum() > 0.3 * changes["value_1"].sum(),
    }
    return [claim for claim, holds in claims.items() if not holds]


@pytest.mark.parametrize("student, lang", [(None, "zh"), (None, "en"), ("test-student-42", "zh")])
def test_what_the_prose_says_holds_on_students_worlds(student, lang):
    # Lesson 01: business then channel are the largest groups; business, channel and internal bring nearly
    # all revenue, internal the most per account; internal then channel are closest. Lesson 03: class A is
    # far above 20 % of customers, A roughly doubles from 70 % to 90 %, the top fifth brings well under 80 %,
    # most big spenders buy often. Lesson 04: dense-quantile puts most in F = 1, Champions are worth by far
    # the most, "Can't lose them" have nearly all left, RFM finds most of the top 20 %, the rest mostly
    # Potential loyalists and Promising. Lesson 05: VIP + major hold over half the revenue, there are lead
    # customers, most problem customers lapsed rather than complained, they hold a large part of 2024 revenue.
    assert _prose_claims(student, lang) == []


# --- the course's fixed cases, answers worked out by hand -----------------------------------

def test_exam_task_classes_by_hand():
    # Amounts sorted (total 400): K02 120 → 30 %, K06 90 → 52.5 %, K04 60 → 67.5 %, K08 40 → 77.5 %,
    # K01 30 → 85 %, K09 25 → 91.25 %, K05 15 → 95 %, K10 10 → 97.5 %, K03 6 → 99 %, K07 4 → 100 %.
    assert abc_exam()["amount"].sum() == 400 and abc_exam()["transactions"].sum() == 100
    assert sorted(lesson("03").q1.expected()) == ["K02", "K04", "K06", "K08"]
    # Transactions sorted (total 100): K06 26, K02 22, K08 17, K01 10 → 75 % (A); K09 83 %, K10 89 %,
    # K04 94 % (B); K05, K03, K07 (C). The worse of the two classes: A only when A on both.
    expected = {"K01": "B", "K02": "A", "K03": "C", "K04": "B", "K05": "C",
                "K06": "A", "K07": "C", "K08": "A", "K09": "B", "K10": "C"}
    assert lesson("03").q2.expected().to_dict() == expected


def test_one_time_buyers_score_by_hand():
    # The five 1s take ranks 1–5, mid-rank 3: F = 1 + ⌊5·(3 − 1)/10⌋ = 2.
    assert (rfm_ties()["frequency"] == 1).sum() == 5
    assert lesson("04").q1.expected() == 2


def test_steel_exercise_answers_of_the_course():
    # The course's exercise: farmer, group's car plant, developer, government road, hospital, distributor.
    assert lesson("01").q1.expected().to_dict() == {
        "S1": "consumer", "S2": "internal", "S3": "business", "S4": "government", "S5": "service",
        "S6": "channel"}


@pytest.mark.parametrize("language, costs", [("en", (3.0, 15.0)), ("zh", (12.0, 60.0))])
def test_profit_follows_the_stated_cost_to_serve(language, costs):
    # The lesson states: 25 % margin, 3 dollars per purchase and 15 per ticket (12 and 60 yuan in the Chinese
    # world). One customer, recomputed row by row from the raw tables.
    ns = lesson_namespace("05", None, language)
    sales, tickets, profit = ns["sales"], ns["tickets"], ns["profit"]
    per_purchase, per_ticket = costs
    for customer in profit.index[:3]:
        mine = sales[(sales["customer_id"] == customer) & (sales["date"].dt.year == 2025)]
        served = ((tickets["customer_id"] == customer) & (tickets["opened_at"].dt.year == 2025)).sum()
        assert profit[customer] == pytest.approx(0.25 * mine["amount"].sum() - per_purchase * len(mine)
                                                 - per_ticket * served)
    assert profit.index.is_unique and len(profit) == sales.loc[sales["date"].dt.year == 2025, "customer_id"].nunique()


# --- the chart this track added ----------------------------------------------------------------

def test_share_bar_draws_counts_and_shares_largest_first():
    ax = share_bar(pd.Series(["b", "a", "b", "c", "b", "a"]))
    # Top to bottom: b (3 of 6 = 50 %), a (2 of 6 = 33 %), c (1 of 6 = 17 %).
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a", "c"]
    assert [t.get_text() for t in ax.texts] == ["3 (50%)", "2 (33%)", "1 (17%)"]


def test_share_bar_keeps_a_given_order_and_shows_empty_groups():
    ax = share_bar(pd.Series(["x", "x"]), order=["x", "y"])
    assert [t.get_text() for t in ax.texts] == ["2 (100%)", "0 (0%)"]


@pytest.mark.parametrize("labels, order", [
    (pd.Series(["a", None]), None),
    (pd.Series(["a", "z"]), ["a"]),
    (pd.DataFrame({"a": [1]}), None),
    (pd.Series([], dtype="str"), None),
])
def test_share_bar_rejects_bad_input(labels, order):
    with pytest.raises(CrmlabInputError):
        share_bar(labels, order=order)
