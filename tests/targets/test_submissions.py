"""The quarterly submission workflow: deadlines, locking, scoping, review, evidence, reminders."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jituan.roles import Role
from targets import services
from targets.deadlines import deadline_state, member_deadline_state
from targets.models import (
    Allocation,
    Evidence,
    Indicator,
    Plan,
    QuarterSchedule,
    Submission,
    SubmissionVersion,
    Task,
)
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def plan(db):
    """This year's plan with quarter 1 due in 20 days: open for reporting today."""
    plan = Plan.objects.create(year=TODAY.year, title="重点工作")
    QuarterSchedule.objects.create(plan=plan, quarter=1, due_on=TODAY + timedelta(days=20))
    return plan


@pytest.fixture
def task(plan, school_a, school_b):
    task = Task.objects.create(plan=plan, number="1", title="扩大招生")
    task.responsible_members.add(school_a, school_b)
    return task


@pytest.fixture
def indicator(plan, school_a):
    indicator = Indicator.objects.create(plan=plan, code="e", name="招生", unit="人", target=900)
    Allocation.objects.create(indicator=indicator, member=school_a, target=800)
    return indicator


@pytest.fixture
def submission(plan, task, indicator, school_a):
    return services.submission_start(plan=plan, member=school_a, quarter=1)


def save(
    submission,
    user,
    *,
    progress="进展顺利",
    status="on_track",
    value=Decimal(800),
    submit=False,
    version=None,
    **extra,
):
    return services.submission_save(
        submission=submission,
        version=submission.version if version is None else version,
        task_rows={
            submission.tasks.get().task_id: {
                "progress": progress,
                "status": status,
                "behind_reason": extra.get("reason", ""),
            }
        },
        indicator_rows={
            submission.indicators.get().indicator_id: {
                "value": value,
                "not_applicable": extra.get("na", False),
                "not_applicable_reason": extra.get("na_reason", ""),
            }
        },
        user=user,
        submit=submit,
    )


# --- deadlines --------------------------------------------------------------------------------


def schedule(due: date, grace=10):
    return QuarterSchedule(plan=Plan(year=due.year), quarter=1, due_on=due, grace_days=grace)


@pytest.mark.parametrize(
    ("days_to_due", "code"),
    [
        (30, "open"),
        (14, "due_soon"),
        (0, "due_soon"),
        (-1, "late_open"),
        (-10, "late_open"),
        (-11, "closed"),
    ],
)
def test_it_names_one_deadline_state(days_to_due, code):
    due = date(2026, 4, 10)
    state = deadline_state(schedule=schedule(due), today=due - timedelta(days=days_to_due))
    assert state.code == code
    assert state.accepts_liaison is (code != "closed")


def test_it_shows_a_reopening_until_its_date():
    due = date(2026, 4, 10)
    state = deadline_state(
        schedule=schedule(due), today=date(2026, 6, 1), reopened_until=date(2026, 6, 5)
    )
    assert (state.code, state.label) == ("reopened", "重新开放至 2026-06-05")
    later = deadline_state(
        schedule=schedule(due), today=date(2026, 6, 6), reopened_until=date(2026, 6, 5)
    )
    assert later.code == "closed"


def test_it_labels_due_soon_in_days():
    due = date(2026, 4, 10)
    assert deadline_state(schedule=schedule(due), today=date(2026, 4, 7)).label == "还有 3 天截止"


def test_it_defaults_the_deadline_to_ten_days_after_the_quarter(plan):
    default = QuarterSchedule.default_for(plan, 4)
    assert default.due_on == date(plan.year + 1, 1, 10)
    assert default.closes_on == date(plan.year + 1, 1, 20)


# --- saving, submitting, locking -----------------------------------------------------------------


def test_it_starts_a_submission_with_the_members_rows_only(submission, school_b):
    assert submission.tasks.count() == 1
    assert submission.indicators.count() == 1
    other = services.submission_start(plan=submission.plan, member=school_b, quarter=1)
    assert other.indicators.count() == 0


def test_it_saves_a_draft_any_number_of_times_and_keeps_every_version(submission, liaison):
    save(submission, liaison, progress="第一稿")
    save(submission, liaison, progress="第二稿")
    versions = list(submission.versions.order_by("number"))
    assert [v.action for v in versions] == ["saved", "saved"]
    assert versions[1].changes == [
        {"row": "1 扩大招生", "field": "最新进展", "old": "第一稿", "new": "第二稿"}
    ]
    assert versions[0].by == liaison
    assert submission.tasks.get().progress == "第二稿"
    assert Submission.objects.get().status == Submission.Status.DRAFT


def test_it_refuses_a_save_based_on_an_old_version(submission, liaison):
    opened = submission.version
    save(submission, liaison, progress="先保存的内容", version=opened)
    stale = Submission.objects.get(pk=submission.pk)
    with pytest.raises(services.SubmissionConflict, match="已保存了这份填报"):
        save(stale, liaison, progress="后保存的内容", version=opened)
    assert submission.tasks.get().progress == "先保存的内容"


