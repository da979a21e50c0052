"""Each role, signed in through the real login form, sees and may do what its role allows."""

import re

import pytest
from playwright.sync_api import expect

from jituan.models import Member

from .conftest import member_names, nav_links, sign_in, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def member_pk(name: str) -> int:
    return Member.objects.get(name=name).pk


MY_MEMBER = "my-member"  # stands for /members/<pk of 安庆工业学校>/ in the table below
BOARD = "/submissions/board/"
REPORTS = "/reports/"
LIGHTS = "/supervision/lights/"
ASSESSMENT = "/assessment/"  # 考核, right after supervision
PLANNING = [
    "/plans/",
    "/tasks/",
    "/indicators/",
    "/submissions/",
    "/registers/partnerships/",
    "/certification/",  # 认定, right after the registers
]


@pytest.mark.parametrize(
    ("username", "full_name", "landing", "nav"),
    [
        (
            "mishu",
            "张玉国",
            "/",
            [
                "/",
                "/dashboard/",
                "/members/",
                BOARD,
                LIGHTS,
                ASSESSMENT,
                *PLANNING,
                REPORTS,
                "/imports/",
                "/people/",
            ],
        ),
        (
            "lianluo",
            "陈晓燕",
            "/",
            ["/", "/dashboard/", MY_MEMBER, "/report/", LIGHTS, ASSESSMENT, *PLANNING],
        ),
        (
            "lingdao",
            "王进",
            "/dashboard/",
            [
                "/",
                "/dashboard/",
                "/members/",
                BOARD,
                LIGHTS,
                ASSESSMENT,
                *PLANNING,
                REPORTS,
                "/people/",
            ],
        ),
        (
            "guanli",
            "系统管理员",
            "/",
            [
                "/",
                "/dashboard/",
                "/members/",
                BOARD,
                LIGHTS,
                ASSESSMENT,
                *PLANNING,
                REPORTS,
                "/imports/",
                "/people/",
                "/admin/",
            ],
        ),
    ],
    ids=["secretariat", "liaison", "leadership", "admin"],
)
def test_it_shows_each_role_its_navigation_after_signing_in(
    page, live_server, username, full_name, landing, nav
):
    my_member = f"/members/{member_pk('安庆工业学校')}/"
    sign_in(page, live_server, username)
    expect(page).to_have_url(live_server.url + landing.replace(MY_MEMBER, my_member))
    assert nav_links(page) == [link.replace(MY_MEMBER, my_member) for link in nav]
    expect(page.get_by_test_id("current-user")).to_contain_text(full_name)


def test_it_lets_the_secretariat_open_all_members_and_offers_a_new_member_button(page, live_server):
    sign_in(page, live_server, "mishu")
    expect(page.get_by_test_id("member-count")).to_have_text("21")
    page.locator("#main-nav").get_by_role("link", name="成员单位").click()
    expect(page).to_have_url(f"{live_server.url}/members/")
    assert len(member_names(page)) == 21
    expect(page.locator("main h1")).to_contain_text("共 21 家")
    expect(page.locator('main a[href="/members/new/"]')).to_have_text("新建成员单位")


def test_it_shows_the_liaison_only_their_own_member(page, live_server):
    own, other = member_pk("安庆工业学校"), member_pk("安徽化工学校")
    sign_in(page, live_server, "lianluo")
    expect(page).to_have_url(f"{live_server.url}/")  # their work desk, with their member's card
    page.goto(f"{live_server.url}/members/{own}/")
    expect(page.locator("main h1")).to_have_text("安庆工业学校")

    page.goto(f"{live_server.url}/members/")
    assert member_names(page) == ["安庆工业学校"]

    for path in (f"/members/{other}/", f"/members/{other}/edit/"):
        response = page.goto(live_server.url + path)
        assert response.status == 404, path
        expect(page.locator("main h1")).to_have_text("页面不存在")
        expect(page.locator("body")).not_to_contain_text("安徽化工学校")
        expect(page.locator("body")).not_to_contain_text("刘建国")  # its contact


