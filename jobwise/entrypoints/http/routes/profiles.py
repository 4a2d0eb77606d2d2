"""``/api/v1/profiles``: master profiles, their components, history and analytics."""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.interop.json_resume import (
    ImportedProfile,
    JsonResume,
    JsonResumeImportError,
    export_profile,
    import_profile,
)
from jobwise.application.commands.profiles import (
    AddItems,
    ChangeProfile,
    CreateProfile,
    DeleteProfile,
    ProfileWritten,
    RemoveItem,
    UpdateItem,
)
from jobwise.application.messagebus import CommandBus
from jobwise.application.queries.profile_analytics import ProfileAnalytics, analyze
from jobwise.application.queries.profiles import (
    active_profile,
    as_read,
    get_profile,
    list_profiles,
    profile_at_version,
    profile_versions,
)
from jobwise.bootstrap import Runtime
from jobwise.domain.errors import FieldProblem, InvalidInput, NotFoundError
from jobwise.domain.events import utc_now
from jobwise.domain.profile_items import (
    ITEMS_MAX,
    EducationFields,
    ExperienceFields,
    ProjectFields,
    SkillFields,
)
from jobwise.domain.profile_summary import ProfileSummary, summarize
from jobwise.entrypoints.http.api import Api, Reply, StoredView, validate
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.entrypoints.http.middleware import request_id_for
from jobwise.entrypoints.http.params import PageQuery, Version
from jobwise.entrypoints.http.preconditions import if_match
from jobwise.entrypoints.http.routes.profile_shapes import (
    CreateProfileRequest,
    PatchProfileRequest,
    ProfileList,
    ProfileVersions,
    ProfileView,
    ReplaceProfileRequest,
    component_items,
    skill_items,
)
from jobwise.projections.profiles import PROFILES

PREFIX = "/api/v1/profiles"
TAGS = ["profiles"]
ID = "{profile_id}"


# -- shapes (the rest live in profile_shapes) ------------------------------------------


class VersionQuery(BaseModel):
    version: Version | None = None


def _one_or_many(model: type[BaseModel], name: str) -> type[RootModel[Any]]:
    """A body that is one item or a list of them (a bulk add: one version bump)."""

    class OneOrMany(RootModel[list[model]]):  # type: ignore[valid-type]
        root: list[model] = Field(min_length=1, max_length=ITEMS_MAX)  # type: ignore[valid-type]

        @model_validator(mode="before")
        @classmethod
        def _listed(cls, data: Any) -> Any:
            return [data] if isinstance(data, dict) else data

    OneOrMany.__name__ = OneOrMany.__qualname__ = name
    return OneOrMany


COMPONENT_MODELS: dict[str, type[BaseModel]] = {
    "experiences": ExperienceFields,
    "education": EducationFields,
    "projects": ProjectFields,
    "skills": SkillFields,
}


# -- routes --------------------------------------------------------------------------


def add_profile_routes(api: Api) -> None:
    _add_interop_routes(api)  # before /{profile_id}: "import" is not an id
    _add_profile_crud(api)
    for component, model in COMPONENT_MODELS.items():
        _add_component_routes(api, component, model)
    _add_history_routes(api)
    _add_insight_routes(api)


