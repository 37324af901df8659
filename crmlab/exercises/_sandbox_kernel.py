"""Start an IPython kernel for grading under resource limits (used by :mod:`crmlab.exercises.grade`).

``python -m crmlab.exercises._sandbox_kernel --memory-mb 1024 --cpu-seconds 300 --preload 04 -f CONNECTION_FILE``

The grader starts this inside bubblewrap (see :func:`crmlab.exercises._runner.sandbox_argv`), as an
unprivileged user of its own, in its own PID, mount, IPC and network namespaces. The limits are
set in this process before ipykernel is imported, so everything the student's code does (and
every child process it starts) inherits them:

- ``RLIMIT_AS``: address space, so a memory bomb ends in ``MemoryError`` or a dead kernel;
- ``RLIMIT_CPU``: CPU seconds, so a busy loop that ignores interrupts is killed (SIGXCPU);
- ``RLIMIT_FSIZE``: the largest file it may write; ``RLIMIT_CORE`` = 0: no core dumps;
- ``RLIMIT_NPROC``: processes and threads of this kernel's user (each kernel has its own user
  in sandbox mode, so a fork bomb cannot starve a classmate's kernel);
- ``RLIMIT_NOFILE``: open files.

Then the libraries every lesson uses are imported (``--preload``) so a kernel started ahead of
time is ready to run cells at once, and the connection file (which holds the key that signs
messages to this kernel) is deleted as soon as the kernel has read it.
"""
from __future__ import annotations

import argparse
import os
import resource

MB = 1024 * 1024


def apply_limits(memory_mb: int, cpu_seconds: int, file_mb: int, processes: int = 0) -> None:
    """Lower this process's resource limits (they can never be raised again by the student)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    # The soft CPU limit sends SIGXCPU; the hard one a second later is SIGKILL if that was caught.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * MB, file_mb * MB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    if processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


def preload(lesson: str | None) -> None:
    """Import what the lessons use, so the first cell does not pay for it (errors are left to the cells)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import numpy  # noqa: F401
        import pandas  # noqa: F401
        import matplotlib.pyplot  # noqa: F401
        import crmlab  # noqa: F401
        from crmlab.exercises import lesson as load_lesson
        if lesson:
            load_lesson(lesson)
    except Exception:  # the student's own cells will meet (and report) the same error
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--file-mb", type=int, default=64)
    parser.add_argument("--processes", type=int, default=0)
    parser.add_argument("--preload", default="")
    parser.add_argument("--sandboxed", action="store_true",
                        help="in bubblewrap: the grader is outside this PID namespace, so do not poll for it "
                             "(--die-with-parent ends the kernel when the grader goes)")
    parser.add_argument("-f", dest="connection_file", required=True)
    args, rest = parser.parse_known_args(argv)
    apply_limits(args.memory_mb, args.cpu_seconds, args.file_mb, args.processes)
    if args.sandboxed:
        os.environ.pop("JPY_PARENT_PID", None)
    preload(args.preload)

    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(["-f", args.connection_file, *rest])
    os.unlink(app.abs_connection_file)
    app.start()


if __name__ == "__main__":
    main()
