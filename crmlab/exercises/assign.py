"""Write the student versions of a lesson from its one source notebook (``crmlab assign``).

The source notebook (``instructor/NN_slug.ipynb``) holds the solutions and the prose in both
languages: a Markdown cell tagged ``lang:zh`` is Chinese, one tagged ``lang:en`` English, an
untagged one is shown in both. A student version (``notebooks/zh/NN_slug.ipynb``,
``notebooks/en/NN_slug.ipynb``) keeps the Markdown of its language, has every solution region
replaced by ``variable = ...`` stubs, ``solution-only`` cells dropped and outputs cleared, and
records ``metadata.crmlab = {"lesson": "NN", "language": "zh"}`` (the kernel speaks the notebook's
language; the grader reads the lesson from it). Code cells are shared by both languages. Cell ids
are kept, so the grader can map a submission back to its source. The format is described in
:mod:`crmlab.exercises._notebook`.
"""
from __future__ import annotations

import argparse
import copy
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from crmlab.exercises._notebook import ANSWER_PREFIX, LANG_PREFIX, SOLUTION_ONLY, strip_regions, tagged_ids, tags
from crmlab.i18n import LANGUAGES, tr
from crmlab.validation import CrmlabInputError

NB_VERSION = 4


def _forms(source: Path, language: str | None) -> dict[str, dict]:
    """Question id → the form of the instructor's own answer on the shared default world (for assessed checks)."""
    from crmlab.exercises import spec
    from crmlab.exercises.form import describe
    from crmlab.exercises.reference import read_notebook, reference_answers

    source = Path(source).resolve()
    answers = reference_answers(source, "", language or "zh")
    out = {}
    for qid, question in spec.specs(read_notebook(source)).items():
        compare = question.get("compare") if isinstance(question, dict) else None
        share = bool(compare.get("share")) if isinstance(compare, dict) else False
        out[qid] = describe(answers[qid], share=share) if qid in answers else {"type": "other"}
    return out


def _require_regions(nb: NotebookNode) -> None:
    """Refuse an assessed version of a source whose answer cell has no solution region: the cell would be
    copied whole into the students' notebooks (and put back whole by the grader for a deleted answer cell)."""
    from crmlab.exercises._notebook import BEGIN

    for index, cell in enumerate(nb.get("cells", [])):
        ids = tagged_ids(cell, ANSWER_PREFIX) if cell.get("cell_type") == "code" else []
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if ids and BEGIN not in (line.strip() for line in source.splitlines()):
            raise CrmlabInputError(tr(
                f"cell {index} (id {cell.get('id', '?')}), the answer cell of {', '.join(ids)}, has no '{BEGIN}' "
                "line: in an assessed version its code would be handed to the students as it is. Put the solution "
                f"between '{BEGIN}' and '# END SOLUTION' lines.",
                f"第 {index} 个单元格（id {cell.get('id', '?')}）是 {', '.join(ids)} 的答案单元格，但没有 '{BEGIN}' "
                "行：计分作业的学生版会原样带上它的代码。请把答案写在 '# BEGIN SOLUTION' 和 '# END SOLUTION' 两行之间。"))


