#!/usr/bin/env bash
# A full set (CA, server, 5 client certificates, manifests) made by `substractl certs gen`,
# side by side with the guide's openssl command sequence for the same set, run as processes.
# Prints the median wall time of RUNS runs of each, and the ratio.
#
#   benches/certs.sh                 # uses target/release/substractl (cargo build --release)
#   RUNS=21 SUBSTRACTL=path benches/certs.sh
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-11}
bin=${SUBSTRACTL:-target/release/substractl}
if [ ! -x "$bin" ]; then
    echo "building $bin" >&2
    cargo build --release --quiet
fi
command -v openssl >/dev/null || { echo "openssl is needed for the comparison" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
orgs=(ingen biotechnica tyrell cyberdyne umbrella)
host=orchestrator.cluster-1.example

now_ns() { date +%s%N; }

substractl_set() { # key-type dir
    local args=(certs gen --out "$2" --host "$host" --service orchestrator-server.orchestrator --manifests)
    for o in "${orgs[@]}"; do args+=(--org "$o=api.$o.example"); done
    "$bin" "${args[@]}" --key-type "$1" >/dev/null
}

openssl_set() { # key-type dir: the guide's section 2.2 and its mTLS steps, one process each
    local newkey
    case $1 in
        rsa-2048) newkey=(-newkey rsa:2048) ;;
        ecdsa-p256) newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
    esac
    (
        cd "$2"
        printf '[ req ]\ndefault_bits = 2048\ndefault_md = sha256\ndistinguished_name = req_distinguished_name\n[ req_distinguished_name ]\n[ v3_ca ]\nbasicConstraints = critical,CA:TRUE\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always,issuer:always\nkeyUsage = cRLSign, keyCertSign\n' >example-openssl.cnf
        if [ "$1" = rsa-2048 ]; then
            openssl genrsa -out orchestrator-ca.key 2048 2>/dev/null
        else
            openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out orchestrator-ca.key 2>/dev/null
        fi
        openssl req -new -x509 -days 365 -sha256 -key orchestrator-ca.key -extensions v3_ca -config example-openssl.cnf -subj "/CN=Orchestrator Root CA" -out orchestrator-ca.crt 2>/dev/null
        openssl req "${newkey[@]}" -nodes -keyout orchestrator-tls.key -subj "/CN=$host" -out orchestrator-cert.csr 2>/dev/null
        printf 'subjectAltName=DNS:%s\n' "$host" >san.ext
        openssl x509 -req -days 365 -in orchestrator-cert.csr -CA orchestrator-ca.crt -CAkey orchestrator-ca.key -CAcreateserial -out orchestrator-tls.crt -sha256 -extfile san.ext 2>/dev/null
        rm orchestrator-cert.csr
        printf 'authorityKeyIdentifier=keyid\nextendedKeyUsage=clientAuth\n' >client.ext
        for o in "${orgs[@]}"; do
            openssl req "${newkey[@]}" -nodes -keyout "$o.key" -subj "/O=$o/CN=api.$o.example" -out "$o.csr" 2>/dev/null
            openssl x509 -req -days 365 -in "$o.csr" -CA orchestrator-ca.crt -CAkey orchestrator-ca.key -CAcreateserial -out "$o.crt" -sha256 -extfile client.ext 2>/dev/null
            rm "$o.csr"
        done
        rm orchestrator-ca.srl
    )
}

median_ms() { # command...: median wall time of $runs runs, in ms with one decimal
    local times=() i start end d
    for ((i = 0; i < runs; i++)); do
        d="$work/run-$RANDOM-$i"
        mkdir "$d"
        start=$(now_ns)
        "$@" "$d"
        end=$(now_ns)
        times+=($(((end - start) / 1000)))
        rm -rf "$d"
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" '{a[NR]=$1} END {printf "%.1f", a[int((n+1)/2)]/1000}'
}

echo "certs gen: CA + server + ${#orgs[@]} client certificates (+ manifests for substractl), median of $runs runs"
printf '%-12s %14s %14s %8s\n' "key type" "substractl ms" "openssl ms" "ratio"
for kt in rsa-2048 ecdsa-p256; do
    ours=$(median_ms substractl_set "$kt")
    theirs=$(median_ms openssl_set "$kt")
    ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f", a / b}')
    printf '%-12s %14s %14s %8s\n' "$kt" "$ours" "$theirs" "$ratio"
done
echo "targets: rsa-2048 ratio <= 0.50; ecdsa-p256 substractl < 50 ms"
