#!/usr/bin/env bash
# Builds the PyPI wheel (python/pyproject.toml, maturin, `bindings = "bin"`), installs it
# into a fresh venv, and runs `iamlint --version` and a scan of testdata/examples from it.
# Leaves the wheel in target/wheels for the pre-commit step (IAMLINT_WHEELS). Installs
# maturin with pip when it is missing; skips, saying so, when it cannot be had.
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
cd "$checkout"

if ! command -v maturin >/dev/null; then
    python3 -m pip install --quiet maturin >/dev/null 2>&1 || true
fi
if ! command -v maturin >/dev/null; then
    echo "SKIP: maturin is not installed and pip could not install it: the wheel is not built"
    exit 0
fi

rm -rf target/wheels
# From python/, where its pyproject.toml (manifest-path = ../Cargo.toml) is read.
(cd python && maturin build --release --locked --quiet -o ../target/wheels)
wheel=$(ls target/wheels/iamlint-*.whl)
echo "wheel: $wheel"

venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --no-index "$wheel"
"$venv/bin/iamlint" --version
status=0
"$venv/bin/iamlint" testdata/examples --format concise >target/wheel-scan.txt || status=$?
cat target/wheel-scan.txt
if [ "$status" -ne 1 ] || ! grep -q 'IAM102' target/wheel-scan.txt; then
    echo "FAIL: the wheel's iamlint should exit 1 with findings on testdata/examples, got $status"
    exit 1
fi
echo "wheel: ok (installed in a fresh venv, --version and a scan)"
