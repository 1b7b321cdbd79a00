#!/usr/bin/env bash
# Whole-process benchmarks of the release binary, printed as a Markdown table.
#
#   scripts/bench.sh            # everything, peers included when installed
#   PEERS=0 scripts/bench.sh    # skip cfn-lint and cfn-guard
#   RUNS=30 scripts/bench.sh    # more hyperfine runs per case (default 20)
#
# Needs hyperfine and GNU time (`apt-get install -y hyperfine time`) and
# python3 (to read hyperfine's JSON). Times are hyperfine medians after
# warmup runs; peak RSS is the median of three `/usr/bin/time -v` runs.
# The corpus rows run when ../shared/corpus exists next to the repository.
# BIN=/path/to/cfn-port-lint measures another build of the binary.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
RUNS=${RUNS:-20}
PEERS=${PEERS:-1}

for tool in hyperfine python3 /usr/bin/time; do
    if ! command -v "$tool" >/dev/null; then
        echo "bench.sh: $tool is missing (apt-get install -y hyperfine time python3)" >&2
        exit 2
    fi
done

cd "$ROOT"
echo "Building..." >&2
if [[ -z ${BIN:-} ]]; then
    cargo build --release --locked -q -p cfn-port-cli
    BIN=$TARGET/release/cfn-port-lint
fi
cargo build --release --locked -q -p cfn-port-rules --example generate_template
GEN=$TARGET/release/examples/generate_template

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "Generating templates in $TMP..." >&2
cat >"$TMP/small.yaml" <<'EOF'
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  CachePort:
    Type: Number
    Default: 6379
Resources:
  Sessions:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: sessions
      Engine: redis
      CacheNodeType: cache.t4g.micro
      Port: !Ref CachePort
EOF
"$GEN" --resources 1000 --format yaml >"$TMP/resources-1000.yaml"
"$GEN" --resources 10000 --format yaml >"$TMP/resources-10000.yaml"
"$GEN" --resources 1000 --format json >"$TMP/resources-1000.json"
"$GEN" --resources 10000 --format json >"$TMP/resources-10000.json"
"$GEN" --stress --format yaml >"$TMP/stress.yaml"
# Every resource suppresses EC-012 in its own Metadata: matching findings to
# suppressions must stay linear.
awk 'BEGIN {
    print "Resources:"
    for (i = 0; i < 10000; i++) {
        printf "  Cache%d:\n    Type: AWS::ElastiCache::CacheCluster\n", i
        print "    Metadata:\n      cfn-port-lint:\n        ignore:\n          - rule: EC-012\n            reason: legacy clients"
        print "    Properties:\n      Engine: redis\n      Port: 6379"
    }
}' >"$TMP/suppressed.yaml"

size_of() { stat -c %s "$1"; }

# Bytes of the files a directory run lints (templates, not the TSV and README).
tree_size() {
    find "$1" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) \
        -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'
}

human_bytes() {
    awk -v b="$1" 'BEGIN {
        if (b >= 1000000) printf "%.2f MB", b / 1000000;
        else if (b >= 1000) printf "%.1f KB", b / 1000;
        else printf "%d B", b }'
}

# Median wall time in ms of a command (exit codes 1 and 2 are findings and
# errors, not failures of the benchmark). The mean CPU time (user + system)
# is left in $TMP/cpu-ms: on a busy machine it is steadier than wall time.
median_ms() {
    local runs=$1 warmup=$2
    shift 2
    hyperfine -N -i --style none --warmup "$warmup" --runs "$runs" \
        --export-json "$TMP/hf.json" -- "$*" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f" % (r["median"]*1000)); open(sys.argv[2], "w").write("%.1f" % ((r["user"]+r["system"])*1000))' "$TMP/hf.json" "$TMP/cpu-ms"
}

# Median of three peak RSS readings (or one, with COUNT=1), in MB.
peak_rss_mb() {
    local readings=()
    for _ in $(seq "${COUNT:-3}"); do
        /usr/bin/time -v "$@" >/dev/null 2>"$TMP/time.txt" || true
        readings+=("$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/time.txt")")
    done
    printf '%s\n' "${readings[@]}" | sort -n | sed -n "$(((${#readings[@]} + 1) / 2))p" | awk '{ printf "%.1f", $1 / 1024 }'
}

mb_per_s() { awk -v b="$1" -v ms="$2" 'BEGIN { if (ms > 0) printf "%.1f", b / 1000000 / (ms / 1000); else print "-" }'; }

verdict() { awk -v v="$1" -v limit="$2" -v op="$3" 'BEGIN {
    ok = (op == "<=") ? (v <= limit) : (op == "<") ? (v < limit) : (v >= limit);
    print (ok ? "met" : "**missed**") }'; }

