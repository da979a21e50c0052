"""Urging (催办): by hand with a note, on the schedule with a frozen clock, each urge logged once
per channel; group robots posting to a local HTTP server; every form refusing bad input in
Chinese and writing nothing; a liaison seeing their own member's urges only."""

import base64
import hashlib
import hmac
import json
import re
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from jituan.celery import app as celery_app
from jituan.models import Notification
from jituan.roles import Role
from supervision import tasks
from supervision.models import Delivery, SupervisionPolicy, TaskLight, Urge, UrgeStep, Webhook
from supervision.urging import urge_send, urges_on_schedule
from targets.models import Plan, Submission, Task
from tests.factories import MemberContactFactory, user_with_role

pytestmark = pytest.mark.django_db
CHINESE = re.compile("[\u4e00-\u9fff]")
DUE = date(2024, 10, 10)


@pytest.fixture
def plan(db):
    return Plan.objects.create(year=2024, title="2024 年重点工作")


@pytest.fixture
def task(plan, school_a, school_b):
    task = Task.objects.create(plan=plan, number="3", title="扩大中职招生规模")
    task.responsible_members.add(school_a, school_b)
    return task


@pytest.fixture
def liaison_b(school_b):
    return user_with_role(Role.LIAISON, member=school_b, username="lianluo_b")


def light(task, member, colour="red", due_on=DUE):
    return TaskLight.objects.create(
        task=task,
        member=member,
        light=colour,
        reason="第3季度进展逾期未报",
        since=DUE,
        due_on=due_on,
        computed_on=DUE,
    )


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


