"""Grade a folder of submitted notebooks in bulk (``crmlab grade SUBMISSIONS_DIR [--lesson NN]``).

Each submission runs in its own kernel, sandboxed by bubblewrap (:mod:`crmlab.exercises._runner`),
several at a time. The kernel only hands over each answer's *value* (data-only JSON); the grader
compares it, in worker processes of its own that no student code ever ran in, with the reference
answer it computes for that student's world (:func:`crmlab.exercises.reference.reference_answers`).
Whatever one submission does (loops, crashes, kills, floods, is not JSON), it is recorded as that
student's failure with its cause, and the run goes on.

Who is the student? The instructor's roster (``--students``, a CSV ``file,student_id`` with ``file``
relative to the submissions folder), else the sub-folder's name (per-student folders, as an LMS
export makes them), else the file name. Never the notebook's own metadata: an ID written there that
differs is flagged, and one that is another student's is flagged as a possible copy.

Outputs, all in ``out`` (default ``<SUBMISSIONS_DIR>_graded``, never inside the submissions):
``gradebook.csv`` (one row per student and question, merged with an earlier run's), ``totals.csv``,
``lms.csv`` (one row per student), ``feedback/<student>.md``, ``class_report.md`` + ``.png`` and,
with ``gradescope=True``, ``gradescope/<student>/results.json``. Submissions are only read; files
in ``out`` the grader did not write are never replaced without ``force=True``.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
from nbformat import NotebookNode

from crmlab.exercises import lesson_name
from crmlab.exercises._notebook import ANSWER_PREFIX, tagged_ids
from crmlab.exercises._runner import (FAILURES, GRADER_ERROR, INVALID, TIMEOUT, Job, Limits, Outcome, RunRecord,
                                      Sandbox, SandboxUnavailable, SlotPools, Unread, plan_cells, run_jobs)
from crmlab.exercises.core import CORRECT, ERROR, INCORRECT, NOT_ATTEMPTED, Exercises
from crmlab.i18n import get_language, tr
from crmlab.validation import CrmlabInputError, require_int

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
GRADEBOOK_COLUMNS = ["student", "question", "points", "max_points", "status", "message", "submission",
                     "submission_sha256", "submitted_at", "graded_at"]
MANIFEST = ".crmlab-grade.json"  # what this grader wrote in the output folder (name -> SHA-256)


@dataclass
class Submission:
    """One submitted notebook: where it is, whose it is, and its content (None if unreadable).

    ``student_id`` picks the student's data world; ``student`` is the gradebook key (``id~2``
    for a second submission with the same ID). ``claimed`` is the ID written in the notebook's
    metadata (reported, never used).
    """
    path: Path
    relative: str
    student_id: str
    student: str
    nb: NotebookNode | None = None
    problem: str | None = None
    record: RunRecord = field(default_factory=RunRecord)
    sha256: str = ""
    submitted_at: str = ""
    claimed: str | None = None
    language: str = ""
    skipped: bool = False


def find_notebooks(submissions_dir: Path) -> list[Path]:
    """Every ``.ipynb`` under ``submissions_dir``, skipping hidden folders and Jupyter checkpoints."""
    found = []
    for path in sorted(submissions_dir.rglob("*.ipynb")):
        parts = path.relative_to(submissions_dir).parts
        if path.is_file() and not any(p.startswith(".") for p in parts):
            found.append(path)
    return found


def read_mapping(path: str | Path) -> dict[str, str]:
    """The instructor's ``file,student_id`` CSV as a dict (file relative to the submissions folder)."""
    path = Path(path)
    if not path.is_file():
        raise CrmlabInputError(tr(f"students file {str(path)!r} does not exist.", f"学生名单文件 {str(path)!r} 不存在。"))
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"file", "student_id"} <= set(rows[0]):
        raise CrmlabInputError(tr(
            f"students file {str(path)!r} needs a header row 'file,student_id' and one row per submission.",
            f"学生名单文件 {str(path)!r} 需要表头 'file,student_id'，每份作业一行。"))
    return {row["file"].strip(): row["student_id"].strip() for row in rows if row["student_id"].strip()}


