"""The production stack, checked without Docker: docker-compose.yml parsed and validated by `docker-compose
config`, the Dockerfiles and .env.example read, nginx.conf run in front of a real API when nginx is installed,
and the API's refusal to start in production with placeholder secrets."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from pydantic import ValidationError

from app.api.middleware import MULTIPART_OVERHEAD, UPLOAD_ROUTES
from app.core.config import PLACEHOLDER_SECRET, Settings
from app.core.events import channel, redis_client
from scripts.devstack import free_port, wait_until_answers
from tests.conftest import PASSWORD, start_api, stop_process

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "backend"
COMPOSE_FILE = REPO / "docker-compose.yml"
SERVICES = {
    "postgres", "redis", "api", "worker", "worker-interactive", "worker-heatmap", "worker-gpu", "beat", "flower",
    "frontend",
}  # fmt: skip
WORKERS = ("worker", "worker-interactive", "worker-heatmap", "worker-gpu")
DATA_MOUNTS = {"./videos": "VIDEOS_DIR", "./heatmaps": "HEATMAPS_DIR", "./depth_maps": "DEPTH_MAPS_DIR"}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$|BASIC_AUTH|REDISCLI_AUTH")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict[str, Any]]:
    return compose["services"]


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    return dict(item.split("=", 1) for item in env) if isinstance(env, list) else {k: str(v) for k, v in env.items()}


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    return dict(volume.split(":")[:2] for volume in service.get("volumes", []))


def _command(service: dict[str, Any]) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_every_service_is_there_and_restarts(services):
    assert SERVICES <= set(services)
    for name in SERVICES:
        assert services[name].get("restart") == "unless-stopped", name


def test_every_service_has_a_healthcheck_or_waits_for_a_healthy_one(services):
    healthy = {name for name, service in services.items() if service.get("healthcheck", {}).get("test")}
    for name, service in services.items():
        depends = service.get("depends_on", {})
        waits_for = {dep for dep, spec in depends.items() if spec.get("condition") == "service_healthy"}
        assert name in healthy or waits_for & healthy, f"{name}: no healthcheck and no healthy dependency"
        assert waits_for <= healthy, f"{name} waits on services without a healthcheck: {waits_for - healthy}"


# Capabilities a service may add back after `cap_drop: [ALL]`: only images whose entrypoint starts as root to chown
# its data and switch to an unprivileged user (and nginx, which also binds port 80).
ADDED_CAPABILITIES = {
    "postgres": {"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"},
    "redis": {"CHOWN", "SETGID", "SETUID"},
    "frontend": {"CHOWN", "NET_BIND_SERVICE", "SETGID", "SETUID"},
}


def test_every_service_is_hardened(services):
    """No capabilities beyond what an entrypoint needs, no privilege gain (setuid binaries), and a read-only image:
    writes go to volumes and tmpfs mounts only."""
    for name, service in services.items():
        assert service.get("cap_drop") == ["ALL"], name
        assert set(service.get("cap_add", [])) <= ADDED_CAPABILITIES.get(name, set()), name
        assert "no-new-privileges:true" in service.get("security_opt", []), name
        assert service.get("read_only") is True, name


def _writable(service: dict[str, Any]) -> set[str]:
    tmpfs = {entry.split(":")[0] for entry in service.get("tmpfs", [])}
    return tmpfs | set(_mounts(service).values())


def test_read_only_services_can_write_where_they_must(services):
    for name in ("api", "beat", *WORKERS):
        assert {"/app/data", "/tmp"} <= _writable(services[name]), name  # ultralytics' settings, beat's schedule
    for name in WORKERS:
        assert "/app/models" in _writable(services[name])  # weights downloaded, exports made
    # Uploads are spooled to /tmp while they arrive: on a volume, not in memory (tmpfs counts against mem_limit).
    assert _mounts(services["api"])["api-tmp"] == "/tmp" and "/tmp" not in str(services["api"]["tmpfs"])
    assert {"/var/run/postgresql", "/var/lib/postgresql/data"} <= _writable(services["postgres"])
    assert "/data" in _writable(services["redis"])
    assert {"/var/cache/nginx", "/run", "/etc/nginx/scenelab"} <= _writable(services["frontend"])
    conf = (REPO / "frontend" / "nginx.conf").read_text()
    assert "include /etc/nginx/scenelab/trusted_proxies.conf;" in conf


def test_servers(services, compose):
    postgres, redis = services["postgres"], services["redis"]
    assert re.fullmatch(r"postgres:16\.\d+[\w.-]*", postgres["image"])
    assert "pg_isready" in str(postgres["healthcheck"]["test"])
    volume = _mounts(postgres)["postgres-data"]
    assert volume == "/var/lib/postgresql/data" and "postgres-data" in compose["volumes"]
    assert re.fullmatch(r"redis:\d+\.\d+\.\d+[\w.-]*", redis["image"])
    assert "--appendonly yes" in _command(redis) and "redis-data" in _mounts(redis)
    assert "redis-cli ping" in str(redis["healthcheck"]["test"])


def test_api_migrates_then_serves_with_several_workers(services):
    api = services["api"]
    waits_for = {dep for dep, spec in api["depends_on"].items() if spec["condition"] == "service_healthy"}
    assert waits_for >= {"postgres", "redis"}
    command = _command(api)
    assert command.index("alembic upgrade head") < command.index("uvicorn app.main:app")
    assert re.search(r"--workers \$\{API_WORKERS:-\d+\}", command)
    assert "/api/health" in str(api["healthcheck"]["test"])
    assert _env(api)["PROMETHEUS_MULTIPROC_DIR"]


def test_workers_run_the_make_run_commands(services):
    from scripts.devstack import service_commands

    local = {name: " ".join(argv[argv.index("-m") + 1 :]) for name, argv in service_commands(Settings()).items()}
    assert "celery -A app.worker.celery_app:celery_app worker" in local["worker"]
    for name in WORKERS:
        command = _command(services[name])
        assert command.startswith("celery -A app.worker.celery_app:celery_app worker"), name
        assert "--queues" in command and "--hostname" in command
    assert "--concurrency ${WORKER_CONCURRENCY:-1}" in _command(services["worker"])
    # Redraws and footfall analyses on a worker of their own, in compose as under `make run`.
    interactive = _command(services["worker-interactive"])
    assert (
        "--queues ${INTERACTIVE_QUEUE:-interactive}" in interactive and "profiles" not in services["worker-interactive"]
    )
    assert "--queues interactive" in local["worker-interactive"]
    assert _command(services["beat"]).startswith(local["beat"].split(" --schedule")[0])
    assert "exec celery -A app.worker.celery_app:celery_app flower " in _command(services["flower"])


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", size.lower()).groups()
    return int(number) * 1024 ** " kmg".index(unit or " ")


def test_backend_containers_have_memory_limits_above_a_pool_process(services):
    """A job that eats memory kills its own container's process, not the host; a pool process that grew past
    WORKER_MAX_MEMORY_PER_CHILD is replaced after its task, well before the container's limit."""
    env_example = (REPO / ".env.example").read_text()
    default = dict(re.findall(r"^([A-Z_]+)=(.*)$", env_example, re.M))
    for name in ("api", "beat", *WORKERS):
        limit = re.fullmatch(r"\$\{([A-Z_]+):-(\w+)\}", str(services[name]["mem_limit"]))
        assert limit, name
        assert default[limit.group(1)] == limit.group(2), name  # .env.example shows the default
    worker_limit = _bytes(default["WORKER_MEMORY_LIMIT"])
    per_child = Settings().worker_max_memory_per_child * 1024
    assert 0 < per_child < worker_limit
    from app.worker.celery_app import celery_app

    assert celery_app.conf.worker_max_memory_per_child == per_child // 1024  # Celery counts KiB
    assert f"WORKER_MAX_MEMORY_PER_CHILD={per_child // 1024}" in env_example


