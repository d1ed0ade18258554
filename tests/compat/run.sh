#!/usr/bin/env bash
# make compat: on every ansible-core release the collection claims (meta/runtime.yml requires_ansible), each in
# its own virtual environment under build/compat/:
#   unit    the unit tests of the plugins (tests/unit/plugins)
#   parity  the two-path parity tests (tests/integration/test_execution_parity.py, against the simulator)
#   sanity  ansible-test sanity of that release, through tests/sanity/run.sh exactly as `make sanity` runs it
#           (offline, the release's own test list and tests/sanity/ignore-X.Y.txt if there is one)
# Logs: build/compat/ansible-core-X.Y.<step>.log.
#
#   bash tests/compat/run.sh [2.16 2.17 ...]
#   COMPAT_STEPS=sanity bash tests/compat/run.sh 2.16     # one step only
#
# ansible-core 2.20 needs Python 3.12 or later: it runs on the newest Python found (python3.13, python3.12, or
# pyenv's), the others on the Python of .venv. Packages come from the package index pip is configured with.
# Exits non-zero if any release fails; prints one line per release and step.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 1
RELEASES=("${@:-2.16 2.17 2.18 2.19 2.20}")
read -r -a RELEASES <<< "${RELEASES[*]}"
BASE_PYTHON="${COMPAT_PYTHON:-$ROOT/.venv/bin/python}"
# What the tests import besides ansible-core (pinned as in requirements-test.txt).
TEST_PACKAGES=(requests==2.34.2 PyYAML==6.0.3 pytest==9.2.0 cryptography==50.0.2)
read -r -a STEPS <<< "${COMPAT_STEPS:-unit parity sanity}"

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
    log="build/compat/ansible-core-$release.install.log"
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
    python_version="$("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
    for step in "${STEPS[@]}"; do
        case "$step" in
        unit | parity)
            if [[ "$step" == unit ]]; then tests=(tests/unit/plugins); else tests=(tests/integration/test_execution_parity.py); fi
            log="build/compat/ansible-core-$release.$step.log"
            if "$venv/bin/python" -m pytest "${tests[@]}" -q -p no:cacheprovider > "$log" 2>&1; then
                summary+=("ansible-core $version (Python $python_version) $step: $(tail -1 "$log")")
            else
                summary+=("ansible-core $version (Python $python_version) $step: FAILED: $(tail -1 "$log") (see $log)")
                failed=1
            fi
            ;;
        sanity)
            # The same script as `make sanity`, pointed at this release's ansible-test; each release gets its own
            # copy of the collection so that its results (tests/output/junit) stay apart.
            log="build/compat/ansible-core-$release.sanity.log"
            if VENV_BIN="$ROOT/$venv/bin" SANITY_BUILD="$ROOT/build/compat/sanity-$release" \
                    bash tests/sanity/run.sh > "$log" 2>&1; then
                outcome=""
            else
                outcome="FAILED: "
                failed=1
            fi
            # summary.py's count line, e.g. "sanity: 30 passed, 0 failed, 12 skipped"
            counts="$(grep '^sanity: ' "$log" | tail -1)"
            counts="${counts:-sanity: no result summary}"
            summary+=("ansible-core $version (Python $python_version) sanity: $outcome${counts#sanity: } (see $log)")
            ;;
        *)
            echo "run.sh: unknown step '$step' in COMPAT_STEPS (unit, parity, sanity)" >&2
            exit 2
            ;;
        esac
    done
done
printf '%s\n' "${summary[@]}"
exit "$failed"
