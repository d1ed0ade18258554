#!/usr/bin/env bash
# Render the documentation of every central.msp module and plugin with
# ansible-doc, the way a user would see it, and fail on any error or warning.
#
#   bash tests/sanity/ansible_doc.sh        (make docs-check)
#
# * ansible-doc -t module central.msp.<module>       for plugins/modules/*.py
# * ansible-doc -t inventory central.msp.<plugin>    for plugins/inventory/*.py
# * likewise for the other documented plugin types present (filter, lookup,
#   test, callback, ...); for filter and test plugins, whose file may hold
#   several of them, the documented ones: a .py file with DOCUMENTATION or a
#   .yml/.yaml documentation file
# * ansible-doc -t <type> -l central.msp must list each of them.
#
# The collection is found through ANSIBLE_COLLECTIONS_PATH (the Makefile exports
# build/dev, where its dev-tree target links the working tree). Run on its own,
# the script sets up the same link. An empty plugin directory is not an error.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

VENV_BIN="${VENV_BIN:-$ROOT/.venv/bin}"
if [[ ! -x "$VENV_BIN/ansible-doc" ]]; then
    echo "ansible_doc.sh: $VENV_BIN/ansible-doc not found; run 'make venv' first" >&2
    exit 2
fi
export PATH="$VENV_BIN:$PATH"

if [[ -z "${ANSIBLE_COLLECTIONS_PATH:-}" ]]; then
    export ANSIBLE_COLLECTIONS_PATH="$ROOT/build/dev"
    mkdir -p "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/central"
    ln -sfn "$ROOT" "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/central/msp"
fi
# Plain output without colour codes, so the checks below can read it.
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0

failures=0
checked=0
out="$(mktemp)"
err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# Run ansible-doc; fail on a non-zero exit or on any error or warning it prints.
# Leaves its standard output in "$out".
run_doc() {
    local rc=0
    ansible-doc "$@" >"$out" 2>"$err" || rc=$?
    if [[ $rc -ne 0 ]] || grep -qiE '\[(WARNING|ERROR|DEPRECATION WARNING)\]|^(ERROR|WARNING)' "$err" "$out"; then
        fail "ansible-doc $* (exit $rc)"
        sed 's/^/    /' "$err" >&2
        grep -iE '\[(WARNING|ERROR|DEPRECATION WARNING)\]|^(ERROR|WARNING)' "$out" | sed 's/^/    /' >&2 || true
        return 1
    fi
    return 0
}

# Plugin names from a directory: *.py files other than __init__.py and private
# _*.py helpers. For filter and test plugins only the documented ones: a .py file
# that assigns DOCUMENTATION, or a .yml/.yaml documentation file.
plugin_names() {
    local type="$1" dir="$2" file name
    [[ -d "$dir" ]] || return 0
    for file in "$dir"/*.py "$dir"/*.yml "$dir"/*.yaml; do
        [[ -f "$file" ]] || continue
        name="$(basename "$file")"
        name="${name%.*}"
        [[ "$name" == _* ]] && continue
        case "$type:$file" in
            filter:*.py | test:*.py) grep -q '^DOCUMENTATION *=' "$file" || continue ;;
            filter:* | test:*) ;;
            *:*.py) ;;
            *) continue ;;
        esac
        printf '%s\n' "$name"
    done | sort -u
}

check_type() {
    local type="$1" dir="$2" name
    local -a names
    mapfile -t names < <(plugin_names "$type" "$dir")
    if [[ ${#names[@]} -eq 0 ]]; then
        echo "ansible_doc.sh: no $type plugins in $dir yet"
        return 0
    fi

    # Each one renders cleanly.
    for name in "${names[@]}"; do
        checked=$((checked + 1))
        if run_doc -t "$type" "central.msp.$name"; then
            if ! grep -q "central.msp.$name" "$out"; then
                fail "ansible-doc -t $type central.msp.$name printed no documentation"
            else
                echo "ok: ansible-doc -t $type central.msp.$name"
            fi
        fi
    done

    # The listing names every one of them.
    if run_doc -t "$type" -l central.msp; then
        for name in "${names[@]}"; do
            if ! grep -qE "^central\.msp\.$name([[:space:]]|$)" "$out"; then
                fail "ansible-doc -t $type -l central.msp does not list central.msp.$name"
            fi
        done
        echo "ok: ansible-doc -t $type -l central.msp lists ${#names[@]} plugin(s)"
    fi
}

check_type module plugins/modules
check_type inventory plugins/inventory
# The other plugin types ansible-doc documents, when the collection has them.
for type in become cache callback cliconf connection filter httpapi lookup netconf shell strategy test vars; do
    if [[ -d "plugins/$type" ]]; then
        check_type "$type" "plugins/$type"
    fi
done

if [[ $failures -ne 0 ]]; then
    echo "ansible_doc.sh: $failures problem(s) in $checked plugin(s)" >&2
    exit 1
fi
echo "ansible_doc.sh: $checked plugin(s) documented without errors or warnings"
