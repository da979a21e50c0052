"""Leadership reads the year on the dashboard, drills into what is behind, filters by county;
a liaison's dashboard is their own school's. The charts are checked on the rendered canvas."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import digits, sign_in

pytestmark = pytest.mark.usefixtures("demo")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Counts the canvas pixels close to each colour of the heatmap's scale.
COUNT_COLOURS = """(el) => {
  const canvas = el.querySelector("canvas");
  const {data} = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  const want = {red: [220, 53, 69], orange: [253, 126, 20], green: [25, 135, 84]};
  const counts = {red: 0, orange: 0, green: 0};
  for (let i = 0; i < data.length; i += 4) {
    for (const [name, [r, g, b]] of Object.entries(want)) {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30) {
        counts[name] += 1;
      }
    }
  }
  return counts;
}"""


def headline(page: Page, code: str):
    return page.locator(f'[data-testid="headline"][data-code="{code}"]')


def wait_for_chart(page: Page, testid: str):
    chart = page.get_by_test_id(testid)
    expect(chart.locator("canvas")).to_have_count(1)
    page.wait_for_function(
        "id => { const i = echarts.getInstanceByDom(document.getElementById(id));"
        " return i && i.getOption() && i.getOption().series.length > 0; }",
        arg=chart.get_attribute("id"),
    )
    page.wait_for_timeout(1200)  # ECharts' entrance animation (bars grow for about a second)
    return chart


def test_leadership_opens_on_2024_the_latest_year_under_way(page, live_server):
    sign_in(page, live_server, "lingdao")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.locator("h1")).to_contain_text("2024")
    training = headline(page, "training")
    expect(training).to_have_attribute("data-state", "done")
    assert digits(training.get_by_test_id("actual").inner_text()) == "41075"
    expect(training).to_contain_text("40,000")
    expect(headline(page, "local-employment")).to_have_attribute("data-state", "done")
    wait_for_chart(page, "chart-heatmap")
    wait_for_chart(page, "chart-years")


def test_leadership_reads_the_year_and_drills_into_what_is_behind(page, live_server):
    sign_in(page, live_server, "lingdao")
    page.goto(f"{live_server.url}/dashboard/?year=2020")
    expect(page.locator("h1")).to_contain_text("2020")
    enrollment = headline(page, "enrollment-plan")
    expect(enrollment).to_have_attribute("data-state", "done")
    assert digits(enrollment.get_by_test_id("actual").inner_text()) == "13708"
    expect(enrollment).to_contain_text("13,546")
    behind = page.get_by_test_id("behind-summary")
    expect(behind).to_contain_text("职业院校招生增长")
    expect(headline(page, "enrollment-growth")).to_have_attribute("data-state", "behind")

    heatmap = wait_for_chart(page, "chart-heatmap")
    wait_for_chart(page, "chart-completeness")
    wait_for_chart(page, "chart-quarters")
    wait_for_chart(page, "chart-years")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard-leadership.png", full_page=True)
    colours = heatmap.evaluate(COUNT_COLOURS)
    # Schools both over and far under their enrollment-growth targets: both ends of the scale.
    assert colours["green"] > 500 and colours["red"] > 500, colours
    expect(page.locator("#trend-indicator")).to_contain_text("毕业生本地就业率")

    # A heatmap cell leads to the indicator's members, at that member's row.
    point = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-heatmap'))"
        ".convertToPixel({seriesIndex: 0}, [0, 0])"
    )
    heatmap.scroll_into_view_if_needed()
    box = heatmap.locator("canvas").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    expect(page).to_have_url(re.compile(r"/dashboard/indicators/\d+/.*#member-\d+$"))
    expect(page.get_by_test_id("drill-members")).to_be_visible()

    page.goto(f"{live_server.url}/dashboard/?year=2020")
    behind.get_by_role("link", name="职业院校招生增长").click()
    rows = page.get_by_test_id("drill-members").locator("tbody tr")
    expect(rows.first).to_have_attribute("data-state", "behind")
    first_school = rows.first.get_attribute("data-member")
    rows.first.get_by_role("link", name=re.compile("台账记录")).click()
    expect(page).to_have_url(re.compile(r"/registers/enrollment/\?year=2020&member=\d+"))
    expect(page.locator("main table tbody")).to_contain_text(first_school)


def test_filters_recompute_the_figures_for_the_county_schools(page, live_server):
    sign_in(page, live_server, "lingdao")
    page.goto(f"{live_server.url}/dashboard/?year=2020")
    page.select_option("#id_location", "county")
    expect(page).to_have_url(re.compile(r"location=county"))
    enrollment = headline(page, "enrollment-plan")
    expect(enrollment).to_contain_text("5,530")  # the county schools' quotas (domain brief)
    heatmap = wait_for_chart(page, "chart-heatmap")
    names = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-heatmap'))"
        ".getOption().yAxis[0].data"
    )
    assert len(names) == 8 and "安庆职院" not in names, names
    assert heatmap.is_visible()


def test_it_fits_a_phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, "lingdao")
    wait_for_chart(page, "chart-heatmap")
    wait_for_chart(page, "chart-years")
    page.screenshot(path=SCREENSHOTS / "dashboard-phone.png", full_page=True)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()


def test_a_liaisons_dashboard_is_their_own_school(page, live_server):
    sign_in(page, live_server, "lianluo")
    page.goto(f"{live_server.url}/dashboard/?year=2020")
    enrollment = headline(page, "enrollment-plan")
    expect(enrollment).to_contain_text("792")  # 安庆工业学校's own quota
    wait_for_chart(page, "chart-heatmap")
    names = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-heatmap'))"
        ".getOption().yAxis[0].data"
    )
    assert names == ["安庆工校"]
    response = page.request.get(f"{live_server.url}/dashboard/api/completeness/?year=2020")
    assert "安徽化工学校" not in response.text()


def click_chart_point(page: Page, testid: str, series: int, point: list):
    chart = page.get_by_test_id(testid)
    chart.scroll_into_view_if_needed()
    x, y = page.evaluate(
        "([id, series, point]) => echarts.getInstanceByDom(document.getElementById(id))"
        ".convertToPixel({seriesIndex: series}, point)",
        [chart.get_attribute("id"), series, point],
    )
    box = chart.locator("canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_the_trend_and_quarter_charts_lead_to_their_year_and_submissions(page, live_server):
    sign_in(page, live_server, "lingdao")
    page.goto(f"{live_server.url}/dashboard/?year=2024")
    expect(page.locator("h1")).to_contain_text("2024")
    wait_for_chart(page, "chart-years")
    expect(page.locator("#trend-indicator")).to_contain_text("高职毕业生留地就业率")
    # The 2020 bar of local employment (31.4% against 30%) opens the 2020 dashboard.
    click_chart_point(page, "chart-years", 1, [0, 25])
    expect(page).to_have_url(re.compile(r"year=2020"))
    expect(page.locator("h1")).to_contain_text("2020")
    wait_for_chart(page, "chart-quarters")
    click_chart_point(page, "chart-quarters", 0, [0, 10])  # Q1's done tasks
    expect(page).to_have_url(re.compile(r"/submissions/\?year=2020&quarter=1$"))
