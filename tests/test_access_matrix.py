"""The access matrix: every URL of the URL conf, asked by every role, on member A's and member B's
objects, with GET and with POST (empty data: the CSRF check is off in the test client).

The URL conf is walked (django.urls.get_resolver(), recursively through every include; Django's
admin is left out, see SKIPPED_NAMESPACES) and each named pattern must have a row in EXPECTED: a
URL added without an expected answer fails test_every_url_has_an_expected_answer. A row says
which objects fill the URL's arguments (member A's, member B's, a task or indicator both answer
for, a group-wide object, an issued or a draft report) and, per method, the answers each role may
get. Roles:

    anonymous                  signed out
    liaison_a / liaison_b      the liaisons of member A and of member B; on a member's object a
                               liaison is "own" (their member's, or shared by both) or "other"
    leadership                 reads everything, changes nothing
    secretariat, admin

An answer is a status code, or LOGIN (a redirect to a login page; any other redirect is 302).

Beside the table, every answer is checked for invariants that hold whatever the table says:
  - no 500: a view's exception is caught and reported with the project line that raised it;
  - a liaison never gets 200 on the other member's object;
  - nothing a liaison receives (HTML, JSON unescaped, every part of an .xlsx, a download and its
    file name, error pages too) holds the other member's name, any text of its records (member
    A's texts all carry 甲校独有, member B's 乙校独有) or any of its figures (FIGURES: numbers
    found nowhere else), nor the group total made of them;
  - anonymous gets 200 only from PUBLIC pages;
  - leadership's requests, every refused request (4xx or sent to log in) and every GET write
    nothing to the database (INSERT / UPDATE / DELETE seen by a connection execute wrapper).

The objects are built once for the module (a transaction rolled back at its end), and every
request runs in a savepoint of its own that is rolled back: a POST that succeeds (an approval,
an issued report) leaves the objects as they were for the next request. Each role's client
keeps only its session cookie between requests.

Reading a failure: test_access_matrix[<method>-<role>] fails once, listing every problem of that
role and method, one per line:

    GET targets:task-detail [B] /tasks/2/ as liaison_a (other): got 200, expected 404
    GET targets:task-detail [B] /tasks/2/ as liaison_a (other): LEAK, 200 on the other …
    GET targets:plan-export [-] /plans/1/export.xlsx as liaison_b (own): LEAK of '甲校独有'
        (answered 200): …text around it…
    POST reports:issue [draft] /reports/2/issue/ as leadership: WROTE to the database as
        leadership: UPDATE "reports_report" …
    GET dashboard:index [-] /dashboard/ as secretariat: got 500, expected 200 (KeyError: 7 at
        dashboard/selectors.py:120 in drill_rows)

[A] / [B] / [AB]: whose object filled the URL (AB: shared by both members); [-]: no member's
object; [issued] / [draft]: a report. Run one role and method with -k, e.g.
`-k "GET and liaison_b"`. Fix the application, or, if the new answer is the intended one, its
row in EXPECTED.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
import traceback
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlencode, urlparse

import pytest
from celery.app.task import Task as CeleryTask
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.template.base import Template
from django.test import Client
from django.test.utils import _TestState, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessment import services as assessment_services
from assessment.models import MemberScore
from certification.services import certification_submit
from development.models import College, ResearchTopic, TeacherDevelopment, TrainingCourse
from enrollment.models import Enrollment, GraduateCount, StudentsOnRoll, TeacherCount
from jituan.models import Notification
from jituan.notifications import notify
from jituan.roles import Role
from partnerships.models import (
    ApprenticeshipCohort,
    CertificatePilot,
    Consortium,
    CooperationAgreement,
    Enterprise,
    IndustryCollege,
    Major,
    OrderClass,
    TrainingBase,
)
from reports.models import Report
from rewards.models import DeductionRule, GradeRule, RewardFund, RewardRule, StudentIntake
from supervision.instructions import instruction_give
from supervision.models import Webhook
from supervision.urging import urge_send
from targets import services as target_services
from targets.models import (
    Allocation,
    GroupFigure,
    ImportBatch,
    Indicator,
    IndicatorReport,
    Milestone,
    MonthlyEntry,
    Plan,
    QuarterSchedule,
    Submission,
    Task,
    TaskReport,
)
from targets.services.submissions import task_refresh_latest_progress, version_record

from .factories import MemberContactFactory, MemberFactory, user_with_role
from .sheets import FOUR, task_rows, task_sheet

# --- the cast ---------------------------------------------------------------------------------

A_MARK, B_MARK = "甲校独有", "乙校独有"  # in every text of member A's / member B's records
A_NAME, A_SHORT = "甲城工业学校", "甲城工校"
B_NAME, B_SHORT = "乙县化工学校", "乙县化校"
# Every figure of a member's records is a number found nowhere else, so that it can be looked for
# like the texts: targets, reported values, register counts.
FIGURES = {
    "A": {
        "own_target": 6173,  # the indicator only A answers for (its target is A's allocation)
        "shared_allocation": 4271,  # A's part of the shared indicator
        "value": 3917,  # A's approved value, on both indicators
        "draft_value": 3791,  # A's submitted (not yet approved) value
        "quota": 7351,
        "enrolled": 7129,
        "teachers": 2713,
        "dual_qualified": 1931,
        "graduates": 5147,
        "employed_locally": 2389,
        "class_size": 1237,
        "apprentices": 1453,
        "certified": 1679,
        "intake": 1861,
        "on_roll": 6427,
        "trained": 5381,
        "brought_in": 1163,
        "major_students": 2647,
    },
    "B": {
        "own_target": 6284,
        "shared_allocation": 4866,
        "value": 3028,
        "draft_value": 3082,
        "quota": 8462,
        "enrolled": 8246,
        "teachers": 2864,
        "dual_qualified": 1428,
        "graduates": 5948,
        "employed_locally": 2482,
        "class_size": 1328,
        "apprentices": 1584,
        "certified": 1786,
        "intake": 1742,
        "on_roll": 6538,
        "trained": 5492,
        "brought_in": 1274,
        "major_students": 2758,
    },
}
# The shared indicator's target, and the group's approved total on it (A's value + B's value).
# The total is made of the other member's figures: never shown to a liaison (the dashboard and
# the plan page show a liaison their member's figures only). The target is the council's plan,
# shown to everyone on the indicator list, the indicator page and the task page, so it is not
# looked for (the plan page does hide it from liaisons, tests/targets/test_liaison_leaks.py: a
# question for the people who decide, not a leak of the other member's data).
GROUP_TARGET = 9137
GROUP_ACTUAL = FIGURES["A"]["value"] + FIGURES["B"]["value"]  # 6,945


def _figure(number: int) -> tuple[str, re.Pattern]:
    """A figure as any page, workbook or JSON writes it (7351, 7,351, 7351.0), not inside a
    longer number or a token."""
    digits = str(number)
    grouped = f"{digits[:-3]},?{digits[-3:]}" if len(digits) > 3 else digits
    return f"{number:,}", re.compile(rf"(?<![0-9A-Za-z,.]){grouped}(?![0-9A-Za-z]|,\d)")


def _text(text: str) -> tuple[str, re.Pattern]:
    return text, re.compile(re.escape(text))


def _never_shown_to_the_liaison_of(side: str, other: str) -> list[tuple[str, re.Pattern]]:
    """What the liaison of `side` must never receive: the other member's name, texts and
    figures, and the group's total made of them."""
    name, short, mark = (A_NAME, A_SHORT, A_MARK) if other == "A" else (B_NAME, B_SHORT, B_MARK)
    return [
        *(_text(t) for t in (mark, name, short)),
        *(_figure(n) for n in FIGURES[other].values()),
        _figure(GROUP_ACTUAL),
    ]


