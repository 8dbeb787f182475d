"""factory_boy factories for synthetic places and users. Never real people."""

import factory

from accounts.models import Role, User
from communes.models import Commune, CommuneKind, Hamlet, Province

TEST_PASSWORD = "correct-horse-battery-staple"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"{n + 10000:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    kind = CommuneKind.XA
    population = 8500
    households = 2100


class HamletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hamlet

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Thôn {n}")
    households = 120
    hotline_board = True
    mailbox = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Người"
    last_name = factory.Sequence(lambda n: f"Dùng {n}")
    role = Role.PROVINCIAL_OFFICER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 — factory_boy hook
        if create:
            obj.save(update_fields=["password"])


def commune_officer(commune: Commune, **kwargs) -> User:
    return UserFactory(
        role=Role.COMMUNE_OFFICER, commune=commune, province=commune.province, **kwargs
    )


def provincial_officer(province: Province, **kwargs) -> User:
    return UserFactory(role=Role.PROVINCIAL_OFFICER, province=province, **kwargs)


def leader(province: Province, **kwargs) -> User:
    return UserFactory(role=Role.LEADER, province=province, **kwargs)


def portal_admin(**kwargs) -> User:
    return UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True, **kwargs)


_citizen_numbers = iter(range(1, 10**6))


def synthetic_citizen_id(birth_date, sex: str) -> str:
    """A valid-looking, made-up citizen ID consistent with birth year and sex."""
    century_digit = (0 if birth_date.year < 2000 else 2) + (1 if sex == "F" else 0)
    return f"020{century_digit}{birth_date.year % 100:02d}{next(_citizen_numbers):06d}"


def make_person(
    commune,
    *,
    full_name="Nông Văn Thử",
    category="addict",
    since=None,
    presence="present",
    hamlet=None,
    birth_date=None,
    sex="M",
    file_opened=True,
    **fields,
):
    """A person with an open category and presence period, as the create form makes them."""
    import datetime

    from casefiles.models import CategoryPeriod, Person, PresencePeriod
    from core.text import fold_vietnamese

    birth_date = birth_date or datetime.date(1990, 5, 17)
    since = since or datetime.date(2025, 3, 1)
    citizen_id = fields.pop("citizen_id", None) or synthetic_citizen_id(birth_date, sex)
    person = Person.objects.create(
        full_name=full_name,
        birth_date=birth_date,
        sex=sex,
        citizen_id=citizen_id,
        commune=commune,
        hamlet=hamlet,
        listed_on=since,
        file_opened_on=since if file_opened else None,
        **fields,
    )
    assert person.search_text == fold_vietnamese(f"{full_name} {citizen_id}")
    CategoryPeriod.objects.create(person=person, category=category, started_on=since)
    PresencePeriod.objects.create(person=person, status=presence, started_on=since)
    return person


def registration_with_case(*, commune, year: int, registered_on, profile: str, by):
    """Register a commune for a year as the admin does: the registration, then its case opened
    and the baseline frozen that day (assessments.recognition.registration_open)."""
    from assessments.models import Registration
    from assessments.recognition import registration_open

    registration = Registration.objects.create(
        commune=commune, year=year, registered_on=registered_on, profile=profile
    )
    return registration_open(registration=registration, by=by)
