"""crmlab grade on a corpus of realistic bad submissions (tests/grading_corpus/, built by make_corpus.py).

The whole corpus is graded once per test session (two workers, short limits); each test then
reads the results. Expected grades follow from how each submission was built: see
tests/grading_corpus/make_corpus.py.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmlab.cli import main as cli_main
from crmlab.exercises import lesson
import os
import subprocess

from crmlab.exercises._reports import csv_safe, md, merge
from crmlab.exercises._runner import Limits, plan_cells
from crmlab.exercises._values import dumps, decode
from crmlab.exercises.assign import strip_solutions
from crmlab.exercises.grade import GRADEBOOK_COLUMNS, collect, grade, read_mapping, safe_name, student_id_for
from crmlab.validation import CrmlabInputError

CORPUS = Path(__file__).parent / "grading_corpus"
SUBMISSIONS = CORPUS / "submissions"
SOURCE = CORPUS / "source" / "99_demo.ipynb"
ROSTER = CORPUS / "roster.csv"
PACKAGE = Path(__file__).resolve().parents[1] / "crmlab"
LIMITS = Limits(timeout_cell=4, timeout_notebook=10, memory_mb=512, output_cap_kb=64)
ALL_RIGHT = {"99.q1": "correct", "99.q2": "correct", "99.q3": "correct"}


@pytest.fixture(autouse=True, scope="module")
def demo_source_reachable():
    """The demo lesson's source is an assignment kept outside the package: the grader finds it through
    CRMLAB_SOURCES (as an instructor's private folder would be found), or through --source."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CRMLAB_SOURCES", str(SOURCE.parent))
        yield


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    before = _digest(SUBMISSIONS)
    out = tmp_path_factory.mktemp("graded")
    gradebook = grade(SUBMISSIONS, "99", out=out, workers=2, limits=LIMITS, gradescope=True, source=SOURCE,
                      students=ROSTER)
    assert _digest(SUBMISSIONS) == before, "the grader modified a submission"
    # zara's writes (other helpers edit the package meanwhile, so look for her marks, not a digest)
    import site
    assert "raise SystemExit" not in (PACKAGE / "exercises" / "compare.py").read_text(encoding="utf-8")
    assert not [p for d in [PACKAGE, *map(Path, site.getsitepackages())] for p in d.glob("zz_evil.pth")]
    return gradebook, out


def _statuses(gradebook: pd.DataFrame, student: str) -> dict[str, str]:
    rows = gradebook[gradebook["student"] == student]
    return dict(zip(rows["question"], rows["status"]))


def _messages(gradebook: pd.DataFrame, student: str) -> str:
    return " ".join(gradebook.loc[gradebook["student"] == student, "message"])


def test_every_submission_gets_a_row_per_question(graded):
    gradebook, out = graded
    assert list(gradebook.columns) == GRADEBOOK_COLUMNS
    students = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
                "oscar", "peggy", "trent", "walter", "xavier", "yvonne", "zara", "quinn", "eve", "=1+2"}
    assert set(gradebook["student"]) == students
    assert len(gradebook) == 3 * len(students)
    assert pd.read_csv(out / "gradebook.csv")["points"].sum() == pytest.approx(gradebook["points"].sum())


def test_correct_and_blank(graded):
    gradebook, _ = graded
    assert _statuses(gradebook, "alice") == ALL_RIGHT
    alice = gradebook[gradebook["student"] == "alice"]
    assert alice["points"].tolist() == [1.0, 1.0, 2.0]  # q3 is worth 2 points in l99_demo
    assert set(_statuses(gradebook, "bob").values()) == {"not attempted"}
    assert gradebook.loc[gradebook["student"] == "bob", "points"].sum() == 0


def test_interruptible_infinite_loop_is_stopped_and_later_questions_graded(graded):
    gradebook, _ = graded
    assert _statuses(gradebook, "carol") == ALL_RIGHT