NEVER_SHOWN_TO = {
    "liaison_a": _never_shown_to_the_liaison_of("A", "B"),
    "liaison_b": _never_shown_to_the_liaison_of("B", "A"),
}
# The plan names every member responsible for a task both answer for (责任单位): the council's
# plan, not the other member's records. Only these exact joined lists are allowed through.
SHARED_TASK_MEMBERS = [
    f"{x}、{y}"
    for one, two in ((A_NAME, B_NAME), (A_SHORT, B_SHORT))
    for x, y in ((one, two), (two, one))
]

ROLES = ("anonymous", "liaison_a", "liaison_b", "leadership", "secretariat", "admin")
METHODS = ("GET", "POST")
TODAY = timezone.localdate()
YEAR = TODAY.year - 1  # every quarter of the plan has started, whatever today's date
OPEN_Q, CLOSED_Q, APPROVED_Q = 1, 2, 3  # see the quarter schedules in build_world

# Signed out, only these answer 200 (everything else sends to the login page).
PUBLIC = {"login", "healthz"}

# --- answers ----------------------------------------------------------------------------------

LOGIN = "login"  # 302 to /login/ (or the admin's login page)
SIGNED_IN = ("own", "other", "leadership", "secretariat", "admin")
GROUPS = {"liaison": ("own", "other"), "staff": ("secretariat", "admin")}


def answers(signed_in, *, anonymous=LOGIN, **roles) -> dict[str, frozenset]:
    """{role: allowed answers}. `signed_in` is every signed-in role's answer unless named:
    own / other (a liaison on their member's object / the other member's), liaison (both),
    leadership, secretariat, admin, staff (secretariat and admin). An answer is a code, LOGIN,
    or a set of them."""

    def one(value):
        return (
            frozenset(value) if isinstance(value, set | frozenset | tuple) else frozenset([value])
        )

    table = dict.fromkeys(SIGNED_IN, one(signed_in))
    table["anonymous"] = one(anonymous)
    for name in GROUPS:  # groups first, single roles override them
        if name in roles:
            table.update(dict.fromkeys(GROUPS[name], one(roles.pop(name))))
    for name, value in roles.items():
        assert name in table, name
        table[name] = one(value)
    return table


# GET of a page every role reads, cut to the liaison's member: the other member's object is 404.
READ = answers(200, other=404)
# A page that only reads, asked with POST. The other member's object may answer 404 first.
NO_POST = answers(405, other={404, 405})
# A function view without a method decorator answers POST as it answers GET: harmless on pages
# that only read, so either is accepted.
READ_ANY_METHOD = answers({200, 405}, other={404, 405})
# require_POST / require_GET: the method is refused before anything else.
NOT_ALLOWED = answers(405)
# Pages for the secretariat and the admin only (empty POST: the form again with its errors).
STAFF_FORM = answers(403, staff=200)
# The edit page of a member's object, changed by the secretariat and the admin only: the scoped
# lookup comes first, so the other member's object answers 404 even to a liaison who may not edit.
STAFF_EDIT = answers(403, other=404, staff=200)
# A register record a liaison keeps for their own member.
LIAISON_EDIT = answers(200, other=404, leadership=403)
# A report: not for liaisons (it covers every member); leadership reads issued ones only, a draft
# answers 404. A function view without a method decorator answers POST as GET.
REPORT_PAGE = {
    "get": answers(200, liaison=403),
    "post": answers({200, 405}, liaison=403),
    "sides": {
        "draft": {
            "GET": answers(200, liaison=403, leadership=404),
            "POST": answers({200, 405}, liaison=403, leadership={404, 405}),
        }
    },
}


@dataclass(frozen=True)
class Url:
    """One row of the table: which objects fill the URL (a key of World.args) and the answers."""

    objects: str
    get: dict
    post: dict
    query: dict = field(default_factory=dict)  # ?name=<object kind>, e.g. ?plan= for a new task
    sides: dict = field(default_factory=dict)  # side -> {"GET": answers, "POST": answers}

    def expected(self, method: str, side: str) -> dict:
        return self.sides.get(side, {}).get(method) or (self.get if method == "GET" else self.post)


def register(objects: str, *, liaison_adds: bool, liaison_changes: bool) -> dict[str, Url]:
    """The six URLs of a register (jituan.registers.Register.urls): list, create, update,
    export, history, delete. objects: the record kind (scoped to a member when it has sides A
    and B)."""
    app, slug = objects.split(":")
    scoped = objects in MEMBER_RECORDS
    read = READ if scoped else answers(200)
    if liaison_changes:
        edit = LIAISON_EDIT
    else:
        edit = STAFF_EDIT if scoped else STAFF_FORM
    return {
        f"{app}:{slug}-list": Url("none", get=answers(200), post=answers(405)),
        f"{app}:{slug}-create": Url(
            "none",
            get=answers(403, staff=200, liaison=200 if liaison_adds else 403),
            post=answers(403, staff=200, liaison=200 if liaison_adds else 403),
        ),
        f"{app}:{slug}-update": Url(objects, get=edit, post=edit),
        f"{app}:{slug}-export": Url("none", get=answers(200), post=answers({200, 405})),
        f"{app}:{slug}-history": Url(objects, get=read, post=NO_POST),
        # POST only; a liaison takes back their own member's records, never another's.
        f"{app}:{slug}-delete": Url(
            objects,
            get=answers(405),
            post=answers(302, other=404, leadership=403)
            if liaison_changes
            else answers(403, other=404, staff=302)
            if scoped
            else answers(403, staff=302),
        ),
    }


# Records that belong to one member: the world holds one of member A's and one of member B's.
MEMBER_RECORDS = {
    "enrollment:enrollment",
    "enrollment:teachers",
    "enrollment:graduates",
    "partnerships:order-classes",
    "partnerships:apprenticeships",
    "partnerships:industry-colleges",
    "partnerships:training-bases",
    "partnerships:certificate-pilots",
    "partnerships:agreements",
    "partnerships:majors",
    "rewards:intakes",
    "enrollment:students",
    "development:training",
    "development:teacher-development",
    "development:research-topics",
    "development:colleges",
}

