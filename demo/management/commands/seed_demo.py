import datetime
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from assessments.models import Assessment, ProvinceRun
from assessments.runs import province_run_build
from assessments.services import assess_communes, assessments_store
from casefiles.models import Person
from communes.models import Commune, Hamlet, Province
from demo import places
from demo.people import seed_people
from demo.situation import seed_situation

# (username, role, full name). Synthetic people only.
DEMO_USERS = [
    ("canbo.xa", Role.COMMUNE_OFFICER, "Nguyễn Văn", "An"),
    ("canbo.tinh", Role.PROVINCIAL_OFFICER, "Trần Thị", "Bình"),
    ("lanhdao", Role.LEADER, "Lê Văn", "Cường"),
    ("quantri", Role.ADMIN, "Phạm Thị", "Dung"),
]
DEMO_OFFICER_COMMUNE = places.REGISTERED_2025[0]
# The last day of the province's previous annual report (up to 10/12/2025), stored so the
# report and the province table (the period since 15/12/2025) can show how communes moved.
PREVIOUS_YEAR_END = datetime.date(2025, 12, 10)


def upsert(model, lookup: dict, values: dict):
    """Create the row or bring it to `values`, saving only when something differs.

    Saving unchanged rows would add empty entries to the audit log on every run.
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values), True
    changed = [field for field, value in values.items() if getattr(row, field) != value]
    if changed:
        for field in changed:
            setattr(row, field, values[field])
        row.save(update_fields=changed)
    return row, False


class Command(BaseCommand):
    help = "Create or refresh the demo province (Lạng Sơn, 65 communes) and one user per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for the demo users this run creates (default: random, printed once).",
        )

    @transaction.atomic
    def handle(self, *args, password=None, **options):
        province, _created = upsert(
            Province,
            {"code": places.PROVINCE_CODE},
            # Lạng Sơn's plan reports up to 10 June and 10 December, due two days later (seed
            # 004): report cut-offs only; its communes are assessed over 15/12 – 14/12.
            {
                "name": places.PROVINCE_NAME,
                "year_end_month": 12,
                "year_end_day": 10,
                "report_due_days": 2,
            },
        )
        communes = self._seed_places(province)
        self._seed_users(province, communes[DEMO_OFFICER_COMMUNE], password)
        registered = set(places.REGISTERED_2025)
        seeded = seed_situation(province, list(communes.values()), registered)
        self.stdout.write(f"Area registers: {seeded} communes filled by this run.")
        added = seed_people(list(communes.values()), registered)
        total = Person.objects.filter(commune__province=province).count()
        self.stdout.write(f"People under management: {total} ({added} added by this run).")
        self._seed_previous_assessment(province)
        self._seed_province_run(province)

    def _seed_previous_assessment(self, province):
        """The end of the previous programme year, stored, so pages can show how communes moved."""
        communes = province.communes.select_related("province")
        if Assessment.objects.filter(commune__province=province).exists():
            return
        results = assess_communes(communes, as_of=PREVIOUS_YEAR_END)
        assessments_store(results)
        self.stdout.write(f"Assessment of {PREVIOUS_YEAR_END:%d/%m/%Y} stored for comparison.")

    def _seed_province_run(self, province):
        """Today's figures, as the nightly province run would leave them, so the dashboard and
        the province table have something to show on a fresh demo (built here, not queued)."""
        if ProvinceRun.objects.filter(province=province, as_of=timezone.localdate()).exists():
            return
        run = ProvinceRun.objects.create(province=province, as_of=timezone.localdate())
        run = province_run_build(run.pk)
        self.stdout.write(f"Province run of {run.as_of:%d/%m/%Y}: {run.get_state_display()}.")

    def _seed_places(self, province) -> dict[str, Commune]:
        communes = {}
        for item in places.demo_communes():
            commune, _created = upsert(
                Commune,
                {"code": item.code},
                {
                    "province": province,
                    "name": item.name,
                    "kind": item.kind,
                    "population": item.population,
                    "households": item.households,
                    "on_key_route": item.on_key_route,
                    "border": item.border,
                    "former_district": item.former_district,
                },
            )
            communes[item.name] = commune
            for hamlet in item.hamlets:
                upsert(
                    Hamlet,
                    {"commune": commune, "name": hamlet.name},
                    {
                        "households": hamlet.households,
                        "hotline_board": hamlet.hotline_board,
                        "mailbox": hamlet.mailbox,
                    },
                )
        hamlet_count = Hamlet.objects.filter(commune__province=province).count()
        self.stdout.write(f"{province.name}: {len(communes)} communes, {hamlet_count} hamlets.")
        return communes

    def _seed_users(self, province, officer_commune, password):
        areas = {
            Role.COMMUNE_OFFICER: {"province": province, "commune": officer_commune},
            Role.PROVINCIAL_OFFICER: {"province": province, "commune": None},
            Role.LEADER: {"province": province, "commune": None},
            Role.ADMIN: {"province": None, "commune": None},
        }
        for username, role, first_name, last_name in DEMO_USERS:
            user, created = upsert(
                User,
                {"username": username},
                {
                    "role": role,
                    "first_name": first_name,
                    "last_name": last_name,
                    "is_superuser": role == Role.ADMIN,
                    "is_staff": role in (Role.ADMIN, Role.PROVINCIAL_OFFICER),
                    **areas[role],
                },
            )
            if created:
                user_password = password or secrets.token_urlsafe(12)
                user.set_password(user_password)
                user.save(update_fields=["password"])
                self.stdout.write(f"  {username:<12} {role.label:<28} password: {user_password}")
            else:
                self.stdout.write(f"  {username:<12} {role.label:<28} exists, password unchanged")
