"""A record's certification state, as it stands now or as it stood at a report's cut-off, and
the reads that depend on who is asking."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jituan.history import records_as_of
from jituan.models import User
from jituan.selectors import scope_to_member

from .models import Certification, CertificationEvidence
from .registry import CERTIFIABLE, Certifiable, State, certifiable_for, snapshot_of


@dataclass
class RecordState:
    state: str
    certification: Certification | None = None

    @property
    def is_certified(self) -> bool:
        return self.state == State.CERTIFIED

    @property
    def label(self) -> str:
        return State(self.state).label


def record_states(records, *, as_of: datetime | None = None) -> dict[int, RecordState]:
    """Each record's state by its pk, in one query: the latest submission of the record (as
    recorded by as_of), and whether the record still is what that submission showed."""
    records = list(records)
    if not records:
        return {}
    certifiable = certifiable_for(type(records[0]))
    latest: dict[int, Certification] = {}
    submissions = (
        records_as_of(Certification, as_of)
        .filter(content_type=certifiable.content_type, object_id__in=[_pk(r) for r in records])
        .order_by("submitted_at", "id")
    )
    for certification in submissions:
        latest[certification.object_id] = certification
    return {_pk(record): _state(record, latest.get(_pk(record)), certifiable) for record in records}


def record_state(record, *, as_of: datetime | None = None) -> RecordState:
    return record_states([record], as_of=as_of)[_pk(record)]


def _pk(record) -> int:
    return record.id  # a historical record's pk is its history_id; its id is the record's


def _state(record, certification, certifiable: Certifiable) -> RecordState:
    if certification is None:
        return RecordState(State.NOT_SUBMITTED)
    if certification.status == Certification.Status.REJECTED:
        return RecordState(State.REJECTED, certification)
    if certification.snapshot != snapshot_of(record, certifiable.model):
        return RecordState(State.CHANGED, certification)
    if certification.status == Certification.Status.CERTIFIED:
        return RecordState(State.CERTIFIED, certification)
    return RecordState(State.SUBMITTED, certification)


def certified_counts(year: int, *, as_of: datetime | None = None) -> dict[int, int]:
    """Certified records counting in a year, per member: the achievements the annual assessment
    scores. Records with no member (a consortium led from outside the group) count for none."""
    counts: Counter[int] = Counter()
    for certifiable in CERTIFIABLE:
        records = [
            r
            for r in records_as_of(certifiable.model, as_of)
            if r.member_id and certifiable.year_of(r) == year
        ]
        states = record_states(records, as_of=as_of)
        for record in records:
            if states[_pk(record)].is_certified:
                counts[record.member_id] += 1
    return dict(counts)


def certifications_for(user: User) -> QuerySet[Certification]:
    return scope_to_member(
        Certification.objects.select_related("member", "submitted_by", "decided_by"), user
    )


def certification_get_for(user: User, pk: int) -> Certification:
    return get_object_or_404(certifications_for(user), pk=pk)


def evidence_get_for(user: User, pk: int) -> CertificationEvidence:
    return get_object_or_404(
        CertificationEvidence.objects.filter(certification__in=certifications_for(user)), pk=pk
    )
