"""The floor in metres: a homography from frame pixels to floor metres, and what it measures over tracks.

Pure numpy/OpenCV. The calibrated area is the convex hull of the world points; the floor heatmap counts
the person-seconds whose foot points fall inside it, on a grid of square cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from app.vision.regions import inside_polygon
from app.vision.tracks import Tracks, anchor_points

#: Tracks seen for less than this many seconds give no walking speed.
MIN_TRACK_SECONDS = 1.0
#: Points closer to a line than this share of the spread of the point set count as on it (degenerate).
COLLINEAR_TOLERANCE = 1e-3


class DegenerateCalibration(ValueError):
    """The points do not define a homography (too few, collinear, or repeated)."""


@dataclass
class Homography:
    """Frame pixels -> floor metres.

    Attributes:
        matrix: (3, 3) float64 mapping homogeneous (x, y, 1) pixels to floor metres.
        reprojection_error_px: Mean distance, in pixels, between each image point and its world point mapped back
            into the frame.
        area: (K, 2) float64 convex hull of the world points, metres: the calibrated area.
    """

    matrix: np.ndarray
    reprojection_error_px: float
    area: np.ndarray

    @property
    def area_m2(self) -> float:
        return polygon_area(self.area)

    @property
    def px_per_m2(self) -> float:
        """Frame pixels per square metre of floor over the calibrated area: its area in the frame over `area_m2`.

        Pixels far from the camera cover more floor than near ones; this is their mean, so heat per pixel
        averaged over the calibrated area, times `px_per_m2`, is exactly its person-seconds per m².
        """
        frame = cv2.perspectiveTransform(self.area.reshape(-1, 1, 2), np.linalg.inv(self.matrix)).reshape(-1, 2)
        return polygon_area(frame) / self.area_m2

    def to_floor(self, points_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(N, 2) pixels -> (N, 2) metres, and (N,) bool: the point is in front of the camera (mapped sensibly)."""
        points = np.asarray(points_xy, np.float64).reshape(-1, 2)
        mapped = np.column_stack([points, np.ones(len(points))]) @ self.matrix.T
        w = mapped[:, 2]
        valid = w > 1e-12
        safe = np.where(valid, w, 1.0)
        return mapped[:, :2] / safe[:, None], valid


def fit_homography(image_points: np.ndarray, world_points: np.ndarray) -> Homography:
    """The least-squares homography taking `image_points` to `world_points`.

    Args:
        image_points: (N, 2) frame pixels, N >= 4.
        world_points: (N, 2) floor metres, the same points.

    Raises:
        DegenerateCalibration: Fewer than 4 points, different counts, repeated or collinear points on either side.
    """
    image = np.asarray(image_points, np.float64).reshape(-1, 2)
    world = np.asarray(world_points, np.float64).reshape(-1, 2)
    if len(image) != len(world):
        raise DegenerateCalibration(f"{len(image)} image points but {len(world)} world points")
    if len(image) < 4:
        raise DegenerateCalibration("a homography needs at least 4 points")
    for name, points in (("image", image), ("world", world)):
        if _collinear(points):
            raise DegenerateCalibration(f"the {name} points are (nearly) on one line: no 3 of them may be collinear")
    matrix, _ = cv2.findHomography(image, world, method=0)
    if matrix is None or not np.isfinite(matrix).all() or abs(np.linalg.det(matrix)) < 1e-12:
        raise DegenerateCalibration("the points do not define a homography")
    back = cv2.perspectiveTransform(world.reshape(-1, 1, 2), np.linalg.inv(matrix)).reshape(-1, 2)
    error = float(np.mean(np.hypot(*(back - image).T)))
    hull = cv2.convexHull(world.astype(np.float32)).reshape(-1, 2).astype(np.float64)
    return Homography(matrix=matrix, reprojection_error_px=error, area=hull)


