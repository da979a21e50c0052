from django import forms
from django.utils.translation import gettext_lazy as _

from jituan.models import Member

from .instructions import TEXT_LIMIT


class InstructionForm(forms.Form):
    text = forms.CharField(
        label=_("instruction"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("members to act on it"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, on_report: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if on_report:
            self.fields["members"].queryset = Member.objects.active().in_group_order()
            self.fields["members"].required = True
        else:
            del self.fields["members"]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("what was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
    )
