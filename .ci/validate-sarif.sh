#!/usr/bin/env bash
# Validates iamlint's SARIF with Microsoft's SARIF multitool, including its GitHub code
# scanning rules (GH*): the examples, and a tree with unreadable files, a suppression and
# an unused suppression. Fails on any error or warning the multitool reports. Installs
# the npm package @microsoft/sarif-multitool-linux outside the repository (in
# $SARIF_MULTITOOL_DIR); skips, saying so, only when npm is not installed.
# Usage: .ci/validate-sarif.sh PATH/TO/iamlint
set -euo pipefail

iamlint=$(realpath "${1:?usage: $0 PATH/TO/iamlint}")
checkout=$(cd "$(dirname "$0")/.." && pwd)
dir=${SARIF_MULTITOOL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iamlint-ci/sarif-multitool}
tool=$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool

if [ ! -e "$tool" ]; then
    if ! command -v npm >/dev/null; then
        echo "SKIP: npm is not installed, so the SARIF multitool cannot be installed"
        exit 0
    fi
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-save --no-audit --no-fund @microsoft/sarif-multitool-linux@5.7.0 >/dev/null)
fi
# npm may skip the package's postinstall script, which only makes the binary executable.
chmod u+x "$tool"
# The multitool is a .NET program; it does not need the ICU libraries for this.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The shipped examples.
(cd "$checkout" && "$iamlint" testdata/examples --format sarif --output "$work/examples.sarif" --fail-on never)

# 2. Unreadable and invalid files (whole-file findings), a suppressed finding, an unused
#    suppression (a finding located in the TOML config file).
tree=$work/tree
mkdir -p "$tree/iam/users/alice" "$tree/iam/roles/Public"
printf '\x00\x01binary' >"$tree/iam/trust.json"
: >"$tree/iam/empty-policy.json"
printf '{ "Statement": [ }' >"$tree/iam/policy.json"
printf '%s\n' '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}' \
    >"$tree/iam/users/alice/switch-policy.json"
printf '%s\n' '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}' \
    >"$tree/iam/roles/Public/trust.json"
cat >"$tree/.iamlint.toml" <<'TOML'
[[suppress]]
rule = "IAM101"
path = "iam/users/alice/*.json"
reason = "break-glass user"

[[suppress]]
rule = "IAM102"
path = "iam/roles/Gone/trust.json"
reason = "deleted role"
TOML
(cd "$tree" && "$iamlint" . --format sarif --output "$work/tree.sarif" --fail-on never)

status=0
for sarif in "$work/examples.sarif" "$work/tree.sarif"; do
    echo "sarif-multitool validate $(basename "$sarif")"
    log=$work/validate.log
    "$tool" validate --rule-kind "Gh;Sarif" --level "Error;Warning" \
        --output "$work/validation.sarif" "$sarif" >"$log" 2>&1 || true
    if grep -E ': (error|warning) [A-Z]+[0-9]+' "$log"; then
        status=1
    elif ! grep -q 'Analysis completed successfully' "$log"; then
        cat "$log"
        status=1
    fi
    rm -f "$work/validation.sarif"
done
[ "$status" -eq 0 ] && echo "sarif-multitool: no errors or warnings (GitHub and SARIF rules)"
exit "$status"
