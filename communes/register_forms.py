"""Forms for the area registers: the commune comes from the URL, hamlets are the commune's own,
dates are dd/mm/yyyy and never in the future, and keys are unique within the commune."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DayField

from . import services
from .models import (
    CultivationFind,
    HamletPledge,
    Hotspot,
    Household,
    Offence,
    OutreachActivity,
    PreventionModel,
    WantedPerson,
)


class RegisterForm(forms.ModelForm):
    # The field that, with the commune, identifies a row (contracts.md §3), if any.
    key_field: str | None = None
    # (earlier, later) date fields that must come in this order.
    date_order: tuple[tuple[str, str], ...] = ()

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.instance.commune = commune
        for name, field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if model_field.get_internal_type() == "DateField":
                self.fields[name] = DayField(
                    label=field.label, required=field.required, help_text=field.help_text
                )
        if "hamlet" in self.fields:
            self.fields["hamlet"].queryset = commune.hamlets.active()
        self.helper = FormHelper()
        # Server-side messages in Vietnamese, not the browser's own in its language.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        cleaned = super().clean()
        for earlier, later in self.date_order:
            start, end = cleaned.get(earlier), cleaned.get(later)
            if start and end and end < start:
                self.add_error(
                    later,
                    _("This date cannot be before “%(field)s”.")
                    % {"field": self.fields[earlier].label},
                )
        self._check_key(cleaned)
        return cleaned

    def _check_key(self, cleaned):
        # The unique constraint includes the commune, which is not a form field, so Django's
        # own validation skips it; check here to give a message instead of a database error.
        value = cleaned.get(self.key_field) if self.key_field else None
        if not value:
            return
        clash = self._meta.model.objects.filter(commune=self.commune, **{self.key_field: value})
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error(self.key_field, _("This commune already has a record with this value."))


class HotspotForm(RegisterForm):
    key_field = "ref"
    date_order = (("detected_on", "eradicated_on"),)

    class Meta:
        model = Hotspot
        fields = ["ref", "kind", "hamlet", "location", "detected_on", "eradicated_on", "note"]


class CultivationFindForm(RegisterForm):
    key_field = "ref"
    date_order = (("found_on", "destroyed_on"),)

    class Meta:
        model = CultivationFind
        fields = ["ref", "plant_kind", "hamlet", "found_on", "plants", "area_m2", "destroyed_on"]


class OffenceForm(RegisterForm):
    key_field = "ref"

    class Meta:
        model = Offence
        fields = [
            "ref",
            "occurred_on",
            "kind",
            "offenders",
            "offenders_arrested",
            "resident_offenders",
            "serious",
            "by_managed_person",
            "by_drug_user",
            "psychosis_incident",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("offenders") is None:
            return cleaned
        over = services.offence_counts_over(
            offenders=cleaned["offenders"],
            # A count that did not parse has its own error; it cannot be over.
            offenders_arrested=cleaned.get("offenders_arrested") or 0,
            resident_offenders=cleaned.get("resident_offenders") or 0,
        )
        for field in over:
            self.add_error(field, _("Cannot be more than the number of offenders."))
        return cleaned


class WantedPersonForm(RegisterForm):
    key_field = "ref"
    date_order = (("hiding_since", "arrested_on"),)

    class Meta:
        model = WantedPerson
        fields = ["ref", "hiding_since", "arrested_on"]


class HouseholdForm(RegisterForm):
    key_field = "household_code"

    class Meta:
        model = Household
        fields = ["household_code", "head_name", "hamlet"]


class HamletPledgeForm(RegisterForm):
    """A hamlet's collective pledge: one that counts per hamlet, of the commune's own active
    hamlets (the list offers no other)."""

    class Meta:
        model = HamletPledge
        fields = ["hamlet", "signed_on", "signed_by", "note"]

    def clean(self):
        cleaned = super().clean()
        hamlet = cleaned.get("hamlet")
        if hamlet is None:
            return cleaned
        # Voided pledges leave room for the right one (the constraint counts current rows).
        clash = HamletPledge.objects.current().filter(commune=self.commune, hamlet=hamlet)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            self.add_error(
                "hamlet", _("This hamlet's pledge is already recorded; edit that record instead.")
            )
        return cleaned


class PreventionModelForm(RegisterForm):
    key_field = "name"
    date_order = (("started_on", "ended_on"),)

    class Meta:
        model = PreventionModel
        fields = ["name", "kind", "hamlet", "started_on", "ended_on", "description"]


class OutreachActivityForm(RegisterForm):
    class Meta:
        model = OutreachActivity
        fields = ["held_on", "kind", "hamlet", "topic", "audience"]


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("For example: entered twice, entered in the wrong commune."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Void the record"), css_class="btn-danger"))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class EradicateForm(forms.Form):
    eradicated_on = DayField(label=_("Eradicated on"), initial=timezone.localdate)

    def __init__(self, *args, hotspot: Hotspot, **kwargs):
        super().__init__(*args, **kwargs)
        self.hotspot = hotspot
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Mark eradicated"), css_class="btn-success"))

    def clean_eradicated_on(self):
        day = self.cleaned_data["eradicated_on"]
        if day < self.hotspot.detected_on:
            raise forms.ValidationError(_("A hotspot cannot be eradicated before it was detected."))
        return day


class PledgeForm(forms.Form):
    signed_on = DayField(label=_("Signed on"), initial=timezone.localdate)
