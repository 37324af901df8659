"""The authoring format of exercise notebooks: cell tags, solution regions and answer stubs.

- An answer cell carries the tag ``answer:<qid>`` (``answer:03.q1``) and its solution code sits
  between a line ``# BEGIN SOLUTION`` and a line ``# END SOLUTION``.
- In the student version the region becomes one stub line per variable the region assigns at
  its top level, in order of first assignment: ``<variable> = ...  # your answer here``. When
  the region assigns nothing the Question's ``variable`` is stubbed.
- The check cell carries ``check:<qid>``; cells tagged ``solution-only`` exist only in the source.
- A Markdown cell tagged ``lang:zh`` or ``lang:en`` is shown only in that language's student version.

:mod:`crmlab.exercises.assign` writes student versions with these rules and
:mod:`crmlab.exercises.grade` uses them to find each question in a submission.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: reading tags must not import nbformat (and jsonschema)
    from nbformat import NotebookNode

from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
STUB_COMMENTS = {"en": "# your answer here", "zh": "# 在这里写你的答案"}
STUB_COMMENT = STUB_COMMENTS["en"]
SOLUTION_ONLY = "solution-only"
LANG_PREFIX = "lang:"  # a Markdown cell in one language only: lang:zh, lang:en
ANSWER_PREFIX, CHECK_PREFIX = "answer:", "check:"


def tags(cell: NotebookNode) -> list[str]:
    """The cell's tags (an empty list when it has none or they are malformed)."""
    found = cell.get("metadata", {}).get("tags", [])
    return [t for t in found if isinstance(t, str)] if isinstance(found, list) else []


def tagged_ids(cell: NotebookNode, prefix: str) -> list[str]:
    """The question ids a cell is tagged with, e.g. ``["03.q1"]`` for prefix ``"answer:"``."""
    return [t[len(prefix):].strip() for t in tags(cell) if t.startswith(prefix)]


def stub_line(variable: str, indent: str = "", language: str | None = None) -> str:
    """The line a student sees in place of a solution (its comment in the notebook's language)."""
    return f"{indent}{variable} = ...  {STUB_COMMENTS.get(language or 'en', STUB_COMMENT)}"


def has_stub_comment(source: str) -> bool:
    """Does a cell still carry the answer stub's comment, in any language?"""
    return any(comment in source for comment in STUB_COMMENTS.values())


def assigned_names(code: str) -> list[str]:
    """Names assigned at the top level of ``code``, in order of first assignment (none if it does not parse)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names: list[str] = []

    def add(target: ast.AST) -> None:
        if isinstance(target, ast.Name) and target.id not in names:
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                add(element)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                add(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            add(node.target)
    return names


def strip_regions(source: str, fallback_variables: Iterable[str] = (), where: str = "cell",
                  language: str | None = None) -> str:
    """Replace every ``# BEGIN SOLUTION`` … ``# END SOLUTION`` region of ``source`` by stub lines."""
    lines = source.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() != BEGIN:
            if line.strip() == END:
                raise CrmlabInputError(tr(
                    f"{where}: '{END}' without a '{BEGIN}' before it. Pair every END with a BEGIN line.",
                    f"{where}：'{END}' 之前没有 '{BEGIN}'。每个 END 行都要有对应的 BEGIN 行。"))
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        try:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == END)
        except StopIteration:
            raise CrmlabInputError(tr(
                f"{where}: '{BEGIN}' has no matching '{END}'. Close the solution region.",
                f"{where}：'{BEGIN}' 没有对应的 '{END}'。请补上结束行。")) from None
        region = "\n".join(l[len(indent):] if l.startswith(indent) else l for l in lines[i + 1:end])
        variables = assigned_names(region) or list(fallback_variables)
        if not variables:
            raise CrmlabInputError(tr(
                f"{where}: the solution region assigns no variable, so there is nothing to stub. "
                "Assign the answer to the Question's variable inside the region.",
                f"{where}：答案区域没有给任何变量赋值，无法生成占位行。请在区域内给题目的变量赋值。"))
        out.extend(stub_line(v, indent, language) for v in variables)
        i = end + 1
    return "\n".join(out)


_ASSIGN_RE = r"^(?:%\w+\s+)?{name}\s*(?::[^=\n]*)?=(?!=)"


def assigns(source: str, variable: str) -> bool:
    """Does ``source`` assign ``variable`` at its top level? (a regex when the code does not parse)"""
    try:
        ast.parse(source)
    except SyntaxError:
        return re.search(_ASSIGN_RE.format(name=re.escape(variable)), source, flags=re.MULTILINE) is not None
    return variable in assigned_names(source)
