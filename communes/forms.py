from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Hamlet


class HamletForm(forms.ModelForm):
    class Meta:
        model = Hamlet
        fields = ["name", "households", "hotline_board", "mailbox"]

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        # The commune comes from the URL (already access-checked), never from the POST.
        self.commune = commune
        self.instance.commune = commune
        self.helper = FormHelper()
        # Server-side messages in Vietnamese, not the browser's own in its language.
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the hamlet's name."))
        clash = Hamlet.objects.filter(commune=self.commune, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This commune already has a hamlet with this name."))
        return name


class HamletArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("For example: merged into another hamlet, dissolved."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Archive the hamlet"), css_class="btn-danger"))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for archiving."))
        return reason
