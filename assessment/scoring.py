"""The scoring rules of the annual assessment, as pure functions over plain figures: what each
criterion gives a member, with the sentence that says why; the score out of 100; the rank within
a member kind; the grade. No database here: selectors gather the figures, services store results.

A criterion with nothing to measure for a member (no tasks, no own targets, no submissions due,
no instructions) is not applicable: its weight is spread over the others, so the score is
100 × Σ points / Σ weights of the criteria that apply. Deductions for urges and certified
achievements always apply."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .models import Criterion, Grade

Kind = Criterion.Kind
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
NOT_APPLICABLE = "—"  # the points of a criterion that does not apply, as stored in the basis
ALWAYS_APPLY = {Kind.ACHIEVEMENTS, Kind.URGES}


@dataclass(frozen=True)
class Rule:
    """A criterion as the scoring reads it."""

    kind: str
    label: str
    weight: int
    parameter: Decimal | None = None


@dataclass
class Facts:
    """What was measured of one member in the year."""

    tasks_done: int = 0
    # A task of several years whose year's milestones are met (正常推进) has done the year's part.
    tasks_on_track: int = 0
    tasks_total: int = 0
    # The member's completion (%) of each indicator it has an own target of; None: no figure.
    indicator_completions: list[Decimal | None] = field(default_factory=list)
    on_time: int = 0  # quarterly submissions due that went in on time
    due: int = 0  # quarterly submissions due
    achievements: int = 0  # certified records counting in the year
    urges: int = 0
    instructions_answered: int = 0
    instructions_total: int = 0


@dataclass(frozen=True)
class Item:
    """One criterion's result for a member: points None when it does not apply."""

    kind: str
    label: str
    weight: int
    points: Decimal | None
    basis: str

    def as_dict(self) -> dict:
        points = NOT_APPLICABLE if self.points is None else str(self.points)
        return {
            "kind": self.kind,
            "label": self.label,
            "weight": self.weight,
            "points": points,
            "basis": self.basis,
        }


def one_decimal(value) -> Decimal:
    return Decimal(value).quantize(TENTH, ROUND_HALF_UP)


def plain(value) -> str:
    """3.0 → "3", 2.5 → "2.5": numbers as people write them in a sentence."""
    value = Decimal(value)
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize())


def share_points(weight: int, part, whole) -> Decimal:
    return one_decimal(Decimal(weight) * Decimal(part) / Decimal(whole))


# --- one criterion ------------------------------------------------------------------------------


def _tasks(rule: Rule, facts: Facts) -> tuple[Decimal | None, str]:
    if not facts.tasks_total:
        return None, _("No tasks this year: not applicable.")
    met = facts.tasks_done + facts.tasks_on_track
    percent = one_decimal(HUNDRED * met / facts.tasks_total)
    if facts.tasks_on_track:
        basis = _(
            "Of %(total)s tasks, %(done)s done and %(on_track)s on track for the year "
            "(%(percent)s%%)."
        )
    else:
        basis = _("Completed %(done)s of %(total)s tasks (%(percent)s%%).")
    basis %= {
        "done": facts.tasks_done,
        "on_track": facts.tasks_on_track,
        "total": facts.tasks_total,
        "percent": plain(percent),
    }
    return share_points(rule.weight, met, facts.tasks_total), basis


def _indicators(rule: Rule, facts: Facts) -> tuple[Decimal | None, str]:
    completions = facts.indicator_completions
    if not completions:
        return None, _("No indicators with an own target: not applicable.")
    capped = [min(max(c or Decimal(0), Decimal(0)), HUNDRED) for c in completions]
    mean = sum(capped, Decimal(0)) / len(capped)
    basis = _(
        "Mean completion %(mean)s%% over %(count)s indicators with an own target (each counted "
        "up to 100%%, one without figures as 0)."
    ) % {"mean": plain(one_decimal(mean)), "count": len(capped)}
    return one_decimal(rule.weight * mean / HUNDRED), basis


def _on_time(rule: Rule, facts: Facts) -> tuple[Decimal | None, str]:
    if not facts.due:
        return None, _("No quarterly submissions due: not applicable.")
    percent = one_decimal(HUNDRED * facts.on_time / facts.due)
    basis = _("%(on_time)s of %(due)s quarterly submissions due went in on time (%(percent)s%%).")
    basis %= {"on_time": facts.on_time, "due": facts.due, "percent": plain(percent)}
    return share_points(rule.weight, facts.on_time, facts.due), basis


def _achievements(rule: Rule, facts: Facts) -> tuple[Decimal | None, str]:
    full = rule.parameter or Decimal(1)
    basis = _("%(count)s certified achievements (%(full)s earn full points).") % {
        "count": facts.achievements,
        "full": plain(full),
    }
    return share_points(rule.weight, min(Decimal(facts.achievements), full), full), basis


def _urges(rule: Rule, facts: Facts) -> tuple[Decimal | None, str]:
    each = rule.parameter or Decimal(0)
    basis = _("Urged %(count)s times, %(each)s points off each.") % {
        "count": facts.urges,
        "each": plain(each),
    }
    return one_decimal(max(Decimal(0), rule.weight - facts.urges * each)), basis


def _instructions(rule: Rule, facts: Facts) -> tuple[Decimal | None, str]:
    if not facts.instructions_total:
        return None, _("No leaders' instructions this year: not applicable.")
    basis = _("Answered %(answered)s of %(total)s leaders' instructions.") % {
        "answered": facts.instructions_answered,
        "total": facts.instructions_total,
    }
    points = share_points(rule.weight, facts.instructions_answered, facts.instructions_total)
    return points, basis


MEASURES = {
    Kind.TASKS: _tasks,
    Kind.INDICATORS: _indicators,
    Kind.ON_TIME: _on_time,
    Kind.ACHIEVEMENTS: _achievements,
    Kind.URGES: _urges,
    Kind.INSTRUCTIONS: _instructions,
}


def criterion_item(rule: Rule, facts: Facts) -> Item:
    points, basis = MEASURES[rule.kind](rule, facts)
    return Item(rule.kind, rule.label, rule.weight, points, basis)


# --- the member's score, rank and grade ---------------------------------------------------------


def member_score(rules: list[Rule], facts: Facts) -> tuple[list[Item], Decimal]:
    """Each criterion's item and the computed score out of 100 (from the rounded points, so the
    points shown add up to the score when every criterion applies)."""
    items = [criterion_item(rule, facts) for rule in rules]
    applicable = [item for item in items if item.points is not None]
    weights = sum(item.weight for item in applicable)
    if not weights:
        return items, Decimal("0.0")
    points = sum((item.points for item in applicable), Decimal(0))
    return items, one_decimal(HUNDRED * points / weights)


def final_score(computed: Decimal, adjustment: Decimal) -> Decimal:
    return one_decimal(min(max(computed + adjustment, Decimal(0)), HUNDRED))


def ranks(scores: dict) -> dict:
    """scores: key -> (member kind, score). Each key's rank within its kind, best first; equal
    scores share a rank and the next one skips (1, 1, 3)."""
    result = {}
    by_kind: dict[str, list] = {}
    for key, (kind, score) in scores.items():
        by_kind.setdefault(kind, []).append((score, key))
    for entries in by_kind.values():
        values = [score for score, _key in entries]
        for score, key in entries:
            result[key] = 1 + sum(other > score for other in values)
    return result


def grade_for(score: Decimal, *, excellent_from, good_from, pass_from) -> str:
    if score >= excellent_from:
        return Grade.EXCELLENT
    if score >= good_from:
        return Grade.GOOD
    if score >= pass_from:
        return Grade.PASS
    return Grade.FAIL
