"""Faults and races lose nothing: two reviewers on one submission, evidence uploads racing
deletes. Real concurrency on one SQLite file is not reproducible, so each test forces the
interleaving: the other reviewer's approval, or the other request's commit, lands exactly
between this request's read and its write."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from jituan.roles import Role
from targets import selectors, services
from targets.models import (
    Evidence,
    Submission,
    SubmissionVersion,
)
from tests.factories import user_with_role

TODAY = timezone.localdate()


@pytest.fixture
def draft(plan, task, indicator, school_a, liaison):
    submission = services.submission_start(plan=plan, member=school_a, quarter=1)
    return save(submission, liaison)


@pytest.fixture
def submitted(draft, liaison):
    return save(draft, liaison, submit=True)


@pytest.fixture
def other_reviewer(db):
    return user_with_role(Role.SECRETARIAT, username="mishu2")


def save(submission, liaison, *, submit=False):
    task_id = submission.tasks.get().task_id
    indicator_id = submission.indicators.get().indicator_id
    return services.submission_save(
        submission=submission,
        version=submission.version,
        task_rows={task_id: {"progress": "已下达招生计划", "status": "on_track"}},
        indicator_rows={indicator_id: {"value": Decimal("800")}},
        user=liaison,
        submit=submit,
    )


def approve_as(user, submission_id):
    """The other reviewer, on their own copy of the submission, gets there first."""
    theirs = Submission.objects.get(pk=submission_id)
    services.submission_review(submission=theirs, version=theirs.version, approve=True, user=user)


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- two reviewers ------------------------------------------------------------------------------


def ticked(submission):
    """The board's checkbox value: the submission as the reviewer saw it."""
    return f"{submission.pk}:{submission.version}"


def test_bulk_approval_skips_a_submission_its_member_changed_since_the_board_was_shown(
    client_for, secretariat, submitted
):
    shown = ticked(submitted)
    Submission.objects.filter(pk=submitted.pk).update(version=submitted.version + 1)
    response = client_for(secretariat).post(
        reverse("targets:submission-bulk-approve"), {"submission": [shown]}
    )
    assert "1 份已由他人处理或修改，已跳过。" in told(response)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_bulk_approval_skips_what_another_reviewer_approved_while_it_ran(
    client_for, secretariat, other_reviewer, submitted, monkeypatch
):
    real = services.submissions.submission_is_clean
    raced = []

    def other_reviewer_first(submission):
        # The list was read; the other reviewer approves before this one writes.
        if not raced:
            raced.append(approve_as(other_reviewer, submission.pk))
        return real(submission)

    monkeypatch.setattr(services.submissions, "submission_is_clean", other_reviewer_first)
    response = client_for(secretariat).post(
        reverse("targets:submission-bulk-approve"), {"submission": [ticked(submitted)]}
    )
    assert response.status_code == 302
    assert "1 份已由他人处理或修改，已跳过。" in told(response)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == ("approved", other_reviewer)
    assert submitted.versions.filter(action="approved").count() == 1


def test_bulk_approval_says_a_submission_was_approved_before_it_was_sent(
    client_for, secretariat, other_reviewer, submitted
):
    approve_as(other_reviewer, submitted.pk)  # the board this reviewer looks at is stale
    response = client_for(secretariat).post(
        reverse("targets:submission-bulk-approve"), {"submission": [ticked(submitted)]}
    )
    # Said once: no "approved 0" banner beside it.
    assert told(response) == ["1 份已由他人处理或修改，已跳过。"]


def review_post(submission, task, indicator, *, version):
    return {
        "version": version,
        "return": "1",
        "comment": "请补充佐证材料",
        f"comment-task-{task.pk}": "请写明招生人数",
        f"comment-indicator-{indicator.pk}": "请核对实际值",
    }


def assert_comments_kept(response, submission):
    assert response.status_code == 409
    page = response.content.decode()
    for text in ("请补充佐证材料", "请写明招生人数", "请核对实际值"):
        assert text in page
    message = told(response)[0]
    assert "mishu2" in message or "秘书处用户" in message
    assert "您的审核意见仍保留在本页" in message
    assert "刷新页面后再保存" not in message  # not the liaison's wording
    submission.refresh_from_db()
    assert submission.status == "approved"
    assert submission.review_comment == ""


def test_a_review_of_a_page_opened_before_another_approval_keeps_the_comments(
    client_for, secretariat, other_reviewer, submitted, task, indicator
):
    opened = submitted.version
    approve_as(other_reviewer, submitted.pk)
    response = client_for(secretariat).post(
        reverse("targets:submission-review", args=[submitted.pk]),
        review_post(submitted, task, indicator, version=opened),
    )
    assert_comments_kept(response, submitted)


def test_a_review_that_loses_the_race_while_it_writes_keeps_the_comments(
    client_for, secretariat, other_reviewer, submitted, task, indicator, monkeypatch
):
    real = selectors.submission_get_for
    calls = []

    def read_then_other_reviewer_approves(user, pk):
        submission = real(user, pk)
        if not calls:
            approve_as(other_reviewer, pk)
        calls.append(pk)
        return submission

    monkeypatch.setattr(selectors, "submission_get_for", read_then_other_reviewer_approves)
    response = client_for(secretariat).post(
        reverse("targets:submission-review", args=[submitted.pk]),
        review_post(submitted, task, indicator, version=submitted.version),
    )
    assert_comments_kept(response, submitted)


# --- evidence -----------------------------------------------------------------------------------


def pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.fixture
def version_taken(monkeypatch):
    """The other request (an upload or a delete of the same submission) commits the next
    version number between this request's read of the last number and its insert."""

    def taken(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: targets_submissionversion.number")

    def arm():
        monkeypatch.setattr(services.submissions, "version_record", taken)

    return arm


@pytest.mark.django_db(transaction=True)
def test_an_upload_that_loses_a_race_leaves_no_file_behind(draft, liaison, settings, version_taken):
    version_taken()
    with pytest.raises(IntegrityError):
        services.evidence_add(submission=draft, upload=pdf(), user=liaison)
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_a_delete_that_loses_a_race_keeps_the_file_of_the_row(
    draft, liaison, settings, version_taken, monkeypatch
):
    evidence = services.evidence_add(submission=draft, upload=pdf(), user=liaison)
    version_taken()
    with pytest.raises(IntegrityError):
        services.evidence_remove(evidence=evidence, user=liaison)
    kept = Evidence.objects.get()
    assert Path(kept.file.path).is_file()
    assert stored_files(settings) == [Path(kept.file.path)]
    monkeypatch.undo()  # tried again, the removal goes through: row and file both gone
    services.evidence_remove(evidence=kept, user=liaison)
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_an_upload_to_a_page_submitted_meanwhile_is_refused_and_stores_nothing(
    draft, liaison, settings
):
    opened = Submission.objects.get(pk=draft.pk)  # the fill page, open in a second tab
    save(draft, liaison, submit=True)
    with pytest.raises(Exception, match="已提交"):
        services.evidence_add(submission=opened, upload=pdf(), user=liaison)
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_deleting_the_same_file_twice_records_one_removal(draft, liaison, settings):
    services.evidence_add(submission=draft, upload=pdf(), user=liaison)
    first, second = Evidence.objects.get(), Evidence.objects.get()  # two tabs, one file
    services.evidence_remove(evidence=first, user=liaison)
    services.evidence_remove(evidence=second, user=liaison)
    actions = SubmissionVersion.objects.filter(action="evidence").count()
    assert actions == 2  # the upload and one removal
    assert stored_files(settings) == []