def student_id_for(path: Path, root: Path, mapping: dict[str, str]) -> str:
    """Whose submission ``path`` is: the roster, else its sub-folder's name, else its file name (never its content)."""
    relative = path.relative_to(root).as_posix()
    if relative in mapping:
        return mapping[relative]
    if path.parent != root:
        return path.relative_to(root).parts[0]
    return path.stem


def claimed_id(nb: NotebookNode | None) -> str | None:
    """The student ID the notebook's own metadata claims (``metadata.crmlab.student_id``), if any."""
    meta = nb.get("metadata", {}).get("crmlab", {}) if nb is not None else {}
    claimed = meta.get("student_id") if isinstance(meta, dict) else None
    return str(claimed).strip()[:100] if isinstance(claimed, (str, int)) and str(claimed).strip() else None


def notebook_lesson(nb: NotebookNode | None) -> str | None:
    """The lesson a submission is for: ``metadata.crmlab.lesson`` (written by ``crmlab assign``), else its tags."""
    if nb is None:
        return None
    meta = nb.get("metadata", {}).get("crmlab", {})
    lesson = meta.get("lesson") if isinstance(meta, dict) else None
    if isinstance(lesson, (str, int)):
        try:
            return lesson_name(lesson)
        except ValueError:
            pass
    found = Counter(qid.split(".", 1)[0] for cell in nb.get("cells", []) if isinstance(cell, dict)
                    for qid in tagged_ids(cell, ANSWER_PREFIX) if re.fullmatch(r"[A-Za-z0-9][\w-]{0,39}\.\w+", qid))
    return lesson_name(found.most_common(1)[0][0]) if found else None


def notebook_language(nb: NotebookNode | None) -> str:
    meta = nb.get("metadata", {}).get("crmlab", {}) if nb is not None else {}
    language = meta.get("language") if isinstance(meta, dict) else None
    return language if language in ("en", "zh") else get_language()


def safe_name(student: str) -> str:
    """A file name for a student ID that cannot climb out of its folder."""
    name = re.sub(r"[^\w.~-]", "_", student).strip("._")[:80]
    return name or "student"


def _load(path: Path) -> tuple[NotebookNode | None, str | None]:
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return None, tr(f"the file is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB",
                        f"文件大于 {MAX_NOTEBOOK_BYTES // 2**20} MB")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises many types for broken files
        return None, tr(f"it is not a valid notebook ({type(exc).__name__}: {str(exc)[:120]})",
                        f"不是有效的 notebook（{type(exc).__name__}: {str(exc)[:120]}）")
    if not isinstance(nb.get("cells"), list):
        return None, tr("it has no list of cells", "没有单元格列表")
    return nb, None


def _linked(path: Path, root: Path) -> bool:
    """Is ``path``, or a folder between ``root`` and it, a symbolic link?"""
    relative = path.relative_to(root)
    return any((root / part).is_symlink() for part in [relative, *relative.parents] if part != Path("."))


def collect(submissions_dir: Path, mapping: dict[str, str]) -> list[Submission]:
    """Read every submission, decide whose it is and flag metadata that names someone else."""
    submissions, seen = [], {}
    for path in find_notebooks(submissions_dir):
        student = student_id_for(path, submissions_dir, mapping)
        if _linked(path, submissions_dir):  # never read: it may point at a classmate's work or at the source
            nb, problem = None, tr(
                "it is a symbolic link, not a file handed in (a link can point at another student's notebook or at "
                "the assignment's source)", "它是符号链接，不是提交的文件（链接可能指向其他同学的 notebook 或作业的源）")
            data = os.fsencode(os.readlink(path) if path.is_symlink() else str(path))
        else:
            nb, problem = _load(path)
            data = path.read_bytes()
        sub = Submission(path, path.relative_to(submissions_dir).as_posix(), student, student, nb, problem,
                         sha256=hashlib.sha256(data).hexdigest(), claimed=claimed_id(nb), language=notebook_language(nb),
                         submitted_at=dt.datetime.fromtimestamp(path.lstat().st_mtime, dt.timezone.utc)
                         .strftime("%Y-%m-%dT%H:%M:%SZ"))
        submissions.append(sub)
    known = {s.student_id for s in submissions} | set(mapping.values())
    for sub in submissions:
        if sub.claimed is not None and sub.claimed != sub.student_id:
            if sub.claimed in known:
                sub.record.notes.append(tr(
                    f"The notebook carries the student ID of another student ({sub.claimed}): a copied notebook? "
                    f"Graded as {sub.student_id} (from the file/roster).",
                    f"该 notebook 带有另一位学生的学号（{sub.claimed}）：是抄袭的 notebook 吗？按文件名/名单记为 {sub.student_id}。"))
            else:
                sub.record.notes.append(tr(
                    f"The notebook's metadata says student {sub.claimed}; graded as {sub.student_id} (from the "
                    "file/roster), which the instructor controls.",
                    f"notebook 元数据中的学号为 {sub.claimed}；按老师掌控的文件名/名单记为 {sub.student_id}。"))
    for sub in submissions:
        key = safe_name(sub.student)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            sub.record.notes.append(tr(
                f"Another submission has the same student ID; this one ({sub.relative}) is listed as "
                f"{sub.student}~{seen[key]}.",
                f"另一份作业使用了相同的学号；本份（{sub.relative}）记为 {sub.student}~{seen[key]}。"))
            sub.student = f"{sub.student}~{seen[key]}"
    return submissions


