"""Drawing heatmaps and track paths over a background, with a legend in person-seconds.

Pure numpy/OpenCV.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

import cv2
import numpy as np

from app.vision.tracks import DEFAULT_ANCHOR, Anchor, Tracks, anchor_points

Normalization = Literal["max", "p99", "log"]
NORMALIZATIONS: tuple[Normalization, ...] = get_args(Normalization)
Colormap = Literal["turbo", "jet", "magma", "inferno", "plasma", "viridis", "cividis", "hot", "parula", "twilight"]
COLORMAPS: dict[Colormap, int] = {name: getattr(cv2, f"COLORMAP_{name.upper()}") for name in get_args(Colormap)}
DEFAULT_COLORMAP: Colormap = "turbo"
DEFAULT_NORMALIZATION: Normalization = "p99"
#: Blend weight of the heat colours over the background.
DEFAULT_OPACITY = 0.6

#: In `log` normalisation the colour scale spans this many decades below the maximum.
LOG_DECADES = 3.0


def normalize(
    heat: np.ndarray, normalization: Normalization = DEFAULT_NORMALIZATION
) -> tuple[np.ndarray, Callable[[float], float]]:
    """Map heat to [0, 1] for colouring.

    Args:
        heat: (H, W) person-seconds.
        normalization: `max` (linear to the maximum), `p99` (linear to the 99th percentile of the heated
            pixels, brighter ones saturate) or `log` (logarithmic over `LOG_DECADES` below the maximum).

    Returns:
        (H, W) float32 in [0, 1], and the inverse: scale position -> person-seconds (for the legend).
    """
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {NORMALIZATIONS}, got {normalization!r}")
    peak = float(heat.max()) if heat.size else 0.0
    if peak <= 0:
        return np.zeros(heat.shape, np.float32), lambda _: 0.0
    if normalization == "log":
        floor = peak * 10**-LOG_DECADES
        scale = math.log1p(peak / floor)
        value = np.log1p(np.maximum(heat, 0) / floor) / scale
        return np.clip(value, 0, 1).astype(np.float32), lambda p: floor * math.expm1(p * scale)
    top = peak if normalization == "max" else float(np.percentile(heat[heat > 0], 99))
    return np.clip(heat / top, 0, 1).astype(np.float32), lambda p: p * top


#: The legend's area: heat per pixel is a tiny number (0.0002 person-s); per 100 x 100 px it reads plainly.
LEGEND_AREA_PX = 100 * 100
LEGEND_POSITIONS = (1.0, 0.75, 0.5, 0.25, 0.0)


@dataclass(frozen=True)
class LegendUnit:
    """What a heatmap legend's values count: person-seconds per `area_px` frame pixels.

    Attributes:
        area_px: Frame pixels one unit of area covers.
        name: The unit in words.
        titles: Its two lines in a legend drawn into an image (OpenCV's fonts have no "×" nor "²").
    """

    area_px: float
    name: str
    titles: tuple[str, str]


PER_100_PX = LegendUnit(LEGEND_AREA_PX, "person-s per 100×100 px", ("person-s per", "100x100 px"))


def per_square_metre(px_per_m2: float) -> LegendUnit:
    """Person-seconds per m² of floor, where `px_per_m2` frame pixels make a square metre (a calibrated floor's
    `Homography.px_per_m2`)."""
    return LegendUnit(px_per_m2, "person-s per m²", ("person-s", "per m2"))


def legend_ticks(inverse: Callable[[float], float], unit: LegendUnit = PER_100_PX) -> list[tuple[float, float]]:
    """(scale position, person-seconds per `unit`) at each of `LEGEND_POSITIONS`."""
    return [(position, inverse(position) * unit.area_px) for position in LEGEND_POSITIONS]


def colour_stops(colormap: Colormap, count: int = 11) -> list[str]:
    """`count` "#rrggbb" colours evenly along a colour map, low end first (for a legend drawn elsewhere)."""
    ramp = np.linspace(0, 255, count).astype(np.uint8)[:, None]
    return [f"#{r:02x}{g:02x}{b:02x}" for b, g, r in cv2.applyColorMap(ramp, COLORMAPS[colormap])[:, 0]]


def render_heatmap(
    heat: np.ndarray,
    background: np.ndarray,
    *,
    colormap: Colormap = DEFAULT_COLORMAP,
    opacity: float = DEFAULT_OPACITY,
    normalization: Normalization = DEFAULT_NORMALIZATION,
    legend: bool = True,
    scaled: tuple[np.ndarray, Callable[[float], float]] | None = None,
    unit: LegendUnit = PER_100_PX,
) -> np.ndarray:
    """Colour the heat over the background, with a legend in person-seconds per `unit` on the right.

    A pixel's colour blends in with `opacity` times its scale position, ramped over the lowest 10% of the
    scale, so empty areas show the plain background.

    Args:
        heat: (H, W) person-seconds.
        background: (H, W, 3) uint8 BGR.
        colormap: A key of `COLORMAPS`.
        opacity: Blend weight of the colours, 0-1.
        normalization: See `normalize`.
        legend: Append the colour bar panel.
        scaled: `normalize(heat, normalization)` when the caller has it already (it costs ~1 s at 1080p).
        unit: The legend's unit (100 x 100 px, or a square metre of a calibrated floor).

    Returns:
        (H, W + legend width, 3) uint8 BGR (legend width 0 without the legend).
    """
    if colormap not in COLORMAPS:
        raise ValueError(f"colormap must be one of {tuple(COLORMAPS)}, got {colormap!r}")
    if not 0 <= opacity <= 1:
        raise ValueError("opacity must be between 0 and 1")
    if heat.shape != background.shape[:2]:
        raise ValueError(f"heat {heat.shape} and background {background.shape[:2]} sizes differ")
    value, inverse = scaled if scaled is not None else normalize(heat, normalization)
    image = colour_over(value, background, colormap=colormap, opacity=opacity)
    if not legend:
        return image
    ticks = legend_ticks(inverse, unit)
    return np.hstack([image, legend_panel(background.shape[0], colour_table(colormap), ticks, unit.titles)])


def colour_over(
    value: np.ndarray,
    background: np.ndarray,
    *,
    colormap: Colormap = DEFAULT_COLORMAP,
    opacity: float = DEFAULT_OPACITY,
) -> np.ndarray:
    """Blend the colours of `value` ((H, W) in [0, 1]) over `background` ((H, W, 3) uint8 BGR): `opacity` times
    the scale position, ramped over the lowest 10% of the scale, so empty areas show the plain background."""
    colours = cv2.applyColorMap((value * 255).astype(np.uint8), COLORMAPS[colormap])
    alpha = (opacity * np.clip(value * 10, 0, 1)).astype(np.float32)
    return cv2.blendLinear(colours, background, alpha, 1 - alpha)


def colour_table(colormap: Colormap) -> np.ndarray:
    """(256, 1, 3) uint8 BGR: the colour map's colour at each of the 256 scale steps (`cv2.LUT`'s table)."""
    return cv2.applyColorMap(np.arange(256, dtype=np.uint8)[:, None], COLORMAPS[colormap])


def legend_panel(
    height: int,
    table: np.ndarray,
    ticks: list[tuple[float, float]],
    titles: tuple[str, str] = PER_100_PX.titles,
) -> np.ndarray:
    """(H, w, 3) uint8 panel: a vertical colour bar of `table` (see `colour_table`) with `ticks` ((scale position,
    value)) labelled in the unit `titles` names."""
    font, scale = cv2.FONT_HERSHEY_SIMPLEX, max(0.3, height / 900)
    thickness = max(1, round(scale * 1.5))
    labels = [(p, f"{value:.3g}") for p, value in ticks]
    text_w = max(cv2.getTextSize(text, font, scale, thickness)[0][0] for text in [t for _, t in labels] + list(titles))
    text_h = cv2.getTextSize("0", font, scale, thickness)[0][1]
    margin, bar_w = max(4, height // 60), max(8, height // 30)
    top, bottom = margin * 2 + 2 * (text_h + margin), height - margin - text_h
    panel = np.full((height, 3 * margin + bar_w + text_w + 2, 3), 32, np.uint8)
    if bottom - top < 2:
        return panel
    ramp = np.linspace(255, 0, bottom - top).astype(np.uint8)[:, None].repeat(bar_w, 1)
    panel[top:bottom, margin : margin + bar_w] = table[ramp, 0]
    for row, title in enumerate(titles):
        y = margin + (row + 1) * (text_h + margin // 2)
        cv2.putText(panel, title, (margin, y), font, scale, (235, 235, 235), thickness, cv2.LINE_AA)
    for position, label in labels:
        y = round(bottom - 1 - position * (bottom - top - 1))
        cv2.line(panel, (margin + bar_w, y), (margin + bar_w + margin // 2, y), (235, 235, 235), 1)
        origin = (2 * margin + bar_w + 2, y + text_h // 2)
        cv2.putText(panel, label, origin, font, scale, (235, 235, 235), thickness, cv2.LINE_AA)
    return panel


def track_colour(track_id: int) -> tuple[int, int, int]:
    """A stable, well-spread BGR colour for a track id (golden-ratio hues)."""
    hue = int((track_id * 0.618033988749895 % 1.0) * 180)
    bgr = cv2.cvtColor(np.array([[[hue, 220, 255]]], np.uint8), cv2.COLOR_HSV2BGR)[0, 0]
    return int(bgr[0]), int(bgr[1]), int(bgr[2])


def render_tracks(
    tracks: Tracks,
    background: np.ndarray,
    *,
    anchor: Anchor = DEFAULT_ANCHOR,
    t_start: float | None = None,
    t_end: float | None = None,
) -> np.ndarray:
    """Draw each track's anchor path over the dimmed background, one colour per track id.

    Args:
        tracks: Per-sample detections.
        background: (H, W, 3) uint8 BGR.
        anchor: Which point of the box to follow (`box` follows the centre).
        t_start: Only detections at or after this second.
        t_end: Only detections before this second.

    Returns:
        (H, W, 3) uint8 BGR.
    """
    image = (background * 0.6).astype(np.uint8)
    selected = tracks.window(t_start, t_end)
    points = anchor_points(selected.xyxy, anchor)
    thickness = max(1, round(background.shape[0] / 360))
    for track in np.unique(selected.track_id):
        rows = np.flatnonzero(selected.track_id == track)
        path = np.round(points[rows[np.argsort(selected.t[rows], kind="stable")]]).astype(np.int32)
        colour = track_colour(int(track))
        cv2.polylines(image, [path.reshape(-1, 1, 2)], False, colour, thickness, cv2.LINE_AA)
        cv2.circle(image, (int(path[-1, 0]), int(path[-1, 1])), 2 * thickness + 1, colour, -1, cv2.LINE_AA)
    return image


#: `render_floor` draws the floor grid this many pixels on its longer side (at least one per cell).
FLOOR_SIDE_PX = 480
FLOOR_TICK_STEPS_M = (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)


def render_floor(
    heat: np.ndarray,
    *,
    origin_m: tuple[float, float],
    cell_m: float,
    area_m: np.ndarray,
    colormap: Colormap = DEFAULT_COLORMAP,
) -> np.ndarray:
    """A top-down floor heatmap: cells coloured on the `p99` scale, the calibrated area outlined, axes in metres
    (X to the right, Y down, as the world points were given) and a legend in person-seconds per m^2.

    Args:
        heat: (rows, cols) person-seconds per m^2; cell (0, 0) spans `origin_m` to `origin_m + cell_m`.
        origin_m: (X, Y) metres of the grid's corner.
        cell_m: Side of a cell, metres.
        area_m: (K, 2) calibrated area's vertices, metres.
        colormap: A key of `COLORMAPS`.

    Returns:
        (H, W, 3) uint8 BGR.
    """
    rows, cols = heat.shape
    px = max(1, round(FLOOR_SIDE_PX / max(rows, cols)))
    value, inverse = normalize(heat, "p99")
    colours = cv2.applyColorMap((value * 255).astype(np.uint8), COLORMAPS[colormap])
    colours[heat <= 0] = (48, 48, 48)
    plot = cv2.resize(colours, (cols * px, rows * px), interpolation=cv2.INTER_NEAREST)
    outline = np.round((np.asarray(area_m) - origin_m) / cell_m * px).astype(np.int32)
    cv2.polylines(plot, [outline.reshape(-1, 1, 2)], True, (255, 255, 255), 1, cv2.LINE_AA)
    font, scale, ink = cv2.FONT_HERSHEY_SIMPLEX, 0.4, (235, 235, 235)
    left, bottom, top, right = 48, 36, 24, 12
    image = np.full((top + plot.shape[0] + bottom, left + plot.shape[1] + right, 3), 32, np.uint8)
    image[top : top + plot.shape[0], left : left + plot.shape[1]] = plot
    span = max(rows, cols) * cell_m
    step = next((s for s in FLOOR_TICK_STEPS_M if span / s <= 8), FLOOR_TICK_STEPS_M[-1])
    for axis, count in ((0, cols), (1, rows)):
        first = np.ceil(origin_m[axis] / step) * step
        for tick in np.arange(first, origin_m[axis] + count * cell_m + 1e-9, step):
            at = round((tick - origin_m[axis]) / cell_m * px)
            label = f"{tick:g}"
            if axis == 0:
                x, y = left + at, top + plot.shape[0]
                cv2.line(image, (x, y), (x, y + 4), ink, 1)
                cv2.putText(image, label, (x - 6, y + 16), font, scale, ink, 1, cv2.LINE_AA)
            else:
                x, y = left, top + at
                cv2.line(image, (x - 4, y), (x, y), ink, 1)
                cv2.putText(image, label, (4, y + 4), font, scale, ink, 1, cv2.LINE_AA)
    cv2.putText(image, "X (m)", (left + plot.shape[1] // 2 - 16, image.shape[0] - 4), font, scale, ink, 1, cv2.LINE_AA)
    cv2.putText(image, "Y (m)", (4, 12), font, scale, ink, 1, cv2.LINE_AA)
    legend = legend_panel(
        max(image.shape[0], 160),
        colour_table(colormap),
        [(p, inverse(p)) for p in LEGEND_POSITIONS],
        ("person-s", "per m2"),
    )
    if legend.shape[0] > image.shape[0]:
        image = np.vstack([image, np.full((legend.shape[0] - image.shape[0], image.shape[1], 3), 32, np.uint8)])
    return np.hstack([image, legend])
