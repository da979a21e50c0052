"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against pytest-django's
live_server with the real Anqing demo data."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from jituan.demo import DEMO_PASSWORD

# Playwright's sync API keeps an event loop running in the test thread, which makes Django's ORM
# raise SynchronousOnlyOperation. The ORM calls here are plain synchronous ones, so allow them.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(apt-get install chromium, or run scripts/dev test, which installs it)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 800})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def demo(live_server):
    """The committed Anqing demo data (live_server implies transactional_db).

    No roles_sync() needed: the flush after each transactional test re-emits post_migrate,
    whose handler recreates the role groups with their permissions."""
    call_command("seed_demo", stdout=io.StringIO())


def submit_login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill and submit the login form the page shows now; wait until it has left /login/."""
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/"))


def digits(text: str) -> str:
    """A figure as shown on a page, without grouping commas, spaces or a percent sign."""
    return re.sub(r"[\s,，%]", "", text)


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    submit_login(page, username)


def nav_links(page: Page) -> list[str]:
    return page.locator("#main-nav .navbar-nav a.nav-link").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


def member_names(page: Page) -> list[str]:
    """Names in the member table (the first column links to each member)."""
    return page.locator("main table tbody tr td:first-child a").all_inner_texts()
