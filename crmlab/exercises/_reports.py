"""The files a grading run writes: gradebook, totals, LMS export, feedback, class report, Gradescope results.

Every file is written through a temporary file and renamed, so a re-run replaces its own
reports whole and never leaves half of one. The grader keeps a manifest (``.crmlab-grade.json``)
of what it wrote, with each file's SHA-256: a file it did not write, or that was edited since, is
not replaced without ``force``. Student-supplied text (IDs, messages, exception text, file names)
is escaped in Markdown and neutralised in CSV (a cell starting with ``= + - @`` is prefixed with
``'`` so a spreadsheet shows it as text, as OWASP's "CSV injection" advice says).
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure

from crmlab.exercises._runner import FAILURES
from crmlab.exercises.core import CORRECT, Exercises
from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError
from crmlab.plot.style import PALETTE, label, new_axes, use_style

MANIFEST = ".crmlab-grade.json"

if TYPE_CHECKING:
    from crmlab.exercises.grade import Submission


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(text: object) -> str:
    """Student-supplied text made inert in Markdown: HTML escaped, Markdown punctuation backslashed, one line."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=True))


_cell = md


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot become spreadsheet formulas (leading = + - @ tab CR gets a ')."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column].astype(object)
            risky = values.map(lambda v: isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"))
            out[column] = values.where(~risky, "'" + values.astype(str))
    safe_columns = ["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r") else c
                    for c in out.columns]
    out.columns = safe_columns
    return out


def uncsv(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`csv_safe` on text read back from our own gradebook."""
    out = frame.copy()
    for column in ("student", "message", "submission"):
        if column in out.columns:
            values = out[column].astype(object)
            undo = values.map(lambda v: isinstance(v, str) and v[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r"))
            out[column] = values.where(~undo, values.astype(str).str[1:])
    return out


def feedback_markdown(sub: Submission, exercises: Exercises) -> str:
    """One student's feedback: their questions, points and messages, and notes on their run; nobody else's."""
    earned = sum(o.points for o in sub.record.outcomes.values())
    possible = sum(q.points for q in exercises)
    lines = [f"# {tr('Feedback', '反馈')}: {tr('lesson', '第')} {exercises.lesson}{tr('', ' 课')} · {md(sub.student)}", "",
             tr(f"**Score: {earned:g} / {possible:g}**", f"**得分：{earned:g} / {possible:g}**"), "",
             tr("| Question | Status | Points | What the checker says |", "| 题目 | 状态 | 得分 | 检查结果 |"),
             "|---|---|---|---|"]
    for q in exercises:
        o = sub.record.outcomes.get(q.id)
        if o is None:
            continue
        lines.append(f"| {q.id} | {o.status} | {o.points:g} / {q.points:g} | {_cell(o.message)} |")
    if sub.record.notes:
        lines += ["", tr("## What happened while your notebook ran", "## 运行你的 notebook 时发生的情况"), ""]
        lines += [f"- {md(note)}" for note in sub.record.notes]
    return "\n".join(lines) + "\n"


def class_summary(gradebook: pd.DataFrame) -> pd.DataFrame:
    """Per question: share correct, mean points and how many students got each status."""
    counts = pd.crosstab(gradebook["question"], gradebook["status"])
    summary = pd.DataFrame({
        "share_correct": gradebook["status"].eq(CORRECT).groupby(gradebook["question"], sort=False).mean(),
        "mean_points": gradebook.groupby("question", sort=False)["points"].mean(),
        "max_points": gradebook.groupby("question", sort=False)["max_points"].first(),
    })
    return summary.join(counts).fillna(0)


def class_chart(summary: pd.DataFrame, lesson: str) -> bytes:
    """PNG bar chart: the share of the class that got each question right (lowest bars = struggles)."""
    use_style()
    fig = Figure(figsize=(7.0, 4.2))
    ax = new_axes(fig.subplots())
    shares = summary["share_correct"]
    colours = [PALETTE["vermillion"] if s < 0.5 else PALETTE["blue"] for s in shares]
    ax.bar(shares.index.astype(str), shares.to_numpy(), color=colours)
    ax.set_ylim(0, 1)
    ax.set_ylabel(label("share of students correct", "答对的学生比例"))
    ax.set_xlabel(label("question", "题目"))
    ax.set_title(label(f"Lesson {lesson}: which questions the class struggles with",
                       f"第 {lesson} 课：全班在哪些题目上有困难"))
    for x, s in enumerate(shares):
        ax.annotate(f"{s:.0%}", (x, s), ha="center", va="bottom", fontsize=9)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def class_report_markdown(gradebook: pd.DataFrame, summary: pd.DataFrame, submissions: list[Submission],
                          lesson: str) -> str:
    """The instructor's overview: per-question results, then every submission whose run had trouble."""
    totals = gradebook.groupby("student")["points"].sum()
    possible = gradebook.groupby("student")["max_points"].sum().max() if len(gradebook) else 0
    totals_table = totals_frame(gradebook)
    lines = [tr(f"# Class report: lesson {lesson}", f"# 班级报告：第 {lesson} 课"), "",
             tr(f"{len(totals)} submission(s); mean score {totals.mean():.2f} / {possible:g}.",
                f"共 {len(totals)} 份作业；平均分 {totals.mean():.2f} / {possible:g}。") if len(totals) else "",
             "", "![share correct per question](class_report.png)", "",
             tr("| Question | Share correct | Mean points | Statuses |", "| 题目 | 答对比例 | 平均得分 | 状态分布 |"),
             "|---|---|---|---|"]
    status_columns = [c for c in summary.columns if c not in ("share_correct", "mean_points", "max_points")]
    for qid, row in summary.iterrows():
        statuses = ", ".join(f"{c}: {int(row[c])}" for c in status_columns if row[c])
        lines.append(f"| {qid} | {row['share_correct']:.0%} | {row['mean_points']:.2f} / {row['max_points']:g} "
                     f"| {statuses} |")
    lines += ["", tr("## Totals per student", "## 每位学生的总分"), "",
              tr("| Student | Points | Correct |", "| 学生 | 得分 | 答对题数 |"), "|---|---|---|"]
    lines += [f"| {md(r.student)} | {r.points:g} / {r.max_points:g} | {r.correct} |"
              for r in totals_table.itertuples()]
    trouble = [s for s in submissions if s.record.notes or any(o.status in FAILURES for o in s.record.outcomes.values())]
    if trouble:
        lines += ["", tr("## Submissions whose run had trouble", "## 运行中出现问题的作业"), ""]
        for sub in sorted(trouble, key=lambda s: s.student):
            failures = dict.fromkeys(o.message for o in sub.record.outcomes.values() if o.status in FAILURES)
            causes = " ".join(sub.record.notes) or " ".join(failures)
            lines.append(f"- **{md(sub.student)}** ({md(sub.relative)}): {md(causes)}")
    return "\n".join(lines) + "\n"


def gradescope_results(sub: Submission, exercises: Exercises) -> dict:
    """Gradescope's autograder ``results.json`` for one submission."""
    tests = []
    for q in exercises:
        o = sub.record.outcomes.get(q.id)
        if o is None:
            continue
        tests.append({"name": q.id, "score": o.points, "max_score": q.points,
                      "status": "passed" if o.status == CORRECT else "failed",
                      "output": f"{o.status}: {o.message}", "visibility": "visible"})
    return {"score": sum(t["score"] for t in tests), "output": "\n".join(sub.record.notes),
            "tests": tests, "visibility": "visible"}


def totals_frame(gradebook: pd.DataFrame) -> pd.DataFrame:
    """Per student: points earned, points possible, questions correct, and the submission graded."""
    grouped = gradebook.groupby("student", sort=True)
    return pd.DataFrame({"points": grouped["points"].sum(), "max_points": grouped["max_points"].sum(),
                         "correct": grouped["status"].apply(lambda s: int((s == CORRECT).sum())),
                         "submission": grouped["submission"].first()}).reset_index()


def lms_frame(gradebook: pd.DataFrame) -> pd.DataFrame:
    """One row per student, one column per question (points) plus the total: the shape Canvas and Moodle import."""
    wide = gradebook.pivot_table(index="student", columns="question", values="points", aggfunc="sum", sort=True)
    wide = wide.reindex(columns=list(dict.fromkeys(gradebook["question"])))
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(out: Path) -> dict:
    try:
        found = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return found if isinstance(found, dict) and isinstance(found.get("files"), dict) else {"files": {}}
    except (OSError, ValueError):
        return {"files": {}}


def _ours(out: Path, relative: str, manifest: dict) -> bool:
    path = out / relative
    if not path.exists():
        return True
    recorded = manifest["files"].get(relative)
    return recorded is not None and path.is_file() and _sha(path.read_bytes()) == recorded


def _refuse(out: Path, relative: str) -> CrmlabInputError:
    return CrmlabInputError(tr(
        f"out: {str(out / relative)!r} exists and was not written by this grader (or was edited since); "
        "choose another --out, move the file, or pass --force to replace it.",
        f"out：{str(out / relative)!r} 已存在，且不是本评分程序写的（或之后被修改过）；请另选 --out、移走该文件，"
        "或传入 --force 覆盖。"))


def report_names(names: list[str], gradescope: bool) -> list[str]:
    """Every file a run writes into the output folder, relative to it."""
    files = ["gradebook.csv", "totals.csv", "lms.csv", "class_report.md", "class_report.png"]
    files += [f"feedback/{n}.md" for n in names]
    files += [f"gradescope/{n}/results.json" for n in names] if gradescope else []
    return files


def check_writable(out: Path, names: list[str], gradescope: bool, force: bool) -> None:
    """Refuse (before any kernel starts) when a report would replace a file the grader did not write."""
    if force or not out.exists():
        return
    manifest = _manifest(out)
    for relative in report_names(names, gradescope):
        if not _ours(out, relative, manifest):
            raise _refuse(out, relative)


def previous_gradebook(out: Path, lesson: str, force: bool) -> pd.DataFrame:
    """The gradebook an earlier run wrote in ``out`` (to merge into), or an empty one."""
    from crmlab.exercises.grade import GRADEBOOK_COLUMNS

    empty = pd.DataFrame(columns=GRADEBOOK_COLUMNS)
    path = out / "gradebook.csv"
    if not path.exists():
        return empty
    manifest = _manifest(out)
    if not _ours(out, "gradebook.csv", manifest):
        if force:
            return empty
        raise _refuse(out, "gradebook.csv")
    if manifest.get("lesson") not in (None, lesson):
        if force:
            return empty
        raise CrmlabInputError(tr(
            f"out: {str(out)!r} holds the gradebook of lesson {manifest.get('lesson')}, not {lesson}; choose another "
            "--out (or --force to start a new gradebook there).",
            f"out：{str(out)!r} 中是第 {manifest.get('lesson')} 课的成绩册，不是第 {lesson} 课；请另选 --out（或用 --force "
            "在此新建成绩册）。"))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != GRADEBOOK_COLUMNS:
        if force:
            return empty
        raise _refuse(out, "gradebook.csv")
    frame = uncsv(frame)
    frame["points"] = frame["points"].astype(float)
    frame["max_points"] = frame["max_points"].astype(float)
    return frame


def merge(previous: pd.DataFrame, fresh: pd.DataFrame) -> pd.DataFrame:
    """``fresh`` rows replace ``previous`` rows of the same students; everyone else's rows are kept."""
    kept = previous[~previous["student"].isin(set(fresh["student"]))]
    parts = [p for p in (kept, fresh) if len(p)]
    merged = pd.concat(parts, ignore_index=True) if parts else fresh
    order = {q: i for i, q in enumerate(dict.fromkeys(list(fresh["question"]) + list(previous["question"])))}
    merged = merged.assign(_q=merged["question"].map(order)).sort_values(["student", "_q"], kind="stable")
    return merged.drop(columns="_q").reset_index(drop=True)


def write_all(out: Path, gradebook: pd.DataFrame, submissions: list[Submission], exercises: Exercises,
              gradescope: bool, force: bool = False) -> None:
    """Write every report of a grading run into ``out`` and record them in the manifest."""
    from crmlab.exercises.grade import safe_name

    manifest = _manifest(out) if out.exists() else {"files": {}}
    files: dict[str, bytes] = {
        "gradebook.csv": csv_safe(gradebook).to_csv(index=False).encode("utf-8"),
        "totals.csv": csv_safe(totals_frame(gradebook)).to_csv(index=False).encode("utf-8"),
        "lms.csv": csv_safe(lms_frame(gradebook)).to_csv(index=False).encode("utf-8"),
    }
    for sub in submissions:
        files[f"feedback/{safe_name(sub.student)}.md"] = feedback_markdown(sub, exercises).encode("utf-8")
        if gradescope:
            files[f"gradescope/{safe_name(sub.student)}/results.json"] = (json.dumps(
                gradescope_results(sub, exercises), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    summary = class_summary(gradebook)
    files["class_report.md"] = class_report_markdown(gradebook, summary, submissions, exercises.lesson).encode("utf-8")
    files["class_report.png"] = class_chart(summary, exercises.lesson)
    if not force:
        for relative in files:
            if not _ours(out, relative, manifest):
                raise _refuse(out, relative)
    for relative, data in files.items():
        atomic_write(out / relative, data)
        manifest["files"][relative] = _sha(data)
    manifest["lesson"] = exercises.lesson
    atomic_write(out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