def strip_solutions(nb: NotebookNode, language: str | None = None, *, forms: dict[str, dict] | None = None
                    ) -> NotebookNode:
    """The student version of source notebook ``nb`` in ``language`` (a new notebook; ``nb`` is not changed).

    Markdown of the other language is dropped (``language=None`` keeps both), solution regions
    become stubs, ``solution-only`` cells are dropped, outputs and execution counts are cleared,
    cell ids and tags are kept. Each question's metadata keeps only its public part
    (:func:`crmlab.exercises.spec.public_spec`). ``forms`` (question id → form) makes an assessed
    version: its checks look only at an answer's form, and its metadata says so.
    """
    from crmlab.exercises import spec
    from crmlab.exercises.reference import lesson_of

    if not isinstance(nb, NotebookNode) or "cells" not in nb:
        raise CrmlabInputError(tr(
            f"nb must be a notebook read with nbformat.read, got {type(nb).__name__}.",
            f"nb 必须是用 nbformat.read 读入的 notebook，实际是 {type(nb).__name__}。"))
    if forms is not None:
        _require_regions(nb)
    student = copy.deepcopy(nb)
    student.metadata.pop("widgets", None)
    if language is not None:
        language = _language(language)
        meta = {"language": language}
        number = lesson_of(nb)
        if number is not None:
            meta = {"lesson": number, **meta}
        if forms is not None:
            meta["assessed"] = True
        student.metadata["crmlab"] = meta
    cells = []
    for index, cell in enumerate(student.cells):
        cell_tags = tags(cell)
        if SOLUTION_ONLY in cell_tags:
            continue
        if language is not None and any(t.startswith(LANG_PREFIX) and t != LANG_PREFIX + language for t in cell_tags):
            continue
        if cell.cell_type == "code":
            where = tr(f"cell {index} (id {cell.get('id', '?')})", f"第 {index} 个单元格（id {cell.get('id', '?')}）")
            ids = tagged_ids(cell, ANSWER_PREFIX)
            defined = cell.metadata.get("crmlab", {}).get(spec.QUESTIONS, {})
            questions = {q: defined[q] for q in ids if isinstance(defined, dict) and isinstance(defined.get(q), dict)}
            variables = [q["variable"] for q in questions.values() if isinstance(q.get("variable"), str)]
            cell.source = strip_regions(cell.source, variables, where, language)
            if questions:
                public = {q: spec.public_spec(definition) for q, definition in questions.items()}
                if forms is not None:
                    public = {q: {**p, "form": forms.get(q, {"type": "other"})} for q, p in public.items()}
                cell.metadata["crmlab"] = {**cell.metadata.get("crmlab", {}), spec.QUESTIONS: public}
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        cells.append(cell)
    student.cells = cells
    return student


def _read(path: Path) -> NotebookNode:
    try:
        return nbformat.read(path, as_version=NB_VERSION)
    except Exception as exc:  # nbformat raises several unrelated types for unreadable files
        raise CrmlabInputError(tr(f"source {str(path)!r} is not a readable notebook ({exc}).",
                                  f"源文件 {str(path)!r} 不是可读的 notebook（{exc}）。")) from exc


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise CrmlabInputError(tr(f"language must be one of {', '.join(LANGUAGES)} (got {language!r}).",
                                  f"language 只能是 {', '.join(LANGUAGES)} 之一（你给的是 {language!r}）。"))
    return language


def _student_text(source: Path, language: str | None, assessed: bool = False) -> str:
    nb = _read(source)
    if assessed:
        _require_regions(nb)  # before the source is run for the forms
    forms = _forms(source, language) if assessed else None
    text = nbformat.writes(strip_solutions(nb, language, forms=forms), version=NB_VERSION)
    return text if text.endswith("\n") else text + "\n"


def assign_notebook(source: str | Path, dest: str | Path, *, language: str | None = "zh",
                    force: bool = False, assessed: bool = False) -> Path:
    """Write the student version of one source notebook in ``language`` to ``dest`` (a file, or a folder to put it in).

    An existing ``dest`` with different content is only replaced with ``force=True``.
    Returns the path written.
    """
    source, dest = Path(source), Path(dest)
    if not source.is_file():
        raise CrmlabInputError(tr(f"source {str(source)!r} is not a file.", f"源 {str(source)!r} 不是文件。"))
    if dest.is_dir():
        dest = dest / source.name
    if dest.resolve() == source.resolve():
        raise CrmlabInputError(tr(
            f"dest {str(dest)!r} is the source itself: the solutions would be lost. Write to another folder.",
            f"目标 {str(dest)!r} 就是源文件本身，答案会丢失。请写到别的文件夹。"))
    text = _student_text(source, language, assessed)
    if dest.exists() and dest.read_text(encoding="utf-8") != text and not force:
        raise FileExistsError(tr(
            f"{str(dest)!r} exists and differs from the new student version; pass force=True "
            "(crmlab assign --force) to replace it.",
            f"{str(dest)!r} 已存在且与新生成的学生版不同；如需替换，请加 force=True（crmlab assign --force）。"))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    return dest


