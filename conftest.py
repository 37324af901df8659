"""Run every lesson notebook in its own language: nbval starts each notebook's kernel with this environment."""
import os
from pathlib import Path

import pytest


def notebook_language(path: Path) -> str:
    """notebooks/en/ lessons run in English; the Chinese ones and the bilingual sources in Chinese."""
    return "en" if path.parent.name == "en" else "zh"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    path = Path(str(item.fspath))
    if path.suffix == ".ipynb":
        os.environ["CRMLAB_LANGUAGE"] = notebook_language(path)
        os.environ["CRMLAB_STUDENT_ID"] = ""
