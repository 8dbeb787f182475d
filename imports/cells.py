"""Pure parsers for one workbook cell: an openpyxl value in, a Python value out.

Each parser raises `CellProblem` with a message in Vietnamese (the officers' language) that says
what is wrong with the cell. Blank cells never reach a parser: the sheet decides what blank means.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation

from casefiles.citizen_id import (
    citizen_id_mismatch,
    normalise_citizen_id,
    validate_citizen_id_format,
)
from core.text import fold_vietnamese

# PositiveIntegerField holds up to this on every database Django supports.
MAX_INTEGER = 2_147_483_647
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
DECIMAL_TEXT = re.compile(r"^[+-]?\d+([.,]\d+)?$")
OFFICIAL_CODE = re.compile(r"^[0-9]{2,5}$")
YES = {"yes", "y", "true", "1", "co"}  # "có" folds to "co"
NO = {"no", "n", "false", "0", "khong"}  # "không" folds to "khong"

Parser = Callable[[object], object]


class CellProblem(ValueError):
    """The cell cannot be read as what its column holds; the message is for the officer."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value) -> str:
    """The value as the officer typed it, for quoting in a message."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def name_key(text: str) -> str:
    """How names are matched (hamlets, the Vietnamese header labels): Unicode NFC, single spaces,
    case-insensitive. Diacritics still count: "Nà Cạn" and "Na Can" are different hamlets."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def text(max_length: int) -> Parser:
    def parse(value) -> str:
        if isinstance(value, bool | datetime.date | datetime.time):
            raise CellProblem(f"“{shown(value)}” không phải là văn bản")
        result = " ".join(unicodedata.normalize("NFC", shown(value)).split())
        if len(result) > max_length:
            raise CellProblem(f"dài quá {max_length} ký tự")
        return result

    return parse


def official_code(value) -> str:
    """A province or commune code: 2 to 5 digits, written as text so leading zeros stay."""
    result = text(5)(value) if not isinstance(value, int | float) else shown(value)
    if not OFFICIAL_CODE.match(result):
        raise CellProblem(
            f"mã “{result}” không hợp lệ: mã gồm 2 đến 5 chữ số "
            "(định dạng ô là Văn bản để giữ số 0 ở đầu)"
        )
    return result


def integer(low: int = 0, high: int = MAX_INTEGER) -> Parser:
    def parse(value) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise CellProblem(f"“{shown(value)}” không phải là số")
        if isinstance(value, str):
            if not INTEGER_TEXT.match(value.strip()):
                raise CellProblem(f"“{value.strip()}” không phải là số")
            value = int(value.strip())
        if isinstance(value, float) and not value.is_integer():
            raise CellProblem(f"“{shown(value)}” không phải là số nguyên")
        return _in_range(int(value), low, high)

    return parse


def _in_range(number, low, high):
    if number < 0 <= low:
        raise CellProblem(f"số lượng không được âm ({shown(number)})")
    if number < low or number > high:
        raise CellProblem(f"{shown(number)} nằm ngoài khoảng cho phép {low}–{high}")
    return number


def area_m2(value) -> Decimal:
    """A non-negative area with one decimal place (Vietnamese decimal comma accepted)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellProblem(f"“{shown(value)}” không phải là số")
    raw = value.strip().replace(",", ".") if isinstance(value, str) else repr(value)
    if isinstance(value, str) and not DECIMAL_TEXT.match(value.strip()):
        raise CellProblem(f"“{value.strip()}” không phải là số")
    try:
        number = Decimal(raw).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise CellProblem(f"“{shown(value)}” không phải là số") from exc
    return _in_range(number, 0, Decimal("999999999.9"))


def day(value) -> datetime.date:
    """A real Excel date, or text in the contract's YYYY-MM-DD form."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CellProblem(f"“{shown(value)}” không phải là ngày hợp lệ (YYYY-MM-DD hoặc ô kiểu ngày)")


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and fold_vietnamese(value) in YES | NO:
        return fold_vietnamese(value) in YES
    raise CellProblem(f"“{shown(value)}” không phải là có/không (yes/no, y/n, true/false, 1/0)")


def choice(values: Iterable[str], aliases: dict[str, str] | None = None) -> Parser:
    """One of `values`, case-insensitive; `aliases` maps other accepted spellings to a value."""
    allowed = {value.casefold(): value for value in values}
    accepted = {**allowed, **{key.casefold(): value for key, value in (aliases or {}).items()}}

    def parse(value) -> str:
        key = name_key(shown(value))
        if key not in accepted:
            raise CellProblem(
                f"“{shown(value)}” không phải giá trị cho phép; chọn một trong: "
                + ", ".join(allowed.values())
            )
        return accepted[key]

    return parse


def citizen_id(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number cell has already lost the leading zeros of the province code.
        raise CellProblem(
            f"số CCCD “{shown(value)}” được nhập dạng số; định dạng ô là Văn bản để giữ số 0 ở đầu"
        )
    result = normalise_citizen_id(text(20)(value))
    error = _citizen_id_format_error(result)
    if error:
        raise CellProblem(f"số CCCD “{result}” không hợp lệ: {error}")
    return result


def _citizen_id_format_error(value: str) -> str | None:
    with translation.override("vi"):
        try:
            validate_citizen_id_format(value)
        except ValidationError as exc:
            return " ".join(str(message) for message in exc.messages)
    return None


def citizen_id_conflict(value: str, *, sex: str, birth_date: datetime.date) -> str | None:
    """Why this citizen ID cannot be this person's (in Vietnamese), or None."""
    with translation.override("vi"):
        reason = citizen_id_mismatch(value, sex=sex, birth_date=birth_date)
    return f"số CCCD “{value}” không khớp với người này: {reason}" if reason else None
