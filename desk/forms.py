from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationSettingsForm(forms.Form):
    # A plain form: a ModelForm would set the user's field before the service decides to save.
    email_notifications = forms.BooleanField(
        label=_("e-mail my notifications"),
        required=False,
        help_text=_("Also send each in-app notification to my e-mail address."),
    )
