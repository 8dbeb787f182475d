"""The demo province's area registers, for `manage.py seed_demo`.

Each commune gets a tier that decides its situation, so that the demo spreads over every class
of Decision 28: the 16 registered communes are kept clean (drug-free candidates), the others are
drawn as Type I, II, III or "less complex". Dates fall in the assessment period that contains
demo.people.ANCHOR (15/12/2025 – 14/12/2026). Rows are only added, never changed, so a
second run adds nothing.

The registered communes are judged on the Lạng Sơn profile, which reads the plan per hamlet
(seed 004, II.1: every "thôn, xóm, bản, làng, khu dân cư ký cam kết", "ít nhất 01 mô hình/tổ,
xóm"): most of their hamlets signed a pledge and keep a model, and some communes still miss one.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from assessments.models import CaseEvent, CaseState, RecognitionCase, Registration, RoadmapTarget
from assessments.rules import assessment_period
from communes.models import (
    Commune,
    CultivationFind,
    HamletPledge,
    Hotspot,
    Household,
    Offence,
    OutreachActivity,
    Pledge,
    PreventionModel,
    Province,
    WantedPerson,
)

PERIOD_END = datetime.date(2026, 11, 20)  # the demo's "today" (demo.people.ANCHOR)
PERIOD_START = assessment_period(PERIOD_END)[0]  # 15/12/2025
TIERS = {"type_1": 8, "type_2": 22, "type_3": 52, "less_complex": 10, "clean": 8}
# Lạng Sơn's roadmap as its plan writes it (seed 004): cumulative drug-free communes.
LANG_SON_ROADMAP = {2025: 16, 2026: 17, 2027: 20, 2028: 26, 2029: 29, 2030: 33}
REGISTERED_ON = datetime.date(2025, 8, 15)
REGISTERED_ON_2026 = datetime.date(2025, 12, 10)
DECISION_2025 = datetime.date(2025, 12, 12)
FORENAMES = ["Văn Hùng", "Thị Hoa", "Văn Sơn", "Văn Tài", "Thị Mai", "Đức Minh", "Văn Lợi"]
SURNAMES = ["Hoàng", "Nông", "Lương", "Vi", "Lộc", "Triệu", "Hà", "Nguyễn"]


def demo_tier(commune: Commune, registered: bool) -> str:
    if registered:
        return "clean"
    rng = random.Random(f"tier-{commune.code}")
    return rng.choices(list(TIERS), weights=list(TIERS.values()))[0]


def _day(rng) -> datetime.date:
    span = (PERIOD_END - PERIOD_START).days
    return PERIOD_START + datetime.timedelta(days=rng.randint(0, span))


def _hotspots(rng, commune, tier, hamlets):
    harbouring = {"type_1": rng.randint(2, 3), "type_2": 1}.get(tier, 0)
    rows = [
        Hotspot(
            commune=commune,
            ref=f"DEMO-D{n}",
            kind="harbouring",
            hamlet=rng.choice(hamlets),
            detected_on=_day(rng),
            location="Nhà riêng",
        )
        for n in range(1, harbouring + 1)
    ]
    if tier in ("type_1", "type_2", "type_3") and rng.random() < 0.5:
        rows.append(
            Hotspot(
                commune=commune,
                ref="DEMO-BL1",
                kind="retail",
                hamlet=rng.choice(hamlets),
                detected_on=_day(rng),
                location="Quán nước đầu thôn",
            )
        )
    # An old hotspot eradicated before the period, as most communes have.
    detected = datetime.date(2024, rng.randint(1, 6), rng.randint(1, 28))
    rows.append(
        Hotspot(
            commune=commune,
            ref="DEMO-CU1",
            kind="den",
            hamlet=rng.choice(hamlets),
            detected_on=detected,
            eradicated_on=detected + datetime.timedelta(days=120),
            location="Bãi đất trống",
        )
    )
    return rows


def _arrests_wanted(tier, population, rng) -> int:
    share = {"type_1": (0.0011, 0.0016), "type_2": (0.0005, 0.0009), "type_3": (0.0001, 0.0004)}
    if tier not in share:
        return 0
    low, high = share[tier]
    return max(1, round(population * rng.uniform(low, high)))


def _offences(rng, commune, tier):
    arrested = _arrests_wanted(tier, commune.population, rng)
    rows = []
    number = 0
    while arrested > 0:
        number += 1
        offenders = min(arrested, rng.randint(1, 3))
        arrested -= offenders
        rows.append(
            Offence(
                commune=commune,
                ref=f"DEMO-V{number}",
                occurred_on=_day(rng),
                kind=rng.choice(["trafficking", "possession", "organising_use"]),
                offenders=offenders,
                offenders_arrested=offenders,
                resident_offenders=rng.randint(0, offenders),
                serious=rng.random() < 0.1,
            )
        )
    if tier == "less_complex":
        rows.append(
            Offence(
                commune=commune,
                ref="DEMO-HC1",
                occurred_on=_day(rng),
                kind="use_administrative",
                offenders=1,
                resident_offenders=1,
            )
        )
    return rows


def _cultivation(rng, commune, tier):
    plants = {"type_1": (3000, 5000), "type_2": (500, 2500), "type_3": (20, 400)}.get(tier)
    if plants is None or (tier == "type_3" and rng.random() < 0.6):
        return []
    count = rng.randint(*plants)
    found = _day(rng)
    return [
        CultivationFind(
            commune=commune,
            ref="DEMO-C1",
            found_on=found,
            plants=count,
            area_m2=round(count / 4, 1),
            destroyed_on=found,
        )
    ]


def _wanted(rng, commune, tier):
    if tier not in ("type_1", "less_complex") or rng.random() < 0.5:
        return []
    return [WantedPerson(commune=commune, ref="DEMO-TN1", hiding_since=_day(rng))]


def _models_and_outreach(rng, commune, tier, hamlets):
    models = []
    if tier == "clean" or rng.random() < 0.4:
        models.append(
            PreventionModel(
                commune=commune,
                name="Tổ tự quản phòng, chống ma túy",
                kind="self_managed",
                started_on=datetime.date(2025, 3, 1),
            )
        )
    outreach = [
        OutreachActivity(
            commune=commune,
            hamlet=hamlet,
            held_on=_day(rng),
            kind="session",
            topic="Tác hại của ma túy tổng hợp",
            audience=rng.randint(30, 120),
        )
        for hamlet in hamlets[:3]
    ]
    outreach.append(
        OutreachActivity(
            commune=commune,
            held_on=_day(rng),
            kind="forum",
            topic="Công an lắng nghe ý kiến Nhân dân",
            audience=rng.randint(80, 200),
        )
    )
    return models, outreach


def _households(rng, commune, hamlets):
    """Every household of a registered commune, nearly all pledged (a few still to sign)."""
    households, signed = [], []
    # About half the registered communes have every household signed; the rest miss a few.
    share_signed = 1.0 if rng.random() < 0.5 else 0.995
    for hamlet_number, hamlet in enumerate(hamlets, start=1):
        for number in range(1, (hamlet.households or 0) + 1):
            name = f"{rng.choice(SURNAMES)} {rng.choice(FORENAMES)}"
            household = Household(
                commune=commune,
                hamlet=hamlet,
                head_name=name,
                household_code=f"{commune.code}-{hamlet_number:02d}-{number:03d}",
            )
            households.append(household)
            if rng.random() < share_signed:
                signed.append(household)
    return households, signed


# Lạng Sơn 2025, phase 3 (seed 004, I.3.1): measures from 01/9/2025 to 15/11/2025.
PHASE_3 = (datetime.date(2025, 9, 1), datetime.date(2025, 11, 15))
HAMLET_MODELS = {
    "self_managed": "Tổ tự quản phòng, chống ma túy",
    "club": "Câu lạc bộ “Nói không với ma túy”",
    "clan": "Dòng họ không có người nghiện ma túy",
    "security_camera": "Camera an ninh",
    "outreach": "Loa truyền thanh phòng, chống ma túy",
}


def _phase_3_day(rng) -> datetime.date:
    start, end = PHASE_3
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _hamlet_pledges_and_models(rng, commune, hamlets):
    """Every hamlet signs and keeps a model in phase 3 — in about half of the communes; in the
    others one hamlet has not signed yet or has no model, so the demo shows both verdicts."""
    short = rng.choice(hamlets) if rng.random() < 0.5 else None
    short_of = rng.choice(["pledge", "model"])
    pledges, models = [], []
    for hamlet in hamlets:
        head = "Trưởng thôn" if hamlet.name.startswith("Thôn") else "Tổ trưởng tổ dân phố"
        if not (hamlet == short and short_of == "pledge"):
            pledges.append(
                HamletPledge(
                    commune=commune,
                    hamlet=hamlet,
                    signed_on=_phase_3_day(rng),
                    signed_by=f"{head} {rng.choice(SURNAMES)} {rng.choice(FORENAMES)}",
                )
            )
        if not (hamlet == short and short_of == "model"):
            kind = rng.choice(list(HAMLET_MODELS))
            models.append(
                PreventionModel(
                    commune=commune,
                    hamlet=hamlet,
                    kind=kind,
                    name=f"{HAMLET_MODELS[kind]} – {hamlet.name}",
                    started_on=_phase_3_day(rng),
                )
            )
    return pledges, models


def seed_hamlet_pledges_and_models(communes: list[Commune], registered: set[str]) -> int:
    """Hamlet pledges and models of the registered communes that have none yet (also on a demo
    seeded before they existed). Returns how many communes got them."""
    done = set(
        HamletPledge.objects.filter(commune__in=communes).values_list("commune_id", flat=True)
    )
    pledges, models = [], []
    for commune in communes:
        if commune.name not in registered or commune.pk in done:
            continue
        rng = random.Random(f"hamlets-{commune.code}")
        hamlets = list(commune.hamlets.active().order_by("name"))
        commune_pledges, commune_models = _hamlet_pledges_and_models(rng, commune, hamlets)
        pledges += commune_pledges
        models += commune_models
    HamletPledge.objects.bulk_create(pledges, batch_size=1000)
    PreventionModel.objects.bulk_create(models, batch_size=1000)
    return len({pledge.commune_id for pledge in pledges})


@transaction.atomic
def seed_situation(province: Province, communes: list[Commune], registered: set[str]) -> int:
    """Add the demo rows of communes that have none yet. Returns how many communes got rows."""
    seeded = set(
        Hotspot.objects.filter(commune__in=communes, ref="DEMO-CU1").values_list(
            "commune_id", flat=True
        )
    )
    batches = {
        model: []
        for model in (
            Hotspot,
            Offence,
            CultivationFind,
            WantedPerson,
            PreventionModel,
            OutreachActivity,
            Household,
        )
    }
    to_sign = []
    for commune in communes:
        if commune.pk in seeded:
            continue
        rng = random.Random(f"situation-{commune.code}")
        tier = demo_tier(commune, commune.name in registered)
        hamlets = list(commune.hamlets.active().order_by("name"))
        batches[Hotspot] += _hotspots(rng, commune, tier, hamlets)
        batches[Offence] += _offences(rng, commune, tier)
        batches[CultivationFind] += _cultivation(rng, commune, tier)
        batches[WantedPerson] += _wanted(rng, commune, tier)
        models, outreach = _models_and_outreach(rng, commune, tier, hamlets)
        batches[PreventionModel] += models
        batches[OutreachActivity] += outreach
        if commune.name in registered:
            # Registered communes work towards 100% pledges; the others have not started.
            households, signed = _households(rng, commune, hamlets)
            batches[Household] += households
            to_sign += signed
    for model, rows in batches.items():
        model.objects.bulk_create(rows, batch_size=1000)
    Pledge.objects.bulk_create(
        [
            Pledge(household=household, signed_on=_day(random.Random(household.household_code)))
            for household in to_sign
        ],
        batch_size=1000,
    )
    seed_hamlet_pledges_and_models(communes, registered)
    _seed_programme(province, communes, registered)
    return len({row.commune_id for row in batches[Hotspot]})


def _seed_programme(province, communes, registered):
    # 2025: the 16 communes of the plan's footnote, recognised by a provincial decision of
    # 12/12/2025 on QĐ 28's criteria (each passes them on its submission day, 20/11/2025).
    # 2026 (registered by 10 December 2025, as the Lạng Sơn plan asks): the same communes
    # again, measured against the provincial profile and its hamlet criteria, not yet submitted.
    years = ((2025, REGISTERED_ON, "qd28-2025"), (2026, REGISTERED_ON_2026, "lang-son-2025"))
    for commune in communes:
        if commune.name not in registered:
            continue
        for year, registered_on, profile in years:
            registration, _created = Registration.objects.get_or_create(
                commune=commune,
                year=year,
                defaults={"registered_on": registered_on, "profile": profile},
            )
            _seed_case(registration, recognised=year == 2025)
    for year, target in LANG_SON_ROADMAP.items():
        RoadmapTarget.objects.get_or_create(
            province=province, year=year, defaults={"target_communes": target}
        )


def _seed_case(registration, *, recognised: bool):
    """The demo's history of a case; written directly because it happened before the portal."""
    case, created = RecognitionCase.objects.get_or_create(registration=registration)
    if not created:
        return
    registered_at = datetime.datetime.combine(registration.registered_on, datetime.time(9))
    steps = [("", CaseState.REGISTERED, "", registered_at)]
    if recognised:
        case.state = CaseState.APPROVED
        case.submitted_on = datetime.date(2025, 11, 20)
        case.appraisal = "Đủ điều kiện theo Quyết định 28/2025/QĐ-TTg"
        case.decision_number = "2150/QĐ-UBND"
        case.decision_date = DECISION_2025
        case.decision_signer = "Chủ tịch UBND tỉnh (dữ liệu mẫu)"
        case.save()
        at = datetime.datetime
        steps += [
            (CaseState.REGISTERED, CaseState.SUBMITTED, "", at(2025, 11, 20, 9)),
            (CaseState.SUBMITTED, CaseState.APPRAISED, case.appraisal, at(2025, 12, 5, 9)),
            (
                CaseState.APPRAISED,
                CaseState.APPROVED,
                "Quyết định 2150/QĐ-UBND",
                at(2025, 12, 12, 9),
            ),
        ]
    events = CaseEvent.objects.bulk_create(
        [
            CaseEvent(case=case, from_state=old, to_state=new, note=note)
            for old, new, note, _at in steps
        ]
    )
    # `at` is set on creation; the demo's history happened earlier.
    for event, (_old, _new, _note, at) in zip(events, steps, strict=True):
        CaseEvent.objects.filter(pk=event.pk).update(at=timezone.make_aware(at))