def test_it_requires_a_reason_when_behind(submission, liaison):
    with pytest.raises(ValidationError) as error:
        save(submission, liaison, status="behind")
    assert error.value.message_dict == {
        f"task-{submission.tasks.get().task_id}": ["请说明滞后原因。"]
    }
    assert not submission.versions.exists()


def test_it_takes_not_applicable_only_with_a_reason_and_no_value(submission, liaison):
    with pytest.raises(ValidationError, match="请说明指标不适用的原因"):
        save(submission, liaison, value=None, na=True)
    with pytest.raises(ValidationError, match="二者只能选一"):
        save(submission, liaison, value=Decimal(5), na=True, na_reason="无")
    save(submission, liaison, value=None, na=True, na_reason="本年度无招生任务")
    assert submission.indicators.get().not_applicable


def test_it_refuses_to_submit_an_incomplete_submission(submission, liaison):
    with pytest.raises(ValidationError, match="请填写实际值"):
        save(submission, liaison, value=None, submit=True)
    assert Submission.objects.get().status == Submission.Status.DRAFT


def test_it_submits_on_time_and_locks_the_submission(submission, liaison):
    save(submission, liaison, submit=True)
    submission.refresh_from_db()
    assert (submission.status, submission.is_late, submission.submitted_by) == (
        "submitted",
        False,
        liaison,
    )
    with pytest.raises(ValidationError, match="已提交，不能再修改"):
        save(submission, liaison, progress="改一下")


def test_it_marks_a_submission_after_the_deadline_late(submission, liaison):
    QuarterSchedule.objects.filter(plan=submission.plan).update(due_on=TODAY - timedelta(days=2))
    save(submission, liaison, submit=True)
    assert Submission.objects.get().is_late


def test_it_closes_the_quarter_for_liaisons_after_the_grace_period(submission, liaison):
    QuarterSchedule.objects.filter(plan=submission.plan).update(
        due_on=TODAY - timedelta(days=30), grace_days=5
    )
    with pytest.raises(ValidationError, match="已关闭"):
        save(submission, liaison)


def test_it_lets_a_granted_reopening_through(submission, liaison, secretariat):
    QuarterSchedule.objects.filter(plan=submission.plan).update(
        due_on=TODAY - timedelta(days=30), grace_days=5
    )
    request = services.reopen_request_create(
        plan=submission.plan, quarter=1, reason="系统故障未能按时填报", user=liaison
    )
    with pytest.raises(ValidationError, match="已有一份申请"):
        services.reopen_request_create(plan=submission.plan, quarter=1, reason="再次", user=liaison)
    services.reopen_request_decide(
        request=request, grant=True, user=secretariat, until=TODAY + timedelta(days=3)
    )
    state = member_deadline_state(submission.plan, liaison.member_id, 1, TODAY)
    assert state.code == "reopened"
    save(submission, liaison, submit=True)
    assert Submission.objects.get().is_late


def test_it_refuses_to_reopen_an_open_quarter_or_without_a_reason(submission, liaison):
    with pytest.raises(ValidationError, match="仍在填报期内"):
        services.reopen_request_create(plan=submission.plan, quarter=1, reason="x", user=liaison)
    with pytest.raises(ValidationError):
        services.reopen_request_create(plan=submission.plan, quarter=1, reason=" ", user=liaison)


def test_it_refuses_a_save_by_another_members_liaison(submission, school_b):
    other = user_with_role(Role.LIAISON, member=school_b)
    with pytest.raises(PermissionDenied):
        save(submission, other)


# --- review ---------------------------------------------------------------------------------------


def test_it_returns_with_row_comments_then_approves_and_updates_latest_progress(
    submission, liaison, secretariat, task
):
    save(submission, liaison, progress="已下达招生计划", submit=True)
    with pytest.raises(ValidationError, match="请写明需要修改的地方"):
        services.submission_review(
            submission=submission, version=submission.version, approve=False, user=secretariat
        )
    services.submission_review(
        submission=submission,
        version=submission.version,
        approve=False,
        user=secretariat,
        task_comments={task.pk: "请补充人数"},
    )
    submission.refresh_from_db()
    assert submission.status == "returned"
    assert submission.tasks.get().review_comment == "请补充人数"
    save(submission, liaison, progress="已下达招生计划 800 人", submit=True)
    services.submission_review(
        submission=submission, version=submission.version, approve=True, user=secretariat
    )
    submission.refresh_from_db()
    assert (submission.status, submission.reviewed_by) == ("approved", secretariat)
    assert Task.objects.get().latest_progress == "已下达招生计划 800 人"
    actions = list(submission.versions.order_by("number").values_list("action", flat=True))
    assert actions == ["submitted", "returned", "submitted", "approved"]


