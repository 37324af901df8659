"""Every lesson: the student version is the instructor source through `crmlab assign`, each
question's worked solution is the notebook's solution, and the source's solutions pass every
check on a student's own world (not only on the default one)."""
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from crmlab.exercises import lesson
from crmlab.exercises._notebook import tags
from crmlab.exercises.assign import strip_solutions

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "instructor").glob("*.ipynb"))


def _check_outputs(nb):
    for cell in nb.cells:
        if any(t.startswith("check:") for t in tags(cell)):
            text = "".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in cell.outputs)
            yield cell.source, text


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_student_version_is_generated_from_source(source):
    student = ROOT / "notebooks" / source.name
    assert student.exists(), f"run tools/execute_lessons.py {source.name[:2]} to write {student.name}"
    expected = strip_solutions(nbformat.read(source, as_version=4))
    actual = nbformat.read(student, as_version=4)
    assert [(c.cell_type, c.source) for c in actual.cells] == [(c.cell_type, c.source) for c in expected.cells]


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_solutions_pass_on_a_students_own_world(source, monkeypatch):
    monkeypatch.setenv("CRMLAB_STUDENT_ID", "test-student-42")
    nb = nbformat.read(source, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(source.parent)}}).execute()
    results = list(_check_outputs(nb))
    assert results, f"{source.name} has no check cells"
    for check, text in results:
        assert "Correct" in text, f"{source.name}: {check} -> {text}"


@pytest.mark.parametrize("source", SOURCES, ids=[p.stem for p in SOURCES])
def test_worked_solution_is_the_notebooks_solution(source):
    """q.solution() shows the same code the instructor's answer cell holds, so the two never drift."""
    regions = {t.split(":", 1)[1]: c.source for c in nbformat.read(source, as_version=4).cells
               for t in tags(c) if t.startswith("answer:")}
    for question in lesson(source.name[:2]):
        region = regions[question.id].split("# BEGIN SOLUTION\n", 1)[1].split("\n# END SOLUTION", 1)[0]
        assert region.strip() == question.solution_code.strip(), question.id
