"""`python manage.py import_workbook FILE.xlsx [--dry-run] [--as USERNAME]` (contracts.md §3)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from imports.access import import_scope, refuse_without_communes
from imports.reading import file_error
from imports.workbook import (
    EXCEL_MAX_ROWS,
    WorkbookNotApplicable,
    workbook_apply,
    workbook_preview,
)


class Command(BaseCommand):
    help = (
        "Import a workbook (one sheet per kind: communes, hamlets, persons, drug_tests, …). "
        "Every row is validated first; any error aborts the import, prints "
        "'sheet!row: column: message' lines on stderr and exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, write nothing"
        )
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help=(
                "import as this portal user, with what their role may import and where, exactly "
                "as their browser upload (default: as a system administrator, anything)"
            ),
        )

    def handle(self, *args, file, dry_run=False, username=None, **options):
        user = _importer(username) if username else None
        scope = import_scope(user) if user else {}  # no --as: the defaults, an administrator's
        try:
            with Path(file).open("rb") as file_obj:
                # Up to Excel's last row: a province's bulk import may hold a million rows,
                # where a browser upload stops at IMPORT_MAX_ROWS.
                preview = workbook_preview(file_obj, max_rows=EXCEL_MAX_ROWS, **scope)
        except OSError as exc:
            self._fail([file_error(f"không mở được tệp: {exc.strerror or exc}")])
        if preview.errors:
            self._fail(preview.errors)
        if not dry_run:
            try:
                workbook_apply(preview, by=user)
            except WorkbookNotApplicable as refusal:  # a row was saved in the portal meanwhile
                self._fail([file_error(str(refusal))])
        for sheet, counts in preview.counts.items():
            self.stdout.write(
                f"{sheet}: created {counts['create']}, updated {counts['update']}, "
                f"unchanged {counts['unchanged']}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif not preview.counts:
            self.stdout.write("The workbook has no sheet to import.")

    def _fail(self, errors):
        # One line per error and nothing else, so scripts can read stderr as it is.
        for error in errors:
            self.stderr.write(str(error), style_func=lambda text: text)
        raise SystemExit(1)


def _importer(username: str):
    """The active user named, if they may import at all (as the upload page asks)."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"không có tài khoản đang hoạt động tên “{username}”")
    try:
        refuse_without_communes(user)
    except PermissionDenied:
        raise CommandError(
            f"tài khoản “{username}” không được nhập dữ liệu "
            "(tài khoản lãnh đạo, hoặc chưa được gắn địa bàn)"
        ) from None
    return user
