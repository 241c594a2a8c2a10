"""Helpers for API tests: bearer headers per role, and checking a body against the served OpenAPI schemas.

Test data is committed before requests are made, as a script would see it: each request ends by discarding
whatever it did not commit, so data a test only flushed would vanish at the first request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from openapi_schema_validator import OAS31Validator

from eventhub.api.openapi import openapi_document
from eventhub.extensions import db

ROLES = ("member", "secretary", "organiser", "admin")


@pytest.fixture
def auth(api_token: Callable[..., str]) -> Callable[..., dict[str, str]]:
    """``auth(role)`` makes a user with ``role`` and returns the headers that authenticate as them."""

    def factory(role: str = "admin", **kwargs: Any) -> dict[str, str]:
        token = api_token(role, **kwargs)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return factory


@pytest.fixture
def admin(auth: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth("admin")


@pytest.fixture
def assert_schema() -> Callable[[Any, str], None]:
    """``assert_schema(body, "Event")`` fails unless ``body`` matches that component of the served document."""
    document = openapi_document("http://eventhub.test")

    def check(body: Any, name: str) -> None:
        validator = OAS31Validator({"$ref": f"#/components/schemas/{name}", "components": document["components"]})
        errors = [error.message for error in validator.iter_errors(body)]
        assert not errors, errors

    return check


@pytest.fixture
def count_rows(app: Any) -> Callable[[type], int]:
    """``count_rows(Model)``: how many rows the table has now, to show a refused request wrote nothing."""

    def count(model: type) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return count
