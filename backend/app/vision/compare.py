"""Two heatmaps on one absolute scale: each job's heat per second of video, and their difference in a diverging
blue-white-red colour map around zero, each with a legend.

Pure numpy/OpenCV.
"""

from __future__ import annotations

import cv2
import numpy as np

from app.vision.render import (
    DEFAULT_COLORMAP,
    DEFAULT_OPACITY,
    LEGEND_AREA_PX,
    LEGEND_POSITIONS,
    Colormap,
    colour_over,
    colour_table,
    legend_panel,
)

#: The legend's unit: heat per second of video is people on average, per `LEGEND_AREA_PX`.
UNIT_TITLES = ("person-s per s", "per 100x100 px")
#: BGR ends and middle of the diverging colour map: less in b (blue), equal (white), more in b (red).
BLUE, WHITE, RED = (180, 90, 30), (255, 255, 255), (40, 40, 200)


def diverging_table() -> np.ndarray:
    """(256, 1, 3) uint8 BGR: blue at step 0, white at the middle, red at step 255."""
    step = np.linspace(-1, 1, 256)[:, None]
    lower = np.array(WHITE) + (np.array(BLUE) - WHITE) * np.clip(-step, 0, 1)
    upper = np.array(WHITE) + (np.array(RED) - WHITE) * np.clip(step, 0, 1)
    return np.where(step < 0, lower, upper).round().astype(np.uint8)[:, None, :]


def difference_stops(count: int = 11) -> list[str]:
    """`count` "#rrggbb" colours evenly along the diverging map, blue end first (for a legend drawn elsewhere)."""
    table = diverging_table()[np.linspace(0, 255, count).round().astype(int), 0]
    return [f"#{r:02x}{g:02x}{b:02x}" for b, g, r in table]


def scale_max(*rates: np.ndarray) -> float:
    """The shared top of the scale: the highest heat per second per pixel of any of `rates` (0 when all empty)."""
    return max((float(rate.max()) for rate in rates if rate.size), default=0.0)


def render_rate(
    rate: np.ndarray,
    background: np.ndarray,
    top: float,
    *,
    colormap: Colormap = DEFAULT_COLORMAP,
    opacity: float = DEFAULT_OPACITY,
) -> np.ndarray:
    """One job's heat per second ((H, W), person-s per s per pixel) coloured over its background ((H, W, 3) uint8
    BGR) on the absolute scale 0..`top`, with a legend in person-s per s per 100 x 100 px on the right."""
    value = np.clip(rate / top, 0, 1).astype(np.float32) if top > 0 else np.zeros(rate.shape, np.float32)
    image = colour_over(value, background, colormap=colormap, opacity=opacity)
    ticks = [(p, p * top * LEGEND_AREA_PX) for p in LEGEND_POSITIONS]
    return np.hstack([image, legend_panel(rate.shape[0], colour_table(colormap), ticks, UNIT_TITLES)])


def render_difference(difference: np.ndarray, background: np.ndarray, top: float) -> np.ndarray:
    """`b - a` heat per second ((H, W)) on -`top`..`top`, blue (less in b) through white to red (more in b), over
    the background in grey (faded in where the difference is small), with its legend on the right."""
    value = np.clip(difference / top, -1, 1) if top > 0 else np.zeros(difference.shape)
    table = diverging_table()
    colours = table[np.round((value + 1) * 127.5).astype(np.uint8), 0]
    grey = cv2.cvtColor(cv2.cvtColor(background, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    alpha = np.clip(np.abs(value) * 10, 0, 1).astype(np.float32)
    image = cv2.blendLinear(colours, grey, alpha, 1 - alpha)
    ticks = [(p, (2 * p - 1) * top * LEGEND_AREA_PX) for p in LEGEND_POSITIONS]
    return np.hstack(
        [image, legend_panel(difference.shape[0], table, ticks, ("b - a, " + UNIT_TITLES[0], UNIT_TITLES[1]))]
    )
