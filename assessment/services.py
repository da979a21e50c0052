"""Writes of the annual assessment: start a year with the default rules, edit the rules, compute
every member's score, adjust one with a reason, confirm once. Each refuses bad input with a
message and writes nothing; none changes a confirmed assessment."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jituan.models import Notification, User
from jituan.notifications import notify
from jituan.roles import Role
from targets.models import Plan

from . import scoring
from .models import Assessment, Criterion, Grade, MemberScore
from .selectors import assessed_facts

Kind = Criterion.Kind
NEEDS_PARAMETER = {Kind.ACHIEVEMENTS, Kind.URGES}


@dataclass(frozen=True)
class CriterionRow:
    """A criterion as the rules form gives it."""

    kind: str
    label: str
    weight: int
    parameter: Decimal | None = None
    position: int = 0


def default_criteria() -> list[CriterionRow]:
    return [
        CriterionRow(Kind.TASKS, _("Task completion"), 30, None, 0),
        CriterionRow(Kind.INDICATORS, _("Indicator completion"), 30, None, 1),
        CriterionRow(Kind.ON_TIME, _("On-time submission"), 15, None, 2),
        CriterionRow(Kind.ACHIEVEMENTS, _("Certified achievements"), 10, Decimal(3), 3),
        CriterionRow(Kind.URGES, _("Urges received (deduction)"), 10, Decimal(2), 4),
        CriterionRow(Kind.INSTRUCTIONS, _("Leaders' instructions answered"), 5, None, 5),
    ]


def _locked(assessment: Assessment) -> Assessment:
    """The assessment read again under a row lock, refused once confirmed."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_confirmed:
        raise ValidationError(
            _("The %(year)s annual assessment is confirmed: it can no longer be changed.")
            % {"year": assessment.year}
        )
    return assessment


# --- the year's assessment and its rules --------------------------------------------------------


@transaction.atomic
def assessment_create(*, year: int, user: User) -> Assessment:
    if Assessment.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("The %(year)s annual assessment already exists.") % {"year": year}}
        )
    assessment = Assessment(year=year)
    assessment.full_clean()
    assessment._history_user = user
    assessment.save()
    for row in default_criteria():
        _criterion_save(Criterion(assessment=assessment), row, user)
    return assessment


@transaction.atomic
def assessment_rules_save(
    *,
    assessment: Assessment,
    user: User,
    excellent_from: Decimal,
    good_from: Decimal,
    pass_from: Decimal,
    max_adjustment: Decimal,
    criteria: list[CriterionRow],
) -> Assessment:
    """Replace the thresholds and the criteria. The scores computed so far no longer follow the
    rules: the assessment has to be computed again before it can be confirmed."""
    assessment = _locked(assessment)
    check_thresholds(excellent_from, good_from, pass_from)
    check_criteria(criteria)
    assessment.excellent_from = excellent_from
    assessment.good_from = good_from
    assessment.pass_from = pass_from
    assessment.max_adjustment = max_adjustment
    assessment.computed_at = None
    assessment.full_clean()
    assessment._history_user = user
    assessment.save()
    existing = {criterion.kind: criterion for criterion in assessment.criteria.all()}
    for criterion in existing.values():
        if criterion.kind not in {row.kind for row in criteria}:
            criterion._history_user = user
            criterion.delete()
    for row in criteria:
        _criterion_save(existing.get(row.kind) or Criterion(assessment=assessment), row, user)
    return assessment


def check_thresholds(excellent_from, good_from, pass_from) -> None:
    if None in (excellent_from, good_from, pass_from):
        raise ValidationError(_("Give the three grade thresholds."))
    if not excellent_from > good_from > pass_from:
        raise ValidationError(
            _(
                "The thresholds must go down: excellent (%(excellent)s) above good (%(good)s) "
                "above pass (%(pass)s)."
            )
            % {"excellent": excellent_from, "good": good_from, "pass": pass_from}
        )


def check_criteria(criteria: list[CriterionRow]) -> None:
    if not criteria:
        raise ValidationError(_("Give at least one criterion."))
    kinds = [row.kind for row in criteria]
    for kind in set(kinds):
        if kinds.count(kind) > 1:
            raise ValidationError(
                _("“%(kind)s” is listed twice: each kind of criterion may appear once.")
                % {"kind": Kind(kind).label}
            )
    for row in criteria:
        if not row.label.strip():
            raise ValidationError(_("Give every criterion a label."))
        if row.kind in NEEDS_PARAMETER and not row.parameter:
            raise ValidationError(
                _("“%(label)s” needs its parameter: %(what)s.")
                % {"label": row.label, "what": parameter_meaning(row.kind)}
            )
    total = sum(row.weight or 0 for row in criteria)
    if total != 100:
        raise ValidationError(
            _("The weights must add up to 100; they add up to %(total)s.") % {"total": total}
        )


def parameter_meaning(kind: str) -> str:
    if kind == Kind.ACHIEVEMENTS:
        return _("the certified achievements that earn full points")
    if kind == Kind.URGES:
        return _("the points taken off per urge")
    return _("not used")


