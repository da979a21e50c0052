"""Bad input answers with a Chinese message and writes nothing: never a 500."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partnerships.models import CooperationAgreement, Enterprise, OrderClass
from targets import services
from targets.models import Evidence, Plan, QuarterSchedule, ReopenRequest, Task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ROLES = ("secretariat", "liaison", "leadership", "admin_user")


@pytest.fixture
def plan(db):
    plan = Plan.objects.create(year=TODAY.year, title="重点工作")
    QuarterSchedule.objects.create(plan=plan, quarter=1, due_on=TODAY - timedelta(days=20))
    return plan


@pytest.fixture
def client_as(request, client_for):
    return lambda role: client_for(request.getfixturevalue(role))


@pytest.mark.parametrize("quarter", [0, 5, 9])
def test_it_refuses_a_reopening_for_a_quarter_that_does_not_exist(
    client_for, liaison, plan, quarter
):
    url = reverse("targets:reopen-request", args=[plan.pk, quarter])
    response = client_for(liaison).post(url, {"reason": "补报"})
    assert response.status_code == 400
    assert f"没有第 {quarter} 季度" in response.content.decode()
    assert not ReopenRequest.objects.exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("plan_param", ["abc", "²", "99999999999999999999999"])
def test_the_board_ignores_a_plan_that_is_not_a_number(client_as, role, plan, plan_param):
    response = client_as(role).get(reverse("targets:submission-board"), {"plan": plan_param})
    assert response.status_code in (200, 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["targets:task-create", "targets:indicator-create"])
def test_a_new_task_or_indicator_refuses_a_plan_that_is_not_a_number(client_as, role, name, plan):
    response = client_as(role).get(reverse(name), {"plan": "abc"})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


@pytest.mark.parametrize("plan_param", ["²", "1.5", "-1"])
def test_a_new_task_refuses_other_plans_that_are_not_whole_numbers(
    client_for, secretariat, plan, plan_param
):
    response = client_for(secretariat).get(reverse("targets:task-create"), {"plan": plan_param})
    assert response.status_code == 400


def test_a_new_task_still_opens_for_a_plan_by_its_number(client_for, secretariat, plan):
    response = client_for(secretariat).get(reverse("targets:task-create"), {"plan": plan.pk})
    assert response.status_code == 200


# --- evidence --------------------------------------------------------------------------------


@pytest.fixture
def own_submission(school_a):
    plan = Plan.objects.create(year=TODAY.year, title="开放的计划")
    QuarterSchedule.objects.create(plan=plan, quarter=1, due_on=TODAY + timedelta(days=20))
    task = Task.objects.create(plan=plan, number="1", title="扩大招生")
    task.responsible_members.add(school_a)
    return services.submission_start(plan=plan, member=school_a, quarter=1)


def upload_messages(client, submission, upload):
    url = reverse("targets:evidence-upload", args=[submission.pk])
    response = client.post(url, {"file": upload} if upload else {})
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_empty_evidence_file_is_called_empty(client_for, liaison, own_submission):
    upload = SimpleUploadedFile("证明.pdf", b"")
    problems = upload_messages(client_for(liaison), own_submission, upload)
    assert problems == ["文件是空的（0 字节）：请选择有证明内容的文件。"]
    assert not Evidence.objects.exists()


def test_evidence_for_a_row_that_is_not_a_number_goes_to_the_submission(
    client_for, liaison, own_submission
):
    url = reverse("targets:evidence-upload", args=[own_submission.pk])
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x")
    assert client_for(liaison).post(url, {"file": upload, "row": "task-²"}).status_code == 302
    assert Evidence.objects.get().task is None


def test_no_evidence_file_still_asks_for_one(client_for, liaison, own_submission):
    problems = upload_messages(client_for(liaison), own_submission, None)
    assert problems == ["请选择要上传的文件。"]


# --- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["http://elsewhere.example/", "//elsewhere.example/", "https://elsewhere.example"]
)
def test_bulk_approve_never_redirects_off_the_site(client_for, secretariat, target):
    response = client_for(secretariat).post(
        reverse("targets:submission-bulk-approve"), {"next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("targets:submission-board")


def test_bulk_approve_goes_back_to_a_page_of_the_site(client_for, secretariat, plan):
    back = f"{reverse('targets:submission-board')}?plan={plan.pk}"
    response = client_for(secretariat).post(
        reverse("targets:submission-bulk-approve"), {"next": back}
    )
    assert response["Location"] == back


# --- implausible figures ---------------------------------------------------------------------


@pytest.fixture
def firm(db):
    return Enterprise.objects.create(name="安徽环新集团有限公司", industry="汽车零部件")


def test_an_order_class_of_more_than_ten_thousand_is_refused(
    client_for, secretariat, school_a, firm
):
    data = {"member": school_a.pk, "enterprise": firm.pk, "kind": "order", "major": "机电"}
    url = reverse("partnerships:order-classes-create")
    response = client_for(secretariat).post(url, data | {"year": 2024, "students": 10_001})
    assert response.status_code == 200
    assert response.context["form"].errors["students"] == ["不能超过 10000，请核对数字。"]
    assert not OrderClass.objects.exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [("1999-12-31", "2025-06-30", "starts_on"), ("2024-09-01", "3024-08-31", "ends_on")],
)
def test_an_agreement_dated_outside_2000_to_2100_is_refused(
    client_for, secretariat, school_a, firm, starts_on, ends_on, field
):
    data = {"member": school_a.pk, "enterprise": firm.pk, "major": "机电"}
    url = reverse("partnerships:agreements-create")
    response = client_for(secretariat).post(
        url, data | {"starts_on": starts_on, "ends_on": ends_on}
    )
    assert response.context["form"].errors[field] == ["请填写 2000 年至 2100 年之间的日期。"]
    assert not CooperationAgreement.objects.exists()


def test_an_agreement_still_cannot_end_before_it_starts(client_for, secretariat, school_a, firm):
    data = {"member": school_a.pk, "enterprise": firm.pk, "major": "机电"}
    response = client_for(secretariat).post(
        reverse("partnerships:agreements-create"),
        data | {"starts_on": "2024-09-01", "ends_on": "2024-08-31"},
    )
    assert "ends_on" in response.context["form"].errors
    assert not CooperationAgreement.objects.exists()


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        ("partnerships.OrderClass", "students", 10_000),
        ("partnerships.ApprenticeshipCohort", "apprentices", 10_000),
        ("partnerships.CertificatePilot", "students", 100_000),
        ("enrollment.Enrollment", "quota", 100_000),
        ("enrollment.Enrollment", "actual", 100_000),
        ("enrollment.TeacherCount", "full_time", 10_000),
        ("enrollment.TeacherCount", "dual_qualified", 10_000),
        ("enrollment.GraduateCount", "graduates", 100_000),
        ("enrollment.GraduateCount", "employed_locally", 100_000),
        ("rewards.StudentIntake", "students", 10_000),
        ("rewards.RewardRule", "min_students", 10_000),
    ],
)
def test_every_head_count_has_a_plausible_upper_bound(model, field, limit):
    model_field = apps.get_model(model)._meta.get_field(field)
    model_field.clean(limit, None)  # the bound itself is allowed
    with pytest.raises(ValidationError) as refused:
        model_field.clean(limit + 1, None)
    assert refused.value.messages == [f"不能超过 {limit}，请核对数字。"]
