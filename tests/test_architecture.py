"""The architecture, checked: the apps' imports point one way (import-linter's contracts in
pyproject.toml), and no page writes to the database when it is only read (GET)."""

import io
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from assessment.models import Assessment
from certification.models import Certification
from certification.services import certification_submit
from jituan.models import Member, Notification, User
from partnerships.models import ApprenticeshipCohort, Enterprise, OrderClass
from reports.models import Report
from supervision.models import InstructionReply, Webhook
from targets.models import (
    Evidence,
    GroupFigure,
    ImportBatch,
    Indicator,
    Plan,
    ReopenRequest,
    Submission,
)


def test_the_apps_keep_their_import_contracts():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- no write on GET ---------------------------------------------------------------------------

# /admin/ is Django's own code (with Django's own tests): hundreds of generated per-model pages
# that would more than double this walk and check nothing of ours. logout/ answers GET with 405.
SKIPPED = ("admin/", "logout/")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
ROLES = {"secretariat": "mishu", "liaison": "lianluo", "leadership": "lingdao", "admin": "guanli"}
# The model whose id a URL's <pk> is, by the longest start of its namespaced name. A URL this
# table does not cover fails the test: add its model here.
PK_MODELS = {
    "jituan:member": "jituan.Member",
    "jituan:user": "jituan.User",
    "desk:notification": "jituan.Notification",
    "targets:plan": "targets.Plan",
    "targets:task": "targets.Task",
    "targets:indicator": "targets.Indicator",
    "targets:group-figure": "targets.GroupFigure",
    "targets:allocation": "targets.Indicator",
    "targets:import": "targets.ImportBatch",
    "targets:submission": "targets.Submission",
    "targets:evidence": "targets.Evidence",
    "targets:reopen": "targets.ReopenRequest",
    "enrollment:enrollment": "enrollment.Enrollment",
    "enrollment:teachers": "enrollment.TeacherCount",
    "enrollment:graduates": "enrollment.GraduateCount",
    "enrollment:students": "enrollment.StudentsOnRoll",
    "development:training": "development.TrainingCourse",
    "development:teacher-development": "development.TeacherDevelopment",
    "development:research-topics": "development.ResearchTopic",
    "development:colleges": "development.College",
    "partnerships:enterprises": "partnerships.Enterprise",
    "partnerships:order-classes": "partnerships.OrderClass",
    "partnerships:apprenticeships": "partnerships.ApprenticeshipCohort",
    "partnerships:industry-colleges": "partnerships.IndustryCollege",
    "partnerships:consortia": "partnerships.Consortium",
    "partnerships:training-bases": "partnerships.TrainingBase",
    "partnerships:certificate-pilots": "partnerships.CertificatePilot",
    "partnerships:agreements": "partnerships.CooperationAgreement",
    "partnerships:majors": "partnerships.Major",
    "rewards:rules": "rewards.RewardRule",
    "rewards:deductions": "rewards.DeductionRule",
    "rewards:funds": "rewards.RewardFund",
    "rewards:grade-rules": "rewards.GradeRule",
    "rewards:intakes": "rewards.StudentIntake",
    "reports:": "reports.Report",
    "dashboard:indicator": "targets.Indicator",
    "supervision:urge-task": "targets.Task",
    "supervision:urge-submission": "targets.Submission",
    "supervision:webhook": "supervision.Webhook",
    "supervision:instruction": "supervision.Instruction",
    "targets:monthly": "targets.MonthlyEntry",
    "certification:": "certification.Certification",
    "certification:evidence": "certification.CertificationEvidence",
    "certification:submit": "partnerships.OrderClass",
}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, namespaced name) of every pattern, through every include."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            name_space = f"{namespace}:{inner}".strip(":") if inner else namespace
            yield from url_patterns(pattern.url_patterns, route, name_space)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}:{pattern.name or ''}".lstrip(":")


def pk_model(name: str):
    starts = [start for start in PK_MODELS if name.startswith(start)]
    if not starts:
        pytest.fail(f"{name}: which model is its <pk>? Add it to PK_MODELS.")
    return apps.get_model(PK_MODELS[max(starts, key=len)])


