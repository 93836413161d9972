"""Start an IPython kernel under limits: the kernel tools/grade.py runs a submission in.

    python tools/grade_kernel.py --memory-mb 1024 --cpu-seconds 120 --home DIR -f FILE

The limits are set on this process with ``resource.setrlimit`` and then the
kernel replaces it (``exec``), so they hold for the kernel and anything it
starts: address space (``RLIMIT_AS``: a runaway allocation raises
``MemoryError``), CPU seconds (``RLIMIT_CPU``: a busy loop that survives the
grader's interrupt is killed), the size of any file it writes
(``RLIMIT_FSIZE``) and no core dumps.  The environment is cut down to what a
kernel needs, so the teacher's variables (paths, tokens) do not reach the
submission; ``HOME`` and ``TMPDIR`` point at a folder of its own beside the
submission's (IPython and matplotlib write their settings there, not next to
the notebook).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

# Variables a kernel may keep; everything else is dropped.
KEEP = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "LC_CTYPE", "GDLAB_CLASSROOM")
MB = 1024 * 1024


def limit(memory_mb: int, cpu_seconds: int, file_mb: int = 64) -> None:
    """Set this process's resource limits (inherited by what it ``exec``s).

    Examples
    --------
    >>> import subprocess, sys
    >>> code = "import sys; sys.path.insert(0, 'tools'); import grade_kernel; "
    >>> code += "grade_kernel.limit(256, 5); bytearray(512 * 1024 * 1024)"
    >>> subprocess.run([sys.executable, "-c", code], capture_output=True).returncode
    1
    """
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * MB, file_mb * MB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def kernel_environment(home: str) -> dict[str, str]:
    """The environment the kernel gets: a few variables kept, the rest dropped."""
    env = {name: os.environ[name] for name in KEEP if name in os.environ}
    env.update(
        HOME=home,
        TMPDIR=home,
        IPYTHONDIR=os.path.join(home, ".ipython"),
        MPLCONFIGDIR=os.path.join(home, ".matplotlib"),
        MPLBACKEND="Agg",
        # One thread each: a submission gets one core's worth, like a learner.
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        PYTHONDONTWRITEBYTECODE="1",
        # Two malloc arenas, not eight per core: the address space a kernel
        # reserves (what RLIMIT_AS counts) shrinks by hundreds of MB.
        MALLOC_ARENA_MAX="2",
    )
    return env


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--home", required=True, help="HOME and TMPDIR for the kernel")
    parser.add_argument("-f", dest="connection_file", required=True)
    args = parser.parse_args(argv)
    home = args.home
    limit(args.memory_mb, args.cpu_seconds)
    command = [sys.executable, "-m", "ipykernel_launcher", "-f", args.connection_file]
    os.execve(sys.executable, command, kernel_environment(home))


if __name__ == "__main__":
    main()
