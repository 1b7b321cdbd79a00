#!/usr/bin/env bash
# Runs each cargo-fuzz target of fuzz/ for a set time, one after the other,
# and prints how many inputs each ran and what it found.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; TARGETs default to every target.
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). On a stable
# toolchain RUSTC_BOOTSTRAP=1 unlocks the -Z flags cargo-fuzz passes.
#
# Seeds: fuzz/seeds/<target>/ (hand-written, in git), the repository's
# testdata/ (templates for parse_lint, Terraform fixtures for terraform)
# and, when present, ../shared/corpus/{general,elasticache,bad} are copied
# into fuzz/corpus/<target>/ (git-ignored) before each run.
#
# One fuzzer runs at a time, single-threaded (-jobs=1 -workers=1), so one
# core stays free. A crash or timeout ends a libFuzzer run; the script then
# starts it again until the time is spent, so one known bug does not end the
# session. Findings land in fuzz/artifacts/<target>/.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(parse_lint structured_template budget saved_output terraform)
fi
export RUSTC_BOOTSTRAP=1
# cargo-fuzz builds into fuzz/target; never reuse the workspace's target dir.
unset CARGO_TARGET_DIR

fuzz_dir="$root/fuzz"
corpus_root="$root/../shared/corpus"
logs="$fuzz_dir/logs"
mkdir -p "$logs"

seed() {
    local target="$1" dest="$fuzz_dir/corpus/$1"
    mkdir -p "$dest"
    if [ -d "$fuzz_dir/seeds/$target" ]; then
        cp -n "$fuzz_dir/seeds/$target"/* "$dest"/ 2>/dev/null || true
    fi
    if [ "$target" = terraform ]; then
        # The Terraform fixtures are the seeds: no copy of them in seeds/.
        # Named by their path: most of them are called main.tf.
        find "$root/testdata/terraform" "$root/testdata/terraform-family" -type f \
            \( -name '*.tf' -o -name '*.tf.json' -o -name '*.tfvars' \) -size -65k |
            while read -r file; do
                rel="${file#"$root"/testdata/}"
                cp -n "$file" "$dest/${rel//\//_}"
            done
    fi
    if [ "$target" = parse_lint ]; then
        find "$root/testdata" -type f -size -65k -exec cp -n {} "$dest"/ \; 2>/dev/null || true
        for folder in general elasticache bad; do
            if [ -d "$corpus_root/$folder" ]; then
                find "$corpus_root/$folder" -type f -size -65k -exec cp -n {} "$dest"/ \;
            fi
        done
    fi
}

cd "$fuzz_dir"
# Others may be editing the library while this runs: retry a failed build
# for a few minutes before giving up.
for target in "${targets[@]}"; do
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        if cargo fuzz build -O "$target"; then
            break
        fi
        if [ "$attempt" -eq 10 ]; then
            echo "fuzz.sh: $target does not build" >&2
            exit 1
        fi
        sleep 30
    done
done

summary=()
for target in "${targets[@]}"; do
    seed "$target"
    artifacts="$fuzz_dir/artifacts/$target"
    mkdir -p "$artifacts"
    before=$(find "$artifacts" -type f | wc -l)
    start=$(date +%s)
    runs=0
    restarts=0
    while :; do
        now=$(date +%s)
        left=$((seconds - (now - start)))
        [ "$left" -gt 0 ] || break
        log="$logs/$target-$(date +%Y%m%d-%H%M%S).log"
        # -jobs=1 makes libFuzzer run the job in a child that logs to
        # fuzz-0.log in the current directory; run from the log folder.
        (cd "$logs" && cargo fuzz run -O --fuzz-dir "$fuzz_dir" "$target" \
            "$fuzz_dir/corpus/$target" -- \
            -max_total_time="$left" -jobs=1 -workers=1 \
            -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 >"$log" 2>&1) || true
        if [ -f "$logs/fuzz-0.log" ]; then
            cat "$logs/fuzz-0.log" >>"$log"
            rm -f "$logs/fuzz-0.log"
        fi
        done_runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
        if [ -z "$done_runs" ]; then
            done_runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
        fi
        runs=$((runs + ${done_runs:-0}))
        if grep -qE 'ERROR: libFuzzer|SUMMARY: libFuzzer|panicked at|Test unit written' "$log"; then
            restarts=$((restarts + 1))
            grep -E 'panicked at|ERROR: libFuzzer|Test unit written' "$log" | head -3
            sleep 1
        fi
    done
    after=$(find "$artifacts" -type f | wc -l)
    elapsed=$(( $(date +%s) - start ))
    line="$target: $runs executions in ${elapsed}s, $((after - before)) new artifact(s) ($after in $artifacts), $restarts restart(s) after a crash or timeout"
    echo "$line"
    summary+=("$line")
done

echo
echo "== fuzz summary =="
printf '%s\n' "${summary[@]}"
