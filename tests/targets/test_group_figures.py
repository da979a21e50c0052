"""Group figures only the secretariat knows (research topics the council approved …): entered
with their basis, counted once a second secretariat user confirms them, as of any date."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jituan.roles import Role
from targets.models import GroupFigure, Indicator, Plan
from targets.sources import indicator_actual
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(db):
    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    return Indicator.objects.create(
        plan=plan, code="topics", name="立项研究课题", unit="个", target=10, source="group"
    )


@pytest.fixture
def second_secretary(db):
    return user_with_role(Role.SECRETARIAT, username="mishu2")


MINUTES_PDF = b"%PDF-1.4\n% minutes of the council\n"


def minutes(name="理事会纪要.pdf", content=MINUTES_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def enter(client, indicator, **data):
    values = {
        "year": 2020,
        "value": "12",
        "basis": "集团理事会 2020 年第 3 次会议纪要",
        "evidence": minutes(),
    }
    values.update(data)
    if values["evidence"] is None:
        del values["evidence"]
    return client.post(indicator.get_absolute_url(), values)


def test_a_figure_counts_only_once_a_second_person_confirms_it(
    client_for, secretariat, second_secretary, topics
):
    response = enter(client_for(secretariat), topics)
    assert response.status_code == 302
    figure = GroupFigure.objects.get()
    assert (figure.status, figure.entered_by) == ("entered", secretariat)
    assert figure.evidence_name == "理事会纪要.pdf"
    assert indicator_actual(topics).group is None  # not yet confirmed

    own = client_for(secretariat)
    own.post(reverse("targets:group-figure-confirm", args=[figure.pk]))
    figure.refresh_from_db()
    assert figure.status == "entered"  # nobody confirms their own figure
    page = own.get(topics.get_absolute_url()).content.decode()
    assert "需由另一位秘书处人员核对确认" in page
    assert "秘书处录入" in page and "由台账计算" not in page
    assert reverse("targets:group-figure-confirm", args=[figure.pk]) not in page

    other = client_for(second_secretary)
    evidence_url = reverse("targets:group-figure-evidence", args=[figure.pk])
    download = other.get(evidence_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == MINUTES_PDF
    assert (
        reverse("targets:group-figure-confirm", args=[figure.pk])
        in other.get(topics.get_absolute_url()).content.decode()
    )
    other.post(reverse("targets:group-figure-confirm", args=[figure.pk]))
    figure.refresh_from_db()
    assert (figure.status, figure.confirmed_by) == ("confirmed", second_secretary)
    actual = indicator_actual(topics)
    assert actual.group == 12 and actual.basis == "集团理事会 2020 年第 3 次会议纪要"


def test_a_later_figure_replaces_the_earlier_one_from_its_confirmation(
    secretariat, second_secretary, topics
):
    from targets import services

    first = services.group_figure_enter(
        figure=GroupFigure(indicator=topics, year=2020, value=9, basis="第一次统计"),
        user=secretariat,
        evidence=minutes(),
    )
    services.group_figure_confirm(figure=first, user=second_secretary)
    before_second = timezone.now()
    second = services.group_figure_enter(
        figure=GroupFigure(indicator=topics, year=2020, value=11, basis="第二次统计"),
        user=secretariat,
        evidence=minutes(),
    )
    assert indicator_actual(topics).group == 9  # the new one is not confirmed yet
    services.group_figure_confirm(figure=second, user=second_secretary)
    assert indicator_actual(topics).group == 11
    assert indicator_actual(topics, as_of=before_second).group == 9
    assert indicator_actual(topics, as_of=before_second - timedelta(days=1)).group is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"value": "-3"}, "确保该值大于或等于0。"),
        ({"value": "abc"}, "输入一个数字。"),
        ({"basis": ""}, "这个字段是必填项。"),
        ({"year": "1999"}, "确保该值大于或等于2000。"),
        ({"evidence": None}, "请附上该数据所依据的文件，供复核确认。"),
        ({"evidence": minutes("纪要.exe", b"MZ")}, "佐证材料须为 PDF、图片或 Office 文件"),
        ({"evidence": minutes("纪要.pdf", b"not a pdf")}, "文件内容与扩展名 .pdf 不符"),
    ],
)
def test_a_bad_figure_is_refused_in_chinese_and_kept_on_the_page(
    client_for, secretariat, topics, data, message
):
    response = enter(client_for(secretariat), topics, **data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "集团理事会" in page or data.get("basis") == ""  # what was typed stays
    assert not GroupFigure.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).glob("group-figures/**/*.*"))


def test_a_rate_figure_above_100_is_refused(client_for, secretariat, topics):
    Indicator.objects.filter(pk=topics.pk).update(kind="rate", unit="%", target=50)
    topics.refresh_from_db()
    response = enter(client_for(secretariat), topics, value="120")
    assert "百分比须在 0 到 100 之间" in response.content.decode()
    assert not GroupFigure.objects.exists()


def test_the_evidence_is_never_served_to_a_liaison(client_for, secretariat, liaison, topics):
    enter(client_for(secretariat), topics)
    figure = GroupFigure.objects.get()
    url = reverse("targets:group-figure-evidence", args=[figure.pk])
    assert client_for(liaison).get(url).status_code == 404
    assert client_for(secretariat).get(url).status_code == 200


def test_only_the_secretariat_enters_or_confirms(
    client_for, secretariat, leadership, liaison, topics
):
    for user in (leadership, liaison):
        assert enter(client_for(user), topics).status_code in (403, 404)
    assert not GroupFigure.objects.exists()
    figure = GroupFigure.objects.create(
        indicator=topics, year=2020, value=5, basis="依据", entered_by=secretariat
    )
    for user in (leadership, liaison):
        response = client_for(user).post(reverse("targets:group-figure-confirm", args=[figure.pk]))
        assert response.status_code in (403, 404)
    figure.refresh_from_db()
    assert figure.status == "entered"
