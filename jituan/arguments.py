"""Argument types shared by the management commands, refusing bad values in Chinese."""

import argparse

from django.utils.translation import gettext as _


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a whole number.") % {"value": text}
        ) from None
