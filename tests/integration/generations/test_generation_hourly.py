"""At most ``JOBWISE_GENERATIONS_PER_HOUR`` generations an hour per user (10 by default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobwise.settings import Settings, load_settings
from tests.integration.generations.conftest import Seeker, env


@pytest.fixture
def settings(tmp_path: Path, db_name: str) -> Settings:
    return load_settings(
        env(tmp_path, db_name, JOBWISE_WORKER_CONCURRENCY="0", JOBWISE_GENERATIONS_PER_HOUR="2")
    )


async def test_past_the_hourly_allowance_a_request_is_refused_and_not_counted(
    kyle: Seeker, grace: Seeker
) -> None:
    profile = await kyle.profile_from("kyle-oliver")
    job = await kyle.job_from("03-bright-backend-developer")
    body = {"profile_id": profile, "job_id": job}
    for _ in range(2):
        await kyle.generate(profile, job)

    refused = await kyle.client.post(
        "/api/v1/generations/cover-letter", json=body, headers=kyle.headers
    )

    error = (await refused.json())["error"]
    assert (refused.status, error["code"]) == (429, "rate_limited")
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    assert error["details"]["per_hour"] == 2
    assert (await kyle.me())["generations_used"] == 2  # the monthly count did not move
    # Per user: someone else still may.
    await grace.generate(
        await grace.profile_from("thomas-davis"),
        await grace.job_from("posting-unsplash-senior-frontend"),
    )
