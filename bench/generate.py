"""Synthetic, internally consistent load data for the benchmarks (`manage.py generate_load_data`).

Repeatable from the seed. Large tables are written with PostgreSQL's COPY (bulk inserts in
batches on SQLite, for the smoke run), with explicit ids so that related rows can point at them.
Every name and citizen ID is made up.
"""

import csv
import datetime
import io
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from assessments.models import Registration
from casefiles.models import CategoryPeriod, DrugTest, Person, PresencePeriod, RehabEpisode
from communes.models import Commune, Hamlet, Hotspot, Household, Offence, Pledge, Province
from core.text import fold_vietnamese


@dataclass(frozen=True)
class Scale:
    provinces: int
    communes: int  # in all
    hamlets_per_commune: int
    households: int  # in all
    persons: int
    tests: int
    rehab: int
    hotspots: int
    offences: int
    registrations_per_province: int


SCALES = {
    "smoke": Scale(1, 12, 5, 2_400, 300, 1_500, 150, 60, 120, 4),
    "province": Scale(1, 170, 10, 4_000_000, 40_000, 500_000, 60_000, 5_000, 20_000, 40),
    "national": Scale(34, 3_321, 10, 27_000_000, 230_000, 2_500_000, 345_000, 28_700, 115_000, 40),
}
FIRST_PROVINCE_CODE = 60  # bench provinces are 60, 61, …; the demo province is 20
TODAY = datetime.date(2026, 11, 20)
BATCH = 100_000


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def write(model, columns: list[str], rows) -> int:
    """Insert `rows` (tuples in `columns` order) in batches: COPY on PostgreSQL."""
    count = 0
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            count += _write_batch(model, columns, batch)
            batch = []
    if batch:
        count += _write_batch(model, columns, batch)
    if connection.vendor == "postgresql" and "id" in columns:
        with connection.cursor() as cursor:
            table = model._meta.db_table
            # Explicit ids were written: move the sequence past them. Table names are ours.
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, (SELECT MAX(id) FROM {table}))")  # noqa: S608
    return count


