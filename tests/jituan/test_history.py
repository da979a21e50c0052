"""Registers keep their history: every figure can be read as it was known at a time."""

from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from simple_history.models import HistoricalChanges

from enrollment.models import Enrollment
from jituan.history import records_as_of

pytestmark = pytest.mark.django_db
CUTOFF = timezone.make_aware(datetime(2020, 6, 5, 23, 59))
BEFORE = CUTOFF - timedelta(days=60)
AFTER = CUTOFF + timedelta(days=100)


def save_at(record, moment):
    record._history_date = moment
    record.save()
    del record._history_date
    return record


def quota(member, level="secondary", **values):
    return Enrollment(member=member, year=2020, level=level, **values)


def test_it_reads_what_was_recorded_before_a_later_edit(school_a):
    row = save_at(quota(school_a, quota=800), BEFORE)
    row.actual = 790
    save_at(row, AFTER)
    assert records_as_of(Enrollment, CUTOFF).values_list("quota", "actual").get() == (800, None)
    assert records_as_of(Enrollment, AFTER).values_list("quota", "actual").get() == (800, 790)
    assert records_as_of(Enrollment, None).get().actual == 790


def test_it_leaves_out_a_record_created_after_the_time(school_a):
    save_at(quota(school_a, quota=800), BEFORE)
    save_at(quota(school_a, "higher", quota=500), AFTER)
    assert list(records_as_of(Enrollment, CUTOFF).values_list("level", flat=True)) == ["secondary"]


def test_it_leaves_out_a_record_deleted_before_the_time_but_not_after(school_a, school_b):
    gone = save_at(quota(school_a, quota=800), BEFORE)
    gone._history_date = BEFORE + timedelta(days=1)
    gone.delete()
    later = save_at(quota(school_b, quota=468), BEFORE)
    later._history_date = AFTER
    later.delete()
    assert [row.member_id for row in records_as_of(Enrollment, CUTOFF)] == [school_b.pk]
    assert not records_as_of(Enrollment, AFTER).exists()


def test_it_can_be_summed_per_member(school_a, school_b):
    save_at(quota(school_a, quota=800), BEFORE)
    save_at(quota(school_a, "higher", quota=200), BEFORE)
    changed = save_at(quota(school_b, quota=468), BEFORE)
    changed.quota = 500
    save_at(changed, AFTER)
    totals = (
        records_as_of(Enrollment, CUTOFF)
        .values("member")
        .annotate(total=Sum("quota"))
        .order_by("member")
    )
    assert {row["member"]: row["total"] for row in totals} == {school_a.pk: 1000, school_b.pk: 468}
    assert records_as_of(Enrollment, AFTER).aggregate(total=Sum("quota"))["total"] == 1500


def test_it_dates_the_demo_as_a_year_goes():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    tracked = _tracked_models()
    counts = {model: model.history.count() for model in tracked}
    for model in tracked:
        unrecorded = model.objects.exclude(pk__in=model.history.values("id"))
        assert not unrecorded.exists(), model.__name__
    june_2020 = records_as_of(Enrollment, CUTOFF).filter(year=2020)
    assert june_2020.aggregate(total=Sum("quota"))["total"] == 13546
    # The 14 schools' quotas, 安庆职业技术学院's 高职 by channel (普招, 分类招生, 社会扩招).
    assert june_2020.values("member").distinct().count() == 14
    assert june_2020.count() == 16
    assert not june_2020.filter(actual__isnull=False).exists()
    assert not Enrollment.objects.filter(year=2020, actual__isnull=True).exists()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert {model: model.history.count() for model in tracked} == counts  # nothing new to record


def _tracked_models():
    return [
        model
        for model in apps.get_models()
        if hasattr(model, "history") and not issubclass(model, HistoricalChanges)
    ]
