"""Who is working: the student ID that picks a student's own data world.

Precedence: the ``CRMLAB_STUDENT_ID`` environment variable (the grader and the test suite
set it; an empty value means the shared default world), then the file ``crmlab-student.txt``
in the working folder (written by :func:`set_student_id`), then the JupyterHub user name
(``JUPYTERHUB_USER``: on a course hub every student gets their own world with no step), else no
ID (the default world).
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from crmlab.i18n import tr
from crmlab.errors import CrmlabInputError

STUDENT_FILE = "crmlab-student.txt"
ENV_VAR = "CRMLAB_STUDENT_ID"
HUB_USER_VAR = "JUPYTERHUB_USER"


# Zero-width and other invisible format characters (Unicode category Cf) an input method or a copy
# from a web page leaves in an ID.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e]")


def normalise_student_id(student_id: str) -> str:
    """The ID as typed, made canonical: Unicode NFKC (full-width ２０２４ → 2024, as a Chinese input method
    types it), invisible characters removed, surrounding spaces stripped. An ID that still differs is kept."""
    text = unicodedata.normalize("NFKC", str(student_id))
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.strip()


def get_student_id() -> str | None:
    """The student ID in force, or None when lessons use the shared default world."""
    if ENV_VAR in os.environ:
        return normalise_student_id(os.environ[ENV_VAR]) or None
    path = Path.cwd() / STUDENT_FILE
    if path.is_file():
        return normalise_student_id(path.read_text(encoding="utf-8")) or None
    return normalise_student_id(os.environ.get(HUB_USER_VAR, "")) or None


def set_student_id(student_id: str | None, *, save: bool = True) -> str | None:
    """Set your student ID (学号) so every lesson loads your own data world.

    With ``save=True`` the ID is written to ``crmlab-student.txt`` in the working folder, so the
    other lessons (each on a fresh kernel) find it too. ``set_student_id(None)`` goes back to
    the shared default world.
    """
    if student_id is not None:
        student_id = normalise_student_id(student_id)
        if not student_id or any(ch in student_id for ch in "\n\r\t"):
            raise CrmlabInputError(tr(
                "student_id must be a non-empty line of text, e.g. '2024001234'.",
                "student_id 必须是非空的一行文字，例如 '2024001234'。",
            ))
    os.environ[ENV_VAR] = student_id or ""
    if save:
        path = Path.cwd() / STUDENT_FILE
        if student_id is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(student_id + "\n", encoding="utf-8")
        print(rerun_notice())
    return student_id


def seed_for(student_id: str) -> int:
    """A reproducible 32-bit seed for a student ID (SHA-256, so it is the same on every machine)."""
    digest = hashlib.sha256(normalise_student_id(student_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big")


def own_seed(default: int, student_id: str | None = None) -> int:
    """The seed of a lesson's sample: your own (``seed_for`` your ID) once a student ID is set, else ``default``.

    Without an ID every reader of the lesson sees the same sample, the one its text describes.
    """
    student_id = get_student_id() if student_id is None else student_id
    return seed_for(student_id) if student_id else default


class Settings:
    """Who is working and in which language, as lesson 00 shows it (学号与语言)."""

    def __init__(self) -> None:
        from crmlab.i18n import get_language

        self.language = get_language()
        self.student_id = get_student_id()

    def _lines(self) -> list[str]:
        language = tr("English (en)", "中文 (zh)")
        student = self.student_id or tr("not set: you work on the shared default world",
                                        "未设置：你使用的是公共默认数据")
        return [tr(f"Language: {language}", f"语言：{language}"), tr(f"Student ID: {student}", f"学号：{student}")]

    def __repr__(self) -> str:
        return "\n".join(self._lines())

    def _repr_html_(self) -> str:
        import html

        return "<br>".join(f"<b>{html.escape(line)}</b>" for line in self._lines())


def settings() -> Settings:
    """The language and the student ID in force (see :func:`crmlab.set_language`, :func:`set_student_id`)."""
    return Settings()


def rerun_notice() -> str:
    return tr("Saved. Re-run the cells that load data (or Kernel → Restart Kernel and Run All Cells) to use it.",
              "已保存。请重新运行加载数据的单元格（或选择 Kernel → Restart Kernel and Run All Cells）使其生效。")
