import re

import pytest
from django.core.management import CommandError, call_command

from alliances.models import Alliance, Notification, OutboundEmail, User


def test_bench_sweeps_everything_once_and_cleans_up(db, capsys):
    call_command("bench_timers", "--count", "25")

    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"swept 25 due timers in [\d.]+ s: [\d,]+/s, lost 0, duplicates 0", last)
    assert not Alliance.objects.exists()
    assert not User.objects.exists()
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_bench_refuses_nonsense(db):
    with pytest.raises(CommandError):
        call_command("bench_timers", "--count", "0")
