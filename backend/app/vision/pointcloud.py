"""Point clouds: a depth map back-projected through a pinhole camera, and its binary PLY encoding.

Camera frame (OpenCV's): x to the right, y down, z forward along the optical axis, in metres; the principal
point is the image centre and pixels are square. Depth is read as z (distance along the axis).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_POINTS = 500_000

PLY_VERTEX = np.dtype([("x", "<f4"), ("y", "<f4"), ("z", "<f4"), ("red", "u1"), ("green", "u1"), ("blue", "u1")])


@dataclass(frozen=True)
class PointCloud:
    """Attributes:
    xyz: (N, 3) float32 metres in the camera frame.
    rgb: (N, 3) uint8 colours of the pixels the points came from.
    """

    xyz: np.ndarray
    rgb: np.ndarray

    def __len__(self) -> int:
        return len(self.xyz)


def subsample_step(height: int, width: int, max_points: int) -> int:
    """The smallest stride s such that every s-th pixel on both axes gives at most `max_points` pixels."""
    step = max(1, math.ceil(math.sqrt(height * width / max_points)))
    while math.ceil(height / step) * math.ceil(width / step) > max_points:
        step += 1
    return step


def back_project(depth: np.ndarray, rgb: np.ndarray, *, focal_px: float, max_points: int = MAX_POINTS) -> PointCloud:
    """Back-project every `step`-th pixel (even subsampling to at most `max_points`) with a finite, positive depth.

    Args:
        depth: (H, W) float32 metres.
        rgb: (H, W, 3) uint8, the image the depth was predicted from.
        focal_px: focal length in pixels.
    """
    if depth.shape != rgb.shape[:2]:
        raise ValueError(f"depth {depth.shape} and image {rgb.shape[:2]} differ in size")
    height, width = depth.shape
    step = subsample_step(height, width, max_points)
    v, u = np.mgrid[0:height:step, 0:width:step]
    z = depth[::step, ::step]
    keep = np.isfinite(z) & (z > 0)
    z, u, v = z[keep], u[keep], v[keep]
    x = (u - (width - 1) / 2.0) * z / focal_px
    y = (v - (height - 1) / 2.0) * z / focal_px
    xyz = np.stack([x, y, z], axis=1).astype(np.float32)
    return PointCloud(xyz=xyz, rgb=np.ascontiguousarray(rgb[::step, ::step][keep]))


PLY_HEADER_BYTES = 512  # at most: the fixed text and a vertex count


def ply_size_bound(pixels: int, max_points: int = MAX_POINTS) -> int:
    """The most bytes `encode_ply` writes for a depth map of `pixels` pixels (a point a pixel, `max_points` at most)."""
    return PLY_HEADER_BYTES + PLY_VERTEX.itemsize * min(pixels, max_points)


def encode_ply(cloud: PointCloud) -> bytes:
    """Binary little-endian PLY: float32 x y z and uchar red green blue per vertex."""
    vertices = np.empty(len(cloud), PLY_VERTEX)
    vertices["x"], vertices["y"], vertices["z"] = cloud.xyz.T
    vertices["red"], vertices["green"], vertices["blue"] = cloud.rgb.T
    header = (
        "ply\nformat binary_little_endian 1.0\ncomment SceneLab depth: metres, camera frame x right y down z forward\n"
        f"element vertex {len(cloud)}\n"
        "property float x\nproperty float y\nproperty float z\n"
        "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n"
    )
    return header.encode("ascii") + vertices.tobytes()