# fmt: off
EXPECTED: dict[str, Url] = {
    # --- accounts and the home page ---
    # The work desk; leadership's is the dashboard.
    "home": Url("none", get=answers(200, leadership=302), post=answers(200, leadership=302)),
    # 站内消息: each person's own; another's answers 404 (their own read state is no data write,
    # see NOT_DATA).
    "desk:notification-list": Url("none", get=answers(200), post=answers(405)),
    "desk:notification-read": Url("notification", get=NOT_ALLOWED, post=answers(404, own=302)),
    "desk:notification-read-all": Url("none", get=NOT_ALLOWED, post=answers(302)),
    "desk:notification-settings": Url("none", get=answers(200), post=answers(302)),
    # 503 would be the broker or the database down: not a question of access.
    "healthz": Url("none", get=answers({200, 503}, anonymous={200, 503}),
        post=answers(405, anonymous=405)),
    "login": Url("none", get=answers(200, anonymous=200), post=answers(200, anonymous=200)),
    "logout": Url("none", get=NOT_ALLOWED, post=answers(LOGIN)),  # signed out, to log in again
    "password_change": Url("none", get=answers(200), post=answers(200)),
    "password_change_done": Url("none", get=answers(200), post=NOT_ALLOWED),
    # --- members and people ---
    "jituan:member-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    # A liaison's export holds their own member only (tests/jituan/test_members.py).
    "jituan:member-export": Url("none", get=answers(200), post=NOT_ALLOWED),
    "jituan:member-create": Url("none", get=STAFF_FORM, post=STAFF_FORM),
    "jituan:member-detail": Url("member", get=READ, post=NO_POST),
    "jituan:member-update": Url("member", get=STAFF_EDIT, post=STAFF_EDIT),
    "jituan:user-list": Url("none", get=answers(200, liaison=403),
        post=answers(405, liaison=403)),
    "jituan:user-create": Url("none", get=answers(403, admin=200), post=answers(403, admin=200)),
    "jituan:user-update": Url("user", get=answers(403, admin=200, other={403, 404}),
        post=answers(403, admin=200, other={403, 404})),
    # --- plans, tasks, indicators, allocations ---
    "targets:plan-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    "targets:plan-create": Url("none", get=STAFF_FORM, post=STAFF_FORM),
    "targets:plan-detail": Url("plan", get=answers(200), post=NOT_ALLOWED),
    "targets:plan-update": Url("plan", get=STAFF_FORM, post=STAFF_FORM),
    "targets:plan-export": Url("plan", get=answers(200), post=NOT_ALLOWED),
    "targets:task-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    "targets:task-create": Url("none", get=STAFF_FORM, post=STAFF_FORM, query={"plan": "plan"}),
    "targets:task-detail": Url("task", get=READ, post=NO_POST),
    "targets:task-update": Url("task", get=STAFF_EDIT, post=STAFF_EDIT),
    "targets:indicator-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    "targets:indicator-create": Url("none", get=STAFF_FORM, post=STAFF_FORM,
        query={"plan": "plan"}),
    # POST enters a group figure: the secretariat and the admin, on an indicator whose source is
    # a group figure (the world's are not: 400); nobody else gets past the permission.
    "targets:indicator-detail": Url("indicator", get=READ, post=answers(403, staff=400)),
    "targets:group-figure-confirm": Url(
        "group-figure", get=NOT_ALLOWED, post=answers(403, staff=302)
    ),
    # The document behind a group figure: never for liaisons, whichever member they are.
    "targets:group-figure-evidence": Url(
        "group-figure", get=answers(200, liaison=404), post=answers(200, liaison=404)
    ),
    "targets:indicator-update": Url("indicator", get=STAFF_EDIT, post=STAFF_EDIT),
    "targets:allocation-update": Url("indicator", get=STAFF_EDIT, post=STAFF_EDIT),
    "targets:allocation-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    # --- Excel imports: the secretariat and the admin. The list shows others an empty table
    # (imports_for cuts it to nothing) or refuses them; either way nothing of a batch. ---
    "targets:import-list": Url("none", get=answers({200, 403}, staff=200),
        post=answers({403, 405}, staff=405)),
    "targets:import-create": Url("none", get=STAFF_FORM, post=STAFF_FORM),
    "targets:import-template": Url("none", get=STAFF_FORM, post=NOT_ALLOWED),
    "targets:import-detail": Url("import", get=answers({403, 404}, staff=200),
        post=answers({403, 404, 405}, staff=405)),
    "targets:import-status": Url("import", get=answers({403, 404}, staff=200),
        post=NOT_ALLOWED),
    "targets:import-commit": Url("import", get=NOT_ALLOWED,
        post=answers({403, 404}, staff=302)),
    # --- quarterly submissions ---
    # 本季度填报: a liaison to their open quarter, everyone else to the board.
    "targets:submission-current": Url("none", get=answers(302), post=NOT_ALLOWED),
    # The liaison's form (their own member whatever the URL). The quarter was submitted: an
    # empty POST is refused with the page again (200) or as stale (409), never saved.
    "targets:submission-fill": Url("fill", get=answers(403, liaison=200),
        post=answers(403, liaison={200, 409})),
    # The quarter is closed: an empty request is refused with a message, back to the form. The
    # secretariat and the admin have the permission but no member: the service refuses them
    # (403) once there is a reason to read; an empty one is sent back first (302).
    "targets:reopen-request": Url("closed-quarter", get=NOT_ALLOWED,
        post=answers(403, liaison=302, staff={302, 403})),
    "targets:submission-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    "targets:submission-export": Url("none", get=answers(200), post=NOT_ALLOWED),
    "targets:submission-board": Url("none", get=answers(200), post=answers({200, 405})),
    "targets:submission-bulk-approve": Url("none", get=NOT_ALLOWED,
        post=answers(403, secretariat=302)),
    "targets:submission-detail": Url("submission", get=READ, post=READ_ANY_METHOD),
    # Reviewing is the secretariat's; an empty POST names no version: refused as stale (409)
    # or with a message (302).
    "targets:submission-review": Url("submission", get=NOT_ALLOWED,
        post=answers(403, secretariat={302, 409})),
    "targets:submission-history": Url("submission", get=READ, post=READ_ANY_METHOD),
    # Evidence: a liaison on their own submission (it is submitted: refused with a message);
    # the secretariat and the admin are refused by the service (403) or sent back (302).
    "targets:evidence-upload": Url("submission", get=NOT_ALLOWED,
        post=answers(403, own=302, other=404, staff={302, 403})),
    "targets:evidence-download": Url("evidence", get=READ, post=NOT_ALLOWED),
    "targets:evidence-delete": Url("evidence", get=NOT_ALLOWED,
        post=answers(403, own=302, other=404, staff={302, 403})),
    "targets:reopen-list": Url("none", get=STAFF_FORM, post=answers(403, staff={200, 405})),
    "targets:reopen-decide": Url("reopen", get=NOT_ALLOWED, post=answers(403, staff=302)),
    # --- registers ---
    "enrollment:by-member": Url("none", get=answers(200), post=answers({200, 405})),
    **register("enrollment:enrollment", liaison_adds=True, liaison_changes=True),
    **register("enrollment:teachers", liaison_adds=True, liaison_changes=True),
    **register("enrollment:graduates", liaison_adds=True, liaison_changes=True),
    **register("enrollment:students", liaison_adds=True, liaison_changes=True),
    **register("development:training", liaison_adds=True, liaison_changes=True),
    **register("development:teacher-development", liaison_adds=True, liaison_changes=True),
    **register("development:research-topics", liaison_adds=True, liaison_changes=True),
    **register("development:colleges", liaison_adds=True, liaison_changes=True),
    "partnerships:overview": Url("none", get=answers(200), post=answers({200, 405})),
    # Enterprises are the group's list: every liaison reads them and may add one, not change it.
    **register("partnerships:enterprises", liaison_adds=True, liaison_changes=False),
    **register("partnerships:order-classes", liaison_adds=True, liaison_changes=True),
    **register("partnerships:apprenticeships", liaison_adds=True, liaison_changes=True),
    **register("partnerships:industry-colleges", liaison_adds=True, liaison_changes=True),
    **register("partnerships:consortia", liaison_adds=False, liaison_changes=False),
    **register("partnerships:training-bases", liaison_adds=True, liaison_changes=True),
    **register("partnerships:certificate-pilots", liaison_adds=True, liaison_changes=True),
    **register("partnerships:agreements", liaison_adds=True, liaison_changes=True),
    **register("partnerships:majors", liaison_adds=True, liaison_changes=True),
    # --- rewards: rules and funds are the secretariat's; intakes too (liaisons read theirs) ---
    "rewards:summary": Url("none", get=answers(200), post=NOT_ALLOWED),
    "rewards:summary-xlsx": Url("none", get=answers(200), post=NOT_ALLOWED),
    **register("rewards:rules", liaison_adds=False, liaison_changes=False),
    **register("rewards:deductions", liaison_adds=False, liaison_changes=False),
    **register("rewards:grade-rules", liaison_adds=False, liaison_changes=False),
    **register("rewards:funds", liaison_adds=False, liaison_changes=False),
    **register("rewards:intakes", liaison_adds=False, liaison_changes=False),
    # --- reports ---
    "reports:archive": Url("none", get=answers(200, liaison=403),
        post=answers({200, 405}, liaison=403)),
    "reports:generate": Url("none", get=NOT_ALLOWED, post=answers(403, staff=400)),
    "reports:detail": Url("report", **REPORT_PAGE),
    "reports:status": Url("report", **REPORT_PAGE),
    "reports:download": Url("report", **REPORT_PAGE),
    "reports:download_word": Url("report", **REPORT_PAGE),
    # 签发 is the secretariat's alone; an issued report answers with a message (302).
    "reports:issue": Url("report", get=NOT_ALLOWED, post=answers(403, secretariat=302)),
    "reports:regenerate": Url("report", get=NOT_ALLOWED, post=answers(403, staff=302)),
    "reports:correct": Url("report", get=NOT_ALLOWED, post=answers(403, staff=302)),
    # --- the dashboard: every role, a liaison's cut to their member ---
    "dashboard:index": Url("none", get=answers(200), post=answers({200, 405})),
    "dashboard:indicator": Url("indicator", get=READ, post=READ_ANY_METHOD),
    "dashboard:api-headline": Url("none", get=answers(200), post=answers({200, 405})),
    "dashboard:api-heatmap": Url("none", get=answers(200), post=answers({200, 405})),
    "dashboard:api-completeness": Url("none", get=answers(200), post=answers({200, 405})),
    "dashboard:api-quarters": Url("none", get=answers(200), post=answers({200, 405})),
    "dashboard:api-years": Url("none", get=answers(200), post=answers({200, 405})),
    # --- supervision: urging (催办), the group robots, the schedule ---
    # Urging is the secretariat's (an empty POST: refused with a message, back to the page).
    "supervision:urge-task": Url("task", get=NOT_ALLOWED, post=answers(403, secretariat=302)),
    "supervision:urge-submission": Url("submission", get=NOT_ALLOWED,
                                       post=answers(403, secretariat=302)),
    "supervision:urge-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    "supervision:webhook-list": Url("none", get=STAFF_FORM, post=NOT_ALLOWED),
    "supervision:webhook-create": Url("none", get=STAFF_FORM, post=STAFF_FORM),
    "supervision:webhook-update": Url("webhook", get=STAFF_FORM, post=STAFF_FORM),
    "supervision:webhook-delete": Url("webhook", get=NOT_ALLOWED, post=answers(403, staff=302)),
    "supervision:schedule": Url("none", get=answers(403, secretariat=200),
                                post=answers(403, secretariat=200)),
    "supervision:light-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    # Monthly progress: the liaison fills their member's month (an empty POST saves nothing
    # and returns to the page); the secretariat reviews (an empty POST: refused, back to the list).
    "targets:monthly-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    "targets:monthly-fill": Url("monthly-fill", get=answers(403, liaison=200),
                                post=answers(403, liaison=302)),
    "targets:monthly-review": Url("monthly", get=NOT_ALLOWED, post=answers(403, secretariat=302)),
    # Leaders' instructions: leadership writes (an empty POST: the form again); each member
    # answers its own part (an empty answer: the form again, 400); a liaison reads only the
    # instructions sent to their member.
    "supervision:instruction-list": Url("none", get=answers(200), post=NOT_ALLOWED),
    "supervision:instruction-create": Url("none", get=answers(403, leadership=200),
                                          post=answers(403, leadership=200),
                                          query={"task": "task"}),
    "supervision:instruction-detail": Url("instruction", get=READ, post=NOT_ALLOWED),
    "supervision:instruction-reply": Url("instruction-reply", get=NOT_ALLOWED,
                                         post=answers(403, other=404, own=400, secretariat=400)),
    # --- certification (认定): a liaison submits their member's records (an empty POST: the
    # form again, refused for want of evidence); the secretariat decides (an empty reason: the
    # page again, 400); leadership reads ---
    "certification:list": Url("none", get=answers(200), post=NOT_ALLOWED),
    "certification:detail": Url("certification", get=READ, post=NOT_ALLOWED),
    "certification:certify": Url("certification", get=NOT_ALLOWED,
                                 post=answers(403, staff=302)),
    "certification:reject": Url("certification", get=NOT_ALLOWED, post=answers(403, staff=400)),
    "certification:evidence-download": Url("certification-evidence", get=READ,
                                           post=NOT_ALLOWED),
    "certification:submit": Url("certification-submit", get=LIAISON_EDIT, post=LIAISON_EDIT),
    # --- the annual assessment (年度考核): the secretariat starts (an empty POST: the form again),
    # edits, computes, adjusts and confirms; leadership reads; a liaison reads only their own
    # member's score sheet of a confirmed year. Sides: the confirmed year, a draft year (nothing
    # to compute it from: compute and confirm are refused with a message, back to the page). ---
    "assessment:list": Url("none", get=answers(200), post=answers(403, staff=400)),
    "assessment:detail": Url("assessment", get=answers(200, liaison=302), post=NOT_ALLOWED,
                             sides={"draft": {"GET": answers(200, liaison=404),
                                              "POST": NOT_ALLOWED}}),
    "assessment:rules": Url("assessment", get=answers(403, staff=302),
                            post=answers(403, staff=302),
                            sides={"draft": {"GET": answers(403, staff=200),
                                             "POST": answers(403, staff=400)}}),
    "assessment:compute": Url("assessment", get=NOT_ALLOWED, post=answers(403, staff=302)),
    "assessment:confirm": Url("assessment", get=NOT_ALLOWED, post=answers(403, staff=302)),
    "assessment:score": Url("assessment-score", get=READ, post=NOT_ALLOWED,
                            sides={"draft": {"GET": answers(200, liaison=404),
                                             "POST": NOT_ALLOWED}}),
    "assessment:adjust": Url("assessment-score", get=answers(403, staff=302),
                             post=answers(403, staff=302),
                             sides={"draft": {"GET": answers(403, staff=200),
                                              "POST": answers(403, staff=400)}}),
}
# fmt: on

