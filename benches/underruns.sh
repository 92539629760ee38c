#!/usr/bin/env bash
# docs/figures.md: under-runs per 10-second session (180 spm) by buffer size,
# three sessions each, through the PulseAudio null sink that .ci/pulse-up
# starts. Usage: source .ci/pulse-up; bash benches/underruns.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
profile=$(mktemp --suffix=.toml)
trap 'rm -f "$profile"' EXIT
printf 'name = "underruns"\n[click]\ncount_in = 0\n[[step]]\ntime = "10s"\ncadence = 180\n' > "$profile"
for buffer in 64 128 256 512 1024; do
  counts=()
  for _ in 1 2 3; do
    line=$(target/release/treadbeat run "$profile" --device pulse --buffer "$buffer" </dev/null | tail -1)
    counts+=("$(grep -o '[0-9]* under-runs' <<<"$line" | cut -d' ' -f1)")
  done
  echo "buffer $buffer: ${counts[*]}"
done
