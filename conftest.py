"""Run every lesson notebook in its own language: nbval starts each notebook's kernel with this environment."""
import os
from pathlib import Path

import pytest


def notebook_language(path: Path) -> str:
    """notebooks/en/ lessons run in English; the Chinese ones and the bilingual sources in Chinese."""
    return "en" if path.parent.name == "en" else "zh"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Notebooks in their language; unit tests read English messages. Everyone on the shared default world."""
    path = Path(str(item.fspath))
    os.environ["CRMLAB_LANGUAGE"] = notebook_language(path) if path.suffix == ".ipynb" else "en"
    os.environ["CRMLAB_STUDENT_ID"] = ""
