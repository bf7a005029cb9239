"""The REST contract as clients read it: every error a route answers is declared, uploads are binary parts
with their accepted media types, and a method a path does not serve is a 405 naming those it does."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, File, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Scope

from app.api.middleware import UNSAFE_METHODS

Responses = dict[int | str, dict[str, Any]]


class ErrorMessage(BaseModel):
    """Every error but a validation error (422) has this shape."""

    detail: str


DEFAULT_DESCRIPTIONS = {
    400: "the body cannot be parsed",
    401: "not logged in (or the session expired)",
    403: "a cookie-authenticated request from a foreign origin",
    404: "no such job (or not yours)",
    409: "the job is not in a state that allows this",
    413: "the body is larger than allowed (`MAX_BODY_BYTES` for JSON, `MAX_UPLOAD_BYTES` for uploads)",
    415: "not a supported file type",
    429: "too many requests; try again after `Retry-After` seconds",
    503: "the database or the storage disk is unavailable; try again later",
    507: "the storage disk is full; nothing was saved",
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before trying again", "schema": {"type": "integer"}}}


def error(status_code: int, description: str | None = None) -> Responses:
    """One documented error answer, with `ErrorMessage` as its body."""
    answer: dict[str, Any] = {"model": ErrorMessage, "description": description or DEFAULT_DESCRIPTIONS[status_code]}
    if status_code in (429, 503):
        answer["headers"] = RETRY_AFTER
    return {status_code: answer}


def errors(*status_codes: int) -> Responses:
    """Documented error answers with their default descriptions."""
    return {code: answer for status_code in status_codes for code, answer in error(status_code).items()}


# Shared `responses=` declarations, so that routes stay short.
UNAVAILABLE = errors(503)  # any /api route: the database went away
AUTHENTICATED = errors(401)
OWNED_JOB = errors(401, 404)
UPLOAD = {
    **error(400, "nothing usable in the upload (not a decodable video, no readable image)"),
    **error(413, "too large (bytes, pixels, frames, video length or ZIP expansion), or past your storage quota"),
    **error(415, "not a supported file type"),
    **error(429, "you already have `MAX_ACTIVE_JOBS_PER_USER` jobs queued or running; retry after `Retry-After` s"),
    **error(
        503, "`MAX_ACTIVE_JOBS_TOTAL` jobs are queued or running (with Retry-After), or the database or disk is away"
    ),
    **errors(507),
}


def file_answer(*media_types: str, description: str = "Successful Response") -> Responses:
    """A 200 whose body is a file. `application/octet-stream` comes first: the one binary type that client
    generators know, so that they hand the body over as bytes rather than parse it."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = dict.fromkeys(("application/octet-stream", *media_types), binary)
    return {200: {"description": description, "content": content}}


_MEDIA_TYPES = "x-media-types"  # carried from `upload()` to the operation's multipart `encoding`, then dropped


def upload(description: str, media_types: Sequence[str], **constraints: Any) -> Any:
    """`File(...)` for an upload field: a binary part in the schema, listing the media types it accepts."""
    return File(description=description, json_schema_extra={_MEDIA_TYPES: list(media_types)}, **constraints)


_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """The methods that a documented route serves at the request's path, found by routing the request with
    each method as Starlette would (the SPA's catch-all, left out of the schema, does not count)."""
    allowed = []
    for method in _METHODS:
        probe = {**scope, "method": method}
        for route in app.router.routes:
            match, child_scope = route.matches(probe)
            if match is Match.FULL:
                if getattr(child_scope.get("route", route), "include_in_schema", True):
                    allowed.append(method)
                break
    return allowed


def method_not_allowed(request: Request) -> Response:
    """405 naming every method the path serves; 404 for an API path that none serves."""
    allowed = allowed_methods(request.app, request.scope)
    if not allowed:
        return JSONResponse({"detail": "not found"}, status_code=404)
    return JSONResponse({"detail": "method not allowed"}, status_code=405, headers={"Allow": ", ".join(allowed)})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:  # Starlette's names the methods of the first route whose path matched, only
        return method_not_allowed(request)
    return await http_exception_handler(request, exc)


def _component(components: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    return components.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)


def _multipart_form(operation: dict[str, Any], components: dict[str, Any]) -> None:
    """Upload fields as `format: binary` (what client generators send as files; FastAPI writes OpenAPI 3.1's
    `contentMediaType`, which they read as text), their media types as the part's `encoding`, the fields of a
    form model inline, and no `null` among a field's types (a form cannot send one: a field left out takes its
    default)."""
    form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
    if form is None:
        return
    body = _component(components, form["schema"])
    for included in body.pop("allOf", []):  # a form model (`Annotated[Options, Form()]`): a copy of its fields
        fields = copy.deepcopy(_component(components, included))
        body["properties"] = {**body.get("properties", {}), **fields.get("properties", {})}
        body["required"] = [*body.get("required", []), *fields.get("required", [])]
    for name, field in body.get("properties", {}).items():
        choices = [choice for choice in field.get("anyOf", []) if choice != {"type": "null"}]
        if len(choices) == 1:
            del field["anyOf"]
            field.update(choices[0])
        part = field.get("items", field)
        if part.get("contentMediaType") == "application/octet-stream":
            del part["contentMediaType"]
            part["format"] = "binary"
        media_types = field.pop(_MEDIA_TYPES, None)
        if media_types:
            form.setdefault("encoding", {})[name] = {"contentType": ", ".join(media_types)}


def _refine(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ErrorMessage.__name__, ErrorMessage.model_json_schema())
    error_body = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ErrorMessage.__name__}"}}}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            _multipart_form(operation, components)
            general = [403] if method.upper() in UNSAFE_METHODS else []  # `CsrfAndHeaders` refusing a foreign origin
            if "requestBody" in operation:
                general += [400, 413]  # any body may be malformed or too large
            for status_code in general:
                answer = {"description": DEFAULT_DESCRIPTIONS[status_code], "content": error_body}
                operation["responses"].setdefault(str(status_code), answer)


def install(app: FastAPI) -> None:
    """Refine `app`'s generated schema and answer 405s with every method the path serves."""
    app.add_exception_handler(StarletteHTTPException, _http_error)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _refine(FastAPI.openapi(app))
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
