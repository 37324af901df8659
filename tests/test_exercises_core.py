"""The exercise API: Question.evaluate/check/hint/solution, the comparators, lesson() and the demo lesson."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab.exercises import Exercises, Question, compare, lesson
from crmlab.exercises import from_notebook
from crmlab.exercises.reference import reference_answers

DEMO = Path(__file__).parent / "grading_corpus" / "source" / "99_demo.ipynb"


def _question(expected, comparator, **kw):
    return Question("99.qx", "answer", comparator, reference=lambda namespace: expected, **kw)


def test_blank_answers_are_not_attempted_and_never_raise():
    q = _question(10.0, compare.number())
    for blank in (Ellipsis, None):
        result = q.evaluate(blank)
        assert (result.status, result.points) == ("not attempted", 0.0)
    assert q.evaluate().status == "not attempted"


def test_correct_answer_earns_the_points_and_messages_never_show_the_expected_value():
    q = _question(1234.5, compare.number(), points=2.0)
    assert (q.evaluate(1234.5).status, q.evaluate(1234.5).points) == ("correct", 2.0)
    wrong = q.evaluate(1000)
    assert wrong.status == "incorrect" and "too low" in wrong.message and "1234.5" not in wrong.message


def test_a_broken_reference_model_is_an_error_not_a_wrong_answer():
    def broken():
        raise KeyError("city")
    result = Question("99.qx", "a", compare.exact(), reference=lambda namespace: broken()).evaluate(3)
    assert result.status == "error" and "KeyError" in result.message


def test_a_comparator_that_raises_becomes_a_message():
    def explode(answer, expected):
        raise TypeError("unhashable")
    assert "TypeError" in _question(1, explode).evaluate([1]).message


def test_number_tolerance_and_percentage_hint():
    # expected 0.8; rtol 1e-6 -> 0.8000001 is within 0.8e-6 + 1e-9; 0.801 is not.
    check = compare.number()
    assert check(0.8000001, 0.8) is None
    assert "too high" in check(0.801, 0.8)
    assert "percentage" in check(80, 0.8)
    assert "NaN" in check(float("nan"), 0.8)
    assert "one number" in check([1, 2], 0.8)
    assert check(np.array([0.8]), 0.8) is None
    assert "should be a number" in check("abc", 0.8)


def test_exact_accepts_a_class_letter_in_either_case():
    check = compare.exact()
    assert check(" a ", "A") is None
    assert check("AB", "ab") is not None
    assert check(3, 3) is None


def test_one_of_accepts_any_tied_answer_and_nothing_else():
    check = compare.one_of()
    assert check("free_wifi", ["home_delivery", "free_wifi"]) is None
    assert check(" home_delivery ", ["home_delivery"]) is None
    assert check("self_checkout", ["home_delivery", "free_wifi"]) == "'self_checkout' is not right."
    assert "label" in check(3, ["home_delivery"])


def test_same_items_counts_extra_and_missing():
    check = compare.same_items()
    assert check(["C2", "C1"], {"C1", "C2"}) is None
    # {C1, C3} vs {C1, C2}: C3 is extra, C2 is missing.
    assert check(["C1", "C3"], ["C1", "C2"]) == "1 item(s) should not be there, e.g. 'C3'; 1 item(s) are missing."
    assert "list" in check("C1", ["C1"])


def test_series_by_key_names_the_first_wrong_key():
    expected = pd.Series(["A", "B", "C"], index=pd.Index([1, 2, 3], name="customer_id"))
    check = compare.series_by_key(what="ABC label", explain=lambda key: f"its share is {key / 10}")
    assert check(expected.sample(frac=1, random_state=0), expected) is None  # order does not matter
    message = check(pd.Series(["A", "C", "B"], index=[1, 2, 3]), expected)
    assert message == ("2 of 3 ABC labels are wrong. For 2 you have 'C'; its share is 0.2. Also check: 3.")
    assert "missing" in check(expected.iloc[:2], expected)
    assert "not in the data" in check(pd.concat([expected, pd.Series(["A"], index=[9])]), expected)
    assert "Series" in check([1, 2, 3], expected)


def test_frame_by_key_checks_each_column():
    expected = pd.DataFrame({"R": [5, 4], "F": [1, 2]}, index=["a", "b"])
    check = compare.frame_by_key()
    assert check(expected.copy(), expected) is None
    assert check(expected.assign(F=[1, 3]), expected).startswith("Column 'F': 1 of 2")
    assert "no column 'R'" in check(expected.drop(columns="R"), expected)


def test_hints_step_through_and_solution_shows_the_expected_value():
    q = _question(42, compare.exact(), hints=["first", ("second", "第二条")])
    assert "first" in repr(q.hint()) and "second" in repr(q.hint()) and "second" in repr(q.hint())
    assert "Hint 1/2" in repr(q.hint(1))
    assert "42" in repr(q.solution())
    from crmlab import i18n
    i18n._state["language"] = "zh"
    assert repr(q.hint(2)) == "提示 2/2: 第二条"  # a hint pair shows its Chinese half in Chinese
    i18n._state["language"] = None


def test_lesson_lookup(monkeypatch):
    monkeypatch.setenv("CRMLAB_SOURCES", str(DEMO.parent))
    ex = lesson(99)
    assert isinstance(ex, Exercises) and [q.id for q in ex] == ["99.q1", "99.q2", "99.q3"]
    assert ex.q3.points == 2.0 and ex.source == DEMO.resolve()
    with pytest.raises(AttributeError, match="no question"):
        ex.q9
    with pytest.raises(ValueError, match="no lesson"):
        lesson("98")
    monkeypatch.delenv("CRMLAB_SOURCES")
    with pytest.raises(ValueError, match="no lesson"):  # an assignment's source is not found unless pointed to
        lesson("99")


def _demo_sales(student_id: str) -> pd.Series:
    """The demo's revenue, recomputed here from its documented recipe (own_seed, 8 draws in [100, 5000))."""
    from crmlab.student import own_seed

    rng = np.random.default_rng(own_seed(99, student_id))
    return pd.Series(rng.integers(100, 5_000, size=8).astype(float), index=[f"C{i:02d}" for i in range(1, 9)])


def test_demo_lesson_data_is_per_student_and_its_answers_check_out():
    ex = from_notebook(DEMO)
    default, mine = reference_answers(DEMO, ""), reference_answers(DEMO, "2024001")
    assert default["99.q1"] != mine["99.q1"]  # another student, other data
    revenue = _demo_sales("")  # the default world (CRMLAB_STUDENT_ID="" in conftest): each answer by hand
    assert default["99.q1"] == revenue.sum()
    assert ex.q1.evaluate(revenue.sum()).correct
    assert ex.q2.evaluate([c for c, r in revenue.items() if r >= revenue.mean()]).correct
    assert ex.q3.evaluate(revenue.max() / revenue.sum()).correct
    assert not ex.q3.evaluate(revenue.min() / revenue.sum()).correct
    assert "mean customer's share" in ex.q3.evaluate(revenue.mean() / revenue.sum()).message  # a metadata mistake


def test_messages_put_type_and_shape_first_and_write_numbers_plainly():
    number = compare.number()
    # A Series where one number is asked: said so, not pandas' "truth value of a Series is ambiguous".
    assert "one number; you gave a pandas Series of 3 values" in number(pd.Series([1.0, 2.0, 3.0]), 6.0)
    assert "should be a number; you gave True/False" in number(True, 1.0)
    assert "4,550,770.5 is too high" in number(4550770.5, 10.0)  # never 4.55077e+06
    assert "wrong sign" in number(-0.25, 0.25)
    share = compare.number(share=True)
    assert "between 0 and 1" in share(1.3, 0.3)  # a share above 1 is named, not "too high"
    two_places = compare.number(rtol=0, atol=1e-9, decimals=2)
    assert two_places(0.61, 0.6137) is None and "too low" in two_places(0.60, 0.6137)
    ids = compare.same_items()
    assert "list of IDs; you gave a table" in ids(pd.DataFrame({"x": [1]}, index=["K01"]), ["K01"])
    assert "True/False Series" in ids(pd.Series([True], index=["K01"]), ["K01"])
    assert "more than once" in ids(["K01", "K01"], ["K01"])
    assert "should be a label" in compare.exact()(3, "Shanghai")


def test_an_answer_from_the_shared_world_is_named_when_the_student_works_on_their_own(monkeypatch):
    """Every question recognises the most common slip of a student with an ID: data loaded before setting it."""
    from crmlab.exercises.reference import reference_run

    shared = reference_run("03", "", "en").answers["03.q4"]  # top-20 share on the shared default world
    monkeypatch.setenv("CRMLAB_STUDENT_ID", "2024001234")
    own = reference_run("03", None, "en").answers["03.q4"]
    assert own != shared
    message = lesson("03").q4.evaluate(shared).message
    assert "shared default world" in message
    assert lesson("03").q4.evaluate(own).correct
