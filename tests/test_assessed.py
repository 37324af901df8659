"""Issue 15: questions written in notebook metadata, assessed assignments whose answers stay secret,
per-student parameters, and the template's whole path (write → assign --assessed → work → grade).

The template is templates/exam01_abc_rfm.ipynb. Its expected answers here are recomputed by hand from
the question texts (52 weeks × amount × years; (1 + 10 × 20 %) × value; ABC by cumulative share),
never read from the grader's output.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from crmlab.exercises import Mistake, Question, compare, from_notebook, lesson
from crmlab.exercises.assign import assign
from crmlab.exercises.core import READY, AssessedQuestion, choose
from crmlab.exercises.reference import ReferenceError, reference_answers, solution_code
from crmlab.exercises.spec import question
from crmlab.validation import CrmlabInputError

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "exam01_abc_rfm.ipynb"
DEMO = ROOT / "tests" / "grading_corpus" / "source" / "99_demo.ipynb"
STUDENTS = ("2024000101", "2024000102")


# --- one way to define a question: metadata, checked exactly as a question written in Python -------------

def test_a_question_defined_in_metadata_checks_exactly_as_one_written_in_python():
    from_metadata = from_notebook(DEMO).q3
    in_python = Question(
        "99.q3", "share", compare.number(rtol=1e-3), points=2.0, source=DEMO.resolve(),
        hints=["The largest revenue divided by the total."],
        mistakes=[Mistake("mean share", lambda ns: ns["sales"]["revenue"].mean() / ns["sales"]["revenue"].sum(),
                          ("That is the mean customer's share; the question asks for the largest.",
                           "这是平均每位客户的占比；题目问的是最大的那位。"))])
    right = reference_answers(DEMO, "")["99.q3"]
    sales = pd.Series(np.random.default_rng(99).integers(100, 5_000, size=8).astype(float))  # own_seed(99) = 99
    answers = [right, right * 1.0005, right * 1.01, -right, 1.0 / 8, sales.mean() / sales.sum(), "0.3", [right], None]
    for answer in answers:
        a, b = from_metadata.evaluate(answer), in_python.evaluate(answer)
        assert (a.status, a.points, a.message) == (b.status, b.points, b.message), answer
    assert from_metadata.evaluate(sales.mean() / sales.sum()).message.startswith("That is the mean customer's share")
    assert [from_metadata.hint(1).body, from_metadata.points] == [in_python.hint(1).body, 2.0]


@pytest.mark.parametrize("spec, complaint", [
    ({"variable": "x", "compare": {"kind": "nearly"}}, "kind must be one of"),
    ({"variable": "x", "compare": {"kind": "number", "tolerance": 1}}, "unknown: tolerance"),
    ({"variable": "not a name"}, "variable must be a Python variable name"),
    ({"variable": "x", "points": 0}, "points must be a positive number"),
    ({"variable": "x", "mistakes": [{"name": "m", "answer": "1 +", "message": "no"}]}, "mistakes\\[0\\].answer is not"),
    ({"variable": "x", "hints": [{"en": "only English"}]}, "hints\\[0\\] must be a text"),
    ({"variable": "x", "answer": 3}, "unknown setting"),
])
def test_bad_question_metadata_is_refused_naming_the_setting(spec, complaint):
    with pytest.raises(CrmlabInputError, match=complaint):
        question("exam09.q1", spec, "crmlab.questions.exam09.q1", None)


def test_an_answer_cell_without_its_question_metadata_is_named():
    nb = json.loads(DEMO.read_text(encoding="utf-8"))
    del nb["cells"][3]["metadata"]["crmlab"]
    from crmlab.exercises.spec import questions
    with pytest.raises(CrmlabInputError, match="tagged answer:99.q1 but its metadata has no crmlab.questions.99.q1"):
        questions(nb, None)


# --- assessed student versions ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout")
    assign(TEMPLATE, out, assessed=True)
    return out


def _solution_lines() -> list[str]:
    nb = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    lines = []
    for qid in ("exam01.q1", "exam01.q2", "exam01.q3", "exam01.q4"):
        lines += [line.strip() for line in solution_code(TEMPLATE, qid).splitlines() if line.strip()]
    for cell in nb["cells"]:
        for spec in cell.get("metadata", {}).get("crmlab", {}).get("questions", {}).values():
            lines += [m["answer"] for m in spec.get("mistakes", [])]
    return lines


def test_nothing_students_get_holds_a_solution_or_a_way_to_compute_one(handout):
    secrets = _solution_lines()
    assert len(secrets) > 10
    texts = {p: p.read_text(encoding="utf-8") for p in handout.rglob("*.ipynb")}
    texts.update({p: p.read_text(encoding="utf-8", errors="ignore")
                  for p in (ROOT / "crmlab").rglob("*") if p.is_file() and p.suffix in (".py", ".ipynb", ".json")})
    for path, text in texts.items():
        for secret in secrets:
            assert secret not in text and json.dumps(secret)[1:-1] not in text, (path, secret)
    for language in ("zh", "en"):
        nb = json.loads((handout / language / TEMPLATE.name).read_text(encoding="utf-8"))
        assert nb["metadata"]["crmlab"] == {"lesson": "exam01", "language": language, "assessed": True}


@pytest.fixture()
def student_kernel(handout, monkeypatch):
    """A student's kernel: working in the handout folder, nothing of the instructor's reachable."""
    monkeypatch.chdir(handout / "zh")
    monkeypatch.delenv("CRMLAB_SOURCES", raising=False)
    monkeypatch.delenv("CRMLAB_GRADING", raising=False)
    return lesson("exam01")


def test_assessed_checks_say_only_what_the_form_tells(student_kernel):
    ex = student_kernel
    assert ex.source is None and all(q.assessed for q in ex)
    assert ex.q1.evaluate(12345.0).status == READY
    assert ex.q1.evaluate(1.0).status == READY  # wrong, but only the grader may say so
    assert "one number" in ex.q1.evaluate([1, 2]).message
    assert "table" not in ex.q3.evaluate(pd.Series(["A"], index=pd.Index(["C1"], name="customer_id"))).message
    assert ex.q3.evaluate(pd.Series(["A"], index=pd.Index(["C1"], name="customer_id"))).status == READY
    assert "pandas Series" in ex.q3.evaluate(3).message
    assert "list" in ex.q4.evaluate("C000001").message
    assert ex.q4.evaluate(...).status == "not attempted"
    assert "10 people" in ex.q2.hint().body


def test_assessed_questions_never_give_their_answer(student_kernel):
    ex = student_kernel
    for q in ex:
        with pytest.raises(AssessedQuestion):
            q.expected()
        assert "assessed" in repr(q.solution()) and q.solution_code == ""
    with pytest.raises(ReferenceError):
        reference_answers("exam01")


# --- per-student parameters and the whole path --------------------------------------------------------

def _expected(student: str) -> dict:
    """Each answer recomputed from the question texts on the student's own parameters and world."""
    import crmlab

    p = {name: choose("exam01", name, options, student) for name, options in
         {"amount": [40, 50, 60, 80], "years": [5, 8, 10], "a_cut": [0.70, 0.75, 0.80], "days": [120, 180, 270]}.items()}
    value = 52 * p["amount"] * p["years"]
    world = crmlab.datasets.load("retail_zh", student_id=student)
    sales = world["transactions"]
    revenue = sales.groupby("customer_id")["amount"].sum().sort_values(ascending=False, kind="stable")
    share = revenue.cumsum() / revenue.sum()
    # ties are rare in a sum of prices; the template's ABC class is the textbook table's reading
    klass = pd.Series(np.where(share <= p["a_cut"] + 1e-12, "A", np.where(share <= 0.95 + 1e-12, "B", "C")),
                      index=revenue.index)
    last = sales.groupby("customer_id")["date"].max()
    days = (pd.Timestamp(world.meta["analysis_date"]) - last).dt.days
    lapsed = sorted(c for c in klass.index[klass == "A"] if days[c] > p["days"])
    return {"p": p, "exam01.q1": value, "exam01.q2": 3 * value, "exam01.q3": klass, "exam01.q4": lapsed}


