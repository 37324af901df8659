"""Reference answers from the source notebook (one source per lesson or assignment).

A lesson lives in one place: its source notebook (``instructor/NN_slug.ipynb``; an assessed
assignment's lives in the instructor's private folder). The right answer to a question is what the
notebook's own solution cell computes *on the student's world*, so no second copy of a solution is
kept anywhere: :func:`reference_answers` runs the source's code cells top to bottom in a fresh
namespace (with the student's ID and language in force) and keeps the value of each question's
answer variable right after its answer cell ran. The run is cached per (source file, student,
language), so a lesson pays for it once per kernel, and the grader once per student's world.

The run stops after the last answer cell. Cells are skipped when they only display (every top-level statement is an expression: a chart, a
table, ``display(explorer)``), when they are check cells (``check:NN.qK``), or when tagged
``reference-skip``; a display-only cell that must run anyway is tagged ``reference-run``.
A source is found by lesson name in the practice lessons' folders, in ``CRMLAB_SOURCES`` and in
the current folder; a student's environment holds no assessed source, so there nothing is found.
"""
from __future__ import annotations

import ast
import contextlib
import copy
import io
import json
import os
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from crmlab import i18n
from crmlab.exercises._notebook import tagged_ids, tags
from crmlab.i18n import tr

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = (ROOT / "instructor", Path(__file__).resolve().parents[1] / "lessons" / "source")
ANSWER, CHECK, SKIP, RUN = "answer:", "check:", "reference-skip", "reference-run"
SOURCES_ENV = "CRMLAB_SOURCES"
_ACTIVE: dict[str, Path] = {}  # lesson name → the source notebook running now


class ReferenceError(RuntimeError):
    """The lesson's source notebook could not produce a reference answer (the lab's fault, not the student's)."""


def _source_dirs() -> list[Path]:
    """Where sources are looked for: the practice lessons', then the folders in ``CRMLAB_SOURCES``
    (an instructor's private folder of assessed assignments, ``os.pathsep``-separated)."""
    extra = [Path(p) for p in os.environ.get(SOURCES_ENV, "").split(os.pathsep) if p.strip()]
    return [*SOURCE_DIRS, *extra]


def is_source(nb: dict) -> bool:
    """A notebook with the solutions: not a student version (``crmlab assign`` marks those)."""
    meta = nb.get("metadata", {}).get("crmlab", {})
    return not (isinstance(meta, dict) and "language" in meta)


def lesson_of(nb: dict) -> str | None:
    """The lesson a notebook's answer cells belong to (``"04"``, ``"exam01"``), from their tags."""
    for cell in nb.get("cells", []):
        for qid in tagged_ids(cell, ANSWER):
            return qid.split(".", 1)[0].strip()
    return None


@lru_cache(maxsize=64)
def _read(path: Path, mtime: float) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def read_notebook(path: Path) -> dict:
    """The notebook at ``path`` as JSON (cached until the file changes)."""
    path = Path(path).resolve()
    return _read(path, path.stat().st_mtime)


def source_path(lesson: str | Path, *, here: bool = True) -> Path | None:
    """The source notebook of lesson ``"NN"`` (or ``"exam01"``), or None when none is reachable here.

    A path is taken as it is. A name is looked up as ``<lesson>_*.ipynb`` or ``<lesson>.ipynb`` in the
    practice lessons' folders and ``CRMLAB_SOURCES``; an assessed assignment's source is never
    in a student's environment, so there the lookup finds nothing. ``here=False`` leaves out the
    current folder (the grader: the folder it runs in may hold students' notebooks).
    """
    if isinstance(lesson, Path):
        return lesson
    if lesson in _ACTIVE:  # the source being run calls lesson("exam01") on itself, wherever it lives
        return _ACTIVE[lesson]
    candidates = [found for directory in _source_dirs() if directory.is_dir()
                  for found in sorted([*directory.glob(f"{lesson}_*.ipynb"), *directory.glob(f"{lesson}.ipynb")])]
    if here:  # an instructor running their own assignment in Jupyter: its source is in the folder they work in
        candidates += sorted(Path.cwd().glob("*.ipynb"))
    for found in candidates:
        try:
            nb = read_notebook(found)
            if is_source(nb) and lesson_of(nb) == lesson:
                return found
        except (OSError, ValueError, AttributeError):
            continue
    return None


