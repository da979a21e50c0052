"""What each role's work desk (工作台) counts: every query goes through the user-scoped selectors
of the app it reads, so a liaison's desk holds their member's work only."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.models import Certification
from certification.selectors import certifications_for
from jituan.models import Member, User
from jituan.selectors import members_for, users_for
from reports.models import Report
from supervision.models import SEVERITY, Light
from supervision.selectors import instructions_for, latest_lights_for
from targets import figures, periods, reporting, selectors
from targets.board import board_rows, members_reporting_on
from targets.deadlines import member_deadline_state, schedules_for
from targets.models import ImportBatch, ReopenRequest, Submission
from targets.services import monthly_tasks_of


@dataclass(frozen=True)
class DeskItem:
    """One line of a desk: how many things wait, and the page where they are done."""

    key: str
    label: str
    count: int
    url: str


def secretariat_items(user: User, today: date) -> list[DeskItem]:
    submissions = selectors.submissions_for(user)
    pending = selectors.reopen_requests_for(user).filter(status=ReopenRequest.Status.PENDING)
    items = [
        DeskItem(
            "review",
            _("Submissions waiting for review"),
            submissions.filter(status=Submission.Status.SUBMITTED).count(),
            reverse("targets:submission-list") + "?status=submitted",
        ),
        DeskItem(
            "reopen",
            _("Reopening requests to answer"),
            pending.count(),
            reverse("targets:reopen-list"),
        ),
        _late_item(user, today),
        _red_item(user),
        _instruction_item(user),
        _certification_item(user),
        *_import_items(user),
    ]
    if user.has_perm("reports.add_report"):
        reports = Report.objects.filter(status__in=[Report.Status.QUEUED, Report.Status.FAILED])
        items.append(
            DeskItem(
                "reports",
                _("Reports queued or failed"),
                reports.count(),
                reverse("reports:archive"),
            )
        )
    return [item for item in items if item is not None]


def _late_item(user: User, today: date) -> DeskItem | None:
    """Members whose report for the latest quarter already due is not in (the one timeliness
    rule of targets.figures, read off the completeness board)."""
    plan = selectors.default_plan(selectors.plans_for(user), today)
    if plan is None:
        return None
    due = [q for q, schedule in schedules_for(plan).items() if schedule.due_on < today]
    if not due:
        return None
    quarter = max(due)
    rows = board_rows(plan, members_reporting_on(plan, members_for(user)), today)
    late = sum(
        1 for row in rows if row.cells[quarter - 1].timeliness() == figures.Timeliness.MISSING
    )
    return DeskItem(
        "late",
        _("Members late for %(year)s Q%(quarter)s") % {"year": plan.year, "quarter": quarter},
        late,
        reverse("targets:submission-board") + f"?plan={plan.pk}",
    )


def _red_item(user: User) -> DeskItem:
    """Task × member lights that are red (the daily job's), to urge or look into."""
    return DeskItem(
        "red",
        _("Red lights"),
        latest_lights_for(user).filter(light=Light.RED).count(),
        reverse("supervision:light-list") + "?light=red",
    )


def _instruction_item(user: User) -> DeskItem:
    """Leaders' instructions some member has not answered yet."""
    waiting = instructions_for(user).filter(replies__answered_at__isnull=True).distinct()
    return DeskItem(
        "instructions",
        _("Leaders' instructions not yet answered"),
        waiting.count(),
        reverse("supervision:instruction-list"),
    )


def _certification_item(user: User) -> DeskItem:
    """Records submitted for certification (认定) and not yet decided."""
    waiting = certifications_for(user).filter(status=Certification.Status.SUBMITTED)
    return DeskItem(
        "certification",
        _("Records awaiting certification"),
        waiting.count(),
        reverse("certification:list") + f"?status={Certification.Status.SUBMITTED}",
    )


def _import_items(user: User) -> list[DeskItem]:
    if not user.has_perm("targets.add_importbatch"):
        return []
    waiting = selectors.imports_for(user).filter(status=ImportBatch.Status.PREVIEWED)
    return [
        DeskItem(
            "imports",
            _("Imports waiting to be committed"),
            waiting.count(),
            reverse("targets:import-list"),
        )
    ]


def admin_items(user: User) -> list[DeskItem]:
    people = users_for(user).annotate(roles=Count("groups"))
    people_url = reverse("jituan:user-list")
    return [
        DeskItem(
            "no-role",
            _("People without a role"),
            people.filter(roles=0, is_active=True, is_superuser=False).count(),
            people_url,
        ),
        DeskItem(
            "inactive",
            _("Inactive people"),
            people.filter(is_active=False).count(),
            people_url + "?is_active=false",
        ),
        *_import_items(user),
    ]


@dataclass
class LiaisonDesk:
    plan: object = None
    quarter: int | None = None
    deadline: object = None
    submission: Submission | None = None
    returned: list = field(default_factory=list)  # [(submission, [(row, comment)])]
    register_figures: list = field(default_factory=list)
    fill_url: str = ""
    monthly_url: str = ""  # this month's progress, when the member reports a task monthly
    lights: list = field(default_factory=list)  # the member's red and yellow tasks, worst first
    instructions: list = field(default_factory=list)  # leaders' instructions still to answer
    # Certifications of the member's records rejected and not submitted again since.
    rejections: list = field(default_factory=list)


def liaison_desk(user: User, today: date) -> LiaisonDesk:
    """The quarter the liaison reports on now, where it stands, what the reviewer asked to fix,
    and the register figures their member's indicators read."""
    member = user.member
    found = periods.current_quarter(member, today) if member else None
    if found is None:
        return LiaisonDesk(
            lights=_own_lights(user),
            instructions=_own_instructions(user),
            rejections=_own_rejections(user),
        )
    plan, quarter = found
    submission = selectors.submissions_for(user).filter(plan=plan, quarter=quarter).first()
    desk = LiaisonDesk(
        plan=plan,
        quarter=quarter,
        deadline=member_deadline_state(plan, member.pk, quarter, today),
        submission=submission,
        register_figures=reporting.register_figures(plan=plan, member=member),
        fill_url=reverse("targets:submission-fill", args=[plan.pk, quarter]),
    )
    returned = selectors.submissions_for(user).filter(status=Submission.Status.RETURNED)
    desk.returned = [(s, _returned_rows(s)) for s in returned.order_by("-plan__year", "quarter")]
    desk.lights = _own_lights(user)
    desk.instructions = _own_instructions(user)
    desk.rejections = _own_rejections(user)
    if monthly_tasks_of(plan, member):
        month = today.month if plan.year == today.year else 12
        desk.monthly_url = reverse("targets:monthly-fill", args=[plan.pk, month])
    return desk


def _own_rejections(user: User) -> list:
    later = Certification.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        submitted_at__gt=OuterRef("submitted_at"),
    )
    rejected = certifications_for(user).filter(status=Certification.Status.REJECTED)
    return list(rejected.exclude(Exists(later)).order_by("-decided_at")[:10])


