"""Password validators whose messages Django's own Chinese catalogue lacks."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 rewrote this message ("… at least %d characters.") and its zh_Hans catalogue
    has not caught up: the message was shown in English. This one is in our catalogue."""

    def get_error_message(self):
        return _("This password is too short: it must have at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }
