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
