"""Rebuild the lessons' stored outputs: student versions from the instructor sources, then run both.

    .venv/bin/python tools/execute_lessons.py            # every lesson
    .venv/bin/python tools/execute_lessons.py 03 04      # some lessons

For each instructor/NN_*.ipynb: write the student version notebooks/NN_*.ipynb with
``crmlab assign``, then execute both top to bottom on a fresh kernel in their own folder
(the default world, English), store the outputs, and print the time each took (lessons must
stay under ~15 s).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - started
    nbformat.write(nb, path)
    return seconds


def main(selected: list[str]) -> int:
    os.environ["CRMLAB_STUDENT_ID"] = ""
    os.environ["CRMLAB_LANGUAGE"] = "en"
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    from crmlab.exercises.assign import assign_notebook

    sources = sorted((ROOT / "instructor").glob("*.ipynb"))
    lone = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb")
                  if not (ROOT / "instructor" / p.name).exists())
    for path in sources + lone:
        if selected and not any(path.name.startswith(s) for s in selected):
            continue
        targets = [path]
        if path.parent.name == "instructor":
            student = ROOT / "notebooks" / path.name
            assign_notebook(path, student, force=True)
            targets.append(student)
        for target in targets:
            print(f"{target.relative_to(ROOT)}: {execute(target):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
