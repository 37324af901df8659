"""Binder: repo2docker reads binder/ as intended (its own parser, ``repo2docker --no-build --debug``).

Docker cannot run here, so the test checks the Dockerfile repo2docker generates for this repository,
with Binder's user (uid 1000, jovyan):
- Python 3.11 from runtime.txt (an unpinned or ``>=`` version falls back to repo2docker's default);
- the Chinese font from apt.txt (fonts-noto-cjk), so Chinese chart labels are drawn;
- the dependencies installed from binder/requirements.txt *before* the repository is copied (their layer is
  cached), and crmlab itself by postBuild after the copy with ``--no-deps`` (no editable install in the
  requirements: that would re-run the dependency layer on every lesson edit);
- the README's Binder link opens JupyterLab on the lessons' landing page (``urlpath=lab/tree/notebooks/README.md``).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dockerfile() -> tuple[str, str]:
    pytest.importorskip("repo2docker", reason="jupyter-repo2docker is in the test extra: pip install -e '.[test]'")
    command = [str(Path(sys.executable).with_name("repo2docker")), "--no-build", "--debug",
               "--user-id", "1000", "--user-name", "jovyan", str(ROOT)]
    if not Path(command[0]).exists():
        command[0] = shutil.which("repo2docker") or "repo2docker"
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, done.stderr


def _line(text: str, pattern: str) -> int:
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    assert found, f"no line matches {pattern!r}"
    return found[0]


def test_python_311_from_runtime_txt(dockerfile):
    out, err = dockerfile
    assert "python=3.11" in err  # "Building conda environment for python=3.11"
    assert "environment-2epy-2d3-2e11" in out  # the conda lock file of Python 3.11 (escaped name)


def test_chinese_font_installed_from_apt_txt(dockerfile):
    out, _ = dockerfile
    assert re.search(r"apt-get install .*fonts-noto-cjk", out)


def test_dependencies_cached_before_the_copy_and_crmlab_installed_after(dockerfile):
    out, _ = dockerfile
    requirements = _line(out, r"pip install .*-r \"?binder/requirements.txt")
    copy = _line(out, r"^COPY .*src/ \$\{REPO_DIR\}/$")
    post_build = _line(out, r"RUN \./binder/postBuild")
    assert requirements < copy < post_build
    assert "--chown=1000:1000 src/ " in out.splitlines()[copy]
    script = (ROOT / "binder" / "postBuild").read_text()
    assert re.search(r"pip install [^\n]*--no-deps [^\n]*\.$", script, re.M)
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111


def test_readme_binder_link_opens_the_lessons():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    link = re.search(r"https://mybinder\.org/v2/gh/[^)\s]+", readme)
    assert link and "urlpath=lab/tree/notebooks/README.md" in link.group(0)
    assert (ROOT / "notebooks" / "README.md").is_file()
