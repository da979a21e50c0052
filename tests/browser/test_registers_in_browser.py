"""The registers in the browser, on the Anqing demo: the 2020 enrollment table, and a liaison's
corrected figures flowing straight into the computed indicator."""

import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from playwright.sync_api import expect

from enrollment.models import Enrollment, GraduateCount
from targets.models import Indicator

from .conftest import digits, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def test_the_secretariat_reads_the_2020_enrollment_per_school_and_for_the_group(page, live_server):
    sign_in(page, live_server, "mishu")
    page.locator("#main-nav").get_by_role("link", name="台账").click()
    page.get_by_role("link", name="各单位招生完成情况").click()
    table = page.get_by_test_id("enrollment-by-member")
    expect(table.locator("tbody tr")).to_have_count(14)
    totals = Enrollment.objects.filter(year=2020).aggregate(q=Sum("quota"), a=Sum("actual"))
    group = page.get_by_test_id("group-line").locator("td")
    assert digits(group.nth(1).inner_text()) == "13546"
    assert digits(group.nth(2).inner_text()) == str(totals["a"])
    expected = (Decimal(100) * totals["a"] / totals["q"]).quantize(Decimal("0.1"))
    assert digits(group.nth(3).inner_text()) == str(expected)

    row = table.locator("tbody tr").filter(has_text="安庆技师学院")
    row.get_by_role("link").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text("660")


def test_a_liaisons_corrected_graduates_change_the_local_employment_rate(page, live_server):
    rate = Indicator.objects.get(plan__year=2020, source="graduates.local_rate")
    own = GraduateCount.objects.get(member__name="安庆工业学校", year=2020)
    sign_in(page, live_server, "lianluo")
    page.goto(f"{live_server.url}/registers/graduates/?year=2020")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)  # their own school only
    rows.first.get_by_role("link", name="编辑").click()

    page.fill("input[name=employed_locally]", str(own.graduates + 1))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_contain_text(
        "不能多于毕业生人数"
    )
    own.refresh_from_db()
    assert own.employed_locally != own.graduates + 1  # refused, nothing written

    page.fill("input[name=employed_locally]", str(own.graduates // 2))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(re.compile(r"/registers/graduates/$"))

    page.goto(f"{live_server.url}{rate.get_absolute_url()}")
    expected = (Decimal(100) * (own.graduates // 2) / own.graduates).quantize(Decimal("0.1"))
    mine = page.locator("main table tbody tr").filter(has_text="安庆工业学校")
    expect(mine).to_have_count(1)
    assert Decimal(mine.locator("td").nth(2).inner_text()) == expected
    expect(page.locator("main table tbody tr").filter(has_text="安徽化工学校")).to_have_count(0)
