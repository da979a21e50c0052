from .plans import (
    QUARTERS,
    Allocation,
    GroupFigure,
    ImportBatch,
    Indicator,
    Milestone,
    Plan,
    Task,
    TrajectoryPoint,
)
from .submissions import (
    Evidence,
    IndicatorReport,
    QuarterSchedule,
    ReopenRequest,
    Submission,
    SubmissionVersion,
    TaskReport,
)

__all__ = [
    "QUARTERS",
    "Allocation",
    "Evidence",
    "GroupFigure",
    "ImportBatch",
    "Indicator",
    "IndicatorReport",
    "Milestone",
    "Plan",
    "QuarterSchedule",
    "ReopenRequest",
    "Submission",
    "SubmissionVersion",
    "Task",
    "TaskReport",
    "TrajectoryPoint",
]
