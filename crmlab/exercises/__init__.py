"""Exercises that check themselves: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

In a lesson::

    from crmlab.exercises import lesson
    ex = lesson("03")
    abc = ...            # your answer
    ex.q1.check()

Each lesson's questions live in ``crmlab/exercises/lessons/l<NN>_<topic>.py`` as a module-level
``EXERCISES`` (an :class:`Exercises`).
"""
from __future__ import annotations

import importlib
import pkgutil

from crmlab.exercises import compare
from crmlab.exercises.core import CheckResult, Exercises, Mistake, Question

__all__ = ["CheckResult", "Exercises", "Mistake", "Question", "compare", "lesson"]


def lesson(number: str | int) -> Exercises:
    """The exercises of lesson ``number`` (``"03"`` or ``3``)."""
    from crmlab.exercises import lessons

    prefix = f"l{int(number):02d}_"
    for info in pkgutil.iter_modules(lessons.__path__):
        if info.name.startswith(prefix):
            return importlib.import_module(f"crmlab.exercises.lessons.{info.name}").EXERCISES
    raise ValueError(f"There is no lesson {number!r} with exercises.")
