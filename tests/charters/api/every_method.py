"""Send every HTTP method to every URL and expect one status code from each."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

METHODS = ["get", "post", "put", "patch", "delete"]


def assert_every_method_answers(client: APIClient, urls: list[str], body: Any, code: int) -> None:
    for url in urls:
        for method in METHODS:
            response = getattr(client, method)(url, body, format="json")
            assert response.status_code == code, f"{method} {url}: {response.status_code}"
