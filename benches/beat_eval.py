#!/usr/bin/env python3
"""The beat tracker on real annotated music, beside librosa and madmom.

F-measure at +-70 ms as mir_eval defines it (mir_eval.beat.f_measure after
mir_eval.beat.trim_beats: beats in the first 5 s are ignored), on every
recording below. No audio is kept in this repository: the recordings and
annotations are read out of local snapshots of the public repositories
that ship them, pinned to a commit:

  audio        mir-dataset-loaders/mirdata @ b95bf38 (BSD-3-Clause code;
               tests/resources holds full-length clips of each dataset)
  annotations  superbock/ISMIR2019 @ 8a40d5d (the beat annotations and the
               multi-task TCN's detections of Boeck, Davies & Knees 2019;
               no licence file: used here for measurement only)

Usage (in a Python with librosa, mir_eval and optionally madmom):
  benches/beat_eval.py --treadbeat target/release/treadbeat \
      --mirdata /path/to/mirdata.git --ismir2019 /path/to/ISMIR2019.git
The two paths are git directories (a clone or a bare snapshot); the
script only runs `git show COMMIT:PATH` in them.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import mir_eval
import numpy as np

MIRDATA_COMMIT = "b95bf3893616ff16082beed7869f144bb711c163"
ISMIR2019_COMMIT = "8a40d5dc1a6d43ff3de65de9cd5d1435973a8da2"
AUDIO = "tests/resources/mir_datasets/"

# (name, audio path in mirdata, annotation stem in ISMIR2019)
TRACKS = [
    ("Ballroom Media-105901 (waltz)", AUDIO + "ballroom/B_1.0/audio/Waltz/Media-105901.wav",
     "ballroom/{}/ballroom_Media-105901"),
    ("GTZAN country.00000", AUDIO + "gtzan_genre/gtzan_genre/genres/country/country.00000.wav",
     "gtzan/{}/gtzan_country_00000"),
    ("Hainsworth 001", AUDIO + "hainsworth/H_1.0/audio/hains001.flac",
     "hainsworth/{}/hainsworth_001"),
    ("SIMAC greek 01", AUDIO + "simac/S_1.0/audio/simac_01_H_mikri_Rallou.flac",
     "simac/{}/simac_greek_01_H_mikri_Rallou"),
]


def git_show(git_dir, commit, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def beats_of(text):
    return np.array([float(line.split()[0]) for line in text.splitlines() if line.strip()])


def ours(binary, audio, cache):
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    out = subprocess.run([binary, "beats", audio, "--json"], check=True,
                         capture_output=True, env=env).stdout
    grid = json.loads(out)
    return np.array(grid["beats"]), np.array(grid["downbeats"]), grid


def librosa_beats(audio):
    import librosa
    y, sr = librosa.load(audio, sr=22050, mono=True)
    _, beats = librosa.beat.beat_track(y=y, sr=sr, units="time")
    return np.asarray(beats)


def madmom_beats(audio):
    from madmom.features.beats import DBNBeatTrackingProcessor, RNNBeatProcessor
    activations = RNNBeatProcessor()(audio)
    return DBNBeatTrackingProcessor(fps=100)(activations)


def f_measure(reference, estimated):
    return mir_eval.beat.f_measure(mir_eval.beat.trim_beats(reference),
                                   mir_eval.beat.trim_beats(estimated))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treadbeat", required=True)
    parser.add_argument("--mirdata", required=True, help="git dir of mirdata")
    parser.add_argument("--ismir2019", required=True, help="git dir of ISMIR2019")
    args = parser.parse_args()
    try:
        import madmom  # noqa: F401
        have_madmom = True
    except Exception as error:  # an old madmom fails on import under Python 3.10+
        print(f"madmom unavailable ({error}); its column is left out", file=sys.stderr)
        have_madmom = False
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for name, audio_path, stem in TRACKS:
            audio = os.path.join(work, os.path.basename(audio_path))
            with open(audio, "wb") as f:
                f.write(git_show(args.mirdata, MIRDATA_COMMIT, audio_path))
            annotation = git_show(args.ismir2019, ISMIR2019_COMMIT,
                                  stem.format("annotations/beats") + ".beats").decode()
            reference = beats_of(annotation)
            downbeat_ref = np.array([float(l.split()[0]) for l in annotation.splitlines()
                                     if l.strip() and len(l.split()) > 1 and l.split()[1] == "1"])
            tcn = beats_of(git_show(args.ismir2019, ISMIR2019_COMMIT,
                                    stem.format("detections/multi_task") + ".beats.txt").decode())
            estimated, downbeats, grid = ours(args.treadbeat, audio, os.path.join(work, "cache"))
            row = {
                "name": name,
                "ref_bpm": 60.0 / np.median(np.diff(reference)),
                "ours_bpm": grid["tempo"],
                "confidence": grid["confidence"],
                "ours": f_measure(reference, estimated),
                "ours_downbeats": f_measure(downbeat_ref, downbeats) if len(downbeat_ref) else None,
                "librosa": f_measure(reference, librosa_beats(audio)),
                "madmom": f_measure(reference, madmom_beats(audio)) if have_madmom else None,
                "tcn2019": f_measure(reference, tcn),
            }
            rows.append(row)
    columns = ["ours", "librosa", "madmom", "tcn2019"]
    print("| recording | annotated BPM | our BPM (confidence) | ours | librosa | madmom | Böck 2019 TCN | our downbeats |")
    print("|---|---|---|---|---|---|---|---|")
    fmt = lambda v: "–" if v is None else f"{v:.3f}"
    for r in rows:
        print(f"| {r['name']} | {r['ref_bpm']:.1f} | {r['ours_bpm']:.1f} ({r['confidence']:.2f}) | "
              + " | ".join(fmt(r[c]) for c in columns) + f" | {fmt(r['ours_downbeats'])} |")
    means = {c: None if any(r[c] is None for r in rows) else float(np.mean([r[c] for r in rows]))
             for c in columns}
    print("| **mean** | | | " + " | ".join(fmt(means[c]) for c in columns) + " | |")


if __name__ == "__main__":
    main()
