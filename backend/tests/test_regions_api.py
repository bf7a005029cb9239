"""Footfall regions end to end: a real heatmap job (real worker, generated video), then zones and lines.

The test detector is untrained and finds nobody, so after the job has run, its stored `tracks.npz` is
replaced by tracks with known answers (`tests.footfall`, written with the `Tracks.save` the worker uses).
"""

from __future__ import annotations

import csv
import io
import json
import resource
import time
import uuid
import zipfile

import pytest

from app.core.config import settings
from scripts import images, media
from tests import footfall
from tests.conftest import PASSWORD, file_tuple, start_worker, stop_process, wait_for_job
from tests.footfall import DOOR, ENTRANCE

pytestmark = pytest.mark.slow

REGIONS = {"zones": [ENTRANCE], "lines": [DOOR]}
SIDE_DOOR = {"name": "Side door", "points": [[240, 20], [240, 220]]}
BOWTIE = [[100, 100], [200, 200], [200, 100], [100, 200]]  # two triangles meeting at (150, 150)


@pytest.fixture(scope="module")
def owner(worker, tmp_path_factory):
    """A logged-in client and its succeeded heatmap job."""
    from fastapi.testclient import TestClient

    from app.main import app

    video = media.write_video(tmp_path_factory.mktemp("video") / "scene.mp4", media.default_scene(seconds=2.0))
    with TestClient(app) as client:
        client.post("/api/auth/register", json={"email": "regions@example.com", "password": PASSWORD})
        client.post("/api/auth/login", json={"email": "regions@example.com", "password": PASSWORD})
        files = {"file": ("walk.mp4", io.BytesIO(video.read_bytes()), "video/mp4")}
        job_id = client.post("/api/jobs/heatmap", files=files, data={"sample_fps": "5"}).json()["id"]
        assert wait_for_job(client, job_id, timeout=180)["status"] == "succeeded"
        yield client, job_id