def _check_out(submissions_dir: Path, out: Path) -> None:
    sub, dest = submissions_dir.resolve(), out.resolve()
    if dest == sub or sub in dest.parents or dest in sub.parents:
        raise CrmlabInputError(tr(
            f"out {str(out)!r} overlaps the submissions folder {str(submissions_dir)!r}; "
            "choose a separate folder so no submission can be overwritten.",
            f"输出目录 {str(out)!r} 与作业目录 {str(submissions_dir)!r} 重叠；请另选一个目录，以免覆盖作业。"))


# --- comparison, in worker processes no student code ever ran in ---------------------------

def _worker_init(lesson: str = "") -> None:
    """Prepare a comparison worker: not a graded kernel, and the lesson's libraries imported up front."""
    os.environ.pop("CRMLAB_GRADING", None)
    try:  # warm: the first student's reference run should not also pay for the imports
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
        from crmlab.exercises import from_notebook
        from crmlab.exercises.reference import source_path

        # Never from the folder the grader runs in (it may hold students' notebooks): an assessed source
        # given with --source is not found here, and its first reference run reads it.
        path = source_path(lesson, here=False) if lesson else None
        if path is not None:
            from_notebook(path)
    except Exception:  # noqa: BLE001 - the reference run meets (and reports) the same error
        pass


def evaluate_answers(source: str, student_id: str, language: str, answers: dict[str, Any]
                     ) -> dict[str, tuple[str, float, str]]:
    """(status, points, message) for each answer, against the reference computed here for that student's world.

    Runs in the grader's own worker process (trusted code only). ``source`` is the path of the
    notebook with the solutions; the reference comes from
    :func:`crmlab.exercises.reference.reference_answers` (that notebook run on the student's world).
    """
    from crmlab import i18n
    from crmlab.exercises import from_notebook
    from crmlab.exercises.reference import reference_answers

    os.environ["CRMLAB_STUDENT_ID"] = student_id
    i18n._state["language"] = language
    path = Path(source)
    questions = {q.id: q for q in from_notebook(path)}
    reference: dict[str, Any] | Exception
    try:
        reference = reference_answers(path, student_id, language)
    except Exception as exc:  # the lesson's source failed: the lab's fault, not the student's
        reference = exc
    results = {}
    for qid, answer in answers.items():
        question = questions[qid]
        if isinstance(reference, Exception) and answer is not Ellipsis and answer is not None:
            results[qid] = (ERROR, 0.0, tr(f"The checker itself failed; tell your instructor. Details: {reference}",
                                           f"检查程序本身出错，请告诉老师。详情：{reference}"))
            continue
        expected = reference.get(qid, Ellipsis) if isinstance(reference, dict) else Ellipsis
        if expected is Ellipsis and answer is not Ellipsis and answer is not None:
            results[qid] = (ERROR, 0.0, tr(f"The source notebook computes no answer for {qid}; tell your instructor.",
                                           f"源 notebook 没有算出 {qid} 的答案，请告诉老师。"))
            continue
        result = question.evaluate(answer, expected)
        results[qid] = (result.status, float(result.points), result.message)
    return results


