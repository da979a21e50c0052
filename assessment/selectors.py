"""Reads of the annual assessment: what each user may see of it (a liaison their own member's
score of a confirmed assessment only; leadership, the secretariat and the admin everything), and
the figures the scoring reads for a year, gathered in a fixed number of queries."""

from collections import Counter
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from certification.selectors import certified_counts
from jituan.models import Member, User
from jituan.selectors import scope_to_member
from supervision.models import InstructionReply, Urge
from targets.board import board_rows, members_reporting_on
from targets.figures import Timeliness
from targets.models import Plan, Submission, Task, TaskReport
from targets.selectors import plan_progress

from .models import Assessment, MemberScore
from .scoring import Facts

# --- what a user may see -----------------------------------------------------------------------


def assessments_for(user: User) -> QuerySet[Assessment]:
    """A liaison sees confirmed assessments only: a draft is the secretariat's working copy."""
    assessments = Assessment.objects.all()
    if not user.is_authenticated or (user.role is None and not user.is_superuser):
        return assessments.none()
    if user.is_liaison:
        return assessments.filter(status=Assessment.Status.CONFIRMED)
    return assessments


def assessment_get_for(user: User, year: int) -> Assessment:
    return get_object_or_404(assessments_for(user), year=year)


def scores_for(user: User, assessment: Assessment) -> QuerySet[MemberScore]:
    if not assessments_for(user).filter(pk=assessment.pk).exists():
        return MemberScore.objects.none()
    scores = assessment.scores.select_related("member")
    return scope_to_member(scores, user)


def score_get_for(user: User, assessment: Assessment, member_pk: int) -> MemberScore:
    return get_object_or_404(scores_for(user, assessment), member_id=member_pk)


def own_score(user: User, assessment: Assessment) -> MemberScore:
    """A liaison's own member's score (404 when it has none)."""
    if not user.is_liaison or user.member_id is None:
        raise Http404
    return score_get_for(user, assessment, user.member_id)


def kind_sizes(assessment: Assessment) -> dict[str, int]:
    """How many members of each kind were assessed: the "of 7" of a rank."""
    rows = assessment.scores.values("member__kind").annotate(n=Count("pk")).order_by()
    return {row["member__kind"]: row["n"] for row in rows}


# --- the figures the scoring reads -------------------------------------------------------------


def assessed_facts(plan: Plan, today: date) -> dict[int, Facts]:
    """member pk -> its figures for the plan's year, for every member assessed: responsible for
    at least one of the plan's tasks, or with an own target of one of its indicators."""
    facts: dict[int, Facts] = {}
    _add_tasks(plan, facts)
    _add_indicators(plan, facts)
    members = Member.objects.filter(pk__in=list(facts))
    _add_on_time(plan, members, today, facts)
    year = plan.year
    for member_pk, count in certified_counts(year).items():
        if member_pk in facts:
            facts[member_pk].achievements = count
    urges = Urge.objects.filter(created_at__year=year, member__in=list(facts))
    for member_pk, count in Counter(urges.values_list("member_id", flat=True)).items():
        facts[member_pk].urges = count
    _add_instructions(year, facts)
    return facts


def _add_tasks(plan: Plan, facts: dict[int, Facts]) -> None:
    through = Task.responsible_members.through
    pairs = set(through.objects.filter(task__plan=plan).values_list("member_id", "task_id"))
    reports = (
        TaskReport.objects.filter(task__plan=plan, submission__status=Submission.Status.APPROVED)
        .exclude(status="")
        .order_by("submission__quarter", "pk")
        .values_list("submission__member_id", "task_id", "status")
    )
    latest = {(member_pk, task_pk): status for member_pk, task_pk, status in reports}
    for member_pk, task_pk in pairs:
        member = facts.setdefault(member_pk, Facts())
        member.tasks_total += 1
        status = latest.get((member_pk, task_pk))
        if status == TaskReport.Status.DONE:
            member.tasks_done += 1
        elif status == TaskReport.Status.ON_TRACK:
            member.tasks_on_track += 1


def _add_indicators(plan: Plan, facts: dict[int, Facts]) -> None:
    indicators = plan.indicators.select_related("plan").prefetch_related("trajectory")
    progress = plan_progress(indicators)
    own = {pk for p in progress for pk in p.allocations}
    members = list(Member.objects.filter(pk__in=own))
    for indicator in progress:
        for row in indicator.member_rows(members):
            if row["member"].pk in indicator.allocations:
                member = facts.setdefault(row["member"].pk, Facts())
                member.indicator_completions.append(row["completion"])


def _add_on_time(plan: Plan, members, today: date, facts: dict[int, Facts]) -> None:
    for row in board_rows(plan, members_reporting_on(plan, members), today):
        codes = [cell.timeliness() for cell in row.cells]
        due = [code for code in codes if code != Timeliness.NOT_DUE]
        facts[row.member.pk].due = len(due)
        facts[row.member.pk].on_time = sum(code == Timeliness.ON_TIME for code in due)


def _add_instructions(year: int, facts: dict[int, Facts]) -> None:
    rows = (
        InstructionReply.objects.filter(instruction__created_at__year=year, member__in=list(facts))
        .values("member_id")
        .annotate(total=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    )
    for row in rows:
        facts[row["member_id"]].instructions_total = row["total"]
        facts[row["member_id"]].instructions_answered = row["answered"]
