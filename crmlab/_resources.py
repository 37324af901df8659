"""Where the lab's files are: in the repository (a clone, an editable install) or in the wheel.

The repository keeps one copy of each file: the student lessons in ``notebooks/``, the lesson
sources in ``instructor/`` and the datasets in ``datasets/``. Building a wheel copies them into
the package (``setup.py``'s build step): ``crmlab/lessons/student/`` (the student lessons),
``crmlab/lessons/source/`` (the practice lessons' sources, which the reference answers are
computed from) and ``crmlab/_data/datasets/``. This module finds them with
:mod:`importlib.resources`, the package's copy first, else the repository's.

Files the lab *writes* (a rebuilt dataset) never go into the package: they go to
:func:`user_data_dir` (``CRMLAB_DATA_DIR`` if set, else the user's cache folder).
"""
from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_ENV_VAR = "CRMLAB_DATA_DIR"

# name -> (location inside the installed package, location in the repository)
_LOCATIONS = {
    "datasets": (("_data", "datasets"), ("datasets",)),
    "student_lessons": (("lessons", "student"), ("notebooks",)),
    "lesson_sources": (("lessons", "source"), ("instructor",)),
}


def _packaged(parts: tuple[str, ...]) -> Path | None:
    node = resources.files("crmlab").joinpath(*parts)
    # A wheel installed as files (pip's way) gives a real folder; a zipped install is not supported.
    return Path(str(node)) if node.is_dir() else None


def resource_dir(name: str) -> Path | None:
    """The folder holding ``"datasets"``, ``"student_lessons"`` or ``"lesson_sources"``, or None.

    The installed package's copy wins (a wheel); without one, the repository's folder (a clone or an
    editable install).
    """
    package_parts, repo_parts = _LOCATIONS[name]
    packaged = _packaged(package_parts)
    if packaged is not None:
        return packaged
    folder = REPO_ROOT.joinpath(*repo_parts)
    return folder if folder.is_dir() else None


def is_repository_checkout() -> bool:
    """True when crmlab runs from its repository (a clone or an editable install), not from a wheel."""
    return _packaged(_LOCATIONS["datasets"][0]) is None and (REPO_ROOT / "pyproject.toml").is_file()


def user_data_dir() -> Path:
    """Where crmlab writes data of its own: ``$CRMLAB_DATA_DIR``, else the user cache folder.

    Linux: ``$XDG_CACHE_HOME/crmlab`` (``~/.cache/crmlab``); macOS: ``~/Library/Caches/crmlab``;
    Windows: ``%LOCALAPPDATA%\\crmlab\\Cache`` (the platformdirs conventions). Never inside the package.
    """
    named = os.environ.get(DATA_ENV_VAR, "").strip()
    if named:
        return Path(named).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "crmlab" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "crmlab"
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "crmlab"
