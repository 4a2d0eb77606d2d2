"""``DELETE /api/v1/me``: erase the caller's account, confirmed by its password.

204 once the erasure is done: the personal data in the log can no longer be read, the
read models and files are gone, every session has ended, the address may register
again. A wrong password is 403 ``wrong_password``; five within fifteen minutes lock
the deletion (429) as they would a login. ``GET /api/v1/me/export`` first, to keep a copy.
"""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from jobwise.application.commands.account import DeleteAccount
from jobwise.entrypoints.http.api import Routes
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import BUS
from jobwise.entrypoints.http.routes.auth import client_of

PATH = "/api/v1/me"
TAGS = ["account"]

routes = Routes()


class DeleteAccountRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=1024, description="The account's password")


@routes.route(
    "DELETE",
    PATH,
    body=DeleteAccountRequest,
    auth=True,
    status=204,
    tags=TAGS,
    errors=[403, 429],
    summary="Delete my account and erase my personal data everywhere",
)
async def delete_my_account(request: web.Request, body: DeleteAccountRequest) -> None:
    caller = current_user(request)
    await request.app[BUS].handle(DeleteAccount(caller.user_id, body.password, client_of(request)))
