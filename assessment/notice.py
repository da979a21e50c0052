"""The assessment notice (考核结果通报): a confirmed assessment as it stood at a cut-off, read
once for the PDF, the Excel workbook and the dashboard's ranking alike."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jituan.history import records_as_of
from jituan.models import Member

from .models import Assessment, Criterion, Grade, MemberScore


@dataclass
class NoticeLine:
    member: Member
    score: Decimal
    computed: Decimal
    adjustment: Decimal
    adjustment_reason: str
    rank: int | None
    grade: str
    basis: list[dict]

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label)

    @property
    def points(self) -> list[str]:
        return [str(item.get("points", "")) for item in self.basis]


@dataclass
class NoticeGroup:
    """The members of one kind, ranked among themselves."""

    kind: str
    lines: list[NoticeLine] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Member.Kind(self.kind).label)


@dataclass
class Notice:
    year: int
    assessment: Assessment
    criteria: list[Criterion]
    groups: list[NoticeGroup]

    @property
    def lines(self) -> list[NoticeLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def adjusted(self) -> list[NoticeLine]:
        return [line for line in self.lines if line.adjustment]

    @property
    def grade_counts(self) -> list[tuple[str, int]]:
        counts = Counter(line.grade for line in self.lines)
        return [(str(grade.label), counts[grade.value]) for grade in Grade]

    def members_of(self, grade: str) -> list[str]:
        return [line.member.name for line in self.lines if line.grade == grade]


def confirmed_assessment(year: int, as_of: datetime | None = None):
    """The year's assessment as recorded by as_of, if it was confirmed by then."""
    return (
        records_as_of(Assessment, as_of)
        .filter(year=year, status=Assessment.Status.CONFIRMED)
        .first()
    )


def assessment_notice(year: int, as_of: datetime | None = None) -> Notice:
    """The year's confirmed assessment, its criteria and every member's score, grouped by member
    kind in the group's order and ranked within each. Refused while it is not confirmed."""
    assessment = confirmed_assessment(year, as_of)
    if assessment is None:
        raise ValidationError(
            _("The %(year)s annual assessment is not confirmed yet: confirm it first.")
            % {"year": year}
        )
    criteria = list(
        records_as_of(Criterion, as_of)
        .filter(assessment_id=assessment.id)
        .order_by("position", "id")
    )
    scores = list(records_as_of(MemberScore, as_of).filter(assessment_id=assessment.id))
    members = Member.objects.in_bulk([score.member_id for score in scores])
    groups: dict[str, NoticeGroup] = {kind: NoticeGroup(kind) for kind in Member.Kind.values}
    for score in scores:
        member = members[score.member_id]
        groups[member.kind].lines.append(
            NoticeLine(
                member=member,
                score=score.score,
                computed=score.computed,
                adjustment=score.adjustment,
                adjustment_reason=score.adjustment_reason,
                rank=score.rank,
                grade=score.grade,
                basis=score.basis,
            )
        )
    for group in groups.values():
        group.lines.sort(key=lambda line: (line.rank or 10_000, -line.score, line.member.name))
    return Notice(year, assessment, criteria, [g for g in groups.values() if g.lines])