# Django's admin (174 generated URLs, one set per model) is skipped by the walk: it is Django's
# own code, open only to the admin role (STAFF_ROLES) and checked against model permissions by
# django.contrib.admin itself; tests/test_admin.py covers it. Two sanity checks stand for it
# (test_the_admin_site_is_the_admins). Static and media files are not in the URL conf at all
# (WhiteNoise serves static files from middleware; uploads are served only through the views
# above), so there is nothing of theirs to skip.
SKIPPED_NAMESPACES = {"admin"}


# --- walking the URL conf ---------------------------------------------------------------------


def url_names(resolver=None, namespace="") -> list[tuple[str, str]]:
    """(qualified name, route) of every pattern, through every include; unnamed ones as
    "<unnamed> route"."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            found += [(n, f"{pattern.pattern}{r}") for n, r in url_names(pattern, inner)]
        elif isinstance(pattern, URLPattern):
            route = str(pattern.pattern)
            found.append(
                (f"{namespace}{pattern.name}" if pattern.name else f"<unnamed> {route}", route)
            )
    return found


# --- the world --------------------------------------------------------------------------------


@dataclass
class World:
    users: dict  # role -> User (None for anonymous)
    args: dict = field(default_factory=dict)  # object kind -> side -> URL kwargs
    query: dict = field(default_factory=dict)  # object kind -> value for ?name=


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 access matrix\n", content_type="application/pdf")


def build_world(tmp_path: Path) -> World:
    a = MemberFactory(name=A_NAME, short_name=A_SHORT, notes=f"{A_MARK}的备注")
    b = MemberFactory(name=B_NAME, short_name=B_SHORT, notes=f"{B_MARK}的备注")
    MemberContactFactory(member=a, name=f"{A_MARK}联系人")
    MemberContactFactory(member=b, name=f"{B_MARK}联系人")
    users = {
        "anonymous": None,
        "liaison_a": user_with_role(Role.LIAISON, member=a, username="matrix-liaison-a"),
        "liaison_b": user_with_role(Role.LIAISON, member=b, username="matrix-liaison-b"),
        "leadership": user_with_role(Role.LEADERSHIP, username="matrix-leadership"),
        "secretariat": user_with_role(Role.SECRETARIAT, username="matrix-secretariat"),
        "admin": user_with_role(Role.ADMIN, username="matrix-admin"),
    }
    secretariat = users["secretariat"]
    world = World(users=users)
    side = {"A": a, "B": b}
    liaison = {"A": users["liaison_a"], "B": users["liaison_b"]}
    mark = {"A": A_MARK, "B": B_MARK}

    # The plan: Q1 open (due in a month), Q2–Q4 closed.
    plan = Plan.objects.create(year=YEAR, title=f"{YEAR} 年重点工作", document_number="集团〔1〕号")
    QuarterSchedule.objects.create(plan=plan, quarter=1, due_on=TODAY + timedelta(days=30))
    for quarter in (2, 3, 4):
        QuarterSchedule.objects.create(
            plan=plan, quarter=quarter, due_on=TODAY - timedelta(days=60), grace_days=0
        )
    tasks, indicators = {}, {}
    for number, key in enumerate(("A", "B", "AB"), start=1):
        title = f"{mark[key]}任务" if key in mark else "两校共同任务"
        tasks[key] = Task.objects.create(
            plan=plan, number=str(number), title=title, responsible_person="张三"
        )
        tasks[key].responsible_members.add(*(side[s] for s in key))
        Milestone.objects.create(task=tasks[key], quarter=1, planned=f"{title}的一季度目标")
        name = f"{mark[key]}指标" if key in mark else "两校共同指标"
        target = FIGURES[key]["own_target"] if key in mark else GROUP_TARGET
        indicators[key] = Indicator.objects.create(
            plan=plan,
            code=f"ind-{key.lower()}",
            name=name,
            unit="人",
            target=target,
            task=tasks[key],
        )
        for s in key:
            Allocation.objects.create(
                indicator=indicators[key],
                member=side[s],
                target=FIGURES[s]["own_target" if key in mark else "shared_allocation"],
                notes=f"{mark[s]}分配说明",
            )
    world.args["plan"] = {"-": {"pk": plan.pk}}
    world.query["plan"] = plan.pk
    world.args["task"] = {key: {"pk": task.pk} for key, task in tasks.items()}
    world.args["indicator"] = {key: {"pk": ind.pk} for key, ind in indicators.items()}
    world.args["fill"] = {"-": {"plan": plan.pk, "quarter": OPEN_Q}}
    world.args["closed-quarter"] = {"-": {"plan": plan.pk, "quarter": CLOSED_Q}}

    world.args["member"] = {s: {"pk": m.pk} for s, m in side.items()}
    world.args["user"] = {s: {"pk": u.pk} for s, u in liaison.items()}

    submissions, evidence, reopen = {}, {}, {}
    for s, member in side.items():
        own = [tasks[s], tasks["AB"]]
        # An approved quarter: its progress becomes the tasks' 最新进展 (plan export, task page).
        approved = Submission.objects.create(
            plan=plan, member=member, quarter=APPROVED_Q, status=Submission.Status.APPROVED,
            review_comment=f"{mark[s]}审核意见",
        )  # fmt: skip
        for task in own:
            TaskReport.objects.create(
                submission=approved, task=task, progress=f"{mark[s]}进展（已审核）", status="done"
            )
        for indicator in (indicators[s], indicators["AB"]):
            IndicatorReport.objects.create(
                submission=approved, indicator=indicator, value=Decimal(FIGURES[s]["value"])
            )
        version_record(approved, "approved", secretariat, note=f"{mark[s]}审核记录")
        # The open quarter: saved with evidence, then submitted (awaiting review).
        current = target_services.submission_start(plan=plan, member=member, quarter=OPEN_Q)
        rows = {t.pk: {"progress": f"{mark[s]}进展（本季）", "status": "on_track"} for t in own}
        value = Decimal(FIGURES[s]["draft_value"])
        values = {i.pk: {"value": value} for i in (indicators[s], indicators["AB"])}
        target_services.submission_save(
            submission=current, version=0, task_rows=rows, indicator_rows=values, user=liaison[s]
        )
        evidence[s] = target_services.evidence_add(
            submission=current, upload=pdf(f"{mark[s]}证明.pdf"), user=liaison[s]
        )
        current.refresh_from_db()
        target_services.submission_save(
            submission=current,
            version=current.version,
            task_rows=rows,
            indicator_rows=values,
            user=liaison[s],
            submit=True,
        )
        submissions[s] = current
        reopen[s] = target_services.reopen_request_create(
            plan=plan, quarter=CLOSED_Q, reason=f"{mark[s]}补报理由", user=liaison[s]
        )
    for task in tasks.values():
        task_refresh_latest_progress(task)
    world.args["submission"] = {s: {"pk": x.pk} for s, x in submissions.items()}
    world.args["evidence"] = {s: {"pk": x.pk} for s, x in evidence.items()}
    world.args["reopen"] = {s: {"pk": x.pk} for s, x in reopen.items()}
    # 站内消息: one for each liaison, its text their member's own.
    notes = {
        s: notify([liaison[s]], Notification.Kind.APPROVED, f"{mark[s]}消息", "/")[0] for s in side
    }
    world.args["notification"] = {s: {"pk": x.pk} for s, x in notes.items()}

    # An uploaded task sheet, read (previewed) and waiting to be imported.
    sheet = task_sheet(tmp_path / "tasks.xlsx", task_rows(9, "导入的任务", FOUR))
    upload = SimpleUploadedFile("任务分解.xlsx", sheet.read_bytes())
    batch = target_services.import_batch_create(
        kind=ImportBatch.Kind.TASKS, year=YEAR, upload=upload, user=secretariat
    )
    target_services.import_batch_preview(batch=batch)
    world.args["import"] = {"-": {"pk": batch.pk}}

    # Reports: one issued, one draft waiting to be issued.
    reports = {}
    for key, month in (("issued", 1), ("draft", 2)):
        report = Report(
            kind=Report.Kind.DISPATCH, year=YEAR, month=month, version=1,
            status=Report.Status.DONE, as_of=timezone.now(), requested_by=secretariat,
        )  # fmt: skip
        if key == "issued":
            report.issued_at, report.issued_by = timezone.now(), secretariat
        report.file.save("report.pdf", ContentFile(b"%PDF-1.4 report\n"), save=False)
        report.word_file.save("report.docx", ContentFile(b"PK word"), save=False)
        report.save()
        reports[key] = report
    world.args["report"] = {key: {"pk": r.pk} for key, r in reports.items()}
    group_figure = GroupFigure.objects.create(
        indicator=indicators["AB"], year=YEAR, value=5, basis="理事会纪要", entered_by=secretariat
    )
    group_figure.evidence_name = "理事会纪要.pdf"
    group_figure.evidence.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes\n"))
    world.args["group-figure"] = {"-": {"pk": group_figure.pk}}

    # Registers: one record of each member (texts marked), and the group-wide ones.
    firm = Enterprise.objects.create(name="合作企业有限公司", industry="制造业")
    world.args["partnerships:enterprises"] = {"-": {"pk": firm.pk}}
    consortium = Consortium.objects.create(name="市产教联合体", scope="city", founded=YEAR)
    world.args["partnerships:consortia"] = {"-": {"pk": consortium.pk}}
    rule = RewardRule.objects.create(
        year=YEAR, kind="order_class", label="校企合作班补助", amount=100_000, min_students=20
    )
    world.args["rewards:rules"] = {"-": {"pk": rule.pk}}
    deduction = DeductionRule.objects.create(year=YEAR, kind="late", label="逾期报送", amount=5000)
    world.args["rewards:deductions"] = {"-": {"pk": deduction.pk}}
    grade_rule = GradeRule.objects.create(
        year=YEAR, grade="excellent", label="优秀上浮", percent=10
    )
    world.args["rewards:grade-rules"] = {"-": {"pk": grade_rule.pk}}
    fund = RewardFund.objects.create(year=YEAR, reward_fund=5_000_000, running_budget=500_000)
    world.args["rewards:funds"] = {"-": {"pk": fund.pk}}
    records = {kind: {} for kind in MEMBER_RECORDS}
    for s, member in side.items():
        m, n = mark[s], FIGURES[s]
        made = {
            "enrollment:enrollment": Enrollment.objects.create(
                member=member, year=YEAR, level="secondary", channel="general",
                quota=n["quota"], actual=n["enrolled"],
            ),
            "enrollment:teachers": TeacherCount.objects.create(
                member=member, year=YEAR, full_time=n["teachers"],
                dual_qualified=n["dual_qualified"],
            ),
            "enrollment:graduates": GraduateCount.objects.create(
                member=member, year=YEAR, graduates=n["graduates"],
                employed_locally=n["employed_locally"],
            ),
            "partnerships:order-classes": OrderClass.objects.create(
                member=member, enterprise=firm, major=f"{m}专业订单班", year=YEAR,
                students=n["class_size"],
            ),
            "partnerships:apprenticeships": ApprenticeshipCohort.objects.create(
                member=member, enterprise=firm, major=f"{m}学徒专业", year=YEAR,
                apprentices=n["apprentices"],
            ),
            "partnerships:industry-colleges": IndustryCollege.objects.create(
                member=member, name=f"{m}产业学院", industry="汽车", founded=YEAR
            ),
            "partnerships:training-bases": TrainingBase.objects.create(
                member=member, name=f"{m}实训基地", kind="public", year=YEAR
            ),
            "partnerships:certificate-pilots": CertificatePilot.objects.create(
                member=member, certificate=f"{m}证书", year=YEAR, students=n["certified"]
            ),
            "partnerships:agreements": CooperationAgreement.objects.create(
                member=member, enterprise=firm, major=f"{m}合作专业",
                starts_on=TODAY - timedelta(days=300), ends_on=TODAY + timedelta(days=30),
            ),
            "partnerships:majors": Major.objects.create(
                member=member, year=YEAR, name=f"{m}专业", level="secondary",
                leading_industry="auto", students=n["major_students"],
            ),
            "rewards:intakes": StudentIntake.objects.create(
                member=member, year=YEAR, source_school=f"{m}生源学校", students=n["intake"]
            ),
            "enrollment:students": StudentsOnRoll.objects.create(
                member=member, year=YEAR, level="secondary", students=n["on_roll"]
            ),
            "development:training": TrainingCourse.objects.create(
                member=member, year=YEAR, title=f"{m}培训班", audience="workers",
                starts_on=TODAY.replace(year=YEAR, month=5, day=1),
                ends_on=TODAY.replace(year=YEAR, month=5, day=9), days=9,
                person_times=n["trained"],
            ),
            "development:teacher-development": TeacherDevelopment.objects.create(
                member=member, year=YEAR, kind="recruited", persons=n["brought_in"],
                notes=f"{m}引进",
            ),
            "development:research-topics": ResearchTopic.objects.create(
                member=member, year=YEAR, title=f"{m}课题", level="city"
            ),
            "development:colleges": College.objects.create(
                member=member, name=f"{m}二级学院", kind="secondary", founded=YEAR
            ),
        }  # fmt: skip
        for kind, record in made.items():
            records[kind][s] = {"pk": record.pk}
    world.args.update(records)
    # Urges (催办): one to each member on the shared task, their notes marked; a group robot.
    for s in side:
        urge_send(member=side[s], task=tasks["AB"], note=f"{mark[s]}催办附言", by=secretariat)
    robot = Webhook.objects.create(kind="wecom", url="https://robot.example/send?key=matrix")
    world.args["webhook"] = {"-": {"pk": robot.pk}}
    # A month's progress of each member on its own task, its text marked.
    world.args["monthly-fill"] = {"-": {"plan": plan.pk, "month": 1}}
    monthly = {
        s: MonthlyEntry.objects.create(
            task=tasks[s],
            member=side[s],
            month=1,
            progress=f"{mark[s]}月度进展",
            status="submitted",
        )
        for s in side
    }
    world.args["monthly"] = {s: {"pk": x.pk} for s, x in monthly.items()}
    # A leader's instruction on each member's quarterly report, its text marked.
    world.query["task"] = tasks["AB"].pk
    instructions = {
        s: instruction_give(
            by=users["leadership"], text=f"{mark[s]}批示", submission=submissions[s]
        )
        for s in side
    }
    world.args["instruction"] = {s: {"pk": x.pk} for s, x in instructions.items()}
    world.args["instruction-reply"] = {
        s: {"pk": x.pk, "reply_pk": x.replies.get().pk} for s, x in instructions.items()
    }
    # Certification (认定): each member's order class submitted by its liaison with evidence
    # (awaiting a decision); its certificate pilot not yet submitted.
    certifications = {
        s: certification_submit(
            record=OrderClass.objects.get(pk=records["partnerships:order-classes"][s]["pk"]),
            user=liaison[s],
            uploads=[pdf(f"{mark[s]}认定材料.pdf")],
            note=f"{mark[s]}认定说明",
        )
        for s in side
    }
    world.args["certification"] = {s: {"pk": c.pk} for s, c in certifications.items()}
    world.args["certification-evidence"] = {
        s: {"pk": c.evidence.get().pk} for s, c in certifications.items()
    }
    world.args["certification-submit"] = {
        s: {
            "record_type": "partnerships.certificatepilot",
            "pk": records["partnerships:certificate-pilots"][s]["pk"],
        }
        for s in side
    }
    # The annual assessment: last year's computed and confirmed (both members told); the year
    # before's a draft with a score for each member and no plan to compute it from.
    secretary = users["secretariat"]
    confirmed = assessment_services.assessment_create(year=YEAR, user=secretary)
    assessment_services.assessment_compute(assessment=confirmed, user=secretary, today=TODAY)
    assessment_services.assessment_confirm(assessment=confirmed, user=secretary)
    draft = assessment_services.assessment_create(year=YEAR - 1, user=secretary)
    for member in (a, b):
        MemberScore.objects.create(
            assessment=draft, member=member, computed=70, score=70, rank=1, grade="pass"
        )
    world.args["assessment"] = {"confirmed": {"year": YEAR}, "draft": {"year": YEAR - 1}}
    world.args["assessment-score"] = {
        "A": {"year": YEAR, "member": a.pk},
        "B": {"year": YEAR, "member": b.pk},
        "draft": {"year": YEAR - 1, "member": a.pk},
    }
    world.args["none"] = {"-": {}}
    return world


# --- asking -----------------------------------------------------------------------------------


@dataclass
class Answer:
    code: int | str  # a status code, or LOGIN
    body: str = ""
    error: str = ""  # the exception a view raised (answered 500)
    writes: list = field(default_factory=list)  # INSERT / UPDATE / DELETE it ran


def outcome(response) -> int | str:
    if response.status_code in (301, 302):
        path = urlparse(response["Location"]).path
        if path in (reverse("login"), reverse("admin:login")):
            return LOGIN
    return response.status_code


def readable(response) -> str:
    """Everything the response says, as text: HTML, JSON (unescaped), every part of an .xlsx,
    a streamed download, and the file name it is saved under."""
    if getattr(response, "streaming", False):
        # The test client's wrapper closes the file once read (response.close() here would send
        # request_finished and close the test's database connection).
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    parts = [unquote(response.get("Content-Disposition", ""))]
    if content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # openpyxl writes Chinese as character references (&#30002;) when lxml is installed.
            parts += [
                html.unescape(archive.read(name).decode("utf-8", "replace"))
                for name in archive.namelist()
            ]
        return "\n".join(parts)
    text = content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return "\n".join([*parts, text])


def where(error: BaseException) -> str:
    """The innermost frame of the project's own code, e.g. dashboard/views.py:40 in indicator."""
    root = str(Path(settings.BASE_DIR))
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if f.filename.startswith(root) and "/.venv/" not in f.filename
    ]
    if not frames:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        return f"{frame.filename}:{frame.lineno} in {frame.name}"
    frame = frames[-1]
    return f"{Path(frame.filename).relative_to(root)}:{frame.lineno} in {frame.name}"


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# A request may touch its session; axes logs logins; anyone may mark their own 站内消息 read.
NOT_DATA = ("django_session", "axes_", "jituan_notification")


