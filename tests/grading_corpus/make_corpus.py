"""Rebuild the grading corpus: the demo lesson's source notebook and realistic (bad) submissions.

Run from the repository root: ``.venv/bin/python tests/grading_corpus/make_corpus.py``.
The files are committed; the tests read them and never write here.
"""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmlab.exercises.assign import strip_solutions

HERE = Path(__file__).parent
SOLUTIONS = {
    "99.q1": 'total = sales["revenue"].sum()',
    "99.q2": 'top_customers = list(sales.index[sales["revenue"] >= sales["revenue"].mean()])',
    "99.q3": 'top = sales["revenue"].max()\nshare = top / sales["revenue"].sum()',
}

# Eight customers' yearly revenue (销售额), different for every student ID: no world to load, so a
# kernel grades the demo in well under a second.
SETUP = """import numpy as np
import pandas as pd
from crmlab.exercises import lesson
from crmlab.student import own_seed

ex = lesson("99")
rng = np.random.default_rng(own_seed(99))
sales = pd.DataFrame({"revenue": rng.integers(100, 5_000, size=8).astype(float)},
                     index=pd.Index([f"C{i:02d}" for i in range(1, 9)], name="customer_id"))
sales.head(3)"""
# The questions, defined the one way every lesson defines them: in the answer cells' metadata.
QUESTIONS = {
    "99.q1": {"variable": "total", "compare": {"kind": "number"}, "hints": ["Sum the revenue column."]},
    "99.q2": {"variable": "top_customers", "compare": {"kind": "same_items"},
              "hints": ["Compare each revenue with the mean revenue."]},
    "99.q3": {"variable": "share", "compare": {"kind": "number", "rtol": 1e-3}, "points": 2,
              "hints": ["The largest revenue divided by the total."],
              "mistakes": [{"name": "mean share", "answer": 'sales["revenue"].mean() / sales["revenue"].sum()',
                            "message": {"en": "That is the mean customer's share; the question asks for the largest.",
                                        "zh": "这是平均每位客户的占比；题目问的是最大的那位。"}}]},
}


def _cell(source: str, cid: str, *tags: str, markdown: bool = False):
    cell = new_markdown_cell(source) if markdown else new_code_cell(source)
    cell.id = cid
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def source_notebook():
    cells = [
        _cell("# Lesson 99: a demo for the grader\nThree quick questions on a tiny sales table.", "intro", markdown=True),
        _cell(SETUP, "setup"),
    ]
    for k, (qid, code) in enumerate(SOLUTIONS.items(), start=1):
        answer = _cell(f"# BEGIN SOLUTION\n{code}\n# END SOLUTION", f"q{k}-answer", f"answer:{qid}")
        answer.metadata["crmlab"] = {"questions": {qid: QUESTIONS[qid]}}
        cells += [
            _cell(f"**Question {k}.**", f"q{k}-text", markdown=True),
            answer,
            _cell(f"ex.q{k}.check()", f"q{k}-check", f"check:{qid}"),
        ]
    cells.append(_cell('print("The instructor\'s notes on this lesson.")', "notes", "solution-only"))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def answered(student, answers: dict[str, str]):
    """``student`` with the answer cells of ``answers`` (qid -> code) filled in."""
    nb = copy.deepcopy(student)
    for cell in nb.cells:
        for qid, code in answers.items():
            if f"answer:{qid}" in cell.metadata.get("tags", []):
                cell.source = code
    return nb


def insert_after(nb, cell_id: str, *cells):
    at = next(i for i, c in enumerate(nb.cells) if c.id == cell_id) + 1
    nb.cells[at:at] = list(cells)
    return nb


