"""The heatmap's colour scale for a legend outside the image: person-seconds per 100 x 100 px or per m², and colour
stops."""

from __future__ import annotations

import numpy as np
import pytest

from app.vision.render import LEGEND_POSITIONS, colour_stops, legend_ticks, normalize, per_square_metre


def test_ticks_read_per_100_by_100_px_not_per_pixel():
    heat = np.zeros((50, 50), np.float32)
    heat[10:20, 10:20] = 0.0002  # person-seconds per pixel: 2 person-s over a 100 x 100 px square
    heat[15, 15] = 0.0004
    _, inverse = normalize(heat, "max")
    ticks = legend_ticks(inverse)
    assert [position for position, _ in ticks] == list(LEGEND_POSITIONS)
    assert [value for _, value in ticks] == pytest.approx([4.0, 3.0, 2.0, 1.0, 0.0])


def test_ticks_per_square_metre_scale_by_the_pixels_in_a_square_metre():
    heat = np.zeros((50, 50), np.float32)
    heat[10:20, 10:20] = 0.0002  # 1,600 px make a m²: 0.32 person-s per m²
    _, inverse = normalize(heat, "max")
    unit = per_square_metre(1600)
    assert unit.name == "person-s per m²"
    assert [value for _, value in legend_ticks(inverse, unit)] == pytest.approx([0.32, 0.24, 0.16, 0.08, 0.0])


def test_colour_stops_run_low_to_high_along_the_colour_map():
    stops = colour_stops("hot")
    assert len(stops) == 11 and all(len(stop) == 7 and stop.startswith("#") for stop in stops)
    assert stops[0] == "#000000" and stops[-1] == "#ffffff"  # OpenCV's hot: black to white
