"""The exercise API every lesson uses: ``q1.check()``, ``q1.hint()``, ``q1.solution()``.

A :class:`Question` names the notebook variable that holds the student's answer, a comparator
that says what is wrong, the mistakes it recognises, hints in steps and points; lessons define
them in their answer cells' metadata (:mod:`crmlab.exercises.spec`). The right answer
is computed when a check runs, by the lesson's own source notebook on the student's *own* data
(:mod:`crmlab.exercises.reference`); no answer key is stored anywhere, and the value is shown
only by :meth:`Question.solution`.
"""
from __future__ import annotations

import html
import os
import sys
import traceback
from pathlib import Path
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crmlab.exercises.compare import Comparator
from crmlab.i18n import text, tr
from crmlab.student import get_student_id

CORRECT, INCORRECT, NOT_ATTEMPTED, ERROR = "correct", "incorrect", "not attempted", "error"
READY = "ready"  # an assessed answer of the right form: graded on submission
_COLOURS = {CORRECT: "#009E73", INCORRECT: "#D55E00", NOT_ATTEMPTED: "#7F7F7F", ERROR: "#CC79A7", READY: "#0072B2"}
_ASSESSED = ("This is an assessed assignment: answers are graded when you hand in your work, and no solution "
             "or expected answer is shown.",
             "这是计分作业：答案在提交后评分，不提供参考答案或正确答案。")
_BLANK = (Ellipsis, None)
GRADING_ENV = "CRMLAB_GRADING"  # set by the grader in a submission's kernel: no reference answers there


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: status, points earned, and a message for the student."""
    question: str
    status: str
    points: float
    max_points: float
    message: str

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def _title(self) -> str:
        return {
            CORRECT: tr("Correct", "正确"),
            INCORRECT: tr("Not yet", "还不对"),
            NOT_ATTEMPTED: tr("Not attempted yet", "尚未作答"),
            ERROR: tr("Could not check", "无法检查"),
            READY: tr("Ready to hand in", "可以提交"),
        }[self.status]

    def __repr__(self) -> str:
        return f"{self.question} · {self._title()}: {self.message}"

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.status]
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px">'
                f'<b style="color:{colour}">{html.escape(self.question)} · {html.escape(self._title())}</b>'
                f' {html.escape(self.message)}</div>')


@dataclass(frozen=True)
class _Text:
    """A hint or a solution, shown as Markdown-ish HTML in a notebook and as text elsewhere."""
    heading: str
    body: str
    code: str = ""

    def __repr__(self) -> str:
        return f"{self.heading}: {self.body}" + (f"\n{self.code}" if self.code else "")

    def _repr_html_(self) -> str:
        code = f"<pre>{html.escape(self.code)}</pre>" if self.code else ""
        return (f'<div style="border-left:4px solid #0072B2;padding:4px 10px"><b>{html.escape(self.heading)}</b> '
                f'{html.escape(self.body)}{code}</div>')


def _user_namespace() -> dict[str, Any]:
    """The namespace the student's cells run in (IPython's user namespace, else __main__)."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with the lab
        shell = None
    if shell is not None:
        return shell.user_ns
    return vars(sys.modules["__main__"])


class AssessedQuestion(RuntimeError):
    """Asked for the answer of an assessed question: it exists only where the work is graded."""


@dataclass(frozen=True)
class Mistake:
    """A wrong answer students often give, computed the way the student would, and what to tell them.

    ``wrong(namespace)`` gets the namespace of the lesson's reference run (its tables, its models) and
    returns the answer the mistake produces; when the student's answer matches it, the check names
    the mistake with ``message``, an ``(English, 中文)`` pair, instead of a generic one.
    """
    name: str
    wrong: Callable[[dict], Any]
    message: tuple[str, str]


def _grading() -> bool:
    return bool(os.environ.get(GRADING_ENV))