def test_loop_that_ignores_interrupts_hits_the_notebook_limit(graded):
    gradebook, out = graded
    assert _statuses(gradebook, "walter") == {"99.q1": "correct", "99.q2": "timeout", "99.q3": "timeout"}
    assert "10 s limit" in _messages(gradebook, "walter")
    assert "longer than 4 s" in (out / "feedback" / "walter.md").read_text(encoding="utf-8")


def test_exception_midway_only_costs_that_question(graded):
    gradebook, _ = graded
    assert _statuses(gradebook, "dave") == {"99.q1": "not attempted", "99.q2": "correct", "99.q3": "correct"}
    assert "ZeroDivisionError" in _messages(gradebook, "dave")


def test_deleted_duplicated_and_reordered_cells(graded):
    gradebook, out = graded
    # q2's answer cell was deleted (stub re-inserted), q3's moved to the top, q1 duplicated (first copy wrong).
    assert _statuses(gradebook, "erin") == {"99.q1": "correct", "99.q2": "not attempted", "99.q3": "correct"}
    feedback = (out / "feedback" / "erin.md").read_text(encoding="utf-8")
    assert "not found" in feedback and "2 answer cells" in feedback


def test_retyped_cells_found_by_content(graded):
    gradebook, _ = graded
    # q1's tag was lost (found by the stub comment); q2's cell was turned into Markdown (not attempted).
    assert _statuses(gradebook, "peggy") == {"99.q1": "correct", "99.q2": "not attempted", "99.q3": "correct"}


def test_kernel_death_is_recorded_with_its_exit_code(graded):
    gradebook, _ = graded
    assert _statuses(gradebook, "frank") == {"99.q1": "correct", "99.q2": "kernel died", "99.q3": "kernel died"}
    assert "exited with code 3" in _messages(gradebook, "frank")


def test_memory_bomb_hits_the_cap(graded):
    gradebook, out = graded
    assert _statuses(gradebook, "grace") == ALL_RIGHT
    assert "MemoryError" in (out / "feedback" / "grace.md").read_text(encoding="utf-8")


def test_huge_output_is_capped(graded):
    gradebook, out = graded
    assert _statuses(gradebook, "heidi") == ALL_RIGHT
    assert "more than 64 KB" in (out / "feedback" / "heidi.md").read_text(encoding="utf-8")


def test_redefined_check_ex_and_question_do_not_change_the_grade(graded):
    gradebook, _ = graded
    assert _statuses(gradebook, "ivan") == {"99.q1": "incorrect", "99.q2": "incorrect", "99.q3": "not attempted"}


def test_forged_result_lines_are_never_counted_as_correct(graded):
    gradebook, _ = graded
    # trent's pre_run_cell hook copies each grading cell's nonce into a fake "correct" line: the
    # grader reads only the answer's value, so trent's real answers (1.0, blank, blank) are graded.
    assert _statuses(gradebook, "trent") == {"99.q1": "incorrect", "99.q2": "not attempted",
                                             "99.q3": "not attempted"}


def test_a_submission_cannot_see_other_submissions_or_the_graders_environment(graded):
    gradebook, _ = graded
    # judy's q1 answer is right only if she found no other notebook and no PYTEST*/VIRTUAL* variable.
    assert _statuses(gradebook, "judy") == ALL_RIGHT


def test_invalid_json_is_a_recorded_failure(graded):
    gradebook, out = graded
    assert set(_statuses(gradebook, "mallory").values()) == {"invalid notebook"}
    assert "not a valid notebook" in _messages(gradebook, "mallory")
    assert "mallory" in (out / "class_report.md").read_text(encoding="utf-8")


def test_renamed_file_is_identified_by_the_roster(graded):
    gradebook, _ = graded
    assert _statuses(gradebook, "oscar") == ALL_RIGHT
    assert set(gradebook.loc[gradebook["student"] == "oscar", "submission"]) == {"Copy of 99_demo (1).ipynb"}


def test_feedback_holds_only_that_students_results(graded):
    gradebook, out = graded
    files = sorted(p.stem for p in (out / "feedback").glob("*.md"))
    assert files == sorted(safe_name(s) for s in gradebook["student"].unique())
    dave = (out / "feedback" / "dave.md").read_text(encoding="utf-8")
    assert "dave" in dave and not any(name in dave for name in ("alice", "carol", "frank", "mallory"))
    assert "Score: 3 / 4" in dave  # q2 (1 point) + q3 (2 points)