def _add_profile_crud(api: Api) -> None:
    @api.route(
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

    @api.route(
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
            _db(request), current_user(request).user_id, query.limit, query.offset
        )
        page = {"items": documents, "total": total, "limit": query.limit, "offset": query.offset}
        return StoredView(page)

    @api.route(
        "GET",
        f"{PREFIX}/me",
        response=ProfileView,
        auth=True,
        tags=TAGS,
        errors=[404],
        summary="My active profile",
    )
    async def my_active_profile(request: web.Request) -> StoredView:
        document = await active_profile(_db(request), current_user(request).user_id)
        if document is None:
            raise NotFoundError("You have no active profile yet.")
        return StoredView(document)

    @api.route(
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
        document = await profile_at_version(
            _runtime(request).store,
            current_user(request).user_id,
            _profile_id(request),
            query.version,
        )
        if document is None:
            raise NotFoundError(
                "No such profile version.",
                details={"profile_id": _profile_id(request), "version": query.version},
            )
        return StoredView(document)

    @api.route(
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

    @api.route(
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

    @api.route(
        "DELETE",
        f"{PREFIX}/{ID}",
        auth=True,
        status=204,
        tags=TAGS,
        errors=[404, 409],
        summary="Delete a profile (its history is kept)",
    )
    async def delete_profile(request: web.Request) -> None:
        await _bus(request).handle(
            DeleteProfile(
                current_user(request).user_id,
                _profile_id(request),
                if_match(request),
                request_id_for(request),
            )
        )


def _add_component_routes(api: Api, component: str, model: type[BaseModel]) -> None:
    item_path = f"{PREFIX}/{ID}/{component}/{{item_id}}"
    body_model = _one_or_many(model, f"{model.__name__.removesuffix('Fields')}Items")

    async def add(request: web.Request, body: RootModel[Any]) -> Reply:
        written = await _bus(request).handle(
            AddItems(
                current_user(request).user_id,
                _profile_id(request),
                component,
                [item.model_dump(mode="json") for item in body.root],
                if_match(request),
                request_id_for(request),
            )
        )
        return Reply(await _view(request, written), status=201)

    async def replace(request: web.Request, body: BaseModel) -> StoredView:
        written = await _bus(request).handle(
            UpdateItem(
                current_user(request).user_id,
                _profile_id(request),
                component,
                request.match_info["item_id"],
                body.model_dump(mode="json"),
                if_match(request),
                request_id_for(request),
            )
        )
        return await _view(request, written)

    async def remove(request: web.Request) -> None:
        await _bus(request).handle(
            RemoveItem(
                current_user(request).user_id,
                _profile_id(request),
                component,
                request.match_info["item_id"],
                if_match(request),
                request_id_for(request),
            )
        )

    api.route(
        "POST",
        f"{PREFIX}/{ID}/{component}",
        body=body_model,
        response=ProfileView,
        status=201,
        auth=True,
        tags=TAGS,
        errors=[404, 409, 422],
        operation_id=f"add_{component}",
        summary=f"Add one item or a list to {component} (one version bump)",
    )(add)
    api.route(
        "PUT",
        item_path,
        body=model,
        response=ProfileView,
        auth=True,
        tags=TAGS,
        errors=[404, 409, 422],
        operation_id=f"replace_{component}_item",
        summary=f"Replace one item of {component}",
    )(replace)
    api.route(
        "DELETE",
        item_path,
        status=204,
        auth=True,
        tags=TAGS,
        errors=[404, 409],
        operation_id=f"remove_{component}_item",
        summary=f"Remove one item of {component}",
    )(remove)


def _add_insight_routes(api: Api) -> None:
    @api.route(
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

    @api.route(
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


class ImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["json-resume"]
    data: dict[str, Any]


class ExportQuery(BaseModel):
    format: Literal["json-resume"] = "json-resume"


def _imported(data: dict[str, Any]) -> ImportedProfile:
    resume = validate(JsonResume, data, "data")
    try:
        return import_profile(resume)
    except JsonResumeImportError as error:
        raise InvalidInput(None, [FieldProblem(f"data.{error.field}", str(error))]) from None


def _add_interop_routes(api: Api) -> None:
    @api.route(
        "POST",
        f"{PREFIX}/import",
        body=ImportRequest,
        response=ProfileView,
        status=201,
        auth=True,
        tags=TAGS,
        errors=[422, 503],
        summary="Create a profile from a JSON Resume (jsonresume.org, schema v1)",
    )
    async def import_profile_from(request: web.Request, body: ImportRequest) -> Reply:
        # A resume of many entries is seconds of validation: off the event loop.
        imported = await request.app[RUNTIME].offloop.run(_imported, body.data)
        return await _create(request, imported)

    @api.route(
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


def _add_history_routes(api: Api) -> None:
    @api.route(
        "GET",
        f"{PREFIX}/{ID}/versions",
        response=ProfileVersions,
        auth=True,
        tags=TAGS,
        errors=[404],
        summary="Every version: when, and what changed",
    )
    async def list_versions(request: web.Request) -> ProfileVersions:
        found = await profile_versions(
            _runtime(request).store, current_user(request).user_id, _profile_id(request)
        )
        if found is None:
            raise NotFoundError("Profile not found.", details={"profile_id": _profile_id(request)})
        return ProfileVersions(items=found)


# -- helpers -------------------------------------------------------------------------


async def _change(
    request: web.Request,
    changes: dict[str, Any],
    expected_version: int | None,
    components: dict[str, list[dict[str, Any]]] | None = None,
) -> StoredView:
    written: ProfileWritten = await _bus(request).handle(
        ChangeProfile(
            current_user(request).user_id,
            _profile_id(request),
            changes,
            expected_version if expected_version is not None else if_match(request),
            request_id_for(request),
            components or {},
        )
    )
    return await _view(request, written)


async def _create(request: web.Request, parts: CreateProfileRequest | ImportedProfile) -> Reply:
    components = {
        name: component_items(getattr(parts, name))
        for name in ("experiences", "education", "projects")
    }
    components["skills"] = (
        skill_items(parts.skills)
        if isinstance(parts, CreateProfileRequest)
        else component_items(parts.skills)
    )
    written = await _bus(request).handle(
        CreateProfile(
            user_id=current_user(request).user_id,
            personal_info=parts.personal_info.model_dump(mode="json"),
            professional_summary=parts.professional_summary,
            custom_fields=parts.custom_fields,
            components=components,
            request_id=request_id_for(request),
        )
    )
    view = await _view(request, written)
    return Reply(view, headers={"Location": f"{PREFIX}/{written.profile_id}"}, status=201)


async def _view(request: web.Request, written: ProfileWritten) -> StoredView:
    """The profile as a write just left it: the profiles projection of this process holds
    the document it wrote, and the write waited for it, so no read is needed (a command
    that changed nothing reads the database)."""
    if written.wrote:
        held = as_read(_runtime(request).projector.written(PROFILES, written.profile_id))
        if held is not None and held["user_id"] == current_user(request).user_id:
            return StoredView(held)
    return StoredView(await _document(request, written.profile_id))


async def _document(request: web.Request, profile_id: str | None = None) -> dict[str, Any]:
    profile_id = profile_id or _profile_id(request)
    document = await get_profile(_db(request), current_user(request).user_id, profile_id)
    if document is None:
        raise NotFoundError("Profile not found.", details={"profile_id": profile_id})
    return document


def _profile_id(request: web.Request) -> str:
    return request.match_info["profile_id"]


def _runtime(request: web.Request) -> Runtime:
    return request.app[RUNTIME]


def _db(request: web.Request) -> AsyncDatabase[Any]:
    return request.app[RUNTIME].database


def _bus(request: web.Request) -> CommandBus:
    return request.app[RUNTIME].bus
