#!/usr/bin/env bash
# Uses the hook of .pre-commit-hooks.yaml the way a user does, in a throw-away git repo:
# `pre-commit try-repo` on a staged bad policy must fail with the finding; then, with the
# hook installed, committing a bad policy must fail and committing a good one must pass.
# pre-commit builds iamlint with `cargo install`; CARGO_TARGET_DIR (default: this
# checkout's target/) lets it reuse what `cargo build --release` already compiled.
set -euo pipefail

checkout=$(cd "$(dirname "$0")/.." && pwd)
command -v pre-commit >/dev/null || python3 -m pip install --quiet pre-commit
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$checkout/target}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME=$work/cache
repo=$work/repo
mkdir -p "$repo/iam/users/alice"
cd "$repo"
git init -q
git config user.email ci@example.invalid
git config user.name ci
git config commit.gpgsign false

bad='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}'
good='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/Deploy"}]}'

expect_fail() { # command..., output must name IAM101
    local log=$work/log
    if "$@" >"$log" 2>&1; then
        cat "$log"; echo "FAIL: expected '$*' to fail"; exit 1
    fi
    grep -q 'IAM101' "$log" || { cat "$log"; echo "FAIL: no IAM101 finding in the output"; exit 1; }
}
expect_pass() {
    local log=$work/log
    "$@" >"$log" 2>&1 || { cat "$log"; echo "FAIL: expected '$*' to pass"; exit 1; }
}

echo "pre-commit: try-repo on a staged bad policy"
echo "$bad" >iam/users/alice/switch-policy.json
git add iam
expect_fail pre-commit try-repo "$checkout" iamlint

echo "pre-commit: committing through the installed hook"
rev=$(git -C "$checkout" rev-parse HEAD)
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: iamlint
YAML
git add .pre-commit-config.yaml
pre-commit install >/dev/null
expect_fail git commit -q -m "bad policy"
echo "$good" >iam/users/alice/switch-policy.json
git add iam
expect_pass git commit -q -m "good policy"
git log --oneline | grep -q "good policy"
echo "pre-commit: ok (bad policy refused with IAM101, good policy committed)"
