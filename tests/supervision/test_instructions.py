"""Leaders' instructions (领导批示): leadership writes one, the members responsible are told and
answer, each liaison sees only their own member's part, and the dispatch report lists them with
their answers as of its cut-off."""

from datetime import date, datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jituan.models import Member, Notification
from jituan.roles import Role
from reports.dispatch import dispatch_report
from reports.documents import dispatch_context
from supervision.models import Instruction, InstructionReply
from targets.models import Plan, QuarterSchedule, Task
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    plan = Plan.objects.create(year=2024, title="重点工作")
    for quarter in range(1, 5):
        QuarterSchedule.objects.create(
            plan=plan, quarter=quarter, due_on=date(2024, 3 * quarter, 28)
        )
    return plan


@pytest.fixture
def task(plan, school_a, school_b):
    task = Task.objects.create(plan=plan, number="3", title="建设产业学院")
    task.responsible_members.add(school_a, school_b)
    return task


@pytest.fixture
def leader(db):
    return user_with_role(Role.LEADERSHIP, username="lingdao_1")


@pytest.fixture
def liaison_b(school_b):
    return user_with_role(Role.LIAISON, member=school_b, username="lianluo_b")


def write(client, task, text="请加快进度，月底前报送方案。"):
    return client.post(
        reverse("supervision:instruction-create") + f"?task={task.pk}", {"text": text}
    )


def test_a_leader_s_instruction_goes_to_the_task_s_members_and_they_are_told(
    task, leader, liaison, liaison_b, secretariat, school_a, school_b, client_for
):
    response = write(client_for(leader), task)
    instruction = Instruction.objects.get()
    assert response.status_code == 302 and response.url == instruction.get_absolute_url()
    assert set(instruction.replies.values_list("member__name", flat=True)) == {
        school_a.name,
        school_b.name,
    }
    told = Notification.objects.filter(kind=Notification.Kind.INSTRUCTION)
    assert set(told.values_list("recipient__username", flat=True)) == {
        liaison.username,
        liaison_b.username,
        secretariat.username,
    }
    assert "请加快进度，月底前报送方案。" in told.first().text


def test_only_leadership_writes_instructions(task, secretariat, liaison, client_for):
    for user in (secretariat, liaison):
        assert write(client_for(user), task).status_code == 403
    assert not Instruction.objects.exists()


@pytest.mark.parametrize("text, message", [("  ", "这个字段是必填项。"), ("批" * 2001, "2000")])
def test_an_empty_or_overlong_instruction_is_refused_and_nothing_written(
    task, leader, client_for, text, message
):
    response = write(client_for(leader), task, text)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Instruction.objects.exists() and not InstructionReply.objects.exists()


def test_a_liaison_sees_and_answers_only_their_own_member_s_part(
    task, leader, liaison, liaison_b, school_a, school_b, client_for
):
    write(client_for(leader), task)
    instruction = Instruction.objects.get()
    mine = instruction.replies.get(member=school_a)
    theirs = instruction.replies.get(member=school_b)
    client = client_for(liaison)
    page = client.get(instruction.get_absolute_url()).content.decode()
    assert school_a.name in page and school_b.name not in page
    url = reverse("supervision:instruction-reply", args=[instruction.pk, theirs.pk])
    assert client.post(url, {"answer": "代答"}).status_code == 404
    url = reverse("supervision:instruction-reply", args=[instruction.pk, mine.pk])
    assert client.post(url, {"answer": ""}).status_code == 400
    mine.refresh_from_db()
    assert mine.answered_at is None
    assert client.post(url, {"answer": "已召开专题会，方案本周报送。"}).status_code == 302
    mine.refresh_from_db()
    assert (mine.answer, mine.answered_by) == ("已召开专题会，方案本周报送。", liaison)
    assert Notification.objects.filter(
        recipient=leader, kind=Notification.Kind.INSTRUCTION, text__contains="已召开专题会"
    ).exists()


def test_a_liaison_of_another_member_never_sees_the_instruction(task, leader, client_for, db):
    other = Member.objects.create(name="桐城中等职业学校", kind="secondary", location="county")
    outsider = user_with_role(Role.LIAISON, member=other, username="lianluo_c")
    write(client_for(leader), task)
    instruction = Instruction.objects.get()
    client = client_for(outsider)
    assert client.get(instruction.get_absolute_url()).status_code == 404
    listing = client.get(reverse("supervision:instruction-list")).content.decode()
    assert "请加快进度" not in listing
    assert "请加快进度" not in client.get(reverse("home")).content.decode()


def test_the_liaison_desk_lists_instructions_to_answer(task, leader, liaison, client_for):
    write(client_for(leader), task)
    assert "请加快进度" in client_for(liaison).get(reverse("home")).content.decode()


def test_the_dispatch_report_lists_instructions_with_answers_as_of_its_cut_off(
    plan, task, leader, liaison, school_a
):
    instruction = Instruction.objects.create(task=task, text="抓紧推进。", by=leader)
    Instruction.objects.filter(pk=instruction.pk).update(
        created_at=timezone.make_aware(datetime(2024, 5, 10, 9))
    )
    reply = InstructionReply.objects.create(instruction=instruction, member=school_a)
    InstructionReply.objects.filter(pk=reply.pk).update(
        answer="已落实。",
        answered_by=liaison,
        answered_at=timezone.make_aware(datetime(2024, 6, 20, 9)),
    )
    may = render_to_string("reports/dispatch.html", dispatch_context(dispatch_report(2024, 5)))
    assert "领导批示及办理情况" in may and "抓紧推进。" in may
    assert "尚未办理" in may and "已落实。" not in may
    june = render_to_string("reports/dispatch.html", dispatch_context(dispatch_report(2024, 6)))
    assert "已落实。" in june and "已办结" in june
    april = dispatch_report(2024, 4)
    assert april.instructions == []