def _collinear(points: np.ndarray) -> bool:
    """Whether the points span no area (all on one line), or some point is repeated, or 3 of 4 are collinear."""
    spread = float(np.ptp(points, axis=0).max())
    if spread <= 0:
        return True
    if len(np.unique(np.round(points / (spread * COLLINEAR_TOLERANCE)), axis=0)) < len(points):
        return True  # a repeated point
    if len(points) == 4:  # any three on a line leave the four-point system without a unique answer
        for skip in range(4):
            a, b, c = np.delete(points, skip, axis=0)
            if abs(float(np.cross(b - a, c - a))) <= (spread**2) * COLLINEAR_TOLERANCE:
                return True
    hull = cv2.convexHull(points.astype(np.float32)).reshape(-1, 2)
    return polygon_area(hull.astype(np.float64)) <= (spread**2) * COLLINEAR_TOLERANCE


def polygon_area(polygon: np.ndarray) -> float:
    """Absolute shoelace area of (K, 2) vertices (0 for fewer than 3, or collinear ones)."""
    if len(polygon) < 3:
        return 0.0
    x, y = polygon[:, 0], polygon[:, 1]
    return abs(float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))) / 2


@dataclass
class FloorGrid:
    """Square cells of `cell_m` metres covering the calibrated area's bounding box.

    Attributes:
        heat: (rows, cols) float32 person-seconds per m^2; row 0 is the smallest Y.
        origin_m: (X, Y) of the grid's corner at cell (0, 0).
        cell_m: Side of a cell, metres.
        person_seconds: Person-seconds whose foot points fell inside the calibrated area (= heat.sum() * cell_m^2).
    """

    heat: np.ndarray
    origin_m: tuple[float, float]
    cell_m: float
    person_seconds: float


def floor_heatmap(tracks: Tracks, homography: Homography, *, cell_m: float) -> FloorGrid:
    """Person-seconds per m^2 of the foot points that fall inside the calibrated area, on `cell_m` cells."""
    feet, valid = homography.to_floor(anchor_points(tracks.xyxy, "feet"))
    kept = valid & inside_polygon(feet, homography.area)
    low, high = homography.area.min(axis=0), homography.area.max(axis=0)
    cols, rows = (max(1, int(np.ceil((high - low)[i] / cell_m - 1e-9))) for i in (0, 1))
    cells = np.floor((feet[kept] - low) / cell_m).astype(np.int64)
    cells = np.minimum(cells, (cols - 1, rows - 1))  # the far edge belongs to the last cell
    seconds = tracks.weight[kept]
    grid = np.bincount(cells[:, 1] * cols + cells[:, 0], seconds, minlength=rows * cols).reshape(rows, cols)
    heat = (grid / (cell_m * cell_m)).astype(np.float32)
    return FloorGrid(
        heat=heat, origin_m=(float(low[0]), float(low[1])), cell_m=cell_m, person_seconds=float(seconds.sum())
    )


@dataclass
class Walking:
    """Walking figures from the foot points in metres.

    Attributes:
        speeds_mps: (K,) mean speed of each track seen for at least `MIN_TRACK_SECONDS` (path length / time seen).
        distance_m: Path length walked by those tracks together.
    """

    speeds_mps: np.ndarray
    distance_m: float


def walking(tracks: Tracks, homography: Homography, *, min_seconds: float = MIN_TRACK_SECONDS) -> Walking:
    """Each track's foot points mapped to metres, in time order: their path lengths and mean speeds."""
    feet, valid = homography.to_floor(anchor_points(tracks.xyxy, "feet"))
    speeds, distance = [], 0.0
    order = np.lexsort((tracks.t, tracks.track_id))
    ids = tracks.track_id[order]
    for rows in np.split(order, np.flatnonzero(np.diff(ids)) + 1) if len(order) else []:
        rows = rows[valid[rows]]
        seen = float(tracks.t[rows[-1]] - tracks.t[rows[0]]) if len(rows) else 0.0
        if seen < min_seconds:
            continue
        length = float(np.hypot(*np.diff(feet[rows], axis=0).T).sum())
        speeds.append(length / seen)
        distance += length
    return Walking(speeds_mps=np.array(speeds, np.float64), distance_m=distance)
