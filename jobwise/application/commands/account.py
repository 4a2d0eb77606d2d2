"""Deleting an account: the password confirms it, then the erasure process runs.

The caller waits for the whole erasure (seconds at most: a key, some deletes), so a
204 means it is done. One that stopped midway (a crash, read models too slow) is
finished by the next ``DELETE``, and by ``serve`` at start and every few minutes, from
the ``AccountErasureStarted`` already recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from jobwise.adapters.auth.passwords import PasswordHasher
from jobwise.adapters.keys import EmailStreams
from jobwise.adapters.ratelimit import FailureThrottle
from jobwise.application.commands.auth import Client
from jobwise.application.messagebus import Handler
from jobwise.application.repository import Repository
from jobwise.domain.erasure import AccountErasedError, WrongPassword
from jobwise.domain.errors import Throttled
from jobwise.domain.user import User, normalize_email


class Erasure(Protocol):
    """The erasure process (``processes.erasure.AccountEraser``), as this handler starts it."""

    async def start(self, user_id: str, email_stream: str, request_id: str | None) -> None: ...

    async def run(self, user_id: str) -> bool: ...


@dataclass(frozen=True)
class DeleteAccount:
    user_id: str
    password: str
    client: Client


async def delete_account(
    command: DeleteAccount,
    repository: Repository,
    hasher: PasswordHasher,
    login_throttle: FailureThrottle,
    email_streams: EmailStreams,
    account_eraser: Erasure,
) -> None:
    if await account_eraser.run(command.user_id):
        return  # an erasure that began and stopped midway (a retry): finished now
    # Guesses count like logins (five in fifteen minutes): a stolen access token
    # must not become a way to test passwords, nor to delete an account blind.
    key = f"delete:{command.user_id}"
    attempt = await login_throttle.attempt(key)
    if not attempt.allowed:
        retry_after = max(1, math.ceil(attempt.decision.retry_after))
        raise Throttled("Too many wrong passwords; try again later.", retry_after)
    user = await repository.load(User, command.user_id)
    if not user.email:
        raise AccountErasedError(command.user_id)
    valid, _ = await hasher.verify(command.password, user.password_hash)
    if not valid:
        raise WrongPassword()
    await login_throttle.reset(key)
    # The keyed-hash name even when the address was reserved under its own name before
    # (that stream is freed by the erasure itself, never written to again).
    stream = await email_streams.stream_of(normalize_email(user.email))
    await account_eraser.start(user.id, stream, command.client.request_id)
    await account_eraser.run(user.id)


HANDLERS: dict[type, Handler] = {DeleteAccount: delete_account}
