"""Writes of the targets app: plans and imports (plans.py), submissions (submissions.py)."""

from .plans import *  # noqa: F403
from .submissions import *  # noqa: F403
