"""Questions written in the notebook: the metadata an answer cell carries (one way to define a question).

An answer cell (tagged ``answer:<qid>``) holds its question's definition in its metadata, under
``crmlab.questions.<qid>``; an instructor edits it in JupyterLab's property inspector, and no
Python module is needed anywhere::

    "crmlab": {"questions": {"exam01.q2": {
        "variable": "rfm",                                  # the notebook variable holding the answer
        "compare": {"kind": "frame_by_key", "rtol": 1e-6},  # how it is compared (see COMPARATORS)
        "points": 2,
        "hints": [{"en": "rfm_scores needs ...", "zh": "rfm_scores 需要……"}],
        "mistakes": [{"name": "mean spend",
                      "answer": "rfm_scores(sales, 'customer_id', 'date', 'amount', at=AT, monetary='mean')",
                      "message": {"en": "Your M is the mean per purchase ...", "zh": "你的 M 是……"}}],
        "reference": "...",       # optional: an expression when the answer is not simply `variable`
        "keys": "sales['customer_id'].unique()",  # optional: the IDs an answer keyed by customer covers
        "explanation": {"en": "...", "zh": "..."}    # optional, shown with the worked solution
    }}}

A ``compare`` may add ``"labels": "category"`` (one of :data:`LABELS`) to accept labels written with
the course's names (消费者客户) as well as codes (``consumer``).
Texts are ``{"en": ..., "zh": ...}`` or one string for both languages. A mistake's ``answer`` (and
``reference``, and a ``series_by_key`` comparator's ``explain``) is Python run in the namespace of
the source's own run on the student's world, never in the student's: it sees every table the
lesson built, and helpers defined in a ``solution-only`` cell. Its last expression is its value.

``keys`` is the one setting run on the *student's* namespace: the IDs their answer must cover, so
an assessed check can name missing or extra IDs without knowing the answer.

A student version keeps only :func:`public_spec` of each question (no mistakes, no references):
what a check needs to say whether an answer has the right *form* without knowing the answer.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from crmlab.exercises import compare
from crmlab.exercises._notebook import ANSWER_PREFIX, tagged_ids
from crmlab.exercises.core import Mistake, Question
from crmlab.i18n import tr
from crmlab.validation import CrmlabInputError

QUESTIONS = "questions"  # metadata.crmlab.questions on an answer cell
#: comparator kind → (factory, the options it takes)
COMPARATORS: dict[str, tuple[Callable[..., compare.Comparator], tuple[str, ...]]] = {
    "number": (compare.number, ("rtol", "atol", "share", "decimals")),
    "exact": (compare.exact, ()),
    "one_of": (compare.one_of, ()),
    "same_items": (compare.same_items, ()),
    "series_by_key": (compare.series_by_key, ("rtol", "atol", "explain", "what", "max_rows")),
    "frame_by_key": (compare.frame_by_key, ("columns", "rtol", "atol", "max_rows")),
}
#: ``compare.labels`` → the reader that turns the course's names for labels back into codes
LABELS = {"category": ("crmlab.classify.labels", "category"), "status": ("crmlab.classify.labels", "status"),
          "loyalty": ("crmlab.loyalty.labels", None)}
KEYS = {"variable", "compare", "points", "hints", "mistakes", "reference", "explanation", "form", "keys"}
PUBLIC = ("variable", "compare", "points", "hints", "form", "keys")  # what a student version keeps


def _pair(value: Any, where: str) -> tuple[str, str]:
    """An (English, 中文) pair from ``{"en": ..., "zh": ...}`` or one string."""
    if isinstance(value, str):
        return value, value
    if isinstance(value, Mapping) and isinstance(value.get("en"), str) and isinstance(value.get("zh"), str):
        return value["en"], value["zh"]
    raise CrmlabInputError(tr(f"{where} must be a text or {{\"en\": ..., \"zh\": ...}}, got {value!r}.",
                              f"{where} 必须是文字或 {{\"en\": ..., \"zh\": ...}}，实际是 {value!r}。"))


def _code(value: Any, where: str) -> str:
    code = "".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
    if not isinstance(code, str) or not code.strip():
        raise CrmlabInputError(tr(f"{where} must be Python code (a string), got {value!r}.",
                                  f"{where} 必须是 Python 代码（字符串），实际是 {value!r}。"))
    try:
        ast.parse(code)
    except SyntaxError as exc:
        raise CrmlabInputError(tr(f"{where} is not valid Python: {exc.msg} (line {exc.lineno}).",
                                  f"{where} 不是合法的 Python：{exc.msg}（第 {exc.lineno} 行）。")) from None
    return code


def evaluate(code: str, namespace: Mapping[str, Any], **names: Any) -> Any:
    """Run ``code`` in a copy of ``namespace`` (plus ``names``) and return its last expression's value.

    The copy keeps the run's own tables safe from a snippet that assigns; a snippet that mutates
    a table in place is the author's bug (use ``.assign``/``.copy``).
    """
    scope = {**namespace, **names}
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<question metadata>", "exec"), scope)  # noqa: S102 - the instructor's source only
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "<question metadata>", "eval"), scope)  # noqa: S307


def comparator(spec: Any, where: str, namespace: Callable[[], Mapping[str, Any]] | None = None
               ) -> compare.Comparator:
    """The comparator a ``compare`` spec names: ``{"kind": "number", "rtol": 1e-6}`` (or just ``"exact"``)."""
    spec = {"kind": spec} if isinstance(spec, str) else spec
    kind = spec.get("kind") if isinstance(spec, Mapping) else None
    if kind not in COMPARATORS:
        raise CrmlabInputError(tr(
            f"{where}.kind must be one of {', '.join(COMPARATORS)}, got {kind!r}.",
            f"{where}.kind 只能是 {', '.join(COMPARATORS)} 之一，实际是 {kind!r}。"))
    factory, allowed = COMPARATORS[kind]
    options = {k: v for k, v in spec.items() if k not in ("kind", "labels")}
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise CrmlabInputError(tr(
            f"{where}: {kind} takes {', '.join(allowed) or 'no options'}; unknown: {', '.join(unknown)}.",
            f"{where}：{kind} 可用的选项是 {', '.join(allowed) or '（无）'}；不认识：{', '.join(unknown)}。"))
    if "what" in options:
        options["what"] = _pair(options["what"], f"{where}.what")
    if "explain" in options:
        code = _code(options.pop("explain"), f"{where}.explain")
        if namespace is not None:  # a student version has no reference run: no explanations there
            options["explain"] = lambda key: str(evaluate(code, namespace(), key=key))
    try:
        compare_values = factory(**options)
    except (TypeError, ValueError) as exc:
        raise CrmlabInputError(tr(f"{where}: {exc}", f"{where}：{exc}")) from None
    labels = spec.get("labels")
    if labels is None:
        return compare_values
    if labels not in LABELS:
        raise CrmlabInputError(tr(f"{where}.labels must be one of {', '.join(LABELS)}, got {labels!r}.",
                                  f"{where}.labels 只能是 {', '.join(LABELS)} 之一，实际是 {labels!r}。"))
    import importlib

    module, kind = LABELS[labels]
    reader = importlib.import_module(module).to_codes
    to_codes = (lambda answer: reader(answer, kind)) if kind else reader
    return lambda answer, expected: compare_values(to_codes(answer), expected)


def question(qid: str, spec: Any, where: str, source: Path | None) -> Question:
    """The :class:`Question` one metadata entry defines (``source``: the notebook it came from, if it has solutions)."""
    if not isinstance(spec, Mapping):
        raise CrmlabInputError(tr(f"{where} must be a mapping of question settings, got {spec!r}.",
                                  f"{where} 必须是题目设置的字典，实际是 {spec!r}。"))
    unknown = sorted(set(spec) - KEYS)
    if unknown:
        raise CrmlabInputError(tr(f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(KEYS))}.",
                                  f"{where}：不认识的设置 {', '.join(unknown)}；可用的有 {', '.join(sorted(KEYS))}。"))
    variable = spec.get("variable")
    if not isinstance(variable, str) or not variable.isidentifier():
        raise CrmlabInputError(tr(f"{where}.variable must be a Python variable name, got {variable!r}.",
                                  f"{where}.variable 必须是 Python 变量名，实际是 {variable!r}。"))
    points = spec.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not points > 0:
        raise CrmlabInputError(tr(f"{where}.points must be a positive number, got {points!r}.",
                                  f"{where}.points 必须是正数，实际是 {points!r}。"))

    def run_namespace() -> Mapping[str, Any]:
        from crmlab.exercises.reference import namespace

        return namespace(source)

    hints = spec.get("hints", [])
    mistakes = spec.get("mistakes", [])
    if not isinstance(hints, list) or not isinstance(mistakes, list):
        raise CrmlabInputError(tr(f"{where}: hints and mistakes must be lists.", f"{where}：hints 和 mistakes 必须是列表。"))
    found = []
    for i, m in enumerate(mistakes):
        at = f"{where}.mistakes[{i}]"
        if not isinstance(m, Mapping):
            raise CrmlabInputError(tr(f"{at} must be a mapping with name, answer and message.",
                                      f"{at} 必须是含 name、answer、message 的字典。"))
        code = _code(m.get("answer"), f"{at}.answer")
        found.append(Mistake(str(m.get("name", f"mistake {i + 1}")),
                             (lambda ns, code=code: evaluate(code, ns)), _pair(m.get("message"), f"{at}.message")))
    reference = None
    if spec.get("reference") is not None:
        code = _code(spec["reference"], f"{where}.reference")
        reference = lambda ns: evaluate(code, ns)  # noqa: E731
    form = spec.get("form")
    return Question(
        id=qid, variable=variable,
        compare=comparator(spec.get("compare", "exact"), f"{where}.compare", run_namespace if source else None),
        hints=[_pair(h, f"{where}.hints[{i}]") for i, h in enumerate(hints)],
        points=float(points), mistakes=found, reference=reference,
        explanation=_pair(spec["explanation"], f"{where}.explanation") if spec.get("explanation") else "",
        source=source, form=dict(form) if isinstance(form, Mapping) else None,
        keys=_code(spec["keys"], f"{where}.keys") if spec.get("keys") is not None else "")


def specs(nb: Mapping) -> dict[str, dict]:
    """Question id → its metadata, in notebook order, from every answer cell of ``nb``."""
    out: dict[str, dict] = {}
    for index, cell in enumerate(nb.get("cells", [])):
        ids = tagged_ids(cell, ANSWER_PREFIX)
        if not ids:
            continue
        meta = cell.get("metadata", {}).get("crmlab", {})
        defined = meta.get(QUESTIONS, {}) if isinstance(meta, Mapping) else {}
        for qid in ids:
            if not isinstance(defined, Mapping) or qid not in defined:
                raise CrmlabInputError(tr(
                    f"cell {index} is tagged answer:{qid} but its metadata has no crmlab.questions.{qid} "
                    "(the question's variable, comparison and points).",
                    f"第 {index} 个单元格带有 answer:{qid} 标签，但其元数据中没有 crmlab.questions.{qid}"
                    "（题目的变量、比较方式和分值）。"))
            out[qid] = defined[qid]
    return out


def questions(nb: Mapping, source: Path | None) -> list[Question]:
    """The questions notebook ``nb`` defines (``source``: its path when it holds the solutions)."""
    return [question(qid, spec, f"crmlab.questions.{qid}", source) for qid, spec in specs(nb).items()]


def public_spec(spec: Mapping) -> dict:
    """What a student version keeps of a question: no mistakes, references, explanations or explainers."""
    out = {k: spec[k] for k in PUBLIC if k in spec}
    if isinstance(out.get("compare"), Mapping):
        out["compare"] = {k: v for k, v in out["compare"].items() if k != "explain"}
    return out