def test_two_students_get_their_own_parameters_and_answers():
    first, second = (_expected(s) for s in STUDENTS)
    assert first["p"] != second["p"]
    refs = [reference_answers(TEMPLATE, s, "zh") for s in STUDENTS]
    for ref, mine in zip(refs, (first, second)):
        assert ref["exam01.q1"] == mine["exam01.q1"] and ref["exam01.q2"] == pytest.approx(mine["exam01.q2"])
        assert (ref["exam01.q3"].sort_index() == mine["exam01.q3"].sort_index()).all()
        assert sorted(ref["exam01.q4"]) == mine["exam01.q4"]
    assert refs[0]["exam01.q1"] != refs[1]["exam01.q1"] or refs[0]["exam01.q4"] != refs[1]["exam01.q4"]


def _filled(handout: Path, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.read(handout / "zh" / TEMPLATE.name, as_version=4)
    for cell in nb.cells:
        for tag in cell.metadata.get("tags", []):
            if tag.startswith("answer:") and tag[7:] in answers:
                cell.source = answers[tag[7:]]
    return nb


ATTACKS = """
import glob, os, json
found = {}
try:
    found['expected'] = ex.q1.expected()
except Exception:
    pass
try:
    from crmlab.exercises.reference import reference_answers
    found['reference'] = reference_answers('exam01')['exam01.q1']
except Exception:
    pass
import crmlab, pathlib
roots = {'/tmp', '/work', '/root', '/home', os.path.expanduser('~'), '..', str(pathlib.Path(crmlab.__file__).parents[1])}
paths = [p for root in roots for p in glob.glob(os.path.join(root, '**', '*.ipynb'), recursive=True)]
for path in paths[:5000]:
    try:
        cells = json.load(open(path, encoding='utf-8'))['cells']
    except (OSError, ValueError, KeyError, TypeError):
        continue
    if any(''.join(c.get('source', '')).startswith('# BEGIN SOLUTION') for c in cells):
        found['source'] = path  # a notebook with solution regions: an instructor's source
lifetime_value = 0.0 if not found else 52 * p['amount'] * p['years']
loss_if_unhappy = 0.0
"""


# The sandboxed grader's corpus of attacks (tests/grading_corpus/make_corpus.py), aimed at an assessed
# assignment: each runs before a wrong answer (0.0) and must not turn it into marks or find the answer.
HOSTILE = {
    "tamper": ("import crmlab.exercises.core as core\n"
               "core.Question.evaluate = lambda self, answer=...: core.CheckResult(self.id, 'correct', self.points, "
               "self.points, 'ok')\n"
               "print('CRMLAB-RESULT 0000 {\"question\": \"exam01.q1\", \"status\": \"correct\", \"message\": \"\"}')"),
    "forge": ("import re, sys\n"
              "def forge(info):\n"
              "    found = re.search(r'_crmlab_b_([0-9a-f]+)', info.raw_cell or '')\n"
              "    if found:\n"
              "        sys.stdout.write('\\nCRMLAB-RESULT ' + found.group(1) + "
              "' {\"question\": \"exam01.q1\", \"status\": \"correct\", \"message\": \"\"}\\n')\n"
              "get_ipython().events.register('pre_run_cell', forge)"),
    "compare": ("import math, numpy as np, crmlab.i18n\n"
                "math.isclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: np.True_\n"
                "crmlab.i18n.tr = lambda *a, **k: None\n"
                "class Liar(float):\n    def __eq__(self, other):\n        return True\n"),
    "api": ("import re\nfrom crmlab.exercises import reference\nstolen = []\n"
            "for call in (lambda: ex.q1.expected(), lambda: ex.q1.solution().body, lambda: ex.q1.solution_code,\n"
            "             lambda: reference.reference_answers('exam01'), lambda: reference.namespace('exam01'),\n"
            "             lambda: reference.source_path('exam01'), lambda: reference.code_cells('exam01')):\n"
            "    try:\n        stolen.append(call())\n    except Exception:\n        pass\n"
            "for x in stolen:  # use whatever came back: a number, a number in a text, code to run\n"
            "    if isinstance(x, (int, float)):\n        stolen_value = x\n"
            "    elif isinstance(x, str) and 'lifetime_value =' in x:\n        exec(x)\n        stolen_value = lifetime_value\n"
            "    elif isinstance(x, str) and re.findall(r'[0-9][0-9.]+', x):\n"
            "        stolen_value = float(re.findall(r'[0-9][0-9.]+', x)[-1])\n"),
    "environment": ("import os, glob\nleak = [k for k in os.environ if 'SOURCE' in k or 'PYTEST' in k]\n"
                    "for f in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):\n"
                    "    try:\n        leak += [f] if b'exam01' in open(f, 'rb').read() else []\n"
                    "    except OSError:\n        pass\n"
                    "assert not leak, leak\n"),
}


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="the grader's sandbox needs bubblewrap")
def test_the_whole_path_grades_honest_work_full_marks_and_attacks_find_nothing(handout, tmp_path):
    from crmlab.exercises.grade import grade

    work = {qid: solution_code(TEMPLATE, qid) for qid in ("exam01.q1", "exam01.q2", "exam01.q3", "exam01.q4")}
    subs = tmp_path / "submissions"
    subs.mkdir()
    for student in STUDENTS:
        nbformat.write(_filled(handout, work), subs / f"{student}.ipynb")
    nbformat.write(_filled(handout, {**work, "exam01.q1": ATTACKS, "exam01.q2": "loss_if_unhappy = 0.0"}),
                   subs / "2024000103.ipynb")
    for k, (name, attack) in enumerate(HOSTILE.items()):
        nb = _filled(handout, {**work, "exam01.q1": "lifetime_value = stolen_value if 'stolen_value' in dir() else "
                                                    "(Liar(0.0) if 'Liar' in dir() else 0.0)"})
        nb.cells.insert(next(i for i, c in enumerate(nb.cells) if c.id == "setup") + 1, nbformat.v4.new_code_cell(
            attack, id=f"attack-{name}"))
        nbformat.write(nb, subs / f"20249{k:05d}.ipynb")
    wrong = {**work, "exam01.q3": work["exam01.q3"].replace('(p["a_cut"], 0.95)', "")}  # the default cut-offs
    nbformat.write(_filled(handout, wrong), subs / "2024000104.ipynb")
    source = tmp_path / "private" / TEMPLATE.name  # the instructor's copy, outside the students' reach
    source.parent.mkdir()
    shutil.copy(TEMPLATE, source)
    book = grade(subs, source=source, out=tmp_path / "graded", workers=2)
    points = book.groupby("student")["points"].sum()
    assert points[STUDENTS[0]] == points[STUDENTS[1]] == 10.0
    attacker = book[book["student"] == "2024000103"].set_index("question")
    assert attacker.loc["exam01.q1", "status"] == "incorrect"  # nothing was found: 0.0 handed in
    assert attacker.loc["exam01.q2", "status"] == "incorrect"
    for k, name in enumerate(HOSTILE):
        row = book[(book["student"] == f"20249{k:05d}") & (book["question"] == "exam01.q1")].iloc[0]
        assert row["status"] != "correct" and row["points"] == 0, (name, row["status"], row["message"])
    defaults = book[book["student"] == "2024000104"].set_index("question")
    p = _expected("2024000104")["p"]
    assert defaults.loc["exam01.q3", "status"] == ("correct" if p["a_cut"] == 0.80 else "incorrect")
    if p["a_cut"] != 0.80:
        assert "默认的 A 类分界" in defaults.loc["exam01.q3", "message"]  # a mistake from metadata, in Chinese


