#!/usr/bin/env bash
# The run step of the iamlint GitHub Action (action.yml). Installs iamlint, then scans:
# writes SARIF (for github/codeql-action/upload-sarif), prints findings in the chosen format
# (`github`: pull-request annotations), and records `exit-code`, `findings` and, when a
# SARIF file was written, `sarif-file` in $GITHUB_OUTPUT. Exits with iamlint's exit code:
# 0 clean, 1 findings, 2 usage, config or install error.
#
# Install: `version` (default: the version of this action's Cargo.toml) names a release;
# its binary for the runner's OS and architecture is downloaded with the release's
# SHA256SUMS and checked against it (a mismatch is an error, exit 2). `version: source`,
# or no release binary to be had (no such release, an OS or architecture without one),
# builds iamlint from this action's checkout with cargo instead.
#
# Environment beside the INPUT_* variables: IAMLINT names a binary to use as it is (no
# install); IAMLINT_RELEASE_URL is the folder of the release's files (default: the GitHub
# release of the version; tests give a file:// folder); IAMLINT_INSTALL_DIR is where the
# binary goes (default: $RUNNER_TEMP/iamlint).
set -uo pipefail

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
paths=${INPUT_PATHS:-.}
config=${INPUT_CONFIG:-}
fail_on=${INPUT_FAIL_ON:-}
format=${INPUT_FORMAT:-github}
sarif=${INPUT_SARIF_FILE-iamlint.sarif}
version=${INPUT_VERSION:-}
extra=${INPUT_ARGS:-}
baseline=${INPUT_BASELINE:-}
exclude=${INPUT_EXCLUDE:-}
output=${GITHUB_OUTPUT:-/dev/null}

say() { echo "iamlint action: $*" >&2; }
fail() { # message: an install or usage error, exit 2
    say "error: $*"
    echo "exit-code=2" >>"$output"
    exit 2
}

# ---------------------------------------------------------------- install

# The Rust target of the release binary for this runner, or nothing.
release_target() {
    local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
    case "$arch" in
        X64 | x86_64 | amd64) arch=x86_64 ;;
        ARM64 | arm64 | aarch64) arch=aarch64 ;;
        *) return 0 ;;
    esac
    case "$os" in
        Linux) echo "$arch-unknown-linux-musl" ;;
        macOS | Darwin) echo "$arch-apple-darwin" ;;
        Windows | MINGW* | MSYS* | CYGWIN*)
            [ "$arch" = x86_64 ] && echo "x86_64-pc-windows-msvc" ;;
    esac
}

download() { # url file: file:// URLs are copied (no network), others fetched with curl
    case "$1" in
        file://*) cp "${1#file://}" "$2" 2>/dev/null ;;
        *) curl --fail --silent --show-error --location --retry 3 --output "$2" "$1" ;;
    esac
}

sha256() {
    if command -v sha256sum >/dev/null; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# Downloads and checks the release binary; sets `bin`. Returns 1 when there is no release
# binary to be had (the caller builds from source); exits 2 on a checksum mismatch.
install_release() {
    local target=$1 dir=$2 base name archive want got
    base=${IAMLINT_RELEASE_URL:-https://github.com/iamlint/iamlint/releases/download/v$version}
    name=iamlint-$target
    case "$target" in *windows*) archive=$name.zip ;; *) archive=$name.tar.gz ;; esac
    mkdir -p "$dir" || fail "cannot create $dir"
    if ! download "$base/$archive" "$dir/$archive"; then
        say "no release binary at $base/$archive"
        return 1
    fi
    download "$base/SHA256SUMS" "$dir/SHA256SUMS" ||
        fail "release v$version has $archive but no SHA256SUMS to check it against ($base/SHA256SUMS)"
    want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$dir/SHA256SUMS")
    [ -n "$want" ] || fail "SHA256SUMS of release v$version does not list $archive"
    got=$(sha256 "$dir/$archive")
    if [ "$got" != "$want" ]; then
        rm -f "$dir/$archive"
        fail "checksum mismatch for $archive: SHA256SUMS says $want, the download is $got (not installed)"
    fi
    case "$archive" in
        *.zip) (cd "$dir" && unzip -qo "$archive") || fail "cannot unpack $archive" ;;
        *) tar -xzf "$dir/$archive" -C "$dir" || fail "cannot unpack $archive" ;;
    esac
    bin=$dir/$name/iamlint
    [ -e "$bin" ] || bin=$bin.exe
    [ -x "$bin" ] || fail "$archive holds no iamlint binary"
    say "installed iamlint $version ($target) from the release, checksum verified"
}

install_source() {
    local dir=$1
    command -v cargo >/dev/null ||
        fail "building iamlint from source needs cargo (a Rust toolchain), which is not installed"
    say "building iamlint from source ($action_path)"
    cargo install --path "$action_path" --locked --root "$dir" >&2 ||
        fail "cargo install failed"
    bin=$dir/bin/iamlint
}

if [ -n "${IAMLINT:-}" ]; then
    bin=$IAMLINT
else
    if [ -z "$version" ]; then
        version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
    fi
    version=${version#v}
    dir=${IAMLINT_INSTALL_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/iamlint}
    target=$(release_target)
    if [ "$version" = source ]; then
        install_source "$dir"
    elif [ -z "$target" ]; then
        say "no release binary for this OS and architecture"
        install_source "$dir"
    elif ! install_release "$target" "$dir"; then
        install_source "$dir"
    fi
fi

# ---------------------------------------------------------------- run

cd "${GITHUB_WORKSPACE:-.}" || fail "cannot enter the workspace"

# Paths, extra arguments and exclude globs are separated by spaces or newlines; they are
# not glob-expanded.
set -f
read -r -d '' -a path_list <<<"$paths"
read -r -d '' -a extra_args <<<"$extra"
read -r -d '' -a exclude_list <<<"$exclude"
set +f
[ "${#path_list[@]}" -gt 0 ] || path_list=(.)

common=("${path_list[@]}")
[ -z "$config" ] || common+=(--config "$config")
[ -z "$baseline" ] || common+=(--baseline "$baseline")
for glob in "${exclude_list[@]}"; do
    common+=(--exclude "$glob")
done
common+=("${extra_args[@]}")

finish() {
    echo "exit-code=$1" >>"$output"
    exit "$1"
}

# The SARIF run never fails on findings: the second run decides the exit code. Without a
# sarif-file it still goes to a scratch file, which counts the findings.
report=$sarif
if [ -z "$report" ]; then
    report=$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/iamlint.XXXXXX.sarif") || fail "no scratch file"
fi
"$bin" check "${common[@]}" --format sarif --output "$report" --fail-on never --quiet
status=$?
[ "$status" -eq 0 ] || finish "$status"
# One `ruleId` a result, one `suppressions` a suppressed result (the SARIF is one key a line).
results=$(grep -c '"ruleId":' "$report")
suppressed=$(grep -c '"suppressions":' "$report")
echo "findings=$((results - suppressed))" >>"$output"
if [ -n "$sarif" ]; then
    echo "sarif-file=$sarif" >>"$output"
else
    rm -f "$report"
fi

args=("${common[@]}" --format "$format")
[ -z "$fail_on" ] || args+=(--fail-on "$fail_on")
"$bin" check "${args[@]}"
finish $?
