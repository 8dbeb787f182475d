"""Form fields shared by the registers' forms."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DayField(forms.DateField):
    """A date typed as dd/mm/yyyy (the browser's own date picker would follow its locale)."""

    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})

    def __init__(self, *, allow_future: bool = False, **kwargs):
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value.year < 1900:
            raise forms.ValidationError(_("Enter a date after 1900."))
        if value and not self.allow_future and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))


def not_before(day: datetime.date | None, earliest: datetime.date, message: str):
    """Raise a form error when `day` falls before `earliest`."""
    if day is not None and day < earliest:
        raise forms.ValidationError(message)
