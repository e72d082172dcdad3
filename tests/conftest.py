"""Personas and the strict mode.

The personas are the people every test speaks about: in the pilot alliance a coalition manager,
a partner representative and a steering committee member; and an outsider, who belongs to
another alliance only.

Under STRICT=1 (CI) a test that needs PostgreSQL or Chromium fails instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection

from alliances.models import Alliance, Partner, Role, User
from config.celery import app as celery_app

from .factories import AllianceFactory, MembershipFactory, PartnerFactory, RoleFactory, UserFactory

STRICT = os.environ.get("STRICT") == "1"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def skip_or_fail(reason: str) -> None:
    if STRICT:
        pytest.fail(f"STRICT=1: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Sign-in and API throttle counters live in the cache, which outlives a test's transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Every persona has a hashed password; a slow hasher only costs time in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline() -> Iterator[None]:
    """Tasks enqueued on commit run in the test process; worker tests switch this off."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _ledger_emptied_after_committed_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests on committed data end with pytest-django emptying every table. The database
    refuses that for a trust ledger holding entries (it is append-only), so such tests
    first erase the ledger with its triggers lifted: test scaffolding, nothing else."""
    committed = any(name in request.fixturenames for name in ("transactional_db", "live_server"))
    if committed:
        request.getfixturevalue("transactional_db")  # set up first, so flushed after this
    yield
    if committed:
        _erase_trust_ledger()


def _erase_trust_ledger() -> None:
    from importlib import import_module

    triggers = import_module("trustaccount.migrations.0002_append_only_ledger")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE trustaccount_trustentry DISABLE TRIGGER USER")
        else:
            for sql in triggers.SQLITE_DOWN:
                cursor.execute(sql)
        cursor.execute("DELETE FROM trustaccount_trustconfirmation")
        cursor.execute("DELETE FROM trustaccount_trustentry")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE trustaccount_trustentry ENABLE TRIGGER USER")
        else:
            for sql in triggers.SQLITE_UP:
                cursor.execute(sql)


@pytest.fixture
def postgres(db: None) -> None:
    """Marks a test that needs PostgreSQL's locking (concurrency tests)."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")


@dataclass
class Pilot:
    alliance: Alliance
    techco: Partner
    logicorp: Partner
    greenalliance: Partner
    manager: User
    rep: User
    steering: User


@pytest.fixture
def pilot(db: None) -> Pilot:
    alliance = AllianceFactory(name="Last-mile carbon pilot")
    techco = PartnerFactory(alliance=alliance, organization__name="TechCo", resource_share=40)
    logicorp = PartnerFactory(alliance=alliance, organization__name="LogiCorp", resource_share=35)
    green = PartnerFactory(alliance=alliance, organization__name="GreenAlliance", resource_share=25)
    manager = UserFactory(email="manager@greenalliance.example")
    rep = UserFactory(email="rep@techco.example")
    steering = UserFactory(email="steering@logicorp.example")
    for person, partner in ((manager, green), (rep, techco), (steering, logicorp)):
        MembershipFactory(person=person, organization=partner.organization)
    RoleFactory(alliance=alliance, person=manager, kind=Role.Kind.COALITION_MANAGER)
    RoleFactory(
        alliance=alliance, person=rep, kind=Role.Kind.PARTNER_REPRESENTATIVE, partner=techco
    )
    RoleFactory(
        alliance=alliance, person=steering, kind=Role.Kind.STEERING_COMMITTEE, partner=logicorp
    )
    return Pilot(alliance, techco, logicorp, green, manager, rep, steering)


@pytest.fixture
def outsider(db: None) -> User:
    """Manages an alliance of their own and belongs to nothing of the pilot's."""
    person = UserFactory(email="outsider@elsewhere.example")
    other = AllianceFactory(name="Packaging coalition")
    partner = PartnerFactory(alliance=other, organization__name="Elsewhere Ltd")
    MembershipFactory(person=person, organization=partner.organization)
    RoleFactory(alliance=other, person=person, kind=Role.Kind.COALITION_MANAGER)
    return person


@pytest.fixture
def manager(pilot: Pilot) -> User:
    return pilot.manager


@pytest.fixture
def rep(pilot: Pilot) -> User:
    return pilot.rep


@pytest.fixture
def steering(pilot: Pilot) -> User:
    return pilot.steering
