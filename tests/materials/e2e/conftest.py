"""The browser test runs its own server and storage: no per-backend app, no storage parameter."""

import pytest


@pytest.fixture(autouse=True)
def materials_storage() -> None:
    """Replaces tests/materials/conftest.py's per-test storage (the live server configures its own)."""
