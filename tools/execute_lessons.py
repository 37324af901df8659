"""Rebuild the lessons' stored outputs: the student versions from the one source, then run them all.

    .venv/bin/python tools/execute_lessons.py            # every lesson
    .venv/bin/python tools/execute_lessons.py 03 04      # some lessons

For each instructor/NN_*.ipynb: write the student versions notebooks/zh/NN_*.ipynb and
notebooks/en/NN_*.ipynb with ``crmlab assign``, then execute the source (in Chinese) and each student
version (in its language) top to bottom on a fresh kernel in its own folder, on the default world,
store the outputs, and print the time each took (lessons must stay under ~15 s).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from conftest import notebook_language  # noqa: E402  one rule for tests and stored outputs

LANGUAGES = ("zh", "en")


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    os.environ["CRMLAB_LANGUAGE"] = notebook_language(path)
    started = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - started
    nbformat.write(nb, path)
    return seconds


def main(selected: list[str]) -> int:
    os.environ["CRMLAB_STUDENT_ID"] = ""
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    from crmlab.exercises.assign import assign_notebook

    for path in sorted((ROOT / "instructor").glob("*.ipynb")):
        if selected and not any(path.name.startswith(s) for s in selected):
            continue
        targets = [path]
        for language in LANGUAGES:
            student = ROOT / "notebooks" / language / path.name
            assign_notebook(path, student, language=language, force=True)
            targets.append(student)
        for target in targets:
            print(f"{target.relative_to(ROOT)}: {execute(target):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