def parameter_values(name: str, parameter: str, liaison: User) -> list:
    if parameter == "quarter":
        return [1, 2, 3, 4]
    if parameter == "plan":
        return [Plan.objects.get(year=2020).pk]
    if parameter == "month":
        return [1, 12]
    if parameter == "record_type":
        return ["partnerships.orderclass"]
    if parameter == "reply_pk":
        return sorted(InstructionReply.objects.values_list("pk", flat=True))[:2]
    if parameter == "year":  # the annual assessment's year (demo: one, confirmed)
        return sorted(Assessment.objects.values_list("year", flat=True))
    if parameter == "member":  # a member's score sheet: the liaison's own and another's
        others = Member.objects.exclude(pk=liaison.member_id).order_by("pk")
        return [liaison.member_id, others.values_list("pk", flat=True).first()]
    if parameter != "pk":
        pytest.fail(f"{name}: no value for <{parameter}>; teach parameter_values about it.")
    model = pk_model(name)
    objects = [model.objects.order_by("pk").first(), model.objects.order_by("pk").last()]
    if any(field.name == "member" for field in model._meta.get_fields()):
        objects.append(model.objects.filter(member=liaison.member).first())
    pks = sorted({obj.pk for obj in objects if obj is not None})
    assert pks, f"{name}: no {model.__name__} to open; build one in the `world` fixture."
    return pks


def concrete_urls(liaison: User) -> list[str]:
    urls = []
    for route, name in url_patterns():
        if route.startswith(SKIPPED):
            continue
        parameters = PARAMETER.findall(route)
        filled = [route]
        for parameter in parameters:
            values = parameter_values(name, parameter, liaison)
            filled = [
                re.sub(rf"<(?:\w+:)?{parameter}>", str(value), url, count=1)
                for url in filled
                for value in values
            ]
        urls += ["/" + url for url in filled]
    return urls


@pytest.fixture
def world(db, settings, tmp_path):
    """The Anqing demo, plus what it has none of: an upload, evidence, a reopening, a report,
    an apprenticeship cohort, a group figure."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    liaison = User.objects.get(username=ROLES["liaison"])
    secretariat = User.objects.get(username=ROLES["secretariat"])
    submission = Submission.objects.filter(member=liaison.member).first()
    evidence = Evidence(
        submission=submission,
        token="e" * 32,
        original_name="佐证.pdf",
        size=8,
        content_type="application/pdf",
        uploaded_by=liaison,
    )
    evidence.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    evidence.save()
    ReopenRequest.objects.create(
        plan=submission.plan, member=liaison.member, quarter=1, reason="补报", requested_by=liaison
    )
    batch = ImportBatch(kind="tasks", year=2020, original_name="任务.xlsx", uploaded_by=secretariat)
    batch.file.save("x.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    batch.save()
    report = Report(
        kind=Report.Kind.DISPATCH,
        year=2020,
        month=5,
        version=1,
        status=Report.Status.DONE,
        as_of=timezone.now() - timedelta(days=1),
        requested_by=secretariat,
    )
    report.file.save("r.pdf", ContentFile(b"%PDF-1.4"), save=False)
    report.save()
    ApprenticeshipCohort.objects.create(
        member=liaison.member,
        enterprise=Enterprise.objects.first(),
        major="数控技术",
        year=2020,
        apprentices=20,
    )
    GroupFigure.objects.create(
        indicator=Indicator.objects.first(),
        year=2020,
        value=10,
        basis="理事会纪要",
        entered_by=secretariat,
    )
    Notification.objects.create(recipient=liaison, kind="approved", text="已通过", url="/")
    Webhook.objects.create(kind="wecom", url="https://robot.example/send?key=k")
    # A record of the liaison's member submitted for certification (认定) with its evidence,
    # unless the demo already has one.
    if not Certification.objects.filter(member=liaison.member).exists():
        certification_submit(
            record=OrderClass.objects.filter(member=liaison.member).first(),
            user=liaison,
            uploads=[SimpleUploadedFile("协议.pdf", b"%PDF-1.4\n", "application/pdf")],
        )
    return liaison


def writes_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:  # read to the end: the client closes it then, not before
            b"".join(response.streaming_content)
    return [
        f"GET {url} ({response.status_code}): {query['sql'][:160]}"
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES)
        and "django_session" not in query["sql"].split("(")[0]
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_page_writes_on_get(client, world, role):
    client.force_login(User.objects.get(username=ROLES[role]))
    client.get("/")  # the session is saved once, after sign-in
    writes = [write for url in concrete_urls(world) for write in writes_of(client, url)]
    assert not writes, "\n".join(writes)
