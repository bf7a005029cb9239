"""The motion gate on generated frames: still scenes skip the detector, moving or arriving people do not."""

from __future__ import annotations

import numpy as np

from app.vision.motion import Motion, MotionGate
from scripts.media import Scene, Walker, draw_figure

SIZE = (640, 360)


def _scene(*walkers: Walker, noise: float = 2.0) -> Scene:
    return Scene(size_wh=SIZE, fps=5.0, seconds=6.0, walkers=walkers, noise=noise)


def _decisions(scene: Scene, max_skip_s: float = 100.0) -> list[bool]:
    gate = MotionGate(Motion(max_skip_s=max_skip_s), samples_per_second=scene.fps)
    return [gate(scene.frame(index)) for index in range(scene.frames)]


def test_a_still_noisy_scene_is_detected_once_then_every_max_skip() -> None:
    standing = Walker((300, 300), (300, 300), 120)
    assert _decisions(_scene(standing)) == [True] + [False] * 29
    assert [i for i, detect in enumerate(_decisions(_scene(standing), max_skip_s=2.0)) if detect] == [0, 10, 20]


def test_someone_walking_is_detected_on_every_sample() -> None:
    walking = Walker((50, 300), (600, 300), 120, 0, 6)
    assert all(_decisions(_scene(walking)))


def test_a_small_distant_person_walking_is_detected() -> None:
    """40 px tall in a 1280x720 frame: 10 px in the compared 320x180."""
    walker = Walker((100, 400), (300, 400), 40, 0, 2)
    scene = Scene(size_wh=(1280, 720), fps=5.0, seconds=2.0, walkers=(walker,), noise=2)
    assert all(_decisions(scene))


def test_someone_arriving_slowly_is_detected_once_the_change_adds_up() -> None:
    """A figure fading in a few grey levels per sample never changes a pixel past the threshold from one sample to the
    next, but its difference from the last detected frame (through the running background) does."""
    scene = _scene(noise=2.0)
    person = scene.background()
    draw_figure(person, (300, 300), 120, (40, 40, 200))
    gate = MotionGate(Motion(max_skip_s=100.0), samples_per_second=5.0)
    background = scene.background().astype(np.float32)
    rng = np.random.default_rng(1)
    decisions = []
    for index in range(30):
        mix = min(1.0, index / 25)  # 4 % more of the figure per sample
        frame = (1 - mix) * background + mix * person + rng.normal(0, 2.0, background.shape)
        decisions.append(gate(np.clip(frame, 0, 255).astype(np.uint8)))
    assert not any(decisions[1:4]), "a faint start should not count as motion"
    assert any(decisions[4:26]), "the arrival was never detected"


def test_max_skip_counts_samples_at_the_sampling_rate() -> None:
    assert MotionGate(Motion(max_skip_s=2.0), samples_per_second=5.0).max_skip == 10
    assert MotionGate(Motion(max_skip_s=2.0), samples_per_second=0.4).max_skip == 1