@lru_cache(maxsize=64)
def _cells(path: Path, mtime: float) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for cell in _read(path, mtime).get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            out.append(("".join(source) if isinstance(source, list) else source, tuple(tags(cell))))
    return tuple(out)


def code_cells(lesson: str | Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The code cells (source, tags) of lesson ``"NN"``'s source notebook (empty when it has none)."""
    path = source_path(lesson)
    if path is None:
        return ()
    path = path.resolve()
    return _cells(path, path.stat().st_mtime)


def solution_code(lesson: str | Path, question_id: str) -> str:
    """The code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` of the question's answer cell."""
    for source, tags in code_cells(lesson):
        if f"{ANSWER}{question_id}" in tags:
            lines = source.splitlines()
            if "# BEGIN SOLUTION" in (l.strip() for l in lines):
                start = next(i for i, l in enumerate(lines) if l.strip() == "# BEGIN SOLUTION")
                end = next((i for i, l in enumerate(lines) if l.strip() == "# END SOLUTION"), len(lines))
                return "\n".join(lines[start + 1:end]).strip("\n")
            return source
    return ""


def _display_only(source: str) -> bool:
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, ast.Expr) for node in body)


def _python(source: str) -> str:
    """The cell as plain Python (IPython magics and shell lines transformed as the kernel would)."""
    if "%" not in source and "!" not in source:
        return source
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython ships with the lab
        return source
    return TransformerManager().transform_cell(source)


def _snapshot(value: Any) -> Any:
    """A copy that later cells (or the student) cannot change; objects that cannot be copied are kept."""
    try:
        return copy.deepcopy(value)
    except Exception:  # fitted models holding unpicklable state: keep the object itself
        return value


@dataclass
class ReferenceRun:
    """The answers of one run of a lesson's source, and its namespace at the end (for explanations)."""
    answers: dict[str, Any] = field(default_factory=dict)
    namespace: dict[str, Any] = field(default_factory=dict)
    next_cell: int = 0  # the first source cell not run yet


@contextlib.contextmanager
def _as_student(student_id: str | None, language: str, path: Path):
    """Run source ``path`` with ``student_id`` and ``language`` in force, then put back what was there."""
    saved_env = os.environ.get("CRMLAB_STUDENT_ID")
    saved_language = i18n._state["language"]
    name = lesson_of(read_notebook(path))
    saved_active = _ACTIVE.get(name, None)
    os.environ["CRMLAB_STUDENT_ID"] = student_id or ""
    i18n._state["language"] = language
    if name:
        _ACTIVE[name] = path
    try:
        yield
    finally:
        if name and saved_active is None:
            _ACTIVE.pop(name, None)
        elif name:
            _ACTIVE[name] = saved_active
        i18n._state["language"] = saved_language
        if saved_env is None:
            os.environ.pop("CRMLAB_STUDENT_ID", None)
        else:
            os.environ["CRMLAB_STUDENT_ID"] = saved_env


