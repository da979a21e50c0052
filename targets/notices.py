"""What the submission workflow tells people (站内消息): the wording and the recipients, kept here
so that the services call one line each."""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from jituan.models import Member, Notification
from jituan.notifications import notify

from .board import members_reporting_on
from .deadlines import schedules_for
from .models import Plan, ReopenRequest, Submission


def _liaisons(member_id: int):
    return Member.objects.get(pk=member_id).liaisons.filter(is_active=True)


def _which(plan: Plan, quarter: int) -> dict:
    return {"year": plan.year, "quarter": quarter}


def submission_reviewed(submission: Submission) -> None:
    """Returned or approved: the member's liaisons hear it, with the reviewer's comment."""
    which = _which(submission.plan, submission.quarter)
    if submission.status == Submission.Status.RETURNED:
        kind = Notification.Kind.RETURNED
        text = _("Your %(year)s Q%(quarter)s progress report was returned to be fixed.") % which
        if submission.review_comment:
            text += " " + _("Comment: %(comment)s") % {"comment": submission.review_comment}
        url = reverse("targets:submission-fill", args=[submission.plan_id, submission.quarter])
    else:
        kind = Notification.Kind.APPROVED
        text = _("Your %(year)s Q%(quarter)s progress report was approved.") % which
        url = submission.get_absolute_url()
    notify(_liaisons(submission.member_id), kind, text, url)


def reopen_decided(request: ReopenRequest) -> None:
    """The liaison who asked hears the answer."""
    which = _which(request.plan, request.quarter)
    if request.status == ReopenRequest.Status.GRANTED:
        kind = Notification.Kind.REOPEN_GRANTED
        text = _("Your request to reopen %(year)s Q%(quarter)s was granted until %(date)s.") % {
            **which,
            "date": f"{request.until:%Y-%m-%d}",
        }
    else:
        kind = Notification.Kind.REOPEN_REFUSED
        text = _("Your request to reopen %(year)s Q%(quarter)s was refused.") % which
    if request.decision_note:
        text += " " + _("Note: %(note)s") % {"note": request.decision_note}
    url = reverse("targets:submission-fill", args=[request.plan_id, request.quarter])
    notify([request.requested_by], kind, text, url)


def deadlines_coming(*, today: date) -> int:
    """JITUAN_REMIND_DAYS_BEFORE (3) days before a quarter's due date, each member that has not
    submitted hears it through its liaisons; once only per member, quarter and user (the
    notification's key), however often this runs. Returns how many notifications were created."""
    created = 0
    due_on = today + timedelta(days=settings.JITUAN_REMIND_DAYS_BEFORE)
    for plan in Plan.objects.filter(year__in=[due_on.year, due_on.year - 1]):
        for quarter, schedule in schedules_for(plan).items():
            if schedule.due_on == due_on:
                created += _deadline_coming(plan, quarter, due_on)
    return created


def _deadline_coming(plan: Plan, quarter: int, due_on: date) -> int:
    done = set(
        Submission.objects.filter(
            plan=plan,
            quarter=quarter,
            status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED],
        ).values_list("member_id", flat=True)
    )
    text = _("Your %(year)s Q%(quarter)s progress report is due on %(date)s.") % {
        **_which(plan, quarter),
        "date": f"{due_on:%Y-%m-%d}",
    }
    url = reverse("targets:submission-fill", args=[plan.pk, quarter])
    created = 0
    for member in members_reporting_on(plan, Member.objects.active()):
        if member.pk not in done:
            key = f"deadline:{plan.pk}:{quarter}:{member.pk}"
            liaisons = member.liaisons.filter(is_active=True)
            created += len(notify(liaisons, Notification.Kind.DEADLINE_COMING, text, url, key=key))
    return created
