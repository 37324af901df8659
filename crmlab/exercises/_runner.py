"""Run one submission in a sandboxed kernel and collect each answer's *value* right after its answer cell.

The plan (:func:`plan_cells`) is the submission's code cells in the student's order, with a
hidden cell after each question's answer cell. The hidden cell only writes the value of the
answer variable, in the data-only format of :mod:`crmlab.exercises._values` (JSON, size-capped),
to a file in the kernel's scratch folder; the grader reads it and compares in its own trusted
processes (:mod:`crmlab.exercises.grade`). Nothing the kernel prints, returns or patches takes
part in the comparison, so it can only hand over a value: that is answering.

Each kernel runs under bubblewrap (:func:`sandbox_argv`): its own PID, mount, IPC, UTS and
network namespaces, a user of its own, everything read-only except its scratch folder, no view
of other processes; it talks to the grader over Jupyter's IPC transport (Unix sockets in the
scratch folder). Timeouts live in the grader, which the kernel cannot see or signal. Kernels are
started one submission ahead per worker slot (each used for one student, then destroyed).
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import zmq
import zmq.asyncio
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, DeadKernelError
from nbformat import NotebookNode

from crmlab.exercises import _values
from crmlab.exercises._notebook import ANSWER_PREFIX, CHECK_PREFIX, assigns, has_stub_comment, stub_line, tagged_ids
from crmlab.exercises.core import CORRECT, ERROR, INCORRECT, NOT_ATTEMPTED, Exercises
from crmlab.i18n import tr

TIMED_OUT = "CrmlabCellTimeout"
# Statuses a grading run adds to the four of crmlab.exercises.core.
TIMEOUT, KERNEL_DIED, GRADER_ERROR, INVALID = "timeout", "kernel died", "grader error", "invalid notebook"
FAILURES = (TIMEOUT, KERNEL_DIED, GRADER_ERROR, INVALID, ERROR)


@dataclass(frozen=True)
class Limits:
    """What one submission may use: seconds per cell and per notebook, memory, output per cell."""
    timeout_cell: float = 30
    timeout_notebook: float = 300
    memory_mb: int = 1024
    output_cap_kb: int = 512
    answer_cap_kb: int = 16384  # the largest answer (as JSON) a kernel may hand over


@dataclass
class Outcome:
    """The grade of one question for one submission."""
    question: str
    status: str
    points: float
    max_points: float
    message: str


@dataclass
class PlannedCell:
    source: str
    kind: str  # "student", "stub" (re-inserted answer cell) or "grade"
    position: int | None = None  # index of the cell in the submission
    questions: tuple[str, ...] = ()  # for answer cells and grade cells
    nonce: str = ""


@dataclass
class RunRecord:
    """What happened while running one submission."""
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    answers: dict[str, object] = field(default_factory=dict)  # question -> decoded value, or _Unread
    trouble: dict[str, tuple[bool, str]] = field(default_factory=dict)  # question -> (timed out, what happened)


def find_answer_cells(nb: NotebookNode, exercises: Exercises) -> tuple[dict[str, int], list[str]]:
    """The position of each question's answer cell in ``nb``, and notes on how each was found.

    By tag ``answer:<qid>`` (the last such code cell, if the student duplicated it); else the last
    code cell that assigns the question's variable next to the stub comment; else the last code
    cell that assigns the variable at its top level. Questions not found are left out.
    """
    code = [(i, c) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
    found: dict[str, int] = {}
    notes: list[str] = []
    for question in exercises:
        tagged = [i for i, c in code if question.id in tagged_ids(c, ANSWER_PREFIX)]
        if tagged:
            found[question.id] = tagged[-1]
            if len(tagged) > 1:
                notes.append(tr(f"{question.id}: {len(tagged)} answer cells; graded after the last one.",
                                f"{question.id}：有 {len(tagged)} 个答案单元格，按最后一个评分。"))
            continue
        assigning = [i for i, c in code if assigns(c.source, question.variable)]
        with_stub = [i for i in assigning if has_stub_comment(nb.cells[i].source)]
        if with_stub or assigning:
            found[question.id] = (with_stub or assigning)[-1]
            notes.append(tr(f"{question.id}: the answer cell lost its tag; found it by its content.",
                            f"{question.id}：答案单元格的标签丢失，已按内容找到。"))
    return found, notes


def _stub_source(question_id: str, variable: str, source_nb: NotebookNode | None) -> str:
    if source_nb is not None:
        from crmlab.exercises.assign import strip_solutions

        for cell in strip_solutions(source_nb).cells:
            if cell.cell_type == "code" and question_id in tagged_ids(cell, ANSWER_PREFIX):
                return cell.source
    return stub_line(variable)


def plan_cells(nb: NotebookNode, exercises: Exercises, source_nb: NotebookNode | None = None
               ) -> tuple[list[PlannedCell], list[str]]:
    """The cells to run for submission ``nb``: its code cells, re-inserted stubs, and grading cells."""
    found, notes = find_answer_cells(nb, exercises)
    answers_at: dict[int, list[str]] = {}
    for qid, position in found.items():
        answers_at.setdefault(position, []).append(qid)
    inserts: dict[float, list[str]] = {}  # fractional positions sort a stub between two cells
    order = [q.id for q in exercises]
    for k, question in enumerate(exercises):
        if question.id in found:
            continue
        checks = [i for i, c in enumerate(nb.cells) if question.id in tagged_ids(c, CHECK_PREFIX)]
        earlier = [found[q] for q in order[:k] if q in found]
        later = [found[q] for q in order[k + 1:] if q in found]
        if checks:
            where = checks[0] - 0.5
        elif earlier:
            where = max(earlier) + 0.5
        elif later:
            where = min(later) - 0.5
        else:
            where = len(nb.cells) + 0.5
        inserts.setdefault(where, []).append(question.id)
        notes.append(tr(f"{question.id}: answer cell not found (deleted?); its stub was put back.",
                        f"{question.id}：未找到答案单元格（被删除？），已放回占位单元格。"))

    plan: list[PlannedCell] = []
    items = [(float(i), "cell", i) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
    items += [(where, "stub", where) for where in inserts]
    for _, kind, key in sorted(items, key=lambda item: item[0]):
        if kind == "cell":
            plan.append(PlannedCell(nb.cells[key].source, "student", key, tuple(answers_at.get(key, ()))))
            graded = answers_at.get(key, [])
        else:
            graded = inserts[key]
            for qid in graded:
                question = exercises.questions[qid.split(".", 1)[-1]]
                plan.append(PlannedCell(_stub_source(qid, question.variable, source_nb), "stub", None, (qid,)))
        for qid in sorted(graded, key=order.index):
            plan.append(PlannedCell("", "grade", None, (qid,), secrets.token_hex(16)))
    return plan, notes



GRADING_ENV = "CRMLAB_GRADING"  # crmlab.exercises.core refuses expected()/solution() when it is set
MESSAGE_CAP = 2 * 1024 * 1024  # one kernel message, bytes: larger ones are dropped by ZeroMQ
MESSAGE_QUEUE = 32  # messages queued per socket before the kernel's side drops them
MESSAGE_WEIGHT = 256  # every output message counts at least this much towards the output cap


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here."""


