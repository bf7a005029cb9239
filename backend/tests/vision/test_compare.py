"""The comparison's drawing: the shared scale and the diverging colours around zero."""

from __future__ import annotations

import numpy as np

from app.vision.compare import BLUE, RED, WHITE, diverging_table, render_difference, render_rate, scale_max


def test_the_diverging_map_runs_blue_white_red() -> None:
    table = diverging_table()[:, 0]
    assert table.shape == (256, 3) and table.dtype == np.uint8
    assert tuple(table[0]) == BLUE and tuple(table[255]) == RED
    assert np.abs(table[127:129].astype(int) - WHITE).max() <= 2


def test_the_scale_is_the_highest_rate_of_either() -> None:
    assert scale_max(np.array([[0.0, 0.2]]), np.array([[0.5, 0.1]])) == 0.5
    assert scale_max(np.zeros((2, 2)), np.zeros((2, 2))) == 0.0


def test_difference_is_red_where_b_has_more_and_blue_where_less() -> None:
    difference = np.zeros((40, 60), np.float32)
    difference[10, 10], difference[30, 50] = 1.0, -1.0
    image = render_difference(difference, np.full((40, 60, 3), 128, np.uint8), top=1.0)
    assert image.shape[0] == 40 and image.shape[1] > 60  # the legend on the right
    assert tuple(image[10, 10]) == RED and tuple(image[30, 50]) == BLUE
    assert tuple(image[0, 0]) == (128, 128, 128)  # no difference: the background in grey


def test_nobody_anywhere_draws_the_background() -> None:
    background = np.full((40, 60, 3), 90, np.uint8)
    image = render_rate(np.zeros((40, 60), np.float32), background, top=0.0)
    assert (image[:, :60] == background).all()
