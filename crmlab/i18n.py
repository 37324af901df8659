"""Language of the lab (中文 / English): lesson text, check messages, hints, plot labels.

crmlab is a Chinese lab that also serves English readers. The language in force is, first found:

1. :func:`set_language` called in this Python process;
2. ``CRMLAB_LANGUAGE`` in the environment (the grader, the test suite and a hub admin set it);
3. the student's choice saved by :func:`set_language` in ``crmlab-language.txt`` in the working
   folder, so every lesson and every kernel restart finds it (like the student ID);
4. the language of the notebook the kernel runs (``metadata.crmlab.language`` of the file
   JupyterLab names in ``JPY_SESSION_NAME``): a lesson opened from ``notebooks/zh/`` speaks Chinese;
5. Chinese.

Every user-facing string is written once as an English/Chinese pair with :func:`tr`, next to the
code that uses it, so the two never drift.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
ENV_VAR = "CRMLAB_LANGUAGE"
LANGUAGE_FILE = "crmlab-language.txt"
_ALIASES = {"en": "en", "en_us": "en", "english": "en", "英文": "en", "英语": "en",
            "zh": "zh", "zh_cn": "zh", "zh_hans": "zh", "chinese": "zh", "中文": "zh", "汉语": "zh"}
_state: dict[str, str | None] = {"language": None}  # set_language() in this process


def _normalise(language: object) -> str | None:
    return _ALIASES.get(str(language).strip().lower().replace("-", "_"))


def _notebook_language() -> str | None:
    """The language a lesson notebook declares, when JupyterLab tells the kernel which file it runs."""
    session = os.environ.get("JPY_SESSION_NAME", "")
    if not session.endswith(".ipynb"):
        return None
    for path in (Path(session), Path.cwd() / Path(session).name):  # absolute, or relative to the server root
        try:
            with open(path, encoding="utf-8") as handle:
                meta = json.load(handle).get("metadata", {}).get("crmlab", {})
            return _normalise(meta.get("language", "")) if isinstance(meta, dict) else None
        except (OSError, ValueError, AttributeError):
            continue
    return None


def set_language(language: str, *, save: bool = True) -> str:
    """Choose the lab's language: ``"zh"`` (中文) or ``"en"`` (English); ``"zh_CN"``, ``"中文"`` work too.

    With ``save=True`` the choice is written to ``crmlab-language.txt`` in the working folder, so
    the other lessons and later kernels use it too. Re-run the cells that load data afterwards:
    the Chinese lessons use the Chinese company worlds (names, cities, yuan). Returns the language.
    """
    key = _normalise(language)
    if key is None:
        raise ValueError(tr(
            f"language must be 'zh' (中文) or 'en' (English), got {language!r}. Example: crmlab.set_language('zh')",
            f"language 只能是 'zh'（中文）或 'en'（English），你给的是 {language!r}。例如：crmlab.set_language('zh')"))
    _state["language"] = key
    if save:
        (Path.cwd() / LANGUAGE_FILE).write_text(key + "\n", encoding="utf-8")
        from crmlab.student import rerun_notice

        print(rerun_notice())
    return key


def get_language() -> str:
    """The language in force: ``"zh"`` or ``"en"`` (see the module docstring for where it comes from)."""
    if _state["language"] is not None:
        return _state["language"]
    from_env = _normalise(os.environ.get(ENV_VAR, ""))
    if from_env:
        return from_env
    try:
        saved = _normalise((Path.cwd() / LANGUAGE_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        saved = None
    return saved or _notebook_language() or DEFAULT


def tr(en: str, zh: str) -> str:
    """Pick the English or the Chinese form of a message, by the language in force."""
    return zh if get_language() == "zh" else en


def text(value: str | tuple[str, str] | list[str]) -> str:
    """A text written as an ``(en, zh)`` pair, in the language in force; a plain string is shown as it is."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return tr(value[0], value[1])
    return str(value)
