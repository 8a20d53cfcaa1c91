#!/usr/bin/env bash
# `substractl init --yes` of 20 organizations with TLS and mTLS (ecdsa-p256 keys): values, 400
# linked secrets, a CA, a server and 20 client certificates, manifests, helmfile and next steps,
# each run into a fresh directory. Prints the median wall time of RUNS runs (target: 150 ms).
#
#   benches/init.sh                  # uses target/release/substractl (cargo build --release)
#   RUNS=21 ORGS=50 SUBSTRACTL=path benches/init.sh
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-11}
n=${ORGS:-20}
bin=${SUBSTRACTL:-target/release/substractl}
if [ ! -x "$bin" ]; then
    echo "building $bin" >&2
    cargo build --release --quiet
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
orgs=()
for i in $(seq 1 "$n"); do orgs+=("org$i"); done

now_ns() { date +%s%N; }

times=()
for r in $(seq 1 "$runs"); do
    start=$(now_ns)
    "$bin" init "${orgs[@]}" --yes --tls --mtls --key-type ecdsa-p256 --out "$work/run$r" >/dev/null
    end=$(now_ns)
    times+=($(( (end - start) / 1000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
files=$(find "$work/run1" -type f | wc -l)
printf 'init of %d organizations (TLS, mTLS, ecdsa-p256): %d files, median %.1f ms of %d runs\n' \
    "$n" "$files" "$(echo "$median / 1000" | bc -l)" "$runs"
