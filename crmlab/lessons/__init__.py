"""The student lessons as a pip user gets them: ``crmlab lessons DIR [--language zh|en] [--force]``.

A wheel ships the student lessons (``notebooks/zh``, ``notebooks/en`` and the landing page
``notebooks/README.md`` of the repository) as package data; :func:`write_lessons` copies them into a
folder of the student's choosing, where they open, edit and run them.

Running it again updates the lessons the student has not touched and refuses, before writing
anything, to replace a notebook the student edited (unless ``force``): what was written is recorded
in ``.crmlab-lessons.json`` (SHA-256 per file), so an unedited copy of an older version is told apart
from the student's own work — the same rule nbgitpuller follows on a hub.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from crmlab._resources import resource_dir
from crmlab.errors import CrmlabInputError
from crmlab.i18n import tr

LANGUAGES = ("zh", "en")
MANIFEST = ".crmlab-lessons.json"


def student_lessons_dir() -> Path:
    """The folder with ``README.md``, ``zh/`` and ``en/``: the package's copy, or the repository's ``notebooks/``."""
    folder = resource_dir("student_lessons")
    if folder is None:
        raise FileNotFoundError(tr(
            "the student lessons are not installed with crmlab (neither package data nor a repository's notebooks/).",
            "未找到学生版课程（安装包中没有，也不在仓库的 notebooks/ 中）。"))
    return folder


def lesson_files(language: str | None = None) -> dict[str, Path]:
    """The files :func:`write_lessons` writes, as ``{path relative to DIR: source file}``.

    Parameters
    ----------
    language : {"zh", "en"} or None
        ``None``: ``README.md``, ``zh/*.ipynb`` and ``en/*.ipynb``; one language: that language's
        notebooks directly in DIR (as ``crmlab assign --language`` does).
    """
    source = student_lessons_dir()
    if language is None:
        files = {"README.md": source / "README.md"}
        for lang in LANGUAGES:
            files.update({f"{lang}/{p.name}": p for p in sorted((source / lang).glob("*.ipynb"))})
        return files
    if language not in LANGUAGES:
        raise CrmlabInputError(tr(
            f"--language must be zh or en (or left out for both), got {language!r}.",
            f"--language 只能是 zh 或 en（不写则两种语言都生成），实际是 {language!r}。"))
    return {p.name: p for p in sorted((source / language).glob("*.ipynb"))}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_lessons(directory: str | Path, language: str | None = None, force: bool = False) -> list[Path]:
    """Write the student lessons into ``directory``; return the files written (unchanged ones are skipped).

    Parameters
    ----------
    directory : path
        The student's course folder (created if missing).
    language : {"zh", "en"} or None
        One language's lessons into ``directory``; ``None`` (default) both, in ``zh/`` and ``en/``,
        with the landing page ``README.md``.
    force : bool
        Replace notebooks the student edited. Without it, an edited notebook (its bytes differ both
        from this version and from what was last written there) stops the command before anything
        is written.

    Returns
    -------
    list of Path
        The files written or updated.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise CrmlabInputError(tr(
            f"DIR {directory} is a file; give a folder for the lessons.",
            f"DIR {directory} 是一个文件；请给出存放课程的文件夹。"))
    files = lesson_files(language)
    manifest_path = directory / MANIFEST
    try:
        recorded = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    except (OSError, ValueError):
        recorded = {}
    plan, edited = [], []
    for relative, source in files.items():
        data = source.read_bytes()
        target = directory / relative
        if target.is_file():
            current = _digest(target.read_bytes())
            if current == _digest(data):
                continue
            if current != recorded.get(relative) and not force:
                edited.append(relative)
                continue
        plan.append((target, relative, data))
    if edited:
        names = ", ".join(edited)
        raise CrmlabInputError(tr(
            f"{directory} holds lessons you edited ({names}); refusing to overwrite them, nothing was written. "
            "Rename or move them to keep your work, or add --force to replace them with the new version.",
            f"{directory} 中有你修改过的课程（{names}），不会覆盖，本次没有写入任何文件。"
            "请先重命名或移走它们以保留你的作业，或加上 --force 用新版本替换。"))
    for target, relative, data in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    recorded.update({relative: _digest(source.read_bytes()) for relative, source in files.items()})
    if plan or not manifest_path.is_file():
        directory.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return [target for target, _, _ in plan]
