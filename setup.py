"""Build step that puts the lessons and datasets into the wheel (the metadata is in pyproject.toml).

The repository keeps ONE copy of each file where people edit it (``notebooks/``, ``instructor/``,
``datasets/``). Building a wheel copies them into the package, where ``crmlab._resources`` finds
them with importlib.resources:

    notebooks/README.md, notebooks/{zh,en}/*.ipynb  -> crmlab/lessons/student/
    instructor/NN_*.ipynb (practice lessons)         -> crmlab/lessons/source/   (reference answers)
    datasets/{retail,retail_zh,b2b,b2b_zh}/, cdnow sample, README/SCHEMA -> crmlab/_data/datasets/

An editable install (``pip install -e .``, ``make lab``) copies nothing: the package then reads the
repository's folders directly. The sdist carries the same files (MANIFEST.in), so a wheel built
from the sdist is the same.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent

# (source glob relative to the repository, destination folder inside the package)
PACKAGE_FILES = [
    ("notebooks/README.md", "crmlab/lessons/student"),
    ("notebooks/zh/*.ipynb", "crmlab/lessons/student/zh"),
    ("notebooks/en/*.ipynb", "crmlab/lessons/student/en"),
    # The practice lessons' sources: the reference answers are computed from them at run time.
    # (Assessed assignments would not be listed here.)
    ("instructor/[0-9][0-9]_*.ipynb", "crmlab/lessons/source"),
    ("datasets/README.md", "crmlab/_data/datasets"),
    ("datasets/SCHEMA.md", "crmlab/_data/datasets"),
    ("datasets/cdnow/README.md", "crmlab/_data/datasets/cdnow"),
    ("datasets/cdnow/CDNOW_sample.txt", "crmlab/_data/datasets/cdnow"),
    *[(f"datasets/{name}/*", f"crmlab/_data/datasets/{name}") for name in ("retail", "retail_zh", "b2b", "b2b_zh")],
]


def package_files() -> list[tuple[Path, str]]:
    """Every (source file, destination path inside the build folder) the wheel gets."""
    found = []
    for pattern, destination in PACKAGE_FILES:
        matches = sorted(p for p in ROOT.glob(pattern) if p.is_file())
        if not matches:
            raise FileNotFoundError(f"setup.py: nothing matches {pattern!r}; the wheel would lack it")
        found += [(path, f"{destination}/{path.name}") for path in matches]
    return found


def _without_outputs(path: Path) -> str:
    """The notebook's JSON with every code cell's outputs and execution count cleared."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


class BuildWithLessons(build_py):
    """``build_py`` plus the lessons and datasets copied into the package (not in editable mode)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder in ("crmlab/lessons/student", "crmlab/lessons/source", "crmlab/_data"):
            shutil.rmtree(Path(self.build_lib) / folder, ignore_errors=True)  # no stale file from an older build
        for source, destination in package_files():
            target = Path(self.build_lib) / destination
            target.parent.mkdir(parents=True, exist_ok=True)
            if destination.startswith("crmlab/lessons/source/"):
                # Reference answers read only the sources' code cells: their stored outputs (charts) stay out.
                target.write_text(_without_outputs(source), encoding="utf-8")
            else:
                shutil.copyfile(source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return outputs + [str(Path(self.build_lib) / destination) for _, destination in package_files()]


setup(cmdclass={"build_py": BuildWithLessons})
