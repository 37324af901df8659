"""What every lesson's exercise tests share: build the notebook's namespace, run the worked
solutions in it, and read the message a wrong answer gets."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from crmlab.exercises import lesson


def namespace_from(setup: str) -> Callable[[], dict]:
    """A namespace factory from the setup code a notebook runs before its answer cells."""
    def build() -> dict:
        namespace: dict = {}
        exec(setup, namespace)  # noqa: S102 - the lesson's own setup code
        return namespace
    return build


def solve(question, namespace: dict):
    """Run the question's worked solution in ``namespace`` and return its answer variable."""
    exec(question.solution_code, namespace)  # noqa: S102 - the lesson's own solution code
    return namespace[question.variable]


def assert_lesson_works(number: str, make_namespace: Callable[[], dict]) -> None:
    """Every question's expected() gives a value, has hints and a solution, and the solution passes."""
    namespace = make_namespace()
    questions = list(lesson(number))
    assert len(questions) >= 3, f"lesson {number} has {len(questions)} questions"
    for question in questions:
        value = question.expected()
        assert value is not None and not (isinstance(value, float) and pd.isna(value)), question.id
        assert question.hints and question.solution_code, question.id
        result = question.evaluate(solve(question, namespace))
        assert result.correct, f"{question.id}: {result.message}"


def assert_wrong_answers_explained(lessons, wrong: dict[str, tuple[object, str]]) -> None:
    """For every question of ``lessons``, the typical wrong answer in ``wrong`` ("NN.qK" → (answer, fragment))
    is judged incorrect with a message containing the fragment."""
    for number in lessons:
        for question in lesson(number):
            answer, fragment = wrong[question.id]
            message = wrong_message(question.id, answer)
            assert fragment in message, f"{question.id}: {message}"


def wrong_message(question_id: str, answer) -> str:
    """The message a wrong ``answer`` to ``question_id`` ("NN.qK") gets; fails if it is not judged incorrect."""
    number, name = question_id.split(".")
    result = getattr(lesson(number), name).evaluate(answer)
    assert result.status == "incorrect", f"{question_id}: {result.status} — {result.message}"
    return result.message
