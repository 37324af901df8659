"""The files a grading run writes: gradebook, per-student feedback, class report, Gradescope results.

Every file is written through a temporary file and renamed, so a re-run replaces its own
reports whole and never leaves half of one; nothing else in the folder is touched.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure

from crmlab.exercises._runner import FAILURES
from crmlab.exercises.core import CORRECT, Exercises
from crmlab.i18n import tr
from crmlab.plot.style import PALETTE, label, new_axes, use_style

if TYPE_CHECKING:
    from crmlab.exercises.grade import Submission


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def feedback_markdown(sub: Submission, exercises: Exercises) -> str:
    """One student's feedback: their questions, points and messages, and notes on their run; nobody else's."""
    earned = sum(o.points for o in sub.record.outcomes.values())
    possible = sum(q.points for q in exercises)
    lines = [f"# {tr('Feedback', '反馈')}: {tr('lesson', '第')} {exercises.lesson}{tr('', ' 课')} · {sub.student}", "",
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
        lines += [f"- {note}" for note in sub.record.notes]
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
    trouble = [s for s in submissions if s.record.notes or any(o.status in FAILURES for o in s.record.outcomes.values())]
    if trouble:
        lines += ["", tr("## Submissions whose run had trouble", "## 运行中出现问题的作业"), ""]
        for sub in sorted(trouble, key=lambda s: s.student):
            failures = dict.fromkeys(o.message for o in sub.record.outcomes.values() if o.status in FAILURES)
            causes = " ".join(sub.record.notes) or " ".join(failures)
            lines.append(f"- **{sub.student}** (`{sub.relative}`): {causes}")
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


def write_all(out: Path, gradebook: pd.DataFrame, submissions: list[Submission], exercises: Exercises,
              gradescope: bool) -> None:
    """Write every report of a grading run into ``out``."""
    from crmlab.exercises.grade import safe_name

    atomic_write(out / "gradebook.csv", gradebook.to_csv(index=False))
    for sub in submissions:
        atomic_write(out / "feedback" / f"{safe_name(sub.student)}.md", feedback_markdown(sub, exercises))
        if gradescope:
            atomic_write(out / "gradescope" / safe_name(sub.student) / "results.json",
                         json.dumps(gradescope_results(sub, exercises), ensure_ascii=False, indent=2) + "\n")
    summary = class_summary(gradebook)
    atomic_write(out / "class_report.md", class_report_markdown(gradebook, summary, submissions, exercises.lesson))
    atomic_write(out / "class_report.png", class_chart(summary, exercises.lesson))