def test_it_bulk_approves_only_clean_submissions(
    plan, task, indicator, school_a, school_b, liaison, secretariat
):
    clean = services.submission_start(plan=plan, member=school_a, quarter=1)
    save(clean, liaison, submit=True)
    other_liaison = user_with_role(Role.LIAISON, member=school_b)
    behind = services.submission_start(plan=plan, member=school_b, quarter=1)
    services.submission_save(
        submission=behind,
        version=behind.version,
        user=other_liaison,
        submit=True,
        task_rows={
            task.pk: {"progress": "推进慢", "status": "behind", "behind_reason": "资金未到位"}
        },
        indicator_rows={},
    )
    result = services.submissions_bulk_approve(
        submissions=Submission.objects.all(), user=secretariat
    )
    assert (result.approved, result.skipped, result.taken) == (1, 1, 0)
    assert Submission.objects.get(member=school_b).status == "submitted"


def test_it_keeps_drafts_out_of_what_reports_read(submission, liaison, task):
    from targets.selectors import approved_reports

    save(submission, liaison, progress="草稿内容")
    assert not approved_reports(submission.plan).exists()
    assert Task.objects.get().latest_progress == ""


# --- evidence -------------------------------------------------------------------------------------


def pdf(name="证明.pdf", body=b"%PDF-1.4 test"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_it_stores_evidence_under_a_generated_name(submission, liaison):
    evidence = services.evidence_add(submission=submission, upload=pdf(), user=liaison)
    assert evidence.original_name == "证明.pdf"
    assert "证明" not in evidence.file.name
    assert evidence.file.name.endswith(".pdf")
    assert submission.versions.get().action == SubmissionVersion.Action.EVIDENCE


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("run.exe", b"MZ"), "佐证材料须为 PDF"),
        (pdf("fake.pdf", b"MZ\x90"), "文件内容与扩展名 .pdf 不符"),
    ],
)
def test_it_refuses_evidence_of_the_wrong_type(submission, liaison, upload, message):
    with pytest.raises(ValidationError, match=message):
        services.evidence_add(submission=submission, upload=upload, user=liaison)
    assert not Evidence.objects.exists()


def test_it_refuses_evidence_over_the_limit(submission, liaison, settings):
    settings.JITUAN_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = pdf(body=b"%PDF" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="1 MB"):
        services.evidence_add(submission=submission, upload=big, user=liaison)


# --- reminders ------------------------------------------------------------------------------------


def test_it_reminds_liaisons_of_missing_submissions_before_and_after_the_deadline(
    plan, task, indicator, school_a, school_b, liaison, settings
):
    liaison.email = "gongxiao@example.cn"
    liaison.save()
    other = user_with_role(Role.LIAISON, member=school_b)
    other.email = "huaxiao@example.cn"
    other.save()
    submitted = services.submission_start(plan=plan, member=school_b, quarter=1)
    save_rows = {task.pk: {"progress": "好", "status": "done", "behind_reason": ""}}
    services.submission_save(
        submission=submitted,
        version=0,
        task_rows=save_rows,
        indicator_rows={},
        user=other,
        submit=True,
    )
    due = QuarterSchedule.objects.get(plan=plan, quarter=1).due_on
    before = due - timedelta(days=settings.JITUAN_REMIND_DAYS_BEFORE)
    assert services.reminders_send(today=before) == 1
    assert mail.outbox[0].to == ["gongxiao@example.cn"]
    assert "填报提醒" in mail.outbox[0].subject
    assert services.reminders_send(today=due + timedelta(days=1)) == 1
    assert "逾期提醒" in mail.outbox[1].subject
    assert services.reminders_send(today=due - timedelta(days=7)) == 0


def test_the_beat_schedule_runs_the_reminders_daily():
    from jituan.celery import app

    entry = app.conf.beat_schedule["submission-reminders"]
    assert entry["task"] == "targets.tasks.submission_reminders"
    from targets.tasks import submission_reminders

    assert submission_reminders.name == entry["task"]


def test_a_member_named_on_an_indicator_s_task_reports_its_value_without_an_allocation(
    plan, task, school_a, school_b, secretariat
):
    from targets.sources import indicator_actual

    trained = Indicator.objects.create(
        plan=plan, code="t", name="培训人次", unit="人次", target=1000, task=task
    )
    Indicator.objects.create(  # computed from a register: asked of nobody
        plan=plan, code="r", name="在校生", unit="人", target=10, task=task,
        source="enrollment.students.secondary",
    )  # fmt: skip
    values = {school_a: Decimal(300), school_b: Decimal(450)}
    for school, value in values.items():
        submission = services.submission_start(plan=plan, member=school, quarter=1)
        assert list(submission.indicators.values_list("indicator", flat=True)) == [trained.pk]
        liaison = user_with_role(Role.LIAISON, member=school)
        services.submission_save(
            submission=submission,
            version=submission.version,
            task_rows={task.pk: {"progress": "按计划推进", "status": "on_track"}},
            indicator_rows={trained.pk: {"value": value}},
            user=liaison,
            submit=True,
        )
        submission.refresh_from_db()
        services.submission_review(
            submission=submission, version=submission.version, approve=True, user=secretariat
        )
    actual = indicator_actual(trained)
    assert actual.group == 750
    assert actual.per_member == {school_a.pk: 300, school_b.pk: 450}
