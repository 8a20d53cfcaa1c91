#!/usr/bin/env bash
# Wall time of `substractl check outgoing` against 200 organizations that each answer after
# 200 ms plus one that never answers, with --timeout 2, side by side with a sequential loop
# doing the same /info/ requests one after the other (the backend's own command's way).
#
# One local asyncio server on 127.0.0.1 plays every backend: /oNNN/... answers 200 after
# 200 ms, /hang/... never answers. Target: substractl <= 3 s. With the default --concurrency 256
# the 201 organizations are asked in one round: about 2 s, the silent one's timeout. With
# --concurrency 32 it would start only after 7 rounds of 200 ms (about 1.2 s + 2 s).
#
#   benches/outgoing.sh
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

orgs=${ORGS:-200}
python=${PYTHON:-python3}

cargo build --release --quiet --bin substractl
bin=target/release/substractl

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/server.py" <<'EOF'
import asyncio, sys

async def handle(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except Exception:
        writer.close()
        return
    path = head.split(b" ", 2)[1]
    if path.startswith(b"/hang/"):
        await asyncio.sleep(3600)
        return
    await asyncio.sleep(0.2)
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
    try:
        await writer.drain()
    finally:
        writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    # Stops by itself after five minutes at most.
    await asyncio.sleep(300)

asyncio.run(main())
EOF
"$python" "$work/server.py" >"$work/port" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(head -n1 "$work/port")
base="http://127.0.0.1:$port"

# The values file of the organization checked: 200 answering peers, then the silent one
# (last: it is the worst place for it, it starts only when a slot frees up).
{
    printf 'orchestrator:\n  mspID: bench\n  channels:\n    - ch: {}\n'
    printf 'addAccountOperator:\n  outgoingOrganizations:\n'
    for i in $(seq -w 1 "$orgs"); do printf '    - name: o%s\n      secret: s%s\n' "$i" "$i"; done
    printf '    - name: hang\n      secret: sh\n'
} >"$work/backend-bench-values.yaml"
args=()
urls=()
for i in $(seq -w 1 "$orgs"); do
    args+=(--address "o$i=$base/o$i")
    urls+=("$base/o$i/info/")
done
args+=(--address "hang=$base/hang")
urls+=("$base/hang/info/")

wall() { # prints the wall time of a command, in seconds
    local start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

ours=$(wall "$bin" check outgoing --values "$work/backend-bench-values.yaml" --dir "$work" \
    --timeout 2 "${args[@]}")
narrow=$(wall "$bin" check outgoing --values "$work/backend-bench-values.yaml" --dir "$work" \
    --timeout 2 --concurrency 32 "${args[@]}")

printf '%s\n' "${urls[@]}" >"$work/urls"
cat >"$work/loop.py" <<'EOF'
import sys, urllib.request
for url in open(sys.argv[1]).read().split():
    try:
        urllib.request.urlopen(url, timeout=2).status
    except Exception:
        pass
EOF
sequential=$(wall "$python" "$work/loop.py" "$work/urls")

echo "check outgoing, $orgs organizations answering after 200 ms + 1 that never answers, --timeout 2"
printf '  substractl (default --concurrency 256): %6s s\n' "$ours"
printf '  substractl (--concurrency 32):          %6s s\n' "$narrow"
printf '  sequential loop (the backend'"'"'s way):    %6s s\n' "$sequential"
printf '  ratio sequential / substractl:          %6.1fx\n' "$(awk -v a="$sequential" -v b="$ours" 'BEGIN { print a / b }')"
verdict() { if awk -v t="$1" 'BEGIN { exit !(t <= 3) }'; then echo met; else echo "NOT met"; fi; }
echo "  target <= 3 s: $(verdict "$ours") with the default --concurrency 256, $(verdict "$narrow") with --concurrency 32"