class Robot:
    """A local group robot: records every post; answers with the status and errcode given."""

    def __init__(self, status=200, errcode=0):
        self.posts = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.posts.append({"path": self.path, "json": json.loads(body)})
                answer = json.dumps({"errcode": errcode, "errmsg": "ok"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?key=SECRETKEY1234567890"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    server = Robot()
    yield server
    server.close()


@pytest.fixture
def failing_robot():
    server = Robot(status=500)
    yield server
    server.close()


def send_pending(urge):
    for delivery in urge.deliveries.filter(channel=Delivery.Channel.WEBHOOK):
        tasks.deliver_webhook.apply(args=[delivery.pk])


# --- on schedule ------------------------------------------------------------------------------


class TestSchedule:
    def run(self, day):
        return urges_on_schedule(today=day)

    def test_it_urges_on_the_right_days_and_escalates(self, task, school_a):
        light(task, school_a)
        MemberContactFactory(member=school_a, is_leadership=True, email="xiaozhang@example.cn")
        sent = {}
        for offset in range(-9, 11):
            day = DUE + timedelta(days=offset)
            sent[offset] = self.run(day)
            assert self.run(day) == 0  # the job run twice a day sends nothing more
        fired = [offset for offset, count in sent.items() if count]
        assert fired == [-7, -3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        assert all(sent[offset] == 1 for offset in fired)
        assert Urge.objects.count() == len(fired)
        escalated = Urge.objects.get(to_leadership=True)
        assert escalated.key.endswith(f":7:{(DUE + timedelta(days=7)).isoformat()}")
        assert escalated.origin == Urge.Origin.SCHEDULE and escalated.by is None
        leaders = escalated.deliveries.filter(channel=Delivery.Channel.EMAIL)
        assert [d.recipient for d in leaders] == ["xiaozhang@example.cn"]
        # Only the escalated urge reaches the leadership.
        assert Delivery.objects.filter(recipient="xiaozhang@example.cn").count() == 1

    def test_it_names_the_member_the_task_and_the_deadline(self, task, school_a, liaison):
        light(task, school_a)
        self.run(DUE + timedelta(days=1))
        urge = Urge.objects.get()
        assert school_a.name in urge.text and "扩大中职招生规模" in urge.text
        assert "2024-10-10" in urge.text and "第3季度进展逾期未报" in urge.text
        note = Notification.objects.get(recipient=liaison)
        assert note.kind == Notification.Kind.URGE and note.text == urge.text

    def test_it_leaves_green_lights_and_lights_without_a_deadline_alone(
        self, task, school_a, school_b
    ):
        light(task, school_a, colour="green")
        light(task, school_b, due_on=None)
        assert self.run(DUE + timedelta(days=1)) == 0
        assert not Urge.objects.exists()

    def test_it_leaves_the_lights_of_a_plan_no_longer_supervised_alone(self, school_a):
        old = Plan.objects.create(year=2022, title="2022 年重点工作")
        task = Task.objects.create(plan=old, number="1", title="旧任务")
        task.responsible_members.add(school_a)
        light(task, school_a, due_on=date(2022, 12, 31))
        assert self.run(DUE) == 0

    def test_it_follows_the_stored_schedule(self, task, school_a):
        UrgeStep.objects.create(days=0)
        UrgeStep.objects.create(days=2, to_leadership=True)
        light(task, school_a)
        fired = [o for o in range(-8, 6) if self.run(DUE + timedelta(days=o))]
        assert fired == [0, 2]

    def test_the_daily_job_calls_the_service(self, task, school_a, monkeypatch):
        light(task, school_a)
        monkeypatch.setattr(tasks.timezone, "localdate", lambda: DUE + timedelta(days=1))
        assert tasks.urge_on_schedule() == 1
        assert tasks.urge_on_schedule() == 0


# --- by hand ----------------------------------------------------------------------------------


class TestManualUrge:
    def url(self, task):
        return reverse("supervision:urge-task", args=[task.pk])

    def test_it_urges_with_a_note_and_logs_when_it_was_read(
        self, client_for, task, school_a, secretariat, liaison
    ):
        liaison.email = "lianluo@example.cn"
        liaison.save()
        light(task, school_a)
        response = client_for(secretariat).post(
            self.url(task), {"member": school_a.pk, "note": "请周五前报送"}
        )
        assert response.status_code == 302 and response.url == task.get_absolute_url()
        assert any(CHINESE.search(t) and school_a.name in t for t in texts(response))
        urge = Urge.objects.get()
        assert urge.origin == Urge.Origin.MANUAL and urge.by == secretariat
        assert urge.note == "请周五前报送" and "请周五前报送" in urge.text
        channels = sorted(urge.deliveries.values_list("channel", "status"))
        assert channels == [("email", "pending"), ("in_app", "sent")]

        note = Notification.objects.get(recipient=liaison, kind=Notification.Kind.URGE)
        client = client_for(liaison)
        client.post(reverse("desk:notification-read", args=[note.pk]))
        delivery = urge.deliveries.get(channel=Delivery.Channel.IN_APP)
        assert delivery.read_at is not None
        page = client_for(secretariat).get(reverse("supervision:urge-list")).content.decode()
        assert delivery.read_at.astimezone().strftime("%Y-%m-%d") in page
        assert "请周五前报送" in page

    def test_it_urges_on_a_report(self, client_for, plan, school_a, secretariat, liaison):
        submission = Submission.objects.create(plan=plan, member=school_a, quarter=3)
        response = client_for(secretariat).post(
            reverse("supervision:urge-submission", args=[submission.pk]), {"note": ""}
        )
        assert response.status_code == 302 and response.url == submission.get_absolute_url()
        urge = Urge.objects.get(submission=submission)
        assert school_a.name in urge.text and "2024" in urge.text
        page = client_for(secretariat).get(submission.get_absolute_url()).content.decode()
        assert 'data-testid="urge-card"' in page and urge.text in page

    def test_it_refuses_a_note_too_long_and_writes_nothing(
        self, client_for, task, school_a, secretariat, liaison
    ):
        response = client_for(secretariat).post(
            self.url(task), {"member": school_a.pk, "note": "催" * 301}
        )
        assert response.status_code == 302
        assert any(CHINESE.search(t) and "300" in t for t in texts(response))
        assert not Urge.objects.exists() and not Notification.objects.exists()

    def test_it_refuses_a_member_not_responsible(self, client_for, task, secretariat):
        other = Task.objects.create(plan=task.plan, number="4", title="别的任务")
        stranger = task.responsible_members.first()
        response = client_for(secretariat).post(
            reverse("supervision:urge-task", args=[other.pk]), {"member": stranger.pk}
        )
        assert response.status_code == 302 and texts(response)
        assert not Urge.objects.exists()

    def test_the_service_refuses_a_long_note_in_chinese(self, task, school_a, secretariat):
        with pytest.raises(Exception) as raised:
            urge_send(member=school_a, task=task, note="x" * 301, by=secretariat)
        assert CHINESE.search(" ".join(raised.value.messages))
        assert not Urge.objects.exists()

    def test_leadership_and_liaisons_cannot_urge(
        self, client_for, task, school_a, leadership, liaison
    ):
        for user in (leadership, liaison):
            response = client_for(user).post(self.url(task), {"member": school_a.pk})
            assert response.status_code == 403
        assert not Urge.objects.exists()

    def test_it_rejects_get(self, client_for, task, secretariat):
        assert client_for(secretariat).get(self.url(task)).status_code == 405

    def test_the_page_survives_the_queue_being_down(
        self, client_for, task, school_a, secretariat, robot, monkeypatch,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        Webhook.objects.create(member=school_a, kind="wecom", url=robot.url)

        def down(*args, **kwargs):
            raise ConnectionError("broker down")

        monkeypatch.setattr(tasks.deliver_webhook, "apply_async", down)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(secretariat).post(self.url(task), {"member": school_a.pk})
        assert response.status_code == 302
        delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
        assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 0

    def test_it_queues_the_email_and_the_robot_after_the_commit(
        self, client_for, task, school_a, secretariat, liaison, monkeypatch,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        liaison.email = "lianluo@example.cn"
        liaison.save()
        Webhook.objects.create(member=None, kind="wecom", url="https://robot.example/s?key=k")
        queued = []
        for task_function in (tasks.deliver_email, tasks.deliver_webhook):
            monkeypatch.setattr(
                task_function,
                "apply_async",
                lambda args, name=task_function.name, **kw: queued.append((name, args)),
            )
        with django_capture_on_commit_callbacks(execute=True):
            client_for(secretariat).post(self.url(task), {"member": school_a.pk})
        assert sorted(name.rsplit(".", 1)[1] for name, _args in queued) == [
            "deliver_email",
            "deliver_webhook",
        ]

    def test_the_email_goes_out_in_the_worker(self, eager, mailoutbox, task, school_a, secretariat):
        contact = MemberContactFactory(member=school_a, is_leadership=True, email="ld@example.cn")
        urge = urge_send(member=school_a, task=task, by=secretariat)
        delivery = Delivery.objects.create(urge=urge, channel="email", recipient=contact.email)
        assert tasks.deliver_email.apply(args=[delivery.pk]).get() == "sent"
        (mail,) = mailoutbox
        assert mail.to == ["ld@example.cn"] and urge.text in mail.body
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and delivery.sent_at is not None

    def test_the_sweep_sends_deliveries_the_queue_never_took(
        self, task, school_a, secretariat, monkeypatch
    ):
        Webhook.objects.create(member=school_a, kind="wecom", url="https://robot.example/s?key=k")
        urge = urge_send(member=school_a, task=task, by=secretariat)
        Urge.objects.filter(pk=urge.pk).update(created_at=urge.created_at - timedelta(minutes=5))
        queued = []
        monkeypatch.setattr(
            tasks.deliver_webhook, "apply_async", lambda args, **kw: queued.append(args)
        )
        assert tasks.resume_stalled_deliveries() == 1
        assert queued == [[urge.deliveries.get(channel="webhook").pk]]


# --- group robots -----------------------------------------------------------------------------


class TestWebhooks:
    def test_a_post_reaches_the_robot_with_the_member_and_the_task(
        self, eager, task, school_a, secretariat, robot
    ):
        Webhook.objects.create(member=school_a, kind="wecom", url=robot.url)
        Webhook.objects.create(member=None, kind="wecom", url=robot.url)  # the secretariat's
        Webhook.objects.create(member=task.responsible_members.last(), kind="wecom", url=robot.url)
        urge = urge_send(member=school_a, task=task, by=secretariat)
        send_pending(urge)
        assert len(robot.posts) == 2  # the member's robot and the secretariat's, not school_b's
        for post in robot.posts:
            assert post["json"]["msgtype"] == "text"
            content = post["json"]["text"]["content"]
            assert school_a.name in content and "扩大中职招生规模" in content
        assert set(urge.deliveries.values_list("status", flat=True)) == {"sent"}

    def test_dingtalk_posts_are_signed_with_the_secret(
        self, eager, task, school_a, secretariat, robot
    ):
        secret = "SEC0123456789abcdef"
        Webhook.objects.create(member=school_a, kind="dingtalk", url=robot.url, secret=secret)
        send_pending(urge_send(member=school_a, task=task, by=secretariat))
        (post,) = robot.posts
        query = parse_qs(urlsplit(post["path"]).query)
        timestamp, sign = query["timestamp"][0], query["sign"][0]
        expected = base64.b64encode(
            hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        ).decode()
        assert sign == expected  # parse_qs has undone the URL-encoding
        assert "key" in query  # the robot's own token is kept

    def test_a_failing_robot_is_retried_and_ends_failed(
        self, eager, client_for, task, school_a, secretariat, failing_robot
    ):
        Webhook.objects.create(member=school_a, kind="wecom", url=failing_robot.url)
        urge = urge_send(member=school_a, task=task, by=secretariat)
        send_pending(urge)
        delivery = urge.deliveries.get(channel=Delivery.Channel.WEBHOOK)
        assert len(failing_robot.posts) == tasks.WEBHOOK_RETRIES + 1
        assert delivery.status == Delivery.Status.FAILED
        assert delivery.attempts == tasks.WEBHOOK_RETRIES + 1
        assert "500" in delivery.error and "SECRETKEY" not in delivery.error
        page = client_for(secretariat).get(task.get_absolute_url())
        assert page.status_code == 200 and delivery.error in page.content.decode()
        # The urge view still works with the robot down.
        response = client_for(secretariat).post(
            reverse("supervision:urge-task", args=[task.pk]), {"member": school_a.pk}
        )
        assert response.status_code == 302 and Urge.objects.count() == 2

    def test_an_unreachable_robot_fails_without_the_address(
        self, eager, task, school_a, secretariat
    ):
        Webhook.objects.create(member=school_a, kind="wecom", url="http://127.0.0.1:9/x?key=TOK")
        urge = urge_send(member=school_a, task=task, by=secretariat)
        send_pending(urge)
        delivery = urge.deliveries.get(channel=Delivery.Channel.WEBHOOK)
        assert delivery.status == Delivery.Status.FAILED and "TOK" not in delivery.error

    def test_the_pages_never_show_the_token_or_the_secret(self, client_for, secretariat):
        hook = Webhook.objects.create(
            kind="dingtalk",
            url="https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789TOKEN",
            secret="SECxyz0123456789",
        )
        client = client_for(secretariat)
        for url in (
            reverse("supervision:webhook-list"),
            reverse("supervision:webhook-update", args=[hook.pk]),
        ):
            page = client.get(url).content.decode()
            assert "abcdef0123456789" not in page and "SECxyz0123456789" not in page
            assert "OKEN" in page  # the last four characters, to tell robots apart

    def test_editing_with_empty_fields_keeps_the_address_and_the_secret(
        self, client_for, secretariat
    ):
        hook = Webhook.objects.create(kind="dingtalk", url="https://x.example/a?t=1", secret="S1")
        response = client_for(secretariat).post(
            reverse("supervision:webhook-update", args=[hook.pk]),
            {"kind": "wecom", "url": "", "secret": "", "is_active": "on"},
        )
        assert response.status_code == 302
        hook.refresh_from_db()
        assert (hook.kind, hook.url, hook.secret) == ("wecom", "https://x.example/a?t=1", "S1")

    @pytest.mark.parametrize("url", ["ftp://robot.example/send", "robot.example/send", ""])
    def test_it_refuses_a_bad_address(self, client_for, admin_user, url):
        response = client_for(admin_user).post(
            reverse("supervision:webhook-create"), {"kind": "wecom", "url": url}
        )
        assert response.status_code == 200
        assert CHINESE.search(" ".join(response.context["form"].errors["url"]))
        assert not Webhook.objects.exists()

    def test_it_requires_the_kind(self, client_for, secretariat):
        response = client_for(secretariat).post(
            reverse("supervision:webhook-create"), {"url": "https://robot.example/send"}
        )
        assert response.status_code == 200 and "kind" in response.context["form"].errors
        assert not Webhook.objects.exists()

    def test_it_creates_and_deletes(self, client_for, secretariat):
        client = client_for(secretariat)
        response = client.post(
            reverse("supervision:webhook-create"),
            {"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
        )
        assert response.status_code == 302
        hook = Webhook.objects.get()
        response = client.post(reverse("supervision:webhook-delete", args=[hook.pk]))
        assert response.status_code == 302 and not Webhook.objects.exists()

    def test_leadership_and_liaisons_get_403(self, client_for, leadership, liaison):
        for user in (leadership, liaison):
            assert client_for(user).get(reverse("supervision:webhook-list")).status_code == 403


# --- the schedule -----------------------------------------------------------------------------


class TestScheduleForm:
    url = "/supervision/schedule/"

    def test_its_address(self):
        assert reverse("supervision:schedule") == self.url

    def data(self, rows, yellow_days=7):
        data = {
            "yellow_days": yellow_days,
            "steps-TOTAL_FORMS": len(rows),
            "steps-INITIAL_FORMS": 0,
        }
        for i, (days, daily, leaders) in enumerate(rows):
            data[f"steps-{i}-days"] = days
            if daily:
                data[f"steps-{i}-repeat_daily"] = "on"
            if leaders:
                data[f"steps-{i}-to_leadership"] = "on"
        return data

    def test_it_shows_the_default_schedule_without_writing(self, client_for, secretariat):
        response = client_for(secretariat).get(self.url)
        assert response.status_code == 200
        initial = [form.initial.get("days") for form in response.context["formset"]]
        assert initial[:4] == [-7, -3, 1, 7]
        assert not UrgeStep.objects.exists()

    def test_it_saves_the_steps_and_the_yellow_days(self, client_for, secretariat):
        response = client_for(secretariat).post(
            self.url, self.data([(-5, False, False), (2, True, False), (10, False, True)], 5)
        )
        assert response.status_code == 302
        assert list(UrgeStep.objects.values_list("days", "repeat_daily", "to_leadership")) == [
            (-5, False, False),
            (2, True, False),
            (10, False, True),
        ]
        assert SupervisionPolicy.current().yellow_days == 5

    @pytest.mark.parametrize(
        "rows, yellow_days",
        [
            ([(-3, False, False), (-3, True, False)], 7),  # the same day twice
            ([(61, False, False)], 7),
            ([(-61, False, False)], 7),
            ([(1, True, False)], 0),
            ([(1, True, False)], 61),
        ],
    )
    def test_it_refuses_bad_input_in_chinese_and_writes_nothing(
        self, client_for, secretariat, rows, yellow_days
    ):
        UrgeStep.objects.create(days=-7)
        response = client_for(secretariat).post(self.url, self.data(rows, yellow_days))
        assert response.status_code == 200
        page = response.content.decode()
        errors = [
            *response.context["form"].errors.values(),
            response.context["formset"].non_form_errors(),
            *(f.errors for f in response.context["formset"]),
        ]
        assert any(errors)
        assert CHINESE.search(page)
        assert list(UrgeStep.objects.values_list("days", flat=True)) == [-7]
        assert not SupervisionPolicy.objects.exists()

    def test_it_is_the_secretariats(self, client_for, leadership, liaison, admin_user):
        for user in (leadership, liaison, admin_user):
            assert client_for(user).get(self.url).status_code == 403


# --- who sees what ----------------------------------------------------------------------------


class TestScoping:
    def test_a_liaison_sees_their_own_members_urges_only(
        self, client_for, task, school_a, school_b, secretariat, liaison, leadership
    ):
        urge_send(member=school_a, task=task, note="甲校的催办", by=secretariat)
        urge_send(member=school_b, task=task, note="乙校的催办", by=secretariat)
        page = client_for(liaison).get(reverse("supervision:urge-list")).content.decode()
        assert "甲校的催办" in page and "乙校的催办" not in page and school_b.name not in page
        page = client_for(leadership).get(reverse("supervision:urge-list")).content.decode()
        assert "甲校的催办" in page and "乙校的催办" in page

    def test_the_task_card_shows_a_liaison_their_own_light_only(
        self, client_for, task, school_a, school_b, secretariat, liaison
    ):
        light(task, school_a)
        TaskLight.objects.create(
            task=task, member=school_b, light="yellow", reason="乙校临近截止",
            since=DUE, due_on=DUE, computed_on=DUE,
        )  # fmt: skip
        urge_send(member=school_b, task=task, note="乙校的催办", by=secretariat)
        page = client_for(liaison).get(task.get_absolute_url()).content.decode()
        assert "第3季度进展逾期未报" in page
        assert "乙校临近截止" not in page and "乙校的催办" not in page
        assert 'name="note"' not in page  # no urge button for a liaison
        page = client_for(secretariat).get(task.get_absolute_url()).content.decode()
        assert "乙校临近截止" in page and "乙校的催办" in page and 'name="note"' in page

    def test_the_log_filters_by_member_and_origin(
        self, client_for, task, school_a, school_b, secretariat
    ):
        urge_send(member=school_a, task=task, note="甲校的催办", by=secretariat)
        urge_send(member=school_b, task=task, note="乙校的催办", by=secretariat)
        client = client_for(secretariat)
        page = client.get(reverse("supervision:urge-list"), {"member": school_b.pk})
        assert "乙校的催办" in page.content.decode()
        assert "甲校的催办" not in page.content.decode()
        page = client.get(reverse("supervision:urge-list"), {"origin": "schedule"})
        assert "乙校的催办" not in page.content.decode()

    def test_a_liaison_cannot_open_another_members_report_to_urge(
        self, client_for, plan, school_b, liaison, secretariat
    ):
        submission = Submission.objects.create(plan=plan, member=school_b, quarter=3)
        response = client_for(liaison).post(
            reverse("supervision:urge-submission", args=[submission.pk])
        )
        assert response.status_code in (403, 404)
        assert not Urge.objects.exists()
