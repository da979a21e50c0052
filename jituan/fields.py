"""Model fields shared by the apps."""

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

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


# Bounds on figures people type or import. The upper ones catch a typed extra zero or a pasted
# phone number; they are not real limits.
YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]
TOO_MANY = _("At most %(limit_value)s: check the figure.")
STUDENTS = [MaxValueValidator(100_000, message=TOO_MANY)]
HEAD_COUNT = STUDENTS
TEACHERS = [MaxValueValidator(10_000, message=TOO_MANY)]
CLASS_SIZE = TEACHERS
# Yuan: a group's whole fund is millions, not billions.
MONEY = [MaxValueValidator(1_000_000_000, message=TOO_MANY)]
# A place in a list, or days of grace after a deadline.
POSITION = [MaxValueValidator(10_000, message=TOO_MANY)]
GRACE_DAYS = [MaxValueValidator(90, message=TOO_MANY)]
