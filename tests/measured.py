"""Run a command and measure it on its own: wall time, CPU of its process tree, peak resident set.

Why a launcher: on Linux a process's peak RSS (ru_maxrss) starts at the resident set of the process it was
forked from, and exec keeps that high-water mark. A command forked straight from a large test or bench process
would report that process's size as its own peak. This file, run as a script by a fresh interpreter without
site-packages, is a small process: what it forks and waits for reports its own peak.

    python -I -S tests/measured.py USAGE_FILE COMMAND [ARG...]

writes {"wall_s", "cpu_s", "peak_rss_mb"} to USAGE_FILE and exits as the command did.
``run_measured`` is the caller's side.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    wall_s: float  # from just before the command's fork to its exit, the launcher's own start-up not included
    cpu_s: float  # user + system time of the command and every process it waited for (Ansible's forks)
    peak_rss_mb: float  # the largest resident set of the command or one of those processes


def run_measured(command, env=None, cwd=None, timeout=None):
    """subprocess.run(command) with text output captured, and its Usage. On timeout its whole process group is
    killed and the CompletedProcess has the signal's return code."""
    handle, usage_file = tempfile.mkstemp(prefix='usage-', suffix='.json')
    os.close(handle)
    launcher = [sys.executable, '-I', '-S', os.path.abspath(__file__), usage_file, *command]
    proc = subprocess.Popen(launcher, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    killer = threading.Timer(timeout, _kill_group, (proc.pid,)) if timeout else None
    if killer:
        killer.start()
    try:
        stdout, stderr = proc.communicate()
    finally:
        if killer:
            killer.cancel()
    try:
        with open(usage_file, encoding='utf-8') as usage_handle:
            usage = Usage(**json.load(usage_handle))
    except (OSError, ValueError, TypeError):  # killed before it could say
        usage = Usage(0.0, 0.0, 0.0)
    finally:
        os.unlink(usage_file)
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr), usage


def _kill_group(pgid):
    with contextlib.suppress(ProcessLookupError):  # it ended just as the timer fired
        os.killpg(pgid, signal.SIGKILL)


def _launch(usage_file, command):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - replaced by the command
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _pid, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    with open(usage_file, 'w', encoding='utf-8') as handle:
        json.dump({'wall_s': wall, 'cpu_s': usage.ru_utime + usage.ru_stime,
                   'peak_rss_mb': usage.ru_maxrss / 1024}, handle)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # end the same way, so that the caller sees the signal
        os.kill(os.getpid(), -code)
    return code


if __name__ == '__main__':
    sys.exit(_launch(sys.argv[1], sys.argv[2:]))
