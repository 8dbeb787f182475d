"""Synthetic people under management for the demo province (`manage.py seed_demo`).

Every name and citizen ID is generated; none belongs to a real person. Proportions follow the
plans' descriptions: mostly addicts and users, some suspects and post-rehab persons, most present,
most with a file, regular tests that are mostly negative. How many depends on the commune's demo
tier (demo.situation): clean and "less complex" communes get a few people, all in
treatment or post-rehab, so that the demo shows drug-free communes.
"""

import datetime
import random

from django.db import transaction

from casefiles.models import (
    CategoryPeriod,
    DrugTest,
    Person,
    PresencePeriod,
    RehabEpisode,
    SupportAction,
)
from communes.models import Commune
from core.text import fold_vietnamese
from demo.situation import demo_tier

# Fixed so that every run, on any day, produces the same rows.
ANCHOR = datetime.date(2026, 11, 20)
BIRTH_PROVINCE = "020"  # Lạng Sơn's code in citizen IDs

SURNAMES = ["Nguyễn", "Hoàng", "Nông", "Lương", "Vi", "Lộc", "Triệu", "Hà", "Lăng", "Chu",
            "Mã", "Trần", "Lê", "Phạm", "Đinh", "Hứa", "Dương", "Lý"]  # fmt: skip
MALE_NAMES = ["Văn An", "Văn Bình", "Văn Cường", "Đức Dũng", "Văn Hải", "Minh Hùng",
              "Văn Khánh", "Văn Long", "Văn Mạnh", "Quang Nam", "Văn Phúc", "Văn Quân",
              "Văn Sơn", "Văn Thắng", "Đức Toàn", "Văn Tuấn", "Văn Việt", "Văn Vũ"]  # fmt: skip
FEMALE_NAMES = ["Thị Hoa", "Thị Lan", "Thị Mai", "Thị Ngọc", "Thị Phương", "Thị Thu",
                "Thị Vân", "Thị Yến"]  # fmt: skip
SUBSTANCES = ["heroin", "methamphetamine", "MDMA", "ketamine", "cần sa"]
TESTERS = ["Trạm Y tế xã", "Công an xã", "Trung tâm Y tế khu vực"]
CATEGORY_WEIGHTS = {"addict": 45, "user": 25, "suspect": 15, "post_rehab": 15}
CLEAN_CATEGORY_WEIGHTS = {"addict": 40, "user": 0, "suspect": 0, "post_rehab": 60}
ABSENCES = ["compulsory_rehab", "prison", "moved_away", "unknown"]


