"""The admin is for operators (staff) only, and every model's pages open for them."""

import pytest
from django.contrib import admin
from django.urls import reverse

from .factories import UserFactory


def test_people_who_are_not_staff_never_see_the_admin(client, rep):
    client.force_login(rep)

    response = client.get("/admin/alliances/interest/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_model_has_working_admin_pages(client, pilot, model):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_add")).status_code in (200, 403)
