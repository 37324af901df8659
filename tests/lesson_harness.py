"""What every lesson's exercise tests share: the lesson's source notebook run on a world (the same run the
checks use, :mod:`crmlab.exercises.reference`), and the message a wrong answer gets."""
from __future__ import annotations

from crmlab.exercises import lesson
from crmlab.exercises.reference import reference_run


def lesson_namespace(number: str, student_id: str | None = None, language: str = "en") -> dict:
    """The namespace the lesson's source notebook builds (its tables, models and answers) on a world."""
    return reference_run(number, student_id, language, whole=True).namespace


def wrong_message(question_id: str, answer) -> str:
    """The message a wrong ``answer`` to ``question_id`` ("NN.qK") gets; fails if it is not judged incorrect."""
    number, name = question_id.split(".")
    result = getattr(lesson(number), name).evaluate(answer)
    assert result.status == "incorrect", f"{question_id}: {result.status} — {result.message}"
    return result.message


def assert_wrong_answers_explained(lessons, wrong: dict[str, tuple[object, str]]) -> None:
    """For every question of ``lessons``, the typical wrong answer in ``wrong`` ("NN.qK" → (answer, fragment))
    is judged incorrect with a message containing the fragment."""
    for number in lessons:
        for question in lesson(number):
            answer, fragment = wrong[question.id]
            message = wrong_message(question.id, answer)
            assert fragment in message, f"{question.id}: {message}"
