"""Test-wide setup: every test and every notebook kernel sees the shared default world."""
import os

import pytest

import matplotlib

matplotlib.use("Agg")
# Lessons load the default committed world unless a student ID is set; a developer's own
# crmlab-student.txt must not change what the tests see (kernels inherit this environment).
os.environ["CRMLAB_STUDENT_ID"] = ""
os.environ["CRMLAB_LANGUAGE"] = "en"  # unit tests read English messages; notebooks: ../conftest.py

# Notebooks in the grading corpus are deliberately broken submissions, graded by tests, not run by nbval.
collect_ignore_glob = ["grading_corpus/*", "artifacts/*", "browser_fixture/*"]


@pytest.fixture(autouse=True)
def _language_from_the_environment():
    """A test that calls set_language() leaves no language behind for the next one."""
    from crmlab import i18n

    i18n._state["language"] = None
    yield
    i18n._state["language"] = None
