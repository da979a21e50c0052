from django import forms
from django.utils.translation import gettext_lazy as _

from jituan.fields import NOTE_TEXT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe): cleans to a list of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data if one]
        return [super().clean(data, initial)] if data else []


class SubmitForm(forms.Form):
    # Not required here: that evidence must be attached is the service's rule (one place).
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("Agreements, rosters, award notices … (several files may be chosen)."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    # Not required here: the service refuses an empty reason with its own message.
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        required=False,
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
