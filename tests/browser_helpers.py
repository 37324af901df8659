"""Drive JupyterLab in Debian's headless Chromium for tests/test_browser.py.

A :class:`LabServer` runs ``jupyter lab`` from the project's venv on a free localhost port
with a random token, on a throwaway copy of the lessons, with its own settings, workspaces,
runtime and IPython folders, so a browser run never touches the repository or the user's
Jupyter set-up. The page helpers open one notebook, run it as a student would (Run →
Restart Kernel and Run All Cells…) and report what a student would see go wrong.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # test_browser.py skips itself with a clear message then
    PlaywrightTimeout = TimeoutError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
JUPYTER = Path(sys.executable).with_name("jupyter")
VIEWPORT = {"width": 1280, "height": 900}

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# The notebook that is on screen (JupyterLab keeps other tabs in the DOM, hidden).
ACTIVE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# Settings a student would not change but a robot needs: render every cell (JupyterLab 4
# otherwise virtualises off-screen cells, hiding their outputs from the DOM) and keep the
# "official Jupyter news?" toast out of the screenshots.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
}


def free_port() -> int:
    """A TCP port on localhost nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_lessons(repo: Path, dest: Path, extra_notebooks: list[Path]) -> Path:
    """Copy notebooks/ (and datasets/, which lessons may read by relative path) under ``dest``.

    Returns the folder to serve. Students' own files (``work/``, ``my_*``) stay behind.
    """
    served = dest / "notebooks"
    ignore = shutil.ignore_patterns("work", "my_*", ".ipynb_checkpoints", "__pycache__")
    if (repo / "notebooks").is_dir():
        shutil.copytree(repo / "notebooks", served, ignore=ignore)
    served.mkdir(parents=True, exist_ok=True)
    if (repo / "datasets").is_dir():
        shutil.copytree(repo / "datasets", dest / "datasets", ignore=ignore)
    for notebook in extra_notebooks:
        target = served / "browser_fixture" / notebook.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(notebook, target)
    return served


