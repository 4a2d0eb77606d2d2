"""OpenAPI 3.1 generated from the route registry; there is no hand-written spec.

Pydantic emits JSON Schema 2020-12, which is OpenAPI 3.1's schema dialect, so
model schemas go into ``components.schemas`` as they are.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from jobwise.entrypoints.http.api import Api, Operation

OPENAPI_VERSION = "3.1.0"
REF_TEMPLATE = "#/components/schemas/{model}"
SECURITY_SCHEME = "bearerAuth"
_ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
_REQUEST_ID_HEADER = {"X-Request-ID": {"$ref": "#/components/headers/XRequestID"}}

ModelKey = tuple[type[BaseModel], JsonSchemaMode]


class ErrorBody(BaseModel):
    code: str = Field(description="Stable snake_case code, e.g. validation_error.")
    message: str = Field(description="Human-readable text; do not parse it.")
    details: dict[str, Any] = Field(
        default_factory=dict,
        description='Extra data; validation errors list each bad field under "fields".',
    )


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


def build_openapi(api: Api, *, title: str, version: str) -> dict[str, Any]:
    refs, schemas = _schemas(api.operations)
    paths: dict[str, dict[str, Any]] = {}
    for op in api.operations:
        paths.setdefault(op.openapi_path, {})[op.method.lower()] = _operation(op, refs, schemas)
    tags = sorted({tag for op in api.operations for tag in op.tags})
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version},
        "tags": [{"name": tag} for tag in tags],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
            "headers": {
                "XRequestID": {
                    "description": "Request id (echoed from the client if sane).",
                    "schema": {"type": "string"},
                }
            },
        },
    }


def _schemas(
    operations: list[Operation],
) -> tuple[dict[ModelKey, dict[str, Any]], dict[str, Any]]:
    """One pass over every model so shared sub-models get one component each."""
    keys: list[ModelKey] = [(ErrorResponse, "serialization")]
    for op in operations:
        keys += [(m, "validation") for m in (op.query, op.body, op.upload) if m is not None]
        keys += [(model, "serialization") for _, model in op.other_answers]
        if op.response is not None:
            keys.append((op.response, "serialization"))
    unique = list(dict.fromkeys(keys))
    refs, top = models_json_schema(unique, ref_template=REF_TEMPLATE)
    schemas: dict[str, Any] = top.get("$defs", {})
    return {(m, mode): ref for (m, mode), ref in refs.items() if issubclass(m, BaseModel)}, schemas


IDEMPOTENCY_KEY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Retry safely: the same key and body within 24 h replays the first answer.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


def _operation(
    op: Operation, refs: dict[ModelKey, dict[str, Any]], schemas: dict[str, Any]
) -> dict[str, Any]:
    doc: dict[str, Any] = {"operationId": op.operation_id}
    if op.summary:
        doc["summary"] = op.summary
    if op.description:
        doc["description"] = op.description
    if op.tags:
        doc["tags"] = list(op.tags)
    parameters = _path_parameters(op)
    if op.query is not None:
        parameters += _query_parameters(refs[(op.query, "validation")], schemas)
    if op.creates:
        parameters.append(IDEMPOTENCY_KEY_PARAMETER)
    if parameters:
        doc["parameters"] = parameters
    content: dict[str, Any] = {}
    if op.body is not None:
        content["application/json"] = {"schema": refs[(op.body, "validation")]}
    if op.upload is not None:
        content["multipart/form-data"] = {"schema": refs[(op.upload, "validation")]}
    if content:
        doc["requestBody"] = {"required": True, "content": content}
    doc["responses"] = _responses(op, refs)
    if op.auth:
        doc["security"] = [{SECURITY_SCHEME: []}]
    return doc


def _path_parameters(op: Operation) -> list[dict[str, Any]]:
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in op.path_params
    ]


def _query_parameters(ref: dict[str, Any], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    model = schemas[ref["$ref"].rsplit("/", 1)[-1]]
    required = set(model.get("required", ()))
    params = []
    for name, schema in model.get("properties", {}).items():
        param: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": schema,
        }
        if "description" in schema:
            param["description"] = schema["description"]
        params.append(param)
    return params


def _responses(op: Operation, refs: dict[ModelKey, dict[str, Any]]) -> dict[str, Any]:
    success: dict[str, Any] = {"description": _reason(op.status), "headers": _REQUEST_ID_HEADER}
    if op.response is not None:
        schema = refs[(op.response, "serialization")]
        success["content"] = {op.media_type: {"schema": schema}}
    elif op.status != 204:
        success["content"] = {op.media_type: {}}
    responses = {str(op.status): success}
    for status, model in op.other_answers:
        responses[str(status)] = {
            "description": _reason(status),
            "headers": _REQUEST_ID_HEADER,
            "content": {"application/json": {"schema": refs[(model, "serialization")]}},
        }
    for status in error_statuses(op):
        responses[str(status)] = {
            "description": _reason(status),
            "headers": _REQUEST_ID_HEADER,
            "content": {"application/json": {"schema": _ERROR_REF}},
        }
    return responses


def error_statuses(op: Operation) -> list[int]:
    """The errors an operation can answer with, from what it declares."""
    statuses = {500, *op.errors}
    if op.body is not None or op.upload is not None:
        statuses |= {400, 413, 415, 422}
    if op.query is not None:
        statuses.add(422)
    if op.auth:
        statuses |= {401, 429}
    if op.path_params:
        statuses.add(404)
    return sorted(statuses)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"
