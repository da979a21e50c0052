"""Leaders' instructions (领导批示): given by leadership on a task, a member's quarterly report
or an issued report, sent to the members responsible, answered by each of them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jituan.models import Member, Notification, User
from jituan.notifications import notify
from jituan.roles import Role

from .models import Instruction, InstructionReply

TEXT_LIMIT = 2000


def _clean_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Write the text; it cannot be empty.")})
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            {field: _("At most %(limit)s characters.") % {"limit": f"{TEXT_LIMIT:,}"}}
        )
    return text


def members_responsible(*, task=None, submission=None) -> list[Member]:
    if task is not None:
        return list(task.responsible_members.order_by("name"))
    if submission is not None:
        return [submission.member]
    return []


@transaction.atomic
def instruction_give(
    *, by: User, text: str, task=None, submission=None, report=None, members=None
) -> Instruction:
    """A leader's instruction; on a task or a report to its members, on an issued report to the
    members the leader names. Each of their liaisons, and the secretariat, is told."""
    if by.role != Role.LEADERSHIP:
        raise ValidationError(_("Only leadership gives instructions."))
    if sum(thing is not None for thing in (task, submission, report)) != 1:
        raise ValidationError(
            _("An instruction is on one task, one quarterly report or one report.")
        )
    text = _clean_text(text, "text")
    chosen = (
        list(members)
        if report is not None
        else members_responsible(task=task, submission=submission)
    )
    if not chosen:
        raise ValidationError(
            {"members": _("Name at least one member to act on it.")}
            if report is not None
            else _("No member is responsible for this task yet; name one on the task first.")
        )
    instruction = Instruction.objects.create(
        task=task, submission=submission, report=report, text=text, by=by
    )
    InstructionReply.objects.bulk_create(
        InstructionReply(instruction=instruction, member=member) for member in chosen
    )
    message = _("Leader's instruction from %(leader)s on %(subject)s: %(text)s") % {
        "leader": str(by),
        "subject": instruction.subject,
        "text": text[:200],
    }
    liaisons = User.objects.filter(member__in=chosen, groups__name=Role.LIAISON)
    staff = User.objects.filter(groups__name=Role.SECRETARIAT)
    notify(
        [*liaisons, *staff],
        Notification.Kind.INSTRUCTION,
        message,
        reverse("supervision:instruction-detail", args=[instruction.pk]),
    )
    return instruction


def may_answer(user: User, reply: InstructionReply) -> bool:
    """The member's own liaison answers for it, or the secretariat on its behalf."""
    return user.role == Role.SECRETARIAT or (user.is_liaison and user.member_id == reply.member_id)


@transaction.atomic
def instruction_answer(*, reply: InstructionReply, answer: str, by: User) -> InstructionReply:
    """A member's answer: what it did. Its liaison answers (or the secretariat for it); a later
    answer replaces the earlier one, and the leader is told each time."""
    if not may_answer(by, reply):
        raise ValidationError(_("Only the member's liaison or the secretariat answers for it."))
    reply = InstructionReply.objects.select_for_update().get(pk=reply.pk)
    reply.answer = _clean_text(answer, "answer")
    reply.answered_by = by
    reply.answered_at = timezone.now()
    reply.save()
    instruction = reply.instruction
    notify(
        [instruction.by],
        Notification.Kind.INSTRUCTION,
        _("%(member)s answered your instruction on %(subject)s: %(answer)s")
        % {
            "member": reply.member.name,
            "subject": instruction.subject,
            "answer": reply.answer[:200],
        },
        reverse("supervision:instruction-detail", args=[instruction.pk]),
    )
    return reply