@dataclass
class Sandbox:
    """How kernels are isolated: bubblewrap (``bwrap``) with a user per kernel, or nothing (``enabled=False``)."""
    enabled: bool = True
    bwrap: str = ""
    uids: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def create(cls, enabled: bool, slots: int) -> "Sandbox":
        if not enabled:
            return cls(False)
        bwrap = shutil.which("bwrap") or ""
        if not bwrap:
            raise SandboxUnavailable(tr(
                "bubblewrap (bwrap) is not installed, so submissions cannot be run in a sandbox. Install it "
                "(Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) or, only for "
                "students you trust, pass --no-sandbox (see docs/grading.md for what is then unprotected).",
                "未安装 bubblewrap（bwrap），无法在沙箱中运行作业。请安装它（Debian/Ubuntu：apt-get install "
                "bubblewrap；Fedora：dnf install bubblewrap）；仅在信任学生时才可传入 --no-sandbox（不受保护的内容见 "
                "docs/grading.md）。"))
        # A user of its own for every live kernel (two per slot: the running one and the next one).
        base = 200_000 + secrets.randbelow(1 << 20) * 64
        return cls(True, bwrap, list(range(base, base + 2 * slots + 2)))

    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    def take_uid(self) -> int:
        with self._lock:
            return self.uids.pop(0)

    def give_uid(self, uid: int) -> None:
        _kill_user(uid)
        with self._lock:
            self.uids.append(uid)


