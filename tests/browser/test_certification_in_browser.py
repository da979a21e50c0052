"""Certification (认定) and the annual assessment (年度考核) in the browser, on the Anqing demo:
a liaison submits a record with its evidence and the secretariat decides it, certifying moves a
reward from the pending list into the group total, the secretariat runs the 2020 assessment, a
liaison reads their own score sheet on a phone, and the dashboard's ranking."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessment.models import Criterion, MemberScore
from certification.models import Certification
from partnerships.models import OrderClass
from rewards.services import reward_summary

from .conftest import digits, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def accept_dialogs(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def new_page(browser, **kwargs):
    context = browser.new_context(
        locale="zh-CN", viewport=kwargs.pop("viewport", {"width": 1366, "height": 800})
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def certifications_of(record):
    return Certification.objects.filter(object_id=record.pk, content_type__model="orderclass")


def yuan_in(text: str) -> int:
    found = re.search(r"¥\s*([\d,，.]+)", text)
    assert found, text
    return int(Decimal(digits(found.group(1))))


def test_a_liaison_submits_a_class_with_evidence_and_the_secretariat_certifies_it(
    page, browser, live_server, tmp_path
):
    own = OrderClass.objects.get(year=2024, member__name="安庆工业学校", students=19)
    assert not certifications_of(own).exists()
    sign_in(page, live_server, "lianluo")
    page.goto(f"{live_server.url}/registers/order-classes/")
    row = page.locator("main table tbody tr").filter(has_text="计算机应用").filter(has_text="2024")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("19")
    row.locator(f"a[href*='/{own.pk}/']").first.click()
    card = page.get_by_test_id("certification-card")
    expect(card.get_by_test_id("certification-state")).to_have_text("未提交认定")
    card.get_by_test_id("certification-submit").click()

    form = page.get_by_test_id("certification-submit-form")
    form.get_by_role("button", name="提交认定").click()
    # Said once.
    expect(form.get_by_text("认定须附至少一份证明材料")).to_have_count(1)
    assert not certifications_of(own).exists()

    evidence = tmp_path / "订单班协议.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    form.locator("input[type=file]").set_input_files(str(evidence))
    form.get_by_role("button", name="提交认定").click()
    expect(page).to_have_url(re.compile(r"/certification/\d+/$"))
    expect(page.get_by_test_id("certification-status")).to_have_text("待认定")
    expect(page.get_by_test_id("certification-evidence")).to_contain_text("订单班协议.pdf")
    submitted = certifications_of(own).get()
    assert submitted.status == Certification.Status.SUBMITTED

    context, secretariat = new_page(browser)
    try:
        accept_dialogs(secretariat)
        sign_in(secretariat, live_server, "mishu")
        secretariat.goto(f"{live_server.url}/certification/?status=submitted")
        queued = secretariat.locator("main table tbody tr").filter(has_text="安庆工业学校")
        queued.get_by_role("link").first.click()
        expect(secretariat).to_have_url(re.compile(rf"/certification/{submitted.pk}/$"))
        decide = secretariat.get_by_test_id("certification-decide")
        decide.get_by_role("button", name="不予认定").click()
        expect(secretariat.locator("main")).to_contain_text("请填写不予认定的理由")
        submitted.refresh_from_db()
        assert submitted.status == Certification.Status.SUBMITTED
        expect(secretariat.get_by_test_id("certification-status")).to_have_text("待认定")

        secretariat.get_by_test_id("certification-certify").click()
        expect(secretariat.get_by_test_id("certification-status")).to_have_text("已认定")
        expect(secretariat.get_by_test_id("certification-decided")).to_contain_text("张玉国")
        expect(secretariat.get_by_test_id("certification-decide")).to_have_count(0)
    finally:
        context.close()
    submitted.refresh_from_db()
    assert submitted.status == Certification.Status.CERTIFIED

    page.goto(f"{live_server.url}/registers/order-classes/")
    row = page.locator("main table tbody tr").filter(has_text="计算机应用").filter(has_text="2024")
    expect(row.get_by_test_id("certification-state")).to_have_text("已认定")


def test_certifying_an_awaiting_class_moves_its_reward_into_the_group_total(page, live_server):
    accept_dialogs(page)
    before = reward_summary(2024)
    sign_in(page, live_server, "mishu")
    page.goto(f"{live_server.url}/rewards/summary/?year=2024")
    pending = page.get_by_test_id("pending-rewards").locator("tbody tr")
    anhui = pending.filter(has_text="安徽理工学校")
    expect(anhui).to_have_count(1)
    assert yuan_in(anhui.locator("td").last.inner_text()) == 100_000
    huaining = pending.filter(has_text="怀宁县独秀初级中学")
    expect(huaining).to_have_count(1)
    assert yuan_in(huaining.locator("td").last.inner_text()) == 75_000
    tongcheng = pending.filter(has_text="桐城中华职业学校")
    expect(tongcheng).to_have_count(1)
    rejected = Certification.objects.get(
        member__name="桐城中华职业学校", year=2024, status=Certification.Status.REJECTED
    )
    expect(tongcheng.locator(".text-danger")).to_contain_text(rejected.reason)

    def shown_totals():
        total = page.locator("main p").filter(has_text="奖补总额").locator("strong").first
        note = page.locator("#pending + p")
        return yuan_in(total.inner_text()), yuan_in(note.inner_text())

    group_before, pending_before = shown_totals()
    assert group_before == before.group_total
    assert pending_before == before.pending_total

    page.goto(f"{live_server.url}/certification/?status=submitted")
    page.locator("main table tbody tr").filter(has_text="安徽理工学校").get_by_role(
        "link"
    ).first.click()
    page.get_by_test_id("certification-certify").click()
    expect(page.get_by_test_id("certification-status")).to_have_text("已认定")

    after = reward_summary(2024)
    page.goto(f"{live_server.url}/rewards/summary/?year=2024")
    group_after, pending_after = shown_totals()
    assert pending_before - pending_after == 100_000
    assert group_after == after.group_total
    # 100,000 plus whatever the grade rule of 安徽理工学校's 2024 grade makes of its new total
    # (a share added, or taken off for a low grade), as the service computes it.
    assert group_after - group_before == after.group_total - before.group_total
    anhui_after = next(row for row in after.members if row.name == "安徽理工学校")
    assert any(line.amount == 100_000 for line in anhui_after.rewards)
    expect(
        page.get_by_test_id("pending-rewards").locator("tbody tr").filter(has_text="安徽理工学校")
    ).to_have_count(0)


def test_the_secretariat_runs_the_2020_assessment(page, live_server):
    accept_dialogs(page)
    sign_in(page, live_server, "mishu")
    page.goto(f"{live_server.url}/assessment/")
    page.fill("input[name=year]", "2020")
    page.get_by_role("button", name="按默认规则开始").click()
    expect(page).to_have_url(re.compile(r"/assessment/2020/$"))
    page.get_by_role("link", name="编辑考核规则").or_(
        page.locator("a[href$='/assessment/2020/rules/']")
    ).first.click()
    expect(page).to_have_url(re.compile(r"/assessment/2020/rules/$"))

    weights = {c.pk: c.weight for c in Criterion.objects.filter(assessment__year=2020)}
    first = page.locator("input[name='criteria-0-weight']")
    weight = Decimal(first.input_value())
    first.fill(str(weight - 5))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_test_id("rules-errors")).to_contain_text("各项权重合计须为 100，现为 95")
    assert {c.pk: c.weight for c in Criterion.objects.filter(assessment__year=2020)} == weights

    page.locator("input[name='criteria-0-weight']").fill(str(weight))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(re.compile(r"/assessment/2020/$"))
    page.get_by_role("button", name="计算", exact=True).click()
    results = page.get_by_test_id("assessment-results").locator("tbody tr")
    expect(results.first.locator("a")).to_have_count(1)

    name = results.first.locator("a").inner_text()
    score = MemberScore.objects.get(assessment__year=2020, member__name=name)
    results.first.locator("a").click()
    page.get_by_role("link", name="调整得分").click()
    page.fill("input[name=adjustment]", "9")
    page.fill("textarea[name=adjustment_reason]", "超出上限的调整")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("main")).to_contain_text("调整幅度最多为正负 5 分，9 超出了范围")
    score.refresh_from_db()
    assert score.adjustment == 0

    page.fill("input[name=adjustment]", "3")
    page.fill("textarea[name=adjustment_reason]", "")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("main")).to_contain_text("请填写调整理由")
    score.refresh_from_db()
    assert score.adjustment == 0

    page.fill("input[name=adjustment]", "3")
    page.fill("textarea[name=adjustment_reason]", "承办全市技能大赛，额外加分")
    page.get_by_role("button", name="保存", exact=True).click()
    score.refresh_from_db()
    assert score.adjustment == 3
    expect(page.get_by_test_id("adjustment-history")).to_contain_text("承办全市技能大赛")
    page.get_by_role("link", name="全部结果").or_(
        page.locator("a[href$='/assessment/2020/']")
    ).first.click()
    line = page.get_by_test_id("assessment-results").locator("tbody tr").filter(has_text=name)
    cells = line.locator("td")
    expect(line).to_have_count(1)
    assert Decimal(cells.nth(-2).inner_text()) == score.score == score.computed + 3

    page.get_by_role("button", name="确认", exact=True).click()
    expect(page.locator("h1 .badge")).to_have_text("已确认")
    expect(page.get_by_role("button", name="计算", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="重新计算", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="确认", exact=True)).to_have_count(0)


def test_a_liaison_reads_their_own_score_sheet_on_a_phone(browser, live_server):
    context, page = new_page(browser, viewport={"width": 390, "height": 844})
    try:
        sign_in(page, live_server, "lianluo")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        page.locator("#main-nav").get_by_role("link", name="考核").click()
        page.get_by_test_id("assessment-list").locator("tbody tr").filter(
            has_text="2024"
        ).get_by_role("link", name="本单位得分表").click()
        own = MemberScore.objects.get(assessment__year=2024, member__name="安庆工业学校")
        expect(page).to_have_url(re.compile(rf"/assessment/2024/members/{own.member_id}/$"))
        basis = page.get_by_test_id("score-basis").locator("tbody tr")
        expect(basis).to_have_count(len(own.basis))
        for item, shown in zip(own.basis, basis.all(), strict=True):
            expect(shown).to_contain_text(item["label"])
            expect(shown).to_contain_text(str(item["basis"]))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width

        other = MemberScore.objects.filter(assessment__year=2024).exclude(pk=own.pk).first()
        response = page.goto(f"{live_server.url}/assessment/2024/members/{other.member_id}/")
        assert response.status == 404
    finally:
        context.close()


def test_the_dashboard_ranks_the_members_and_a_liaison_sees_only_their_own(
    page, browser, live_server
):
    sign_in(page, live_server, "lingdao")
    page.goto(f"{live_server.url}/dashboard/?year=2024")
    ranking = page.get_by_test_id("assessment-ranking")
    expect(ranking).to_be_visible()
    assert ranking.locator("ol").count() >= 2  # members of several kinds, one list per kind
    scored = MemberScore.objects.filter(assessment__year=2024).count()
    expect(ranking.locator("li")).to_have_count(scored)

    context, liaison = new_page(browser)
    try:
        sign_in(liaison, live_server, "lianluo")
        liaison.goto(f"{live_server.url}/dashboard/?year=2024")
        own = liaison.get_by_test_id("assessment-ranking").locator("li")
        expect(own).to_have_count(1)
        expect(own.locator("[title]")).to_have_attribute("title", "安庆工业学校")
    finally:
        context.close()
