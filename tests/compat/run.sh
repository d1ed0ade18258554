#!/usr/bin/env bash
# make compat: the unit tests and the two-path parity tests on every ansible-core release the collection claims
# (meta/runtime.yml requires_ansible), each in its own virtual environment under build/compat/.
#
#   bash tests/compat/run.sh [2.16 2.17 ...]
#
# ansible-core 2.20 needs Python 3.12 or later: it runs on the newest Python found (python3.13, python3.12, or
# pyenv's), the others on the Python of .venv. Packages come from the package index pip is configured with.
# Exits non-zero if any release fails; prints one line per release.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 1
RELEASES=("${@:-2.16 2.17 2.18 2.19 2.20}")
read -r -a RELEASES <<< "${RELEASES[*]}"
BASE_PYTHON="${COMPAT_PYTHON:-$ROOT/.venv/bin/python}"
# What the tests import besides ansible-core (pinned as in requirements-test.txt).
TEST_PACKAGES=(requests==2.34.2 PyYAML==6.0.3 pytest==9.2.0 cryptography==50.0.2)
TESTS=(tests/unit/plugins tests/integration/test_execution_parity.py)

newest_python() {
    for candidate in python3.13 python3.12 "$HOME/.pyenv/versions/3.13.0/bin/python3"; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

mkdir -p build/compat
failed=0
summary=()
for release in "${RELEASES[@]}"; do
    python="$BASE_PYTHON"
    minor="${release#*.}"
    if (( ${minor%%.*} >= 20 )); then  # 2.20 and later need Python 3.12+
        if ! python="$(newest_python)"; then
            summary+=("ansible-core $release: SKIPPED (no Python 3.12+ on this machine)")
            continue
        fi
    fi
    venv="build/compat/ansible-core-$release"
    log="build/compat/ansible-core-$release.log"
    if [[ ! -x "$venv/bin/ansible-playbook" ]]; then
        if ! { "$python" -m venv "$venv" &&
               "$venv/bin/pip" install --quiet --disable-pip-version-check "ansible-core==$release.*" \
                   "${TEST_PACKAGES[@]}" > "$log" 2>&1; }; then
            summary+=("ansible-core $release: FAILED to install (see $log)")
            failed=1
            continue
        fi
    fi
    version="$("$venv/bin/python" -c 'import ansible; print(ansible.__version__)')"
    if "$venv/bin/python" -m pytest "${TESTS[@]}" -q -p no:cacheprovider --ignore=tests/unit/simulator > "$log" 2>&1; then
        summary+=("ansible-core $version (Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())')): $(tail -1 "$log")")
    else
        summary+=("ansible-core $version: FAILED: $(tail -1 "$log") (see $log)")
        failed=1
    fi
done
printf '%s\n' "${summary[@]}"
exit "$failed"