def _kill_user(uid: int) -> int:
    """SIGKILL every process of sandbox user ``uid`` that is still alive (normally none: the namespace ended)."""
    if uid <= 0 or os.geteuid() != 0:
        return 0
    killed = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.stat(entry.path).st_uid == uid:
                os.kill(int(entry.name), signal.SIGKILL)
                killed += 1
        except OSError:
            continue
    return killed


def _package_paths() -> list[Path]:
    """What a kernel must read: the Python install, the venv, crmlab and its committed datasets."""
    import crmlab

    package = Path(crmlab.__file__).resolve().parent
    paths = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), package,
             package.parent / "datasets"]
    return [p for p in dict.fromkeys(paths) if p.exists()]


def sandbox_argv(inner: list[str], writable: list[Path], sandbox: Sandbox, uid: int, workdir: Path) -> list[str]:
    """The bubblewrap command line that runs ``inner`` in a fresh sandbox (see the module docstring)."""
    args = [sandbox.bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc",
            "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "crmlab-sandbox"]
    if not sandbox.as_root:  # an unprivileged grader: a user namespace maps it to an anonymous user
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
    for system in ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc/ld.so.cache", "/etc/localtime",
                   "/etc/alternatives", "/etc/fonts", "/etc/mime.types"):
        args += ["--ro-bind-try", system, system]
    parents = sorted({str(a) for p in [*_package_paths(), *writable] for a in p.parents if str(a) != "/"},
                     key=lambda a: a.count("/"))
    for parent in parents:  # folders on the way to each bound path are traversable by the sandbox's user
        args += ["--perms", "0755", "--dir", parent]
    for path in _package_paths():
        args += ["--ro-bind", str(path), str(path)]
    import crmlab

    hidden_sources = Path(crmlab.__file__).resolve().parent / "lessons" / "source"
    if hidden_sources.is_dir():  # lesson sources hold the solutions: not for the student's kernel
        args += ["--tmpfs", str(hidden_sources)]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    args += ["--chdir", str(workdir), "--"]
    if sandbox.as_root:
        args += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                 "--inh-caps=-all", "--bounding-set=-all"]
    return args + inner


class _Manager(AsyncKernelManager):
    """A kernel manager whose connection file the sandbox user can read (then the kernel deletes it)."""
    owner: int = -1

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if self.owner > 0:
            os.chown(self.connection_file, self.owner, self.owner)


class _Client(NotebookClient):
    """nbclient that keeps no output: every message of a cell counts towards its output cap, then is dropped.

    Widget (comm) messages, ``clear_output`` and display updates are dropped too, so a flood of
    them costs the grader nothing but the time to read them; the sockets below it cap each
    message's size and how many wait in the queue.
    """

    def __init__(self, nb: NotebookNode, km: AsyncKernelManager, cap_bytes: int, **kw):
        super().__init__(nb, km=km, **kw)
        self.cap_bytes = cap_bytes
        self.cell_bytes = 0
        self.capped_cells: set[int] = set()
        self.last_reply: dict = {}
        self.on_cell_executed = self._remember_reply

    def _remember_reply(self, cell: NotebookNode, cell_index: int, execute_reply: dict) -> None:
        self.last_reply = execute_reply or {}

    def process_message(self, msg, cell, cell_index):
        msg_type = msg.get("msg_type")
        content = msg.get("content") or {}
        if msg_type == "status":
            if content.get("execution_state") == "idle":
                raise CellExecutionComplete()
            return None
        if msg_type in ("execute_input", "execute_reply"):
            return None
        size = MESSAGE_WEIGHT + len(str(content.get("text", "")))
        data = content.get("data")
        if isinstance(data, dict):
            size += sum(len(str(v)) for v in data.values())
        self.cell_bytes += size
        if self.cell_bytes > self.cap_bytes and cell_index not in self.capped_cells:
            self.capped_cells.add(cell_index)
            asyncio.ensure_future(self.km.interrupt_kernel())
        return None


