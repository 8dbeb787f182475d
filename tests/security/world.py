"""One object of every kind in an area, and users of every role around it.

The authorization matrix and the IDOR tests open every URL against these objects: the own
commune's rows, seen by its officer, by the officer of a neighbouring commune, by the provincial
officers of this and of another province, by a leader, an administrator, a deactivated user and
an anonymous visitor. Everything is synthetic.
"""

import datetime

from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from assessments import runs
from assessments.models import Assessment, ProvincialProfile, RoadmapTarget
from casefiles.models import RehabEpisode, TransferRequest
from communes.models import (
    CultivationFind,
    HamletPledge,
    Hotspot,
    Household,
    Offence,
    OutreachActivity,
    PreventionModel,
    WantedPerson,
)
from core.models import RunState
from imports.models import ImportJob, ImportStatus
from reports.models import ReportRun
from tests import factories
from tests.factories import make_person

ROLES = (
    "own_officer",
    "other_officer",
    "provincial",
    "foreign_provincial",
    "leader",
    "admin",
    "inactive",
    "anonymous",
)
DAY = datetime.date(2025, 3, 1)


def build_area(commune, *, tag: str = "") -> dict:
    """Rows of every kind in one commune (and its province), keyed by the names the matrix's
    data file uses for URL arguments. The officer is the commune's own; he uploads the job.

    The tag goes into names and references, so a page can be searched for the area's rows.
    """
    province = commune.province
    officer = factories.commune_officer(commune, username=f"officer{tag}")
    hamlet = factories.HamletFactory(commune=commune, name=f"Thôn Mẫu{tag}")
    person = make_person(commune, full_name=f"Lương Văn {tag or 'Mẫu'}", hamlet=hamlet)
    case = factories.registration_with_case(
        commune=commune, year=2026, registered_on=DAY, profile="qd28-2025", by=officer
    )
    area = {
        "officer": officer,
        "province": province,
        "commune": commune,
        "hamlet": hamlet,
        "person": person,
        "rehab_episode": RehabEpisode.objects.create(
            person=person, form="methadone", started_on=datetime.date(2025, 4, 1)
        ),
        # Decided by this province's police, whichever commune sent it (here the file's own:
        # a world needs no second commune for the pages to answer).
        "transferrequest": TransferRequest.objects.create(
            citizen_id=person.citizen_id,
            full_name=person.full_name,
            to_commune=commune,
            person=person,
            requested_by=officer,
        ),
        "hotspots": Hotspot.objects.create(
            commune=commune, ref=f"D1{tag}", kind="harbouring", detected_on=DAY, hamlet=hamlet
        ),
        "cultivation": CultivationFind.objects.create(
            commune=commune, ref=f"C1{tag}", found_on=DAY
        ),
        "offences": Offence.objects.create(
            commune=commune, ref=f"V1{tag}", occurred_on=DAY, kind="possession"
        ),
        "wanted": WantedPerson.objects.create(commune=commune, ref=f"T1{tag}", hiding_since=DAY),
        "households": Household.objects.create(
            commune=commune, hamlet=hamlet, household_code=f"H1{tag}", head_name=f"Nông Văn Hộ{tag}"
        ),
        "hamlet_pledges": HamletPledge.objects.create(
            commune=commune, hamlet=hamlet, signed_on=DAY, signed_by=f"Trưởng thôn{tag}"
        ),
        "models": PreventionModel.objects.create(
            commune=commune, name=f"Tổ tự quản{tag}", started_on=DAY, hamlet=hamlet
        ),
        "outreach": OutreachActivity.objects.create(
            commune=commune, held_on=DAY, kind="session", topic=f"Tuyên truyền{tag}"
        ),
        "import_job": ImportJob.objects.create(
            created_by=officer,
            file=ContentFile(b"", name="so.xlsx"),
            original_name="so.xlsx",
            status=ImportStatus.READY,
        ),
        "report_run": ReportRun.objects.create(
            province=province,
            kind="annual",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            state=RunState.DONE,
            pdf=ContentFile(b"%PDF-1.4 synthetic", name="run.pdf"),
            xlsx=ContentFile(b"PK synthetic", name="run.xlsx"),
        ),
        "registration": case.registration,
        "recognitioncase": case,
        "provincialprofile": ProvincialProfile.objects.create(
            province=province,
            code=f"tinh{province.code}",
            title="Bộ tiêu chí của tỉnh",
            legal_basis="Kế hoạch thử",
            valid_from=DAY,
        ),
        # A migration may already have set the province's targets.
        "roadmaptarget": RoadmapTarget.objects.get_or_create(
            province=province, year=2026, defaults={"target_communes": 3}
        )[0],
    }
    # The nightly province run, for real: it stores an assessment of every commune and the
    # dashboard's figures. It is queued on commit, which a test's transaction never reaches,
    # so it is built here directly.
    queued = runs.province_run_request(province=province, as_of=DAY)
    area["province_run"] = runs.province_run_build(queued.pk)
    assert area["province_run"].state == RunState.DONE
    area["assessment"] = Assessment.objects.filter(commune=commune).latest("pk")
    area["logentry"] = LogEntry.objects.get_for_object(person).first()
    assert area["logentry"].additional_data["province_id"] == province.pk
    area["person_content_type"] = ContentType.objects.get_for_model(person).pk
    return area


def build_world(commune, other_commune, foreign_commune) -> dict:
    """The own commune's area plus one user of every role; admin rows by model name."""
    province = commune.province
    area = build_area(commune)
    users = {
        "own_officer": area["officer"],
        "other_officer": factories.commune_officer(other_commune, username="officer.other"),
        "provincial": factories.provincial_officer(province, username="provincial"),
        "foreign_provincial": factories.provincial_officer(
            foreign_commune.province, username="provincial.foreign"
        ),
        "leader": factories.leader(province, username="leader"),
        "admin": factories.portal_admin(username="admin"),
        "inactive": factories.commune_officer(commune, username="inactive", is_active=False),
        "anonymous": None,
    }
    return {
        **area,
        "users": users,
        # Admin pages of these models are opened on these rows.
        "user": users["own_officer"],
        "group": Group.objects.create(name="Nhóm thử"),
        "securityevent": SecurityEvent.objects.create(
            kind=SecurityEvent.Kind.SIGN_IN_FAILED, username="ai.do"
        ),
        "totpdevice": TOTPDevice.objects.create(
            user=users["provincial"], name="phone", confirmed=True
        ),
    }
