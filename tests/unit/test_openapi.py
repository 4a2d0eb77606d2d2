"""build_openapi from the registry alone: paths, parameters, bodies, errors, security."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from pydantic import BaseModel, Field

from jobwise.entrypoints.http.api import Api
from jobwise.entrypoints.http.openapi import build_openapi


class Address(BaseModel):
    city: str


class PersonIn(BaseModel):
    name: str
    address: Address


class PersonOut(BaseModel):
    id: str
    name: str
    address: Address


class Page(BaseModel):
    limit: int = Field(default=20, ge=1, le=100, description="Page size")
    status: str | None = None


async def noop(request: web.Request, **_: Any) -> None:
    return None


def sample_api() -> Api:
    api = Api()
    api.route(
        "POST",
        "/api/v1/people",
        body=PersonIn,
        response=PersonOut,
        status=201,
        summary="Create a person",
        tags=["people"],
        auth=True,
        operation_id="create_person",
    )(noop)
    api.route(
        "GET",
        "/api/v1/people/{person_id:[a-z0-9-]+}",
        response=PersonOut,
        auth=True,
        errors=[409],
        operation_id="get_person",
        tags=["people"],
    )(noop)
    api.route("GET", "/api/v1/people", query=Page, operation_id="list_people")(noop)
    api.route("DELETE", "/api/v1/people/{person_id}", status=204, operation_id="delete")(noop)
    return api


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return build_openapi(sample_api(), title="T", version="9")


def resolve(doc: dict[str, Any], ref: str) -> Any:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def refs_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in refs_in(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs_in(v)]
    return []


def test_header_and_info(doc: dict[str, Any]) -> None:
    assert doc["openapi"] == "3.1.0"
    assert doc["info"] == {"title": "T", "version": "9"}
    assert doc["tags"] == [{"name": "people"}]


def test_every_ref_resolves_inside_components(doc: dict[str, Any]) -> None:
    refs = refs_in(doc)
    assert "#/components/schemas/Address" in refs  # nested model hoisted, not inlined $defs
    for ref in refs:
        assert ref.startswith("#/components/")
        assert resolve(doc, ref)
    assert "$defs" not in str(doc)


def test_request_body_and_success_response(doc: dict[str, Any]) -> None:
    op = doc["paths"]["/api/v1/people"]["post"]
    assert op["summary"] == "Create a person"
    body = op["requestBody"]["content"]["application/json"]["schema"]
    assert resolve(doc, body["$ref"])["required"] == ["name", "address"]
    created = op["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/PersonOut"}
    assert op["security"] == [{"bearerAuth": []}]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_error_responses_follow_the_declaration(doc: dict[str, Any]) -> None:
    create = doc["paths"]["/api/v1/people"]["post"]["responses"]
    assert {"400", "401", "413", "415", "422", "429", "500"} <= set(create)
    get = doc["paths"]["/api/v1/people/{person_id}"]["get"]["responses"]
    assert {"401", "404", "409", "500"} <= set(get)
    assert "415" not in get
    error = get["404"]["content"]["application/json"]["schema"]
    schema = resolve(doc, error["$ref"])
    assert schema["required"] == ["error"]
    assert set(resolve(doc, schema["properties"]["error"]["$ref"])["properties"]) == {
        "code",
        "message",
        "details",
    }


def test_path_parameters_drop_aiohttp_regex(doc: dict[str, Any]) -> None:
    assert "/api/v1/people/{person_id}" in doc["paths"]
    assert not [p for p in doc["paths"] if ":" in p]
    [param] = doc["paths"]["/api/v1/people/{person_id}"]["get"]["parameters"]
    assert param == {
        "name": "person_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }


def test_query_parameters_come_from_the_query_model(doc: dict[str, Any]) -> None:
    op = doc["paths"]["/api/v1/people"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"limit", "status"}
    assert params["limit"]["in"] == "query" and params["limit"]["required"] is False
    assert params["limit"]["schema"]["maximum"] == 100
    assert params["limit"]["description"] == "Page size"
    assert "security" not in op
    assert "requestBody" not in op


def test_no_content_response_has_no_body(doc: dict[str, Any]) -> None:
    responses = doc["paths"]["/api/v1/people/{person_id}"]["delete"]["responses"]
    assert "content" not in responses["204"]


def test_operation_ids_are_unique(doc: dict[str, Any]) -> None:
    ids = [op["operationId"] for path in doc["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) == 4


def test_duplicates_are_refused() -> None:
    api = sample_api()
    with pytest.raises(ValueError, match="operationId"):
        api.route("GET", "/other", operation_id="get_person")(noop)
    with pytest.raises(ValueError, match="duplicate route"):
        api.route("GET", "/api/v1/people", operation_id="again")(noop)
