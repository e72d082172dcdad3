"""The trust pages, per persona: the trust account, quick deposits, the ledger and its CSV."""

import re

import pytest
from django.db import connection, transaction
from django.urls import reverse

from tests.trustaccount.ledger_data import bypass_the_triggers as _bypass_the_triggers
from tests.trustaccount.ledger_data import record as _record
from trustaccount import ledger
from trustaccount.models import Category, TrustEntry

DEPOSIT, WITHDRAWAL = TrustEntry.Kind.DEPOSIT, TrustEntry.Kind.WITHDRAWAL


def _url(name, pilot, **kwargs):
    return reverse(name, kwargs={"alliance_pk": pilot.alliance.pk, **kwargs})


def test_outsider_gets_404_for_the_trust_page(client, pilot, outsider):
    client.force_login(outsider)
    assert client.get(_url("trust", pilot)).status_code == 404


def test_steering_member_sees_the_trust_page_but_cannot_log(client, pilot):
    client.force_login(pilot.steering)
    page = client.get(_url("trust", pilot))
    assert page.status_code == 200
    assert "A trust deposit is a small act" in page.content.decode()
    assert client.get(_url("trust_log", pilot)).status_code == 403


def test_rep_logs_a_deposit_from_the_phone_form_once_even_when_posted_twice(client, pilot):
    client.force_login(pilot.rep)
    form = client.get(_url("trust_log", pilot)).content.decode()
    key = re.findall(r'name="idempotency_key" value="([^"]+)"', form)[0]
    assert 'type="radio"' in form  # categories as big radio buttons
    tap = {"category": Category.INFORMATION_SHARED_EARLY, "counterpart": pilot.logicorp.pk,
           "note": "Shared the bug before release", "idempotency_key": key,
           "actor": pilot.techco.pk}  # fmt: skip

    first = client.post(_url("trust_log", pilot), tap)
    again = client.post(_url("trust_log", pilot), tap)

    assert first.status_code == again.status_code == 302
    entry = TrustEntry.objects.get()
    assert (entry.actor, entry.counterpart, entry.kind) == (pilot.techco, pilot.logicorp, DEPOSIT)
    assert entry.needs_confirmation


def test_rep_cannot_log_for_another_partner_nor_a_withdrawal(client, pilot):
    client.force_login(pilot.rep)
    response = client.post(_url("trust_log", pilot), {
        "category": Category.BREACH, "actor": pilot.logicorp.pk, "idempotency_key": "x",
    })  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert "category" in form.errors
    assert "actor" in form.errors
    assert not TrustEntry.objects.exists()


def test_manager_records_a_withdrawal(client, pilot):
    client.force_login(pilot.manager)
    response = client.post(_url("trust_log", pilot), {
        "kind": WITHDRAWAL, "category": Category.COMMITMENT_MISSED, "actor": pilot.logicorp.pk,
        "counterpart": pilot.greenalliance.pk, "idempotency_key": "w1",
    })  # fmt: skip
    assert response.status_code == 302
    assert ledger.balances(pilot.alliance).per_partner == {pilot.logicorp.pk: -3}


def test_confirmation_by_another_partner_moves_the_balance(client, pilot):
    entry = _record(pilot, "k1", counterpart=pilot.logicorp)
    client.force_login(pilot.steering)
    page = client.get(_url("trust", pilot)).content.decode()
    assert _url("trust_entry_confirm", pilot, entry_pk=entry.pk) in page

    client.post(_url("trust_entry_confirm", pilot, entry_pk=entry.pk))

    assert ledger.balances(pilot.alliance).alliance == 3


def test_the_actor_cannot_confirm_its_own_deposit(client, pilot):
    entry = _record(pilot, "k1")
    client.force_login(pilot.rep)
    assert _url("trust_entry_confirm", pilot, entry_pk=entry.pk) not in (
        client.get(_url("trust", pilot)).content.decode()
    )
    response = client.post(_url("trust_entry_confirm", pilot, entry_pk=entry.pk))
    assert response.status_code == 403