def _pick(rng, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _days_ago(rng, low, high) -> datetime.date:
    return ANCHOR - datetime.timedelta(days=rng.randint(low, high))


class _CommuneRecords:
    """Rows generated for one commune, written in bulk."""

    def __init__(self):
        self.persons, self.categories, self.presences = [], [], []
        self.tests, self.rehab, self.support = [], [], []


def _person(rng, commune, hamlets, number, clean) -> tuple[Person, dict]:
    female = rng.random() < 0.1
    birth = datetime.date(rng.randint(1965, 2006), rng.randint(1, 12), rng.randint(1, 28))
    century_digit = (0 if birth.year < 2000 else 2) + (1 if female else 0)
    citizen_id = (
        f"{BIRTH_PROVINCE}{century_digit}{birth.year % 100:02d}{commune.code[-3:]}{number:03d}"
    )
    name = f"{rng.choice(SURNAMES)} {rng.choice(FEMALE_NAMES if female else MALE_NAMES)}"
    listed_on = _days_ago(rng, 60, 1500)
    hamlet = rng.choice(hamlets) if hamlets else None
    person = Person(
        full_name=name,
        birth_date=birth,
        sex="F" if female else "M",
        citizen_id=citizen_id,
        commune=commune,
        hamlet=hamlet,
        address=f"{hamlet.name}, {commune.name}" if hamlet else commune.name,
        listed_on=listed_on,
        # A clean commune's people all have a file: art. 6.1 counts an unfiled user too.
        file_opened_on=listed_on + datetime.timedelta(days=rng.randint(0, 20))
        if rng.random() < 0.9 or clean
        else None,
        psychosis=rng.random() < 0.05,
        released_prisoner=rng.random() < 0.1,
        responsible=f"Tổ công tác {hamlet.name}" if hamlet else "",
        search_text=fold_vietnamese(f"{name} {citizen_id}"),
    )
    weights = CLEAN_CATEGORY_WEIGHTS if clean else CATEGORY_WEIGHTS
    category = _pick(rng, weights)
    return person, {
        "category": category,
        "listed_on": listed_on,
        "in_treatment": clean and category == "addict",
    }


def _histories(rng, person, plan, records: _CommuneRecords):
    category, listed_on = plan["category"], plan["listed_on"]
    records.categories.append(
        CategoryPeriod(person=person, category=category, started_on=listed_on)
    )
    absent = rng.random() < 0.15 and not plan["in_treatment"]
    status = rng.choice(ABSENCES) if absent else "present"
    records.presences.append(PresencePeriod(person=person, status=status, started_on=listed_on))
    test_count = 0 if category == "suspect" and rng.random() < 0.4 else rng.randint(1, 5)
    days = sorted({rng.randint(0, 330) for _ in range(test_count)})
    for day in days:
        tested_on = ANCHOR - datetime.timedelta(days=day)
        if tested_on < listed_on:
            continue
        positive = rng.random() < (0.35 if category == "addict" else 0.15)
        records.tests.append(
            DrugTest(
                person=person,
                tested_on=tested_on,
                kind="surprise" if rng.random() < 0.3 else "periodic",
                result="positive" if positive else "negative",
                substance=rng.choice(SUBSTANCES) if positive else "",
                tested_by=rng.choice(TESTERS),
            )
        )
    if category == "addict" and (rng.random() < 0.75 or plan["in_treatment"]):
        form = (
            "compulsory_facility"
            if status == "compulsory_rehab"
            else rng.choice(["home_community", "home_community", "methadone", "voluntary_facility"])
        )
        started = max(listed_on, _days_ago(rng, 30, 700))
        ended = started + datetime.timedelta(days=180) if rng.random() < 0.3 else None
        if plan["in_treatment"]:
            # A clean commune's addict is in a treatment art. 6.1 exempts, from the day they
            # were listed and still: the commune is drug-free on every day of the demo's
            # history, its 2025 recognition included.
            form = form if form in ("home_community", "methadone") else "methadone"
            started, ended = listed_on, None
        records.rehab.append(
            RehabEpisode(
                person=person,
                form=form,
                started_on=started,
                ended_on=ended if ended and ended <= ANCHOR else None,
                outcome="completed" if ended and ended <= ANCHOR else "",
            )
        )
    if category == "post_rehab" and rng.random() < 0.6:
        records.support.append(
            SupportAction(
                person=person,
                kind=rng.choice(["job", "vocational_training", "loan", "counselling"]),
                given_on=max(listed_on, _days_ago(rng, 10, 300)),
                provided_by=rng.choice(["Đoàn Thanh niên xã", "Hội Nông dân xã", "UBND xã"]),
            )
        )


# Share of residents under management, by the commune's demo tier (demo.situation).
PEOPLE_SHARE = {
    "type_1": (0.0055, 0.008),
    "type_2": (0.0012, 0.004),
    "type_3": (0.0003, 0.0009),
}


def _people_count(rng, commune, tier) -> int:
    if tier not in PEOPLE_SHARE:
        # Clean and "less complex" communes: a few people, all in treatment or post-rehab.
        return rng.randint(0, 3)
    low, high = PEOPLE_SHARE[tier]
    return max(1, round(commune.population * rng.uniform(low, high)))


@transaction.atomic
def seed_people(communes: list[Commune], registered_names: set[str]) -> int:
    """Create the demo people of `communes` that do not exist yet. Returns how many were added."""
    existing = set(Person.objects.filter(commune__in=communes).values_list("citizen_id", flat=True))
    records = _CommuneRecords()
    plans = []
    for commune in communes:
        rng = random.Random(f"people-{commune.code}")
        hamlets = list(commune.hamlets.active().order_by("name"))
        tier = demo_tier(commune, commune.name in registered_names)
        clean = tier not in PEOPLE_SHARE
        for number in range(_people_count(rng, commune, tier)):
            person, plan = _person(rng, commune, hamlets, number, clean)
            # Draw the history even for existing people, so later communes get the same rows.
            plans.append((person, plan, random.Random(f"history-{person.citizen_id}")))
    new = [(person, plan, rng) for person, plan, rng in plans if person.citizen_id not in existing]
    Person.objects.bulk_create([person for person, _plan, _rng in new])
    for person, plan, rng in new:
        _histories(rng, person, plan, records)
    for model, rows in (
        (CategoryPeriod, records.categories),
        (PresencePeriod, records.presences),
        (DrugTest, records.tests),
        (RehabEpisode, records.rehab),
        (SupportAction, records.support),
    ):
        model.objects.bulk_create(rows, batch_size=500)
    return len(new)
