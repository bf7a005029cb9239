"""Heat over time: slices that add up to the heatmap, the recap video, and people blurred out of the background."""

from __future__ import annotations

import numpy as np
import pytest

from app.vision.heat import accumulate, block_sum, heat_slices, slice_factor, slice_seconds
from app.vision.privacy import blur_people, people_mask
from app.vision.recap import RECAP_FPS, recap_frames, recap_size, write_mp4
from app.vision.tracks import Tracks
from tests.mp4 import mp4_facts
from tests.vision.test_heatmap import H, W, make_tracks

WALK = [(0.5 * i, 1, (2.0 * i, 10.0, 2.0 * i + 8, 30.0)) for i in range(20)] + [
    (0.5 * i, 2, (40.0, 20.0, 50.0, 46.0)) for i in range(6, 20)
]


@pytest.mark.parametrize(
    "duration,expected", [(3.0, 1.0), (120.0, 1.0), (121.0, 2.0), (600.0, 5.0), (3600.0, 30.0), (4 * 3600.0, 120.0)]
)
def test_slice_length_keeps_at_most_120_slices(duration: float, expected: float) -> None:
    assert slice_seconds(duration) == expected
    assert np.ceil(duration / slice_seconds(duration)) <= 120


def test_slice_cells_are_at_most_a_quarter_of_the_frame() -> None:
    assert slice_factor(48, 64) == 4
    assert slice_factor(1080, 1920) == 12  # 90 x 160 cells


@pytest.mark.parametrize("mode", ["all", "movement"])
@pytest.mark.parametrize("window", [(None, None), (2.0, 7.0)])
def test_slices_sum_to_the_heatmap_summed_over_blocks(mode: str, window: tuple[float | None, float | None]) -> None:
    tracks = make_tracks(WALK)
    t_start, t_end = window
    options = {"anchor": "feet", "radius": 0.3, "mode": mode, "t_start": t_start, "t_end": t_end}
    heat = accumulate(tracks, **options)  # type: ignore[arg-type]
    slices = heat_slices(tracks, slice_s=2.0, factor=4, **options)  # type: ignore[arg-type]
    assert slices.dtype == np.float32 and slices.shape == (5, H // 4, W // 4)
    assert heat.sum() > 0
    np.testing.assert_allclose(slices.sum(axis=0), block_sum(heat, 4), rtol=1e-5, atol=1e-6)
    seconds = slices.sum(axis=(1, 2))
    if t_start is not None:
        assert seconds[0] == 0 and seconds[4] == 0 and seconds[1:4].all()  # only the window's slices


def test_each_slice_holds_its_own_seconds() -> None:
    tracks = make_tracks(WALK)  # track 1: 20 samples of 0.5 s; track 2: from 3 s on
    slices = heat_slices(tracks, slice_s=5.0, factor=4)
    np.testing.assert_allclose(slices.sum(axis=(1, 2)), [5.0 + 2.0, 5.0 + 5.0], rtol=1e-5)


def test_block_sum_keeps_the_total_with_ragged_edges() -> None:
    heat = np.random.default_rng(0).random((50, 67)).astype(np.float32)
    blocks = block_sum(heat, 4)
    assert blocks.shape == (13, 17) and blocks.sum() == pytest.approx(heat.sum(), rel=1e-6)
    assert blocks[0, 0] == pytest.approx(heat[:4, :4].sum(), rel=1e-6)


def test_no_detection_gives_one_empty_slice_per_step() -> None:
    tracks = make_tracks([], samples=10)
    assert heat_slices(tracks, slice_s=1.0, factor=4).shape == (5, H // 4, W // 4)
    assert not heat_slices(tracks, slice_s=1.0, factor=4).any()


def test_recap_is_a_browser_mp4_that_accumulates_heat(tmp_path) -> None:
    tracks = make_tracks(WALK)
    background = np.full((H, W, 3), 90, np.uint8)
    slices = heat_slices(tracks, slice_s=1.0, factor=4)
    frames = list(recap_frames(slices, background, slice_s=1.0, end_s=tracks.end_s))
    assert len(frames) == 10 * RECAP_FPS  # a 10 s video: a 10 s recap
    assert all(f.shape == (48, 64, 3) for f in frames)
    heated = [int((np.abs(f.astype(int) - 90).sum(axis=2) > 30)[20:].sum()) for f in frames]  # below the clock
    assert heated[-1] > heated[len(heated) // 2] > heated[0]  # the heat builds up
    assert write_mp4(tmp_path / "recap.mp4", frames) == len(frames)
    facts = mp4_facts((tmp_path / "recap.mp4").read_bytes())
    assert (facts.codec, facts.pix_fmt, facts.width, facts.height) == ("h264", "yuv420p", 64, 48)
    assert facts.frames == len(frames) and facts.duration_s == pytest.approx(10.0, abs=0.2)
    assert facts.top_boxes.index("moov") < facts.top_boxes.index("mdat")


def test_recap_lasts_at_most_30_s_and_has_even_sides() -> None:
    slices = np.zeros((120, 3, 4), np.float32)
    frames = recap_frames(slices, np.zeros((11, 15, 3), np.uint8), slice_s=30.0, end_s=3600.0)
    assert sum(1 for _ in frames) <= 30 * RECAP_FPS
    assert recap_size(1919, 1079) == (960, 540) and recap_size(15, 11) == (16, 12)


def test_people_who_stood_still_are_blurred_and_passers_by_are_not() -> None:
    rng = np.random.default_rng(1)
    background = rng.integers(0, 255, (H, W, 3), dtype=np.uint8)
    stood = [(0.5 * i, 1, (40.0, 10.0, 50.0, 40.0)) for i in range(20)]
    passed = [(0.5, 2, (2.0, 30.0, 8.0, 46.0))]  # one sample of 20
    tracks = make_tracks(stood + passed)
    mask = people_mask(tracks)
    assert mask[10:40, 40:50].all() and not mask[30:46, 2:8].any()
    blurred = blur_people(background, tracks)
    assert np.array_equal(blurred[~mask], background[~mask])
    region, original = blurred[12:38, 42:48].astype(float), background[12:38, 42:48].astype(float)
    assert region.std() < original.std() / 3  # the standing person's box lost its detail


def test_nobody_detected_leaves_the_background_as_it_is() -> None:
    background = np.full((H, W, 3), 7, np.uint8)
    assert np.array_equal(blur_people(background, Tracks.empty(width=W, height=H)), background)
