"""Model fields shared by the apps."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property

# A paragraph of progress, a description, a note: generous for what people write, and a bound
# on what a pasted or imported text can make every page and export carry.
LONG_TEXT = 2000
NOTE_TEXT = 1000


class BoundedTextField(models.TextField):
    """A TextField whose length is checked in forms and in full_clean (Django's TextField only
    passes max_length to the form's widget)."""

    def __init__(self, *args, max_length=LONG_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length)]
