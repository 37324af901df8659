"""Every question of every lesson refuses the generic wrong answers (issue: checks that catch mistakes).

For each question the reference answer for the default world comes from the lesson's source (the
same run the checks use); from it the test builds the wrong answers any careless solution produces —
a number off by 10 % or with the wrong sign, a set with one member missing or one extra, a Series
with one value changed, values misaligned against the index, a key dropped, a table with each
column perturbed in turn or dropped — and asserts that each is judged incorrect, with a message
and without the expected value in it. The reference itself must pass.
"""
from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from crmlab.exercises import lesson
from crmlab.exercises.compare import _fmt
from crmlab.exercises.reference import reference_run, source_path

LESSONS = [f"{n:02d}" for n in range(19) if source_path(f"{n:02d}") is not None]
QUESTIONS = [(number, q.id) for number in LESSONS for q in lesson(number)]


def _changed(value):
    """A value that differs from ``value`` by 10 % (or by one, where 10 % is nothing)."""
    if isinstance(value, (bool, np.bool_)):
        return not value
    if isinstance(value, (int, np.integer)) or isinstance(value, (float, np.floating)) and float(value).is_integer() \
            and value != 0:  # a count, even when stored as a float: one more (or 10 % more), never 10 % of one
        return type(value)(value + max(1, abs(int(round(value * 0.1)))))
    if isinstance(value, (float, np.floating)):
        return value * 1.1 if value != 0 else 0.1
    return f"{value}_x"


def _changed_series(series: pd.Series, position: int | None = None) -> pd.Series:
    if position is None:  # the first value that is there (a first-period rate is often undefined)
        present = np.flatnonzero(series.notna().to_numpy())
        position = int(present[0]) if len(present) else 0
    out = series.astype(object).copy()
    out.iloc[position] = _changed(series.iloc[position])
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        out = out.astype(float)
    elif len(series.unique()) > 1:  # a label: use another label the series has, as a student would
        out.iloc[position] = next(v for v in series.unique() if v != series.iloc[position])
    return out


def _misaligned(series: pd.Series) -> pd.Series | None:
    if series.nunique(dropna=False) < 2:
        return None
    return pd.Series(np.roll(series.to_numpy(), 1), index=series.index, name=series.name)


def generic_wrong_answers(value) -> Iterator[tuple[str, object]]:
    """(what was done, wrong answer) pairs built from a right answer."""
    if isinstance(value, (bool, np.bool_)):
        yield "negated", not value
    elif isinstance(value, (int, float, np.integer, np.floating)) and math.isfinite(float(value)):
        yield "off by 10 %", _changed(value)
        if value != 0:
            yield "wrong sign", -value
    elif isinstance(value, str):
        yield "another label", value + "_x"
    elif isinstance(value, (list, set, tuple)) and value:
        items = list(value)
        yield "one member missing", items[1:]
        yield "one member extra", items + ["NOT-AN-ID"]
    elif isinstance(value, pd.Series) and len(value):
        yield "one value changed", _changed_series(value)
        if len(value) > 1:
            yield "one key dropped", value.iloc[1:]
        misaligned = _misaligned(value)
        if misaligned is not None:
            yield "values misaligned against the index", misaligned
    elif isinstance(value, pd.DataFrame) and len(value):
        for column in value.columns:
            changed = value.copy()
            changed[column] = _changed_series(value[column])
            yield f"column {column!r} changed", changed
            yield f"column {column!r} dropped", value.drop(columns=column)
        if len(value) > 1:
            yield "one row dropped", value.iloc[1:]


@pytest.fixture(scope="module")
def runs():
    return {number: reference_run(number, None, "en", whole=True) for number in LESSONS}


@pytest.mark.parametrize("number,question_id", QUESTIONS, ids=[qid for _, qid in QUESTIONS])
def test_reference_passes_and_generic_wrong_answers_are_refused(number, question_id, runs):
    question = getattr(lesson(number), question_id.split(".")[1])
    expected = runs[number].answers[question_id]
    # A question whose reference is not the answer itself (several tied answers) is answered with the
    # value the source's answer cell left in its variable.
    answer = runs[number].namespace[question.variable] if question.reference is not None else expected
    assert question.evaluate(answer, expected).correct, f"{question_id}: the reference fails its own check"
    accepted = []
    for what, wrong in generic_wrong_answers(answer):
        result = question.evaluate(wrong, expected)
        if result.correct:
            accepted.append(what)
        else:
            assert result.message, f"{question_id} ({what}): no message"
            if isinstance(expected, (int, float, np.number)) and not isinstance(expected, bool):
                shown = _fmt(expected)
                # the student's own answer may be quoted back; the expected value must not be
                message = result.message.replace(_fmt(wrong), "") if not isinstance(wrong, str) else result.message
                assert len(shown) < 2 or shown not in message, \
                    f"{question_id} ({what}): the message shows the expected value: {result.message}"
    assert not accepted, f"{question_id} accepts wrong answers: {accepted}"
