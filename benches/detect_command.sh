#!/usr/bin/env bash
# docs/figures.md: `treadbeat detect` on 30 minutes of 48 kHz mono, the
# whole command (decoding three times: the metronome finder's two passes,
# the detector), wall time and peak memory, three runs. The recording is a
# rendered easy-run: clicks and nothing else, so the finder has a train.
#
# With OTHER (another build of treadbeat, e.g. the commit before a change)
# the runs alternate between it and this build, so that a machine whose
# speed drifts by the minute (the test VM's did) weighs on both alike.
#   bash benches/detect_command.sh [OTHER]
set -euo pipefail
cd "$(dirname "$0")/.."
other=${1:-}
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/treadbeat render easy-run --no-voice --mono -o "$dir/easy.wav" >/dev/null
for run in 1 2 3; do
  if [ -n "$other" ]; then
    /usr/bin/time -f "other: wall %e s, max RSS %M KB" \
      "$other" detect "$dir/easy.wav" >/dev/null
  fi
  /usr/bin/time -f "detect: wall %e s, max RSS %M KB" \
    target/release/treadbeat detect "$dir/easy.wav" >/dev/null
done
