"""The dashboard page, its drill-down and its JSON endpoints: scoping, bad filters, and a fixed
number of queries whatever the size of the group."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.synthetic import seed_synthetic

pytestmark = pytest.mark.django_db

ENDPOINTS = ["api-headline", "api-heatmap", "api-completeness", "api-quarters", "api-years"]


def test_leadership_lands_on_the_dashboard_and_sees_what_is_behind(year, leadership, client_for):
    client = client_for(leadership)
    assert client.get("/").url == reverse("dashboard:index")
    page = client.get(reverse("dashboard:index"), {"year": 2020}).content.decode()
    assert 'data-code="enroll" data-state="behind"' in page
    assert 'data-code="local" data-state="behind"' in page
    assert 'data-testid="actual">960<' in page and "完成率 96%" in page
    assert "echarts.min.js" in page


def test_the_json_endpoints_follow_the_filters(year, leadership, client_for):
    client = client_for(leadership)
    url = reverse("dashboard:api-headline")
    county = client.get(url, {"year": 2020, "location": "county"}).json()
    enroll = next(i for i in county["indicators"] if i["code"] == "enroll")
    assert (enroll["target"], enroll["actual"], enroll["state"]) == (400, 420, "done")
    heatmap = client.get(reverse("dashboard:api-heatmap"), {"year": 2020}).json()
    assert sorted(m["name"] for m in heatmap["members"]) == ["安庆工校", "安徽化工学校"]


def test_a_liaison_gets_only_their_own_member(year, liaison, client_for):
    client = client_for(liaison)
    for name in ENDPOINTS:
        body = client.get(reverse(f"dashboard:{name}"), {"year": 2020}).content.decode()
        assert "安徽化工学校" not in body, name
    heatmap = client.get(reverse("dashboard:api-heatmap"), {"year": 2020}).json()
    assert [m["name"] for m in heatmap["members"]] == ["安庆工校"]
    drill = client.get(reverse("dashboard:indicator", args=[year["enroll"].pk])).content.decode()
    assert "安庆工业学校" in drill and "安徽化工学校" not in drill


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"year": "abc"}, "year", "没有 abc 年的计划。"),
        ({"year": "1999"}, "year", "没有 1999 年的计划。"),
        ({"kind": "school"}, "kind", "选择一个有效的选项"),
        ({"location": "城里"}, "location", "选择一个有效的选项"),
    ],
)
def test_bad_filters_get_a_message_in_chinese(year, leadership, client_for, query, field, message):
    client = client_for(leadership)
    response = client.get(reverse("dashboard:api-headline"), query)
    assert response.status_code == 400
    assert message in response.json()["errors"][field][0]
    page = client.get(reverse("dashboard:index"), query)
    assert page.status_code == 200 and message in page.content.decode()


def test_who_may_open_it(year, client, leadership, django_user_model):
    assert client.get("/dashboard/api/headline/").status_code == 302  # signed out: to login
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/api/years/").status_code == 403
    client.force_login(leadership)
    assert client.get(f"/dashboard/indicators/{year['enroll'].pk + 1000}/").status_code == 404


def queries_per_request(client, year):
    counts = {}
    for name in ["index", *ENDPOINTS]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"dashboard:{name}"), {"year": year})
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_the_number_of_queries_does_not_grow_with_the_group(client_for, leadership):
    today = date(2023, 1, 1)
    seed_synthetic(members=3, years=2, tasks=2, first_year=2020, today=today)
    small = queries_per_request(client_for(leadership), 2021)
    # A second group, ten times the members and five times the tasks, over more years.
    seed_synthetic(members=30, years=3, tasks=10, first_year=2030, today=date(2033, 1, 1))
    large = queries_per_request(client_for(leadership), 2031)
    assert small == large
    assert max(large.values()) <= 30
