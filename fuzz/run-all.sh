#!/bin/sh
# Runs every fuzz target for SECONDS (default 120) each, seeded from testdata/.
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain (`cargo +nightly`).
set -eu
cd "$(dirname "$0")"
secs=${1:-120}
./seed.sh
for t in policy_json aws_ini terraform cloudformation_dump cloudformation_yaml; do
    cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1
done