def test_class_report_and_gradescope_results(graded):
    gradebook, out = graded
    assert (out / "class_report.png").read_bytes()[:4] == b"\x89PNG"
    report = (out / "class_report.md").read_text(encoding="utf-8")
    share_q1 = (gradebook[gradebook["question"] == "99.q1"]["status"] == "correct").mean()
    assert f"| 99.q1 | {share_q1:.0%} |" in report
    results = json.loads((out / "gradescope" / "dave" / "results.json").read_text(encoding="utf-8"))
    assert results["score"] == 3.0
    assert [t["status"] for t in results["tests"]] == ["failed", "passed", "passed"]


def test_source_passes_every_check_and_student_version_fails_every_check(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copy(SOURCE, folder / "instructor.ipynb")
    nbformat.write(strip_solutions(nbformat.read(SOURCE, as_version=4)), folder / "student.ipynb")
    gradebook = grade(folder, 99, workers=2, limits=LIMITS)
    assert set(_statuses(gradebook, "instructor").values()) == {"correct"}
    assert set(_statuses(gradebook, "student").values()) == {"not attempted"}
    assert (tmp_path / "subs_graded" / "gradebook.csv").is_file()
    # A re-run replaces its own outputs and leaves other files alone.
    (tmp_path / "subs_graded" / "my_notes.txt").write_text("keep", encoding="utf-8")
    assert cli_main(["grade", str(folder), "--lesson", "99", "--workers", "2", "--timeout-cell", "10"]) == 0
    assert (tmp_path / "subs_graded" / "my_notes.txt").read_text(encoding="utf-8") == "keep"


# --- the pieces, without kernels ---------------------------------------------------------

def test_plan_puts_a_grading_cell_after_each_answer_and_reinserts_missing_stubs():
    nb = strip_solutions(nbformat.read(SOURCE, as_version=4))
    nb.cells = [c for c in nb.cells if "answer:99.q2" not in c.metadata.get("tags", [])]
    plan, notes = plan_cells(nb, lesson("99"))
    kinds = [(p.kind, p.questions) for p in plan]
    assert kinds.index(("grade", ("99.q1",))) == kinds.index(("student", ("99.q1",))) + 1
    assert kinds.index(("grade", ("99.q2",))) == kinds.index(("stub", ("99.q2",))) + 1
    stub = next(p for p in plan if p.kind == "stub")
    assert stub.source == "top_customers = ...  # your answer here"
    assert len({p.nonce for p in plan if p.kind == "grade"}) == 3
    assert any("99.q2" in n for n in notes)


def test_student_id_rules(tmp_path):
    root = tmp_path / "subs"
    (root / "wang").mkdir(parents=True)
    flat, nested = root / "x.ipynb", root / "wang" / "lesson.ipynb"
    assert student_id_for(flat, root, {}) == "x"
    assert student_id_for(nested, root, {}) == "wang"
    assert student_id_for(nested, root, {"wang/lesson.ipynb": "2024003"}) == "2024003"


def test_two_submissions_with_one_id_are_both_kept(tmp_path):
    for name in ("a.ipynb", "b.ipynb"):
        nb = nbformat.v4.new_notebook()
        nb.metadata["crmlab"] = {"student_id": "2024001"}
        nbformat.write(nb, tmp_path / name)
    (tmp_path / ".ipynb_checkpoints").mkdir()
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb")
    subs = collect(tmp_path, {"a.ipynb": "2024001", "b.ipynb": "2024001"})
    assert [(s.student, s.student_id) for s in subs] == [("2024001", "2024001"), ("2024001~2", "2024001")]
    assert "same student ID" in subs[1].record.notes[-1]


def test_safe_name_cannot_escape_the_feedback_folder():
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("王小明 2024") == "王小明_2024"
    assert safe_name("..") == "student"


def test_read_mapping(tmp_path):
    path = tmp_path / "students.csv"
    path.write_text("file,student_id\na.ipynb,001\nb.ipynb,\n", encoding="utf-8")
    assert read_mapping(path) == {"a.ipynb": "001"}
    path.write_text("name,id\na,1\n", encoding="utf-8")
    with pytest.raises(CrmlabInputError, match="file,student_id"):
        read_mapping(path)
    with pytest.raises(CrmlabInputError, match="does not exist"):
        read_mapping(tmp_path / "missing.csv")


def test_grade_bad_inputs(tmp_path):
    with pytest.raises(CrmlabInputError, match="not a folder"):
        grade(tmp_path / "missing", "99")
    with pytest.raises(CrmlabInputError, match="lesson"):
        grade(tmp_path, "98", out=tmp_path.parent / "elsewhere")
    with pytest.raises(CrmlabInputError, match="workers"):
        grade(tmp_path, "99", workers=0)
    with pytest.raises(CrmlabInputError, match="timeout_cell"):
        grade(tmp_path, "99", limits=Limits(timeout_cell=0))
    with pytest.raises(CrmlabInputError, match="no .ipynb"):
        grade(tmp_path, "99", out=tmp_path.parent / "elsewhere")
    for out in (tmp_path, tmp_path / "inside", tmp_path.parent):
        with pytest.raises(CrmlabInputError, match="overlaps"):
            grade(tmp_path, "99", out=out)


# --- issue 14: a hostile class -------------------------------------------------------------

def test_reference_api_gives_nothing_in_a_graded_run(graded):
    gradebook, _ = graded
    # xavier's answers are ex.qN.expected() / ex.qN.solution(): the kernel has CRMLAB_GRADING set.
    assert "correct" not in set(_statuses(gradebook, "xavier").values())


def test_patched_messages_isclose_stdout_and_transformers_do_not_help(graded):
    gradebook, _ = graded
    # yvonne answers 0 / [] / 0 after patching tr, math.isclose, np.isclose, sys.stdout and IPython's
    # input transformers: the comparison runs in the grader's own process, so all three stay wrong.
    assert _statuses(gradebook, "yvonne") == {"99.q1": "incorrect", "99.q2": "incorrect", "99.q3": "incorrect"}


def test_harm_to_others_is_contained(graded):
    gradebook, _ = graded
    # zara writes to the package and venv, drops .pth files, SIGSTOPs/SIGKILLs her parent, pid 1 and -1,
    # reads /proc/*/environ and leaves detached processes: her own run completes, classmates unchanged.
    assert _statuses(gradebook, "zara")["99.q1"] == "correct"
    for student in ("alice", "carol", "oscar", "=1+2"):
        assert _statuses(gradebook, student) == ALL_RIGHT
    # Nothing of any sandbox is left running: sandbox users have uids >= 200000.
    leftovers = subprocess.run(["ps", "-eo", "uid=,args="], capture_output=True, text=True).stdout.splitlines()
    assert not [line for line in leftovers if int(line.split()[0]) >= 200_000]


def test_floods_of_widget_messages_and_clear_output_are_capped(graded):
    gradebook, out = graded
    assert _statuses(gradebook, "quinn")["99.q1"] == "correct"
    assert set(_statuses(gradebook, "quinn").values()) <= {"correct", "timeout"}


def test_reports_escape_markdown_and_neutralise_csv(graded):
    gradebook, out = graded
    report = (out / "class_report.md").read_text(encoding="utf-8")
    feedback = (out / "feedback" / "eve.md").read_text(encoding="utf-8")
    for text in (report, feedback):
        assert "<!--" not in text and "**pwned**" not in text and "](http" not in text
    raw = (out / "gradebook.csv").read_text(encoding="utf-8")
    assert "\n'=1+2," in raw and "\n=1+2," not in raw  # OWASP: a leading = is quoted as text
    lms = pd.read_csv(out / "lms.csv", dtype={"student": str})
    assert list(lms.columns) == ["student", "99.q1", "99.q2", "99.q3", "total"]
    assert lms.set_index("student").loc["alice", "total"] == 4.0


def test_identity_never_comes_from_metadata(graded):
    gradebook, out = graded
    # eve's notebook claims to be alice's: graded as eve (file name), flagged as another student's ID.
    assert set(gradebook.loc[gradebook["student"] == "eve", "submission"]) == {"eve.ipynb"}
    assert "another student" in (out / "feedback" / "eve.md").read_text(encoding="utf-8")
    assert _statuses(gradebook, "alice") == ALL_RIGHT


def test_regrading_a_subset_merges_and_skips_unchanged(tmp_path, graded):
    gradebook, _ = graded
    folder, out = tmp_path / "subs", tmp_path / "out"
    folder.mkdir()
    for name in ("alice.ipynb", "bob.ipynb"):
        shutil.copy(SUBMISSIONS / name, folder / name)
    first = grade(folder, None, out=out, workers=2, limits=LIMITS)  # lesson read from the answer tags
    assert set(first["student"]) == {"alice", "bob"}
    late = tmp_path / "late"
    late.mkdir()
    shutil.copy(SUBMISSIONS / "carol.ipynb", late / "carol.ipynb")
    merged = grade(late, "99", out=out, workers=1, limits=LIMITS)
    assert set(merged["student"]) == {"alice", "bob", "carol"}
    again = grade(folder, "99", out=out, workers=1, limits=LIMITS)  # unchanged: skipped, rows kept
    assert (again.loc[again["student"] == "alice", "graded_at"] ==
            first.loc[first["student"] == "alice", "graded_at"].to_numpy()).all()
    totals = pd.read_csv(out / "totals.csv").set_index("student")
    assert totals.loc["alice", "points"] == 4.0 and totals.loc["bob", "points"] == 0.0
    # A file the grader did not write is never replaced without force.
    (out / "lms.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(CrmlabInputError, match="--force"):
        grade(late, "99", out=out, workers=1, limits=LIMITS, regrade=True)
    assert (out / "lms.csv").read_text(encoding="utf-8") == "mine"


def test_missing_bubblewrap_refuses_with_how_to_install(tmp_path, monkeypatch):
    shutil.copy(SUBMISSIONS / "bob.ipynb", tmp_path / "bob.ipynb")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CrmlabInputError, match="apt-get install bubblewrap"):
        grade(tmp_path, "99", out=tmp_path.parent / "bwrap-out")


def test_answer_values_round_trip_as_data():
    # Property: decode(encode(x)) equals x, checked with pandas' own testing helpers.
    import numpy as np
    from pandas.testing import assert_frame_equal, assert_series_equal
    frame = pd.DataFrame({"n": [1, 2], "x": [0.1 + 0.2, np.nan], "s": ["a", None],
                          "c": pd.Categorical(["lo", "hi"], categories=["lo", "hi"], ordered=True),
                          "d": pd.to_datetime(["2024-01-01", None])}, index=pd.Index(["C1", "C2"], name="id"))
    assert_frame_equal(decode(json.loads(dumps(frame, 10**6))), frame)
    series = pd.Series([1.5, 2.5], index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)]), name="v")
    assert_series_equal(decode(json.loads(dumps(series, 10**6))), series)
    for value in (None, ..., 2**70, 0.1 + 0.2, "王", [1, "a"], (1, 2), {"k": [1]}):
        assert decode(json.loads(dumps(value, 10**6))) == value
    assert "pickle" not in dumps(object(), 10**6) and "unsupported" in dumps(object(), 10**6)


def test_markdown_and_csv_helpers():
    assert "<" not in md("<!-- x") and "\\*" in md("*bold*")
    safe = csv_safe(pd.DataFrame({"student": ["=HYPERLINK(1)", "+1", "-2", "@x", "ok"], "points": [1, -1, 0, 0, 0]}))
    assert safe["student"].tolist() == ["'=HYPERLINK(1)", "'+1", "'-2", "'@x", "ok"]
    assert safe["points"].tolist() == [1, -1, 0, 0, 0]
    old = pd.DataFrame({"student": ["a", "b"], "question": ["q", "q"]})
    new = pd.DataFrame({"student": ["b"], "question": ["q"]})
    assert merge(old, new)["student"].tolist() == ["a", "b"]
