"""How a problem in an uploaded workbook is reported (contracts.md §3)."""

from dataclasses import dataclass

from django.conf import settings

FILE = "file"  # sheet name used for errors about the file as a whole (row 0)


def import_max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)


# A message quotes what the officer typed, and a header is a cell too: a hostile file with one
# 900,000-character string as every header made a 15 MB error page, stored on each upload.
# Long enough for any real header, value or message; what is longer is cut with "…".
MAX_COLUMN_CHARS = 80
MAX_MESSAGE_CHARS = 400
# An upload's errors kept on its job page: the first ones show what to fix; the rest are counted.
MAX_STORED_ERRORS = 1000


def clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class CellError:
    """One problem in the workbook, printed as the contract's `sheet!row: column: message`.
    The column and the message are cut to a bound (they may quote the file)."""

    sheet: str
    row: int
    column: str
    message: str

    def __post_init__(self):
        object.__setattr__(self, "sheet", clipped(self.sheet, MAX_COLUMN_CHARS))
        object.__setattr__(self, "column", clipped(self.column, MAX_COLUMN_CHARS))
        object.__setattr__(self, "message", clipped(self.message, MAX_MESSAGE_CHARS))

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row}: {self.column}: {self.message}"


def stored_errors(errors) -> list[str]:
    """The lines an import job keeps: the first MAX_STORED_ERRORS, then one line counting the
    rest (a file of 200,000 bad rows would otherwise store 200,000 lines)."""
    lines = [str(error) for error in errors[:MAX_STORED_ERRORS]]
    if len(errors) > MAX_STORED_ERRORS:
        more = len(errors) - MAX_STORED_ERRORS
        lines.append(str(file_error(f"… và {more} lỗi khác; sửa các lỗi trên rồi tải lại tệp")))
    return lines


def file_error(message: str, column: str = FILE) -> CellError:
    return CellError(FILE, 0, column, message)


def import_max_rows() -> int:
    """The last row a sheet of a browser upload may reach (the command reads up to Excel's)."""
    return getattr(settings, "IMPORT_MAX_ROWS", 200_000)