@contextlib.contextmanager
def _quiet():
    """No output, no figures and no warnings reach the student's notebook from a reference run."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover
        plt = None
    before = set(plt.get_fignums()) if plt is not None else set()
    show = plt.show if plt is not None else None
    if plt is not None:
        plt.show = lambda *args, **kwargs: None
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        if plt is not None:
            plt.show = show
            for number in set(plt.get_fignums()) - before:
                plt.close(number)


def _execute(lesson: str, index: int, source: str, namespace: dict) -> None:
    try:
        exec(compile(_python(source), f"<lesson {lesson} cell {index}>", "exec"), namespace)  # noqa: S102
    except Exception as exc:
        raise ReferenceError(f"lesson {lesson}, source cell {index}: {type(exc).__name__}: {exc}") from exc


def _runnable(source: str, tags: tuple[str, ...]) -> bool:
    if SKIP in tags or any(t.startswith(CHECK) for t in tags):
        return False
    return RUN in tags or not _display_only(source)


def _run(path: Path, student_id: str | None, language: str) -> ReferenceRun:
    from crmlab.exercises import from_notebook

    questions = {q.id: q for q in from_notebook(path)}
    lesson = path.stem
    run = ReferenceRun()
    namespace: dict[str, Any] = {"__name__": "__main__", "display": lambda *args, **kwargs: None}
    cells = code_cells(path)
    # Nothing after the last answer cell can change an answer: stop there (half a lesson's time, often);
    # :func:`reference_run` with ``whole=True`` runs the rest when a test or an explanation needs it.
    last = max((i for i, (_, tags) in enumerate(cells) if any(t.startswith(ANSWER) for t in tags)), default=-1)
    with _as_student(student_id, language, path), _quiet():
        for index, (source, tags) in enumerate(cells[:last + 1]):
            if not _runnable(source, tags):
                continue
            _execute(lesson, index, source, namespace)
            for qid in (t[len(ANSWER):] for t in tags if t.startswith(ANSWER)):
                question = questions.get(qid)
                if question is None:
                    continue
                try:
                    value = question.reference(namespace) if question.reference else namespace[question.variable]
                except Exception as exc:
                    raise ReferenceError(f"{qid}: {type(exc).__name__}: {exc}") from exc
                run.answers[qid] = _snapshot(value)
    run.namespace = namespace
    run.next_cell = last + 1
    return run


def _finish(path: Path, run: ReferenceRun, student_id: str | None, language: str) -> None:
    """Run the cells after the last answer cell in the run's namespace (the answers are already kept)."""
    cells = code_cells(path)
    lesson = path.stem
    with _as_student(student_id, language, path), _quiet():
        for index in range(run.next_cell, len(cells)):
            source, tags = cells[index]
            if _runnable(source, tags):
                _execute(lesson, index, source, run.namespace)
    run.next_cell = len(cells)


_CACHE: dict[tuple, ReferenceRun] = {}


def reference_run(lesson: str | Path, student_id: str | None = None, language: str | None = None, *,
                  whole: bool = False) -> ReferenceRun:
    """Run (or reuse) a lesson's source on a student's world: see the module docstring.

    ``lesson`` is a lesson name (``"04"``) or the source notebook's path. ``student_id`` and
    ``language`` default to the ones in force (``student_id=""``: the shared default world).
    ``whole=True`` also runs the cells after the last answer cell, so the namespace holds
    everything the lesson builds.
    """
    from crmlab.student import get_student_id, normalise_student_id

    path = source_path(lesson)
    if path is None:
        raise ReferenceError(tr(f"No source notebook with the solutions of {lesson!r} is reachable here.",
                                f"这里找不到 {lesson!r} 的带答案的源 notebook。"))
    path = path.resolve()
    # None: the student in force; "" : the shared default world, whoever is working
    student_id = get_student_id() if student_id is None else (normalise_student_id(student_id) or None)
    language = i18n._normalise(language) if language else i18n.get_language()
    key = (str(path), path.stat().st_mtime, student_id, language)
    if key not in _CACHE:
        if len(_CACHE) >= 8:  # a kernel works on one world; a grader's worker on a few
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _run(path, student_id, language)
    run = _CACHE[key]
    if whole and run.next_cell < len(code_cells(path)):
        _finish(path, run, student_id, language)
    return run


def namespace(lesson: str | Path) -> dict[str, Any]:
    """The namespace of a lesson's source after a whole run on the world in force: its tables and
    models, for comparators' explanations and for recognising mistakes (never shown to the student)."""
    return reference_run(lesson, whole=True).namespace


def reference_answers(lesson: str | Path, student_id: str | None = None, language: str | None = None
                      ) -> dict[str, Any]:
    """Question id → the reference answer for that student's world, from the lesson's source notebook.

    Trusted code only: the instructor's source and crmlab. The grader calls it in its own process.
    """
    return dict(reference_run(lesson, student_id, language).answers)


def missing_reference(question_id: str) -> str:
    return tr(f"The lesson's source notebook computes no answer for {question_id}; tell your instructor.",
              f"本课的源 notebook 没有算出 {question_id} 的答案，请告诉老师。")
