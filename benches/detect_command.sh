#!/usr/bin/env bash
# docs/figures.md: `treadbeat detect` on 30 minutes of 48 kHz mono, the
# whole command (decoding three times: the metronome finder's two passes,
# the detector), wall time and peak memory, three runs. The recording is a
# rendered easy-run: clicks and nothing else, so the finder has a train.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/treadbeat render easy-run --no-voice --mono -o "$dir/easy.wav" >/dev/null
for run in 1 2 3; do
  /usr/bin/time -f "detect: wall %e s, max RSS %M KB" \
    target/release/treadbeat detect "$dir/easy.wav" >/dev/null
done