def test_it_lets_leadership_read_members_but_not_create_or_edit_them(page, live_server):
    sign_in(page, live_server, "lingdao")
    page.goto(f"{live_server.url}/members/")
    assert len(member_names(page)) == 21
    expect(page.locator('a[href="/members/new/"]')).to_have_count(0)
    expect(page.locator('a[href$="/edit/"]')).to_have_count(0)

    page.locator("main table").get_by_role("link", name="安庆技师学院").click()
    expect(page.locator("main h1")).to_have_text("安庆技师学院")
    expect(page.locator('a[href$="/edit/"]')).to_have_count(0)

    for path in ("/members/new/", f"/members/{member_pk('安庆技师学院')}/edit/"):
        response = page.goto(live_server.url + path)
        assert response.status == 403, path
        expect(page.locator("main form")).to_have_count(0)


def test_it_lets_the_secretariat_create_a_county_member_once_the_county_is_given(page, live_server):
    name = "安庆新能源职业学校"
    sign_in(page, live_server, "mishu")
    page.goto(f"{live_server.url}/members/")
    page.click('main a[href="/members/new/"]')
    expect(page).to_have_url(f"{live_server.url}/members/new/")

    page.fill("#id_name", name)
    page.select_option("#id_kind", "secondary_vocational")
    page.select_option("#id_group_role", "member")
    page.select_option("#id_location", "county")
    page.click("main form button[type=submit]")

    expect(page.locator("#id_county")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("main form")).to_contain_text("县域成员单位须填写所在县")
    expect(page.locator("#id_name")).to_have_value(name)
    assert not Member.objects.filter(name=name).exists()

    page.fill("#id_county", "怀宁县")
    page.click("main form button[type=submit]")

    expect(page).to_have_url(re.compile(r"/members/\d+/$"))
    expect(page.locator("main h1")).to_have_text(name)
    expect(page.locator("main")).to_contain_text("怀宁县")
    member = Member.objects.get(name=name)
    assert page.url == f"{live_server.url}/members/{member.pk}/"
    assert (member.kind, member.group_role) == ("secondary_vocational", "member")
    assert (member.location, member.county) == ("county", "怀宁县")
    assert Member.objects.count() == 22


def test_it_sends_an_anonymous_visitor_to_the_login_page_and_back(page, live_server):
    page.goto(f"{live_server.url}/members/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/members/")
    expect(page.locator("#main-nav")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("安庆技师学院")

    submit_login(page, "mishu")
    expect(page).to_have_url(f"{live_server.url}/members/")


@pytest.mark.parametrize(
    ("viewport", "collapsed"),
    [({"width": 375, "height": 800}, True), ({"width": 1366, "height": 800}, False)],
    ids=["phone", "laptop"],
)
def test_it_renders_and_filters_the_member_list_at_phone_and_laptop_widths(
    page, live_server, tmp_path, viewport, collapsed
):
    page.set_viewport_size(viewport)
    sign_in(page, live_server, "mishu")
    page.goto(f"{live_server.url}/members/")
    assert len(member_names(page)) == 21
    # At phone width the navigation folds behind the toggler; on a laptop it is laid out.
    expect(page.locator(".navbar-toggler")).to_be_visible(visible=collapsed)
    expect(page.locator("#main-nav")).to_be_visible(visible=not collapsed)

    screenshot = tmp_path / f"members-{viewport['width']}.png"
    page.screenshot(path=screenshot, full_page=True)
    data = screenshot.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000

    page.select_option("#id_kind", "technician")
    page.click("main form.filter-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"[?&]kind=technician(&|$)"))
    assert member_names(page) == ["安庆技师学院"]


@pytest.mark.parametrize("width", [1200, 1300, 1400, 1600])
def test_the_longest_navigations_stay_on_one_bar_from_1200_px(browser, live_server, width):
    """The admin's and the secretariat's menus (the longest) neither wrap nor overflow."""
    for username in ("guanli", "mishu"):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
        page = context.new_page()
        sign_in(page, live_server, username)
        nav = page.locator("#main-nav .navbar-nav").first.bounding_box()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        context.close()
        assert overflow <= 0, (username, width, overflow)
        assert nav["height"] < 48, (username, width, nav)  # one row of links, not two
