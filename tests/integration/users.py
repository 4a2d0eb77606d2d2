"""A signed-up user, as the API tests speak for one."""

from __future__ import annotations

from typing import Any

from tests.integration.auth.conftest import AppClient, bearer


class ApiUser:
    """A user's token and a client that sends it, for paths under ``prefix``."""

    def __init__(
        self, client: AppClient, token: str, user_id: str, prefix: str = "/api/v1"
    ) -> None:
        self.client = client
        self.headers = bearer(token)
        self.id = user_id
        self.prefix = prefix

    async def call(
        self,
        method: str,
        path: str,
        *,
        expect: int | None = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """The JSON answer (None for a 204), after checking the status if ``expect`` is given."""
        response = await self.client.request(
            method, f"{self.prefix}{path}", headers={**self.headers, **(headers or {})}, **kwargs
        )
        body = await response.json() if response.status != 204 else None
        if expect is not None:
            assert response.status == expect, body
        return body