def test_an_assessed_check_names_missing_and_extra_ids_from_the_students_own_data(handout, monkeypatch):
    import sys

    monkeypatch.chdir(handout / "zh")
    monkeypatch.delenv("CRMLAB_SOURCES", raising=False)
    sales = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C1"], "amount": [1.0, 2.0, 3.0, 4.0]})
    monkeypatch.setattr(sys.modules["__main__"], "sales", sales, raising=False)
    q3 = lesson("exam01").q3
    assert q3.keys
    index = pd.Index(["C1", "C2"], name="customer_id")
    assert "missing" in q3.evaluate(pd.Series(["A", "B"], index=index)).message
    assert "not in your data" in q3.evaluate(pd.Series(["A", "B", "C", "C"], index=[*index, "C3", "C9"])).message
    assert q3.evaluate(pd.Series(["A", "B", "C"], index=["C1", "C2", "C3"])).status == READY


# --- red team (issue 15 review): the grader takes questions only from the instructor's source ----------

def _claims_to_be_the_source(marker: Path) -> nbformat.NotebookNode:
    """A student's notebook posing as exam01's source: no language in its metadata, lenient questions worth
    100 points each, and a cell that would run in the grader's own (unsandboxed) process."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["crmlab"] = {"lesson": "exam01"}
    nb.cells = [nbformat.v4.new_code_cell(f"_ = open({str(marker)!r}, 'w').write('student code ran in the grader')")]
    for k, variable in enumerate(("lifetime_value", "loss_if_unhappy", "abc", "a_lapsed"), 1):
        cell = nbformat.v4.new_code_cell(f"# BEGIN SOLUTION\n{variable} = 1.0\n# END SOLUTION")
        cell.metadata["tags"] = [f"answer:exam01.q{k}"]
        cell.metadata["crmlab"] = {"questions": {f"exam01.q{k}": {
            "variable": variable, "compare": {"kind": "number", "rtol": 1e9}, "points": 100}}}
        nb.cells.append(cell)
    return nb


def test_the_grader_never_takes_a_source_from_its_working_folder_or_the_submissions(handout, tmp_path, monkeypatch):
    # Property: only the instructor decides the questions (docs/grading.md, "Where the answers are"). An instructor
    # grading from inside a flat submissions folder without --source must be told to pass --source, not be handed
    # a student's notebook as the assignment's source (its questions and its code, run outside the sandbox).
    subs = tmp_path / "submissions"
    subs.mkdir()
    marker = tmp_path / "PWNED"
    shutil.copy(handout / "zh" / TEMPLATE.name, subs / "2024000101.ipynb")
    nbformat.write(_claims_to_be_the_source(marker), subs / TEMPLATE.name)  # named like the source
    monkeypatch.chdir(subs)
    monkeypatch.delenv("CRMLAB_SOURCES", raising=False)
    from crmlab.exercises.grade import grade

    with pytest.raises(CrmlabInputError, match="--source"):
        grade(subs, out=tmp_path / "graded", workers=1)
    monkeypatch.setenv("CRMLAB_SOURCES", str(subs))  # a misconfigured grading machine
    with pytest.raises(CrmlabInputError, match="inside the submissions folder"):
        grade(subs, out=tmp_path / "graded", workers=1)
    monkeypatch.delenv("CRMLAB_SOURCES")
    with pytest.raises(CrmlabInputError, match="inside the submissions folder"):
        grade(subs, out=tmp_path / "graded", workers=1, source=subs / TEMPLATE.name)
    assert not marker.exists() and not (tmp_path / "graded").exists()


def test_an_assessed_handout_refuses_an_answer_cell_whose_solution_is_not_marked(tmp_path):
    # Property: an assessed handout holds no solution (issue 15, item 3). Without its BEGIN/END SOLUTION lines an
    # answer cell would be copied whole into the handout (and re-inserted whole by the grader for a deleted cell).
    nb = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c.get("id") == "q1-answer")
    cell["source"] = [line for line in cell["source"] if "SOLUTION" not in line]
    source = tmp_path / "private" / TEMPLATE.name
    source.parent.mkdir()
    source.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(CrmlabInputError, match="exam01.q1.*BEGIN SOLUTION"):
        assign(source, tmp_path / "handout", assessed=True)
    assert not list((tmp_path / "handout").rglob("*.ipynb"))
    practice = assign(source, tmp_path / "practice", language="zh")  # practice mode is as before
    assert "lifetime_value = 52" in practice[0].read_text(encoding="utf-8")


def test_a_comparison_worker_never_reads_a_notebook_from_the_folder_the_grader_runs_in(tmp_path, monkeypatch):
    # Property: a worker is trusted code only (docs/grading.md). Warming it up must not read (let alone run) a
    # notebook that merely sits in the grader's working folder and claims to be the assignment's source.
    from crmlab.exercises import grade as grading
    from crmlab.exercises import reference

    nbformat.write(_claims_to_be_the_source(tmp_path / "PWNED"), tmp_path / TEMPLATE.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRMLAB_SOURCES", raising=False)
    monkeypatch.setenv("CRMLAB_GRADING", "")  # restored afterwards (_worker_init removes it)
    read = []
    original = reference._read
    monkeypatch.setattr(reference, "_read", lambda path, mtime: read.append(path) or original(path, mtime))
    grading._worker_init("exam01")
    grading._worker_init("03")  # a practice lesson is still warmed from its own source
    assert all(Path(p).parent != tmp_path for p in read), read
    assert any(Path(p).name.startswith("03_") for p in read), read


def test_a_symbolic_link_in_the_submissions_is_not_graded_as_the_students_work(handout, tmp_path):
    # Property: a submission is a file the student handed in (docs/grading.md, "Whose submission is it?"). A link
    # (kept by unzip, cp -a, rsync -a) to a classmate's notebook or to the instructor's source would otherwise be
    # read by the grader, with the grader's rights, and graded as the linking student's own work.
    from crmlab.exercises.grade import collect

    subs = tmp_path / "submissions"
    (subs / "2024000101").mkdir(parents=True)
    shutil.copy(handout / "zh" / TEMPLATE.name, subs / "2024000101" / "exam01.ipynb")
    private = tmp_path / "private"
    private.mkdir()
    shutil.copy(TEMPLATE, private / TEMPLATE.name)
    (subs / "2024000107").mkdir()
    os.symlink("../2024000101/exam01.ipynb", subs / "2024000107" / "exam01.ipynb")
    (subs / "2024000108").mkdir()
    os.symlink(private / TEMPLATE.name, subs / "2024000108" / "exam01.ipynb")
    found = {s.student_id: s for s in collect(subs, {})}
    assert set(found) == {"2024000101", "2024000107", "2024000108"}
    assert found["2024000101"].problem is None and found["2024000101"].nb is not None
    for student in ("2024000107", "2024000108"):
        assert found[student].nb is None and "symbolic link" in found[student].problem, found[student].problem
