"""crmlab assign: source notebook with solutions -> student notebook with stubs."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from crmlab.cli import main as cli_main
from crmlab.exercises._notebook import assigned_names, assigns, strip_regions
from crmlab.exercises.assign import assign, assign_notebook, strip_solutions
from crmlab.validation import CrmlabInputError

SOURCE = Path(__file__).parent / "grading_corpus" / "source" / "99_demo.ipynb"


def _nb(*cells):
    return new_notebook(cells=list(cells))


def _tagged(source, *tags):
    cell = new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


def test_region_becomes_one_stub_per_assigned_variable_keeping_the_rest_of_the_cell():
    source = ("import numpy as np\n    # BEGIN SOLUTION\n    top = sales.max()\n    share, n = top / 2, 3\n"
              "    top += 1\n    # END SOLUTION\nprint('done')")
    assert strip_regions(source) == ("import numpy as np\n    top = ...  # your answer here\n"
                                     "    share = ...  # your answer here\n    n = ...  # your answer here\n"
                                     "print('done')")


def test_region_that_assigns_nothing_uses_the_question_variable():
    assert strip_regions("# BEGIN SOLUTION\nprint(1)\n# END SOLUTION", ["total"]) == "total = ...  # your answer here"


@pytest.mark.parametrize("source", ["# BEGIN SOLUTION\nx = 1", "x = 1\n# END SOLUTION",
                                    "# BEGIN SOLUTION\nprint(1)\n# END SOLUTION"])
def test_malformed_regions_are_rejected(source):
    with pytest.raises(CrmlabInputError, match="SOLUTION|assigns no variable"):
        strip_regions(source)


def test_assigned_names_and_assigns_handle_tuples_annotations_and_unparseable_code():
    assert assigned_names("a, (b, c) = f()\nd: int = 1\nif x:\n    e = 2") == ["a", "b", "c", "d"]
    assert assigns("%time total = 3", "total")  # IPython magic: falls back to a regex
    assert not assigns("def f():\n    total = 3", "total")  # not at top level
    assert not assigns("total == 3", "total")


def test_strip_solutions_clears_outputs_keeps_ids_and_drops_solution_only_cells():
    answer = _tagged("# BEGIN SOLUTION\ntotal = 1\n# END SOLUTION", "answer:99.q1")
    answer.outputs = [nbformat.v4.new_output("stream", text="1")]
    answer.execution_count = 4
    secret = _tagged("print('key')", "solution-only")
    nb = _nb(answer, secret, new_code_cell("ex.q1.check()"))
    student = strip_solutions(nb)
    assert [c.id for c in student.cells] == [nb.cells[0].id, nb.cells[2].id]
    assert student.cells[0].source == "total = ...  # your answer here"
    assert student.cells[0].outputs == [] and student.cells[0].execution_count is None
    assert student.cells[0].metadata["tags"] == ["answer:99.q1"]
    assert nb.cells[0].source.startswith("# BEGIN")  # the source notebook is not changed


def test_strip_solutions_rejects_a_non_notebook():
    with pytest.raises(CrmlabInputError, match="nb must be a notebook"):
        strip_solutions({"cells": []})


def test_student_version_of_the_demo_has_no_solution_text():
    text = nbformat.writes(strip_solutions(nbformat.read(SOURCE, as_version=4)))
    for leaked in ("BEGIN SOLUTION", "revenue\\\"].sum()", "instructor's notes"):
        assert leaked not in text


def test_assign_refuses_to_overwrite_a_different_file_without_force(tmp_path):
    dest = assign_notebook(SOURCE, tmp_path)
    assert dest == tmp_path / SOURCE.name
    first = dest.read_bytes()
    assert assign_notebook(SOURCE, dest) == dest  # same content: a no-op, no force needed
    dest.write_text("my own edits", encoding="utf-8")
    with pytest.raises(FileExistsError, match="force"):
        assign_notebook(SOURCE, dest)
    assert dest.read_text(encoding="utf-8") == "my own edits"
    assign_notebook(SOURCE, dest, force=True)
    assert dest.read_bytes() == first


def test_assign_folder_writes_nothing_when_one_file_would_be_overwritten(tmp_path):
    src = tmp_path / "instructor"
    src.mkdir()
    for name in ("01_a.ipynb", "02_b.ipynb"):
        (src / name).write_bytes(SOURCE.read_bytes())
    dest = tmp_path / "notebooks"
    dest.mkdir()
    (dest / "02_b.ipynb").write_text("edited", encoding="utf-8")
    with pytest.raises(FileExistsError):
        assign(src, dest, language="zh")
    assert not (dest / "01_a.ipynb").exists()
    assert [p.name for p in assign(src, dest, language="zh", force=True)] == ["01_a.ipynb", "02_b.ipynb"]


def test_assign_writes_both_languages_and_refuses_before_writing_either(tmp_path):
    src = tmp_path / "instructor"
    src.mkdir()
    (src / "01_a.ipynb").write_bytes(SOURCE.read_bytes())
    dest = tmp_path / "notebooks"
    (dest / "en").mkdir(parents=True)
    (dest / "en" / "01_a.ipynb").write_text("edited", encoding="utf-8")
    with pytest.raises(FileExistsError):
        assign(src, dest)
    assert not (dest / "zh").exists()  # the refusal in en/ comes before anything is written in zh/
    written = assign(src, dest, force=True)
    assert [p.relative_to(dest).as_posix() for p in written] == ["zh/01_a.ipynb", "en/01_a.ipynb"]


def test_each_language_keeps_its_own_markdown_and_says_its_language():
    from nbformat.v4 import new_markdown_cell

    both = new_markdown_cell("K01 · 2024")
    english = new_markdown_cell("Which customers are class A?", metadata={"tags": ["lang:en"]})
    chinese = new_markdown_cell("哪些客户属于 A 类？", metadata={"tags": ["lang:zh"]})
    answer = _tagged("# BEGIN SOLUTION\ntotal = 1\n# END SOLUTION", "answer:99.q1")
    nb = _nb(both, english, chinese, answer)
    for language, kept in (("zh", chinese), ("en", english)):
        student = strip_solutions(nb, language)
        assert [c.id for c in student.cells] == [both.id, kept.id, answer.id]
        assert student.metadata["crmlab"] == {"lesson": "99", "language": language}
    assert len(strip_solutions(nb).cells) == 4  # no language: the instructor's view keeps both
    with pytest.raises(CrmlabInputError, match="language"):
        strip_solutions(nb, "fr")


def test_assign_bad_inputs(tmp_path):
    with pytest.raises(CrmlabInputError, match="does not exist"):
        assign(tmp_path / "nope", tmp_path / "out")
    with pytest.raises(CrmlabInputError, match="no .ipynb"):
        assign(tmp_path, tmp_path / "out")
    with pytest.raises(CrmlabInputError, match="source itself"):
        assign_notebook(SOURCE, SOURCE)
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CrmlabInputError, match="not a readable notebook"):
        assign_notebook(bad, tmp_path / "out.ipynb")


def test_cli_assign(tmp_path, capsys):
    assert cli_main(["assign", str(SOURCE), str(tmp_path)]) == 0
    assert (tmp_path / "zh" / SOURCE.name).is_file() and (tmp_path / "en" / SOURCE.name).is_file()
    (tmp_path / "zh" / SOURCE.name).write_text("edited", encoding="utf-8")
    assert cli_main(["assign", str(SOURCE), str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert cli_main(["assign", str(SOURCE), str(tmp_path), "--force"]) == 0
    assert cli_main(["assign", str(SOURCE), str(tmp_path / "one"), "--language", "en"]) == 0
    assert (tmp_path / "one" / SOURCE.name).is_file()
