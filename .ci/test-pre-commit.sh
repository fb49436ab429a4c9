#!/usr/bin/env bash
# Uses the hooks of .pre-commit-hooks.yaml the way a user does, in a throw-away git repo:
# `pre-commit try-repo` on a staged bad policy must fail with the finding; then, with the
# hook installed, committing a bad policy must fail and committing a good one must pass.
#
# The default hook, `iamlint`, installs the iamlint wheel from PyPI. Nothing is published
# from here, so the wheel .ci/test-wheel.sh built (target/wheels, or IAMLINT_WHEELS) stands
# in for PyPI's through PIP_FIND_LINKS; without one that hook is skipped, saying so.
# `iamlint-source` builds iamlint with `cargo install`; CARGO_TARGET_DIR (default: this
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
expect_fail pre-commit try-repo "$checkout" iamlint-source

wheels=${IAMLINT_WHEELS:-$checkout/target/wheels}
hook=iamlint-source
if ls "$wheels"/iamlint-*.whl >/dev/null 2>&1; then
    export PIP_FIND_LINKS=$wheels
    hook=iamlint
    echo "pre-commit: try-repo with the wheel hook (iamlint from $wheels)"
    expect_fail pre-commit try-repo "$checkout" iamlint
else
    echo "SKIP: no iamlint wheel in $wheels: the default (wheel) hook is not tried"
fi

echo "pre-commit: committing through the installed hook ($hook)"
rev=$(git -C "$checkout" rev-parse HEAD)
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: $hook
YAML
git add .pre-commit-config.yaml
pre-commit install >/dev/null
expect_fail git commit -q -m "bad policy"
echo "$good" >iam/users/alice/switch-policy.json
git add iam
expect_pass git commit -q -m "good policy"
git log --oneline | grep -q "good policy"
echo "pre-commit: ok (bad policy refused with IAM101, good policy committed)"
