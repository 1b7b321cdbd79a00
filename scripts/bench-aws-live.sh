#!/usr/bin/env bash
# Live audit speed: 20 regions x 200 replication groups in the moto emulator,
# audited with every region at once and then one region at a time.
#
#   bash scripts/bench-aws-live.sh PYTHON   # a Python with moto[server], boto3
#
# Builds the release binary with the `aws` feature, starts moto on a free
# loopback port (stopped by its process id on exit), seeds it, then times
# each mode with hyperfine when present, else with `date`. The emulator is
# one Python process: what it can serve at once bounds the gain.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:?usage: bench-aws-live.sh PYTHON (with moto[server] and boto3)}"
regions=(us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 sa-east-1
  eu-west-1 eu-west-2 eu-west-3 eu-central-1 eu-north-1 eu-south-1
  ap-south-1 ap-southeast-1 ap-southeast-2 ap-northeast-1 ap-northeast-2
  ap-northeast-3 me-south-1 af-south-1)
per_region=200

# BIN=target/debug/cfn-port-lint skips the release build of the SDK.
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -p cfn-port-cli --features aws
fi
bin="${BIN:-target/release/cfn-port-lint}"

port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$python" -m moto.server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true' EXIT
endpoint="http://127.0.0.1:$port"
until "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null; do
  sleep 0.2
done

calls="$("$python" -c '
import json, sys
print(json.dumps([{"region": r, "op": "create_replication_group", "repeat": int(sys.argv[1]),
  "args": {"ReplicationGroupId": "group-{n}", "ReplicationGroupDescription": "bench",
           "CacheNodeType": "cache.t3.micro"}} for r in sys.argv[2:]]))' "$per_region" "${regions[@]}")"
echo "seeding ${#regions[@]} regions x $per_region replication groups..."
AWS_EC2_METADATA_DISABLED=true "$python" cfn-port-cli/tests/aws/seed.py "$endpoint" "$calls"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
region_flags=()
for region in "${regions[@]}"; do region_flags+=(--region "$region"); done
# Each run fetches and lints every region (every group is on the default
# port, so --exit-zero keeps hyperfine from taking the findings for a failure).
audit() { "$bin" aws --endpoint-url "$endpoint" "${region_flags[@]}" --concurrent-regions "$1" -q -f compact --exit-zero >/dev/null; }

groups="$("$bin" aws --endpoint-url "$endpoint" "${region_flags[@]}" --save-output - | grep -c '"ReplicationGroupId"')" || true
echo "one audit returns $groups replication groups"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs 5 \
    -n "20 regions at once" "$bin aws --endpoint-url $endpoint ${region_flags[*]} --concurrent-regions 20 -q -f compact --exit-zero" \
    -n "one region at a time" "$bin aws --endpoint-url $endpoint ${region_flags[*]} --concurrent-regions 1 -q -f compact --exit-zero"
else
  for n in 20 1; do
    start=$(date +%s.%N); audit "$n"; end=$(date +%s.%N)
    echo "--concurrent-regions $n: $(echo "$end - $start" | bc) s"
  done
fi
