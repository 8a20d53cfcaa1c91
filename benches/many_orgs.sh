#!/usr/bin/env bash
# CPU time and peak memory of `substractl check all` and `check outgoing` over deployments of
# many organizations (made here with `init --no-tls`) whose addresses all refuse at once
# (127.0.0.1:1), with `--timeout 1`: what is left is substractl's own work (reading the files,
# building the redactor of every pair secret of the deployment, scrubbing every check's text).
# A deployment of N organizations holds N*N pair secrets.
#
#   benches/many_orgs.sh                      # 10, 20, 40 and 100 organizations
#   SIZES="10 20" benches/many_orgs.sh
#   SUBSTRACTL_BASELINE=/path/to/other/substractl benches/many_orgs.sh   # both, side by side
#   SILENT=1 benches/many_orgs.sh   # also `check all` against an orchestrator that accepts
#                                   # connections and never answers, at the default --timeout 10
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

sizes=${SIZES:-10 20 40 100}
cargo build --release --quiet --bin substractl
bins=("$PWD/target/release/substractl")
names=("this build")
if [ -n "${SUBSTRACTL_BASELINE:-}" ]; then
    bins+=("$SUBSTRACTL_BASELINE")
    names+=("baseline")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"; [ -z "${silent_pid:-}" ] || kill "$silent_pid" 2>/dev/null' EXIT

# An orchestrator that accepts every connection and never answers.
if [ -n "${SILENT:-}" ]; then
    cat >"$work/silent.py" <<'EOF'
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4096)
print(s.getsockname()[1], flush=True)
held = []
deadline = time.time() + 600
s.settimeout(1)
while time.time() < deadline:
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
EOF
    python3 "$work/silent.py" >"$work/silent.port" &
    silent_pid=$!
    for _ in $(seq 100); do [ -s "$work/silent.port" ] && break; sleep 0.05; done
    silent="127.0.0.1:$(head -n1 "$work/silent.port")"
fi

# `init` of N organizations, every address (backends and orchestrator) one that refuses.
deployment() {
    local n=$1 dir=$work/d$1
    "${bins[0]}" init $(seq -f 'o%g' 1 "$n") --yes --no-tls --out "$dir" >/dev/null
    for i in $(seq 1 "$n"); do
        sed -i -e "s#http://api.o$i.example.com:80#http://127.0.0.1:1/o$i#" \
            -e 's#host: orchestrator.example.com#host: 127.0.0.1#' -e 's#port: 80$#port: 1#' \
            "$dir/backend-o$i-values.yaml"
    done
    echo "$dir"
}

# One run: "wall cpu rss" (seconds, seconds, MB).
measure() {
    /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/time" | awk '{ printf "%6.2f s %7.2f s %6.0f MB", $1, $2 + $3, $4 / 1024 }'
}

printf '%-34s %-11s %8s %9s %9s\n' "command" "binary" "wall" "cpu" "memory"
for n in $sizes; do
    dir=$(deployment "$n")
    for i in "${!bins[@]}"; do
        printf '%-34s %-11s %s\n' "check all, $n orgs" "${names[$i]}" \
            "$(measure "${bins[$i]}" check all --dir "$dir" --timeout 1)"
        printf '%-34s %-11s %s\n' "check outgoing --org o1, $n orgs" "${names[$i]}" \
            "$(measure "${bins[$i]}" check outgoing --org o1 --dir "$dir" --timeout 1)"
        if [ -n "${SILENT:-}" ]; then
            printf '%-34s %-11s %s\n' "check all, silent orch., $n orgs" "${names[$i]}" \
                "$(measure "${bins[$i]}" check all --dir "$dir" --orchestrator "$silent")"
        fi
    done
done
