"""API clients for the personas. ``api_as(person)`` signs a client in; ``api_client`` is anonymous."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from alliances.models import User


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