def test_volumes_are_mounted_where_the_settings_point(services):
    for name in ("api", *WORKERS):
        mounts, env = _mounts(services[name]), _env(services[name])
        for source, variable in DATA_MOUNTS.items():
            assert source in mounts, f"{name} lacks {source}"
            assert env[variable] == mounts[source], f"{name}: {variable} is not the mount point of {source}"
    for name in WORKERS:
        mounts, env = _mounts(services[name]), _env(services[name])
        assert mounts["./models"] == env["MODELS_DIR"] == "/app/models"  # a weights file in ./models is used as is


def test_no_secret_literals(services):
    text = COMPOSE_FILE.read_text()
    assert text.count(PLACEHOLDER_SECRET) == _command(services["flower"]).count(PLACEHOLDER_SECRET) == 1  # its guard
    required = r"\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}"  # ${VAR:?message}: compose stops when VAR is unset
    for name, service in services.items():
        for key, value in _env(service).items():
            if SECRET_NAME.search(key):
                assert re.search(required, value), f"{name}.{key} must come from ${{VAR:?...}}"
            if "://" in value and "@" in value:  # credentials inside a URL
                assert re.search(rf"://[^/]*{required}@", value), f"{name}.{key} embeds a literal password"
    assert "--requirepass ${REDIS_PASSWORD:?" in _command(services["redis"])


