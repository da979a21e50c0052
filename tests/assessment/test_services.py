"""The assessment's writes: default rules, rules refused when they do not add up, the 2024
scores with the basis of every point, adjustments with a reason, confirmed once, the liaisons
told. Every refusal writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment import services
from assessment.models import Assessment, Criterion, MemberScore
from assessment.services import CriterionRow
from jituan.models import Notification

from .conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def assessment(secretariat):
    return services.assessment_create(year=YEAR, user=secretariat)


@pytest.fixture
def computed(world, assessment, secretariat):
    return services.assessment_compute(assessment=assessment, user=secretariat, today=TODAY)


def rows(assessment, **changes):
    result = [
        CriterionRow(c.kind, c.label, c.weight, c.parameter, c.position)
        for c in assessment.criteria.all()
    ]
    return [
        CriterionRow(r.kind, r.label, changes.get(r.kind, r.weight), r.parameter, r.position)
        for r in result
    ]


def save_rules(assessment, user, criteria, **thresholds):
    values = {"excellent_from": D(90), "good_from": D(80), "pass_from": D(60)}
    values |= thresholds
    return services.assessment_rules_save(
        assessment=assessment, user=user, max_adjustment=D(5), criteria=criteria, **values
    )


def snapshot():
    """Everything the assessment services write, to show a refusal wrote nothing."""
    return (
        list(Assessment.objects.values()),
        list(Criterion.objects.values()),
        list(MemberScore.objects.values()),
        Assessment.history.count() + Criterion.history.count() + MemberScore.history.count(),
        Notification.objects.count(),
    )


def test_a_new_assessment_has_the_default_rules(assessment):
    criteria = list(assessment.criteria.values_list("kind", "weight", "parameter"))
    assert criteria == [
        ("tasks", 30, None),
        ("indicators", 30, None),
        ("on_time", 15, None),
        ("achievements", 10, D(3)),
        ("urges", 10, D(2)),
        ("instructions", 5, None),
    ]
    assert (assessment.excellent_from, assessment.good_from, assessment.pass_from) == (90, 80, 60)
    assert assessment.max_adjustment == 5 and assessment.status == "draft"


def test_it_refuses_a_second_assessment_of_the_year(assessment, secretariat):
    with pytest.raises(ValidationError):
        services.assessment_create(year=YEAR, user=secretariat)
    assert Assessment.objects.count() == 1


def test_it_refuses_weights_that_do_not_add_up_to_100(assessment, secretariat):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        save_rules(assessment, secretariat, rows(assessment, instructions=0))
    assert "95" in refused.value.messages[0]
    assert snapshot() == before


@pytest.mark.parametrize(
    "thresholds",
    [
        {"excellent_from": D(80), "good_from": D(90)},
        {"good_from": D(60), "pass_from": D(60)},
        {"excellent_from": D(50)},
    ],
)
def test_it_refuses_thresholds_out_of_order(assessment, secretariat, thresholds):
    before = snapshot()
    with pytest.raises(ValidationError):
        save_rules(assessment, secretariat, rows(assessment), **thresholds)
    assert snapshot() == before


def test_it_refuses_an_urge_criterion_without_its_parameter(assessment, secretariat):
    criteria = [
        CriterionRow("tasks", "任务", 60),
        CriterionRow("urges", "催办", 40, None),
    ]
    before = snapshot()
    with pytest.raises(ValidationError):
        save_rules(assessment, secretariat, criteria)
    assert snapshot() == before


def test_it_refuses_a_kind_listed_twice(assessment, secretariat):
    criteria = [CriterionRow("tasks", "任务", 50), CriterionRow("tasks", "任务二", 50)]
    before = snapshot()
    with pytest.raises(ValidationError):
        save_rules(assessment, secretariat, criteria)
    assert snapshot() == before


def test_it_saves_rules_that_add_up(assessment, secretariat):
    criteria = [CriterionRow("tasks", "任务完成", 70), CriterionRow("urges", "催办", 30, D(5))]
    save_rules(assessment, secretariat, criteria, excellent_from=D(95))
    assessment.refresh_from_db()
    assert list(assessment.criteria.values_list("kind", "label", "weight")) == [
        ("tasks", "任务完成", 70),
        ("urges", "催办", 30),
    ]
    assert assessment.excellent_from == 95


def test_it_scores_every_member_with_the_basis_of_each_point(computed, school_a, school_b):
    a = computed.scores.get(member=school_a)
    b = computed.scores.get(member=school_b)
    # A: 15 + 24 + 11.3 + 6.7 + 8 = 65.0 over the 95 points that apply → 68.4
    assert [item["points"] for item in a.basis] == ["15.0", "24.0", "11.3", "6.7", "8.0", "—"]
    assert (a.computed, a.score, a.rank, a.grade) == (D("68.4"), D("68.4"), 2, "pass")
    # B: 30 + 15 + 0 + 10 + 5 = 60 over 70 → 85.7
    assert [item["points"] for item in b.basis] == ["30.0", "—", "15.0", "0.0", "10.0", "5.0"]
    assert (b.computed, b.score, b.rank, b.grade) == (D("85.7"), D("85.7"), 1, "good")
    assert set(a.basis[0]) == {"kind", "label", "weight", "points", "basis"}
    assert all(item["basis"] for item in a.basis + b.basis)
    assert computed.computed_at is not None


def test_it_refuses_an_adjustment_beyond_the_range(computed, school_a, secretariat):
    score = computed.scores.get(member=school_a)
    before = snapshot()
    for adjustment in (D("5.1"), D(-6), D(50)):
        with pytest.raises(ValidationError):
            services.score_adjust(
                score=score, user=secretariat, adjustment=adjustment, reason="加分"
            )
    assert snapshot() == before


def test_it_refuses_an_adjustment_without_a_reason(computed, school_a, secretariat):
    score = computed.scores.get(member=school_a)
    before = snapshot()
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            services.score_adjust(score=score, user=secretariat, adjustment=D(2), reason=reason)
    assert snapshot() == before


def test_an_adjustment_re_ranks_and_re_grades_and_is_kept_in_history(
    computed, school_a, school_b, secretariat
):
    score = computed.scores.get(member=school_a)
    score = services.score_adjust(
        score=score, user=secretariat, adjustment=D(5), reason="承办省级技能大赛，酌情加分"
    )
    assert (score.computed, score.score, score.grade) == (D("68.4"), D("73.4"), "pass")
    latest = score.history.first()
    assert latest.history_user == secretariat
    assert latest.adjustment_reason == "承办省级技能大赛，酌情加分"


def test_ties_share_a_rank(computed, school_a, school_b, secretariat):
    # B 85.7, A 68.4: no adjustment of 5 ties them, so raise the range and adjust
    Assessment.objects.filter(pk=computed.pk).update(max_adjustment=D("17.3"))
    score = computed.scores.get(member=school_a)
    services.score_adjust(score=score, user=secretariat, adjustment=D("17.3"), reason="持平")
    assert sorted(computed.scores.values_list("rank", flat=True)) == [1, 1]


def test_computing_again_keeps_the_adjustments(computed, school_a, secretariat):
    score = computed.scores.get(member=school_a)
    services.score_adjust(score=score, user=secretariat, adjustment=D(-2), reason="材料迟交")
    services.assessment_compute(assessment=computed, user=secretariat, today=TODAY)
    score.refresh_from_db()
    assert (score.computed, score.adjustment, score.score) == (D("68.4"), D(-2), D("66.4"))
    assert score.adjustment_reason == "材料迟交"


def test_it_confirms_once_and_tells_each_member_s_liaisons(
    computed, secretariat, liaison, liaison_b
):
    services.assessment_confirm(assessment=computed, user=secretariat)
    computed.refresh_from_db()
    assert computed.is_confirmed and computed.confirmed_by == secretariat
    told = Notification.objects.filter(kind=Notification.Kind.ASSESSMENT)
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        liaison.username,
        liaison_b.username,
    ]
    before = snapshot()
    with pytest.raises(ValidationError):
        services.assessment_confirm(assessment=computed, user=secretariat)
    assert snapshot() == before


def test_a_confirmed_assessment_can_no_longer_change(computed, secretariat, school_a):
    services.assessment_confirm(assessment=computed, user=secretariat)
    score = computed.scores.get(member=school_a)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.assessment_compute(assessment=computed, user=secretariat, today=TODAY)
    with pytest.raises(ValidationError):
        services.score_adjust(score=score, user=secretariat, adjustment=D(1), reason="加分")
    with pytest.raises(ValidationError):
        save_rules(computed, secretariat, rows(computed))
    assert snapshot() == before


def test_it_refuses_to_confirm_before_computing(assessment, secretariat):
    with pytest.raises(ValidationError):
        services.assessment_confirm(assessment=assessment, user=secretariat)
    assessment.refresh_from_db()
    assert not assessment.is_confirmed


def test_changing_the_rules_asks_for_computing_again(computed, secretariat):
    save_rules(computed, secretariat, rows(computed), excellent_from=D(85))
    with pytest.raises(ValidationError):
        services.assessment_confirm(assessment=computed, user=secretariat)


def test_it_refuses_to_compute_a_year_without_a_plan(secretariat):
    assessment = services.assessment_create(year=2030, user=secretariat)
    with pytest.raises(ValidationError):
        services.assessment_compute(assessment=assessment, user=secretariat)
    assert not MemberScore.objects.exists()


def test_refusals_are_in_chinese(assessment, secretariat):
    """Depends on the compiled catalogue (locale/zh_Hans)."""
    with pytest.raises(ValidationError) as refused:
        save_rules(assessment, secretariat, rows(assessment, instructions=0))
    assert refused.value.messages == ["各项权重合计须为 100，现为 95。"]
    with pytest.raises(ValidationError) as refused:
        save_rules(assessment, secretariat, rows(assessment), good_from=D(95))
    assert refused.value.messages[0].startswith("等次分数线须依次降低")
