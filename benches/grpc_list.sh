#!/usr/bin/env bash
# Wall time and peak memory of `substractl grpc list` over TLS against a local server.
#
# Starts the Python gRPC peer of the tests (tests/peers/reflection_server.py) with a CA and a
# server certificate made here with openssl, then runs the release binary RUNS times and prints
# the median and the worst wall time, and the peak resident memory (max RSS, from GNU time).
# Targets: under 20 ms wall, under 15 MB peak memory.
#
#   benches/grpc_list.sh            # 50 runs
#   RUNS=200 benches/grpc_list.sh
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

runs=${RUNS:-50}

# What the benchmark needs beyond cargo: openssl and grpcio (as the tests), and GNU time.
scripts/test-deps
if [ ! -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

cargo build --release --quiet --bin substractl
bin=target/release/substractl

work=$(mktemp -d)
peer_pid=
cleanup() {
    if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A CA and a server certificate for localhost / 127.0.0.1, as an orchestrator would have.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -keyout "$work/ca.key" -out "$work/ca.crt" -subj "/CN=Bench Root CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$work/server.key" -out "$work/server.csr" -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$work/ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
    -CAcreateserial -days 1 -extfile "$work/ext" -out "$work/server.crt" 2>/dev/null

# The peer prints its port, then serves until its stdin closes.
mkfifo "$work/stdin"
GRPC_VERBOSITY=NONE ${PYTHON:-python3} tests/peers/reflection_server.py \
    --cert "$work/server.crt" --key "$work/server.key" <"$work/stdin" >"$work/port" &
peer_pid=$!
exec 3>"$work/stdin"
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(head -n1 "$work/port")
addr="127.0.0.1:$port"

cmd=("$bin" grpc list "$addr" --cacert "$work/ca.crt")
"${cmd[@]}" >/dev/null # warm the page cache, and fail early if the list fails

walls=()
for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    "${cmd[@]}" >/dev/null
    end=$EPOCHREALTIME
    walls+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) * 1000 }')")
done
sorted=$(printf '%s\n' "${walls[@]}" | sort -g)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}')
worst=$(echo "$sorted" | tail -n1)

max_rss=0
for _ in $(seq 10); do
    rss=$(/usr/bin/time -f '%M' "${cmd[@]}" 2>&1 >/dev/null | tail -n1)
    [ "$rss" -gt "$max_rss" ] && max_rss=$rss
done

printf 'substractl grpc list over TLS (%s), %d runs\n' "$addr" "$runs"
printf '  wall time  median %.1f ms, max %.1f ms   (target < 20 ms)\n' "$median" "$worst"
printf '  peak RSS   %.1f MB (max of 10 runs)     (target < 15 MB)\n' "$(awk -v k="$max_rss" 'BEGIN { print k / 1024 }')"