def assign(source: str | Path, dest: str | Path, *, language: str | None = None,
           force: bool = False, assessed: bool = False) -> list[Path]:
    """Write student versions: one notebook, or every ``*.ipynb`` directly in folder ``source``.

    ``language`` ``"zh"`` or ``"en"`` writes that language into ``dest``; ``None`` writes both, into
    ``dest/zh/`` and ``dest/en/``. Returns the paths written. Nothing is written if any existing file
    would be replaced without ``force``.
    """
    source, dest = Path(source), Path(dest)
    if language is None:
        if source.is_file() and dest.suffix == ".ipynb":
            raise CrmlabInputError(tr(
                "dest must be a folder when both languages are written (or pass language='zh' or 'en').",
                "同时生成两种语言时，目标必须是文件夹（或指定 language='zh' 或 'en'）。"))
        plan = [(lang, dest / lang) for lang in LANGUAGES]
    else:
        plan = [(_language(language), dest)]
    if not force:  # check every language first so a refusal leaves nothing half-written
        for lang, target in plan:
            _refuse_changes(source, target, lang, assessed)
    return [path for lang, target in plan for path in _assign_one_language(source, target, lang, force, assessed)]


def _refuse_changes(source: Path, dest: Path, language: str, assessed: bool) -> None:
    notebooks = [source] if source.is_file() else sorted(p for p in source.glob("*.ipynb") if p.is_file())
    for nb_path in notebooks:
        target = dest if dest.suffix == ".ipynb" else dest / nb_path.name
        if target.is_file() and target.read_text(encoding="utf-8") != _student_text(nb_path, language, assessed):
            raise FileExistsError(tr(
                f"{str(target)!r} exists and differs from the new student version; use --force to replace it.",
                f"{str(target)!r} 已存在且与新生成的学生版不同；如需替换，请加 --force。"))


def _assign_one_language(source: Path, dest: Path, language: str, force: bool, assessed: bool) -> list[Path]:
    if source.is_file():
        if dest.suffix != ".ipynb":  # a folder, made if it does not exist yet
            dest.mkdir(parents=True, exist_ok=True)
        return [assign_notebook(source, dest, language=language, force=force, assessed=assessed)]
    if not source.is_dir():
        raise CrmlabInputError(tr(f"source {str(source)!r} does not exist.", f"源 {str(source)!r} 不存在。"))
    if dest.exists() and not dest.is_dir():
        raise CrmlabInputError(tr(f"dest {str(dest)!r} must be a folder when source is a folder.",
                                  f"源是文件夹时，目标 {str(dest)!r} 也必须是文件夹。"))
    notebooks = sorted(p for p in source.glob("*.ipynb") if p.is_file())
    if not notebooks:
        raise CrmlabInputError(tr(f"source folder {str(source)!r} holds no .ipynb files.",
                                  f"源文件夹 {str(source)!r} 中没有 .ipynb 文件。"))
    dest.mkdir(parents=True, exist_ok=True)
    return [assign_notebook(p, dest / p.name, language=language, force=force, assessed=assessed) for p in notebooks]


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``crmlab assign SOURCE DEST [--force]``."""
    parser = subparsers.add_parser(
        "assign", help="write student versions of source notebooks (solutions replaced by stubs)",
        description="Write the student version of a source notebook, or of every notebook in a folder.")
    parser.add_argument("source", type=Path, help="source notebook or folder (e.g. instructor/)")
    parser.add_argument("dest", type=Path, help="student notebook or folder (e.g. notebooks/)")
    parser.add_argument("--language", choices=(*LANGUAGES, "both"), default="both",
                        help="zh or en: that language into DEST; both (default): DEST/zh/ and DEST/en/")
    parser.add_argument("--force", action="store_true", help="replace existing files that differ")
    parser.add_argument("--assessed", action="store_true",
                        help="an assignment that counts: checks look only at an answer's form, no solutions, "
                             "graded with `crmlab grade --source`")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``crmlab assign`` with parsed arguments; returns the exit code."""
    try:
        language = None if args.language == "both" else args.language
        written = assign(args.source, args.dest, language=language, force=args.force, assessed=args.assessed)
    except FileExistsError as exc:  # the CLI reports input errors in one way
        raise CrmlabInputError(str(exc)) from None
    for path in written:
        print(tr(f"wrote {path}", f"已写入 {path}"))
    return 0
