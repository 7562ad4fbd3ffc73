#!/usr/bin/env bash
# Times `kingdon robustness` as a user runs it (the whole process, release build), on the
# Horgos case and on the case with more assumptions added (each an assumed advocate dated
# after the case, so that the verdicts stay as they are and only the number of readings
# grows). Prints a Markdown table: assumptions, readings, median of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
kingdon=target/release/kingdon
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp -r rules "$dir/"
echo "| assumptions | readings | time (median of 5) |"
echo "|---:|---:|---:|"
for extra in 0 20 60 140; do
    case="$dir/rules/bench_$extra.msf"
    {
        echo 'include "horgos.msf".'
        for i in $(seq 1 "$extra"); do
            echo "advocates(bench_$i, frontier_cooperation_center) @ 2030 assumed \"benchmark\"."
        done
    } > "$case"
    readings=$("$kingdon" robustness "$case" --format json | grep -o '"readings":[0-9]*' | cut -d: -f2)
    times=()
    for _ in 1 2 3 4 5; do
        start=$(date +%s%N)
        "$kingdon" robustness "$case" > /dev/null
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
    echo "| $((21 + extra)) | $readings | $median ms |"
done
