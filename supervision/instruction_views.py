"""Leaders' instructions (领导批示): written by leadership from a task, a quarterly report or an
issued report; answered by the members they went to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jituan.roles import Role
from targets import selectors as target_selectors

from .instruction_forms import AnswerForm, InstructionForm
from .instructions import instruction_answer, instruction_give, may_answer
from .selectors import instructions_for, replies_for


def _target(request):
    """What the new instruction is on, from ?task= / ?submission= / ?report=, as far as the
    leader may read it."""
    for name in ("task", "submission", "report"):
        value = request.GET.get(name, "")
        if not value:
            continue
        if not (value.isascii() and value.isdigit()):
            raise BadRequest(_("The address names nothing to instruct on."))
        if name == "task":
            return {"task": target_selectors.task_get_for(request.user, int(value))}
        if name == "submission":
            return {"submission": target_selectors.submission_get_for(request.user, int(value))}
        from django.apps import apps  # reports build on this app: looked up, not imported

        report = get_object_or_404(apps.get_model("reports", "Report"), pk=int(value))
        return {"report": report}
    raise BadRequest(_("The address names nothing to instruct on."))


@require_http_methods(["GET", "POST"])
@login_required
def instruction_create(request):
    if request.user.role != Role.LEADERSHIP:
        raise PermissionDenied
    target = _target(request)
    form = InstructionForm(request.POST or None, on_report="report" in target)
    if request.method == "POST" and form.is_valid():
        try:
            instruction = instruction_give(
                by=request.user,
                text=form.cleaned_data["text"],
                members=form.cleaned_data.get("members"),
                **target,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The instruction was sent to the members responsible."))
            return redirect(instruction)
    subject = next(iter(target.values()))
    return render(request, "supervision/instruction_form.html", {"form": form, "subject": subject})


@require_GET
@login_required
def instruction_list(request):
    instructions = instructions_for(request.user).prefetch_related("replies")
    page = Paginator(instructions, 30).get_page(request.GET.get("page"))
    rows = []
    for instruction in page:
        replies = list(instruction.replies.all())
        own = next((r for r in replies if r.member_id == request.user.member_id), None)
        answered = sum(1 for reply in replies if reply.answered_at)
        rows.append((instruction, answered, len(replies), own if request.user.is_liaison else None))
    return render(request, "supervision/instruction_list.html", {"page": page, "rows": rows})


@require_GET
@login_required
def instruction_detail(request, pk):
    instruction = get_object_or_404(instructions_for(request.user), pk=pk)
    replies = list(replies_for(request.user, instruction))
    answerable = {reply.pk for reply in replies if may_answer(request.user, reply)}
    return render(
        request,
        "supervision/instruction_detail.html",
        {
            "instruction": instruction,
            "replies": [(reply, reply.pk in answerable) for reply in replies],
            "form": AnswerForm(),
        },
    )


@require_POST
@login_required
def instruction_reply(request, pk, reply_pk):
    instruction = get_object_or_404(instructions_for(request.user), pk=pk)
    reply = get_object_or_404(replies_for(request.user, instruction), pk=reply_pk)
    if not may_answer(request.user, reply):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            instruction_answer(reply=reply, answer=form.cleaned_data["answer"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer was recorded and the leader told."))
            return redirect(instruction)
    replies = list(replies_for(request.user, instruction))
    return render(
        request,
        "supervision/instruction_detail.html",
        {
            "instruction": instruction,
            "replies": [(item, item.pk == reply.pk) for item in replies],
            "form": form,
        },
        status=400,
    )
