"""Every page every role can open, in Chromium: all its visible text in Chinese, and nothing
wider than a phone (390 px) — a wide table scrolls inside its card (.table-responsive), not the
page. And the Django admin's change lists, for the admin role on a desktop: Chinese headers.

The pages are those of the access matrix (tests/test_access_matrix.py): its world of objects
and its table of URLs; a role visits every GET page the table answers 200 for that role (on its
own member's objects for a liaison) and that answers HTML. One browser, one page per role."""

import re
from urllib.parse import urlencode

import pytest
from celery.app.task import Task as CeleryTask
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import EXPECTED, build_world, relation

pytestmark = pytest.mark.browser

ROLES = ("secretariat", "liaison_a", "leadership", "admin")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}

LATIN = re.compile(r"[A-Za-z]{2,}")
# Latin that is right in a Chinese page, and why:
ALLOWED = {
    # the world's data: usernames (people sign in with them), an indicator's code, file names
    "matrix", "liaison", "leadership", "secretariat", "admin", "ind", "pdf", "PDF",
    # a group robot's address (a web address is Latin), its token masked
    "https", "robot", "example", "send", "key",
    # what Chinese offices write in Latin letters: file formats and the office programs
    "Excel", "xlsx", "csv", "Word",
}  # fmt: skip
# Whole phrases: a report file's checksum (SHA-256) and the example of an indicator's code, which
# is a short Latin identifier (代码, in URLs and sources).
ALLOWED_PHRASES = ("SHA-256", "enrollment-plan")

# Downloads and JSON, not pages (Chromium would save them, not show them).
NOT_PAGES = re.compile(r"export|xlsx|template|download|evidence|api-|status|healthz")


def pages_for(world, role: str) -> list[str]:
    """Paths of the GET pages the table answers 200 for this role: one object of each kind (a
    liaison's own member's), as the other objects of a kind show the same page."""
    paths = []
    for name, url in EXPECTED.items():
        if NOT_PAGES.search(name):
            continue
        for side, kwargs in world.args[url.objects].items():
            if url.expected("GET", side)[relation(role, side)] == {200}:
                path = reverse(name, kwargs=kwargs)
                if url.query:
                    path += "?" + urlencode({k: world.query[v] for k, v in url.query.items()})
                paths.append(path)
                break
    return paths


def signed_in_context(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {"name": name, "value": morsel.value, "url": live_server.url}
            for name, morsel in client.cookies.items()
        ]
    )
    return context


PAGE_FACTS = """[
    document.body.innerText,
    document.documentElement.scrollWidth,
    innerWidth,
    [...document.querySelectorAll("a[href^='/']")].map(a => a.getAttribute("href")),
    [...document.querySelectorAll("select")]
        .filter(s => [...s.options].some(o => o.textContent.trim() === "未知"))
        .map(s => s.name),
]"""


def latin_in(text: str) -> list[str]:
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, "")
    return sorted({word for word in LATIN.findall(text) if word not in ALLOWED})


@pytest.fixture
def world(live_server, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(CeleryTask, "apply_async", lambda *args, **kwargs: None)
    return build_world(tmp_path)


# Links that are not pages of the app: static files, and the admin (a page of its own).
NOT_FOLLOWED = re.compile(r"^/(static|media)/")


def test_every_page_reads_in_chinese_and_fits_a_phone(browser, live_server, world):
    """…and offers no link the role cannot follow (no 编辑 that answers 无权访问)."""
    found = []
    for role in ROLES:
        links: dict[str, str] = {}
        context = signed_in_context(browser, live_server, world.users[role], PHONE)
        page = context.new_page()
        paths = pages_for(world, role)
        assert len(paths) > 30, (role, paths)  # the walk is not vacuous
        for path in paths:
            answer = page.goto(live_server.url + path)
            if answer.status != 200 or not answer.headers["content-type"].startswith("text/html"):
                found.append(f"{role} {path}: answered {answer.status}, expected an HTML page")
                continue
            text, wide, inner, hrefs, unknown = page.evaluate(PAGE_FACTS)
            for href in hrefs:
                links.setdefault(href.split("#")[0], path)
            if words := latin_in(text):
                found.append(f"{role} {path}: Latin {words}")
            if unknown:  # a filter's "any" read as a value (django-filter's own widget)
                found.append(f"{role} {path}: a choice reads 未知 {unknown}")
            if wide > inner:
                found.append(f"{role} {path}: {wide} px wide at {inner} px")
        context.close()
        client = Client()
        client.force_login(world.users[role])
        for href, shown_on in sorted(links.items()):
            if href and not NOT_FOLLOWED.match(href):
                status = client.get(href).status_code
                if status in (403, 404):
                    found.append(f"{role} {shown_on}: a link to {href} answers {status}")
    assert not found, f"{len(found)} problem(s):\n" + "\n".join(found)


def test_the_admins_change_lists_have_chinese_headers(browser, live_server, world):
    context = signed_in_context(browser, live_server, world.users["admin"], DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:index"))
    lists = page.locator("#content-main a[href$='/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    lists = [href for href in lists if not href.endswith("/add/")]
    assert len(lists) > 10, lists
    found = []
    for href in lists:
        page.goto(live_server.url + href)
        headers = " ".join(page.locator("#result_list thead th").all_inner_texts())
        filters = " ".join(page.locator("#changelist-filter").all_inner_texts())
        if words := latin_in(f"{headers} {filters}"):
            found.append(f"{href}: {words}")
    context.close()
    assert not found, f"{len(found)} change list(s) with Latin headers:\n" + "\n".join(found)