def submissions(student) -> dict[str, object]:
    right = answered(student, SOLUTIONS)
    subs = {"alice.ipynb": right, "bob.ipynb": copy.deepcopy(student)}

    subs["carol.ipynb"] = insert_after(copy.deepcopy(right), "q1-check",
                                       _cell("while True:\n    pass", "loop"))
    subs["walter.ipynb"] = insert_after(copy.deepcopy(right), "q1-check", _cell(
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass", "stubborn-loop"))
    subs["dave.ipynb"] = answered(student, {**SOLUTIONS, "99.q1": 'ratio = 1 / 0\ntotal = sales["revenue"].sum()'})

    erin = copy.deepcopy(right)
    erin.cells = [c for c in erin.cells if c.id != "q2-answer"]
    q3 = next(c for c in erin.cells if c.id == "q3-answer")
    erin.cells.remove(q3)
    erin.cells.insert(2, q3)
    wrong_first = copy.deepcopy(next(c for c in erin.cells if c.id == "q1-answer"))
    wrong_first.id, wrong_first.source = "q1-first-try", "total = 0"
    erin = insert_after(erin, "q1-text", wrong_first)
    subs["erin.ipynb"] = erin

    subs["frank.ipynb"] = insert_after(copy.deepcopy(right), "q1-check", _cell("import os\nos._exit(3)", "die"))
    subs["grace.ipynb"] = insert_after(copy.deepcopy(right), "q1-check", _cell(
        "hog = []\nwhile True:\n    hog.append(bytearray(50 * 2**20))", "bomb"))
    subs["heidi.ipynb"] = insert_after(copy.deepcopy(right), "q1-check", _cell(
        'for i in range(400_000):\n    print("spam " * 20)', "spam"))

    ivan = answered(student, {"99.q1": "total = 1.0", "99.q2": 'top_customers = ["C01"]'})
    subs["ivan.ipynb"] = insert_after(ivan, "setup", _cell(
        "import crmlab.exercises.core as core\n"
        "core.Question.evaluate = lambda self, answer=...: core.CheckResult(self.id, 'correct', self.points, "
        "self.points, 'ok')\n"
        "ex.q1.check = lambda *a: 'correct'\n"
        "def check(*args):\n    return True\n"
        'print(\'CRMLAB-RESULT 0000 {"question": "99.q1", "status": "correct", "message": ""}\')\n'
        "list = None\nprint = None", "tamper"))

    trent = answered(student, {"99.q1": "total = 1.0"})
    subs["trent.ipynb"] = insert_after(trent, "setup", _cell(
        "import re, sys\n"
        "def forge(info):\n"
        "    found = re.search(r'_crmlab_b_([0-9a-f]+)', info.raw_cell or '')\n"
        "    if found:\n"
        "        sys.stdout.write('\\nCRMLAB-RESULT ' + found.group(1) + "
        "' {\"question\": \"99.q1\", \"status\": \"correct\", \"message\": \"\"}\\n')\n"
        "get_ipython().events.register('pre_run_cell', forge)", "forge"))

    subs["judy.ipynb"] = answered(student, {**SOLUTIONS, "99.q1": (
        "import glob, os\n"
        "seen = glob.glob('../**/*.ipynb', recursive=True) + glob.glob(os.path.expanduser('~/**/*.ipynb'), "
        "recursive=True) + glob.glob('*.ipynb')\n"
        "leaked = [p for p in seen if 'judy' not in p] + [k for k in os.environ if 'PYTEST' in k or 'VIRTUAL' in k]\n"
        "total = -1.0 if leaked else sales['revenue'].sum()")})

    oscar = copy.deepcopy(right)
    oscar.metadata["crmlab"] = {"student_id": "oscar"}
    subs["Copy of 99_demo (1).ipynb"] = oscar

    peggy = answered(student, SOLUTIONS)
    for cell in peggy.cells:
        if cell.id == "q1-answer":
            cell.metadata = {}
            cell.source = "total = float(sales.revenue.sum())  # your answer here"
        elif cell.id == "q2-answer":
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    subs["peggy.ipynb"] = peggy
    # --- hostile submissions (issue 14): each must end in a recorded result for that student only ---
    subs["xavier.ipynb"] = answered(student, {  # the exercise API's own reference used as the answer
        "99.q1": "total = ex.q1.expected()",
        "99.q2": "top_customers = ex.q2.solution()",
        "99.q3": "import re\nshare = float(re.findall(r'[0-9.]+', ex.q3.solution().body)[-1])"})
    subs["yvonne.ipynb"] = insert_after(answered(student, {"99.q1": "total = 0", "99.q2": "top_customers = []",
                                                           "99.q3": "share = 0"}), "setup", _cell(
        "import crmlab.i18n, math, sys, numpy as np\n"
        "crmlab.i18n.tr = lambda *a, **k: None\n"
        "math.isclose = lambda *a, **k: True\n"
        "np.isclose = lambda *a, **k: True\n"
        "class Liar(float):\n    def __eq__(self, other):\n        return True\n"
        "ip = get_ipython()\n"
        "ip.input_transformers_post.append(lambda lines: ['total = 0\\n'] + lines)\n"
        "class Proxy:\n    def write(self, s):\n        return sys.__stdout__.write(s.replace('incorrect', 'correct'))\n"
        "    def flush(self):\n        pass\n"
        "sys.stdout = Proxy()", "tamper-compare"))
    subs["zara.ipynb"] = insert_after(copy.deepcopy(right), "q1-check", _cell(
        "import os, signal, subprocess, glob, pathlib, crmlab\n"
        "harm = []\n"
        "pkg = pathlib.Path(crmlab.__file__).parent\n"
        "for target in [pkg / 'exercises' / 'compare.py', pkg / 'zz_evil.pth']:\n"
        "    try:\n        open(target, 'a').write('\\nraise SystemExit')\n        harm.append(str(target))\n"
        "    except OSError:\n        pass\n"
        "import site, sys\n"
        "for d in site.getsitepackages() + [sys.prefix]:\n"
        "    try:\n        open(os.path.join(d, 'zz_evil.pth'), 'w').write('import os; os._exit(9)')\n"
        "        harm.append(d)\n    except OSError:\n        pass\n"
        "for pid in [os.getppid(), 1, -1]:\n"
        "    for sig in (signal.SIGSTOP, signal.SIGKILL):\n"
        "        try:\n            os.kill(pid, sig)\n        except (OSError, ProcessLookupError):\n            pass\n"
        "environ = []\n"
        "for f in glob.glob('/proc/*/environ'):\n"
        "    try:\n        environ.append(open(f, 'rb').read())\n    except OSError:\n        pass\n"
        "subprocess.Popen(['sh', '-c', 'sleep 600'], start_new_session=True)\n"
        "if os.fork() == 0:\n    os.setsid()\n    import time\n    time.sleep(600)\n    os._exit(0)", "harm"))
    subs["quinn.ipynb"] = insert_after(copy.deepcopy(right), "q1-check", _cell(
        "from IPython.display import clear_output\n"
        "from ipykernel.comm import Comm\n"
        "blob = 'x' * 2**20\n"
        "try:\n    c = Comm(target_name='jupyter.widget')\n"
        "    for i in range(300):\n        c.send({'blob': blob})\n"
        "except Exception:\n    pass\n"
        "for i in range(100000):\n    print('flood', i)\n    clear_output(wait=False)", "flood"))
    eve = copy.deepcopy(right)
    eve.metadata["crmlab"] = {"student_id": "alice"}  # a copied notebook claiming a classmate's ID
    eve = insert_after(eve, "setup", _cell("raise ValueError('<!-- | **pwned** [x](http://evil)')", "inject"))
    subs["eve.ipynb"] = eve
    subs["=1+2.ipynb"] = copy.deepcopy(right)  # a file name that is a spreadsheet formula
    return subs


def main() -> None:
    source = source_notebook()
    (HERE / "source").mkdir(exist_ok=True)
    nbformat.write(source, HERE / "source" / "99_demo.ipynb")
    student = strip_solutions(source)
    out = HERE / "submissions"
    out.mkdir(exist_ok=True)
    for name, nb in submissions(student).items():
        nbformat.write(nb, out / name)
    (out / "mallory.ipynb").write_text('{"cells": [ {"cell_type": "code", "source": "total = 1"', encoding="utf-8")


if __name__ == "__main__":
    main()
