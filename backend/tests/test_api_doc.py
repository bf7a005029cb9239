"""docs/API.md, the REST contract, against the OpenAPI schema the app serves: every operation has a row with
exactly the status codes the schema declares, every row is a real operation, every request field is named."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.main import app
from scripts.servers import REPO

DOC = REPO / "docs" / "API.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ROW = re.compile(rf"^\|\s*({'|'.join(METHODS)})\s*\|\s*(/\S*)\s*\|([^|]*)\|([^|]*)\|([^|]*)\|\s*$", re.MULTILINE)
STATUS = re.compile(r"(?:^|[,;])\s*([1-5]\d\d)\b")
GENERAL_ROW = re.compile(r"^\|\s*([1-5]\d\d)\s*\|", re.MULTILINE)
HOW = (
    "docs/API.md (the REST contract) is out of step with the API's OpenAPI schema. Each operation needs a row "
    "`| METHOD | /path | body | success | errors |` in one of its tables, naming its status codes as the schema "
    "declares them (those in the table under '## Errors' may be left out) and every request field in backticks:"
)


def _codes(cell: str) -> set[int]:
    return {int(code) for code in STATUS.findall(cell.strip())}


def _documented(text: str) -> tuple[dict[str, set[int]], set[int]]:
    rows = {
        f"{method} {path}": _codes(success) | _codes(errors) for method, path, _, success, errors in ROW.findall(text)
    }
    errors_section = text.split("## Errors", 1)[1].split("\n## ", 1)[0]
    return rows, {int(code) for code in GENERAL_ROW.findall(errors_section)}


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _resolve(schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]])
    return node


def _request_fields(schema: dict[str, Any], operation: dict[str, Any]) -> set[str]:
    fields = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    for media in operation.get("requestBody", {}).get("content", {}).values():
        body = _resolve(schema, media["schema"])
        for part in [body, *(_resolve(schema, sub) for sub in body.get("allOf", []))]:
            fields |= set(part.get("properties", {}))
    return fields


def _operations() -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
        if method.upper() in METHODS
    }


def contract_problems(text: str) -> list[str]:
    schema = app.openapi()
    rows, general = _documented(text)
    operations = _operations()
    problems = []
    for name, operation in operations.items():
        declared = {int(code) for code in operation["responses"]}
        if name not in rows:
            codes = ", ".join(str(code) for code in sorted(declared - general))
            problems.append(f"no row for `{name}` ({operation.get('summary', '')}): add one naming {codes}")
            continue
        if missing := sorted(declared - general - rows[name]):
            problems.append(
                f"the row for `{name}` does not name {', '.join(map(str, missing))}, which the schema declares"
            )
        if undeclared := sorted(rows[name] - declared):
            problems.append(
                f"the row for `{name}` names {', '.join(map(str, undeclared))}, which the schema does not declare: "
                "declare it in the route's `responses=` (shared declarations in app/api/openapi.py) or drop it"
            )
        for field in sorted(_request_fields(schema, operation)):
            if f"`{field}`" not in text:
                problems.append(f"the request field `{field}` of `{name}` is not described (write it in backticks)")
    for name in sorted(rows.keys() - operations.keys()):
        problems.append(f"the row for `{name}` names an operation the API does not have: remove it or fix its path")
    return problems


def test_every_operation_status_and_field_is_documented():
    problems = contract_problems(DOC.read_text())
    assert not problems, "\n".join([HOW, *(f"  - {problem}" for problem in problems)])


def test_the_check_names_what_is_missing():
    """A route added without its row, and a row whose codes drifted, are reported by name."""
    text = DOC.read_text()
    edited = text.replace("| 401, 404, 409 already finished |", "| 401, 404, 418 |")
    edited = re.sub(r"^\| DELETE \| /api/jobs/\{job_id\} \|.*\n", "", edited, flags=re.MULTILINE)
    assert edited.count("\n") == text.count("\n") - 1 and "418" in edited
    problems = contract_problems(edited)
    assert any("no row for `DELETE /api/jobs/{job_id}`" in p and "204, 401, 404" in p for p in problems), problems
    assert any("`POST /api/jobs/{job_id}/cancel` does not name 409" in p for p in problems), problems
    assert any("`POST /api/jobs/{job_id}/cancel` names 418" in p for p in problems), problems


def test_readme_links_the_contract():
    assert "(docs/API.md)" in (REPO / "README.md").read_text()


@pytest.mark.parametrize(
    ("operation", "fields"),
    [
        ("POST /api/jobs/depth", ("colormap", "normalization")),
        ("POST /api/jobs/heatmap", ("colormap", "anchor", "mode", "normalization")),
        ("POST /api/jobs/{job_id}/render", ("colormap", "anchor", "mode", "normalization")),
    ],
)
def test_enumerated_options_are_enums_with_their_defaults(operation, fields):
    schema = app.openapi()
    method, path = operation.split(" ")
    body = next(iter(schema["paths"][path][method.lower()]["requestBody"]["content"].values()))["schema"]
    body = next(choice for choice in body.get("anyOf", [body]) if choice != {"type": "null"})  # an optional body
    properties = _resolve(schema, body)["properties"]
    for field in fields:
        choices = [properties[field], *properties[field].get("anyOf", [])]
        assert any("enum" in choice for choice in choices), f"{operation}: `{field}` is not an enum"
        if operation != "POST /api/jobs/{job_id}/render":  # a redraw keeps the job's own values
            assert properties[field]["default"] in properties[field]["enum"], f"{operation}: `{field}` has no default"