def _unsupported_message(answer: Any) -> str | None:
    from crmlab.exercises._values import Unsupported

    if isinstance(answer, Unsupported):
        return tr(f"Your answer is a {answer.type_name}, which the grader cannot read; give a number, text, a list "
                  "or a table (DataFrame/Series).",
                  f"你的答案是 {answer.type_name} 类型，评分程序无法读取；请给出数字、文字、列表或表格（DataFrame/Series）。")
    return None


def _finish(sub: Submission, exercises: Exercises, pool: ProcessPoolExecutor) -> None:
    """Turn the answers a kernel handed over into outcomes (comparison in ``pool``)."""
    record = sub.record
    to_compare = {}
    for q in exercises:
        if q.id in record.outcomes:
            continue
        answer = record.answers.get(q.id, Unread(GRADER_ERROR, tr("no answer was handed over", "没有交出答案")))
        unsupported = _unsupported_message(answer)
        if isinstance(answer, Unread):
            record.outcomes[q.id] = Outcome(q.id, answer.status, 0.0, q.points, answer.message)
        elif unsupported:
            record.outcomes[q.id] = Outcome(q.id, INCORRECT, 0.0, q.points, unsupported)
        else:
            to_compare[q.id] = answer
    if to_compare:
        try:
            results = pool.submit(evaluate_answers, str(exercises.source), sub.student_id, sub.language,
                                  to_compare).result()
        except Exception as exc:  # noqa: BLE001 - the worker died: record, do not stop the run
            results = {qid: (GRADER_ERROR, 0.0, f"{type(exc).__name__}: {exc}") for qid in to_compare}
        for qid, (status, points, message) in results.items():
            q = next(q for q in exercises if q.id == qid)
            if qid in record.trouble and status != CORRECT:
                timed_out, trouble = record.trouble[qid]
                status, message = (TIMEOUT if timed_out else status), f"{trouble} {message}"
            points = min(max(points, 0.0), float(q.points)) if status in (CORRECT, INCORRECT) else 0.0
            record.outcomes[qid] = Outcome(qid, status, points, q.points, message)
    record.answers.clear()


def _invalid(sub: Submission, exercises: Exercises) -> None:
    for q in exercises:
        sub.record.outcomes[q.id] = Outcome(q.id, INVALID, 0.0, q.points, tr(
            f"Not graded: {sub.problem}.", f"未评分：{sub.problem}。"))
    sub.record.notes.append(tr(f"{sub.relative}: {sub.problem}.", f"{sub.relative}：{sub.problem}。"))


def _source_exercises(source: Path) -> Exercises:
    """The questions of ``source``, which must be a notebook with the solutions (not a student version)."""
    from crmlab.exercises import from_notebook

    try:
        exercises = from_notebook(source)
    except (ValueError, OSError) as exc:
        raise CrmlabInputError(tr(f"source {str(source)!r}: {exc}", f"源 {str(source)!r}：{exc}")) from exc
    if exercises.source is None:
        raise CrmlabInputError(tr(
            f"source {str(source)!r} is a student version (written by crmlab assign); pass the instructor's "
            "notebook with the solutions.",
            f"源 {str(source)!r} 是学生版（由 crmlab assign 生成）；请传入老师的带答案的 notebook。"))
    if not exercises.questions:
        raise CrmlabInputError(tr(f"source {str(source)!r} defines no questions (no answer:… cells with metadata).",
                                  f"源 {str(source)!r} 中没有定义题目（没有带元数据的 answer:… 单元格）。"))
    return exercises


def _lesson_exercises(lesson: str | int) -> Exercises:
    """The questions of lesson ``lesson``, from its source notebook (which must be reachable here).

    Looked up in the practice lessons' folders and ``CRMLAB_SOURCES`` only, never in the folder the
    grader runs in: that may be the submissions folder, where any notebook can claim to be a source.
    """
    from crmlab.exercises import from_notebook
    from crmlab.exercises.reference import source_path

    try:
        path = source_path(lesson_name(lesson), here=False)
    except ValueError as exc:
        raise CrmlabInputError(tr(
            f"lesson {lesson!r}: {exc} Pass a lesson with exercises (e.g. 3), or --source with the assignment's "
            "source notebook.",
            f"lesson {lesson!r}：{exc} 请传入有练习的课号（例如 3），或用 --source 指定作业的源 notebook。")) from exc
    if path is None:
        raise CrmlabInputError(tr(
            f"lesson {lesson!r}: no source notebook with its solutions is reachable here (the practice lessons and "
            "the folders in CRMLAB_SOURCES are searched, never the folder the grader runs in): for an assessed "
            "assignment pass --source with the instructor's notebook.",
            f"lesson {lesson!r}：这里找不到带答案的源 notebook（只查找练习课程和 CRMLAB_SOURCES 中的文件夹，"
            "不查找评分程序运行所在的文件夹）：计分作业请用 --source 指定老师的带答案的 notebook。"))
    return from_notebook(path)


