"""Exercises that check themselves: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

In a lesson::

    from crmlab.exercises import lesson
    ex = lesson("03")
    abc = ...            # your answer
    ex.q1.check()

A lesson's questions are defined in its notebook: each answer cell's metadata
(:mod:`crmlab.exercises.spec`). :func:`lesson` reads them from the lesson's source notebook
(the one with the solutions) when it is reachable — the practice lessons ship theirs — and
otherwise from the student's own copy of an assessed assignment, which holds no answers.
"""
from __future__ import annotations

import re
from pathlib import Path

from crmlab.exercises import compare
from crmlab.exercises.core import CheckResult, Exercises, Mistake, Question

__all__ = ["CheckResult", "Exercises", "Mistake", "Question", "compare", "from_notebook", "lesson"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


def lesson_name(number: str | int) -> str:
    """``3``, ``"3"`` and ``"03"`` → ``"03"``; an assignment's own name (``"exam01"``) as it is."""
    name = str(number).strip()
    if name.isdigit():
        return f"{int(name):02d}"
    if not _NAME.fullmatch(name):
        raise ValueError(f"{number!r} is not a lesson name (a number such as 3, or a name such as exam01).")
    return name


def from_notebook(path: str | Path) -> Exercises:
    """The exercises a notebook defines in its answer cells' metadata.

    A source notebook (with the solutions) gives questions checked against its own answers; an
    assessed student version gives questions that check only their answers' form.
    """
    from crmlab.exercises import spec
    from crmlab.exercises.reference import is_source, lesson_of, read_notebook

    path = Path(path).resolve()
    nb = read_notebook(path)
    source = path if is_source(nb) else None
    name = lesson_of(nb) or path.stem
    return Exercises(name, spec.questions(nb, source), source=source)


def _student_copy(name: str) -> Path | None:
    """A student version of assignment ``name`` in the current folder (the notebook being worked on)."""
    from crmlab.exercises.reference import read_notebook

    for path in sorted(Path.cwd().glob("*.ipynb")):
        try:
            meta = read_notebook(path).get("metadata", {}).get("crmlab", {})
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(meta, dict) and str(meta.get("lesson")) == name:
            return path
    return None


def lesson(number: str | int) -> Exercises:
    """The exercises of lesson ``number`` (``"03"`` or ``3``) or of an assignment (``"exam01"``)."""
    from crmlab.exercises.core import _grading
    from crmlab.exercises.reference import source_path

    name = lesson_name(number)
    if _grading():
        # In a submission's kernel the checks do not count and no solution may be read: the student's
        # own copy at most, and a copy that cannot be read must not stop the student's own cells.
        try:
            path = _student_copy(name)
            return from_notebook(path) if path is not None else Exercises(name, [])
        except Exception:  # noqa: BLE001
            return Exercises(name, [])
    path = source_path(name) or _student_copy(name)
    if path is None:
        raise ValueError(f"There is no lesson {number!r} with exercises here (no source notebook, and no student "
                         "copy of it in the current folder).")
    return from_notebook(path)
