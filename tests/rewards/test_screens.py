"""The rule, fund and intake registers and the summary page, for every role."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rewards.models import RewardRule, StudentIntake

from .conftest import YEAR, intake, order_class

pytestmark = pytest.mark.django_db
SUMMARY = reverse("rewards:summary") + f"?year={YEAR}"


def rule_form(rule, **changes):
    data = {
        "year": rule.year,
        "kind": rule.kind,
        "label": rule.label,
        "amount": rule.amount,
        "min_students": rule.min_students or "",
    }
    return {**data, **changes}


@pytest.fixture
def classes(rules, school_a, school_b):
    order_class(school_a, 30)
    order_class(school_b, 25, major="化学工艺", firm="中国石化安庆分公司")
    intake(school_b, "安庆石化第一中学", 80)


def test_secretariat_changes_a_rules_amount_and_the_summary_follows(
    client_for, secretariat, rules, classes
):
    client = client_for(secretariat)
    # two classes and 80 students from a source school: 2 × 100,000 + 80 × 500
    assert "¥240,000" in client.get(SUMMARY).content.decode()
    rule = rules["order_class"]

    response = client.post(
        reverse("rewards:rules-update", args=[rule.pk]), rule_form(rule, amount=150_000)
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.amount == 150_000
    page = client.get(SUMMARY).content.decode()
    assert "¥340,000" in page and "¥150,000" in page


@pytest.mark.parametrize(
    ("amount", "message"), [("-5", "确保该值大于或等于0"), ("十万", "输入整数"), ("", "必填")]
)
def test_it_refuses_a_bad_amount_in_chinese_and_writes_nothing(
    client_for, secretariat, rules, amount, message
):
    rule = rules["order_class"]
    response = client_for(secretariat).post(
        reverse("rewards:rules-update", args=[rule.pk]), rule_form(rule, amount=amount)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    rule.refresh_from_db()
    assert rule.amount == 100_000


def test_secretariat_adds_a_fund_and_an_intake(client_for, secretariat, school_a):
    client = client_for(secretariat)
    response = client.post(
        reverse("rewards:funds-create"),
        {"year": 2025, "reward_fund": 5_000_000, "running_budget": 500_000},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("rewards:intakes-create"),
        {"member": school_a.pk, "year": 2025, "source_school": "安庆市第四中学", "students": 60},
    )
    assert response.status_code == 302
    assert "安庆市第四中学" in client.get(reverse("rewards:intakes-list")).content.decode()


def test_an_order_class_rule_needs_its_class_size(client_for, secretariat, fund):
    # Waits on the translations of rewards' messages (/tmp/rewards_translations.py).
    response = client_for(secretariat).post(
        reverse("rewards:rules-create"),
        {"year": YEAR, "kind": "order_class", "label": "校企合作班", "amount": 100_000},
    )
    assert response.status_code == 200
    assert "请填写可获补助的班级人数" in response.content.decode()
    assert not RewardRule.objects.exists()


def test_leadership_reads_the_summary_but_cannot_edit_a_rule(
    client_for, leadership, rules, classes
):
    client = client_for(leadership)
    rule = rules["order_class"]
    assert client.get(SUMMARY).status_code == 200
    assert client.get(reverse("rewards:rules-list")).status_code == 200
    url = reverse("rewards:rules-update", args=[rule.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, rule_form(rule, amount=1)).status_code == 403
    assert client.post(reverse("rewards:rules-create"), rule_form(rule)).status_code == 403
    rule.refresh_from_db()
    assert rule.amount == 100_000


def test_a_liaison_sees_only_their_own_members_lines(client_for, liaison, school_b, classes):
    client = client_for(liaison)

    page = client.get(SUMMARY).content.decode()
    assert liaison.member.name in page
    for other in (school_b.name, "化学工艺", "安庆石化第一中学"):
        assert other not in page
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("rewards:summary-xlsx") + f"?year={YEAR}").content)
    )
    cells = " ".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert liaison.member.name in cells
    assert school_b.name not in cells and "安庆石化第一中学" not in cells


def test_a_liaison_cannot_edit_rules_or_see_other_intakes(client_for, liaison, rules, school_b):
    other = intake(school_b, "安庆石化第一中学", 80)
    client = client_for(liaison)
    rule = rules["order_class"]
    assert client.get(reverse("rewards:rules-update", args=[rule.pk])).status_code == 403
    assert "安庆石化第一中学" not in client.get(reverse("rewards:intakes-list")).content.decode()
    assert client.get(reverse("rewards:intakes-update", args=[other.pk])).status_code == 404


def test_the_summary_shows_the_fund_exceeded(client_for, secretariat, fund, classes):
    fund.reward_fund = 100_000
    fund.save()
    page = client_for(secretariat).get(SUMMARY + "&scale=1").content.decode()
    assert "alert-danger" in page
    assert "¥100,000" in page


def test_the_summary_refuses_a_bad_year(client_for, secretariat):
    response = client_for(secretariat).get(reverse("rewards:summary") + "?year=二〇二四")
    assert response.status_code == 400
    assert "输入整数" in response.content.decode()
    xlsx = client_for(secretariat).get(reverse("rewards:summary-xlsx") + "?year=1800")
    assert xlsx.status_code == 400


def test_the_summary_opens_on_the_latest_year_with_rules(client_for, secretariat, rules):
    response = client_for(secretariat).get(reverse("rewards:summary"))
    assert response.status_code == 200
    assert response.context["summary"].year == YEAR


def test_the_summary_answers_only_get(client_for, secretariat):
    client = client_for(secretariat)
    assert client.post(reverse("rewards:summary")).status_code == 405
    assert client.post(reverse("rewards:summary-xlsx")).status_code == 405


def test_the_summary_needs_a_role(client, django_user_model):
    assert client.get(SUMMARY).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert client.get(SUMMARY).status_code == 403
    assert client.get(reverse("rewards:summary-xlsx")).status_code == 403


def test_every_rewards_model_opens_in_the_admin(client_for, admin_user, rules, school_a):
    from django.apps import apps
    from django.contrib import admin
    from simple_history.models import HistoricalChanges

    intake(school_a, "安庆市第四中学", 60)
    admin_user.is_superuser = True
    admin_user.save()
    client = client_for(admin_user)
    for model in apps.get_app_config("rewards").get_models():
        if issubclass(model, HistoricalChanges):
            continue  # a record's versions open from the record: its history page
        assert model in admin.site._registry
        url = reverse(f"admin:rewards_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    record = StudentIntake.objects.get()
    assert (
        client.get(reverse("admin:rewards_studentintake_history", args=[record.pk])).status_code
        == 200
    )