def _write_batch(model, columns, batch) -> int:
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in batch:
            writer.writerow(["\\N" if value is None else value for value in row])
        buffer.seek(0)
        with connection.cursor() as cursor:
            target = f"{model._meta.db_table} ({', '.join(columns)})"
            cursor.copy_expert(f"COPY {target} FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
    else:
        fields = {field.column: field.attname for field in model._meta.concrete_fields}
        model.objects.bulk_create(
            [model(**{fields[c]: v for c, v in zip(columns, row, strict=True)}) for row in batch],
            batch_size=2_000,
        )
    return len(batch)


def _places(rng, scale) -> list[Commune]:
    communes = []
    per_province = [scale.communes // scale.provinces] * scale.provinces
    per_province[-1] += scale.communes - sum(per_province)
    for index, count in enumerate(per_province):
        code = f"{FIRST_PROVINCE_CODE + index}"
        province, _ = Province.objects.update_or_create(
            code=code, defaults={"name": f"Tỉnh Thử {code}"}
        )
        rows = []
        for number in range(1, count + 1):
            name = f"Xã Thử {code}-{number:03d}"
            commune_code = f"{code}{number:03d}"
            rows.append(
                Commune(
                    province=province,
                    code=commune_code,
                    name=name,
                    kind="xa",
                    population=rng.randint(8_000, 30_000),
                    households=0,
                    on_key_route=rng.random() < 0.15,
                    border=rng.random() < 0.05,
                    search_text=fold_vietnamese(f"{name} {commune_code}"),
                )
            )
        communes += Commune.objects.bulk_create(rows)
    return communes


def _hamlets(scale, communes) -> dict[int, list[int]]:
    rows = [
        Hamlet(
            commune=commune, name=f"Thôn {number}", households=0, hotline_board=True, mailbox=True
        )
        for commune in communes
        for number in range(1, scale.hamlets_per_commune + 1)
    ]
    by_commune: dict[int, list[int]] = {}
    for hamlet in Hamlet.objects.bulk_create(rows, batch_size=5_000):
        by_commune.setdefault(hamlet.commune_id, []).append(hamlet.pk)
    return by_commune


def _households(rng, scale, communes, hamlets) -> int:
    """Households spread evenly; 90–100% of each commune's households have pledged."""
    per_commune = scale.households // len(communes)
    now = timezone.now().isoformat()
    first = _next_id(Household)
    signed_share = {c.pk: rng.uniform(0.9, 1.0) for c in communes}

    def households():
        next_id = first
        for commune in communes:
            ids = hamlets[commune.pk]
            for number in range(per_commune):
                yield (
                    next_id,
                    now,
                    now,
                    None,
                    "",
                    f"{commune.code}-{number:07d}",
                    "Chủ hộ",
                    commune.pk,
                    ids[number % len(ids)],
                    None,
                )
                next_id += 1

    write(
        Household,
        [
            "id",
            "created_at",
            "updated_at",
            "voided_on",
            "void_reason",
            "household_code",
            "head_name",
            "commune_id",
            "hamlet_id",
            "recorded_by_id",
        ],
        households(),
    )

    def pledges():
        next_id = first
        for commune in communes:
            limit = int(per_commune * signed_share[commune.pk])
            for number in range(per_commune):
                if number < limit:
                    yield (next_id, "2026-03-01", None, now)
                next_id += 1

    write(
        Pledge,
        ["household_id", "signed_on", "recorded_by_id", "created_at"],
        ((hid, day, by, at) for hid, day, by, at in pledges()),
    )
    Commune.objects.filter(pk__in=[c.pk for c in communes]).update(households=per_commune)
    return per_commune * len(communes)


def _people(rng, scale, communes, hamlets) -> list[int]:
    now = timezone.now().isoformat()
    first = _next_id(Person)
    categories = ["addict"] * 45 + ["user"] * 25 + ["suspect"] * 15 + ["post_rehab"] * 15
    persons, category_rows, presence_rows = [], [], []
    for offset in range(scale.persons):
        person_id = first + offset
        commune = communes[offset % len(communes)]
        birth = datetime.date(1970 + offset % 35, 1 + offset % 12, 1 + offset % 28)
        citizen_id = (
            f"001{0 if birth.year < 2000 else 2}{birth.year % 100:02d}{person_id % 1_000_000:06d}"
        )
        listed = TODAY - datetime.timedelta(days=30 + offset % 900)
        name = f"Người Thử {person_id}"
        persons.append(
            (
                person_id,
                name,
                birth.isoformat(),
                "M",
                citizen_id,
                commune.pk,
                hamlets[commune.pk][offset % len(hamlets[commune.pk])],
                "",
                listed.isoformat(),
                listed.isoformat(),
                False,
                False,
                "",
                None,
                "",
                "",
                1,
                fold_vietnamese(f"{name} {citizen_id}"),
                now,
                now,
            )
        )
        category_rows.append(
            (person_id, rng.choice(categories), listed.isoformat(), None, None, now)
        )
        status = "present" if rng.random() < 0.85 else "prison"
        presence_rows.append((person_id, status, listed.isoformat(), None, None, now))
    write(
        Person,
        [
            "id",
            "full_name",
            "birth_date",
            "sex",
            "citizen_id",
            "commune_id",
            "hamlet_id",
            "address",
            "listed_on",
            "file_opened_on",
            "psychosis",
            "released_prisoner",
            "responsible",
            "closed_on",
            "close_reason",
            "close_note",
            "version",
            "search_text",
            "created_at",
            "updated_at",
        ],
        persons,
    )
    period_columns = ["person_id", "{}", "started_on", "ended_on", "recorded_by_id", "recorded_at"]
    write(CategoryPeriod, [c.format("category") for c in period_columns], category_rows)
    write(PresencePeriod, [c.format("status") for c in period_columns], presence_rows)
    return list(range(first, first + scale.persons))


def _tests_and_rehab(rng, scale, person_ids):
    now = timezone.now().isoformat()

    def tests():
        seen = set()
        for index in range(scale.tests):
            person_id = person_ids[index % len(person_ids)]
            day = TODAY - datetime.timedelta(
                days=(index // len(person_ids)) * 11 + rng.randint(0, 9)
            )
            kind = "surprise" if index % 4 == 0 else "periodic"
            if (person_id, day, kind) in seen:
                continue
            seen.add((person_id, day, kind))
            result = "positive" if rng.random() < 0.2 else "negative"
            yield (person_id, day.isoformat(), kind, result, "", "", None, now)

    write(
        DrugTest,
        [
            "person_id",
            "tested_on",
            "kind",
            "result",
            "substance",
            "tested_by",
            "recorded_by_id",
            "recorded_at",
        ],
        tests(),
    )
    forms = ["home_community", "methadone", "voluntary_facility", "compulsory_facility"]
    write(
        RehabEpisode,
        [
            "person_id",
            "form",
            "started_on",
            "ended_on",
            "outcome",
            "note",
            "recorded_by_id",
            "recorded_at",
        ],
        (
            (
                person_ids[i % len(person_ids)],
                forms[i % 4],
                (TODAY - datetime.timedelta(days=30 + i % 600)).isoformat(),
                None,
                "",
                "",
                None,
                now,
            )
            for i in range(scale.rehab)
        ),
    )


def _situation(rng, scale, communes):
    now = timezone.now().isoformat()
    kinds = ["harbouring", "retail", "den", "ring", "other"]
    write(
        Hotspot,
        [
            "commune_id",
            "ref",
            "kind",
            "hamlet_id",
            "location",
            "detected_on",
            "eradicated_on",
            "re_emerged_from_id",
            "note",
            "recorded_by_id",
            "created_at",
            "updated_at",
            "voided_on",
            "void_reason",
        ],
        (
            (
                communes[i % len(communes)].pk,
                f"H{i}",
                kinds[i % 5],
                None,
                "",
                (TODAY - datetime.timedelta(days=i % 700)).isoformat(),
                # Every third one eradicated, some days after it was detected.
                (TODAY - datetime.timedelta(days=i % 700 - min(i % 200, i % 700))).isoformat()
                if i % 3 == 0
                else None,
                None,
                "",
                None,
                now,
                now,
                None,
                "",
            )
            for i in range(scale.hotspots)
        ),
    )
    write(
        Offence,
        [
            "commune_id",
            "ref",
            "occurred_on",
            "kind",
            "offenders",
            "offenders_arrested",
            "resident_offenders",
            "serious",
            "by_managed_person",
            "psychosis_incident",
            "by_drug_user",
            "note",
            "recorded_by_id",
            "created_at",
            "updated_at",
            "voided_on",
            "void_reason",
        ],
        (
            (
                communes[i % len(communes)].pk,
                f"V{i}",
                (TODAY - datetime.timedelta(days=i % 600)).isoformat(),
                "trafficking",
                2,
                1 + i % 2,
                1,
                i % 50 == 0,
                i % 30 == 0,
                False,
                i % 30 == 0,  # by_drug_user: as by_managed_person
                "",
                None,
                now,
                now,
                None,
                "",
            )
            for i in range(scale.offences)
        ),
    )


@transaction.atomic
def generate(scale_name: str, seed: int = 1) -> dict:
    """Fill the database at a scale; returns the row counts written."""
    scale = SCALES[scale_name]
    rng = random.Random(seed)
    communes = _places(rng, scale)
    hamlets = _hamlets(scale, communes)
    households = _households(rng, scale, communes, hamlets)
    person_ids = _people(rng, scale, communes, hamlets)
    _tests_and_rehab(rng, scale, person_ids)
    _situation(rng, scale, communes)
    by_province: dict[int, list[Commune]] = {}
    for commune in communes:
        by_province.setdefault(commune.province_id, []).append(commune)
    Registration.objects.bulk_create(
        Registration(commune=commune, year=2026, registered_on=datetime.date(2025, 12, 10))
        for group in by_province.values()
        for commune in group[: scale.registrations_per_province]
    )
    return {"communes": len(communes), "households": households, "persons": len(person_ids)}


def refresh_statistics() -> None:
    """ANALYZE after the bulk load: the planner's row estimates come from these statistics, and
    a server with autovacuum off (as the bench machine's) would otherwise plan with none
    (measured: the pledge count ran as a nested loop over 4 M households, 10 s instead of 5)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
