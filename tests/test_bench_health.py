import re

import pytest
from django.core.management import CommandError, call_command

from alliances.models import Alliance, HealthSnapshot, Organization, User


def test_bench_measures_the_portfolio_and_the_checks_and_cleans_up(db, capsys):
    call_command("bench_health", "--count", "12")

    portfolio, checks = capsys.readouterr().out.strip().splitlines()[-2:]
    assert re.fullmatch(r"portfolio of 12 alliances: \d+ queries in [\d.]+ s", portfolio)
    assert re.fullmatch(r"health-checked 12 alliances in [\d.]+ s: [\d,]+/s, snapshots 12", checks)
    assert not Alliance.objects.exists()
    assert not Organization.objects.exists()
    assert not User.objects.exists()
    assert not HealthSnapshot.objects.exists()


def test_bench_refuses_nonsense(db):
    with pytest.raises(CommandError):
        call_command("bench_health", "--count", "0")
