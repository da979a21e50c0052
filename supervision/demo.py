"""The demo's supervision: each demo year's lights replayed week by week through the year, as
the daily job would have worked them out, so that the lights have a history ("red for three
weeks") and every dispatch report of the year its section. The replay stops where the year's
demo story does: 2020 at its end, 2024 in late November, with Q4 still to come."""

from datetime import date, timedelta

from targets.models import Plan

from .models import LightChange, TaskLight
from .services import lights_compute

REPLAY_UNTIL = {2020: date(2020, 12, 31), 2024: date(2024, 11, 20)}


def demo_seed(stdout) -> None:
    for year, until in REPLAY_UNTIL.items():
        plan = Plan.objects.filter(year=year).first()
        if plan is None:
            continue
        # Rerunnable: the replay starts again from nothing.
        LightChange.objects.filter(task__plan=plan).delete()
        TaskLight.objects.filter(task__plan=plan).delete()
        day = date(year, 1, 6)
        while day < until:
            lights_compute(plan=plan, today=day)
            day += timedelta(days=7)
        result = lights_compute(plan=plan, today=until)
        stdout.write(f"  supervision {year}: {result['lights']} lights as of {until}")
    stdout.write(f"  leaders' instructions: {demo_seed_instructions()}")
    stdout.write(f"  urges: {demo_seed_urges()}")


def demo_seed_instructions() -> int:
    """Two of leadership's instructions on the 2024 plan: one on a task of the demo liaison's
    school, answered by it; one on another school's third-quarter report, not yet answered."""
    from django.utils import timezone

    from jituan.models import User
    from targets.models import Submission, Task

    from .models import Instruction, InstructionReply

    leader = User.objects.filter(username="lingdao").first()
    liaison = User.objects.filter(username="lianluo").first()
    if leader is None or liaison is None:
        return 0
    Instruction.objects.filter(by=leader, text__startswith="演示：").delete()
    moment = timezone.make_aware(timezone.datetime(2024, 9, 12, 10))
    task = (
        Task.objects.filter(plan__year=2024, responsible_members=liaison.member)
        .order_by("position", "pk")
        .first()
    )
    created = 0
    if task is not None:
        on_task = Instruction.objects.create(
            task=task, text="演示：请牵头单位九月底前拿出推进方案，协办单位全力配合。", by=leader
        )
        for member in task.responsible_members.all():
            reply = InstructionReply.objects.create(instruction=on_task, member=member)
            if member == liaison.member:
                reply.answer = "已召开专题推进会，方案已报送集团秘书处。"
                reply.answered_by = liaison
                reply.answered_at = moment + timedelta(days=10)
                reply.save()
        Instruction.objects.filter(pk=on_task.pk).update(created_at=moment)
        created += 1
    submission = (
        Submission.objects.filter(plan__year=2024, quarter=3)
        .exclude(member=liaison.member)
        .order_by("member__name")
        .first()
    )
    if submission is not None:
        on_report = Instruction.objects.create(
            submission=submission, text="演示：三季度进展不够具体，请补充量化数据。", by=leader
        )
        InstructionReply.objects.create(instruction=on_report, member=submission.member)
        Instruction.objects.filter(pk=on_report.pk).update(created_at=moment)
        created += 1
    return created


def demo_seed_urges() -> int:
    """The secretariat has urged, by hand, each member whose 2024 task has been red the longest
    (rerunnable: the demo's urges are made again)."""
    from jituan.models import User

    from .models import Urge
    from .urging import urge_send

    secretariat = User.objects.filter(username="mishu").first()
    if secretariat is None:
        return 0
    Urge.objects.filter(note__startswith="演示：").delete()
    reds = TaskLight.objects.filter(task__plan__year=2024, light="red").order_by("since", "pk")
    urged = {}
    for light in reds:
        if light.member_id not in urged and len(urged) < 3:
            urged[light.member_id] = urge_send(
                member=light.member,
                task=light.task,
                note="演示：请本周内补报进展，并说明滞后原因。",
                by=secretariat,
            )
    return len(urged)