def test_manager_reverses_an_entry_with_a_reason(client, pilot):
    entry = _record(pilot, "k1", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED)
    client.force_login(pilot.manager)
    url = _url("trust_entry_reverse", pilot, entry_pk=entry.pk)

    refused = client.post(url, {"note": "", "idempotency_key": "r1"})
    done = client.post(url, {"note": "Logged twice", "idempotency_key": "r1"})

    assert refused.status_code == 200
    assert "note" in refused.context["form"].errors
    assert done.status_code == 302
    assert ledger.balances(pilot.alliance).alliance == 0
    ledger_page = client.get(_url("trust_ledger", pilot)).content.decode()
    assert "Reversed by #2" in ledger_page


def test_rep_cannot_reverse(client, pilot):
    entry = _record(pilot, "k1")
    client.force_login(pilot.rep)
    response = client.post(
        _url("trust_entry_reverse", pilot, entry_pk=entry.pk), {"note": "x", "idempotency_key": "r"}
    )
    assert response.status_code == 403


def test_ledger_filters_and_csv(client, pilot):
    _record(pilot, "a", note="Bug shared")
    _record(pilot, "b", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED,
            note="=cmd|thanks")  # fmt: skip
    _record(pilot, "c", by=pilot.manager, kind=WITHDRAWAL, category=Category.BREACH,
            actor=pilot.greenalliance, note="Breach")  # fmt: skip
    client.force_login(pilot.steering)

    by_kind = client.get(_url("trust_ledger", pilot), {"kind": WITHDRAWAL})
    by_partner = client.get(_url("trust_ledger", pilot), {"partner": pilot.logicorp.pk})
    csv = client.get(
        _url("trust_ledger_csv", pilot), {"category": Category.INFORMATION_SHARED_EARLY}
    )

    assert [e.note for e in by_kind.context["page"]] == ["Breach"]
    assert [e.note for e in by_partner.context["page"]] == ["=cmd|thanks"]
    assert csv["Content-Type"].startswith("text/csv")
    rows = csv.content.decode().strip().splitlines()
    assert len(rows) == 2
    assert "Bug shared" in rows[1]
    everything = client.get(_url("trust_ledger_csv", pilot)).content.decode()
    assert "'=cmd|thanks" in everything  # a spreadsheet does not run it


def test_htmx_filter_gets_the_results_partial(client, pilot):
    _record(pilot, "a")
    client.force_login(pilot.rep)
    response = client.get(_url("trust_ledger", pilot), {"kind": DEPOSIT}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="ledger-results">')


def test_the_trend_chart_has_a_text_alternative(client, pilot):
    _record(pilot, "a", by=pilot.manager, actor=pilot.logicorp, category=Category.OTHER)
    client.force_login(pilot.rep)
    page = client.get(_url("trust", pilot)).content.decode()
    assert '<svg class="trend__svg"' in page
    assert '<title id="trend-title">' in page
    assert '<desc id="trend-desc">' in page
    assert '<table class="visually-hidden">' in page


def test_an_intact_chain_says_so(client, pilot):
    _record(pilot, "a")
    client.force_login(pilot.rep)
    assert "Chain check: intact" in client.get(_url("trust", pilot)).content.decode()


def test_a_tampered_ledger_shows_the_broken_entry(client, pilot):
    for n in range(3):
        _record(pilot, f"k{n}", actor=pilot.logicorp, category=Category.CONTRIBUTION_ACKNOWLEDGED,
                note="Thanks for the quick fix")  # fmt: skip
    client.force_login(pilot.manager)
    with transaction.atomic(), connection.cursor() as cursor:
        _bypass_the_triggers(cursor)
        cursor.execute("UPDATE trustaccount_trustentry SET points = 50 WHERE sequence = 2")
        page = client.get(_url("trust", pilot)).content.decode()
        transaction.set_rollback(True)

    assert "tampered with at entry #2" in page
    assert "Chain check: intact" not in page


def _fill(pilot, size):
    for n in range(size):
        entry = _record(pilot, f"k{n}", counterpart=pilot.logicorp, note=f"n{n}")
        if n % 2:
            ledger.entry_confirm(entry=entry, by=pilot.steering, partner=pilot.logicorp)


@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("name", ["trust", "trust_ledger", "trust_ledger_csv"])
def test_query_counts_do_not_grow_with_the_ledger(
    client, pilot, size, name, django_assert_num_queries
):
    _fill(pilot, size)
    client.force_login(pilot.steering)
    expected = {"trust": 17, "trust_ledger": 9, "trust_ledger_csv": 4}[name]
    with django_assert_num_queries(expected):
        assert client.get(_url(name, pilot)).status_code == 200
