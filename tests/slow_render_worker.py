"""A Celery app for the worker tests whose PDF typesetting takes a few seconds longer, so that a
test can kill the worker's process in the middle of a render."""

import os
import time

import django

from jituan.celery import app

django.setup()

from reports import documents  # noqa: E402 - needs the apps loaded

_typeset = documents.html_to_pdf


def _slow_typeset(html):
    time.sleep(float(os.environ.get("JITUAN_TEST_RENDER_DELAY", "4")))
    return _typeset(html)


documents.html_to_pdf = _slow_typeset

__all__ = ["app"]