def test_flower_never_runs_without_a_password(services):
    flower = services["flower"]
    env = _env(flower)
    assert env["FLOWER_BASIC_AUTH"].startswith("${FLOWER_USER:-admin}:${FLOWER_PASSWORD:?")
    assert env["FLOWER_URL_PREFIX"] == "${FLOWER_URL_PREFIX:-}"
    # Flower reads every FLOWER_* variable as an option and stops at unknown ones (FLOWER_USER, FLOWER_PASSWORD).
    assert "env_file" not in flower and not {"FLOWER_USER", "FLOWER_PASSWORD"} & set(env)
    assert "healthcheck" in str(flower["healthcheck"]["test"])
    assert flower["ports"] == ["127.0.0.1:${FLOWER_PORT:-5555}:5555"]  # the host's loopback only


@pytest.mark.parametrize("password", [PLACEHOLDER_SECRET, ""])
def test_flower_refuses_the_placeholder_password(services, tmp_path, password):
    """The compose command itself, run by sh with a stand-in `celery` that says how it was called."""
    (tmp_path / "celery").write_text('#!/bin/sh\necho "celery $*"\n')
    (tmp_path / "celery").chmod(0o755)
    command = [part.replace("$$", "$") for part in services["flower"]["command"]]
    env = {"PATH": f"{tmp_path}:{os.environ['PATH']}"}
    refused = subprocess.run(
        command, env={**env, "FLOWER_BASIC_AUTH": f"admin:{password}"}, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "FLOWER_PASSWORD is still a placeholder" in refused.stderr
    assert "celery" not in refused.stdout
    started = subprocess.run(
        command, env={**env, "FLOWER_BASIC_AUTH": "admin:a-real-password"}, capture_output=True, text=True
    )
    assert started.returncode == 0 and started.stdout.startswith("celery -A app.worker.celery_app:celery_app flower")


def test_api_trusts_forwarded_headers_from_nginx_only(services, compose):
    """uvicorn takes the client address from X-Forwarded-For only when nginx (its fixed address) sent it."""
    trusted = re.search(r"--forwarded-allow-ips (\S+)", _command(services["api"]))
    nginx_address = services["frontend"]["networks"]["default"]["ipv4_address"]
    assert trusted and trusted.group(1) == nginx_address
    (subnet,) = compose["networks"]["default"]["ipam"]["config"]
    assert ipaddress.ip_address(nginx_address) in ipaddress.ip_network(subnet["subnet"])


def test_gpu_worker_reserves_an_nvidia_gpu(services):
    gpu = services["worker-gpu"]
    assert gpu["profiles"] == ["gpu"] and _env(gpu)["DEVICE"] == "auto"
    (device,) = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"]
    assert gpu["build"]["args"]["TORCH_INDEX"] == "https://pypi.org/simple"  # PyPI's torch wheels carry CUDA
    assert "profiles" not in services["worker"]


def test_split_profile_runs_a_heatmap_only_worker(services):
    heatmap = services["worker-heatmap"]
    assert heatmap["profiles"] == ["split"]
    assert "--queues ${HEATMAP_QUEUE:-heatmap} " in _command(heatmap)
    assert "--queues ${WORKER_QUEUES:-depth,heatmap,maintenance} " in _command(services["worker"])


def test_s3_profile_runs_minio_and_creates_the_bucket(services):
    """`--profile s3`: MinIO (its console on the host's loopback only) and a one-shot service that creates the
    bucket; the api and workers get STORAGE and S3_*, pointed at it by default, signing with MinIO's root login."""
    minio, bucket = services["minio"], services["minio-bucket"]
    assert minio["profiles"] == bucket["profiles"] == ["s3"]
    assert "127.0.0.1:${MINIO_CONSOLE_PORT:-9001}:9001" in minio["ports"]
    assert "--console-address" in _command(minio) and _mounts(minio)["minio-data"] == "/data"
    assert "mc ready local" in " ".join(minio["healthcheck"]["test"]).replace("--config-dir /tmp/mc ", "")
    assert bucket["depends_on"]["minio"]["condition"] == "service_healthy" and bucket["restart"] != "unless-stopped"
    assert 'mb --ignore-existing "minio/$$S3_BUCKET"' in " ".join(bucket["entrypoint"])
    login = _env(minio)
    for name in ("api", "beat", *WORKERS):
        env = _env(services[name])
        assert env["STORAGE"] == "${STORAGE:-local}", name
        assert env["S3_ENDPOINT_URL"] == "${S3_ENDPOINT_URL:-http://minio:9000}", name
        assert {f"S3_{key}" for key in ("PUBLIC_URL", "BUCKET", "REGION", "PREFIX")} <= set(env), name
        assert (env["S3_ACCESS_KEY_ID"], env["S3_SECRET_ACCESS_KEY"]) == (
            login["MINIO_ROOT_USER"],
            login["MINIO_ROOT_PASSWORD"],
        ), name
    assert _env(bucket)["S3_BUCKET"] == _env(services["api"])["S3_BUCKET"]


def test_frontend_proxies_the_api_with_matching_limits(services):
    frontend = services["frontend"]
    assert frontend["build"]["context"] == "./frontend"
    assert frontend["depends_on"]["api"]["condition"] == "service_healthy"
    conf = (REPO / "frontend" / "nginx.conf").read_text()
    default = re.search(r"^    client_max_body_size (\d+)k;", conf, re.M)
    assert default and int(default.group(1)) << 10 == Settings.model_fields["max_body_bytes"].default
    uploads = re.search(r"location ~ \^/api/jobs/\(depth\|heatmap\)\$ \{[^}]*client_max_body_size (\d+)m;", conf)
    upload_limit = Settings.model_fields["max_upload_bytes"].default + MULTIPART_OVERHEAD
    assert uploads and int(uploads.group(1)) << 20 == upload_limit
    assert {("POST", "/api/jobs/depth"), ("POST", "/api/jobs/heatmap")} == UPLOAD_ROUTES
    sse = re.search(r"location = /api/jobs/events \{(.*?)\}", conf, re.S)
    assert sse and "proxy_buffering off;" in sse.group(1)
    assert "set $api_upstream http://api:8000;" in conf and "location /api/ {" in conf


def test_images_are_pinned_multi_stage_and_non_root():
    backend = (BACKEND / "Dockerfile").read_text()
    frontend = (REPO / "frontend" / "Dockerfile").read_text()
    assert re.search(r"^ARG BASE_IMAGE=python:3\.\d+\.\d+-slim-\w+$", backend, re.M)
    assert re.search(r"^ARG TORCH_INDEX=https://download\.pytorch\.org/whl/cpu$", backend, re.M)
    assert len(re.findall(r"^FROM ", backend, re.M)) == 2 and re.search(r"^USER scenelab$", backend, re.M)
    froms = re.findall(r"^FROM (\S+)", frontend, re.M)
    assert len(froms) == 2 and all(re.search(r":\d+\.\d+\.\d+", image) for image in froms)
    assert "!app/" in (BACKEND / ".dockerignore").read_text()
    assert "node_modules" in (REPO / "frontend" / ".dockerignore").read_text()


def test_env_example_lists_every_setting_and_compose_variable():
    text = (REPO / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, re.M))
    settings = {name.upper() for name in Settings.model_fields}
    assert settings <= listed, f"missing from .env.example: {sorted(settings - listed)}"
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text()))
    assert used <= listed, f"compose variables missing from .env.example: {sorted(used - listed)}"
    for secret in ("SECRET_KEY", "FLOWER_PASSWORD", "POSTGRES_PASSWORD", "REDIS_PASSWORD"):
        assert re.search(rf"^{secret}={PLACEHOLDER_SECRET}$", text, re.M), secret


