"""Job and saved-job tests: the real app on a real port, a fresh database, two users."""

from __future__ import annotations

from typing import Any

import pytest

from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.projections.maintenance import verify
from tests.integration.auth.conftest import AppClient, client, register, settings
from tests.integration.users import ApiUser

__all__ = ["client", "settings"]

POSTING = """Senior Backend Engineer
Acme Robotics · Berlin, Germany (Hybrid)

About the job
Acme Robotics builds warehouse robots. We are hiring a backend engineer.

Requirements:
- 5+ years of Python and Golang in production
- Strong PostgreSQL skills
- Experience running services on k8s

Nice to have:
- Apache Kafka
- Terraform

Benefits:
- 30 days of paid holiday
- Learning budget

Salary: €85,000 – €105,000 a year
"""


class User(ApiUser):
    """A signed-up user whose calls go to ``/api/v1``, with job shortcuts."""

    async def new_job(self, **fields: Any) -> dict[str, Any]:
        job: dict[str, Any] = await self.call(
            "POST", "/jobs", expect=201, json={"source": "linkedin", **fields}
        )
        return job

    async def typed_job(self, title: str = "Data Engineer", **fields: Any) -> dict[str, Any]:
        return await self.new_job(title=title, company="Globex", **fields)


@pytest.fixture
async def ada(client: AppClient) -> User:
    body = await register(client, email="ada@example.com")
    return User(client, body["access_token"], body["user"]["id"])


@pytest.fixture
async def grace(client: AppClient) -> User:
    body = await register(client, email="grace@example.com", full_name="Grace Hopper")
    return User(client, body["access_token"], body["user"]["id"])


async def assert_read_models_rebuild_identically(client: AppClient) -> None:
    runtime = client.app[RUNTIME]
    differences = await verify(runtime.projections, runtime.store, runtime.client, runtime.database)
    assert differences == []
