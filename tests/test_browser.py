"""Every lesson, run as a student runs it: JupyterLab in a real (headless Chromium) browser.

Unit tests and nbval never look at the page, where a Jupyter course breaks in its own ways:
"Error displaying widget", a plot that is not drawn, Chinese labels as empty boxes, a
lesson that only runs after another one. For each notebook this test opens JupyterLab on
a throwaway copy of the lessons, runs Restart Kernel and Run All Cells… on a fresh kernel,
and checks the page: every cell ran, no error output, every plot the stored notebook has is
an image on the page, every stored widget view is rendered. A screenshot per lesson goes to
artifacts/screenshots/. Both editions run: notebooks/zh/ and notebooks/en/, with no language set
in the environment, so each kernel must take its language from the notebook JupyterLab opened;
a probe cell at the end of each lesson checks that language, and in Chinese that the kernel found
a CJK font, and the page check fails on any glyph missing from the font.
See docs/browser_test.md.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import browser_helpers as bh

REPO = Path(__file__).resolve().parents[1]
FIXTURES = sorted((REPO / "tests" / "browser_fixture").glob("*.ipynb"))
LESSONS = sorted((REPO / "notebooks" / "zh").glob("*.ipynb")) + sorted((REPO / "notebooks" / "en").glob("*.ipynb"))
SCREENSHOTS = REPO / "artifacts" / "screenshots"
TIMEOUT_MS = int(os.environ.get("CRMLAB_BROWSER_TIMEOUT", "300")) * 1000

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(
        sync_playwright is None,
        reason="Playwright for Python is not installed: pip install -e '.[browser]'",
    ),
    pytest.mark.skipif(
        not bh.CHROMIUM.exists(),
        reason=f"no Chromium at {bh.CHROMIUM}: apt-get install chromium chromium-driver fonts-noto-cjk "
               "(.ci/run does this, so CI always runs the browser test)",
    ),
]

CASES = [pytest.param(path, id=f"{path.parent.name}-{path.stem}") for path in LESSONS] + [
    pytest.param(path, id=f"fixture-{path.stem}") for path in FIXTURES
]


def _served_name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """One JupyterLab on a copy of notebooks/ (zh/, en/, the fixtures), with no language in the environment."""
    root = tmp_path_factory.mktemp("lab")
    served = bh.copy_lessons(REPO, root / "copy", FIXTURES)
    for notebook in served.rglob("*.ipynb"):
        bh.strip_outputs(notebook)
    server = bh.LabServer(
        root_dir=served, state_dir=root / "state",
        env_overrides={"CRMLAB_LANGUAGE": "", "CRMLAB_STUDENT_ID": ""},
    ).start()
    yield server, served
    server.stop()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(bh.CHROMIUM), args=bh.CHROMIUM_ARGS, headless=True,
            viewport=bh.VIEWPORT,
        )
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


def _run_in_browser(context, server: bh.LabServer, served_name: str, stored: Path,
                    screenshot: Path) -> tuple[list[str], object]:
    """Open ``served_name``, restart-and-run-all, screenshot, compare with the outputs ``stored`` has.

    Returns (problems, page); the caller closes the page.
    """
    expected = bh.expectations(stored)
    page = context.new_page()
    try:
        bh.open_notebook(page, server.notebook_url(served_name), TIMEOUT_MS)
        prompts = bh.restart_and_run_all(page, expected, TIMEOUT_MS, server)
    except Exception:
        bh.screenshot_notebook(page, screenshot)  # what the page showed when it got stuck
        page.close()
        raise
    bh.wait_for_rich_outputs(page, expected, timeout_ms=15_000)
    bh.screenshot_notebook(page, screenshot)
    problems = bh.problems_on_page(page, expected)
    never_ran = [n for n, (want, prompt) in enumerate(zip(expected, prompts), start=1)
                 if want.runs and not prompt.strip("[]: ").isdigit()]
    if never_ran:
        problems.append(f"code cells {never_ran} never ran (run-all stopped early)")
    return problems, page


PROBE = (
    "import crmlab, crmlab.plot\n"
    "print('crmlab language:', crmlab.get_language())\n"
    "print('CJK font:', crmlab.plot.cjk_font())"
)


@pytest.mark.parametrize("notebook", CASES)
def test_lesson_runs_in_browser(notebook: Path, lab, browser_context, tmp_path):
    """A lesson runs on a fresh kernel in the page, in its notebook's language, with no missing glyph."""
    server, served = lab
    probed = tmp_path / notebook.name
    shutil.copy2(notebook, probed)
    bh.append_code_cell(probed, PROBE)
    bh.append_code_cell(served / _served_name(notebook), PROBE)
    shot = SCREENSHOTS / f"{notebook.parent.name}_{notebook.stem}.png"
    try:
        problems, page = _run_in_browser(browser_context, server, _served_name(notebook), probed, shot)
        probe_output = bh.cell_text(page, -1)
        page.close()
    finally:
        server.shutdown_kernels()
    assert not problems, f"{notebook.name} in JupyterLab (screenshot {shot}):\n" + "\n".join(problems)
    language = "en" if notebook.parent.name == "en" else "zh"
    if notebook.parent.name in ("zh", "en"):
        assert f"crmlab language: {language}" in probe_output, probe_output
    if language == "zh":
        assert "CJK font: None" not in probe_output and "CJK font:" in probe_output, (
            f"the kernel found no Chinese font, so plots fall back to English: {probe_output!r}")