def test_env_example_trusts_no_development_origin_in_production():
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", (REPO / ".env.example").read_text(), re.M))
    assert values["ENVIRONMENT"] == "production"
    origins = json.loads(values["TRUSTED_ORIGINS"])
    assert not [origin for origin in origins if re.search(r"localhost|127\.|:5173", origin)]


# --- `docker-compose config` (Debian's docker-compose package; `make test` installs it with apt-get) ---


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the compose project with .env made from .env.example (build contexts are only named)."""
    shutil.copy(COMPOSE_FILE, tmp_path / "docker-compose.yml")
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    for folder in ("backend", "frontend", "videos", "heatmaps", "depth_maps", "models"):
        (tmp_path / folder).mkdir()
    return tmp_path


def _compose_config(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip(
            "docker-compose is not installed and apt-get could not install it here "
            "(`make test` runs `apt-get install -y docker-compose` as root when apt is available)"
        )
    env = {"PATH": os.environ["PATH"], "HOME": str(project)}  # nothing from the test environment leaks in
    return subprocess.run([binary, *args, "config", "-q"], cwd=project, env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    "profile",
    [[], ["--profile", "gpu"], ["--profile", "split"], ["--profile", "s3"]],
    ids=["default", "gpu", "split", "s3"],
)
def test_docker_compose_config_accepts_the_file(project, profile):
    result = _compose_config(project, *profile)
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_start_without_a_flower_password(project):
    env_file = project / ".env"
    env_file.write_text(re.sub(r"^FLOWER_PASSWORD=.*\n", "", env_file.read_text(), flags=re.M))
    result = _compose_config(project)
    assert result.returncode != 0 and "set FLOWER_PASSWORD in .env" in result.stderr


# --- production mode refuses placeholder secrets ---

REAL_KEY = "k" * 32


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("SECRET_KEY", PLACEHOLDER_SECRET, "SECRET_KEY"),
        ("FLOWER_PASSWORD", PLACEHOLDER_SECRET, "FLOWER_PASSWORD"),
        (
            "DATABASE_URL",
            f"postgresql://scenelab:{PLACEHOLDER_SECRET}@postgres:5432/scenelab",
            "the password in DATABASE_URL",
        ),
        ("REDIS_URL", f"redis://:{PLACEHOLDER_SECRET}@redis:6379/0", "the password in REDIS_URL"),
    ],
)
def test_production_refuses_placeholder_secrets(monkeypatch, variable, value, named):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("FLOWER_PASSWORD", "a-real-password")
    monkeypatch.setenv("DATABASE_URL", "postgresql://scenelab:a-real-password@postgres:5432/scenelab")
    monkeypatch.setenv("REDIS_URL", "redis://:a-real-password@redis:6379/0")
    assert Settings(_env_file=None).environment == "production"
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=f"{named} is still 'changethis'"):
        Settings(_env_file=None)
    monkeypatch.setenv("ENVIRONMENT", "development")
    assert Settings(_env_file=None).environment == "development"


def test_production_refuses_the_placeholder_s3_secret_only_when_storing_in_s3(monkeypatch):
    """.env.example's S3_SECRET_ACCESS_KEY is the placeholder (compose needs a value whatever STORAGE is)."""
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("FLOWER_PASSWORD", "a-real-password")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", PLACEHOLDER_SECRET)
    monkeypatch.setenv("STORAGE", "local")
    assert Settings(_env_file=None).storage == "local"
    monkeypatch.setenv("STORAGE", "s3")
    with pytest.raises(ValidationError, match="S3_SECRET_ACCESS_KEY is still 'changethis'"):
        Settings(_env_file=None)
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "a-real-secret")
    assert Settings(_env_file=None).storage == "s3"