def test_regions_measure_known_tracks_and_are_stored_with_the_job(owner):
    client, job_id = owner
    assert client.get(f"/api/jobs/{job_id}/regions").status_code == 404  # none set yet
    footfall.write_known_tracks(settings.heatmaps_dir / job_id / "tracks.npz")

    response = client.put(f"/api/jobs/{job_id}/regions", json=REGIONS)
    assert response.status_code == 200, response.text
    analysis = response.json()
    assert analysis["anchor"] == "feet"
    zone = analysis["zones"][0]
    assert zone["name"] == "Entrance" and zone["polygon"] == ENTRANCE["polygon"]
    assert (zone["people"], zone["visits"]) == (1, 1)
    assert zone["dwell_s"] == {"mean": 2.0, "median": 2.0, "p95": 2.0, "max": 2.0}  # samples 1.0 ... 2.8
    assert zone["person_seconds"] == pytest.approx(2.0)
    assert zone["occupancy_peak"] == 1 and zone["occupancy_mean"] == pytest.approx(0.2)
    assert zone["occupancy_per_second"] == [0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert analysis["lines"] == [{"name": "Door", "points": DOOR["points"], "in": 1, "out": 1}]

    assert client.get(f"/api/jobs/{job_id}/regions").json() == analysis
    job = client.get(f"/api/jobs/{job_id}").json()
    names = [r["name"] for r in job["results"]]
    assert names[-3:] == ["regions.json", "zones.csv", "lines.csv"] and "tracks.npz" in names

    zones_csv = list(csv.reader(io.StringIO(client.get(f"/api/jobs/{job_id}/files/zones.csv").text)))
    assert zones_csv == [
        ["track_id", "zone", "enter_s", "exit_s", "dwell_s"],
        ["1", "Entrance", "1.000", "2.800", "2.000"],
    ]
    lines_csv = list(csv.reader(io.StringIO(client.get(f"/api/jobs/{job_id}/files/lines.csv").text)))
    assert lines_csv[0] == ["track_id", "line", "t_s", "direction"]
    assert sorted(lines_csv[1:]) == [["1", "Door", "4.000", "out"], ["2", "Door", "2.600", "in"]]

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/jobs/{job_id}/archive").content))
    assert {"regions.json", "zones.csv", "lines.csv"} <= set(archive.namelist())
    assert archive.read("zones.csv").decode() == client.get(f"/api/jobs/{job_id}/files/zones.csv").text

    # Redrawn at another anchor, the figures follow it (the box centre, 20 px above the feet, is inside too).
    assert client.post(f"/api/jobs/{job_id}/render", json={"anchor": "center"}).status_code == 200
    redrawn = client.get(f"/api/jobs/{job_id}/regions").json()
    assert redrawn["anchor"] == "center" and redrawn["zones"][0]["visits"] == 1
    assert json.loads(client.get(f"/api/jobs/{job_id}/files/regions.json").content) == redrawn

    # Setting them again replaces the files (listed once) and the stored regions.
    again = client.put(f"/api/jobs/{job_id}/regions", json={"zones": [], "lines": [DOOR]})
    assert again.status_code == 200 and again.json()["zones"] == []
    names = [r["name"] for r in client.get(f"/api/jobs/{job_id}").json()["results"]]
    assert names.count("regions.json") == names.count("zones.csv") == 1
    assert client.get(f"/api/jobs/{job_id}/files/zones.csv").text == "track_id,zone,enter_s,exit_s,dwell_s\n"


def shift(region: dict, **changes) -> dict:
    return {**region, **changes}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"zones": [], "lines": []}, "at least one zone or line"),
        ({}, "at least one zone or line"),
        ({"zones": [ENTRANCE], "lines": [shift(DOOR, name="Entrance")]}, "names must be unique"),
        ({"zones": [shift(ENTRANCE, name="")]}, "at least 1 character"),
        ({"zones": [shift(ENTRANCE, name="x" * 65)]}, "at most 64 characters"),
        ({"zones": [shift(ENTRANCE, polygon=[[0, 0], [10, 10]])]}, "at least 3 items"),
        ({"zones": [shift(ENTRANCE, polygon=[[i, i % 7] for i in range(65)])]}, "at most 64 items"),
        ({"zones": [shift(ENTRANCE, polygon=[[0, 0], [10, 10], [20, 20]])]}, "'Entrance': the polygon has no area"),
        ({"zones": [shift(ENTRANCE, polygon=BOWTIE)]}, "'Entrance': the polygon crosses itself"),
        ({"zones": [ENTRANCE, shift(ENTRANCE, name="Again", polygon=ENTRANCE["polygon"][::-1])]}, "the same polygon"),
        (
            {
                "zones": [
                    ENTRANCE,
                    shift(ENTRANCE, name="Again", polygon=ENTRANCE["polygon"][1:] + ENTRANCE["polygon"][:1]),
                ]
            },
            "zones 'Entrance' and 'Again' are the same polygon",
        ),
        ({"lines": [DOOR, shift(DOOR, name="Again")]}, "lines 'Door' and 'Again' are the same segment"),
        ({"lines": [DOOR, shift(DOOR, name="Back", points=DOOR["points"][::-1])]}, "the same segment (either way)"),
        ({"zones": [shift(ENTRANCE, name="Hall\u0000")]}, "control or bidirectional characters: 'Hall\\x00'"),
        ({"lines": [shift(DOOR, name="exe.\u202egnp")]}, "control or bidirectional characters"),
        ({"lines": [shift(DOOR, name="two\nlines")]}, "control or bidirectional characters"),
        ({"zones": [shift(ENTRANCE, polygon=[[0, 0], [400, 0], [0, 10]])]}, "(400, 0) is outside the 320x240 frame"),
        ({"lines": [shift(DOOR, points=[[1, 1], [1, 1]])]}, "'Door': the line's two points are the same"),
        ({"lines": [shift(DOOR, points=[[1, 1], [2, 2], [3, 3]])]}, "at most 2 items"),
        ({"lines": [shift(DOOR, points=[[1, 1], [2, "far"]])]}, "valid number"),
        ({"zones": [shift(ENTRANCE, name=f"z{i}") for i in range(21)]}, "at most 20 items"),
        ({"lines": [shift(DOOR, name=f"l{i}") for i in range(21)]}, "at most 20 items"),
        ({"zones": [ENTRANCE], "colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_bad_regions_are_422_saying_what_is_wrong(owner, body, message):
    client, job_id = owner
    response = client.put(f"/api/jobs/{job_id}/regions", json=body)
    assert response.status_code == 422, response.text
    assert message in " ".join(error["msg"] for error in response.json()["detail"]), response.json()


def test_regions_need_a_succeeded_heatmap_job(owner, tmp_path):
    client, _ = owner
    depth = client.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()
    for method in ("put", "get"):
        response = client.request(method.upper(), f"/api/jobs/{depth['id']}/regions", json=REGIONS)
        assert response.status_code == 409 and "only heatmap jobs" in response.json()["detail"]
    video = media.write_video(tmp_path / "queued.mp4", media.default_scene(seconds=1.0))
    queued = client.post("/api/jobs/heatmap", files={"file": ("q.mp4", video.read_bytes(), "video/mp4")}).json()
    assert client.post(f"/api/jobs/{queued['id']}/cancel").json()["status"] == "cancelled"
    response = client.put(f"/api/jobs/{queued['id']}/regions", json=REGIONS)
    assert response.status_code == 409 and "not been computed" in response.json()["detail"]
    client.post(f"/api/jobs/{depth['id']}/cancel")


def test_another_users_job_is_404(owner, make_user):
    client, job_id = owner
    intruder = make_user()
    assert intruder.put(f"/api/jobs/{job_id}/regions", json=REGIONS).status_code == 404
    assert intruder.put(f"/api/jobs/{job_id}/regions", json={"zones": []}).status_code == 404  # before validation
    assert intruder.get(f"/api/jobs/{job_id}/regions").status_code == 404


def tracks_file(job_id: str):
    return settings.heatmaps_dir / job_id / "tracks.npz"


def test_a_person_wobbling_on_a_line_40_times_crosses_it_once(owner):
    client, job_id = owner
    footfall.write_wobbling_tracks(tracks_file(job_id), steps=40)
    response = client.put(f"/api/jobs/{job_id}/regions", json={"lines": [DOOR]})
    assert response.status_code == 200, response.text
    assert response.json()["lines"] == [{"name": "Door", "points": DOOR["points"], "in": 1, "out": 0}]
    rows = list(csv.reader(io.StringIO(client.get(f"/api/jobs/{job_id}/files/lines.csv").text)))
    assert rows[1:] == [["1", "Door", "10.000", "in"]]  # when the stay on the west side began


def test_computed_ms_is_the_time_the_analysis_took(owner):
    """Measured, not made up: more than 0 ms over 300,000 detections with the largest regions allowed, and
    within the request's own time."""
    client, job_id = owner
    footfall.write_crowd_tracks(tracks_file(job_id), people=6000)
    zones = [{"name": f"z{i}", "polygon": [[10 + i, 10], [300, 10 + i], [300, 230], [10, 230 - i]]} for i in range(20)]
    lines = [{"name": f"l{i}", "points": [[200 + i, 20], [200 + i, 220]]} for i in range(20)]
    started = time.perf_counter()
    response = client.put(f"/api/jobs/{job_id}/regions", json={"zones": zones, "lines": lines})
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.text
    assert 0 < response.json()["computed_ms"] <= elapsed_ms


FORMULAS = ["=1+1", "@SUM(A1)", 'x;=HYPERLINK("http://evil.example")', "a,-2+3", 'b; "+cmd']


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_csv_cell_starts_a_formula_whatever_the_separator(owner, delimiter):
    """OWASP's CSV injection rule: read with `,` or `;` as the separator, no cell starts with = + - @ (after
    spaces and quotes) unless a `'` makes it text."""
    client, job_id = owner
    footfall.write_known_tracks(tracks_file(job_id))
    polygons = [[[100 + i, 100], [200, 100 + i], [200, 200], [100, 200]] for i in range(len(FORMULAS))]
    body = {
        "zones": [{"name": name, "polygon": polygon} for name, polygon in zip(FORMULAS, polygons, strict=True)],
        "lines": [{"name": f"{name} ", "points": [[250, 20 + i], [250, 220]]} for i, name in enumerate(FORMULAS)],
    }
    assert client.put(f"/api/jobs/{job_id}/regions", json=body).status_code == 200
    for name in ("zones.csv", "lines.csv"):
        text = client.get(f"/api/jobs/{job_id}/files/{name}").text
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        assert len(rows) > len(FORMULAS)  # every zone visited, every line crossed
        cells = [cell for row in rows for cell in row]
        dangerous = [
            cell for cell in cells if cell.lstrip(" \"'")[:1] in "=+-@" and not cell.lstrip(' "').startswith("'")
        ]
        assert dangerous == [], (name, dangerous)
    zones_csv = list(csv.reader(io.StringIO(client.get(f"/api/jobs/{job_id}/files/zones.csv").text)))
    assert {row[1] for row in zones_csv[1:]} >= {"'=1+1", 'x;\'=HYPERLINK("http://evil.example")'}


def test_region_files_are_written_all_or_nothing(owner, monkeypatch):
    """A worker that cannot write files over 16 KiB (RLIMIT_FSIZE: a real EFBIG) writes regions.json, then
    fails on a CSV over that (40 KB of crossings): the answer is 507, and the previous regions, files and figures
    stay whole, with no temporary file left."""
    client, job_id = owner
    footfall.write_crowd_tracks(tracks_file(job_id), people=2000)
    previous = client.put(f"/api/jobs/{job_id}/regions", json={"lines": [DOOR]})
    assert previous.status_code == 200 and previous.json()["lines"][0]["out"] == 2000
    files = {
        name: client.get(f"/api/jobs/{job_id}/files/{name}").content
        for name in ("regions.json", "zones.csv", "lines.csv")
    }
    assert len(files["lines.csv"]) > 16 * 1024
    queue = f"fsize-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "interactive_queue", queue)
    worker = start_worker(
        queues=queue, name="fsize", preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))
    )
    try:
        failed = client.put(f"/api/jobs/{job_id}/regions", json={"zones": [ENTRANCE], "lines": [DOOR, SIDE_DOOR]})
    finally:
        stop_process(worker)
    assert failed.status_code == 507 and "nothing was saved" in failed.json()["detail"], failed.text
    assert client.get(f"/api/jobs/{job_id}/regions").json() == previous.json()
    for name, data in files.items():
        assert client.get(f"/api/jobs/{job_id}/files/{name}").content == data, name
    folder = settings.heatmaps_dir / job_id
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".part")]
    job = client.get(f"/api/jobs/{job_id}").json()
    assert [f["bytes"] for f in job["results"] if f["name"] == "lines.csv"] == [len(files["lines.csv"])]


def test_the_schema_says_at_least_one_zone_or_line(app_client):
    """So that schema-driven clients and fuzzers never take `{}` or two empty lists for a valid body."""
    import jsonschema_rs  # the validator schemathesis uses

    components = app_client.get("/api/openapi.json").json()["components"]
    validator = jsonschema_rs.Draft202012Validator({"$ref": "#/components/schemas/Regions", "components": components})
    for body in ({}, {"zones": []}, {"zones": [], "lines": []}):
        assert not validator.is_valid(body), body
    for body in ({"zones": [ENTRANCE]}, {"lines": [DOOR]}, {"zones": [], "lines": [DOOR]}, REGIONS):
        assert validator.is_valid(body), body