def ask(client: Client, method: str, url: str) -> Answer:
    """One request in a savepoint that is rolled back: whatever it changed is undone."""
    writes = []

    def record_writes(execute, sql, params, many, context):
        if sql.lstrip()[:7].upper().startswith(WRITES) and not any(t in sql for t in NOT_DATA):
            writes.append(sql[:160])
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(record_writes):
        try:
            response = client.get(url) if method == "GET" else client.post(url, {})
        except Exception as error:  # noqa: BLE001 - reported as a 500 with its place
            answer = Answer(500, error=f"{type(error).__name__}: {error} at {where(error)}")
        else:
            answer = Answer(outcome(response), body=readable(response))
        transaction.set_rollback(True)
    answer.writes = writes
    return answer


def signed_in_client(user) -> tuple[Client, dict]:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client, {k: v.value for k, v in client.cookies.items()}


def relation(role: str, side: str) -> str:
    """The key of `answers` for this role on this side's object."""
    if role in ("liaison_a", "liaison_b"):
        other = "B" if role == "liaison_a" else "A"
        return "other" if side == other else "own"
    return role


def problems_of(role: str, method: str, name: str, side: str, path: str, answer: Answer, url: Url):
    """Every way this answer breaks the table or an invariant, as lines of the report."""
    key = relation(role, side)
    allowed = url.expected(method, side)[key]
    who = f"{role} ({key})" if key in ("own", "other") else role
    at = f"{method} {name} [{side}] {path} as {who}"
    found = []
    if answer.code not in allowed:
        shown = "/".join(str(a) for a in sorted(allowed, key=str))
        extra = f" ({answer.error})" if answer.error else ""
        found.append(f"{at}: got {answer.code}, expected {shown}{extra}")
    if answer.code == 500 and not answer.error:
        found.append(f"{at}: answered 500")
    if key == "other" and answer.code == 200:
        found.append(f"{at}: LEAK, 200 on the other member's object")
    if role == "anonymous" and answer.code == 200 and name not in PUBLIC:
        found.append(f"{at}: answered 200 signed out")
    body = answer.body
    for allowed_names in SHARED_TASK_MEMBERS:
        body = body.replace(allowed_names, "")
    for label, pattern in NEVER_SHOWN_TO.get(role, ()):
        if match := pattern.search(body):
            context = body[max(0, match.start() - 70) : match.end() + 50].replace("\n", " ")
            found.append(f"{at}: LEAK of {label!r} (answered {answer.code}): …{context}…")
    # Leadership changes nothing; a refused request changes nothing; opening a page (GET)
    # changes nothing (the liaison's form is created by its first save, not by opening it).
    refused = answer.code == LOGIN or (isinstance(answer.code, int) and answer.code >= 400)
    if answer.writes and (role == "leadership" or refused or method == "GET"):
        why = "as leadership" if role == "leadership" else f"answering {answer.code}"
        found.append(f"{at}: WROTE to the database {why}: {answer.writes[0]}")
    return found