@dataclass
class Question:
    """One exercise.

    The right answer comes from the lesson's source notebook: its answer cell, run on the student's
    own world (:mod:`crmlab.exercises.reference`); the worked solution shown is that cell's code.
    A question itself holds only what a notebook cannot: the answer variable, the comparator,
    hints, points and the mistakes it recognises.

    Parameters
    ----------
    id : str
        Stable identifier, ``"<lesson>.<name>"`` (e.g. ``"03.q1"``); the answer cell carries the
        tag ``answer:<id>``.
    variable : str
        The notebook variable that holds the answer (``abc = ...`` in the student version).
    compare : comparator
        From :mod:`crmlab.exercises.compare`.
    hints : list of (English, 中文) pairs
        Revealed one at a time by :meth:`hint`.
    points : float
        Points for a correct answer (the grader uses them).
    mistakes : list of Mistake
        Common wrong answers the check recognises and names.
    reference : callable, optional
        ``reference(namespace) -> value`` when the answer is not simply the value of ``variable``
        after the answer cell (e.g. every feature that ties for first place); a question written in
        Python without a source gets ``reference({})``.
    explanation : (English, 中文) pair, optional
        Shown with the worked solution.
    source : Path, optional
        The notebook holding the solutions. None in an assessed student version (and no
        ``reference``): there the check looks only at the answer's ``form`` and the work is graded
        on submission.
    form : dict, optional
        The answer's form (:mod:`crmlab.exercises.form`), recorded by ``crmlab assign --assessed``.
    keys : str, optional
        Python run on the *student's* namespace giving the IDs an answer keyed by customer must
        cover (``"sales['customer_id'].unique()"``): an assessed check names missing and extra IDs.
    """
    id: str
    variable: str
    compare: Comparator
    hints: Sequence[str | tuple[str, str]] = ()
    points: float = 1.0
    mistakes: Sequence[Mistake] = ()
    reference: Callable[[dict], Any] | None = None
    explanation: str | tuple[str, str] = ""
    source: Path | None = None
    form: dict | None = None
    keys: str = ""
    _hints_shown: int = field(default=0, repr=False)

    @property
    def lesson(self) -> str:
        return self.id.split(".", 1)[0]

    def _keys(self) -> Any:
        """The IDs the answer must cover, from the student's own data (None when unknown)."""
        if not self.keys:
            return None
        from crmlab.exercises.spec import evaluate

        try:
            return evaluate(self.keys, _user_namespace())
        except Exception:  # the student has not loaded the data yet: say nothing about IDs
            return None

    @property
    def assessed(self) -> bool:
        """An assessed question: no solution here; the answer is graded on submission."""
        return self.source is None and self.reference is None

    def expected(self) -> Any:
        """The right answer for your own data (from the lesson's source notebook)."""
        if _grading():
            raise RuntimeError(tr("Reference answers are not available while a submission is graded.",
                                  "批改作业时不提供参考答案。"))
        if self.assessed:
            raise AssessedQuestion(text(_ASSESSED))
        if self.source is None:  # a question written in Python, with its own reference
            return self.reference({})
        from crmlab.exercises.reference import ReferenceError, missing_reference, reference_run

        answers = reference_run(self.source).answers
        if self.id not in answers:
            raise ReferenceError(missing_reference(self.id))
        return answers[self.id]

    @property
    def solution_code(self) -> str:
        """The worked solution: the code of the question's answer cell in the lesson's source notebook."""
        if self.source is None:
            return ""
        from crmlab.exercises.reference import solution_code

        return solution_code(self.source, self.id)

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        """None when ``answer`` is right; else the message: a recognised mistake named, or the comparator's.

        Besides the question's own mistakes, one is recognised for every question: an answer computed
        on the shared default world while the student works on their own.
        """
        problem = self.compare(answer, expected)
        if problem is None:
            return problem
        from crmlab.exercises.reference import reference_run

        has_source = self.source is not None
        namespace = reference_run(self.source, whole=True).namespace if has_source and self.mistakes else {}
        for mistake in self.mistakes:
            try:
                if self.compare(answer, mistake.wrong(namespace)) is None:
                    return tr(*mistake.message)
            except Exception:  # a recogniser that does not apply to this answer says nothing
                continue
        if has_source and get_student_id() is not None and not _grading():
            try:
                shared = reference_run(self.source, student_id="").answers.get(self.id, Ellipsis)
                if shared is not Ellipsis and self.compare(answer, shared) is None:
                    return tr("That is the answer for the shared default world, not for your own data: "
                              "re-run the cells that load data (your student ID is set), then your answer cell.",
                              "这是公共默认数据的答案，不是你自己数据的答案：你已设置学号，请重新运行加载数据的单元格，"
                              "再运行你的答案单元格。")
            except Exception:
                pass
        return problem

    def evaluate(self, answer: Any = Ellipsis, expected: Any = Ellipsis) -> CheckResult:
        """Check ``answer`` (Ellipsis or None: not attempted) and return the result; never raises.

        ``expected`` is computed from the lesson's source when not given (the grader passes the
        reference it computed itself).
        """
        if answer is Ellipsis or answer is None:
            return CheckResult(self.id, NOT_ATTEMPTED, 0.0, self.points, tr(
                f"Replace the ... in `{self.variable} = ...` with your answer, run the cell, then check again.",
                f"把 `{self.variable} = ...` 中的 ... 换成你的答案，运行该单元格后再检查。"))
        if expected is Ellipsis and self.assessed:
            from crmlab.exercises.form import problem as form_problem

            problem = form_problem(answer, self.form, self._keys())
            if problem is not None:
                return CheckResult(self.id, INCORRECT, 0.0, self.points, problem)
            return CheckResult(self.id, READY, 0.0, self.points, tr(
                "Your answer has the form asked for. It is graded when you hand in your work; this check "
                "cannot say whether it is right.",
                "你的答案格式符合要求。它将在你提交作业后评分；这里的检查无法判断答案是否正确。"))
        if expected is Ellipsis:
            try:
                expected = self.expected()
            except Exception:  # a broken reference model is the lab's fault, not the student's
                return CheckResult(self.id, ERROR, 0.0, self.points, tr(
                    "The checker itself failed; tell your instructor. Details: ",
                    "检查程序本身出错，请告诉老师。详情：") + traceback.format_exc(limit=1).strip().splitlines()[-1])
        try:
            problem = self.diagnose(answer, expected)
        except Exception as exc:
            problem = tr(f"Your answer could not be compared ({type(exc).__name__}: {exc}).",
                         f"无法比较你的答案（{type(exc).__name__}: {exc}）。")
        if problem is None:
            return CheckResult(self.id, CORRECT, self.points, self.points, tr("Well done.", "做得好。"))
        return CheckResult(self.id, INCORRECT, 0.0, self.points, problem)

    def check(self, *answer: Any) -> CheckResult:
        """Check your answer: the value of ``variable`` in your notebook, or the value you pass."""
        if answer:
            return self.evaluate(answer[0])
        namespace = _user_namespace()
        return self.evaluate(namespace.get(self.variable, Ellipsis))

    def hint(self, step: int | None = None) -> _Text:
        """The next hint (or hint number ``step``, counting from 1)."""
        if not self.hints:
            return _Text(tr("Hint", "提示"), tr("No hint for this one: re-read the worked example above.",
                                                "本题没有提示：请重读上面的例题。"))
        if step is None:
            self._hints_shown = min(self._hints_shown + 1, len(self.hints))
            step = self._hints_shown
        step = max(1, min(int(step), len(self.hints)))
        return _Text(tr(f"Hint {step}/{len(self.hints)}", f"提示 {step}/{len(self.hints)}"),
                     text(self.hints[step - 1]))

    def solution(self) -> _Text:
        """A worked solution and the expected answer for your data."""
        if _grading():
            return _Text(tr("Solution", "参考答案"), tr("Not available while a submission is graded.",
                                                       "批改作业时不提供参考答案。"))
        if self.assessed:
            return _Text(tr("Solution", "参考答案"), text(_ASSESSED))
        try:
            value = self.expected()
            shown = repr(value) if not hasattr(value, "head") else repr(value.head(10))
        except Exception as exc:  # pragma: no cover - mirrors evaluate()
            shown = f"({type(exc).__name__}: {exc})"
        explanation = text(self.explanation) if self.explanation else ""
        body = (explanation + " " if explanation else "") + tr(
            f"Expected answer for your data: {shown}", f"你的数据对应的正确答案：{shown}")
        return _Text(tr("Solution", "参考答案"), body, self.solution_code)


