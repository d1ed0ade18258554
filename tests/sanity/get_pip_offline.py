# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip bootstrap script that ansible-test downloads.

ansible-test builds one virtual environment per sanity test.  To put pip into
each of them it runs ``python <quiet_pip.py> <options> pip==X.Y`` with the
environment variable GET_PIP pointing at ``~/.ansible/test/cache/get_pip_X_Y.py``;
when that file is missing it downloads it from a host that these machines
cannot reach.  tests/sanity/run.sh copies this file to that cache path.

What it does, in the target virtual environment (``sys.executable``):

1. ``python -m ensurepip --upgrade`` in a *subprocess*: calling
   ``ensurepip.bootstrap()`` in this process would switch pip's configuration
   off for the rest of the process, so the following install could not see the
   package index configured for this machine.
2. ``python -m pip install <the arguments it was given>``, minus get-pip's own
   ``--no-setuptools`` / ``--no-wheel`` (pip itself does not know them).
3. With ``--no-setuptools`` (ansible-test always passes it), removes the
   setuptools that ensurepip of Python < 3.12 brings along, unless it was
   there before, so the environment holds what the real get-pip would leave.

Both steps are idempotent: running it again in a ready environment is a no-op
apart from pip confirming the pinned version is present.
"""

from __future__ import annotations

import subprocess
import sys

# Options that only get-pip understands; pip install would reject them.
GET_PIP_ONLY_OPTIONS = frozenset(('--no-setuptools', '--no-wheel'))


def pip_install_args(argv: list[str]) -> list[str]:
    """Return the pip install arguments for the given get-pip command line arguments."""
    return [arg for arg in argv if arg not in GET_PIP_ONLY_OPTIONS]


def run(command: list[str]) -> None:
    """Run a command quietly; on failure show its output and exit with its status."""
    process = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)

    if process.returncode:
        sys.stderr.write(process.stdout.decode('utf-8', errors='replace'))
        sys.stderr.write('get-pip stand-in: command failed with status %d: %s\n' % (process.returncode, ' '.join(command)))
        sys.exit(process.returncode)


def has_module(python: str, name: str) -> bool:
    """Return True if the given Python can import the named top-level module."""
    code = 'import importlib.util, sys; sys.exit(importlib.util.find_spec(%r) is None)' % name
    return subprocess.call([python, '-c', code], stdin=subprocess.DEVNULL) == 0


def main() -> None:
    """Bootstrap pip with ensurepip, then install the requested packages with it."""
    python = sys.executable
    argv = sys.argv[1:]
    drop_setuptools = '--no-setuptools' in argv and not has_module(python, 'setuptools')

    run([python, '-m', 'ensurepip', '--upgrade', '--default-pip'])

    args = pip_install_args(argv)

    if args:
        run([python, '-m', 'pip', 'install'] + args)

    if drop_setuptools and has_module(python, 'setuptools'):
        run([python, '-m', 'pip', 'uninstall', '--yes', '--disable-pip-version-check', 'setuptools'])


if __name__ == '__main__':
    main()