def strip_outputs(path: Path) -> None:
    """Remove stored outputs and counts, so every prompt on screen comes from this run."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.write(notebook, path)


def append_code_cell(path: Path, source: str) -> None:
    """Append a code cell (used to probe the kernel at the end of a lesson's copy)."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, path)


@dataclass(frozen=True)
class CellExpectation:
    """What the stored notebook promises for one code cell, in code-cell order."""

    runs: bool  # non-empty source; JupyterLab leaves an empty cell's prompt blank
    image: bool
    widget: bool
    may_raise: bool  # nbval's "raises-exception" tag: an error here is part of the lesson


def expectations(path: Path) -> list[CellExpectation]:
    """Read, from a notebook's stored outputs, which code cells must show a plot or a widget."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        mimes = {mime for output in cell.get("outputs", []) for mime in output.get("data", {})}
        found.append(CellExpectation(
            runs=bool(cell.source.strip()),
            image=any(mime.startswith("image/") for mime in mimes),
            widget=WIDGET_MIME in mimes,
            may_raise="raises-exception" in cell.get("metadata", {}).get("tags", []),
        ))
    return found


@dataclass
class LabServer:
    """``jupyter lab`` on localhost with a random token, serving ``root_dir``."""

    root_dir: Path
    state_dir: Path
    env_overrides: dict[str, str] = field(default_factory=dict)
    port: int = 0
    token: str = ""
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> LabServer:
        self.port = free_port()
        self.token = secrets.token_hex(16)
        settings = self.state_dir / "user-settings"
        for relative, values in LAB_SETTINGS.items():
            target = settings / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}  # Agg hides inline plots
        env.update({
            "JUPYTER_CONFIG_DIR": str(self.state_dir / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.state_dir / "runtime"),
            "IPYTHONDIR": str(self.state_dir / "ipython"),
            **self.env_overrides,
        })
        command = [
            str(JUPYTER), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
            f"--port={self.port}", "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={self.state_dir / 'workspaces'}",
        ]
        log = (self.state_dir / "server.log").open("wb")
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early; see {self.state_dir / 'server.log'}")
            try:
                self.api("GET", "/api/status")
                return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"jupyter lab did not answer within {timeout:.0f} s; see {self.state_dir / 'server.log'}")

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            self.base_url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session, so lessons never share a kernel and memory stays flat."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def notebook_url(self, relative: str) -> str:
        # ?reset: start from an empty layout instead of reopening the previous lesson's tab.
        return f"{self.base_url}/lab/tree/{relative}?reset&token={self.token}"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


_STATE_JS = """
(panelSelector) => {
  const panel = document.querySelector(panelSelector);
  if (!panel) return null;
  const prompts = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
    .map(e => e.textContent.trim());
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return {prompts, status: indicator ? indicator.dataset.status : null};
}
"""


def open_notebook(page, url: str, timeout_ms: int) -> None:
    """Load JupyterLab on one notebook and wait until its kernel is idle."""
    page.goto(url)
    page.wait_for_selector(f"{ACTIVE_PANEL} .jp-Notebook .jp-Cell", timeout=timeout_ms)
    page.wait_for_function(
        f"() => document.querySelector('{ACTIVE_PANEL} .jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'",
        timeout=timeout_ms,
    )
    page.keyboard.press("Escape")  # command mode, so the shortcut below reaches the application
    page.keyboard.press("Control+b")  # fold the file browser: more notebook in the screenshot


def kernel_ready(server: "LabServer", timeout_s: float) -> bool:
    """Wait until the server has a session whose kernel is idle (started and connected)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        sessions = server.api("GET", "/api/sessions")
        if sessions and all(s["kernel"]["execution_state"] == "idle" for s in sessions):
            return True
        time.sleep(0.25)
    return False


def restart_and_run_all(page, expected: list[CellExpectation], timeout_ms: int,
                        server: "LabServer | None" = None) -> list[str]:
    """Run → Restart Kernel and Run All Cells…, accept the dialog, wait until every cell ran.

    Returns the prompts of the code cells (``[3]:`` …) once the kernel is idle again.
    """
    # A restart requested while the kernel is still starting is dropped without a word (seen
    # about one run in three on a loaded machine): first wait for an idle kernel on the server,
    # then ask again, waiting longer each time, when nothing has happened.
    for wait_ms in (15_000, 30_000, 60_000):
        if server is not None:
            kernel_ready(server, timeout_ms / 1000)
        page.click(f'{ACTIVE_PANEL} .jp-NotebookPanel-toolbar [data-command="notebook:restart-run-all"]')
        page.click(".jp-Dialog .jp-mod-accept", timeout=timeout_ms)
        try:
            page.wait_for_function(_STARTED_JS, arg=ACTIVE_PANEL, timeout=wait_ms)
            break
        except PlaywrightTimeout:
            continue
    runnable = [i for i, cell in enumerate(expected) if cell.runs]
    deadline = time.monotonic() + timeout_ms / 1000
    state, stalled_since = None, None
    while time.monotonic() < deadline:
        state = page.evaluate(_STATE_JS, ACTIVE_PANEL)
        settled = (state and state["status"] == "idle" and len(state["prompts"]) == len(expected)
                   and not any("*" in prompt for prompt in state["prompts"]))
        if settled:
            ran = [i for i in runnable if re.fullmatch(r"\[\d+\]:", state["prompts"][i])]
            if len(ran) == len(runnable):
                return state["prompts"]
            # Run-all stops at a cell that raised: once the page stays idle, the run is over.
            if ran:
                stalled_since = stalled_since or time.monotonic()
                if time.monotonic() - stalled_since > 3:
                    return state["prompts"]
        else:
            stalled_since = None
        page.wait_for_timeout(250)
    raise TimeoutError(f"cells still running after {timeout_ms / 1000:.0f} s: {state}")


_STARTED_JS = """
(panelSelector) => {
  const panel = document.querySelector(panelSelector);
  const prompts = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
  // A slow restart shows as a status other than idle; a dropped one leaves everything as it was.
  return status !== 'idle' || prompts.some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent));
}
"""


_CELLS_JS = """
(panelSelector) => {
  const panel = document.querySelector(panelSelector);
  return [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(cell => {
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
    const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    return {
      stderr: outputs.filter(o => o.dataset.mimeType === 'application/vnd.jupyter.stderr').map(o => o.innerText),
      text: outputs.map(o => o.innerText).join('\\n'),
      images: [...cell.querySelectorAll('.jp-OutputArea-output img')]
        .map(img => img.complete && img.naturalWidth > 0),
      widgets: [...cell.querySelectorAll('.jp-OutputArea-output .jupyter-widgets, .jp-OutputArea-output [class*="widget-"]')]
        .filter(visible).length,
    };
  });
}
"""


def wait_for_rich_outputs(page, expected: list[CellExpectation], timeout_ms: int) -> None:
    """Give widget views and images a moment to render after the kernel went idle."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        cells = page.evaluate(_CELLS_JS, ACTIVE_PANEL)
        if all((not want.image or any(got["images"])) and (not want.widget or got["widgets"])
               for want, got in zip(expected, cells)):
            return
        page.wait_for_timeout(250)


def problems_on_page(page, expected: list[CellExpectation]) -> list[str]:
    """Everything a student would see go wrong, one line per problem (empty when all is well)."""
    cells = page.evaluate(_CELLS_JS, ACTIVE_PANEL)
    if len(cells) != len(expected):
        return [f"page shows {len(cells)} code cells, the notebook has {len(expected)}"]
    found = []
    for number, (want, got) in enumerate(zip(expected, cells), start=1):
        where = f"code cell {number}"
        errors = [text for text in got["stderr"] if "Error" in text or "Traceback" in text]
        if errors and not want.may_raise:
            found.append(f"{where}: error output: {errors[0].strip().splitlines()[-1][:300]}")
        if "Error displaying widget" in got["text"]:
            found.append(f"{where}: 'Error displaying widget'")
        if "missing from font" in got["text"]:
            found.append(f"{where}: matplotlib drew glyphs its font lacks (empty boxes)")
        if want.image and not any(got["images"]):
            found.append(f"{where}: the stored notebook has a plot here, the page shows no loaded <img>")
        if not all(got["images"]):
            found.append(f"{where}: an <img> did not load")
        if want.widget and not got["widgets"]:
            found.append(f"{where}: the stored notebook has a widget here, the page renders none")
    return found


def cell_text(page, code_cell_index: int) -> str:
    """The text of one code cell's outputs (index in code-cell order; negative counts from the end)."""
    cells = page.evaluate(_CELLS_JS, ACTIVE_PANEL)
    return cells[code_cell_index]["text"]


def screenshot_notebook(page, path: Path, max_height: int = 16000) -> None:
    """Save the whole notebook, not just the visible part: grow the window to the notebook's height."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "(sel) => document.querySelector(sel + ' .jp-WindowedPanel-outer')?.scrollHeight ?? 0", ACTIVE_PANEL
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(max_height, max(VIEWPORT["height"], height + 160))})
    page.wait_for_timeout(400)  # let the layout settle at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)
