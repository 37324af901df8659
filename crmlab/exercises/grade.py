"""Grade a folder of submitted notebooks in bulk (``crmlab grade SUBMISSIONS_DIR --lesson NN``).

Each submission runs in its own sandboxed kernel (see :mod:`crmlab.exercises._runner` and
:mod:`crmlab.exercises._sandbox_kernel`), several at a time. Each question is graded from the
kernel's state right after its answer cell, with the lesson's own checks. Whatever one
submission does (loops, crashes, kills its kernel, is not JSON), it is recorded as that
student's failure with its cause, and the run goes on.

Who is the student? In this order: the instructor's mapping file (``--students``, a CSV with
columns ``file,student_id``, ``file`` relative to the submissions folder); the notebook's
metadata ``crmlab.student_id``; a ``crmlab-student.txt`` in the notebook's own sub-folder
(per-student folders, as an LMS export makes them); the sub-folder's name; the file stem.
Two submissions with the same ID are both graded, as ``id``, ``id~2`` ….

Outputs, all in ``out`` (default ``<SUBMISSIONS_DIR>_graded``, never inside the submissions):
``gradebook.csv``, ``feedback/<student>.md``, ``class_report.md``, ``class_report.png`` and, with
``gradescope=True``, ``gradescope/<student>/results.json``. Submissions are only read.
"""
from __future__ import annotations

import argparse
import csv
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd
from nbformat import NotebookNode

from crmlab.exercises._runner import FAILURES, GRADER_ERROR, INVALID, Limits, Outcome, RunRecord, run_submission
from crmlab.exercises.core import Exercises
from crmlab.i18n import tr
from crmlab.student import STUDENT_FILE
from crmlab.validation import CrmlabInputError, require_int

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
GRADEBOOK_COLUMNS = ["student", "question", "points", "max_points", "status", "message", "submission"]


@dataclass
class Submission:
    """One submitted notebook: where it is, whose it is, and its content (None if unreadable).

    ``student_id`` picks the student's data world; ``student`` is the gradebook key (``id~2``
    for a second submission with the same ID).
    """
    path: Path
    relative: str
    student_id: str
    student: str
    nb: NotebookNode | None = None
    problem: str | None = None
    record: RunRecord = field(default_factory=RunRecord)


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


def student_id_for(path: Path, root: Path, nb: NotebookNode | None, mapping: dict[str, str]) -> str:
    """Whose submission ``path`` is (see the module docstring for the order of the rules)."""
    relative = path.relative_to(root).as_posix()
    if relative in mapping:
        return mapping[relative]
    if nb is not None:
        meta = nb.get("metadata", {}).get("crmlab", {})
        claimed = meta.get("student_id") if isinstance(meta, dict) else None
        if isinstance(claimed, (str, int)) and str(claimed).strip():
            return str(claimed).strip()
    if path.parent != root:
        id_file = path.parent / STUDENT_FILE
        if id_file.is_file():
            text = id_file.read_text(encoding="utf-8", errors="replace").strip()
            if text and "\n" not in text:
                return text
        return path.parent.name
    return path.stem


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


def collect(submissions_dir: Path, mapping: dict[str, str]) -> list[Submission]:
    """Read every submission and decide whose it is; duplicate IDs become ``id~2`` …"""
    submissions, seen = [], {}
    for path in find_notebooks(submissions_dir):
        nb, problem = _load(path)
        student = student_id_for(path, submissions_dir, nb, mapping)
        submissions.append(Submission(path, path.relative_to(submissions_dir).as_posix(), student, student, nb,
                                      problem))
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


def _grade_one(sub: Submission, exercises: Exercises, limits: Limits, source_nb: NotebookNode | None) -> None:
    if sub.problem is not None:
        for q in exercises:
            sub.record.outcomes[q.id] = Outcome(q.id, INVALID, 0.0, q.points, tr(
                f"Not graded: {sub.problem}.", f"未评分：{sub.problem}。"))
        sub.record.notes.append(tr(f"{sub.relative}: {sub.problem}.", f"{sub.relative}：{sub.problem}。"))
        return
    record = run_submission(sub.nb, exercises, sub.student_id, sub.path.name, limits, source_nb)
    record.notes[:0] = sub.record.notes
    sub.record = record


