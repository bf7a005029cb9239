"""The files of a heatmap job, drawn from its stored tracks: shared by the worker (first drawing) and the
render route (redrawing with other options, without re-running detection)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from app.core import storage
from app.vision.heat import accumulate
from app.vision.images import encode_png
from app.vision.render import render_heatmap, render_tracks
from app.vision.tracks import Tracks

TRACKS_FILE = "tracks.npz"
BACKGROUND_FILE = "background.png"
STATS_FILE = "stats.json"
RENDER_KEYS = ("colormap", "radius", "anchor", "mode", "t_start", "t_end", "normalization", "opacity")


def write_json(target: Path, data: dict[str, Any]) -> dict[str, Any]:
    return storage.write_bytes(target, json.dumps(data, indent=2).encode())


def save_tracks(folder: Path, tracks: Tracks) -> list[dict[str, Any]]:
    """`tracks.npz` (per-sample detections, background included) and `background.png`."""
    target = folder / TRACKS_FILE
    with storage.atomic_path(target) as tmp:
        tracks.save(tmp)
    background = storage.write_bytes(folder / BACKGROUND_FILE, encode_png(tracks.background))
    return [storage.describe(target), background]


def load_tracks(folder: Path) -> Tracks:
    return Tracks.load(folder / TRACKS_FILE)


def render_files(folder: Path, tracks: Tracks, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Draw `heatmap.png` (overlay with legend), `heatmap.npy` (person-seconds) and `tracks.png`."""
    options = {key: params[key] for key in RENDER_KEYS if key in params}
    heat = accumulate(
        tracks, anchor=options["anchor"], radius=options["radius"], mode=options["mode"],
        t_start=options.get("t_start"), t_end=options.get("t_end"),
    )
    overlay = render_heatmap(
        heat, tracks.background, colormap=options["colormap"], opacity=options["opacity"],
        normalization=options["normalization"],
    )
    trajectories = render_tracks(
        tracks, tracks.background, anchor=options["anchor"], t_start=options.get("t_start"), t_end=options.get("t_end")
    )
    return [
        storage.write_bytes(folder / "heatmap.png", encode_png(overlay)),
        storage.write_npy(folder / "heatmap.npy", heat.astype(np.float32, copy=False)),
        storage.write_bytes(folder / "tracks.png", encode_png(trajectories)),
    ]
