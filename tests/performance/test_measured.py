"""tests/measured.py: a command's peak RSS is its own, not that of the large process that started it."""

import signal
import sys

from tests.measured import run_measured

MB = 1024 * 1024


def python(code):
    return [sys.executable, '-c', code]


def test_the_peak_of_a_small_command_is_not_that_of_the_large_process_that_runs_it():
    ballast = bytearray(400 * MB)  # this process is large when it starts the command, as the bench's is
    ballast[::4096] = b'x' * len(ballast[::4096])  # touched, so resident
    proc, usage = run_measured(python('pass'))
    assert proc.returncode == 0
    assert usage.peak_rss_mb < 100, usage
    del ballast


def test_the_peak_of_a_forked_process_it_waited_for_counts():
    code = ('import os\npid = os.fork()\nif pid == 0:\n    data = bytearray(%d)\n    data[::4096] = b"x" * len(data[::4096])\n'
            '    os._exit(0)\nos.waitpid(pid, 0)\nprint("done")' % (300 * MB))
    proc, usage = run_measured(python(code))
    assert proc.returncode == 0 and proc.stdout == 'done\n'
    assert 300 <= usage.peak_rss_mb < 400, usage
    assert usage.cpu_s > 0 and usage.wall_s >= usage.cpu_s * 0.5


def test_output_exit_code_and_environment_are_the_commands():
    proc, usage = run_measured(python('import os, sys; print(os.environ["WHO"]); sys.stderr.write("e"); sys.exit(3)'),
                               env={'WHO': 'me'})
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, 'me\n', 'e')
    assert usage.wall_s > 0


def gone(pid):
    """The process has ended (absent, or a zombie no one has reaped yet)."""
    try:
        with open('/proc/%d/stat' % pid, encoding='ascii') as handle:
            return handle.read().rsplit(')', 1)[1].split()[0] in ('Z', 'X')
    except FileNotFoundError:
        return True


def test_a_command_past_its_timeout_is_killed_with_its_children():
    # The grandchild holds no pipe of the caller's: were only the launcher killed, the run would end at 60 s
    # with the grandchild still alive, and fail here rather than hang.
    code = ('import subprocess, time\nquiet = subprocess.DEVNULL\n'
            'child = subprocess.Popen(["sleep", "600"], stdout=quiet, stderr=quiet)\n'
            'print(child.pid, flush=True)\ntime.sleep(60)')
    proc, usage = run_measured(python(code), timeout=5)
    assert proc.returncode == -signal.SIGKILL
    assert usage.peak_rss_mb == 0.0  # the launcher was killed too: nothing measured, nothing made up
    assert proc.stdout.strip(), 'the command did not start within its timeout'
    assert gone(int(proc.stdout))