def test_production_refuses_a_short_secret_key(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("FLOWER_PASSWORD", "a-real-password")
    monkeypatch.setenv("SECRET_KEY", REAL_KEY[:31])
    with pytest.raises(ValidationError, match="SECRET_KEY is 31 bytes: use at least 32 random bytes"):
        Settings(_env_file=None)
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    assert Settings(_env_file=None).secret_key == REAL_KEY


def test_make_run_signs_with_a_random_key_of_its_own(monkeypatch, tmp_path):
    from scripts.devstack import local_secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first, second = (Settings(_env_file=None, data_dir=tmp_path / name) for name in ("a", "b"))
    key = local_secret_key(first)
    assert key != PLACEHOLDER_SECRET and len(key.encode()) >= 32 and key != local_secret_key(second)
    assert local_secret_key(first) == key  # kept across restarts
    assert (tmp_path / "a" / "secret_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("SECRET_KEY", PLACEHOLDER_SECRET)  # the placeholder from a copied .env.example
    assert local_secret_key(Settings(_env_file=None, data_dir=tmp_path / "a")) == key
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    assert local_secret_key(Settings(_env_file=None, data_dir=tmp_path / "a")) == REAL_KEY


def test_api_process_will_not_start_in_production_with_the_default_secret_key():
    env = {**os.environ, "ENVIRONMENT": "production", "SECRET_KEY": PLACEHOLDER_SECRET, "FLOWER_PASSWORD": "real"}
    result = subprocess.run(
        [sys.executable, "-c", "import app.main"], cwd=BACKEND, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY is still 'changethis': set a real value before running with ENVIRONMENT=production" in (
        result.stderr
    )


# --- nginx.conf in front of a real API (Debian's nginx; `make test` installs it, as compose's image runs nginx) ---

LOGIN_ATTEMPTS = 3  # per minute and account+address for the API behind nginx; 3x that per address
# Your TLS proxy, as nginx sees it: clients connecting from this loopback address are trusted (TRUSTED_PROXIES);
# from 127.0.0.1 they are not.
TRUSTED_PROXY = "127.0.0.2"


@pytest.fixture(scope="module")
def proxied_site(tmp_path_factory, services) -> Iterator[str]:
    """frontend/nginx.conf itself, its upstream and root pointed at a real uvicorn run with compose's proxy options
    (trusting the nginx hop, here 127.0.0.1) and a local folder."""
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if nginx is None:
        pytest.fail("no nginx binary: `make test` installs Debian's nginx (apt-get install nginx)")
    root = tmp_path_factory.mktemp("nginx")
    (root / "dist" / "assets").mkdir(parents=True)
    (root / "dist" / "index.html").write_text("<!doctype html><title>SceneLab</title>")
    (root / "dist" / "assets" / "app-1234.js").write_text("console.log(1)")
    nginx_address = services["frontend"]["networks"]["default"]["ipv4_address"]
    proxy_options = re.search(r"--proxy-headers --forwarded-allow-ips \S+", _command(services["api"])).group(0)
    api, api_base = start_api(
        *proxy_options.replace(nginx_address, "127.0.0.1").split(), LOGIN_ATTEMPTS_PER_MINUTE=str(LOGIN_ATTEMPTS)
    )
    site_port = free_port()
    site = (REPO / "frontend" / "nginx.conf").read_text()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{site_port};")
    site = site.replace("http://api:8000", api_base)
    site = site.replace("root /usr/share/nginx/html;", f"root {root / 'dist'};")
    site = site.replace("client_max_body_size 2049m;", "client_max_body_size 1m;")  # to see nginx's own upload 413
    trusted = root / "trusted_proxies.conf"  # written by the image's own start script, as in the container
    subprocess.run(
        ["sh", str(REPO / "frontend" / "trusted-proxies.sh")],
        env={"TRUSTED_PROXIES": TRUSTED_PROXY, "TRUSTED_PROXIES_CONF": str(trusted), "PATH": os.environ["PATH"]},
        check=True,
    )
    site = site.replace("/etc/nginx/scenelab/trusted_proxies.conf", str(trusted))
    (root / "site.conf").write_text(site)
    (root / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {root}/nginx.pid;\nerror_log {root}/error.log;\nevents {{}}\nhttp {{\n"
        + ("  include /etc/nginx/mime.types;\n" if Path("/etc/nginx/mime.types").is_file() else "")
        + f"  access_log off;\n  include {root}/site.conf;\n}}\n"
    )
    server = subprocess.Popen(
        [nginx, "-g", "daemon off;", "-p", str(root), "-c", str(root / "nginx.conf")], stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{site_port}"
    _clear_rate_limits()
    try:
        try:
            wait_until_answers(f"{base}/healthz", server)
        except RuntimeError as exc:
            errors = server.stderr.read().decode() if server.poll() is not None else ""
            pytest.fail(f"nginx did not come up ({exc}): {errors}")
        yield base
    finally:
        stop_process(server)
        stop_process(api)


def _clear_rate_limits() -> None:
    """Every request through nginx comes from 127.0.0.1, as do other tests' (the session shares one Redis)."""
    client = redis_client()
    for key in client.scan_iter("scenelab:rl:*"):
        client.delete(key)


@pytest.fixture
def fresh_rate_limits() -> Iterator[None]:
    """The API's rate-limit counters emptied and nginx's own sign-in bucket refilled (2 a second, 10 at once)."""
    _clear_rate_limits()
    time.sleep(5)
    yield
    _clear_rate_limits()


def test_nginx_serves_the_spa(proxied_site):
    assert httpx.get(f"{proxied_site}/healthz").text == "ok\n"
    for path in ("/", "/jobs/123"):  # client-side routes get index.html, revalidated
        page = httpx.get(f"{proxied_site}{path}")
        assert page.status_code == 200 and "<title>SceneLab</title>" in page.text
        assert page.headers["cache-control"] == "no-cache" and page.headers["x-frame-options"] == "DENY"
    asset = httpx.get(f"{proxied_site}/assets/app-1234.js")
    assert "immutable" in asset.headers["cache-control"]


def test_nginx_proxies_the_api_with_cookies_csrf_and_events(proxied_site):
    with httpx.Client(base_url=proxied_site, timeout=10) as client:
        email = f"proxy-{uuid.uuid4().hex[:8]}@example.com"
        assert client.post("/api/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
        assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        user_id = client.get("/api/auth/me").json()["id"]
        # The browser's Origin includes the port; the API sees the same host through the proxy.
        assert client.post("/api/auth/logout", headers={"Origin": proxied_site}).status_code == 204
        assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        assert client.post("/api/auth/logout", headers={"Origin": "http://evil.example"}).status_code == 403

        stop = threading.Event()

        def publish() -> None:  # until the stream has subscribed and passed one on
            while not stop.wait(0.2):
                redis_client().publish(channel(uuid.UUID(user_id)), '{"id": "through-nginx"}')

        publisher = threading.Thread(target=publish, daemon=True)
        with client.stream("GET", "/api/jobs/events") as events:
            assert events.headers["content-type"].startswith("text/event-stream")
            publisher.start()
            try:
                lines = events.iter_lines()
                assert next(lines) == "retry: 3000"
                assert any('"through-nginx"' in line for line, _ in zip(lines, range(20), strict=False))
            finally:
                stop.set()
        publisher.join()


def test_nginx_limits_bodies_small_except_on_the_upload_routes(proxied_site):
    with httpx.Client(base_url=proxied_site, timeout=10) as client:
        json_body = client.post(
            "/api/auth/login", content=b"x" * (65 << 10), headers={"Content-Type": "application/json"}
        )
        assert json_body.status_code == 413
        assert json_body.json()["detail"] == "the request body is larger than the 65,536 bytes allowed"
        assert "content-security-policy" not in json_body.headers  # nginx's own answer: the API never saw it
        for path in ("/api/jobs/depth", "/api/jobs/heatmap"):
            upload = client.post(path, files={"files": ("a.png", b"x" * (100 << 10))})  # past 64k: to the API
            assert upload.status_code == 401 and "not logged in" in upload.json()["detail"]
            too_big = client.post(path, files={"files": ("a.png", b"x" * (2 << 20))})  # 1m in this test's config
            assert too_big.status_code == 413 and too_big.json()["detail"].startswith("the upload is larger than")


def test_client_chosen_forwarded_proto_and_host_are_replaced(proxied_site, fresh_rate_limits):
    """Made-up X-Forwarded-Proto / X-Forwarded-Host do not make a foreign Origin look like the site's own."""
    with httpx.Client(base_url=proxied_site, timeout=10) as client:
        email = f"forwarded-{uuid.uuid4().hex[:8]}@example.com"
        assert client.post("/api/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
        assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        forged = {"Origin": "https://evil.example", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
        assert client.post("/api/auth/logout", headers=forged).status_code == 403


def test_client_chosen_forwarded_for_is_replaced(proxied_site, fresh_rate_limits):
    """A new made-up X-Forwarded-For on every attempt still counts against the one real address."""
    with httpx.Client(base_url=proxied_site, timeout=10) as client:
        answers = []
        for attempt in range(LOGIN_ATTEMPTS * 3 + 1):  # distinct accounts: only the per-address limit applies
            spoofed = {"X-Forwarded-For": f"203.0.113.{attempt}", "X-Real-IP": f"203.0.113.{attempt}"}
            answers.append(
                client.post(
                    "/api/auth/login",
                    headers=spoofed,
                    json={"email": f"nobody{attempt}@example.com", "password": "wrong password"},
                )
            )
            time.sleep(0.5)  # within nginx's own 2 per second
        assert [a.status_code for a in answers] == [401] * LOGIN_ATTEMPTS * 3 + [429]
        assert "too many attempts" in answers[-1].json()["detail"] and answers[-1].headers["retry-after"]


def test_nginx_rate_limits_sign_in_attempts(proxied_site, fresh_rate_limits):
    with httpx.Client(base_url=proxied_site, timeout=10) as client:
        answers = [
            client.post("/api/auth/login", json={"email": f"n{i}@example.com", "password": "wrong password"})
            for i in range(20)
        ]
    from_nginx = [a for a in answers if a.status_code == 429 and a.json()["detail"].startswith("too many requests")]
    assert len(from_nginx) >= 5, [a.status_code for a in answers]
    assert all(a.headers["retry-after"] == "1" for a in from_nginx)


def _behind_the_proxy(base: str) -> httpx.Client:
    """A client whose requests come from the trusted TLS proxy's address."""
    return httpx.Client(base_url=base, timeout=10, transport=httpx.HTTPTransport(local_address=TRUSTED_PROXY))


def _login(client: httpx.Client, client_address: str, attempt: int) -> httpx.Response:
    return client.post(
        "/api/auth/login",
        headers={"X-Forwarded-For": f"{client_address}, {TRUSTED_PROXY}"},  # as a proxy chain appends
        json={"email": f"nobody{attempt}@example.com", "password": "wrong password"},
    )


def test_clients_behind_a_trusted_proxy_are_limited_separately(proxied_site, fresh_rate_limits):
    """Behind a TLS proxy in TRUSTED_PROXIES, nginx's limit and the API's own key on each client's address: one
    client hammering sign-in locks out neither another client nor itself at the other's expense."""
    with _behind_the_proxy(proxied_site) as proxy:
        burst = [_login(proxy, "198.51.100.1", i).status_code for i in range(20)]
        assert burst.count(429) >= 5, burst  # nginx: 2 a second, 10 at once, for 198.51.100.1
        other = [_login(proxy, "198.51.100.2", i).status_code for i in range(8)]
        assert other == [401] * 8  # a fresh bucket in nginx and in the API
    _clear_rate_limits()
    time.sleep(5)  # nginx's bucket for 198.51.100.1 refills
    with _behind_the_proxy(proxied_site) as proxy:
        answers = []
        for attempt in range(LOGIN_ATTEMPTS * 3 + 1):  # within nginx's rate: only the API's per-address limit
            answers.append(_login(proxy, "198.51.100.3", attempt))
            time.sleep(0.5)
        assert [a.status_code for a in answers] == [401] * LOGIN_ATTEMPTS * 3 + [429]
        assert "too many attempts" in answers[-1].json()["detail"]
        assert _login(proxy, "198.51.100.4", 0).status_code == 401  # the API keys on the client, not the proxy


def test_session_routes_are_not_rate_limited(proxied_site, fresh_rate_limits):
    """/api/auth/me and logout run on every page load: no sign-in limit on them, even for one shared address."""
    with httpx.Client(base_url=proxied_site, timeout=10) as client:
        me = [client.get("/api/auth/me").status_code for _ in range(30)]
        logout = [client.post("/api/auth/logout", headers={"Origin": proxied_site}).status_code for _ in range(30)]
    assert me == [401] * 30 and logout == [204] * 30


def test_make_run_trusts_forwarded_for_from_trusted_proxies_only(fresh_rate_limits):
    """`make run`'s uvicorn behind a TLS proxy: X-Forwarded-For counts from TRUSTED_PROXIES only, so the API's
    sign-in limit keys on each client behind the proxy and on the real address of anyone else."""
    from scripts.devstack import proxy_options

    options = proxy_options(Settings(_env_file=None, trusted_proxies=f"{TRUSTED_PROXY}/32"))
    api, base = start_api(*options, LOGIN_ATTEMPTS_PER_MINUTE=str(LOGIN_ATTEMPTS))
    try:
        with _behind_the_proxy(base) as proxy, httpx.Client(base_url=base, timeout=10) as direct:
            limited = [_login(proxy, "198.51.100.5", i).status_code for i in range(LOGIN_ATTEMPTS * 3 + 1)]
            assert limited == [401] * LOGIN_ATTEMPTS * 3 + [429]
            assert _login(proxy, "198.51.100.6", 0).status_code == 401
            spoofed = [_login(direct, f"198.51.100.{10 + i}", i).status_code for i in range(LOGIN_ATTEMPTS * 3 + 1)]
            assert spoofed == [401] * LOGIN_ATTEMPTS * 3 + [429]  # one address, whatever it claims
    finally:
        stop_process(api)
    assert proxy_options(Settings(_env_file=None)) == ["--no-proxy-headers"]


# --- database connections: sized from DATABASE_MAX_CONNECTIONS, refused when they cannot fit ---


def _pool_of_a_process(role: str, **env: str) -> int:
    """The connections a fresh process's engine may open (kept + overflow), as an API or a Celery process."""
    code = (
        "from app.core import db\n"
        + ("db.celery_process()\n" if role == "celery" else "")
        + "pool = db.get_engine().pool\nprint(pool.size() + pool._max_overflow)"
    )
    argv, env = [sys.executable, "-c", code], {**os.environ, **env}
    result = subprocess.run(argv, cwd=BACKEND, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def test_database_pools_fit_in_postgresqls_default_connections():
    """The defaults: 4 API processes and a worker with beat fit PostgreSQL's 100 (97 usable) connections."""
    defaults = Settings(_env_file=None)
    api, celery = _pool_of_a_process("api", API_WORKERS="4"), _pool_of_a_process("celery")
    processes = {"api": defaults.api_workers, "celery": defaults.worker_concurrency + 2}
    total = processes["api"] * api + processes["celery"] * celery
    assert api == defaults.api_process_connections and total <= defaults.database_max_connections <= 97
    assert _pool_of_a_process("api", DATABASE_MAX_CONNECTIONS="40", API_WORKERS="2") == (40 - celery * 3) // 2


def test_settings_refuse_a_connection_budget_the_processes_cannot_share():
    with pytest.raises(ValidationError, match=r"DATABASE_MAX_CONNECTIONS=20 cannot hold .* API_WORKERS=8"):
        Settings(_env_file=None, database_max_connections=20, api_workers=8)
    env = {**os.environ, "DATABASE_MAX_CONNECTIONS": "20", "API_WORKERS": "8"}
    result = subprocess.run(
        [sys.executable, "-c", "import app.main"], cwd=BACKEND, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "DATABASE_MAX_CONNECTIONS=20 cannot hold" in result.stderr


def test_api_refuses_to_start_with_more_connections_than_postgresql_accepts():
    from app.core.db import usable_server_connections

    too_many = usable_server_connections() + 1
    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=BACKEND,
        env={**os.environ, "DATABASE_MAX_CONNECTIONS": str(too_many), "API_WORKERS": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"DATABASE_MAX_CONNECTIONS={too_many} is more than the {too_many - 1} connections" in result.stderr


def test_trusted_proxies_become_set_real_ip_from_lines_and_nothing_else(tmp_path):
    """The container's start script (trusted-proxies.sh): one line per address or CIDR; anything else refused."""

    def run(value: str) -> subprocess.CompletedProcess[str]:
        env = {"TRUSTED_PROXIES": value, "TRUSTED_PROXIES_CONF": str(tmp_path / "out.conf"), "PATH": os.environ["PATH"]}
        script = str(REPO / "frontend" / "trusted-proxies.sh")
        return subprocess.run(["sh", script], env=env, capture_output=True, text=True)

    assert run("10.0.0.2, 172.16.0.0/12,fd00::/8").returncode == 0
    lines = (tmp_path / "out.conf").read_text().splitlines()
    assert lines == ["set_real_ip_from 10.0.0.2;", "set_real_ip_from 172.16.0.0/12;", "set_real_ip_from fd00::/8;"]
    assert run("").returncode == 0 and (tmp_path / "out.conf").read_text() == ""
    refused = run("10.0.0.1;include /etc/passwd")
    assert refused.returncode == 1 and "is not an address or CIDR" in refused.stderr