def extract_source(variable: str, path: Path, cap_bytes: int, nonce: str) -> str:
    """The hidden cell: write the value of ``variable`` to ``path`` in the data-only format, nothing else.

    It runs with the real builtins in a namespace of its own, so a student's ``list = …`` cannot
    break it; whatever else the student changed can only change the value handed over.
    """
    body = (f"import importlib\n"
            f"answer = user_ns.get({variable!r}, Ellipsis)\n"
            f"importlib.import_module('crmlab.exercises._values').dump(answer, {str(path)!r}, {cap_bytes})\n")
    alias = f"_crmlab_b_{nonce}"
    return (f"import builtins as {alias}\n"
            f"{alias}.exec({body!r}, {{'__builtins__': {alias}, "
            f"'user_ns': {alias}.__import__('sys')._getframe(0).f_globals}})\n"
            f"del {alias}\n")


@dataclass
class Unread:
    """An answer the grader could not take from the kernel: why, and the status it earns."""
    status: str
    message: str


def read_answer(path: Path, cap_bytes: int) -> object:
    """The decoded answer in ``path``, or :class:`Unread`."""
    try:
        return _values.load(str(path), cap_bytes)
    except FileNotFoundError:
        return Unread(GRADER_ERROR, tr("the grading cell handed over no answer (the kernel was tampered with?)",
                                       "评分单元格没有交出答案（内核被篡改？）"))
    except _values.TooLarge:
        return Unread(INCORRECT, tr(f"the answer is larger than {cap_bytes // 1024} KB; the grader did not read it.",
                                    f"答案超过 {cap_bytes // 1024} KB，评分程序没有读取。"))
    except (_values.Malformed, OSError) as exc:
        return Unread(GRADER_ERROR, tr(f"the answer handed over could not be read ({exc})",
                                       f"交出的答案无法读取（{exc}）"))
    finally:
        try:
            path.unlink()
        except OSError:
            pass


def _kernel_env(home: Path, student_id: str, language: str) -> dict[str, str]:
    """The whole environment of a grading kernel: nothing of the instructor's is passed on."""
    bin_dir = str(Path(sys.executable).parent)
    import crmlab

    # The kernel imports the crmlab this grader runs (an editable or PYTHONPATH checkout included).
    package_root = str(Path(crmlab.__file__).resolve().parent.parent)
    single_thread = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "TMPDIR": str(home),
            "CRMLAB_STUDENT_ID": student_id, "CRMLAB_LANGUAGE": language, "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": str(home / ".matplotlib"), GRADING_ENV: "1",
            "PYTHONDONTWRITEBYTECODE": "1", "MALLOC_ARENA_MAX": "2", "PYTHONPATH": package_root, **single_thread}


@dataclass
class Job:
    """One submission to run: its plan, whose world it runs on, and what came of it."""
    plan: list[PlannedCell]
    student_id: str
    language: str
    notebook_name: str
    notebook_text: str
    record: RunRecord
    slot: int = -1  # the worker slot that runs it (set by run_jobs before ``started`` is called)


@dataclass
class _Kernel:
    scratch: Path
    workdir: Path
    private: Path
    answers: Path
    km: _Manager
    context: zmq.asyncio.Context
    stderr: object
    uid: int = 0
    kc: object = None
    error: str = ""
    started_at: float = 0.0


