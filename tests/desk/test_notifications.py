"""站内消息: created by the workflow, read by their recipient only, e-mailed on request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jituan.models import Notification
from jituan.notifications import mark_all_read, notify
from reports import services as report_services
from reports.models import Report
from targets import services
from targets.models import ReopenRequest
from targets.tasks import deadline_notices

from .conftest import TODAY, approve, return_

pytestmark = pytest.mark.django_db


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_it_tells_the_liaisons_of_a_return_with_the_reviewers_comment(
    submitted, liaison, liaison_b, secretariat
):
    return_(submitted, secretariat, comment="请补充人数")
    note = Notification.objects.get(recipient=liaison)
    assert note.kind == Notification.Kind.RETURNED
    assert "请补充人数" in note.text
    assert note.url == reverse("targets:submission-fill", args=[submitted.plan_id, 1])
    assert kinds(liaison_b) == []  # the other school hears nothing


def test_it_tells_the_liaisons_of_an_approval(submitted, liaison, liaison_b, secretariat):
    approve(submitted, secretariat)
    assert kinds(liaison) == [Notification.Kind.APPROVED]
    assert kinds(liaison_b) == []


@pytest.mark.parametrize("grant", [True, False])
def test_it_tells_the_requester_the_reopening_answer(plan, liaison, secretariat, grant):
    request = ReopenRequest.objects.create(
        plan=plan, member=liaison.member, quarter=1, reason="补报", requested_by=liaison
    )
    services.reopen_request_decide(
        request=request, grant=grant, user=secretariat, until=TODAY + timedelta(days=5)
    )
    expected = Notification.Kind.REOPEN_GRANTED if grant else Notification.Kind.REOPEN_REFUSED
    assert kinds(liaison) == [expected]


def test_it_tells_the_requester_when_a_report_is_done(secretariat, monkeypatch):
    class Built:
        content, pages, word = b"%PDF-1.4", 1, None

    monkeypatch.setattr(report_services, "build", lambda *args, **kwargs: Built())
    report = Report.objects.create(
        kind=Report.Kind.DISPATCH,
        year=TODAY.year,
        month=1,
        version=1,
        as_of=timezone.now(),
        requested_by=secretariat,
    )
    report_services.generate(report.pk)
    note = Notification.objects.get(recipient=secretariat)
    assert note.kind == Notification.Kind.REPORT_READY
    assert note.url == report.get_absolute_url()


def test_it_tells_each_liaison_once_that_the_deadline_is_coming(
    submitted, liaison, liaison_b, plan
):
    # Due in 2 days: nothing yet; due in 3 days: school_b (not submitted) hears it, once.
    assert deadline_notices() == 0
    plan.schedules.filter(quarter=1).update(due_on=TODAY + timedelta(days=3))
    assert deadline_notices() == 1
    assert deadline_notices() == 0
    assert kinds(liaison_b) == [Notification.Kind.DEADLINE_COMING]
    assert kinds(liaison) == []  # school_a has submitted


def test_it_emails_only_those_who_asked(
    liaison, liaison_b, mailoutbox, django_capture_on_commit_callbacks
):
    liaison.email, liaison.email_notifications = "a@example.com", True
    liaison.save()
    liaison_b.email = "b@example.com"
    liaison_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([liaison, liaison_b], Notification.Kind.APPROVED, "已通过", "/")
    assert [m.to for m in mailoutbox] == [["a@example.com"]]
    assert mailoutbox[0].body == "已通过"


def test_it_never_fails_the_caller_when_mail_fails(
    liaison, monkeypatch, django_capture_on_commit_callbacks
):
    liaison.email, liaison.email_notifications = "a@example.com", True
    liaison.save()

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("jituan.notifications.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        notify([liaison], Notification.Kind.APPROVED, "已通过", "/")
    assert kinds(liaison) == [Notification.Kind.APPROVED]


def test_it_lists_only_the_users_own_notifications(client_for, liaison, liaison_b):
    notify([liaison], Notification.Kind.APPROVED, "甲校的消息", "/")
    notify([liaison_b], Notification.Kind.APPROVED, "乙校的消息", "/")
    body = client_for(liaison).get(reverse("desk:notification-list")).content.decode()
    assert "甲校的消息" in body
    assert "乙校的消息" not in body


def test_it_answers_404_for_another_users_notification(client_for, liaison, liaison_b):
    (note,) = notify([liaison_b], Notification.Kind.APPROVED, "乙校的消息", "/")
    response = client_for(liaison).post(reverse("desk:notification-read", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_it_marks_one_read_and_opens_it(client_for, liaison):
    (note,) = notify([liaison], Notification.Kind.APPROVED, "已通过", "/members/")
    response = client_for(liaison).post(reverse("desk:notification-read", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/members/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_it_rejects_get_on_mark_read(client_for, liaison):
    (note,) = notify([liaison], Notification.Kind.APPROVED, "已通过", "/")
    client = client_for(liaison)
    assert client.get(reverse("desk:notification-read", args=[note.pk])).status_code == 405
    assert client.get(reverse("desk:notification-read-all")).status_code == 405


def test_it_marks_all_read_and_the_badge_counts_unread(client_for, liaison, liaison_b):
    notify([liaison], Notification.Kind.APPROVED, "一", "/")
    notify([liaison], Notification.Kind.APPROVED, "二", "/")
    notify([liaison_b], Notification.Kind.APPROVED, "三", "/")
    client = client_for(liaison)
    assert client.get(reverse("desk:notification-list")).context["unread_notifications"] == 2
    assert client.post(reverse("desk:notification-read-all")).status_code == 302
    assert client.get(reverse("desk:notification-list")).context["unread_notifications"] == 0
    assert mark_all_read(user=liaison_b) == 1


def test_it_saves_the_email_setting(client_for, liaison):
    client = client_for(liaison)
    assert client.get(reverse("desk:notification-settings")).status_code == 200
    response = client.post(reverse("desk:notification-settings"), {"email_notifications": "on"})
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert liaison.email_notifications is True


def test_it_turns_the_email_setting_off_when_unticked(client_for, liaison):
    liaison.email_notifications = True
    liaison.save()
    response = client_for(liaison).post(reverse("desk:notification-settings"), {})
    assert response.status_code == 302
    liaison.refresh_from_db()
    assert liaison.email_notifications is False
