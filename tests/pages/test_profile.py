"""The profile: a person's name and the time zone their dates are shown in."""

from django.urls import reverse

from .helpers import field_errors


def test_person_changes_name_and_time_zone(client, pilot):
    client.force_login(pilot.rep)
    response = client.post(
        reverse("profile"),
        {"first_name": "Ada", "last_name": "Okafor", "time_zone": "Africa/Lagos"},
    )
    assert response.status_code == 302
    pilot.rep.refresh_from_db()
    assert pilot.rep.get_full_name() == "Ada Okafor"
    assert pilot.rep.time_zone == "Africa/Lagos"
    assert "Times are shown in Africa/Lagos." in client.get(reverse("profile")).content.decode()


def test_unknown_time_zone_is_refused(client, pilot):
    client.force_login(pilot.rep)
    response = client.post(
        reverse("profile"), {"first_name": "Ada", "last_name": "Okafor", "time_zone": "Mars/Base"}
    )
    assert "Select a valid choice" in field_errors(response, "time_zone")
    pilot.rep.refresh_from_db()
    assert pilot.rep.time_zone == "UTC"


def test_profile_needs_sign_in(client, db):
    assert client.get(reverse("profile")).status_code == 302
