"""The browser import: upload → check (Celery, eager in tests) → preview → confirm."""

import datetime
import io

import openpyxl
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from communes.models import Hotspot
from imports.models import ImportJob, ImportStatus


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HOTSPOT_HEADER = ["commune_code", "ref", "kind", "hamlet", "detected_on", "eradicated_on"]


@pytest.fixture(autouse=True)
def run_queued_tasks(monkeypatch):
    # Tasks are queued on commit; test transactions never commit, so run them at once.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())


def upload(client, content: bytes, name="so-theo-doi.xlsx"):
    return client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_officer_uploads_previews_and_confirms(client, commune_officer, commune):
    client.force_login(commune_officer)
    content = workbook_bytes(
        {"hotspots": [HOTSPOT_HEADER, [commune.code, "D1", "retail", None, "2025-03-01", None]]}
    )
    response = upload(client, content)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY
    assert response.context["counts"] == [("hotspots", {"create": 1, "update": 0, "unchanged": 0})]
    assert not Hotspot.objects.exists()  # nothing written before confirmation
    response = client.post(reverse("imports:confirm", args=[job.token]), follow=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Hotspot.objects.get().commune == commune
    # A second confirmation does not import twice.
    client.post(reverse("imports:confirm", args=[job.token]))
    assert Hotspot.objects.count() == 1


def test_rows_for_another_commune_are_refused(client, commune_officer, other_commune):
    client.force_login(commune_officer)
    content = workbook_bytes(
        {
            "hotspots": [
                HOTSPOT_HEADER,
                [other_commune.code, "D1", "retail", None, "2025-03-01", None],
            ]
        }
    )
    response = upload(client, content)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert any(error.startswith("hotspots!2: commune_code:") for error in job.errors)
    assert "chưa ghi gì" in response.content.decode()
    response = client.post(reverse("imports:confirm", args=[job.token]))
    assert not Hotspot.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("so.xls", b"PK\x03\x04whatever", "Chỉ nhận tệp Excel .xlsx."),
        ("so.xlsx", b"not a zip at all", "không phải tệp Excel .xlsx"),
    ],
)
def test_bad_uploads_are_refused(client, commune_officer, name, content, message):
    client.force_login(commune_officer)
    response = upload(client, content, name=name)
    assert message in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_too_large_upload_is_refused(client, commune_officer, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(commune_officer)
    response = upload(client, b"PK\x03\x04" + b"0" * 2000)
    assert "lớn hơn" in " ".join(response.context["form"].errors["file"])


def test_jobs_are_private_to_their_uploader(client, commune_officer, provincial_officer, commune):
    client.force_login(commune_officer)
    upload(client, workbook_bytes({"hotspots": [HOTSPOT_HEADER]}))
    job = ImportJob.objects.get()
    client.force_login(provincial_officer)
    assert client.get(reverse("imports:job", args=[job.token])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.token])).status_code == 404


def test_leaders_cannot_import(client, leader):
    client.force_login(leader)
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.get(reverse("imports:template")).status_code == 403


def test_template_downloads(client, commune_officer):
    client.force_login(commune_officer)
    response = client.get(reverse("imports:template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"communes", "hamlets", "persons", "hotspots", "pledges"} <= set(book.sheetnames)


def test_one_workbook_per_officer_is_checked_at_a_time(
    client, commune_officer, provincial_officer, commune, monkeypatch
):
    """A second upload while the first is still being checked is refused with a message, and
    stores nothing; another officer's upload is not held back."""
    queued = []
    monkeypatch.setattr("imports.services._send_check", queued.append)  # the worker is busy
    client.force_login(commune_officer)
    content = workbook_bytes({"hotspots": [HOTSPOT_HEADER]})
    upload(client, content)
    first = ImportJob.objects.get()
    assert first.status == ImportStatus.VALIDATING
    response = upload(client, content)
    assert response.context["form"].errors["file"] == [
        "Tệp trước của bạn vẫn đang được kiểm tra. Hãy chờ kết quả rồi tải tệp tiếp theo."
    ]
    assert ImportJob.objects.count() == 1
    client.force_login(provincial_officer)
    upload(client, content)
    assert ImportJob.objects.count() == 2
    # Once the first check ends, the officer uploads the next workbook.
    client.force_login(commune_officer)
    first.status = ImportStatus.READY
    first.save(update_fields=["status"])
    upload(client, content)
    assert ImportJob.objects.filter(created_by=commune_officer).count() == 2
    assert len(queued) == 3


def test_a_check_that_lost_its_worker_holds_nobody_back(
    client, commune_officer, commune, monkeypatch, settings
):
    monkeypatch.setattr("imports.services._send_check", lambda job: None)
    client.force_login(commune_officer)
    content = workbook_bytes({"hotspots": [HOTSPOT_HEADER]})
    upload(client, content)
    # Older than a check's time limit: no worker is on it any more.
    ImportJob.objects.update(
        created_at=timezone.now() - datetime.timedelta(seconds=settings.IMPORT_TASK_TIME_LIMIT + 1)
    )
    upload(client, content)
    assert ImportJob.objects.count() == 2


def test_a_check_past_its_time_limit_ends_with_a_message(client, commune_officer, monkeypatch):
    """The worker's soft time limit interrupts the check: the page says so; nothing written."""

    def too_slow(job):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr("imports.services._preview", too_slow)
    client.force_login(commune_officer)
    upload(client, workbook_bytes({"hotspots": [HOTSPOT_HEADER]}))
    job = ImportJob.objects.get()
    assert (job.status, job.errors) == (
        ImportStatus.INVALID,
        ["file!0: file: kiểm tra tệp cần quá 15 phút cho phép; hãy chia thành nhiều tệp nhỏ hơn"],
    )
