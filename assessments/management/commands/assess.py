"""`python manage.py assess --province CODE --as-of YYYY-MM-DD [--profile P] [--json] [--dry-run]`
(contracts.md §4)."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.rules import UnknownProfile
from communes.models import Province


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Classify every commune of a province and check it against the recognition criteria."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="province code")
        parser.add_argument("--as-of", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--profile", help="profile code for every commune")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--dry-run", action="store_true", help="do not store the run")

    def handle(self, *args, province, as_of, profile=None, json=False, dry_run=False, **options):
        found = Province.objects.filter(code=province).first()
        if found is None:
            raise CommandError(f"No province with code {province!r}")
        try:
            results = services.assess_communes(found.communes.all(), as_of=as_of, profile=profile)
        except UnknownProfile as error:
            raise CommandError(str(error)) from None
        if not dry_run:
            services.assessments_store(results)
        if json:
            self._print_json(province, as_of, results)
        else:
            self._print_table(results, stored=not dry_run)

    def _print_json(self, province, as_of, results):
        payload = {
            "province": province,
            "as_of": as_of.isoformat(),
            "communes": [result.as_json() for result in results],
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False))

    def _print_table(self, results, *, stored):
        for result in results:
            eligible = "eligible" if result.eligible else "-"
            reasons = ",".join(result.classification.reasons)
            # The profile's own level, where it has one, beside the level of record.
            own = (
                f"  ({result.profile.code}: {result.profile_level.value})"
                if result.profile_level
                else ""
            )
            self.stdout.write(
                f"{result.commune.code}  {result.commune.name:<24} "
                f"{result.classification.level.value:<13} {eligible:<9} {reasons}{own}"
            )
        self.stdout.write(f"{len(results)} communes assessed{'' if stored else ' (not stored)'}.")