def _criterion_save(criterion: Criterion, row: CriterionRow, user: User) -> None:
    criterion.kind = row.kind
    criterion.label = row.label.strip()
    criterion.weight = row.weight
    criterion.parameter = row.parameter if row.kind in NEEDS_PARAMETER else None
    criterion.position = row.position
    criterion.full_clean()
    criterion._history_user = user
    criterion.save()


# --- scores ------------------------------------------------------------------------------------


@transaction.atomic
def assessment_compute(
    *, assessment: Assessment, user: User, today: date | None = None
) -> Assessment:
    """(Re)compute every member's score from the year's plan, keeping the secretariat's
    adjustments and their reasons; then rank and grade."""
    assessment = _locked(assessment)
    plan = Plan.objects.filter(year=assessment.year).first()
    if plan is None:
        raise ValidationError(
            _("There is no %(year)s plan: nothing to assess.") % {"year": assessment.year}
        )
    facts = assessed_facts(plan, today or timezone.localdate())
    if not facts:
        raise ValidationError(
            _("No member has a task or an own target in the %(year)s plan: nothing to assess.")
            % {"year": assessment.year}
        )
    rules = [
        scoring.Rule(c.kind, c.label, c.weight, c.parameter) for c in assessment.criteria.all()
    ]
    existing = {score.member_id: score for score in assessment.scores.all()}
    for member_pk, score in existing.items():
        if member_pk not in facts:
            score._history_user = user
            score.delete()
    for member_pk, member_facts in facts.items():
        items, computed = scoring.member_score(rules, member_facts)
        score = existing.get(member_pk) or MemberScore(assessment=assessment, member_id=member_pk)
        score.computed = computed
        score.score = scoring.final_score(computed, score.adjustment)
        score.basis = [item.as_dict() for item in items]
        score.grade = score.grade or Grade.FAIL  # set for real by _rank below
        score._history_user = user
        score.save()
    _rank(assessment, user)
    assessment.computed_at = timezone.now()
    assessment._history_user = user
    assessment.save()
    return assessment


@transaction.atomic
def score_adjust(*, score: MemberScore, user: User, adjustment, reason: str) -> MemberScore:
    """Raise or lower a computed score by at most the assessment's largest adjustment, with a
    written reason; the history keeps who did it and why."""
    assessment = _locked(score.assessment)
    adjustment = _decimal(adjustment)
    reason = (reason or "").strip()
    limit = assessment.max_adjustment
    if abs(adjustment) > limit:
        raise ValidationError(
            {
                "adjustment": _(
                    "An adjustment may be at most %(limit)s points either way; %(given)s is "
                    "beyond that."
                )
                % {"limit": scoring.plain(limit), "given": scoring.plain(adjustment)}
            }
        )
    if adjustment and not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    score = MemberScore.objects.select_for_update().get(pk=score.pk)
    score.adjustment = adjustment
    score.adjustment_reason = reason if adjustment else ""
    score.score = scoring.final_score(score.computed, adjustment)
    score.full_clean()
    score._history_user = user
    score.save()
    _rank(assessment, user)
    score.refresh_from_db()
    return score


def _decimal(value) -> Decimal:
    try:
        value = Decimal(str(value)).quantize(scoring.TENTH)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"adjustment": _("Enter the adjustment as a number.")}) from None
    if not value.is_finite():
        raise ValidationError({"adjustment": _("Enter the adjustment as a number.")})
    return value


def _rank(assessment: Assessment, user: User) -> None:
    """Rank every score within its member kind and grade it by the thresholds."""
    scores = list(assessment.scores.select_related("member"))
    ranks = scoring.ranks({s.pk: (s.member.kind, s.score) for s in scores})
    for score in scores:
        grade = scoring.grade_for(
            score.score,
            excellent_from=assessment.excellent_from,
            good_from=assessment.good_from,
            pass_from=assessment.pass_from,
        )
        if (score.rank, score.grade) != (ranks[score.pk], grade):
            score.rank, score.grade = ranks[score.pk], grade
            score._history_user = user
            score.save(update_fields=["rank", "grade"])


# --- confirming ---------------------------------------------------------------------------------


@transaction.atomic
def assessment_confirm(*, assessment: Assessment, user: User) -> Assessment:
    """Confirm a computed draft, once; each assessed member's liaisons are told their score."""
    assessment = _locked(assessment)
    if assessment.computed_at is None or not assessment.scores.exists():
        raise ValidationError(
            _("Compute the %(year)s annual assessment before confirming it.")
            % {"year": assessment.year}
        )
    assessment.status = Assessment.Status.CONFIRMED
    assessment.confirmed_at = timezone.now()
    assessment.confirmed_by = user
    assessment._history_user = user
    assessment.save()
    for score in assessment.scores.select_related("member"):
        liaisons = User.objects.filter(member=score.member, groups__name=Role.LIAISON)
        text = _(
            "The %(year)s annual assessment is confirmed: %(member)s scored %(score)s, "
            "grade %(grade)s, rank %(rank)s among members of its kind."
        ) % {
            "year": assessment.year,
            "member": score.member.name,
            "score": score.score,
            "grade": score.get_grade_display(),
            "rank": score.rank,
        }
        notify(liaisons, Notification.Kind.ASSESSMENT, text, score.get_absolute_url())
    return assessment