def grade(submissions_dir: str | Path, lesson: str | int, *, out: str | Path | None = None, workers: int = 2,
          limits: Limits = Limits(), gradescope: bool = False, source: str | Path | None = None,
          students: str | Path | None = None,
          progress: Callable[[Submission], None] | None = None) -> pd.DataFrame:
    """Grade every notebook under ``submissions_dir`` against lesson ``lesson`` and write the reports.

    Parameters
    ----------
    submissions_dir : folder of submitted ``.ipynb`` files (searched recursively); only read.
    lesson : the lesson number (``"03"``); its questions and points come from crmlab.
    out : where reports go (default ``<submissions_dir>_graded``); must not overlap the submissions.
    workers : submissions graded at the same time (one kernel each).
    limits : time, memory and output limits per submission.
    gradescope : also write ``gradescope/<student>/results.json``.
    source : the lesson's source notebook; missing answer cells are re-inserted from it
        (default: a one-line stub ``variable = ...``).
    students : CSV ``file,student_id`` that overrides every other way of naming the student.
    progress : called with each finished :class:`Submission` (the CLI prints a line).

    Returns
    -------
    DataFrame
        The gradebook: one row per student and question (columns ``GRADEBOOK_COLUMNS``).
    """
    from crmlab.exercises import lesson as load_lesson

    submissions_dir = Path(submissions_dir)
    if not submissions_dir.is_dir():
        raise CrmlabInputError(tr(f"submissions_dir {str(submissions_dir)!r} is not a folder.",
                                  f"submissions_dir {str(submissions_dir)!r} 不是文件夹。"))
    try:
        exercises = load_lesson(lesson)
    except ValueError as exc:
        raise CrmlabInputError(tr(f"lesson {lesson!r}: {exc} Pass the number of a lesson with exercises, e.g. 3.",
                                  f"lesson {lesson!r}：{exc} 请传入有练习的课号，例如 3。")) from exc
    workers = require_int(workers, "workers", minimum=1, maximum=64)
    for name in ("timeout_cell", "timeout_notebook", "memory_mb", "output_cap_kb"):
        if not getattr(limits, name) > 0:
            raise CrmlabInputError(tr(f"{name} must be positive, got {getattr(limits, name)!r}.",
                                      f"{name} 必须为正数，实际是 {getattr(limits, name)!r}。"))
    out = Path(out) if out is not None else submissions_dir.with_name(submissions_dir.name + "_graded")
    _check_out(submissions_dir, out)
    source_nb = None
    if source is not None:
        source_nb, problem = _load(Path(source))
        if problem:
            raise CrmlabInputError(tr(f"source {str(source)!r}: {problem}.", f"源 {str(source)!r}：{problem}。"))
    mapping = read_mapping(students) if students is not None else {}

    submissions = collect(submissions_dir, mapping)
    if not submissions:
        raise CrmlabInputError(tr(
            f"submissions_dir {str(submissions_dir)!r} holds no .ipynb files (hidden folders are skipped).",
            f"submissions_dir {str(submissions_dir)!r} 中没有 .ipynb 文件（隐藏文件夹会被跳过）。"))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_grade_one, sub, exercises, limits, source_nb): sub for sub in submissions}
        for future in as_completed(futures):
            sub = futures[future]
            try:
                future.result()
            except Exception as exc:  # never lose the whole run to one submission
                for q in exercises:
                    sub.record.outcomes[q.id] = Outcome(q.id, GRADER_ERROR, 0.0, q.points,
                                                        f"{type(exc).__name__}: {exc}")
            if progress is not None:
                progress(sub)

    from crmlab.exercises import _reports

    gradebook = gradebook_frame(submissions, exercises)
    out.mkdir(parents=True, exist_ok=True)
    _reports.write_all(out, gradebook, submissions, exercises, gradescope)
    return gradebook


def gradebook_frame(submissions: list[Submission], exercises: Exercises) -> pd.DataFrame:
    """One row per student and question, in the lesson's question order."""
    rows = []
    for sub in sorted(submissions, key=lambda s: s.student):
        for q in exercises:
            o = sub.record.outcomes.get(q.id) or Outcome(q.id, GRADER_ERROR, 0.0, q.points,
                                                         tr("no result was recorded", "没有记录到结果"))
            rows.append({"student": sub.student, "question": q.id, "points": float(o.points),
                         "max_points": float(q.points), "status": o.status, "message": o.message,
                         "submission": sub.relative})
    return pd.DataFrame(rows, columns=GRADEBOOK_COLUMNS)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``crmlab grade SUBMISSIONS_DIR --lesson NN [options]``."""
    p = subparsers.add_parser(
        "grade", help="grade a folder of submitted notebooks in sandboxed kernels",
        description="Grade every notebook in SUBMISSIONS_DIR; write a gradebook, feedback and a class report.")
    p.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR")
    p.add_argument("--lesson", required=True, help="lesson number, e.g. 03")
    p.add_argument("--out", type=Path, default=None, help="report folder (default: SUBMISSIONS_DIR_graded)")
    p.add_argument("--workers", type=int, default=2, help="submissions graded at once (default 2)")
    p.add_argument("--timeout-cell", type=float, default=30, help="seconds per cell (default 30)")
    p.add_argument("--timeout-notebook", type=float, default=300, help="seconds per notebook (default 300)")
    p.add_argument("--memory-mb", type=int, default=1024, help="memory cap per kernel (default 1024)")
    p.add_argument("--output-cap-kb", type=int, default=512, help="output per cell before it is stopped")
    p.add_argument("--gradescope", action="store_true", help="also write gradescope/<student>/results.json")
    p.add_argument("--source", type=Path, default=None, help="the lesson's source notebook (to re-insert cells)")
    p.add_argument("--students", type=Path, default=None, help="CSV file,student_id naming each submission")
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``crmlab grade`` with parsed arguments; returns the exit code."""
    limits = Limits(args.timeout_cell, args.timeout_notebook, args.memory_mb, args.output_cap_kb)

    def report(sub: Submission) -> None:
        earned = sum(o.points for o in sub.record.outcomes.values())
        possible = sum(o.max_points for o in sub.record.outcomes.values())
        trouble = sum(o.status in FAILURES for o in sub.record.outcomes.values())
        flag = tr(f"  ({trouble} failure(s))", f"（{trouble} 项失败）") if trouble else ""
        print(f"{sub.student:<24} {earned:g}/{possible:g}  {sub.record.seconds:5.1f}s{flag}", flush=True)

    gradebook = grade(args.submissions, args.lesson, out=args.out, workers=args.workers, limits=limits,
                      gradescope=args.gradescope, source=args.source, students=args.students, progress=report)
    out = args.out or args.submissions.with_name(args.submissions.name + "_graded")
    print(tr(f"graded {gradebook['student'].nunique()} submission(s); reports in {out}",
             f"已评 {gradebook['student'].nunique()} 份作业；报告在 {out}"))
    return 0


__all__ = ["Limits", "Submission", "add_parser", "collect", "grade", "gradebook_frame", "read_mapping", "run",
           "safe_name", "student_id_for"]
