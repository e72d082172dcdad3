import pytest

from alliances.models import Role
from tests.factories import RoleFactory, UserFactory


@pytest.fixture
def green_steering(pilot):
    """GreenAlliance's delegate: without one, the nonprofit could not vote."""
    person = UserFactory.create(email="steering@greenalliance.example")
    RoleFactory.create(
        alliance=pilot.alliance,
        person=person,
        kind=Role.Kind.STEERING_COMMITTEE,
        partner=pilot.greenalliance,
    )
    return person
