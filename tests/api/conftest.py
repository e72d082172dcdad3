"""API clients for the personas. ``api_as(person)`` signs a client in; ``api_client`` is anonymous."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from alliances.models import User


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Iterator[None]:
    # Throttle counters live in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The personas' passwords are hashed on every test; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(db: None) -> Callable[[User], APIClient]:
    def sign_in(person: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(person)
        return client

    return sign_in
