"""Excel export of the people list (pandas + openpyxl)."""

import io

import pandas as pd
from django.utils.translation import gettext as _

from core.excel import fit_columns, neutralise

from .models import Category, Presence


def _label(choices, value):
    return str(choices(value).label) if value in choices.values else ""


def persons_workbook(persons) -> bytes:
    """The rows of the people list as an .xlsx file. `persons` comes from selectors.person_list."""
    rows = [
        {
            _("Full name"): person.full_name,
            _("Date of birth"): person.birth_date.strftime("%d/%m/%Y"),
            _("Sex"): person.get_sex_display(),
            _("Citizen ID"): person.citizen_id,
            _("Commune"): person.commune.name,
            _("Hamlet"): person.hamlet.name if person.hamlet else "",
            _("Address"): person.address,
            _("Category"): _label(Category, person.current_category),
            _("Presence"): _label(Presence, person.current_presence),
            _("Listed on"): person.listed_on.strftime("%d/%m/%Y"),
            _("File opened on"): (
                person.file_opened_on.strftime("%d/%m/%Y") if person.file_opened_on else ""
            ),
            _("Last test"): (
                person.last_tested_on.strftime("%d/%m/%Y") if person.last_tested_on else ""
            ),
            _("Responsible"): person.responsible,
        }
        for person in persons
    ]
    frame = pd.DataFrame(rows).map(neutralise) if rows else pd.DataFrame(columns=[_("Full name")])
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=_("People")[:31])
        fit_columns(writer.sheets[_("People")[:31]], max_width=50)
    return buffer.getvalue()