def detect_lesson(submissions: list[Submission]) -> str:
    """The lesson most submissions say they are for (metadata from ``crmlab assign``, else answer-cell tags)."""
    found = Counter(filter(None, (notebook_lesson(s.nb) for s in submissions)))
    if not found:
        raise CrmlabInputError(tr(
            "lesson: the submissions do not say which lesson they are (no metadata.crmlab.lesson, no answer:NN.qK "
            "tags); pass --lesson NN.",
            "lesson：作业中没有注明课号（没有 metadata.crmlab.lesson，也没有 answer:NN.qK 标签）；请传入 --lesson NN。"))
    return found.most_common(1)[0][0]


def grade(submissions_dir: str | Path, lesson: str | int | None = None, *, out: str | Path | None = None,
          workers: int = 2, limits: Limits = Limits(), gradescope: bool = False, source: str | Path | None = None,
          students: str | Path | None = None, sandbox: bool = True, force: bool = False, regrade: bool = False,
          progress: Callable[[Submission], None] | None = None) -> pd.DataFrame:
    """Grade every notebook under ``submissions_dir`` and write the reports (merged with an earlier run's).

    Parameters
    ----------
    submissions_dir : folder of submitted ``.ipynb`` files (searched recursively); only read.
    lesson : the lesson number (``"03"``); default: read from the submissions' metadata.
    out : where reports go (default ``<submissions_dir>_graded``); must not overlap the submissions.
    workers : submissions graded at the same time (one sandboxed kernel each).
    limits : time, memory, output and answer-size limits per submission.
    gradescope : also write ``gradescope/<student>/results.json``.
    source : the lesson's source notebook; missing answer cells are re-inserted from it.
    students : CSV ``file,student_id`` (the roster) that names each submission.
    sandbox : run kernels under bubblewrap (refuses when it is missing); False runs them unprotected.
    force : replace files in ``out`` the grader did not write (or that were edited since).
    regrade : grade submissions again even when unchanged since the gradebook's run.
    progress : called with each finished :class:`Submission` (the CLI prints a line).

    Returns
    -------
    DataFrame
        The whole gradebook after merging: one row per student and question (``GRADEBOOK_COLUMNS``).
    """
    from crmlab.exercises import _reports

    submissions_dir = Path(submissions_dir)
    if not submissions_dir.is_dir():
        raise CrmlabInputError(tr(f"submissions_dir {str(submissions_dir)!r} is not a folder.",
                                  f"submissions_dir {str(submissions_dir)!r} 不是文件夹。"))
    workers = require_int(workers, "workers", minimum=1, maximum=64)
    for name in ("timeout_cell", "timeout_notebook", "memory_mb", "output_cap_kb", "answer_cap_kb"):
        if not getattr(limits, name) > 0:
            raise CrmlabInputError(tr(f"{name} must be positive, got {getattr(limits, name)!r}.",
                                      f"{name} 必须为正数，实际是 {getattr(limits, name)!r}。"))
    out = Path(out) if out is not None else submissions_dir.with_name(submissions_dir.name + "_graded")
    _check_out(submissions_dir, out)
    exercises = None
    source_nb = None
    if source is not None:
        source_nb, problem = _load(Path(source))
        if problem:
            raise CrmlabInputError(tr(f"source {str(source)!r}: {problem}.", f"源 {str(source)!r}：{problem}。"))
        exercises = _source_exercises(Path(source))
        if lesson is not None and lesson_name(lesson) != exercises.lesson:
            raise CrmlabInputError(tr(
                f"lesson {lesson!r} does not match the source, whose questions are for {exercises.lesson}.",
                f"lesson {lesson!r} 与源不符：源中的题目属于 {exercises.lesson}。"))
    elif lesson is not None:
        exercises = _lesson_exercises(lesson)
    mapping = read_mapping(students) if students is not None else {}
    submissions = collect(submissions_dir, mapping)
    if not submissions:
        raise CrmlabInputError(tr(
            f"submissions_dir {str(submissions_dir)!r} holds no .ipynb files (hidden folders are skipped).",
            f"submissions_dir {str(submissions_dir)!r} 中没有 .ipynb 文件（隐藏文件夹会被跳过）。"))
    if exercises is None:
        exercises = _lesson_exercises(detect_lesson(submissions))
    if exercises.source is not None and submissions_dir.resolve() in Path(exercises.source).resolve().parents:
        raise CrmlabInputError(tr(
            f"source {str(exercises.source)!r} is inside the submissions folder {str(submissions_dir)!r}: it would be "
            "graded as a submission, and a notebook there may be a student's. Keep sources in a folder of their own.",
            f"源 {str(exercises.source)!r} 在作业目录 {str(submissions_dir)!r} 之内：它会被当作作业批改，而且那里的 "
            "notebook 可能是学生放的。请把源放在单独的文件夹里。"))
    try:
        box = Sandbox.create(sandbox, workers)
    except SandboxUnavailable as exc:
        raise CrmlabInputError(str(exc)) from exc

    previous = _reports.previous_gradebook(out, exercises.lesson, force)
    names = [safe_name(s.student) for s in submissions]
    _reports.check_writable(out, names, gradescope, force)
    for sub in submissions:
        done = previous[(previous["student"] == sub.student) & (previous["submission_sha256"] == sub.sha256)]
        if not regrade and len(done) == len(exercises.questions) and set(done["question"]) == {q.id for q in exercises}:
            sub.skipped = True
    graded_at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    by_job: dict[int, Submission] = {}
    jobs = []
    for sub in submissions:
        if sub.skipped:
            continue
        if sub.problem is not None:
            _invalid(sub, exercises)
            continue
        plan, notes = plan_cells(sub.nb, exercises, source_nb)
        sub.record.notes.extend(notes)
        job = Job(plan, sub.student_id, sub.language, sub.path.name, nbformat.writes(sub.nb), sub.record)
        by_job[id(job)] = sub
        jobs.append(job)
    for sub in submissions:
        if sub.problem is not None and not sub.skipped and progress is not None:
            progress(sub)
    # One trusted worker process per slot: a student's reference run starts there when their kernel
    # starts, and their comparison runs there afterwards (the reference is then already cached).
    with SlotPools(min(workers, len(jobs)), _worker_init, (exercises.lesson,)) as pools:
        def started(job: Job) -> None:
            sub = by_job[id(job)]
            try:  # only a head start: if it fails, the comparison computes the reference itself
                pools.submit(job.slot, evaluate_answers, str(exercises.source), sub.student_id, sub.language, {})
            except Exception:  # noqa: BLE001
                pass

        def finished(job: Job) -> None:
            sub = by_job[id(job)]
            try:
                _finish(sub, exercises, pools.pool(job.slot))
            except Exception as exc:  # noqa: BLE001 - never lose the whole run to one submission
                for q in exercises:
                    sub.record.outcomes.setdefault(q.id, Outcome(q.id, GRADER_ERROR, 0.0, q.points,
                                                                 f"{type(exc).__name__}: {exc}"))
            if progress is not None:
                progress(sub)

        if jobs:
            run_jobs(jobs, exercises, limits, box, workers, finished, started)
    # Every kernel (and its sandbox) is gone here: only now is anything written.
    fresh = gradebook_frame([s for s in submissions if not s.skipped], exercises, graded_at)
    gradebook = _reports.merge(previous, fresh)
    _reports.write_all(out, gradebook, [s for s in submissions if not s.skipped], exercises, gradescope, force)
    return gradebook


