"""``/api/v1/auth``: register, login, refresh, me, logout."""

from __future__ import annotations

from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from jobwise.application.commands.auth import (
    Client,
    LogIn,
    LogOut,
    RefreshSession,
    RegisterUser,
    SessionIssued,
)
from jobwise.application.queries.users import UserView, get_user
from jobwise.domain.characters import SingleLine
from jobwise.domain.errors import NotFoundError
from jobwise.entrypoints.http.api import Routes
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.clients import client_ip
from jobwise.entrypoints.http.keys import BUS, READ_MODELS
from jobwise.entrypoints.http.middleware import request_id_for

PREFIX = "/api/v1/auth"
TAGS = ["auth"]


class RegisterRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr = Field(max_length=254)
    password: str = Field(
        min_length=1,
        max_length=1024,
        description="8+ characters with an upper, a lower and a digit",
    )
    full_name: SingleLine = Field(min_length=1, max_length=200)


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=4096)


class AuthResponse(BaseModel):
    user: UserView
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    """Seconds until the access token expires."""


def client_of(request: web.Request) -> Client:
    user_agent = request.headers.get("User-Agent", "")[:300] or None
    return Client(ip=client_ip(request), user_agent=user_agent, request_id=request_id_for(request))


routes = Routes()


@routes.route(
    "POST",
    f"{PREFIX}/register",
    body=RegisterRequest,
    response=AuthResponse,
    status=201,
    tags=TAGS,
    errors=[409, 422, 429],
    summary="Create an account",
)
async def register(request: web.Request, body: RegisterRequest) -> AuthResponse:
    command = RegisterUser(body.email, body.password, body.full_name, client_of(request))
    return await _answer(request, await request.app[BUS].handle(command))


@routes.route(
    "POST",
    f"{PREFIX}/login",
    body=LoginRequest,
    response=AuthResponse,
    tags=TAGS,
    errors=[401, 422, 429],
    summary="Log in with email and password",
)
async def login(request: web.Request, body: LoginRequest) -> AuthResponse:
    command = LogIn(body.email, body.password, client_of(request))
    return await _answer(request, await request.app[BUS].handle(command))


@routes.route(
    "POST",
    f"{PREFIX}/refresh",
    body=RefreshRequest,
    response=AuthResponse,
    tags=TAGS,
    errors=[401, 422],
    summary="Trade a refresh token for a new pair (each works once)",
)
async def refresh(request: web.Request, body: RefreshRequest) -> AuthResponse:
    command = RefreshSession(body.refresh_token, client_of(request))
    return await _answer(request, await request.app[BUS].handle(command))


@routes.route(
    "GET", f"{PREFIX}/me", response=UserView, auth=True, tags=TAGS, summary="The calling user"
)
async def me(request: web.Request) -> UserView:
    user = await get_user(request.app[READ_MODELS].database, current_user(request).user_id)
    if user is None:
        raise NotFoundError("User not found.")
    return user


@routes.route(
    "POST",
    f"{PREFIX}/logout",
    auth=True,
    status=204,
    tags=TAGS,
    summary="End this session: its tokens stop working at once",
)
async def logout(request: web.Request) -> None:
    caller = current_user(request)
    await request.app[BUS].handle(LogOut(caller.user_id, caller.session_id, client_of(request)))


async def _answer(request: web.Request, issued: SessionIssued) -> AuthResponse:
    user = await get_user(request.app[READ_MODELS].database, issued.user_id)
    if user is None:  # read-your-writes makes this unreachable; say so loudly if not
        raise RuntimeError(f"user {issued.user_id} missing from the read model after its write")
    return AuthResponse(
        user=user,
        access_token=issued.tokens.access_token,
        refresh_token=issued.tokens.refresh_token,
        expires_in=issued.tokens.expires_in,
    )
