"""Writes of the targets app: plans and imports (plans.py), submissions (submissions.py),
monthly progress (monthly.py)."""

from .monthly import *  # noqa: F403
from .plans import *  # noqa: F403
from .submissions import *  # noqa: F403