def gradebook_frame(submissions: list[Submission], exercises: Exercises, graded_at: str = "") -> pd.DataFrame:
    """One row per student and question, in the lesson's question order."""
    rows = []
    for sub in sorted(submissions, key=lambda s: s.student):
        for q in exercises:
            o = sub.record.outcomes.get(q.id) or Outcome(q.id, GRADER_ERROR, 0.0, q.points,
                                                         tr("no result was recorded", "没有记录到结果"))
            rows.append({"student": sub.student, "question": q.id, "points": float(o.points),
                         "max_points": float(q.points), "status": o.status, "message": o.message,
                         "submission": sub.relative, "submission_sha256": sub.sha256,
                         "submitted_at": sub.submitted_at, "graded_at": graded_at})
    return pd.DataFrame(rows, columns=GRADEBOOK_COLUMNS)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``crmlab grade SUBMISSIONS_DIR [--lesson NN] [options]``."""
    p = subparsers.add_parser(
        "grade", help="grade a folder of submitted notebooks in sandboxed kernels",
        description="Grade every notebook in SUBMISSIONS_DIR; write a gradebook, totals, an LMS CSV, feedback and "
                    "a class report (merged with an earlier run's).")
    p.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    p.add_argument("--lesson", default=None, help="lesson number, e.g. 03 (default: from the notebooks' metadata)")
    p.add_argument("--out", type=Path, default=None, help="report folder (default: SUBMISSIONS_DIR_graded)")
    p.add_argument("--workers", type=int, default=2, help="submissions graded at once (default 2)")
    p.add_argument("--timeout-cell", type=float, default=30, help="seconds per cell (default 30)")
    p.add_argument("--timeout-notebook", type=float, default=300, help="seconds per notebook (default 300)")
    p.add_argument("--memory-mb", type=int, default=1024, help="memory cap per kernel (default 1024)")
    p.add_argument("--output-cap-kb", type=int, default=512, help="output per cell before it is stopped")
    p.add_argument("--gradescope", action="store_true", help="also write gradescope/<student>/results.json")
    p.add_argument("--source", type=Path, default=None,
                   help="the source notebook with the solutions: an assessed assignment's questions and answers "
                        "come from it (keep it out of the students' reach); missing answer cells are re-inserted")
    p.add_argument("--students", type=Path, default=None, help="roster CSV file,student_id naming each submission")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run kernels without bubblewrap (UNSAFE for untrusted students: see docs/grading.md)")
    p.add_argument("--force", action="store_true", help="replace files in --out that the grader did not write")
    p.add_argument("--regrade", action="store_true", help="grade unchanged submissions again")
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``crmlab grade`` with parsed arguments; returns the exit code."""
    limits = Limits(args.timeout_cell, args.timeout_notebook, args.memory_mb, args.output_cap_kb)

    def report(sub: Submission) -> None:
        earned = sum(o.points for o in sub.record.outcomes.values())
        possible = sum(o.max_points for o in sub.record.outcomes.values())
        trouble = sum(o.status in FAILURES for o in sub.record.outcomes.values())
        flag = tr(f"  ({trouble} failure(s))", f"（{trouble} 项失败）") if trouble else ""
        print(f"{sub.student!r:<24} {earned:g}/{possible:g}  {sub.record.seconds:5.1f}s{flag}", flush=True)

    if args.no_sandbox:
        print(tr("WARNING: --no-sandbox: students' code runs as you, can read your files, use the network and "
                 "signal the grader.", "警告：--no-sandbox：学生代码以你的身份运行，可读取你的文件、联网并向评分程序发信号。"),
              flush=True)
    gradebook = grade(args.submissions, args.lesson, out=args.out, workers=args.workers, limits=limits,
                      gradescope=args.gradescope, source=args.source, students=args.students,
                      sandbox=not args.no_sandbox, force=args.force, regrade=args.regrade, progress=report)
    out = args.out or args.submissions.with_name(args.submissions.name + "_graded")
    print(tr(f"gradebook holds {gradebook['student'].nunique()} student(s); reports in {out}",
             f"成绩册共 {gradebook['student'].nunique()} 名学生；报告在 {out}"))
    return 0


__all__ = ["GRADEBOOK_COLUMNS", "Limits", "Submission", "add_parser", "claimed_id", "collect", "detect_lesson",
           "evaluate_answers", "grade", "gradebook_frame", "notebook_lesson", "read_mapping", "run", "safe_name",
           "student_id_for"]
