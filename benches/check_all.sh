#!/usr/bin/env bash
# Wall time of `substractl check all` over a 3-organization deployment directory (made here with
# `link --channel` and `certs gen --values-dir`, ECDSA keys) against local servers that answer
# at once: a Python gRPC orchestrator (grpcio, TLS with mTLS against the directory's CA, health
# and reflection listing the orchestrator's services) and one Python HTTP server playing every
# backend (200 to /info/ and /model/). Every check runs: values, certificates, the orchestrator
# once per organization (TLS + mTLS + health + reflection), 9 outgoing links.
# Prints the median and the worst of RUNS runs (target: under 100 ms).
#
#   benches/check_all.sh            # 30 runs
#   RUNS=100 benches/check_all.sh
#   SHOW=1 benches/check_all.sh     # also print the report once
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

runs=${RUNS:-30}
python=${PYTHON:-python3}

scripts/test-deps
cargo build --release --quiet --bin substractl
bin=$PWD/target/release/substractl

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

orgs=(ingen biotechnica tyrell)
host=orchestrator.example.com
d=$work/deploy
mkdir -p "$d"
for org in "${orgs[@]}"; do
    printf 'organizationName: %s\nserver:\n  defaultDomain: http://api.%s.example:80\norchestrator:\n  host: %s\n  port: 443\n  mspID: %s\n' \
        "$org" "$org" "$host" "$org" >"$d/backend-$org-values.yaml"
done
printf 'ingress:\n  enabled: true\n  hostname: %s\norchestrator:\n  verifyClientMSPID: true\n' "$host" \
    >"$d/orchestrator-values.yaml"
"$bin" link "${orgs[@]}" --channel our-channel --dir "$d" >/dev/null 2>&1
"$bin" certs gen --out "$d" --host "$host" --key-type ecdsa-p256 --values-dir "$d" \
    --org ingen --org biotechnica --org tyrell >/dev/null
chmod 600 "$d"/backend-*-values.yaml

cat >"$work/orchestrator.py" <<'EOF'
import sys, threading, os
from concurrent import futures
import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

d = sys.argv[1]
read = lambda name: open(os.path.join(d, name), "rb").read()
server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
services = ["ComputePlan", "ComputeTask", "DataManager", "DataSample", "Dataset", "Event",
            "FailureReport", "Function", "Info", "Model", "Organization", "Performance",
            "Profiling"]
names = [health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME]
names += ["orchestrator.%sService" % s for s in services]
reflection.enable_server_reflection(names, server)
creds = grpc.ssl_server_credentials(
    [(read("orchestrator-tls.key"), read("orchestrator-tls.crt"))],
    root_certificates=read("orchestrator-ca.crt"), require_client_auth=True)
port = server.add_secure_port("127.0.0.1:0", creds)
server.start()
print(port, flush=True)
threading.Timer(300, lambda: os._exit(0)).start()
server.wait_for_termination()
EOF

cat >"$work/backends.py" <<'EOF'
import asyncio

async def handle(reader, writer):
    try:
        await reader.readuntil(b"\r\n\r\n")
        # The backend's page of a list, as /model/ answers it.
        body = b'{"count": 0, "next": null, "previous": null, "results": []}'
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
        await writer.drain()
    except Exception:
        pass
    writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.sleep(300)

asyncio.run(main())
EOF

GRPC_VERBOSITY=NONE "$python" "$work/orchestrator.py" "$d" >"$work/grpc-port" &
pids+=($!)
"$python" "$work/backends.py" >"$work/http-port" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/grpc-port" ] && [ -s "$work/http-port" ] && break; sleep 0.1; done
grpc_port=$(head -n1 "$work/grpc-port")
http_port=$(head -n1 "$work/http-port")

cmd=("$bin" check all --dir "$d" --orchestrator "127.0.0.1:$grpc_port")
for org in "${orgs[@]}"; do cmd+=(--address "$org=http://127.0.0.1:$http_port/$org"); done

# Warm the page cache, and fail early (showing the report) if anything does not pass.
if ! "${cmd[@]}" >"$work/first" 2>&1; then
    cat "$work/first"
    echo "check all did not pass: no figure" >&2
    exit 1
fi
checks=$(grep -cE '^  (ok|warning|failure|skipped) ' "$work/first" || true)
if [ -n "${SHOW:-}" ]; then cat "$work/first"; fi

walls=()
for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    "${cmd[@]}" >/dev/null 2>&1
    end=$EPOCHREALTIME
    walls+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) * 1000 }')")
done
sorted=$(printf '%s\n' "${walls[@]}" | sort -g)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}')
worst=$(echo "$sorted" | tail -n1)

printf 'substractl check all, 3 organizations, %s checks, %d runs\n' "$checks" "$runs"
printf '  wall time  median %.1f ms, max %.1f ms   (target < 100 ms)\n' "$median" "$worst"
