"""``/api/v1/profiles``: master profiles, their components, history and analytics."""

from __future__ import annotations

import functools
from typing import Any

from aiohttp import web
from pydantic import BaseModel, RootModel

from jobwise.adapters.interop.json_resume import ImportedProfile, JsonResume, export_profile
from jobwise.adapters.interop.resume_file.reader import ResumeDraft
from jobwise.application.commands.profiles import (
    AddItems,
    ChangeProfile,
    CreateProfile,
    DeleteProfile,
    ProfileWritten,
    RemoveItem,
    UpdateItem,
)
from jobwise.application.queries.profile_analytics import ProfileAnalytics, analyze
from jobwise.application.queries.profiles import (
    active_profile,
    get_profile,
    list_profiles,
    profile_as_written,
    profile_at_version,
    profile_versions,
)
from jobwise.domain.errors import NotFoundError
from jobwise.domain.events import utc_now
from jobwise.domain.profile_summary import ProfileSummary, summarize
from jobwise.entrypoints.http.api import Reply, Routes, StoredView
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import BUS, EVENTS, OFFLOOP, PROJECTOR, READ_MODELS
from jobwise.entrypoints.http.middleware import request_id_for
from jobwise.entrypoints.http.params import PageQuery
from jobwise.entrypoints.http.preconditions import if_match
from jobwise.entrypoints.http.routes.profile_files import ImportUpload, upload_read
from jobwise.entrypoints.http.routes.profile_shapes import (
    COMPONENT_MODELS,
    CreateProfileRequest,
    ExportQuery,
    ImportRequest,
    PatchProfileRequest,
    ProfileList,
    ProfileVersions,
    ProfileView,
    ReplaceProfileRequest,
    VersionQuery,
    created_components,
    imported,
    imported_linkedin,
    one_or_many,
)

PREFIX = "/api/v1/profiles"
TAGS = ["profiles"]
ID = "{profile_id}"

routes = Routes()


# -- JSON Resume (before /{profile_id}: "import" is not an id) ---------------------------


@routes.route(
    "POST",
    f"{PREFIX}/import",
    body=ImportRequest,
    upload=ImportUpload,
    response=ProfileView,
    other_answers=[(200, ResumeDraft)],
    status=201,
    auth=True,
    tags=TAGS,
    errors=[422, 503],
    summary="Create a profile from a JSON Resume (jsonresume.org, schema v1) or a LinkedIn "
    "data export; or read a resume file (PDF, DOCX) into a draft to check first",
    description="JSON: `{format: json-resume | linkedin, data}` makes the profile (201). "
    "multipart/form-data: `file` (and optionally `format`): a LinkedIn export ZIP makes "
    "the profile (201); a PDF or DOCX resume answers 200 with a draft, `confidence` per "
    "field and the text as read; nothing is made until you send the draft (corrected) to "
    "`POST /api/v1/profiles`.",
)
async def import_profile_from(request: web.Request, body: ImportRequest | None) -> Reply:
    if body is None:  # an uploaded file
        read = await upload_read(request)
        if isinstance(read, ResumeDraft):
            return Reply(read, status=200)
        return await _create(request, read)
    # A resume of many entries is seconds of validation, a ZIP is inflating and parsing
    # CSV too: off the event loop.
    if isinstance(body.data, dict):
        parts = await request.app[OFFLOOP].run(imported, body.data)
    else:
        parts = await request.app[OFFLOOP].run(imported_linkedin, body.data)
    return await _create(request, parts)


@routes.route(
    "GET",
    f"{PREFIX}/{ID}/export",
    query=ExportQuery,
    response=JsonResume,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="The profile as a JSON Resume",
)
async def export_profile_as(request: web.Request, query: ExportQuery) -> web.Response:
    resume = export_profile(await _document(request))
    return web.json_response(resume.model_dump(mode="json", by_alias=True, exclude_none=True))


# -- the profile itself ------------------------------------------------------------------


@routes.route(
    "POST",
    PREFIX,
    body=CreateProfileRequest,
    response=ProfileView,
    status=201,
    auth=True,
    tags=TAGS,
    errors=[422],
    summary="Create a master profile",
)
async def create_profile(request: web.Request, body: CreateProfileRequest) -> Reply:
    return await _create(request, body)


