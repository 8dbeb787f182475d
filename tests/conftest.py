import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from config.celery import app as celery_app
from tests import factories
from tests.two_factor import linked_device


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests create many users; PBKDF2's deliberate slowness buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def force_login_passes_two_factor(monkeypatch):
    """`client.force_login(user)` stands for a user fully signed in, as its name says: for the
    roles that need a one-time code, the session is marked as having passed that step too.

    The code step itself is tested through the real pages in tests/accounts/test_two_factor.py.
    """
    sign_in = Client.force_login

    def force_login(self, user, backend=None):
        sign_in(self, user, backend)
        device = linked_device(user)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def eager_celery():
    """Run tasks in-process, even where REDIS_URL points at a real broker (CI's PostgreSQL run).

    tests/config/test_celery_worker.py sends tasks through Redis to a real worker instead.
    """
    was = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    # Uploaded workbooks and generated files go to a folder of each test's own.
    settings.MEDIA_ROOT = tmp_path / "media"


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
