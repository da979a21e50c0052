"""The daily desk: nothing typed is thrown away. Evidence is uploaded without leaving the fill
page, a return in a closed quarter reopens it for the school, and every problem is said once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from targets import services
from targets.deadlines import member_deadline_state
from targets.models import (
    Evidence,
    QuarterSchedule,
    ReopenRequest,
    Submission,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
AJAX = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def draft(plan, task, indicator, school_a):
    return services.submission_start(plan=plan, member=school_a, quarter=1)


@pytest.fixture
def submitted(draft, liaison, task, indicator):
    services.submission_save(
        submission=draft,
        version=draft.version,
        task_rows={task.pk: {"progress": "按计划推进", "status": "on_track"}},
        indicator_rows={indicator.pk: {"value": 800}},
        user=liaison,
        submit=True,
    )
    return Submission.objects.get(pk=draft.pk)


def close_quarter(plan):
    QuarterSchedule.objects.filter(plan=plan).update(
        due_on=TODAY - timedelta(days=30), grace_days=5
    )


def fill_url(plan):
    return reverse("targets:submission-fill", args=[plan.pk, 1])


def upload_url(submission):
    return reverse("targets:evidence-upload", args=[submission.pk])


def pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 x", content_type="application/pdf")


def return_(submission, user, **extra):
    return services.submission_review(
        submission=submission,
        version=submission.version,
        approve=False,
        user=user,
        comment="请补充人数",
        **extra,
    )


# --- evidence without leaving the page ------------------------------------------------------


def test_it_answers_a_background_upload_with_json_and_the_list(client_for, liaison, draft):
    client = client_for(liaison)
    response = client.post(upload_url(draft), {"file": pdf()}, **AJAX)
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True
    assert answer["message"] == gettext("Evidence uploaded.")
    evidence = Evidence.objects.get()
    assert "证明.pdf" in answer["html"]
    assert reverse("targets:evidence-delete", args=[evidence.pk]) in answer["html"]
    # Said once, in the page: no flash message is left to show again on the next page.
    assert gettext("Evidence uploaded.") not in client.get(fill_url(draft.plan)).content.decode()


@pytest.mark.parametrize("headers", [{"HTTP_ACCEPT": "application/json"}, AJAX])
def test_it_answers_a_refused_background_upload_with_json(client_for, liaison, draft, headers):
    upload = SimpleUploadedFile("说明.txt", b"hello")
    response = client_for(liaison).post(upload_url(draft), {"file": upload}, **headers)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert ".pdf" in response.json()["message"]
    assert not Evidence.objects.exists()


def test_it_still_redirects_a_plain_upload(client_for, liaison, draft):
    response = client_for(liaison).post(upload_url(draft), {"file": pdf()})
    assert response.status_code == 302
    assert response["Location"] == fill_url(draft.plan)
    assert Evidence.objects.get().original_name == "证明.pdf"


def test_it_keeps_background_uploads_to_the_liaisons_own_submissions(
    client_for, liaison, plan, school_b
):
    other = services.submission_start(plan=plan, member=school_b, quarter=1)
    response = client_for(liaison).post(upload_url(other), {"file": pdf()}, **AJAX)
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_it_rejects_get_on_upload(client_for, liaison, draft):
    assert client_for(liaison).get(upload_url(draft), **AJAX).status_code == 405


def test_it_marks_the_fill_page_for_warnings_and_confirmations(client_for, liaison, draft):
    client = client_for(liaison)
    client.post(upload_url(draft), {"file": pdf()})
    body = client.get(fill_url(draft.plan)).content.decode()
    assert 'data-testid="submission-form" data-warn-unsaved>' in body
    assert "js/unsaved.js" in body and "js/evidence.js" in body
    assert body.count("data-confirm=") == 2  # submitting, and deleting the one file
    assert 'name="submit" data-confirm=' in body
    assert "data-evidence-upload" in body


def test_it_marks_a_form_shown_again_after_a_refused_save_as_unsaved(
    client_for, liaison, task, indicator, plan
):
    data = {
        "version": 0,
        f"task-{task.pk}-progress": "我写的",
        f"indicator-{indicator.pk}-value": "很多",
    }
    body = client_for(liaison).post(fill_url(plan), data).content.decode()
    assert 'data-warn-unsaved="refused"' in body
    assert "我写的" in body


# --- a return in a closed quarter reopens it ------------------------------------------------------


def test_it_reopens_a_closed_quarter_for_a_week_when_returning(submitted, liaison, secretariat):
    close_quarter(submitted.plan)
    return_(submitted, secretariat)
    reopening = ReopenRequest.objects.get()
    assert (reopening.status, reopening.member, reopening.quarter) == (
        "granted",
        submitted.member,
        1,
    )
    assert (reopening.until, reopening.decided_by) == (TODAY + timedelta(days=7), secretariat)
    state = member_deadline_state(submitted.plan, submitted.member_id, 1, TODAY)
    assert (state.code, state.reopened_until) == ("reopened", TODAY + timedelta(days=7))
    submission = Submission.objects.get()
    services.submission_save(
        submission=submission,
        version=submission.version,
        task_rows={},
        indicator_rows={},
        user=liaison,
        submit=True,
    )
    assert Submission.objects.get().status == "submitted"


def test_it_reopens_until_the_date_the_reviewer_picks(submitted, secretariat):
    close_quarter(submitted.plan)
    return_(submitted, secretariat, reopen_until=TODAY + timedelta(days=90))
    assert ReopenRequest.objects.get().until == TODAY + timedelta(days=90)


@pytest.mark.parametrize("days", [-1, 91])
def test_it_refuses_a_reopening_date_in_the_past_or_too_far_ahead(submitted, secretariat, days):
    close_quarter(submitted.plan)
    with pytest.raises(ValidationError) as raised:
        return_(submitted, secretariat, reopen_until=TODAY + timedelta(days=days))
    assert "reopen_until" in raised.value.message_dict
    assert Submission.objects.get().status == "submitted"
    assert not ReopenRequest.objects.exists()


def test_it_reopens_nothing_when_the_quarter_is_open_or_on_approval(submitted, secretariat):
    return_(submitted, secretariat, reopen_until=TODAY + timedelta(days=3))
    assert not ReopenRequest.objects.exists()
    Submission.objects.filter(pk=submitted.pk).update(status="submitted")
    close_quarter(submitted.plan)
    submission = Submission.objects.get()
    services.submission_review(
        submission=submission, version=submission.version, approve=True, user=secretariat
    )
    assert not ReopenRequest.objects.exists()


def test_it_shows_the_reopening_date_only_when_the_quarter_is_closed(
    client_for, secretariat, submitted
):
    client = client_for(secretariat)
    assert 'name="reopen_until"' not in client.get(submitted.get_absolute_url()).content.decode()
    close_quarter(submitted.plan)
    body = client.get(submitted.get_absolute_url()).content.decode()
    default = (TODAY + timedelta(days=7)).isoformat()
    assert f'name="reopen_until" value="{default}"' in body


def test_it_returns_and_reopens_through_the_screen(client_for, secretariat, submitted):
    close_quarter(submitted.plan)
    until = TODAY + timedelta(days=10)
    url = reverse("targets:submission-review", args=[submitted.pk])
    data = {"version": submitted.version, "return": "1", "comment": "请补充"}
    response = client_for(secretariat).post(url, data | {"reopen_until": until.isoformat()})
    assert response.status_code == 302
    assert Submission.objects.get().status == "returned"
    assert ReopenRequest.objects.get().until == until


@pytest.mark.parametrize("until", ["2024-13-45", (TODAY - timedelta(days=1)).isoformat()])
def test_it_keeps_the_reviewers_comments_when_the_date_is_refused(
    client_for, secretariat, submitted, task, until
):
    close_quarter(submitted.plan)
    url = reverse("targets:submission-review", args=[submitted.pk])
    data = {
        "version": submitted.version,
        "return": "1",
        "comment": "整体意见",
        f"comment-task-{task.pk}": "行意见",
        "reopen_until": until,
    }
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "整体意见" in body and 'value="行意见"' in body and f'value="{until}"' in body
    assert body.count('class="alert alert-danger') == 1
    assert Submission.objects.get().status == "submitted"
    assert not ReopenRequest.objects.exists()


# --- confirmations and feedback said once --------------------------------------------------------


def test_it_refuses_a_bulk_approval_with_nothing_ticked(client_for, secretariat, submitted):
    response = client_for(secretariat).post(
        reverse("targets:submission-bulk-approve"), {}, follow=True
    )
    body = response.content.decode()
    assert body.count(gettext("Tick the submissions to approve first.")) == 1
    assert 'class="alert alert-success' not in body
    assert Submission.objects.get().status == "submitted"


def test_it_does_not_call_a_bulk_approval_that_approved_nothing_a_success(
    client_for, secretariat, submitted, task
):
    submitted.tasks.update(status="behind", behind_reason="资金未到位")
    response = client_for(secretariat).post(
        reverse("targets:submission-bulk-approve"),
        {"submission": f"{submitted.pk}:{submitted.version}"},
        follow=True,
    )
    body = response.content.decode()
    assert 'class="alert alert-success' not in body
    assert body.count('class="alert alert-warning') == 1


def test_it_asks_before_bulk_approval(client_for, secretariat, submitted):
    body = client_for(secretariat).get(reverse("targets:submission-board")).content.decode()
    assert 'type="submit" data-confirm=' in body


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"status": "behind"}, "Say why the task is behind."),
        ({"submit": "1", "progress": ""}, "Fill in the progress and the status."),
    ],
)
def test_it_says_each_problem_of_the_fill_page_once(
    client_for, liaison, task, indicator, plan, extra, problem
):
    data = {
        "version": 0,
        f"task-{task.pk}-progress": extra.get("progress", "按计划推进"),
        f"task-{task.pk}-status": extra.get("status", "on_track"),
        f"indicator-{indicator.pk}-value": "800",
    }
    if "submit" in extra:
        data["submit"] = "1"
    body = client_for(liaison).post(fill_url(plan), data).content.decode()
    assert body.count(gettext(problem)) == 1
    assert body.count(gettext("Some entries need fixing; nothing was saved yet.")) == 1


def test_it_says_once_that_a_ticked_submission_was_taken_meanwhile(
    client_for, secretariat, submitted
):
    response = client_for(secretariat).post(
        reverse("targets:submission-bulk-approve"),
        {"submission": f"{submitted.pk}:{submitted.version - 1}"},
        follow=True,
    )
    body = response.content.decode()
    assert body.count('class="alert alert-') == 1
    assert 'class="alert alert-warning' in body