ROWS=()
row() { ROWS+=("| $(IFS='|'; echo "$*" | sed 's/|/ | /g') |"); }

# One case: label, input file (for size), target text, time limit, RSS limit, command...
case_row() {
    local label=$1 input=$2 target=$3 ms_limit=$4 rss_limit=$5
    shift 5
    local bytes ms rss status
    bytes=$(size_of "$input")
    ms=$(median_ms "$RUNS" 3 "$@")
    rss=$(peak_rss_mb "$@")
    status=-
    if [[ $ms_limit != - ]]; then
        status=$(verdict "$ms" "$ms_limit" "<=")
    fi
    if [[ $rss_limit != - ]]; then
        status="$status, RSS $(verdict "$rss" "$rss_limit" "<=")"
    fi
    row "$label" "$(human_bytes "$bytes")" "$ms ms" "$(cat "$TMP/cpu-ms") ms" "$(mb_per_s "$bytes" "$ms") MB/s" "$rss MB" "$target" "$status"
    echo "$ms"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Timing cfn-port-lint ($BIN)..." >&2
"$BIN" --format compact "$TMP/small.yaml" >/dev/null || [[ $? -le 1 ]] || {
    echo "bench.sh: $BIN cannot lint a file" >&2
    exit 2
}

case_row "small template (1 resource)" "$TMP/small.yaml" "≤ 3 ms" 3 - \
    "$BIN" --format compact "$TMP/small.yaml" >/dev/null
case_row "1,000 resources, YAML" "$TMP/resources-1000.yaml" "-" - - \
    "$BIN" --format compact "$TMP/resources-1000.yaml" >"$TMP/ms-1000"
case_row "10,000 resources, YAML" "$TMP/resources-10000.yaml" "≤ 60 ms, ≤ 40 MB" 60 40 \
    "$BIN" --format compact "$TMP/resources-10000.yaml" >"$TMP/ms-10000"
case_row "1,000 resources, JSON" "$TMP/resources-1000.json" "-" - - \
    "$BIN" --format compact "$TMP/resources-1000.json" >"$TMP/ms-1000j"
case_row "10,000 resources, JSON" "$TMP/resources-10000.json" "≤ 30 ms" 30 - \
    "$BIN" --format compact "$TMP/resources-10000.json" >"$TMP/ms-10000j"
# The targets are for compact output. For reference, the same template in
# the other formats, which write much more for its 7,191 findings: code
# frames (113,000 lines in all), JSON and SARIF documents.
for format in human json sarif junit github; do
    case_row "10,000 resources, JSON, --format $format" "$TMP/resources-10000.json" "-" - - \
        "$BIN" --format "$format" "$TMP/resources-10000.json" >/dev/null
done
case_row "stress: 60 conditions, 300 nested Fn::If ports" "$TMP/stress.yaml" "< 100 ms" 100 - \
    "$BIN" --format compact "$TMP/stress.yaml" >/dev/null
case_row "10,000 resources, each with its own suppression" "$TMP/suppressed.yaml" "-" - - \
    "$BIN" --format compact "$TMP/suppressed.yaml" >/dev/null

# Memory of a directory run follows the largest file, not the number of
# files: 10x the files must not mean (much) more memory. The files are
# copies of the 1,000-resource template, each with hundreds of findings.
for count in 50 500; do
    mkdir -p "$TMP/dir-$count"
    for i in $(seq "$count"); do
        cp "$TMP/resources-1000.yaml" "$TMP/dir-$count/t$i.yaml"
    done
done
dir_small=$(peak_rss_mb "$BIN" --format compact "$TMP/dir-50")
dir_large=$(peak_rss_mb "$BIN" --format compact "$TMP/dir-500")
dir_ratio=$(awk -v a="$dir_small" -v b="$dir_large" 'BEGIN { printf "%.1f", b / a }')
row "directory of 50 files (1,000 resources each)" "$(human_bytes "$(tree_size "$TMP/dir-50")")" "-" "-" "-" "$dir_small MB" "-" "-"
row "directory of 500 files (1,000 resources each)" "$(human_bytes "$(tree_size "$TMP/dir-500")")" "-" "-" "-" "$dir_large MB" "≤ 2x the RSS of 50 files" "$(verdict "$dir_ratio" 2 "<="): ${dir_ratio}x"

for format in yaml json; do
    suffix=$([[ $format == json ]] && echo j || true)
    small=$(cat "$TMP/ms-1000$suffix")
    large=$(cat "$TMP/ms-10000$suffix")
    ratio=$(awk -v a="$small" -v b="$large" 'BEGIN { printf "%.1f", b / a }')
    row "linearity, $format: 10,000 vs 1,000 resources" "10x input" "${ratio}x time" "-" "-" "-" "≤ 11x" "$(verdict "$ratio" 11 "<=")"
done

if [[ -d $CORPUS ]]; then
    bytes=$(tree_size "$CORPUS")
    files=$(find "$CORPUS" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) | wc -l)
    corpus_runs=$((RUNS < 10 ? RUNS : 10))
    for jobs in 2 1; do
        ms=$(median_ms "$corpus_runs" 1 "$BIN" --format compact -j "$jobs" "$CORPUS")
        cpu=$(cat "$TMP/cpu-ms")
        rss=$(peak_rss_mb "$BIN" --format compact -j "$jobs" "$CORPUS")
        rate=$(mb_per_s "$bytes" "$ms")
        target="-"
        status="-"
        if [[ $jobs == 2 ]]; then
            target="≥ 50 MB/s"
            status=$(verdict "$rate" 50 ">=")
        fi
        row "corpus, $files files, -j $jobs" "$(human_bytes "$bytes")" "$ms ms" "$cpu ms" "$rate MB/s" "$rss MB" "$target" "$status"
    done
    "$BIN" --format compact -j 2 "$CORPUS" >"$TMP/corpus-j2.txt" 2>&1 || true
    "$BIN" --format compact -j 1 "$CORPUS" >"$TMP/corpus-j1.txt" 2>&1 || true
    if cmp -s "$TMP/corpus-j1.txt" "$TMP/corpus-j2.txt"; then
        same="identical ($(wc -l <"$TMP/corpus-j1.txt") lines)"
        status=met
    else
        same="**differ**"
        status="**missed**"
    fi
    row "corpus output, -j 2 vs -j 1 (cmp)" "-" "-" "-" "-" "-" "identical" "$status: $same"
