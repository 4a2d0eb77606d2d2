"""``/api/v1/generations``: tailored resumes and cover letters, made in the background.

``POST /resume`` (or ``/cover-letter``) answers 201 at once with the pending generation;
a worker then runs the five stages and the generation ends ``completed`` (or
``needs_review`` when the fabrication guard removed anything) with a document and its
PDF, or ``failed``/``cancelled``. Poll ``GET /{id}``, then read ``GET /{id}/result``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from jobwise.application.commands.generations import (
    DeleteGeneration,
    GiveFeedback,
    Regenerate,
    RequestGeneration,
    RerunValidation,
)
from jobwise.application.queries.generations import (
    GenerationFilter,
    generation_document,
    get_generation,
    list_generations,
    requested_generation,
)
from jobwise.domain.errors import NotFoundError
from jobwise.domain.writing import DocumentKind, GenerationOptions
from jobwise.entrypoints.http.api import Reply, Routes
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import BUS, EVENTS, READ_MODELS, THUMBNAILS
from jobwise.entrypoints.http.middleware import request_id_for
from jobwise.entrypoints.http.routes.generation_shapes import (
    PREFIX,
    TEMPLATE_NAMES,
    AnalyticsView,
    FeedbackRequest,
    GenerationList,
    GenerationQuery,
    GenerationRequest,
    GenerationView,
    RegenerateRequest,
    ResultView,
    TemplateList,
    analytics_view,
    generation_view,
    result_view,
    template_list,
)

TAGS = ["generations"]

routes = Routes()


QUOTA = "(429 quota_exceeded or rate_limited with Retry-After)"


@routes.route(
    "POST",
    f"{PREFIX}/resume",
    body=GenerationRequest,
    response=GenerationView,
    status=201,
    auth=True,
    tags=TAGS,
    errors=[404, 422, 429],
    summary=f"Start a resume for one of my profiles and jobs {QUOTA}",
)
async def request_resume(request: web.Request, body: GenerationRequest) -> Reply:
    return await _request(request, body, "resume")


@routes.route(
    "POST",
    f"{PREFIX}/cover-letter",
    body=GenerationRequest,
    response=GenerationView,
    status=201,
    auth=True,
    tags=TAGS,
    errors=[404, 422, 429],
    summary=f"Start a cover letter for one of my profiles and jobs {QUOTA}",
)
async def request_cover_letter(request: web.Request, body: GenerationRequest) -> Reply:
    return await _request(request, body, "cover_letter")


@routes.route(
    "GET",
    f"{PREFIX}/templates",
    response=TemplateList,
    auth=True,
    tags=TAGS,
    summary="The document templates (every one ATS-safe)",
)
async def generation_templates(request: web.Request) -> TemplateList:
    return template_list()


@routes.route(
    "GET",
    f"{PREFIX}/templates/{{template}}/thumbnail",
    auth=True,
    tags=TAGS,
    errors=[404],
    media_type="image/png",
    summary="A template's preview: page 1 of a sample resume, as a PNG (made once)",
)
async def template_thumbnail(request: web.Request) -> web.Response:
    name = request.match_info["template"]
    if name not in TEMPLATE_NAMES:
        raise NotFoundError("No such template.", details={"template": name[:100]})
    png = await request.app[THUMBNAILS].thumbnail(name)
    return web.Response(
        body=png,
        content_type="image/png",
        headers={"Cache-Control": "private, max-age=86400"},
    )


@routes.route(
    "GET",
    PREFIX,
    query=GenerationQuery,
    response=GenerationList,
    auth=True,
    tags=TAGS,
    errors=[422],
    summary="My generations, newest first (filter by job, status, document type)",
)
async def list_my_generations(request: web.Request, query: GenerationQuery) -> GenerationList:
    found, total = await list_generations(
        request.app[READ_MODELS].database,
        current_user(request).user_id,
        GenerationFilter(query.job_id, query.status, query.document_type),
        query.limit,
        query.offset,
    )
    return GenerationList(
        items=[generation_view(generation) for generation in found],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )


@routes.route(
    "GET",
    f"{PREFIX}/{{generation_id}}",
    response=GenerationView,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="A generation: status, progress through the five stages, scores, result",
)
async def read_generation(request: web.Request) -> GenerationView:
    return generation_view(await _generation(request))


@routes.route(
    "GET",
    f"{PREFIX}/{{generation_id}}/result",
    response=ResultView,
    auth=True,
    tags=TAGS,
    errors=[404, 409],
    summary="The generated document: text, Markdown, HTML and the PDF's URL "
    "(409 not_ready until it ends)",
)
async def generation_result(request: web.Request) -> ResultView:
    generation = await _generation(request)
    document = await generation_document(
        request.app[READ_MODELS], current_user(request).user_id, generation
    )
    return result_view(generation, document)


@routes.route(
    "GET",
    f"{PREFIX}/{{generation_id}}/analytics",
    response=AnalyticsView,
    auth=True,
    tags=TAGS,
    errors=[404, 409],
    summary="Match score, ATS score with each check and its weight, keywords, recommendations",
)
async def generation_analytics(request: web.Request) -> AnalyticsView:
    return analytics_view(await _generation(request))


@routes.route(
    "POST",
    f"{PREFIX}/{{generation_id}}/validate",
    response=AnalyticsView,
    auth=True,
    tags=TAGS,
    errors=[404, 409, 503],
    summary="Run the quality checks again on the stored document (after an edit)",
)
async def validate_again(request: web.Request) -> AnalyticsView:
    generation_id = await request.app[BUS].handle(
        RerunValidation(
            current_user(request).user_id,
            request.match_info["generation_id"],
            request_id_for(request),
        )
    )
    return analytics_view(await _generation(request, generation_id))


@routes.route(
    "POST",
    f"{PREFIX}/{{generation_id}}/feedback",
    body=FeedbackRequest,
    response=GenerationView,
    auth=True,
    tags=TAGS,
    errors=[404, 409, 422],
    summary="Rate a finished generation (1 to 5) with an optional comment",
)
async def generation_feedback(request: web.Request, body: FeedbackRequest) -> GenerationView:
    generation_id = await request.app[BUS].handle(
        GiveFeedback(
            current_user(request).user_id,
            request.match_info["generation_id"],
            body.rating,
            body.comment,
            request_id_for(request),
        )
    )
    return generation_view(await _generation(request, generation_id))


@routes.route(
    "POST",
    f"{PREFIX}/{{generation_id}}/regenerate",
    body=RegenerateRequest,
    response=GenerationView,
    status=201,
    auth=True,
    tags=TAGS,
    errors=[404, 422, 429],
    summary="A new generation for the same profile and job, with parent_id; "
    "options sent replace the parent's",
)
async def regenerate(request: web.Request, body: RegenerateRequest) -> Reply:
    generation_id = await request.app[BUS].handle(
        Regenerate(
            current_user(request).user_id,
            request.match_info["generation_id"],
            body.options.model_dump(exclude_none=True),
            request_id_for(request),
        )
    )
    return await _created(request, generation_id)


@routes.route(
    "DELETE",
    f"{PREFIX}/{{generation_id}}",
    status=204,
    auth=True,
    tags=TAGS,
    errors=[404],
    summary="Cancel a running generation, or delete a finished one",
)
async def delete_generation(request: web.Request) -> None:
    await request.app[BUS].handle(
        DeleteGeneration(
            current_user(request).user_id,
            request.match_info["generation_id"],
            request_id_for(request),
        )
    )


async def _request(request: web.Request, body: GenerationRequest, kind: DocumentKind) -> Reply:
    generation_id = await request.app[BUS].handle(
        RequestGeneration(
            current_user(request).user_id,
            body.profile_id,
            body.job_id,
            kind,
            GenerationOptions.model_validate(body.options.model_dump()),
            request_id=request_id_for(request),
        )
    )
    return await _created(request, generation_id)


async def _created(request: web.Request, generation_id: str) -> Reply:
    """The 201 answer: the generation as it was requested (pending)."""
    requested = await requested_generation(
        request.app[READ_MODELS].database, request.app[EVENTS].opener, generation_id
    )
    view = generation_view(requested)
    return Reply(view, headers={"Location": f"{PREFIX}/{generation_id}"}, status=201)


async def _generation(request: web.Request, generation_id: str | None = None) -> dict[str, Any]:
    wanted = generation_id or request.match_info["generation_id"]
    found = await get_generation(
        request.app[READ_MODELS].database, current_user(request).user_id, wanted
    )
    if found is None:
        raise NotFoundError("Generation not found.", details={"generation_id": wanted})
    return found
