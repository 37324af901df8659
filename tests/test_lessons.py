"""Every lesson, from its one source: both student versions are the source through `crmlab assign`, the
Chinese one reads Chinese, the source runs on several students' worlds in both languages and yields
every question's answer there, and in Chinese every hint is Chinese."""
import re
from pathlib import Path

import matplotlib
import nbformat
import pytest

from crmlab import i18n
from crmlab.exercises import lesson
from crmlab.exercises.assign import strip_solutions
from crmlab.exercises.reference import ReferenceError, reference_run

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "instructor").glob("*.ipynb"))
IDS = [p.stem for p in SOURCES]
STUDENTS = (None, "2024001234", "test-student-42")


def _cjk_share(text: str) -> float:
    """Share of Chinese characters among letters, code and formulas left out (the check a reviewer runs)."""
    text = re.sub(r"`[^`]*`|\$[^$]*\$", "", text)
    chinese, latin = len(re.findall(r"[\u4e00-\u9fff]", text)), len(re.findall(r"[A-Za-z]", text))
    return chinese / max(1, chinese + latin)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_student_version_is_generated_from_source(source, language):
    student = ROOT / "notebooks" / language / source.name
    assert student.exists(), f"run tools/execute_lessons.py {source.name[:2]} to write {student}"
    expected = strip_solutions(nbformat.read(source, as_version=4), language)
    actual = nbformat.read(student, as_version=4)
    assert [(c.cell_type, c.source) for c in actual.cells] == [(c.cell_type, c.source) for c in expected.cells]
    assert actual.metadata["crmlab"]["language"] == language
    # each answer cell carries its question's public definition, and nothing more (no mistakes, no references)
    assert [c.metadata.get("crmlab") for c in actual.cells] == [c.metadata.get("crmlab") for c in expected.cells]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_chinese_version_reads_chinese_and_english_version_english(source):
    def markdown(language):
        nb = nbformat.read(ROOT / "notebooks" / language / source.name, as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")

    assert _cjk_share(markdown("zh")) >= 0.6, f"{source.name}: the Chinese lesson is mostly not Chinese"
    assert _cjk_share(markdown("en")) <= 0.2, f"{source.name}: the English lesson is mostly not English"


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_source_answers_every_question_on_every_world(source, language):
    number = source.name[:2]
    for student in STUDENTS:
        try:
            answers = reference_run(number, student, language).answers
        except ReferenceError as exc:
            pytest.fail(f"{source.name} fails on the world of student {student!r} in {language}: {exc}")
        for question in lesson(number):
            assert question.id in answers, f"{question.id}: no answer cell in the source"
            value = answers[question.id]
            assert value is not None and value is not Ellipsis, question.id


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_hints_and_messages_are_chinese_in_chinese_mode(source, monkeypatch):
    monkeypatch.setitem(i18n._state, "language", "zh")
    for question in lesson(source.name[:2]):
        assert question.hints, f"{question.id} has no hint"
        for step in range(1, len(question.hints) + 1):
            body = question.hint(step).body
            assert len(re.findall(r"[\u4e00-\u9fff]", body)) >= 4, f"{question.id} hint {step} is not Chinese: {body}"
        assert question.solution_code.strip(), f"{question.id}: no solution region in its answer cell"
