"""The projection tests arrange their events through the fast tier's bus (``Fast``)."""

from __future__ import annotations

import pytest

from tests.unit.commands.conftest import Fast


@pytest.fixture
def fast() -> Fast:
    return Fast()