@routes.route(
    "GET",
    PREFIX,
    query=PageQuery,
    response=ProfileList,
    auth=True,
    tags=TAGS,
    summary="My profiles",
)
async def list_my_profiles(request: web.Request, query: PageQuery) -> StoredView:
    documents, total = await list_profiles(
        request.app[READ_MODELS].database, _user_id(request), query.limit, query.offset
    )
    return StoredView(
        {"items": documents, "total": total, "limit": query.limit, "offset": query.offset}
    )


@routes.route(
    "GET",
    f"{PREFIX}/me",
    response=ProfileView,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="My active profile",
)
async def my_active_profile(request: web.Request) -> StoredView:
    document = await active_profile(request.app[READ_MODELS].database, _user_id(request))
    if document is None:
        raise NotFoundError("You have no active profile yet.")
    return StoredView(document)


@routes.route(
    "GET",
    f"{PREFIX}/{ID}",
    query=VersionQuery,
    response=ProfileView,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="A profile; with ?version=N, exactly as it was at version N",
)
async def read_profile(request: web.Request, query: VersionQuery) -> StoredView:
    if query.version is None:
        return StoredView(await _document(request))
    profile_id = _profile_id(request)
    document = await profile_at_version(
        request.app[EVENTS], _user_id(request), profile_id, query.version
    )
    if document is None:
        raise NotFoundError(
            "No such profile version.",
            details={"profile_id": profile_id, "version": query.version},
        )
    return StoredView(document)


@routes.route(
    "PUT",
    f"{PREFIX}/{ID}",
    body=ReplaceProfileRequest,
    response=ProfileView,
    auth=True,
    tags=TAGS,
    errors=[404, 409, 422],
    summary="Replace the profile: top-level fields, and each component sent",
)
async def replace_profile(request: web.Request, body: ReplaceProfileRequest) -> StoredView:
    changes = body.model_dump(
        mode="json", include={"personal_info", "professional_summary", "custom_fields"}
    )
    return await _change(request, changes, body.expected_version, body.components())


@routes.route(
    "PATCH",
    f"{PREFIX}/{ID}",
    body=PatchProfileRequest,
    response=ProfileView,
    auth=True,
    tags=TAGS,
    errors=[404, 409, 422],
    summary="Change some top-level fields, or make this profile the active one",
)
async def patch_profile(request: web.Request, body: PatchProfileRequest) -> StoredView:
    changes = body.model_dump(mode="json", exclude={"expected_version"}, exclude_unset=True)
    return await _change(request, changes, body.expected_version)


@routes.route(
    "DELETE",
    f"{PREFIX}/{ID}",
    auth=True,
    status=204,
    tags=TAGS,
    errors=[404, 409],
    summary="Delete a profile (its history is kept)",
)
async def delete_profile(request: web.Request) -> None:
    await request.app[BUS].handle(
        DeleteProfile(
            _user_id(request), _profile_id(request), if_match(request), request_id_for(request)
        )
    )


# -- a component's items (experiences, education, projects, skills) ----------------------


async def add_items(request: web.Request, body: RootModel[Any], *, component: str) -> Reply:
    written = await request.app[BUS].handle(
        AddItems(
            _user_id(request),
            _profile_id(request),
            component,
            [item.model_dump(mode="json") for item in body.root],
            if_match(request),
            request_id_for(request),
        )
    )
    return Reply(await _view(request, written), status=201)


async def replace_item(request: web.Request, body: BaseModel, *, component: str) -> StoredView:
    written = await request.app[BUS].handle(
        UpdateItem(
            _user_id(request),
            _profile_id(request),
            component,
            request.match_info["item_id"],
            body.model_dump(mode="json"),
            if_match(request),
            request_id_for(request),
        )
    )
    return await _view(request, written)


async def remove_item(request: web.Request, *, component: str) -> None:
    await request.app[BUS].handle(
        RemoveItem(
            _user_id(request),
            _profile_id(request),
            component,
            request.match_info["item_id"],
            if_match(request),
            request_id_for(request),
        )
    )


