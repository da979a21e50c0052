"""The submission screens: every URL scoped to the liaison's member, the form keeps what was
typed, and a stale save answers 409."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from targets import services
from targets.models import (
    Allocation,
    Evidence,
    Indicator,
    ReopenRequest,
    Submission,
    Task,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def task(plan, school_a, school_b):
    task = Task.objects.create(plan=plan, number="1", title="扩大招生")
    task.responsible_members.add(school_a, school_b)
    return task


@pytest.fixture
def other_submission(plan, task, school_b, secretariat):
    """School B's submission, with a file: what school A's liaison must never reach."""
    submission = services.submission_start(plan=plan, member=school_b, quarter=1)
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    evidence = Evidence(
        submission=submission,
        token="t" * 32,
        original_name="化校.pdf",
        size=8,
        content_type="application/pdf",
        uploaded_by=secretariat,
    )
    evidence.file.save("x.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4"), save=False)
    evidence.save()
    return submission


def fill_url(plan, quarter=1):
    return reverse("targets:submission-fill", args=[plan.pk, quarter])


def form_data(task, indicator, *, version=0, progress="按计划推进", value="800", **extra):
    """What the form posts: version 0 is the version of a quarter not reported yet."""
    return {
        "version": version,
        f"task-{task.pk}-progress": progress,
        f"task-{task.pk}-status": "on_track",
        f"indicator-{indicator.pk}-value": value,
        **extra,
    }


@pytest.fixture
def own_submission(plan, task, indicator, school_a):
    return services.submission_start(plan=plan, member=school_a, quarter=1)


def test_it_sends_the_liaison_to_the_open_quarter(client_for, liaison, task, indicator, plan):
    response = client_for(liaison).get(reverse("targets:submission-current"))
    assert response["Location"] == fill_url(plan)


def test_it_shows_the_liaison_their_rows_with_targets(client_for, liaison, task, indicator, plan):
    response = client_for(liaison).get(fill_url(plan))
    body = response.content.decode()
    assert "扩大招生" in body and "招生" in body
    assert "800人" in body
    assert "还有 20 天截止" not in body and "截止" in body


def test_it_writes_nothing_when_the_liaison_opens_the_form(
    client_for, liaison, task, indicator, plan
):
    client = client_for(liaison)
    client.get(fill_url(plan))  # the session is written on the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(fill_url(plan))
    assert response.status_code == 200
    assert f'name="task-{task.pk}-progress"' in response.content.decode()
    assert not Submission.objects.exists()
    assert not [q["sql"] for q in queries if q["sql"].split()[0] in WRITES]


def test_it_creates_the_submission_on_the_first_save_then_submits(
    client_for, liaison, task, indicator, plan
):
    client = client_for(liaison)
    assert client.post(fill_url(plan), form_data(task, indicator, save="1")).status_code == 302
    submission = Submission.objects.get()
    assert (submission.status, submission.tasks.get().progress) == ("draft", "按计划推进")
    data = form_data(task, indicator, version=submission.version, submit="1")
    assert client.post(fill_url(plan), data).status_code == 302
    assert Submission.objects.get().status == "submitted"


def test_it_offers_rows_for_tasks_added_since_the_submission_was_started(
    client_for, liaison, own_submission, plan, indicator, school_a
):
    added = Task.objects.create(plan=plan, number="2", title="新增的任务", position=5)
    added.responsible_members.add(school_a)
    client = client_for(liaison)
    assert "新增的任务" in client.get(fill_url(plan)).content.decode()
    assert not own_submission.tasks.filter(task=added).exists()
    data = form_data(added, indicator, version=own_submission.version, progress="新任务的进展")
    assert client.post(fill_url(plan), data).status_code == 302
    assert own_submission.tasks.get(task=added).progress == "新任务的进展"


def test_it_refuses_text_in_a_number_field_and_keeps_what_was_typed(
    client_for, liaison, task, indicator, plan
):
    response = client_for(liaison).post(
        fill_url(plan), form_data(task, indicator, progress="我写的进展", value="很多")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个数字" in body or "输入一个数字" in body
    assert "我写的进展" in body
    assert not Submission.objects.exists()


def test_it_answers_409_to_a_stale_save_and_keeps_the_typed_text(
    client_for, liaison, task, indicator, plan
):
    client = client_for(liaison)
    client.get(fill_url(plan))  # two windows open the quarter before anything is saved
    stale = form_data(task, indicator, progress="第二个窗口写的")
    client.post(fill_url(plan), form_data(task, indicator, progress="第一个窗口写的"))
    response = client.post(fill_url(plan), stale)
    assert response.status_code == 409
    assert "已保存了这份填报" in response.content.decode()
    assert "第二个窗口写的" in response.content.decode()
    assert Submission.objects.get().tasks.get().progress == "第一个窗口写的"


def test_it_keeps_liaisons_from_other_members_submissions(client_for, liaison, other_submission):
    client = client_for(liaison)
    evidence = other_submission.evidence.get()
    pk = other_submission.pk
    for url in (
        reverse("targets:submission-detail", args=[pk]),
        reverse("targets:submission-history", args=[pk]),
        reverse("targets:evidence-download", args=[evidence.pk]),
    ):
        assert client.get(url).status_code == 404, url
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    assert (
        client.post(reverse("targets:evidence-upload", args=[pk]), {"file": upload}).status_code
        == 404
    )
    assert client.post(reverse("targets:evidence-delete", args=[evidence.pk])).status_code == 404
    assert (
        client.post(reverse("targets:submission-review", args=[pk]), {"approve": "1"}).status_code
        == 403
    )
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    listed = client.get(reverse("targets:submission-list")).context["table"].data
    assert other_submission not in list(listed)


def test_it_ignores_a_row_of_another_member_named_in_an_upload(
    client_for, liaison, own_submission, plan, school_b
):
    foreign = Task.objects.create(plan=plan, number="9", title="化校的任务")
    foreign.responsible_members.add(school_b)
    client = client_for(liaison)
    submission = own_submission
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x")
    client.post(
        reverse("targets:evidence-upload", args=[submission.pk]),
        {"file": upload, "row": f"task-{foreign.pk}"},
    )
    assert Evidence.objects.get().task is None


def test_it_lets_the_liaison_download_their_own_evidence(client_for, liaison, own_submission):
    client = client_for(liaison)
    submission = own_submission
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x")
    client.post(reverse("targets:evidence-upload", args=[submission.pk]), {"file": upload})
    evidence = Evidence.objects.get()
    response = client.get(evidence.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_it_keeps_the_fill_page_from_everyone_but_liaisons(
    client_for, secretariat, leadership, plan
):
    for user in (secretariat, leadership):
        assert client_for(user).get(fill_url(plan)).status_code == 403


def test_it_lets_leadership_read_but_not_review(client_for, leadership, other_submission):
    client = client_for(leadership)
    detail = client.get(other_submission.get_absolute_url())
    assert detail.status_code == 200
    assert 'name="approve"' not in detail.content.decode()
    url = reverse("targets:submission-review", args=[other_submission.pk])
    assert client.post(url, {"approve": "1"}).status_code == 403


def test_it_reviews_through_the_screen(client_for, secretariat, other_submission, task):
    url = reverse("targets:submission-review", args=[other_submission.pk])
    data = {
        "version": other_submission.version,
        "return": "1",
        f"comment-task-{task.pk}": "请补充人数",
    }
    client_for(secretariat).post(url, data)
    other_submission.refresh_from_db()
    assert other_submission.status == "returned"
    assert other_submission.tasks.get().review_comment == "请补充人数"


def test_it_shows_the_board_in_the_same_number_of_queries_at_any_size(
    client_for, secretariat, plan, task
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MemberFactory

    client = client_for(secretariat)
    client.get(reverse("targets:submission-board"))  # sessions and permissions warmed up

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("targets:submission-board"))
        return len(captured), len(response.context["rows"])

    small = queries()
    for _ in range(15):
        member = MemberFactory()
        task.responsible_members.add(member)
        services.submission_start(plan=plan, member=member, quarter=1)
    large = queries()
    assert (small[1], large[1]) == (2, 17)
    assert small[0] == large[0]


def test_it_exports_the_submission_list(client_for, secretariat, other_submission):
    import io

    from openpyxl import load_workbook

    response = client_for(secretariat).get(
        reverse("targets:submission-export"), {"status": "submitted"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("年度", "季度", "成员单位")
    assert rows[1][2] == "安徽化工学校"


def test_it_lets_the_secretariat_grant_a_reopening(client_for, secretariat, liaison, plan):
    request = ReopenRequest.objects.create(
        plan=plan, member=liaison.member, quarter=1, reason="x", requested_by=liaison
    )
    until = (TODAY + timedelta(days=5)).isoformat()
    client_for(secretariat).post(
        reverse("targets:reopen-decide", args=[request.pk]), {"grant": "1", "until": until}
    )
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("granted", secretariat)


def test_it_keeps_liaisons_from_deciding_reopenings(client_for, liaison, plan):
    request = ReopenRequest.objects.create(
        plan=plan, member=liaison.member, quarter=1, reason="x", requested_by=liaison
    )
    response = client_for(liaison).post(
        reverse("targets:reopen-decide", args=[request.pk]), {"grant": "1"}
    )
    assert response.status_code == 403
    assert ReopenRequest.objects.get().status == "pending"


def test_it_treats_a_tampered_version_as_stale(client_for, liaison, task, indicator, plan):
    response = client_for(liaison).post(fill_url(plan), form_data(task, indicator, version="abc"))
    assert response.status_code == 409
    assert not Submission.objects.exists()  # the refused first save leaves nothing behind


def test_it_asks_for_a_first_save_before_evidence(client_for, liaison, task, indicator, plan):
    body = client_for(liaison).get(fill_url(plan)).content.decode()
    assert "请先保存草稿" in body
    assert 'name="file"' not in body


def test_it_refuses_a_reopening_date_that_is_not_a_date_and_writes_nothing(
    client_for, secretariat, liaison, plan
):
    request = ReopenRequest.objects.create(
        plan=plan, member=liaison.member, quarter=1, reason="x", requested_by=liaison
    )
    url = reverse("targets:reopen-decide", args=[request.pk])
    response = client_for(secretariat).post(url, {"grant": "", "until": "2024-13-45"}, follow=True)
    assert "输入一个有效的日期" in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.until) == ("pending", None, None)


def test_it_rejects_get_on_reopen_decide(client_for, secretariat, liaison, plan):
    request = ReopenRequest.objects.create(
        plan=plan, member=liaison.member, quarter=1, reason="x", requested_by=liaison
    )
    url = reverse("targets:reopen-decide", args=[request.pk])
    assert client_for(secretariat).get(url).status_code == 405


def test_the_report_never_asks_for_a_figure_a_register_computes(
    client_for, liaison, plan, task, indicator, school_a, school_b
):
    from enrollment.models import Enrollment

    enrolled = Indicator.objects.create(
        plan=plan, code="enrolled", name="实际招生", unit="人", target=900,
        source="enrollment.total",
    )  # fmt: skip
    Allocation.objects.create(indicator=enrolled, member=school_a, target=700)
    for school, actual in ((school_a, 688), (school_b, 912)):
        Enrollment.objects.create(
            member=school, year=plan.year, level="secondary", quota=700, actual=actual
        )
    page = client_for(liaison).get(fill_url(plan)).content.decode()
    assert f'data-row="indicator-{indicator.pk}"' in page  # typed by the member
    assert f'data-row="indicator-{enrolled.pk}"' not in page  # computed: nothing to type
    figures = page.split('data-testid="register-figures"')[1]
    assert "实际招生" in figures and "688人" in figures and "912" not in figures
    records = reverse("enrollment:enrollment-list") + f"?year={plan.year}&amp;member={school_a.pk}"
    assert records in figures
    submission = services.submission_start(plan=plan, member=school_a, quarter=1)
    assert list(submission.indicators.values_list("indicator", flat=True)) == [indicator.pk]
