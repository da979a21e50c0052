"""Forms of urging: the note of a manual urge, a group robot, the schedule."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from jituan.models import Member

from .models import Webhook
from .urging import NOTE_MAX, Step
from .webhooks import mask_url


class UrgeForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=Member.objects.none(),
        label=_("member"),
        error_messages={
            "required": _("Choose the member to urge."),
            "invalid_choice": _("This member is not responsible for the task."),
        },
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=NOTE_MAX,
        error_messages={"max_length": _("The note may be at most 300 characters.")},
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = members


class WebhookForm(forms.ModelForm):
    """The address and the secret are never sent back to the page: on edit, an empty field
    keeps what is stored."""

    url = forms.CharField(label=_("webhook address"), required=False, max_length=500)
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("DingTalk's 加签 secret, when the robot has one."),
    )
    clear_secret = forms.BooleanField(label=_("remove the signing secret"), required=False)

    class Meta:
        model = Webhook
        fields = ["member", "kind", "url", "secret", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.active().order_by("name")
        self.initial["url"] = ""
        self.initial["secret"] = ""
        stored = self.instance.pk is not None
        if stored:
            self.fields["url"].help_text = _("Now %(address)s; leave empty to keep it.") % {
                "address": mask_url(self.instance.url)
            }
            if self.instance.secret:
                self.fields["secret"].help_text = _("A secret is set; leave empty to keep it.")
        if not (stored and self.instance.secret):
            del self.fields["clear_secret"]

    def clean_url(self):
        value = self.cleaned_data["url"].strip()
        if not value and self.instance.pk:
            return self.instance.url
        if not value:
            raise forms.ValidationError(_("Enter the robot's webhook address."))
        URLValidator(
            schemes=["http", "https"],
            message=_("Enter an address starting with https:// or http://."),
        )(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("clear_secret"):
            cleaned["secret"] = ""
        elif not cleaned.get("secret") and self.instance.pk:
            cleaned["secret"] = self.instance.secret
        return cleaned

    def _post_clean(self):
        # The stored secret is kept by clean(); put the cleaned value on the instance.
        super()._post_clean()
        if "secret" in self.cleaned_data:
            self.instance.secret = self.cleaned_data["secret"]


CHECKBOX = {"class": "form-check-input"}


class StepForm(forms.Form):
    days = forms.IntegerField(
        label=_("days from the deadline"),
        widget=forms.NumberInput({"class": "form-control form-control-sm", "style": "width:7em"}),
        min_value=-60,
        max_value=60,
        error_messages={
            "required": _("Enter the days from the deadline (−60 to 60)."),
            "min_value": _("Days from the deadline must be between −60 and 60."),
            "max_value": _("Days from the deadline must be between −60 and 60."),
            "invalid": _("Days from the deadline must be a whole number."),
        },
    )
    repeat_daily = forms.BooleanField(
        label=_("then every day"), required=False, widget=forms.CheckboxInput(CHECKBOX)
    )
    to_leadership = forms.BooleanField(
        label=_("also to the member's leadership"),
        required=False,
        widget=forms.CheckboxInput(CHECKBOX),
    )


class BaseStepFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            days = form.cleaned_data.get("days")
            if days is None:
                continue
            if days in seen:
                raise forms.ValidationError(
                    _("%(days)s days appears twice; each step needs its own day.") % {"days": days}
                )
            seen.add(days)

    def steps(self) -> list[Step]:
        return [
            Step(
                f.cleaned_data["days"],
                f.cleaned_data["repeat_daily"],
                f.cleaned_data["to_leadership"],
            )
            for f in self.forms
            if f.cleaned_data.get("days") is not None
            and not (self.can_delete and self._should_delete_form(f))
        ]


StepFormSet = forms.formset_factory(
    StepForm, formset=BaseStepFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)


class PolicyForm(forms.Form):
    yellow_days = forms.IntegerField(
        label=_("yellow when a milestone is this many days away"),
        min_value=1,
        max_value=60,
        error_messages={
            "required": _("Enter the days (1 to 60)."),
            "min_value": _("The days must be between 1 and 60."),
            "max_value": _("The days must be between 1 and 60."),
            "invalid": _("The days must be a whole number."),
        },
    )