def _declare_component(component: str, model: type[BaseModel]) -> None:
    """The three item routes of one component, each a handler above bound to it."""
    item_path = f"{PREFIX}/{ID}/{component}/{{item_id}}"
    common: dict[str, Any] = {"auth": True, "tags": TAGS}
    routes.route(
        "POST",
        f"{PREFIX}/{ID}/{component}",
        body=one_or_many(model, f"{model.__name__.removesuffix('Fields')}Items"),
        response=ProfileView,
        status=201,
        errors=[404, 409, 422],
        operation_id=f"add_{component}",
        summary=f"Add one item or a list to {component} (one version bump)",
        **common,
    )(functools.partial(add_items, component=component))
    routes.route(
        "PUT",
        item_path,
        body=model,
        response=ProfileView,
        errors=[404, 409, 422],
        operation_id=f"replace_{component}_item",
        summary=f"Replace one item of {component}",
        **common,
    )(functools.partial(replace_item, component=component))
    routes.route(
        "DELETE",
        item_path,
        status=204,
        errors=[404, 409],
        operation_id=f"remove_{component}_item",
        summary=f"Remove one item of {component}",
        **common,
    )(functools.partial(remove_item, component=component))


for _component, _model in COMPONENT_MODELS.items():
    _declare_component(_component, _model)


# -- history and insights ------------------------------------------------------------------


@routes.route(
    "GET",
    f"{PREFIX}/{ID}/versions",
    response=ProfileVersions,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="Every version: when, and what changed",
)
async def list_versions(request: web.Request) -> ProfileVersions:
    found = await profile_versions(request.app[EVENTS], _user_id(request), _profile_id(request))
    if found is None:
        raise NotFoundError("Profile not found.", details={"profile_id": _profile_id(request)})
    return ProfileVersions(items=found)


@routes.route(
    "GET",
    f"{PREFIX}/{ID}/analytics",
    response=ProfileAnalytics,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="Completeness score, section scores and concrete recommendations",
)
async def profile_analytics(request: web.Request) -> ProfileAnalytics:
    return analyze(await _document(request), today=utc_now().date())


@routes.route(
    "GET",
    f"{PREFIX}/{ID}/summary",
    response=ProfileSummary,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="The compact profile the generator uses",
)
async def profile_summary(request: web.Request) -> ProfileSummary:
    return summarize(await _document(request), today=utc_now().date())


# -- helpers ---------------------------------------------------------------------------


async def _create(request: web.Request, parts: CreateProfileRequest | ImportedProfile) -> Reply:
    written = await request.app[BUS].handle(
        CreateProfile(
            user_id=_user_id(request),
            personal_info=parts.personal_info.model_dump(mode="json"),
            professional_summary=parts.professional_summary,
            custom_fields=parts.custom_fields,
            components=created_components(parts),
            request_id=request_id_for(request),
        )
    )
    view = await _view(request, written)
    return Reply(view, headers={"Location": f"{PREFIX}/{written.profile_id}"}, status=201)


async def _change(
    request: web.Request,
    changes: dict[str, Any],
    expected_version: int | None,
    components: dict[str, list[dict[str, Any]]] | None = None,
) -> StoredView:
    written: ProfileWritten = await request.app[BUS].handle(
        ChangeProfile(
            _user_id(request),
            _profile_id(request),
            changes,
            expected_version if expected_version is not None else if_match(request),
            request_id_for(request),
            components or {},
        )
    )
    return await _view(request, written)


async def _view(request: web.Request, written: ProfileWritten) -> StoredView:
    """The profile as the write left it."""
    document = await profile_as_written(
        request.app[READ_MODELS].database,
        request.app[PROJECTOR],
        _user_id(request),
        written.profile_id,
        written.wrote,
    )
    if document is None:
        raise NotFoundError("Profile not found.", details={"profile_id": written.profile_id})
    return StoredView(document)


async def _document(request: web.Request) -> dict[str, Any]:
    profile_id = _profile_id(request)
    document = await get_profile(request.app[READ_MODELS].database, _user_id(request), profile_id)
    if document is None:
        raise NotFoundError("Profile not found.", details={"profile_id": profile_id})
    return document


def _user_id(request: web.Request) -> str:
    return current_user(request).user_id


def _profile_id(request: web.Request) -> str:
    return request.match_info["profile_id"]
