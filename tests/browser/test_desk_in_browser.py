"""Each demo role signs in on its work desk (工作台) and every desk item opens its page."""

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

DESK_LINKS = 'main a[data-testid^="desk-"]'


@pytest.mark.parametrize("username", ["mishu", "lianluo", "guanli"])
def test_it_opens_each_role_on_its_desk_and_follows_every_item(page, live_server, username):
    sign_in(page, live_server, username)
    expect(page).to_have_url(f"{live_server.url}/")
    links = page.locator(DESK_LINKS).evaluate_all("links => links.map(a => a.href)")
    assert links, f"{username}: an empty desk"
    for url in dict.fromkeys(links):
        response = page.goto(url)
        assert response.status == 200, (username, url)
        expect(page.locator("main")).to_be_visible()


def test_it_opens_leadership_on_the_dashboard(page, live_server):
    sign_in(page, live_server, "lingdao")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")


@pytest.mark.parametrize("username", ["mishu", "lianluo", "lingdao", "guanli"])
def test_it_opens_the_notifications_from_the_navigation(page, live_server, username):
    sign_in(page, live_server, username)
    page.get_by_test_id("notifications-link").click()
    expect(page).to_have_url(f"{live_server.url}/notifications/")
    expect(page.get_by_test_id("notifications")).to_be_visible()
