#!/usr/bin/env bash
# docs/figures.md: `treadbeat render` of a 60-minute ramped session to a 16-bit
# WAV on disk, wall time and peak memory (max RSS), three runs, next to `dd`
# writing the same number of bytes, for the disk's own speed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/hour.toml" <<'TOML'
name = "hour"
[click]
count_in = 4
accent = 4
[[step]]
repeat = 10
steps = [ { time = "3m", cadence = "160..185" }, { time = "3m", cadence = "185..165" } ]
TOML
for run in 1 2 3; do
  /usr/bin/time -f "render: wall %e s, max RSS %M KB" \
    target/release/treadbeat render "$dir/hour.toml" -o "$dir/hour.wav" >/dev/null
  bytes=$(stat -c %s "$dir/hour.wav")
  rm -f "$dir/hour.wav"
  dd if=/dev/zero of="$dir/dd.bin" bs=1M count=$((bytes / 1048576)) 2>&1 | tail -1 | sed 's/^/dd: /'
  rm -f "$dir/dd.bin"
done
