"""`python manage.py import_workbook FILE.xlsx [--dry-run]` (contracts.md §3)."""

from pathlib import Path

from django.core.management.base import BaseCommand

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

    def handle(self, *args, file, dry_run=False, **options):
        try:
            with Path(file).open("rb") as file_obj:
                # Up to Excel's last row: a province's bulk import may hold a million rows,
                # where a browser upload stops at IMPORT_MAX_ROWS.
                preview = workbook_preview(file_obj, max_rows=EXCEL_MAX_ROWS)
        except OSError as exc:
            self._fail([file_error(f"không mở được tệp: {exc.strerror or exc}")])
        if preview.errors:
            self._fail(preview.errors)
        if not dry_run:
            try:
                workbook_apply(preview, by=None)
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