def _mpl_cache() -> Path | None:
    """A matplotlib font cache built once per grader process, copied into each kernel's home."""
    global _MPL
    with _MPL_LOCK:
        if _MPL is None:
            folder = Path(tempfile.mkdtemp(prefix="crmlab-mplcache-"))
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env={
                **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG")}, "MPLCONFIGDIR": str(folder)},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
            _MPL = folder
        return _MPL


_MPL: Path | None = None
_MPL_LOCK = threading.Lock()


async def start_kernel(job: Job, limits: Limits, sandbox: Sandbox, lesson: str) -> _Kernel:
    """Start (and wait for) a fresh kernel for ``job``; start-up failures are kept in ``error``."""
    scratch = Path(tempfile.mkdtemp(prefix="crmlab-grade-"))
    workdir, private, answers = scratch / "work", scratch / "kernel", scratch / "answers"
    uid = sandbox.take_uid() if sandbox.enabled and sandbox.as_root else 0
    for folder in (workdir, private, answers):
        folder.mkdir(mode=0o700)
        if uid:
            os.chown(folder, uid, uid)
    (workdir / job.notebook_name).write_text(job.notebook_text, encoding="utf-8")
    cache = _mpl_cache()
    if cache is not None:
        shutil.copytree(cache, workdir / ".matplotlib", dirs_exist_ok=True)
    if uid:
        for path in [workdir / job.notebook_name, *(workdir / ".matplotlib").rglob("*"), workdir / ".matplotlib"]:
            if path.exists():
                os.chown(path, uid, uid)
    context = zmq.asyncio.Context()
    context.setsockopt(zmq.MAXMSGSIZE, max(MESSAGE_CAP, 2 * limits.output_cap_kb * 1024))
    context.setsockopt(zmq.RCVHWM, MESSAGE_QUEUE)
    context.setsockopt(zmq.LINGER, 0)
    km = _Manager(transport="ipc", ip=str(private / "ipc"), connection_file=str(private / "kernel.json"),
                  context=context)
    km.owner = uid
    cpu_seconds = int(limits.timeout_notebook) + 5
    inner = [sys.executable, "-m", "crmlab.exercises._sandbox_kernel", "--memory-mb", str(limits.memory_mb),
             "--cpu-seconds", str(cpu_seconds), "--preload", lesson,
             "--processes", "256" if uid else "0", *(["--sandboxed"] if sandbox.enabled else []),
             "-f", "{connection_file}"]
    argv = sandbox_argv(inner, [workdir, private, answers], sandbox, uid, workdir) if sandbox.enabled else inner
    km._kernel_spec = KernelSpec(argv=argv, display_name="crmlab grading sandbox", language="python",
                                 interrupt_mode="message")
    stderr = open(private.parent / "stderr.txt", "wb")
    kernel = _Kernel(scratch, workdir, private, answers, km, context, stderr, uid)
    try:
        await km.start_kernel(env=_kernel_env(workdir, job.student_id, job.language), cwd=str(workdir),
                              stdout=subprocess.DEVNULL, stderr=stderr)
        kernel.kc = km.client()
        kernel.kc.start_channels()
        await kernel.kc.wait_for_ready(timeout=90)
        kernel.kc.allow_stdin = False
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, it is that student's failure, recorded
        last_words = _last_words(private.parent / "stderr.txt")
        kernel.error = tr(f"the kernel did not start ({type(exc).__name__}; is the {limits.memory_mb} MB memory "
                          "cap too low?)", f"内核未能启动（{type(exc).__name__}；{limits.memory_mb} MB 内存上限是否太低？）")
        if last_words:
            kernel.error += tr(f" (its last message: {last_words})", f"（最后的输出：{last_words}）")
    kernel.started_at = time.monotonic()
    return kernel


async def stop_kernel(kernel: _Kernel, sandbox: Sandbox) -> None:
    """Kill the kernel (its whole sandbox goes with it), close the sockets, delete the scratch folder."""
    try:
        if kernel.kc is not None:
            kernel.kc.stop_channels()
        if kernel.km.has_kernel:
            await kernel.km.shutdown_kernel(now=True)
        await kernel.km.cleanup_resources()
    except Exception:  # noqa: BLE001 - the process is killed below regardless
        process = getattr(kernel.km.provisioner, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    finally:
        kernel.context.destroy(linger=0)
        kernel.stderr.close()
        if kernel.uid:
            sandbox.give_uid(kernel.uid)
        shutil.rmtree(kernel.scratch, ignore_errors=True)


class _OutOfTime(Exception):
    """The notebook's time is up before its last cell."""


def _last_words(stderr_path: Path) -> str:
    """The last line the kernel wrote to stderr before dying (often names the crash), or ''."""
    try:
        with open(stderr_path, "rb") as handle:
            handle.seek(max(0, stderr_path.stat().st_size - 2000))
            tail = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    lines = [line.strip() for line in tail.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def _death_cause(km: AsyncKernelManager, limits: Limits, watchdog_fired: bool, sandboxed: bool) -> str:
    if watchdog_fired:
        return tr(f"the notebook ran longer than its {limits.timeout_notebook:g} s limit and was stopped",
                  f"整个 notebook 运行超过 {limits.timeout_notebook:g} 秒上限，已被终止")
    process = getattr(km.provisioner, "process", None)
    code = process.poll() if process is not None else None
    if code is None:
        return tr("the kernel stopped answering", "内核停止响应")
    if sandboxed and code > 128:  # bubblewrap reports a child killed by signal N as 128 + N
        code = -(code - 128)
    if code < 0:
        sig = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        if sig == "SIGXCPU":
            return tr("the kernel used up its CPU time limit", "内核用完了 CPU 时间上限")
        return tr(f"the kernel was killed by {sig} (a crash, or the {limits.memory_mb} MB memory cap)",
                  f"内核被 {sig} 终止（崩溃，或超过 {limits.memory_mb} MB 内存上限）")
    return tr(f"the kernel exited with code {code} (os._exit or sys.exit in a cell?)",
              f"内核以退出码 {code} 结束（单元格中调用了 os._exit 或 sys.exit？）")


def _all_failed(job: Job, exercises: Exercises, status: str, message: str) -> None:
    for question in exercises:
        if question.id not in job.record.outcomes and question.id not in job.record.answers:
            job.record.outcomes[question.id] = Outcome(question.id, status, 0.0, question.points, message)


async def run_cells(kernel: _Kernel, job: Job, exercises: Exercises, limits: Limits, sandbox: Sandbox) -> None:
    """Run ``job``'s plan on a started kernel; answers and failures go into ``job.record``."""
    record, plan = job.record, job.plan
    if kernel.error:
        record.notes.append(kernel.error)
        _all_failed(job, exercises, KERNEL_DIED, kernel.error)
        return
    cells = [nbformat.v4.new_code_cell(p.source) for p in plan]
    client = _Client(nbformat.v4.new_notebook(cells=cells), kernel.km, limits.output_cap_kb * 1024,
                     allow_errors=True, interrupt_on_timeout=True,
                     error_on_timeout={"ename": TIMED_OUT, "evalue": "", "traceback": []},
                     startup_timeout=60, iopub_timeout=4, record_timing=False, kernel_name="python3")
    client.kc = kernel.kc
    deadline = time.monotonic() + limits.timeout_notebook
    client.timeout_func = lambda cell: max(1, int(min(limits.timeout_cell, deadline - time.monotonic()) + 0.999))
    questions = {q.id: q for q in exercises}
    cap = limits.answer_cap_kb * 1024
    watchdog = {"fired": False}

    async def kill_at_deadline() -> None:
        await asyncio.sleep(max(0.0, deadline - time.monotonic()) + 2)
        watchdog["fired"] = True
        await kernel.km.provisioner.kill()  # SIGKILL to bubblewrap: the namespace and all in it end

    index = 0
    guard = asyncio.ensure_future(kill_at_deadline())
    try:
        for index, planned in enumerate(plan):
            if time.monotonic() > deadline:
                watchdog["fired"] = True
                raise _OutOfTime
            if planned.kind == "grade":
                qid = planned.questions[0]
                path = kernel.answers / f"{planned.nonce}.json"
                cell = client.nb.cells[index]
                cell.source = extract_source(questions[qid].variable, path, cap, planned.nonce)
                client.cell_bytes = 0
                await client.async_execute_cell(cell, index, store_history=False)
                record.answers[qid] = read_answer(path, cap)
                cell.source = ""  # the nonce dies with the cell
                continue
            client.cell_bytes = 0
            client.last_reply = {}
            await client.async_execute_cell(client.nb.cells[index], index)
            _note_cell(client, planned, index, limits, record, record.trouble)
    except (DeadKernelError, _OutOfTime, RuntimeError) as exc:
        if isinstance(exc, RuntimeError) and not isinstance(exc, DeadKernelError) and \
                kernel.km.provisioner is not None and await kernel.km.is_alive() and not watchdog["fired"]:
            raise
        await asyncio.sleep(0.2)  # let the process's exit status arrive
        cause = _death_cause(kernel.km, limits, watchdog["fired"], sandbox.enabled)
        last_words = _last_words(kernel.scratch / "stderr.txt")
        if last_words and not watchdog["fired"]:
            cause += tr(f" (its last message: {last_words})", f"（最后的输出：{last_words}）")
        where = plan[index]
        cell_name = (tr(f"cell {where.position + 1}", f"第 {where.position + 1} 个单元格")
                     if where.position is not None else tr("a grading cell", "评分单元格"))
        record.notes.append(tr(f"While running {cell_name}, {cause}.", f"运行{cell_name}时，{cause}。"))
        _all_failed(job, exercises, TIMEOUT if watchdog["fired"] else KERNEL_DIED, tr(
            f"Not graded: {cause} before this question was reached.", f"未评分：在到达本题之前，{cause}。"))
    finally:
        guard.cancel()


def _note_cell(client: _Client, planned: PlannedCell, index: int, limits: Limits, record: RunRecord,
               answer_trouble: dict[str, tuple[bool, str]]) -> None:
    """Turn a student cell's reply into notes, and remember trouble in answer cells for their grade."""
    where = (tr(f"Cell {planned.position + 1}", f"第 {planned.position + 1} 个单元格") if planned.position is not None
             else tr("A re-inserted answer cell", "放回的答案单元格"))
    content = client.last_reply.get("content", {})
    problem, timed_out = None, False
    if index in client.capped_cells:
        problem = tr(f"{where} printed more than {limits.output_cap_kb} KB and was stopped.",
                     f"{where}输出超过 {limits.output_cap_kb} KB，已被中止。")
    elif content.get("status") == "error" and content.get("ename") == TIMED_OUT:
        problem = tr(f"{where} ran longer than {limits.timeout_cell:g} s and was stopped.",
                     f"{where}运行超过 {limits.timeout_cell:g} 秒，已被中止。")
        timed_out = True
    elif content.get("status") == "error":
        ename, evalue = str(content.get("ename", "Error"))[:80], str(content.get("evalue", ""))[:200]
        extra = (tr(f" (the memory cap is {limits.memory_mb} MB)", f"（内存上限为 {limits.memory_mb} MB）")
                 if ename == "MemoryError" else "")
        problem = tr(f"{where} raised {ename}: {evalue}{extra}.", f"{where}出错 {ename}: {evalue}{extra}。")
    if problem is None:
        return
    record.notes.append(problem)
    for qid in planned.questions:
        answer_trouble[qid] = (timed_out, problem)


Progress = Callable[[Job], None]


def run_jobs(jobs: list[Job], exercises: Exercises, limits: Limits, sandbox: Sandbox, workers: int,
             finished: Progress, started: Progress | None = None) -> None:
    """Run every job, ``workers`` kernels at a time, each kernel started while the slot's previous job runs.

    Each slot keeps one kernel ready ahead: while submission k runs, the kernel for the slot's next
    submission is started in a fresh sandbox of its own and imports the lesson's libraries
    (``--preload``) before any of that student's code is sent to it. It serves exactly that one
    submission and is then destroyed with its sandbox; no process ever serves two students.

    ``started(job)`` is called (from the slot's thread, ``job.slot`` set) when the job's kernel
    starts, so the trusted reference run for that student can begin at the same time.
    ``finished(job)`` is called from a helper thread as soon as the job's kernel is gone, so the
    slot goes on to its next kernel without waiting for the comparison; ``run_jobs`` returns once
    every ``finished`` call has returned (and re-raises the first exception one raised).
    """
    queue = list(jobs)
    lock = threading.Lock()
    finishing = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="crmlab-grade-finish")
    done: list[Future] = []

    def take(slot_index: int) -> Job | None:
        with lock:
            job = queue.pop(0) if queue else None
        if job is not None:
            job.slot = slot_index
            if started is not None:
                started(job)
        return job

    async def slot(slot_index: int) -> None:
        job = take(slot_index)
        pending = asyncio.ensure_future(start_kernel(job, limits, sandbox, exercises.lesson)) if job else None
        while job is not None:
            start = time.monotonic()
            kernel = await pending
            following = take(slot_index)
            pending = (asyncio.ensure_future(start_kernel(following, limits, sandbox, exercises.lesson))
                       if following is not None else None)
            try:
                await run_cells(kernel, job, exercises, limits, sandbox)
            except Exception as exc:  # noqa: BLE001 - a grading run must survive anything one submission does
                job.record.notes.append(tr(f"The grader could not run this notebook: {type(exc).__name__}: {exc}",
                                           f"评分程序无法运行该 notebook：{type(exc).__name__}: {exc}"))
                _all_failed(job, exercises, GRADER_ERROR, f"{type(exc).__name__}: {exc}")
            finally:
                await stop_kernel(kernel, sandbox)
            job.record.seconds = time.monotonic() - start
            with lock:
                done.append(finishing.submit(finished, job))
            job = following

    threads = [threading.Thread(target=asyncio.run, args=(slot(i),), name=f"crmlab-grade-slot-{i}", daemon=True)
               for i in range(min(workers, len(jobs)))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        finishing.shutdown(wait=True)
    for future in done:
        future.result()


class SlotPools:
    """One single-process worker pool per grading slot, for the trusted reference runs and comparisons.

    A job's reference run is submitted to its slot's pool when the job starts, and its comparison
    to the same pool when its kernel is gone: one process does both, so the comparison finds the
    reference already computed (:func:`crmlab.exercises.reference.reference_run` caches it per
    student) instead of waiting for it. Worker processes are started with ``spawn`` and never run
    student code. A pool whose process died is replaced on the next submit.
    """

    def __init__(self, slots: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._initializer, self._initargs = initializer, initargs
        self._lock = threading.Lock()
        self._pools = [self._new() for _ in range(max(1, slots))]

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, mp_context=self._context, initializer=self._initializer,
                                   initargs=self._initargs)

    def submit(self, slot: int, fn: Callable, /, *args, **kwargs) -> Future:
        """Run ``fn(*args, **kwargs)`` in slot ``slot``'s worker process (a fresh one if it died)."""
        index = slot % len(self._pools)
        with self._lock:
            try:
                return self._pools[index].submit(fn, *args, **kwargs)
            except BrokenProcessPool:
                self._pools[index].shutdown(wait=False, cancel_futures=True)
                self._pools[index] = self._new()
                return self._pools[index].submit(fn, *args, **kwargs)

    def pool(self, slot: int) -> "_SlotPool":
        """An executor-like view of slot ``slot``'s pool (``submit`` only)."""
        return _SlotPool(self, slot)

    def shutdown(self) -> None:
        for pool in self._pools:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "SlotPools":
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


@dataclass
class _SlotPool:
    pools: SlotPools
    slot: int

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        return self.pools.submit(self.slot, fn, *args, **kwargs)
