#!/usr/bin/env bash
# docs/figures.md: `treadbeat render` of a 60-minute ramped session to a 16-bit
# WAV on disk, wall time and peak memory (max RSS), three runs, next to `dd`
# writing the same number of bytes, for the disk's own speed; then the same
# session as FLAC and MP3 (wall time, max RSS, size), and the MP3 size of an
# hour of coached intervals (the voice on), against the 60 MB bar, with its
# peak memory (the phrases are read from the speech cache as reached).
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
for format in flac mp3; do
  /usr/bin/time -f "render .$format: wall %e s, max RSS %M KB" \
    target/release/treadbeat render "$dir/hour.toml" -o "$dir/hour.$format" >/dev/null
  echo "size .$format: $(stat -c %s "$dir/hour.$format") bytes"
done
cat > "$dir/coached.toml" <<'TOML'
name = "An hour of intervals"
[defaults]
cadence = 172
speed = "9.5 km/h"
[[step]]
name = "Warm-up"
time = "8m"
cadence = "160..170"
speed = "7..9 km/h"
say = "Easy start. Tall posture, relaxed hips."
[[step]]
repeat = 9
steps = [
  { name = "Tempo", time = "3m", cadence = 180, pace = "5:00/km", say = "Quick feet, stay tall." },
  { name = "Float", time = "2m", cadence = 170, speed = "8.5 km/h" },
]
[[step]]
name = "Cool-down"
time = "7m"
kind = "walk"
cadence = 120
speed = "5 km/h"
TOML
/usr/bin/time -f "coached hour .mp3: wall %e s, max RSS %M KB" \
  target/release/treadbeat render "$dir/coached.toml" -o "$dir/coached.mp3" | sed 's/^.*: //'
echo "coached hour .mp3: $(stat -c %s "$dir/coached.mp3") bytes"
