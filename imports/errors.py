"""How a problem in an uploaded workbook is reported (contracts.md §3)."""

from dataclasses import dataclass

from django.conf import settings

FILE = "file"  # sheet name used for errors about the file as a whole (row 0)


def import_max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)


@dataclass(frozen=True)
class CellError:
    """One problem in the workbook, printed as the contract's `sheet!row: column: message`."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row}: {self.column}: {self.message}"


def file_error(message: str, column: str = FILE) -> CellError:
    return CellError(FILE, 0, column, message)


def import_max_rows() -> int:
    """The last row a sheet of a browser upload may reach (the command reads up to Excel's)."""
    return getattr(settings, "IMPORT_MAX_ROWS", 200_000)
