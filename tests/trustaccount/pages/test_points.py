"""Managers weigh the categories of their alliance's trust ledger."""

from django.urls import reverse

from trustaccount import ledger
from trustaccount.models import Category

from ..ledger_data import record


def _url(pilot):
    return reverse("trust_points", kwargs={"alliance_pk": pilot.alliance.pk})


def _posted(**points):
    return {**ledger.DEFAULT_POINTS, **points}


def test_a_manager_sets_the_points_and_new_entries_use_them(client, pilot):
    client.force_login(pilot.manager)

    response = client.post(_url(pilot), _posted(contribution_acknowledged=5))

    assert response.status_code == 302
    entry = record(pilot, "k", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)
    assert entry.points == 5


def test_out_of_range_points_change_nothing(client, pilot):
    client.force_login(pilot.manager)

    response = client.post(_url(pilot), _posted(breach=0))

    assert response.status_code == 200
    assert ledger.points_table(pilot.alliance)[Category.BREACH] == 8


def test_only_managers_set_points(client, pilot, outsider):
    client.force_login(pilot.rep)
    assert client.get(_url(pilot)).status_code == 403
    client.force_login(outsider)
    assert client.get(_url(pilot)).status_code == 404
