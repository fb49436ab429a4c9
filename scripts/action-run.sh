#!/usr/bin/env bash
# The run step of the iamlint GitHub Action (action.yml). Reads the action's inputs from
# INPUT_* variables, writes SARIF for github/codeql-action/upload-sarif, prints findings in
# the chosen format (`github`: pull-request annotations), and records `exit-code` and
# `sarif-file` in $GITHUB_OUTPUT. Exits with iamlint's exit code: 0 clean, 1 findings,
# 2 usage or config error. IAMLINT names the binary (default: `iamlint` on PATH).
set -uo pipefail

bin=${IAMLINT:-iamlint}
paths=${INPUT_PATHS:-.}
config=${INPUT_CONFIG:-}
fail_on=${INPUT_FAIL_ON:-}
format=${INPUT_FORMAT:-github}
sarif=${INPUT_SARIF_FILE-iamlint.sarif}
output=${GITHUB_OUTPUT:-/dev/null}

cd "${GITHUB_WORKSPACE:-.}" || exit 2

# Paths are separated by spaces or newlines; they are not glob-expanded.
set -f
read -r -d '' -a path_list <<<"$paths"
set +f
[ "${#path_list[@]}" -gt 0 ] || path_list=(.)

common=("${path_list[@]}")
[ -z "$config" ] || common+=(--config "$config")

finish() {
    echo "exit-code=$1" >>"$output"
    echo "sarif-file=$sarif" >>"$output"
    exit "$1"
}

if [ -n "$sarif" ]; then
    # The SARIF run never fails on findings: the second run decides the exit code.
    "$bin" check "${common[@]}" --format sarif --output "$sarif" --fail-on never --quiet
    status=$?
    [ "$status" -eq 0 ] || finish "$status"
fi

args=("${common[@]}" --format "$format")
[ -z "$fail_on" ] || args+=(--fail-on "$fail_on")
"$bin" check "${args[@]}"
finish $?
