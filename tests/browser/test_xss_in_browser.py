"""Names typed in by users (a member's short name, an indicator's name) show as text in the
dashboard's chart tooltips, never as HTML; the dashboard runs under its Content-Security-Policy
without a single violation."""

import pytest
from playwright.sync_api import Page

from jituan.models import Member
from targets.models import Indicator

from .conftest import sign_in
from .test_dashboard_in_browser import wait_for_chart

pytestmark = pytest.mark.usefixtures("demo")

XSS = '<img src=x onerror="window.__xss=1">'

# Added before any page script runs: every CSP violation of the page, for the assertions below.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def hover_cell(page: Page, chart_id: str, cell: list[int]) -> str:
    """Move the mouse over a cell of a chart; the text of the tooltip it shows."""
    point = page.evaluate(
        "([id, cell]) => echarts.getInstanceByDom(document.getElementById(id))"
        ".convertToPixel({seriesIndex: 0}, cell)",
        [chart_id, cell],
    )
    chart = page.locator(f"#{chart_id}")
    chart.scroll_into_view_if_needed()
    box = chart.locator("canvas").bounding_box()
    page.mouse.move(box["x"] + point[0], box["y"] + point[1])
    tooltip = chart.locator("> div:not(:has(canvas))")  # ECharts' tooltip, next to the canvas
    tooltip.wait_for(state="visible")
    page.wait_for_timeout(300)  # it may still show the previous cell while it moves
    return tooltip.inner_text()


def axis_data(page: Page, chart_id: str, axis: str) -> list[str]:
    return page.evaluate(
        "([id, axis]) => echarts.getInstanceByDom(document.getElementById(id))"
        ".getOption()[axis][0].data",
        [chart_id, axis],
    )


def test_names_show_as_text_in_the_chart_tooltips(page, live_server):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, live_server, "lingdao")
    heatmap = page.request.get(f"{live_server.url}/dashboard/api/heatmap/").json()
    Member.objects.filter(pk=heatmap["members"][0]["id"]).update(short_name=XSS)
    Indicator.objects.filter(pk=heatmap["indicators"][0]["id"]).update(name=XSS)

    page.reload()
    wait_for_chart(page, "chart-heatmap")
    wait_for_chart(page, "chart-completeness")
    assert axis_data(page, "chart-heatmap", "xAxis")[0] == XSS
    assert axis_data(page, "chart-heatmap", "yAxis")[0] == XSS
    member_row = axis_data(page, "chart-completeness", "yAxis").index(XSS)

    assert hover_cell(page, "chart-heatmap", [0, 0]).count(XSS) == 2
    assert XSS in hover_cell(page, "chart-completeness", [0, member_row])
    page.wait_for_timeout(300)  # an <img src=x> would have failed to load by now
    assert page.locator("[data-dashboard] img").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__violations") == []


def test_the_filters_send_their_form_without_an_inline_handler(page, live_server):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, live_server, "lingdao")
    select = page.locator('[data-testid="filters"] select').first
    options = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    choice = next(value for value in options if value != select.input_value())
    with page.expect_navigation():
        select.select_option(choice)
    assert page.locator('[data-testid="filters"] select').first.input_value() == choice
    assert page.evaluate("window.__violations") == []