class _NotHere:
    """A question's stand-in while a submission is graded: its checks say only that they do not count."""

    def _say(self, *args: Any, **kwargs: Any) -> _Text:
        return _Text(tr("Check", "检查"), tr("Not available while a submission is graded.", "批改作业时不提供检查。"))

    check = hint = solution = expected = _say


class Parameters(dict):
    """One student's parameters of an assignment (``ex.parameters(...)``), shown as a small table."""

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td><code>{html.escape(str(k))}</code></td><td>{html.escape(repr(v))}</td></tr>"
                       for k, v in self.items())
        return (f'<div style="border-left:4px solid #0072B2;padding:4px 10px"><b>{html.escape(tr("Your parameters", "你的参数"))}</b>'
                f"<table>{rows}</table></div>")


def choose(lesson: str, name: str, choices: Sequence[Any], student_id: str | None) -> Any:
    """The choice a student gets: the first without a student ID, else one drawn from the ID (stable)."""
    import hashlib

    if not student_id:
        return choices[0]
    digest = hashlib.blake2b(f"{lesson}|{name}|{student_id}".encode(), digest_size=8).digest()
    return choices[int.from_bytes(digest, "big") % len(choices)]


class Exercises:
    """The questions of one lesson, reachable as attributes (``ex.q1``) and by id.

    ``source`` is the notebook holding the solutions (None for an assessed student version).
    """

    def __init__(self, lesson: str, questions: Sequence[Question], source: Path | None = None):
        self.lesson = lesson
        self.source = source
        self.questions = {q.id.split(".", 1)[-1]: q for q in questions}

    def parameters(self, **choices: Sequence[Any]) -> Parameters:
        """This student's parameters: for each name, one of its choices, drawn from the student ID.

        ``p = ex.parameters(cutoff=[0.7, 0.75, 0.8])`` gives every student a cut-off of their own, the
        same each time (and in the grader's reference run); without a student ID, the first choice.
        """
        from crmlab.validation import CrmlabInputError

        student = get_student_id()
        chosen = Parameters()
        for name, options in choices.items():
            if isinstance(options, (str, bytes)) or not isinstance(options, Sequence) or not options:
                raise CrmlabInputError(tr(f"{name} must be a non-empty list of choices, got {options!r}.",
                                          f"{name} 必须是非空的可选值列表，实际是 {options!r}。"))
            chosen[name] = choose(self.lesson, name, list(options), student)
        return chosen

    def __getattr__(self, name: str) -> Question:
        try:
            return self.__dict__["questions"][name]
        except KeyError:
            if _grading() and not name.startswith("_"):  # a submission's kernel: checks do not count there
                return _NotHere()
            raise AttributeError(f"lesson {self.lesson} has no question {name!r}") from None

    def __iter__(self):
        return iter(self.questions.values())

    def __repr__(self) -> str:
        return f"Exercises({self.lesson!r}: {', '.join(self.questions)})"
