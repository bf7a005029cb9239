"""The kind registry (`app.kinds`): every kind has a spec, dispatch, storage, edits and uploads take what they know
of a kind from it, the job response is typed per kind, and nothing outside `app/kinds/` branches on a particular
kind (a third kind that forgot a branch would be misrouted silently)."""

from __future__ import annotations

import dataclasses
import json
import pkgutil
import re
import uuid
from pathlib import Path

from app import kinds
from app.api.middleware import UPLOAD_ROUTES
from app.core import storage
from app.core.config import settings
from app.core.events import redis_client
from app.kinds.registry import KINDS
from app.main import app
from app.models import Job, JobKind, JobStatus
from app.worker.celery_app import celery_app
from app.worker.heatmap_edits import edit_refusal
from app.worker.tasks import dispatch, time_limit_s

APP = Path(__file__).resolve().parents[1] / "app"
_NAMES = "|".join(kind.value for kind in JobKind)
_ONE_KIND = rf"(?:JobKind\.(?:{_NAMES})\b|[\"'](?:{_NAMES})[\"'])"
_KIND = r"\bkind\w*(?:\.value)?"
#: Ways of branching on a particular kind: a comparison with `JobKind.<name>` (or, next to a kind, with its
#: value), membership in a literal of kinds, a `case`, and a literal dict keyed by kinds.
BRANCHES = [
    re.compile(rf"(?:==|!=|\bis\b)\s*(?:not\s+)?JobKind\.(?:{_NAMES})\b"),
    re.compile(rf"JobKind\.(?:{_NAMES})\s*(?:==|!=|\bis\b)"),
    re.compile(rf"{_KIND}\s*(?:==|!=)\s*{_ONE_KIND}"),
    re.compile(rf"{_ONE_KIND}\s*(?:==|!=)\s*[\w.]*{_KIND}"),
    re.compile(rf"\bin\s*[(\[{{][^)\]}}]*JobKind\.(?:{_NAMES})\b"),
    re.compile(rf"\bcase\s+{_ONE_KIND}"),
    re.compile(rf"(?:^|[{{,])\s*JobKind\.(?:{_NAMES})\s*:", re.MULTILINE),
]


def kind_branches(root: Path) -> list[str]:
    """`file:line: code` of every branch on a particular kind in the Python files under `root`, outside `kinds/`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).parts[0] == "kinds":
            continue
        text = path.read_text()
        lines = text.splitlines()
        for pattern in BRANCHES:
            for match in pattern.finditer(text):
                number = text.count("\n", 0, match.end() - 1) + 1  # the line of the kind, which ends each match
                found.append(f"{path.relative_to(root.parent)}:{number}: {lines[number - 1].strip()}")
    return sorted(set(found))


def test_nothing_outside_the_registry_branches_on_a_particular_kind():
    branches = kind_branches(APP)
    assert not branches, "look the kind up with `app.kinds.spec(kind)` instead:\n" + "\n".join(branches)


def test_the_grep_sees_each_way_of_branching(tmp_path):
    """The patterns catch what they are meant to (and not a comparison of some other `kind`)."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "branches.py").write_text(
        "if job.kind == JobKind.depth: pass\n"
        "if JobKind.heatmap != kind: pass\n"
        "if job.kind.value == 'heatmap': pass\n"
        "if kind in (JobKind.depth, JobKind.heatmap): pass\n"
        "match kind:\n    case JobKind.depth: pass\n"
        "TASKS = {\n    JobKind.depth: 1,\n}\n"
        "query = select(Job).where(Job.kind == kind)\n"  # a filter by a variable: no branch
        'if kind == "end": pass\n'  # another kind of thing
        "def f(kind: JobKind = JobKind.depth): pass\n"
    )
    assert [line.split(":")[1] for line in kind_branches(tmp_path / "app")] == ["1", "2", "3", "4", "6", "8"]


def test_every_kind_has_a_spec_with_a_runner_a_task_and_a_queue():
    assert set(KINDS) == set(JobKind)
    for kind, spec in KINDS.items():
        assert spec.kind == kind and kinds.spec(kind) is spec
        assert callable(pkgutil.resolve_name(spec.runner))
        assert spec.task_name in celery_app.tasks
        assert celery_app.conf.task_routes[spec.task_name] == {"queue": spec.queue(settings)}
        assert ("POST", f"/api/jobs/{kind.value}") in UPLOAD_ROUTES


def test_dispatch_takes_the_task_queue_and_time_limit_from_the_spec(monkeypatch):
    queue = f"kinds-{uuid.uuid4().hex[:8]}"
    for kind, spec in KINDS.items():
        monkeypatch.setitem(KINDS, kind, dataclasses.replace(spec, queue=lambda _: queue, run_seconds=lambda _: 7.0))
    jobs = {kind: Job(id=uuid.uuid4(), kind=kind, summary={}, items_total=1) for kind in JobKind}
    client = redis_client()
    try:
        for job in jobs.values():
            dispatch(job)
        sent = [json.loads(message)["headers"] for message in client.lrange(queue, 0, -1)]
    finally:
        client.delete(queue)
    soft = settings.job_time_base_seconds + 7.0
    assert {(h["task"], h["argsrepr"]) for h in sent} == {
        (KINDS[kind].task_name, repr([str(job.id)])) for kind, job in jobs.items()
    }
    assert all(h["timelimit"] == [soft + settings.job_time_grace_seconds, soft] for h in sent), sent
    assert all(time_limit_s(job) == soft for job in jobs.values())


def test_storage_and_edits_follow_the_spec(monkeypatch, tmp_path):
    job = Job(id=uuid.uuid4(), kind=JobKind.depth, status=JobStatus.succeeded)
    spec = KINDS[JobKind.depth]
    assert edit_refusal(job) and not storage.is_video_input(job, "input.mp4")
    monkeypatch.setitem(
        KINDS, JobKind.depth, dataclasses.replace(spec, folder=lambda _: tmp_path, input_video=True, redrawable=True)
    )
    assert storage.job_dir(job) == tmp_path / str(job.id)
    assert storage.is_video_input(job, "input.mp4") and not storage.is_video_input(job, "photo.png")
    assert edit_refusal(job) is None


def test_the_job_response_is_a_union_discriminated_by_kind():
    schema = app.openapi()
    models = schema["components"]["schemas"]
    answer = schema["paths"]["/api/jobs/{job_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer["discriminator"]["propertyName"] == "kind"
    mapping = answer["discriminator"]["mapping"]
    assert set(mapping) == {kind.value for kind in JobKind}
    assert sorted(mapping.values()) == sorted(member["$ref"] for member in answer["oneOf"])
    for kind, spec in KINDS.items():
        model = models[mapping[kind.value].rsplit("/", 1)[-1]]["properties"]
        assert model["kind"]["const"] == kind.value
        assert model["params"]["$ref"] == f"#/components/schemas/{spec.options.__name__}"
        assert {"id", "status", "progress", "results", "summary", "processing_ms"} <= set(model)
        created = schema["paths"][f"/api/jobs/{kind.value}"]["post"]
        assert created["responses"]["202"]["content"]["application/json"]["schema"] == {"$ref": mapping[kind.value]}
        encoding = next(iter(created["requestBody"]["content"]["multipart/form-data"]["encoding"].values()))
        assert encoding["contentType"].split(", ") == sorted(spec.upload.media_types)