QUIET_LOGGERS = ("django.request", "django.security", "axes")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end; every test of the
    module runs inside it (and every request in a savepoint of its own)."""
    media = tmp_path_factory.mktemp("matrix") / "media"
    with (
        pytest.MonkeyPatch.context() as patch,
        override_settings(
            MEDIA_ROOT=media,
            # Speed: users made without the slow password hash.
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        # Work handed to Celery goes nowhere: nothing here starts or needs a worker. (Work is
        # sent on commit, which this transaction never reaches; this is a second belt.)
        patch.setattr(CeleryTask, "apply_async", lambda *args, **kwargs: None)
        # Speed: templates render without the test instrumentation that copies every
        # template's context for response.context (these tests read bodies, never contexts).
        patch.setattr(Template, "_render", _TestState.saved_data.template_render)
        # Every 403, 404 and 405 would be logged as a warning, and every sign-in by axes, all
        # printed with a failure: the report says all that matters (a 500 is caught with where
        # it was raised).
        loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
        try:
            yield build_world(media.parent)
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def private_media():
    """Replaces the shared one (tests/conftest.py), which gives every test a folder of its own:
    here the world's files (evidence, reports, the import) must stay where the world put them,
    in the module's own folder (the world fixture's MEDIA_ROOT), never in var/media."""


# --- the tests --------------------------------------------------------------------------------


def test_every_url_has_an_expected_answer():
    walked = url_names()
    found = dict(walked)
    missing = sorted(f"{name}  ({route})" for name, route in found.items() if name not in EXPECTED)
    stale = sorted(set(EXPECTED) - set(found))
    # Two patterns under one name: only the one reverse() finds would be asked.
    twice = sorted({name for name, _route in walked if [n for n, _r in walked].count(name) > 1})
    assert not missing, "New URL without an expected answer in EXPECTED:\n" + "\n".join(missing)
    assert not stale, "EXPECTED names URLs the URL conf no longer has:\n" + "\n".join(stale)
    assert not twice, "URL names used by more than one pattern:\n" + "\n".join(twice)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", METHODS)
def test_access_matrix(world, role, method):
    client, cookies = signed_in_client(world.users[role])
    found = []
    for name, url in EXPECTED.items():
        query = {k: world.query[v] for k, v in url.query.items()}
        for side, kwargs in world.args[url.objects].items():
            try:
                path = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                found.append(f"{name} [{side}]: {kwargs} no longer fill the URL; fix its row")
                continue
            if query:
                path = f"{path}?{urlencode(query)}"
            client.cookies.clear()
            for key, value in cookies.items():
                client.cookies[key] = value
            answer = ask(client, method, path)
            found += problems_of(role, method, name, side, path, answer, url)
    if found:
        pytest.fail(f"{len(found)} problem(s):\n" + "\n".join(found), pytrace=False)


def body_of(world: World, role: str, name: str, side: str = "-") -> str:
    client, _cookies = signed_in_client(world.users[role])
    url = EXPECTED[name]
    path = reverse(name, kwargs=world.args[url.objects][side])
    if url.query:
        path += "?" + urlencode({k: world.query[v] for k, v in url.query.items()})
    answer = ask(client, "GET", path)
    assert answer.code == 200, (name, side, role, answer.code)
    return answer.body


def shows(body: str, figure: int) -> bool:
    return _figure(figure)[1].search(body) is not None


@pytest.mark.django_db
def test_the_checks_see_what_they_look_for(world):
    """The leak checks are not vacuous: the marked texts and figures are on the pages, workbooks,
    JSON and downloads the checks read, for those who may see them; and a write is noticed."""
    a, b = FIGURES["A"], FIGURES["B"]
    for role in ("secretariat", "liaison_a"):
        for name, side, texts, figures in (
            ("targets:plan-export", "-", [A_MARK, f"{A_MARK}进展（已审核）"], []),
            ("targets:task-detail", "AB", [f"{A_MARK}进展（已审核）"], []),
            ("targets:indicator-detail", "AB", [f"{A_MARK}分配说明"], [a["shared_allocation"]]),
            ("targets:submission-export", "-", [A_NAME], []),
            ("targets:submission-detail", "A", [f"{A_MARK}进展（本季）", f"{A_MARK}证明.pdf"], []),
            ("targets:evidence-download", "A", [f"{A_MARK}证明.pdf"], []),  # its file name
            ("partnerships:order-classes-export", "-", [f"{A_MARK}专业订单班"], [a["class_size"]]),
            ("partnerships:majors-export", "-", [f"{A_MARK}专业"], [a["major_students"]]),
            ("enrollment:enrollment-list", "-", [A_NAME], [a["quota"], a["enrolled"]]),
            ("dashboard:api-heatmap", "-", [A_SHORT], []),  # JSON, unescaped
            ("rewards:summary-xlsx", "-", [A_NAME], []),
        ):
            body = body_of(world, role, name, side)
            for text in texts:
                assert text in body, (role, name, side, text)
            for figure in figures:
                assert shows(body, figure), (role, name, side, figure)
    secretariat_sees = body_of(world, "secretariat", "targets:indicator-detail", "AB")
    assert shows(secretariat_sees, b["shared_allocation"]) and shows(secretariat_sees, GROUP_ACTUAL)

    # The checks themselves, on answers made up for them.
    task = EXPECTED["targets:task-detail"]

    def flagged(role, side, answer, method="GET", name="targets:task-detail", url=task):
        return problems_of(role, method, name, side, "/x/", answer, url)

    assert flagged("liaison_b", "B", Answer(200, body=f"<td>{a['quota']:,}人</td>"))
    assert flagged("liaison_b", "B", Answer(200, body=f"<v>{a['quota']}</v>"))
    assert flagged("liaison_b", "B", Answer(200, body=f'{{"value": {a["value"]}.0}}'))
    assert flagged("liaison_b", "B", Answer(403, body=f"{A_SHORT}的页面"))
    assert not flagged("liaison_b", "B", Answer(200, body=f"1{a['quota']} ab{a['quota']}cd"))
    assert not flagged("liaison_b", "AB", Answer(200, body=SHARED_TASK_MEMBERS[0]))
    assert flagged("liaison_b", "A", Answer(200))  # the other member's object
    assert flagged("anonymous", "A", Answer(200))
    assert flagged("secretariat", "A", Answer(500, error="KeyError: 1 at x.py:1 in f"))
    assert flagged("leadership", "A", Answer(405, writes=["UPDATE x"]), method="POST")
    assert flagged("secretariat", "A", Answer(403, writes=["DELETE x"]), method="POST")
    assert flagged("secretariat", "A", Answer(200, writes=["INSERT x"]))  # a GET
    assert not flagged("secretariat", "A", Answer(405, writes=[]), method="POST")

    client, _cookies = signed_in_client(world.users["secretariat"])
    draft = world.args["report"]["draft"]
    issuing = ask(client, "POST", reverse("reports:issue", kwargs=draft))
    assert issuing.code == 302 and any("UPDATE" in sql for sql in issuing.writes), issuing
    assert Report.objects.get(**draft).issued_at is None  # rolled back with its savepoint


@pytest.mark.django_db
def test_the_admin_site_is_the_admins(world):
    """Two sanity checks stand for the admin's generated URLs skipped by the walk."""
    for name in ("admin:index", "admin:targets_submission_changelist"):
        for role in ROLES:
            client, _cookies = signed_in_client(world.users[role])
            answer = ask(client, "GET", reverse(name))
            assert answer.code == (200 if role == "admin" else LOGIN), (name, role, answer.code)
            assert not answer.writes, (name, role, answer.writes)