else
    row "corpus" "not found at $CORPUS" "-" "-" "-" "-" "≥ 50 MB/s" "not measured"
fi

# Peers, on the same inputs, fewer runs: they take seconds to minutes.
PEER_ROWS=()
peer_row() {
    local tool=$1 label=$2 input=$3 runs=$4
    shift 4
    local ms rss
    ms=$(median_ms "$runs" "$((runs > 1 ? 1 : 0))" "$@")
    rss=$(COUNT=1 peak_rss_mb "$@")
    PEER_ROWS+=("| $tool | $label | $(human_bytes "$(size_of "$input")") | $ms ms | $rss MB |")
}
if [[ $PEERS != 0 ]]; then
    if command -v cfn-lint >/dev/null; then
        echo "Timing cfn-lint (slow)..." >&2
        version=$(cfn-lint --version 2>/dev/null | awk '{ print $2 }')
        peer_row "cfn-lint $version" "small template" "$TMP/small.yaml" 5 cfn-lint "$TMP/small.yaml"
        peer_row "cfn-lint $version" "stress template" "$TMP/stress.yaml" 3 cfn-lint "$TMP/stress.yaml"
        peer_row "cfn-lint $version" "10,000 resources, YAML" "$TMP/resources-10000.yaml" 1 cfn-lint "$TMP/resources-10000.yaml"
    fi
    if command -v cfn-guard >/dev/null; then
        echo "Timing cfn-guard..." >&2
        cat >"$TMP/ec012.guard" <<'EOF'
let caches = Resources.*[ Type == 'AWS::ElastiCache::CacheCluster' or Type == 'AWS::ElastiCache::ReplicationGroup' ]
rule ec012_default_port when %caches !empty {
    %caches.Properties.Port exists
    %caches.Properties.Port not in [6379, 11211]
}
EOF
        version=$(cfn-guard --version 2>/dev/null | awk '{ print $2 }')
        for input in small.yaml stress.yaml resources-10000.yaml resources-10000.json; do
            peer_row "cfn-guard $version" "$input" "$TMP/$input" 3 \
                cfn-guard validate --rules "$TMP/ec012.guard" --data "$TMP/$input"
        done
    fi
fi

model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "cfn-port-lint $("$BIN" --version 2>/dev/null | awk '{ print $2 }') on $(nproc) cores ($model), $(date -u +%Y-%m-%d), hyperfine medians of $RUNS runs after 3 warmups; load average before: $LOAD_BEFORE."
echo
echo "| case | input | median wall | CPU (user+sys) | throughput | peak RSS | target | status |"
echo "|---|---:|---:|---:|---:|---:|---|---|"
printf '%s\n' "${ROWS[@]}"
if ((${#PEER_ROWS[@]})); then
    echo
    echo "Peers on the same inputs (fewer runs):"
    echo
    echo "| tool | case | input | median | peak RSS |"
    echo "|---|---|---:|---:|---:|"
    printf '%s\n' "${PEER_ROWS[@]}"
fi