def _own_instructions(user: User) -> list:
    pending = instructions_for(user).filter(
        replies__member_id=user.member_id, replies__answered_at__isnull=True
    )
    return list(pending[:20])


def _own_lights(user: User) -> list:
    lights = latest_lights_for(user).exclude(light=Light.GREEN)
    lights = lights.order_by("-task__plan__year", "task__position", "task__pk")
    return sorted(lights, key=lambda light: -SEVERITY[light.light])[:20]


def _returned_rows(submission: Submission) -> list[tuple[str, str]]:
    """(what, the reviewer's comment) for every row the reviewer commented on."""
    rows = [
        (str(report.task), report.review_comment)
        for report in submission.tasks.select_related("task").exclude(review_comment="")
    ]
    rows += [
        (str(report.indicator), report.review_comment)
        for report in submission.indicators.select_related("indicator").exclude(review_comment="")
    ]
    return rows


def member_overview(user: User) -> dict:
    """The group at a glance (1+2+2+N): active members by kind and by role in the group."""
    members = members_for(user).active()
    return {
        "member_count": members.count(),
        "by_kind": _count_by(members, "kind", Member.Kind),
        "by_role": _count_by(members, "group_role", Member.GroupRole),
    }


def _count_by(members, field_name, choices):
    counts = dict(members.values_list(field_name).annotate(n=Count("pk")).order_by())
    return [
        {"value": value, "label": label, "n": counts[value]}
        for value, label in choices.choices
        if value in counts
    ]
