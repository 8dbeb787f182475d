"""Validation of the 12-digit citizen ID (CCCD, căn cước công dân).

Structure (Circular 59/2021/TT-BCA): 3 digits for the province of birth registration (001-096),
1 digit for sex and century of birth, 2 digits for the last two digits of the year of birth,
6 random digits. Century digit: 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s,
6/7 = 2200s, 8/9 = 2300s.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TWELVE_DIGITS = re.compile(r"^[0-9]{12}$")
CENTURY_START = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 2300}


def normalise_citizen_id(raw: str) -> str:
    """Strip spaces and dots officers type between digit groups."""
    return re.sub(r"[\s.\-]", "", raw or "")


def validate_citizen_id_format(value: str) -> None:
    if not TWELVE_DIGITS.match(value):
        raise ValidationError(_("A citizen ID has exactly 12 digits."), code="citizen_id_format")
    province = int(value[:3])
    if not 1 <= province <= 96:
        raise ValidationError(
            _("The first 3 digits of a citizen ID are a province code from 001 to 096."),
            code="citizen_id_province",
        )


def citizen_id_mismatch(value: str, *, sex: str, birth_date: datetime.date) -> str | None:
    """Why `value` cannot belong to someone of this sex and birth year, or None if it can."""
    digit = int(value[3])
    expected_sex = "F" if digit % 2 else "M"
    century = CENTURY_START[digit - digit % 2]
    year = century + int(value[4:6])
    if expected_sex != sex:
        return _("The 4th digit of the citizen ID does not match the person's sex.")
    if year != birth_date.year:
        return _("Digits 4–6 of the citizen ID give the year of birth %(year)s.") % {"year": year}
    return None