@pytest.mark.django_db
def test_a_liaisons_new_record_belongs_to_their_member(world):
    """A liaison creating a register record, naming the other member in the POST, gets a record
    of their own member (jituan.registers.record_save)."""
    firm = world.args["partnerships:enterprises"]["-"]["pk"]
    a_member, b_member = world.args["member"]["A"]["pk"], world.args["member"]["B"]["pk"]
    year, other = YEAR, YEAR - 1
    data = {
        "enrollment:enrollment": (Enrollment, {"year": year, "level": "secondary",
            "channel": "classified", "quota": 10, "actual": 9}),
        "enrollment:teachers": (TeacherCount, {"year": other, "full_time": 10,
            "dual_qualified": 5}),
        "enrollment:graduates": (GraduateCount, {"year": other, "level": "secondary",
            "graduates": 10, "employed_locally": 5}),
        "partnerships:order-classes": (OrderClass, {"enterprise": firm, "kind": "order",
            "major": "新专业", "year": year, "students": 21}),
        "partnerships:apprenticeships": (ApprenticeshipCohort, {"enterprise": firm,
            "major": "新专业", "year": year, "apprentices": 8}),
        "partnerships:industry-colleges": (IndustryCollege, {"name": "新产业学院",
            "industry": "数字", "level": "none", "founded": year}),
        "partnerships:training-bases": (TrainingBase, {"name": "新基地", "kind": "public",
            "year": year}),
        "partnerships:certificate-pilots": (CertificatePilot, {"certificate": "新证书",
            "year": year, "students": 8}),
        "partnerships:agreements": (CooperationAgreement, {"enterprise": firm, "major": "新专业",
            "starts_on": TODAY.isoformat(), "ends_on": (TODAY + timedelta(days=400)).isoformat()}),
        "partnerships:majors": (Major, {"year": year, "name": "新专业", "code": "660301",
            "level": "higher", "leading_industry": "digital", "students": 40}),
        "enrollment:students": (StudentsOnRoll, {"year": year, "level": "higher",
            "students": 300}),
        "development:training": (TrainingCourse, {"year": year, "title": "新培训",
            "audience": "public", "starts_on": f"{year}-06-01", "ends_on": f"{year}-06-03",
            "days": 3, "person_times": 40}),
        "development:teacher-development": (TeacherDevelopment, {"year": year,
            "kind": "placed", "persons": 4}),
        "development:research-topics": (ResearchTopic, {"year": year, "title": "新课题",
            "level": "school"}),
        "development:colleges": (College, {"name": "新学院", "kind": "professional",
            "founded": year}),
    }  # fmt: skip
    assert set(data) == {k for k in MEMBER_RECORDS if EXPECTED[f"{k}-create"].get["own"] == {200}}
    client, _cookies = signed_in_client(world.users["liaison_a"])
    wrong = []
    for kind, (model, fields) in data.items():
        before = set(model.objects.values_list("pk", flat=True))
        with transaction.atomic():
            response = client.post(reverse(f"{kind}-create"), {**fields, "member": b_member})
            made = list(model.objects.exclude(pk__in=before).values_list("member_id", flat=True))
            transaction.set_rollback(True)
        if response.status_code != 302 or made != [a_member]:
            problems = re.findall(r'class="invalid-feedback[^>]*>(.*?)<', response.content.decode())
            wrong.append(f"{kind}: answered {response.status_code}, made {made} {problems}")
    assert not wrong, "\n".join(wrong)
