"""The assessment's screens as each role: the secretariat starts, edits, computes, adjusts and
confirms; leadership reads; a liaison sees only their own member's score sheet, once
confirmed, and never another member's name."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessment import services
from assessment.models import Assessment, Criterion, MemberScore

from .conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(world, secretariat):
    assessment = services.assessment_create(year=YEAR, user=secretariat)
    return services.assessment_compute(assessment=assessment, user=secretariat, today=TODAY)


@pytest.fixture
def confirmed(assessment, secretariat):
    return services.assessment_confirm(assessment=assessment, user=secretariat)


def url(name, *args):
    return reverse(f"assessment:{name}", args=args)


def rules_data(assessment, **weights):
    criteria = list(assessment.criteria.all())
    data = {
        "excellent_from": "90",
        "good_from": "80",
        "pass_from": "60",
        "max_adjustment": "5",
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, criterion in enumerate(criteria):
        data |= {
            f"criteria-{i}-id": str(criterion.pk),
            f"criteria-{i}-assessment": str(assessment.pk),
            f"criteria-{i}-kind": criterion.kind,
            f"criteria-{i}-label": criterion.label,
            f"criteria-{i}-weight": str(weights.get(criterion.kind, criterion.weight)),
            f"criteria-{i}-parameter": str(criterion.parameter or ""),
            f"criteria-{i}-position": str(criterion.position),
        }
    return data


# --- the list -----------------------------------------------------------------------------------


def test_the_secretariat_starts_a_year(client_for, secretariat):
    response = client_for(secretariat).post(url("list"), {"year": "2025"})
    assert response.status_code == 302 and response.url == url("detail", 2025)
    assert Assessment.objects.get(year=2025).criteria.count() == 6


def test_starting_a_year_twice_is_refused(client_for, secretariat, assessment):
    response = client_for(secretariat).post(url("list"), {"year": str(YEAR)})
    assert response.status_code == 400
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("role", ["leadership", "liaison"])
def test_only_the_secretariat_starts_a_year(client_for, role, request, db):
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.post(url("list"), {"year": "2025"}).status_code == 403
    assert "year" not in client.get(url("list")).content.decode()
    assert not Assessment.objects.exists()


def test_a_liaison_lists_only_confirmed_years_with_their_own_score(
    client_for, liaison, assessment, secretariat, school_a
):
    client = client_for(liaison)
    assert str(YEAR) not in client.get(url("list")).content.decode()
    services.assessment_confirm(assessment=assessment, user=secretariat)
    page = client.get(url("list")).content.decode()
    assert url("score", YEAR, school_a.pk) in page


# --- the results --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "leadership", "admin_user"])
def test_the_results_list_every_member(client_for, role, request, assessment, school_a, school_b):
    response = client_for(request.getfixturevalue(role)).get(url("detail", YEAR))
    assert response.status_code == 200
    page = response.content.decode()
    assert school_a.name in page and school_b.name in page
    assert "68.4" in page and "85.7" in page


def test_a_liaison_opening_the_results_gets_their_own_sheet(
    client_for, liaison, confirmed, school_a
):
    response = client_for(liaison).get(url("detail", YEAR))
    assert response.status_code == 302 and response.url == url("score", YEAR, school_a.pk)


def test_a_liaison_sees_nothing_of_a_draft(client_for, liaison, assessment, school_a):
    client = client_for(liaison)
    assert client.get(url("detail", YEAR)).status_code == 404
    assert client.get(url("score", YEAR, school_a.pk)).status_code == 404


# --- score sheets -------------------------------------------------------------------------------


def test_a_liaison_reads_their_own_score_sheet_only(
    client_for, liaison, confirmed, school_a, school_b
):
    client = client_for(liaison)
    response = client.get(url("score", YEAR, school_a.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "68.4" in page and school_b.name not in page and "85.7" not in page
    assert client.get(url("score", YEAR, school_b.pk)).status_code == 404
    for page in (client.get(url("list")), client.get(url("score", YEAR, school_a.pk))):
        assert school_b.name not in page.content.decode()


def test_the_score_sheet_gives_the_basis_of_every_point(
    client_for, leadership, assessment, school_a
):
    response = client_for(leadership).get(url("score", YEAR, school_a.pk))
    score = response.context["score"]
    page = response.content.decode()
    for item in score.basis:
        assert escape(item["basis"]) in page
    assert response.context["size"] == 2


# --- rules --------------------------------------------------------------------------------------


def test_the_secretariat_saves_rules_that_add_up(client_for, secretariat, assessment):
    data = rules_data(assessment, tasks=25, instructions=10)
    response = client_for(secretariat).post(url("rules", YEAR), data)
    assert response.status_code == 302
    assert assessment.criteria.get(kind="tasks").weight == 25
    assessment.refresh_from_db()
    assert assessment.computed_at is None  # to compute again


def test_rules_that_do_not_add_up_are_refused_and_nothing_written(
    client_for, secretariat, assessment
):
    before = list(Criterion.objects.values()), Criterion.history.count()
    response = client_for(secretariat).post(url("rules", YEAR), rules_data(assessment, tasks=25))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert (list(Criterion.objects.values()), Criterion.history.count()) == before


def test_thresholds_out_of_order_are_refused(client_for, secretariat, assessment):
    data = rules_data(assessment) | {"good_from": "95"}
    response = client_for(secretariat).post(url("rules", YEAR), data)
    assert response.status_code == 400
    assessment.refresh_from_db()
    assert assessment.good_from == 80


@pytest.mark.parametrize("role", ["leadership", "liaison"])
def test_only_the_secretariat_edits_rules(client_for, role, request, assessment):
    client = client_for(request.getfixturevalue(role))
    assert client.get(url("rules", YEAR)).status_code == 403
    assert client.post(url("rules", YEAR), rules_data(assessment, tasks=25)).status_code == 403


# --- compute, adjust, confirm -------------------------------------------------------------------


def test_compute_and_confirm_answer_post_only(client_for, secretariat, assessment):
    client = client_for(secretariat)
    assert client.get(url("compute", YEAR)).status_code == 405
    assert client.get(url("confirm", YEAR)).status_code == 405


@pytest.mark.parametrize("role", ["leadership", "liaison"])
def test_only_the_secretariat_computes_and_confirms(client_for, role, request, assessment):
    client = client_for(request.getfixturevalue(role))
    assert client.post(url("compute", YEAR)).status_code == 403
    assert client.post(url("confirm", YEAR)).status_code == 403
    assessment.refresh_from_db()
    assert not assessment.is_confirmed


def test_the_secretariat_confirms_once(client_for, secretariat, assessment):
    client = client_for(secretariat)
    assert client.post(url("confirm", YEAR)).status_code == 302
    assessment.refresh_from_db()
    confirmed_at = assessment.confirmed_at
    assert assessment.is_confirmed
    response = client.post(url("confirm", YEAR), follow=True)
    assessment.refresh_from_db()
    assert assessment.confirmed_at == confirmed_at
    assert url("compute", YEAR) not in response.content.decode()  # no buttons once confirmed


def test_the_secretariat_adjusts_a_score_with_a_reason(
    client_for, secretariat, assessment, school_a
):
    client = client_for(secretariat)
    assert client.get(url("adjust", YEAR, school_a.pk)).status_code == 200
    response = client.post(
        url("adjust", YEAR, school_a.pk),
        {"adjustment": "2", "adjustment_reason": "承办省级技能大赛，酌情加分"},
    )
    assert response.status_code == 302
    score = MemberScore.objects.get(member=school_a)
    assert (score.adjustment, score.score) == (Decimal(2), Decimal("70.4"))
    page = client.get(url("score", YEAR, school_a.pk)).content.decode()
    assert "承办省级技能大赛，酌情加分" in page


@pytest.mark.parametrize(
    "data",
    [
        {"adjustment": "2", "adjustment_reason": ""},
        {"adjustment": "6", "adjustment_reason": "加分"},
        {"adjustment": "-5.5", "adjustment_reason": "扣分"},
    ],
)
def test_a_bad_adjustment_is_refused_and_nothing_written(
    client_for, secretariat, assessment, school_a, data
):
    before = list(MemberScore.objects.values()), MemberScore.history.count()
    response = client_for(secretariat).post(url("adjust", YEAR, school_a.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert (list(MemberScore.objects.values()), MemberScore.history.count()) == before


@pytest.mark.parametrize("role", ["leadership", "liaison"])
def test_only_the_secretariat_adjusts(client_for, role, request, confirmed, school_a):
    client = client_for(request.getfixturevalue(role))
    data = {"adjustment": "2", "adjustment_reason": "加分"}
    assert client.post(url("adjust", YEAR, school_a.pk), data).status_code == 403


def test_a_confirmed_score_is_not_adjusted(client_for, secretariat, confirmed, school_a):
    data = {"adjustment": "2", "adjustment_reason": "加分"}
    response = client_for(secretariat).post(url("adjust", YEAR, school_a.pk), data)
    assert response.status_code == 302
    assert MemberScore.objects.get(member=school_a).adjustment == 0


def test_the_secretariat_removes_a_criterion_and_re_weights(client_for, secretariat, assessment):
    data = rules_data(assessment, tasks=35)
    index = [c.kind for c in assessment.criteria.all()].index("instructions")
    data[f"criteria-{index}-DELETE"] = "on"
    response = client_for(secretariat).post(url("rules", YEAR), data)
    assert response.status_code == 302
    assert "instructions" not in set(assessment.criteria.values_list("kind", flat=True))
    assert sum(assessment.criteria.values_list("weight", flat=True)) == 100
