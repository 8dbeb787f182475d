import pytest

from tests import factories


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests create many users; PBKDF2's deliberate slowness buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(db):
    return factories.ProvinceFactory(code="20", name="Lạng Sơn")


@pytest.fixture
def other_province(db):
    return factories.ProvinceFactory(code="37", name="Ninh Bình")


@pytest.fixture
def commune(province):
    return factories.CommuneFactory(province=province, code="20001", name="Công Sơn")


@pytest.fixture
def other_commune(province):
    return factories.CommuneFactory(province=province, code="20002", name="Lợi Bác")


@pytest.fixture
def foreign_commune(other_province):
    return factories.CommuneFactory(province=other_province, code="37001", name="Gia Viễn")


@pytest.fixture
def commune_officer(commune):
    return factories.commune_officer(commune, username="canbo.xa")


@pytest.fixture
def provincial_officer(province):
    return factories.provincial_officer(province, username="canbo.tinh")


@pytest.fixture
def leader(province):
    return factories.leader(province, username="lanhdao")


@pytest.fixture
def portal_admin(db):
    return factories.portal_admin(username="quantri")
