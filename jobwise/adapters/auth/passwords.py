"""Password policy and hashing (OWASP ASVS L2 / Password Storage Cheat Sheet).

New hashes are argon2id with the OWASP minimum (m=19 MiB, t=2, p=1). bcrypt is
only understood so that legacy hashes still verify and get rehashed to argon2id
on the next successful login. Hashing is deliberately slow, so every hash and
verify runs in a small thread pool: the event loop keeps serving while it works.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from passlib.context import CryptContext  # type: ignore[import-untyped]

MIN_LENGTH = 8
MAX_LENGTH = 1024
"""Long enough for any passphrase; short enough that hashing cannot be abused."""
BCRYPT_MAX_BYTES = 72
"""bcrypt reads only this many bytes of the password and ignores the rest."""

_T = TypeVar("_T")


def check_password_policy(password: str) -> list[str]:
    """The problems with ``password`` as human sentences; empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH:,} characters.")
    # Per character, so letters and digits of any script count (É, ß, ٣ ...).
    if not any(char.isupper() for char in password):
        problems.append("Include at least one upper-case letter.")
    if not any(char.islower() for char in password):
        problems.append("Include at least one lower-case letter.")
    if not any(char.isdigit() for char in password):
        problems.append("Include at least one digit.")
    return problems


def _context() -> CryptContext:
    return CryptContext(
        schemes=["argon2", "bcrypt"],
        deprecated=["bcrypt"],
        argon2__type="ID",
        argon2__memory_cost=19456,
        argon2__time_cost=2,
        argon2__parallelism=1,
    )


class PasswordHasher:
    """Async argon2id hashing; ``close()`` when done to release the worker threads.

    Make one at startup and share it: construction hashes once (tens of ms).

    The pool has one thread per CPU: more would only queue on the same cores,
    and each running hash holds 19 MiB, so the pool also caps that memory.
    """

    def __init__(self, *, max_workers: int | None = None) -> None:
        self._context = _context()
        self._pool = ThreadPoolExecutor(
            max_workers=max_workers or os.cpu_count() or 1,
            thread_name_prefix="password-hash",
        )
        # Made once, here, with today's parameters: a stale dummy would trigger
        # a rehash in ``verify_and_update`` and so cost more than a real login.
        self._dummy_hash: str = self._context.hash("dummy password that matches nothing")

    async def hash(self, password: str) -> str:
        """A fresh argon2id hash of ``password`` (salted: never the same twice)."""
        hashed: str = await self._run(self._context.hash, password)
        return hashed

    async def verify(self, password: str, hashed: str) -> tuple[bool, str | None]:
        """``(ok, new_hash)``: ``new_hash`` is set when ``hashed`` should be replaced by it.

        That happens for legacy bcrypt hashes and for argon2 hashes made with
        weaker parameters than today's. An unrecognised or corrupt ``hashed``
        verifies as ``False`` rather than raising.
        """
        return await self._run(self._verify, password, hashed)

    async def verify_dummy(self, password: str) -> None:
        """Spend what a real ``verify`` costs, for a user that does not exist.

        Without it a login for an unknown email answers faster than one with a
        wrong password, which tells an attacker which emails have accounts.
        """
        await self._run(self._verify, password, self._dummy_hash)

    def close(self) -> None:
        """Stop the worker threads (waiting for running hashes). Safe to call twice."""
        self._pool.shutdown(wait=True)

    def _verify(self, password: str, hashed: str) -> tuple[bool, str | None]:
        if len(password) > MAX_LENGTH:
            return False, None  # No such password can have been set.
        try:
            scheme = self._context.identify(hashed)
            if scheme == "bcrypt" and len(password.encode()) > BCRYPT_MAX_BYTES:
                # bcrypt compares only the first 72 bytes, so anything sharing
                # that prefix would pass. Pre-hashing cannot help: the stored
                # hash was made from the raw password. Failing closed is the safe
                # choice; such a user resets their password (and gets argon2id).
                return False, None
            ok, new_hash = self._context.verify_and_update(password, hashed)
        except (ValueError, TypeError):
            # passlib's "unknown hash" and "malformed hash" errors are ValueErrors.
            return False, None
        return bool(ok), new_hash

    async def _run(self, work: Callable[..., _T], *args: object) -> _T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, work, *args)
