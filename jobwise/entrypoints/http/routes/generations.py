"""``/api/v1/generations``: tailored resumes and cover letters, made in the background.

``POST /resume`` (or ``/cover-letter``) answers 201 at once with the pending generation;
a worker then runs the five stages and the generation ends ``completed`` (or
``needs_review`` when the fabrication guard removed anything) with a document and its
PDF, or ``failed``/``cancelled``. Poll ``GET /{id}``, then read ``GET /{id}/result``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from jobwise.adapters.rendering import list_templates
from jobwise.application.commands.generations import (
    DeleteGeneration,
    GiveFeedback,
    Regenerate,
    RequestGeneration,
    RerunValidation,
)
from jobwise.application.queries.documents import get_document
from jobwise.application.queries.generations import (
    GenerationFilter,
    get_generation,
    list_generations,
)
from jobwise.domain.errors import NotFoundError
from jobwise.domain.events import DomainEvent
from jobwise.domain.generation import (
    RUNNING,
    WITH_DOCUMENT,
    GenerationRequested,
    no_result,
    not_ready,
    pdf_url,
)
from jobwise.domain.writing import DocumentKind, GenerationOptions
from jobwise.entrypoints.http.api import Api, Reply
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.entrypoints.http.middleware import request_id_for
from jobwise.entrypoints.http.routes.generation_shapes import (
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
    TemplateView,
)
from jobwise.projections.generations import requested_document

PREFIX = "/api/v1/generations"
TAGS = ["generations"]


# -- routes ------------------------------------------------------------------------------


def add_generation_routes(api: Api) -> None:
    for kind, path in (("resume", "resume"), ("cover_letter", "cover-letter")):
        _add_request_route(api, kind, path)  # type: ignore[arg-type]

    @api.route(
        "GET",
        f"{PREFIX}/templates",
        response=TemplateList,
        auth=True,
        tags=TAGS,
        summary="The document templates (every one ATS-safe)",
    )
    async def generation_templates(request: web.Request) -> TemplateList:
        templates = [
            TemplateView(
                **template.model_dump(),
                thumbnail_url=f"{PREFIX}/templates/{template.name}/thumbnail",
            )
            for template in list_templates()
        ]
        return TemplateList(items=templates, total=len(templates))

    @api.route(
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
        png = await request.app[RUNTIME].documents.thumbnails.thumbnail(name)
        return web.Response(
            body=png,
            content_type="image/png",
            headers={"Cache-Control": "private, max-age=86400"},
        )

    @api.route(
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
        documents, total = await list_generations(
            request.app[RUNTIME].database,
            current_user(request).user_id,
            GenerationFilter(query.job_id, query.status, query.document_type),
            query.limit,
            query.offset,
        )
        return GenerationList(
            items=[GenerationView.model_validate(d) for d in documents],
            total=total,
            limit=query.limit,
            offset=query.offset,
        )

    @api.route(
        "GET",
        f"{PREFIX}/{{generation_id}}",
        response=GenerationView,
        auth=True,
        tags=TAGS,
        errors=[404],
        summary="A generation: status, progress through the five stages, scores, result",
    )
    async def read_generation(request: web.Request) -> GenerationView:
        return GenerationView.model_validate(await _generation(request))

    @api.route(
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
        document = await _document_of(request, generation)
        return ResultView(
            generation_id=generation["id"],
            status=generation["status"],
            document_id=document["id"],
            content_text=document["content_text"],
            content_markdown=document["content_markdown"],
            content_html=document["content_html"],
            pdf_url=pdf_url(document["id"]),
            pdf_size_bytes=document["pdf"]["size_bytes"],
            pdf_page_count=document["pdf"]["page_count"],
            match_score=generation["match_score"],
            ats_score=generation["ats_score"],
        )

    @api.route(
        "GET",
        f"{PREFIX}/{{generation_id}}/analytics",
        response=AnalyticsView,
        auth=True,
        tags=TAGS,
        errors=[404, 409],
        summary="Match score, ATS score with each check and its weight, keywords, recommendations",
    )
    async def generation_analytics(request: web.Request) -> AnalyticsView:
        return _analytics(await _generation(request))

    @api.route(
        "POST",
        f"{PREFIX}/{{generation_id}}/validate",
        response=AnalyticsView,
        auth=True,
        tags=TAGS,
        errors=[404, 409, 503],
        summary="Run the quality checks again on the stored document (after an edit)",
    )
    async def validate_again(request: web.Request) -> AnalyticsView:
        generation_id = await request.app[RUNTIME].bus.handle(
            RerunValidation(
                current_user(request).user_id,
                request.match_info["generation_id"],
                request_id_for(request),
            )
        )
        return _analytics(await _generation(request, generation_id))

    @api.route(
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
        generation_id = await request.app[RUNTIME].bus.handle(
            GiveFeedback(
                current_user(request).user_id,
                request.match_info["generation_id"],
                body.rating,
                body.comment,
                request_id_for(request),
            )
        )
        return GenerationView.model_validate(await _generation(request, generation_id))

    @api.route(
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
        generation_id = await request.app[RUNTIME].bus.handle(
            Regenerate(
                current_user(request).user_id,
                request.match_info["generation_id"],
                body.options.model_dump(exclude_none=True),
                request_id_for(request),
            )
        )
        return await _created(request, generation_id)

    @api.route(
        "DELETE",
        f"{PREFIX}/{{generation_id}}",
        status=204,
        auth=True,
        tags=TAGS,
        errors=[404],
        summary="Cancel a running generation, or delete a finished one",
    )
    async def delete_generation(request: web.Request) -> None:
        await request.app[RUNTIME].bus.handle(
            DeleteGeneration(
                current_user(request).user_id,
                request.match_info["generation_id"],
                request_id_for(request),
            )
        )


def _add_request_route(api: Api, kind: DocumentKind, path: str) -> None:
    words = "a resume" if kind == "resume" else "a cover letter"

    async def request_document(request: web.Request, body: GenerationRequest) -> Reply:
        generation_id = await request.app[RUNTIME].bus.handle(
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

    api.route(
        "POST",
        f"{PREFIX}/{path}",
        body=GenerationRequest,
        response=GenerationView,
        status=201,
        auth=True,
        tags=TAGS,
        errors=[404, 422, 429],
        operation_id=f"request_{kind}",
        summary=f"Start {words} for one of my profiles and jobs "
        "(429 quota_exceeded or rate_limited with Retry-After)",
    )(request_document)


# -- helpers -----------------------------------------------------------------------------


async def _created(request: web.Request, generation_id: str) -> Reply:
    """The 201 answer: the generation as it was requested (pending), whatever the worker
    has done since, built as the read model builds its first state."""
    history = await request.app[RUNTIME].store.read_stream(generation_id, 0, 1)
    requested = DomainEvent.from_recorded(history[0])
    assert isinstance(requested, GenerationRequested)
    view = GenerationView.model_validate(requested_document(requested, history[0]))
    return Reply(view, headers={"Location": f"{PREFIX}/{generation_id}"}, status=201)


async def _generation(request: web.Request, generation_id: str | None = None) -> dict[str, Any]:
    wanted = generation_id or request.match_info["generation_id"]
    document = await get_generation(
        request.app[RUNTIME].database, current_user(request).user_id, wanted
    )
    if document is None:
        raise NotFoundError("Generation not found.", details={"generation_id": wanted})
    return document


async def _document_of(request: web.Request, generation: dict[str, Any]) -> dict[str, Any]:
    """The generation's document; refused (409) until the generation has one."""
    status = generation["status"]
    if status in RUNNING:
        raise not_ready(generation["id"], status)
    if status not in WITH_DOCUMENT or generation["document_id"] is None:
        raise no_result(generation["id"], status)
    runtime = request.app[RUNTIME]
    user_id = current_user(request).user_id
    document = await get_document(runtime.database, user_id, generation["document_id"])
    if document is None:
        # Written before the generation ended, but the documents view may trail the
        # generations view by a moment: wait for it to reach the generation's end.
        await runtime.read_your_writes(generation["last_position"])
        document = await get_document(runtime.database, user_id, generation["document_id"])
    if document is None:
        raise no_result(generation["id"], status)
    return document


def _analytics(generation: dict[str, Any]) -> AnalyticsView:
    if generation["keywords"] is None:
        raise not_ready(generation["id"], generation["status"])
    return AnalyticsView(
        generation_id=generation["id"],
        match_score=generation["match_score"],
        ats_score=generation["ats_score"],
        ats_score_details=generation["ats_score_details"],
        keywords=generation["keywords"],
        recommendations=generation["recommendations"],
        removed=generation["removed"],
        token_usage=generation["token_usage"],
        generation_time_seconds=generation["generation_time_seconds"],
        validated_at=generation["validated_at"],
    )
