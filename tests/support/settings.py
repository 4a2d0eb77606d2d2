"""The environment every test app reads its settings from.

Tests do not lean on the production defaults of limits they did not set: a test that
polls an endpoint 20 times a second would meet the default 100 requests a minute per
user (a 429 the moment a loaded machine makes it poll for more than five seconds), and a
module that signs up its users from one address would meet the 20 registrations an hour. So
the suite's apps allow far more requests than any test makes, and a test that is about
a limit sets that limit itself (``@pytest.mark.env(...)`` or its own ``settings``).
"""

from __future__ import annotations

from pathlib import Path

GENEROUS_LIMITS = {
    "JOBWISE_RATE_LIMIT_PER_MINUTE": "100000",
    # One address signs up every user of a test (or of a whole module's serve, in web/).
    "JOBWISE_REGISTRATIONS_PER_HOUR": "100000",
}
"""Limits no test meets by accident; the rest are set by the tests that need them."""


def app_env(data_dir: Path, db_name: str, **more: str) -> dict[str, str]:
    """The test's own data dir and database, the generous limits, then ``more``."""
    return {
        "JOBWISE_DATA_DIR": str(data_dir),
        "MONGODB_DB": db_name,
        **GENEROUS_LIMITS,
        **more,
    }
