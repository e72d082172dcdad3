"""Check every alliance's trust ledger chain and name the first broken entry, if any."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alliances.models import Alliance
from trustaccount import ledger
from trustaccount.models import TrustEntry


class Command(BaseCommand):
    help = "Verify the hash chain of the trust ledgers; exits with an error if one is broken."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--alliance", type=int, help="Only this alliance (its id).")

    def handle(self, *args: Any, alliance: int | None = None, **options: Any) -> None:
        alliances = Alliance.objects.filter(
            pk__in=TrustEntry.objects.values("alliance_id")
        ).order_by("pk")
        if alliance is not None:
            alliances = alliances.filter(pk=alliance)
        broken = 0
        for each in alliances:
            found = ledger.verify(each)
            if found is None:
                self.stdout.write(f"{each}: intact")
            else:
                broken += 1
                self.stdout.write(f"{each}: broken at entry {found.sequence}: {found.reason}")
        if broken:
            raise CommandError(f"{broken} ledger(s) broken.")
