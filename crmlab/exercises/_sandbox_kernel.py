"""Start an IPython kernel for grading under resource limits (used by :mod:`crmlab.exercises.grade`).

``python -m crmlab.exercises._sandbox_kernel --memory-mb 1024 --cpu-seconds 300 -f CONNECTION_FILE``

The limits are set in this process before ipykernel is imported, so everything the student's
code does (and every child process it starts) inherits them:

- ``RLIMIT_AS``: address space, so a memory bomb ends in ``MemoryError`` or a dead kernel,
  not a machine that swaps;
- ``RLIMIT_CPU``: CPU seconds, so a busy loop that ignores interrupts is killed (SIGXCPU)
  even if the grader's wall-clock timeout were to miss it;
- ``RLIMIT_FSIZE``: the largest file it may write, so it cannot fill the disk;
- ``RLIMIT_CORE`` = 0: no core dumps of a crashed kernel.

The connection file (which holds the key that signs messages to this kernel) is deleted as
soon as the kernel has read it, so code running in another student's kernel cannot find it
and drive this one.
"""
from __future__ import annotations

import argparse
import os
import resource

MB = 1024 * 1024


def apply_limits(memory_mb: int, cpu_seconds: int, file_mb: int) -> None:
    """Lower this process's resource limits (they can never be raised again by the student)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    # The soft CPU limit sends SIGXCPU; the hard one a second later is SIGKILL if that was caught.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * MB, file_mb * MB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--file-mb", type=int, default=64)
    parser.add_argument("-f", dest="connection_file", required=True)
    args, rest = parser.parse_known_args(argv)
    apply_limits(args.memory_mb, args.cpu_seconds, args.file_mb)

    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(["-f", args.connection_file, *rest])
    os.unlink(app.abs_connection_file)
    app.start()


if __name__ == "__main__":
    main()
