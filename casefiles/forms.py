from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import Commune
from core.forms import DayField, not_before

from .citizen_id import citizen_id_mismatch, normalise_citizen_id, validate_citizen_id_format
from .models import (
    Category,
    CloseReason,
    DrugTest,
    Person,
    Presence,
    RehabEpisode,
    RehabOutcome,
    SupportAction,
)


def _helper(submit_label, css_class="btn-primary") -> FormHelper:
    helper = FormHelper()
    # Server-side messages in Vietnamese, not the browser's own in its language.
    helper.attrs = {"novalidate": ""}
    helper.add_input(Submit("submit", submit_label, css_class=css_class))
    return helper


class PersonForm(forms.ModelForm):
    """Identity and situation of a person. The commune comes from the URL, never the POST."""

    birth_date = DayField(label=_("Date of birth"))
    # Longer than 12 so that "020 090 000 123" can be typed; spaces are stripped in clean.
    citizen_id = forms.CharField(label=_("Citizen ID (CCCD)"), max_length=20)
    listed_on = DayField(label=_("Listed on"))
    file_opened_on = DayField(
        label=_("File opened on"), required=False, help_text=_("Leave empty if no file yet.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [
            "full_name",
            "birth_date",
            "sex",
            "citizen_id",
            "hamlet",
            "address",
            "listed_on",
            "file_opened_on",
            "psychosis",
            "released_prisoner",
            "responsible",
        ]

    def __init__(self, *args, commune: Commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.instance.commune = commune
        self.fields["hamlet"].queryset = commune.hamlets.active()
        self.fields["citizen_id"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = _helper(_("Save"))

    def validate_unique(self):
        # Whether a citizen ID is free is the service's question (casefiles.services.
        # citizen_id_claim): the model's check would say "taken" for a file outside the
        # user's area too (contracts.md §3).
        exclude = self._get_validation_exclusions() | {"citizen_id"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name.split()) < 2:
            raise forms.ValidationError(_("Enter the full name: family name and given name."))
        return name

    def clean_citizen_id(self):
        citizen_id = normalise_citizen_id(self.cleaned_data["citizen_id"])
        validate_citizen_id_format(citizen_id)
        return citizen_id

    def clean(self):
        cleaned = super().clean()
        birth = cleaned.get("birth_date")
        citizen_id, sex = cleaned.get("citizen_id"), cleaned.get("sex")
        if birth and citizen_id and sex:
            mismatch = citizen_id_mismatch(citizen_id, sex=sex, birth_date=birth)
            if mismatch:
                self.add_error("citizen_id", mismatch)
        if birth:
            for field in ("listed_on", "file_opened_on"):
                try:
                    not_before(cleaned.get(field), birth, _("This date is before the birth date."))
                except forms.ValidationError as error:
                    self.add_error(field, error)
        return cleaned


class PersonCreateForm(PersonForm):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    category_since = DayField(label=_("In this category since"))
    presence = forms.ChoiceField(
        label=_("Presence"), choices=Presence.choices, initial=Presence.PRESENT
    )
    transfer_note = forms.CharField(
        label=_("Note for the provincial police"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "If the person moved here from elsewhere: where from, since when. When their "
            "citizen ID cannot be opened here, the form sends a file transfer request to the "
            "provincial police with this note."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        birth = cleaned.get("birth_date")
        if birth:
            try:
                not_before(
                    cleaned.get("category_since"), birth, _("This date is before the birth date.")
                )
            except forms.ValidationError as error:
                self.add_error("category_since", error)
        return cleaned

    @property
    def identity(self) -> dict:
        return {name: self.cleaned_data[name] for name in PersonForm.Meta.fields}


class PersonEventForm(forms.ModelForm):
    """A dated record on a person's file; its date may not precede the person's birth."""

    date_field = ""

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        cleaned = super().clean()
        try:
            not_before(
                cleaned.get(self.date_field),
                self.person.birth_date,
                _("This date is before the person's birth date."),
            )
        except forms.ValidationError as error:
            self.add_error(self.date_field, error)
        return cleaned


class DrugTestForm(PersonEventForm):
    date_field = "tested_on"
    tested_on = DayField(label=_("Tested on"), initial=timezone.localdate)

    class Meta:
        model = DrugTest
        fields = ["tested_on", "kind", "result", "substance", "tested_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the test"))

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("tested_on"), cleaned.get("kind")
        if day and kind and self.person.tests.filter(tested_on=day, kind=kind).exists():
            self.add_error("tested_on", _("A test of this kind is already recorded on this day."))
        return cleaned


class RehabEpisodeForm(PersonEventForm):
    date_field = "started_on"
    started_on = DayField(label=_("Started on"))
    ended_on = DayField(label=_("Ended on"), required=False)

    class Meta:
        model = RehabEpisode
        fields = ["form", "started_on", "ended_on", "outcome", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the rehab episode"))

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end cannot be before the start."))
        if not ended and cleaned.get("outcome"):
            self.add_error("outcome", _("An outcome needs an end date."))
        form = cleaned.get("form")
        if (
            started
            and form
            and self.person.rehab_episodes.filter(form=form, started_on=started).exists()
        ):
            self.add_error("started_on", _("This episode is already recorded."))
        return cleaned


class RehabEndForm(forms.Form):
    ended_on = DayField(label=_("Ended on"), initial=timezone.localdate)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[choice for choice in RehabOutcome.choices if choice[0]]
    )

    def __init__(self, *args, episode: RehabEpisode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.helper = _helper(_("End the episode"))

    def clean_ended_on(self):
        ended = self.cleaned_data["ended_on"]
        not_before(ended, self.episode.started_on, _("The end cannot be before the start."))
        return ended


class SupportActionForm(PersonEventForm):
    date_field = "given_on"
    given_on = DayField(label=_("Date"), initial=timezone.localdate)

    class Meta:
        model = SupportAction
        fields = ["kind", "given_on", "provided_by", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the support"))


class StateChangeForm(forms.Form):
    """A new category or presence, from a date on."""

    value = forms.ChoiceField()
    on = DayField(label=_("From"), initial=timezone.localdate)

    def __init__(self, *args, label, choices, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].label = label
        self.fields["value"].choices = choices
        self.person = person
        self.helper = _helper(_("Save"))

    def clean_on(self):
        day = self.cleaned_data["on"]
        not_before(day, self.person.birth_date, _("This date is before the person's birth date."))
        return day


class MoveForm(forms.Form):
    to_commune = forms.ModelChoiceField(label=_("To commune"), queryset=Commune.objects.none())
    on = DayField(label=_("Moved on"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_commune"].queryset = communes
        self.helper = _helper(_("Move the file"), css_class="btn-warning")


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CloseReason.choices)
    on = DayField(label=_("File closed on"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Close the file"), css_class="btn-danger")


class TransferApproveForm(forms.Form):
    on = DayField(label=_("Moved on"), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TransferRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, read by the requesting commune"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not name the commune or province that holds the file."),
    )
