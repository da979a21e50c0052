"""Reads behind the quarterly reporting screens: the rows a member reports on (stored, or empty
and unsaved until the first save) and what changed since the secretariat last looked."""

from dataclasses import dataclass

from jituan.models import Member

from .models import (
    IndicatorReport,
    Plan,
    Submission,
    SubmissionVersion,
    TaskReport,
)
from .models.plans import indicators_from_registers, indicators_reported_by, tasks_reported_by
from .selectors import targets_of_member
from .services.submissions import snapshot_changes, submission_snapshot
from .sources import SOURCES, actuals_for


def submission_of(*, plan: Plan, member: Member, quarter: int) -> Submission | None:
    return Submission.objects.filter(plan=plan, member=member, quarter=quarter).first()


def report_rows(
    *, plan: Plan, member: Member, submission: Submission | None, complete: bool
) -> tuple[list[TaskReport], list[IndicatorReport]]:
    """The submission's rows, each indicator row with the member's target. With complete, also
    an empty, unsaved row for every task naming the member and every indicator allocated to it
    that the submission has no row for yet (services.submission_start adds them on saving)."""
    tasks = list(_stored(submission, "tasks", "task").prefetch_related("task__milestones"))
    indicators = list(_stored(submission, "indicators", "indicator"))
    if complete:
        have = {report.task_id for report in tasks}
        tasks += [
            TaskReport(task=task)
            for task in tasks_reported_by(plan, member)
            .select_related("lead_member")
            .prefetch_related("milestones")
            .exclude(pk__in=have)
        ]
        have = {report.indicator_id for report in indicators}
        indicators += [
            IndicatorReport(indicator=indicator)
            for indicator in indicators_reported_by(plan, member).exclude(pk__in=have)
        ]
    targets = targets_of_member([report.indicator for report in indicators], member)
    for report in indicators:
        report.member_target = targets.get(report.indicator_id)
        report.member_target_display = report.indicator.display(report.member_target)
    for report in tasks:
        # Another member leads the task: this member assists, its progress is a note for it.
        lead = report.task.lead_member
        report.assisting_for = lead if lead is not None and lead.pk != member.pk else None
    tasks.sort(key=lambda report: (report.task.position, report.task.pk))
    indicators.sort(key=lambda report: (report.indicator.position, report.indicator.pk))
    return tasks, indicators


@dataclass
class RegisterFigure:
    indicator: object
    member_target: object
    value: object
    records_url: str

    @property
    def member_target_display(self) -> str:
        return self.indicator.display(self.member_target)

    @property
    def value_display(self) -> str:
        return self.indicator.display(self.value)


def register_figures(*, plan: Plan, member: Member) -> list[RegisterFigure]:
    """The member's figures that come from registers, as they stand now, each with the records
    to correct it in (the quarterly report asks for none of them)."""
    indicators = [i for i in indicators_from_registers(plan, member) if i.source in SOURCES]
    actuals = actuals_for([(indicator, plan.year) for indicator in indicators])
    targets = targets_of_member(indicators, member)
    return [
        RegisterFigure(
            indicator,
            targets.get(indicator.pk),
            actuals[(indicator.pk, plan.year)].per_member.get(member.pk),
            SOURCES[indicator.source].records_url(plan.year, member.pk),
        )
        for indicator in sorted(indicators, key=lambda i: (i.position, i.pk))
    ]


def _stored(submission: Submission | None, rows: str, row_of: str):
    model = TaskReport if rows == "tasks" else IndicatorReport
    if submission is None or submission.pk is None:
        return model.objects.none()
    related = ("task", "task__lead_member") if rows == "tasks" else (row_of,)
    return getattr(submission, rows).select_related(*related)


def changes_since_review(submission: Submission) -> list[dict]:
    """What changed since the secretariat last looked: the last return or approval of this
    submission, else the member's latest approved submission of the plan."""
    reviewed = (
        submission.versions.filter(
            action__in=[SubmissionVersion.Action.RETURNED, SubmissionVersion.Action.APPROVED]
        )
        .order_by("-number")
        .first()
    )
    if reviewed is not None:
        baseline = reviewed.snapshot
    else:
        previous = (
            Submission.objects.filter(
                plan=submission.plan,
                member=submission.member,
                quarter__lt=submission.quarter,
                status=Submission.Status.APPROVED,
            )
            .order_by("-quarter")
            .first()
        )
        baseline = submission_snapshot(previous) if previous else {}
    return snapshot_changes(baseline, submission_snapshot(submission))
