"""Platform checks: migrations match the models, health, OpenAPI, and the layering rules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import start_api, stop_process

BACKEND = Path(__file__).resolve().parents[1]


def test_migrations_match_the_models():
    result = subprocess.run([sys.executable, "-m", "alembic", "check"], cwd=BACKEND, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No new upgrade operations detected" in result.stdout + result.stderr


def test_health_reports_database_broker_and_workers(app_client, worker):
    body = app_client.get("/api/health").json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["broker"] == "ok"
    assert body["workers"] >= 1


def test_openapi_describes_every_endpoint(app_client):
    spec = app_client.get("/api/openapi.json").json()
    expected = {
        ("post", "/api/auth/register"),
        ("post", "/api/auth/login"),
        ("post", "/api/auth/logout"),
        ("get", "/api/auth/me"),
        ("get", "/api/auth/registration"),
        ("post", "/api/jobs/depth"),
        ("get", "/api/jobs"),
        ("get", "/api/jobs/{job_id}"),
        ("get", "/api/jobs/{job_id}/items"),
        ("get", "/api/jobs/{job_id}/files/{name}"),
        ("get", "/api/jobs/{job_id}/archive"),
        ("get", "/api/jobs/archive"),
        ("post", "/api/jobs/{job_id}/cancel"),
        ("delete", "/api/jobs/{job_id}"),
        ("get", "/api/jobs/events"),
        ("get", "/api/stats"),
        ("get", "/api/health"),
        ("post", "/api/jobs/heatmap"),
        ("post", "/api/jobs/{job_id}/render"),
    }
    present = {(method, path) for path, ops in spec["paths"].items() for method in ops}
    assert expected <= present
    job = spec["paths"]["/api/jobs/{job_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    for kind in job["oneOf"]:  # a model per kind
        job_schema = spec["components"]["schemas"][kind["$ref"].rsplit("/", 1)[-1]]["properties"]
        assert {"id", "kind", "status", "progress", "results", "summary", "processing_ms"} <= set(job_schema)


def test_api_docs_load_nothing_from_another_host():
    """Swagger UI's scripts and styles come from the API (the fastapi-offline package), not a CDN: every asset the
    page names is served here, and its Content-Security-Policy allows no other host."""
    api, base = start_api()
    try:
        page = httpx.get(f"{base}/api/docs", timeout=30)
        assert page.status_code == 200 and "SwaggerUIBundle" in page.text
        assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
        assert {asset.rsplit(".", 1)[-1] for asset in assets} >= {"js", "css"}
        for asset in assets:
            assert asset.startswith("/api/docs/assets/"), asset  # same host, same /api prefix nginx proxies
            assert httpx.get(f"{base}{asset}", timeout=30).status_code == 200, asset
        assert not re.search(r"https?://|//[a-z]", page.text.replace(f"{base}", ""))
        csp = page.headers["content-security-policy"]
        assert "http" not in csp and "script-src 'self'" in csp
    finally:
        stop_process(api)


def test_security_headers(app_client):
    response = app_client.get("/api/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0] if node.level == 0 else "." + node.module)
            if node.module.startswith("app.") and not node.module.startswith("app.vision"):
                names.add(node.module)
    return names


def test_vision_code_is_pure():
    """app.vision imports no web framework, database or task queue, and nothing else of the app."""
    forbidden = {"fastapi", "starlette", "sqlalchemy", "celery", "redis", "psycopg", "alembic"}
    for path in (BACKEND / "app" / "vision").glob("*.py"):
        imported = _imports(path)
        assert not imported & forbidden, (path.name, imported & forbidden)
        assert not {name for name in imported if name.startswith("app.")}, (path.name, imported)


def test_tasks_do_not_import_routes():
    for path in (BACKEND / "app" / "worker").glob("*.py"):
        assert not {name for name in _imports(path) if name.startswith("app.api")}, path.name


def _app_modules(path: Path) -> set[str]:
    """Every `app.*` module a file imports, at any depth (`from app import crud` counts as `app.crud`)."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return {name for name in modules if name.startswith("app.")}


def test_core_imports_nothing_above_it():
    """app.core is the ground floor: no routes or middlewares (app.api), no tasks or signals (app.worker)."""
    for path in (BACKEND / "app" / "core").glob("*.py"):
        above = {name for name in _app_modules(path) if name.split(".")[1] in {"api", "worker", "main"}}
        assert not above, (path.name, above)


def test_scripts_and_the_app_do_not_import_the_tests():
    """Helpers that scripts and tests share (embedded servers, weights, synthetic media) live in scripts/."""
    for path in [*(BACKEND / "scripts").glob("*.py"), *(BACKEND / "app").rglob("*.py")]:
        assert "tests" not in _imports(path), path.name
    for path in (BACKEND / "app").rglob("*.py"):
        assert "scripts" not in _imports(path), path.name
