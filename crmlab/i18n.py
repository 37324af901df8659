"""Language setting for messages and plot labels (English / 中文).

The lab speaks English by default. ``set_language("zh")`` switches check messages, error
messages and plot labels to Chinese. Every user-facing string is written once as an
English/Chinese pair with :func:`tr`, next to the code that uses it, so the two never drift.
"""
from __future__ import annotations

import os

LANGUAGES = ("en", "zh")
_ALIASES = {"en": "en", "en_us": "en", "english": "en", "zh": "zh", "zh_cn": "zh", "chinese": "zh", "中文": "zh"}
_state = {"language": _ALIASES.get(os.environ.get("CRMLAB_LANGUAGE", "en").lower(), "en")}


def set_language(language: str) -> str:
    """Set the language of messages and plot labels: ``"en"`` or ``"zh"`` (``"zh_CN"``, ``"en_US"`` work too).

    Returns the language now in force.
    """
    key = str(language).strip().lower().replace("-", "_")
    if key not in _ALIASES:
        raise ValueError(
            f"language must be one of 'en' or 'zh' (got {language!r}). "
            "Example: crmlab.set_language('zh')"
        )
    _state["language"] = _ALIASES[key]
    return _state["language"]


def get_language() -> str:
    """The language in force: ``"en"`` or ``"zh"``."""
    return _state["language"]


def tr(en: str, zh: str) -> str:
    """Pick the English or the Chinese form of a message, by the language in force."""
    return zh if _state["language"] == "zh" else en
