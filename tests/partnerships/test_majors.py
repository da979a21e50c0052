"""The majors register (专业设置): scoped to the liaison's member, refusing bad input in Chinese,
and feeding the shares of majors that serve a leading industry and of majors with cooperation
agreements with two or more enterprises (each major ≥ 2 enterprises, 兰教职〔2019〕147号)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partnerships.models import CooperationAgreement, Enterprise, Major
from targets.models import Indicator, Plan
from targets.sources import SOURCES, indicator_actual

pytestmark = pytest.mark.django_db


def major(
    member, name="机电技术应用", *, year=2024, level="secondary", industry="equipment", **extra
):
    values = {"students": 120, "code": "", **extra}
    return Major.objects.create(
        member=member, year=year, level=level, name=name, leading_industry=industry, **values
    )


def agreement(member, firm, major_name, starts_on, ends_on):
    return CooperationAgreement.objects.create(
        member=member, enterprise=firm, major=major_name, starts_on=starts_on, ends_on=ends_on
    )


def indicator(source, *, year=2024, target=100):
    plan = Plan.objects.get_or_create(year=year, defaults={"title": f"{year} 年重点工作"})[0]
    return Indicator.objects.create(
        plan=plan, code=source, name=source, unit="%", kind="rate", target=target, source=source
    )


@pytest.fixture
def firms():
    return [
        Enterprise.objects.create(name=name, industry=industry)
        for name, industry in (("安徽环新集团", "汽车零部件"), ("安庆石化", "石油化工"))
    ]


# --- the register -------------------------------------------------------------------------------


def test_a_liaison_sees_and_exports_only_their_own_member_s_majors(
    client_for, liaison, school_a, school_b
):
    major(school_a, "甲校机电技术应用", students=321)
    other = major(school_b, "乙校化学工艺", students=654, industry="chemicals")
    client = client_for(liaison)
    listing = client.get(reverse("partnerships:majors-list")).content.decode()
    assert "甲校机电技术应用" in listing
    assert "乙校" not in listing and school_b.name not in listing
    export = client.get(reverse("partnerships:majors-export"))
    cells = [
        str(cell.value)
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert "甲校机电技术应用" in cells and "高端装备制造" in cells and "321" in cells
    assert not any("乙校" in text or school_b.name in text or "654" in text for text in cells)
    for url in (
        reverse("partnerships:majors-update", args=[other.pk]),
        reverse("partnerships:majors-history", args=[other.pk]),
    ):
        assert client.get(url).status_code == 404
    refused = client.post(
        reverse("partnerships:majors-update", args=[other.pk]),
        {"year": 2024, "name": "改名", "level": "secondary", "leading_industry": "none"}
        | {"students": 1},
    )
    assert refused.status_code == 404
    assert Major.objects.get(pk=other.pk).name == "乙校化学工艺"


def test_the_secretariat_sees_every_member_s_majors_with_their_total(
    client_for, secretariat, school_a, school_b
):
    major(school_a, students=321)
    major(school_b, "化学工艺", students=654, industry="chemicals")
    major(school_b, "会计事务", students=25, industry="none")
    page = client_for(secretariat).get(reverse("partnerships:majors-list"), {"year": 2024})
    assert page.status_code == 200
    assert [m.name for m in page.context["table"].data] == ["机电技术应用", "会计事务", "化学工艺"]
    assert page.context["table"].columns["students"].footer == "1,000"
    unmatched = client_for(secretariat).get(
        reverse("partnerships:majors-list"), {"leading_industry": "none"}
    )
    assert [m.name for m in unmatched.context["table"].data] == ["会计事务"]


def test_a_liaison_s_new_major_belongs_to_their_member(client_for, liaison, school_a, school_b):
    response = client_for(liaison).post(
        reverse("partnerships:majors-create"),
        {
            "member": school_b.pk,
            "year": 2024,
            "name": "数控技术应用",
            "code": "660103",
            "level": "secondary",
            "leading_industry": "equipment",
            "students": 86,
        },
    )
    assert response.status_code == 302
    saved = Major.objects.get()
    assert (saved.member, saved.name, saved.students) == (school_a, "数控技术应用", 86)
    assert saved.history.get().history_user == liaison


def test_a_liaison_keeps_their_own_major(client_for, liaison, school_a):
    own = major(school_a, industry="none")
    response = client_for(liaison).post(
        reverse("partnerships:majors-update", args=[own.pk]),
        {
            "year": 2024,
            "name": own.name,
            "code": "660301",
            "level": "secondary",
            "leading_industry": "equipment",
            "students": 130,
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.leading_industry, own.students, own.code) == ("equipment", 130, "660301")


VALID = {
    "year": 2024,
    "name": "汽车运用与维修",
    "code": "700206",
    "level": "secondary",
    "leading_industry": "auto",
    "students": 90,
}


MESSAGE_CODE = (
    "专业代码须与专业目录一致，由数字组成（如 460702），国家控制专业末尾加 K（如 570102K）。"
)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"students": "-3"}, "students", "确保该值大于或等于0。"),
        ({"students": "1000000"}, "students", "不能超过 100000，请核对数字。"),
        ({"code": "70O206"}, "code", MESSAGE_CODE),
        ({"code": "5701K02"}, "code", MESSAGE_CODE),
        ({"code": "K"}, "code", MESSAGE_CODE),
        ({"year": "1999"}, "year", "确保该值大于或等于2000。"),
        ({"year": "2101"}, "year", "确保该值小于或等于2100。"),
        ({"leading_industry": "textiles"}, "leading_industry", "选择一个有效的选项。"),
    ],
)
def test_a_bad_major_is_refused_in_chinese_and_nothing_written(
    client_for, secretariat, school_a, changes, field, message
):
    data = {"member": school_a.pk, **VALID, **changes}
    response = client_for(secretariat).post(reverse("partnerships:majors-create"), data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Major.objects.exists()


def test_a_major_code_typed_in_full_width_digits_is_kept_as_digits(
    client_for, secretariat, school_a
):
    data = {"member": school_a.pk, **VALID, "code": "７００２０６"}
    response = client_for(secretariat).post(reverse("partnerships:majors-create"), data)
    assert response.status_code == 302
    assert Major.objects.get().code == "700206"


@pytest.mark.parametrize("who", ["secretariat", "liaison"])
def test_the_same_major_twice_in_a_year_and_level_is_refused(client_for, request, school_a, who):
    major(school_a, "汽车运用与维修", students=90)
    response = client_for(request.getfixturevalue(who)).post(
        reverse("partnerships:majors-create"), {"member": school_a.pk, **VALID, "students": 95}
    )
    assert response.status_code == 200
    assert "该成员单位在该年度、该层次已有同名专业。" in response.content.decode()
    assert list(Major.objects.values_list("students", flat=True)) == [90]


def test_the_same_major_at_another_level_or_in_another_year_is_accepted(
    client_for, secretariat, school_a, school_b
):
    major(school_a, "汽车运用与维修")
    client = client_for(secretariat)
    url = reverse("partnerships:majors-create")
    for changes in ({"level": "higher"}, {"year": 2023}, {"member": school_b.pk}):
        response = client.post(url, {"member": school_a.pk, **VALID, **changes})
        assert response.status_code == 302, response.context["form"].errors
    assert Major.objects.count() == 4


# --- the share of majors serving a leading industry ----------------------------------------------


def test_the_leading_industry_share_is_weighted_by_the_members_majors(school_a, school_b):
    major(school_a, "机电技术应用", industry="equipment")
    major(school_a, "计算机应用", industry="digital")
    major(school_a, "会计事务", industry="none")
    major(school_b, "幼儿保育", industry="none")
    major(school_b, "化学工艺", year=2023, industry="chemicals")  # another year
    actual = indicator_actual(indicator("partnerships.majors_leading_industry", target=75))
    assert actual.basis == "2 / 4"
    assert actual.group == 50  # 2 of 4 majors, not the average of 66.7% and 0%
    assert actual.per_member == {school_a.pk: Decimal("66.7"), school_b.pk: 0}
    assert actual.restricted_to([school_b.pk]).group == 0


def test_a_year_without_majors_has_no_leading_industry_share(school_a):
    major(school_a, year=2023)
    actual = indicator_actual(indicator("partnerships.majors_leading_industry"))
    assert actual.group is None


# --- the share of majors with two partner enterprises --------------------------------------------


def test_the_two_enterprise_share_counts_distinct_firms_in_force_that_year(
    school_a, school_b, firms
):
    huanxin, shihua = firms
    before, during, later = date(2021, 9, 1), date(2027, 8, 31), date(2025, 1, 1)
    major(school_a, "机电技术应用")  # two firms: counts
    agreement(school_a, huanxin, "机电技术应用", before, during)
    agreement(school_a, shihua, "机电技术应用", before, during)
    major(school_a, "数控技术应用")  # two agreements, one firm
    agreement(school_a, huanxin, "数控技术应用", before, during)
    agreement(school_a, huanxin, "数控技术应用", date(2024, 3, 1), during)
    major(school_a, "计算机应用")  # its second firm's agreement expired in 2023
    agreement(school_a, huanxin, "计算机应用", before, during)
    agreement(school_a, shihua, "计算机应用", before, date(2023, 12, 31))
    major(school_a, "会计事务", industry="none")  # no agreement at all: still a major
    agreement(school_a, shihua, "会计事务", later, during)  # signed after the year
    agreement(school_b, shihua, "会计事务", before, during)  # another member's
    major(school_b, "化学工艺", industry="chemicals")
    agreement(school_b, huanxin, "化学工艺", before, during)
    agreement(school_b, shihua, "化学工艺", before, during)

    actual = indicator_actual(indicator("partnerships.majors_two_enterprises"))
    assert actual.basis == "2 / 5"
    assert actual.group == 40  # 2 of 5 majors, not the average of 25% and 100%
    assert actual.per_member == {school_a.pk: 25, school_b.pk: 100}
    without = indicator_actual(indicator("partnerships.majors_without_agreement"))
    assert without.per_member == {school_a.pk: 1, school_b.pk: 0}
    assert without.group == 1


def test_an_agreement_in_force_on_one_day_of_the_year_counts_for_it(school_a, firms):
    huanxin, shihua = firms
    for year in (2023, 2024, 2025):
        major(school_a, "机电技术应用", year=year)
    # Ends on the first day of 2024, starts on its last: both in force in 2024, one a year else.
    agreement(school_a, huanxin, "机电技术应用", date(2020, 9, 1), date(2024, 1, 1))
    agreement(school_a, shihua, "机电技术应用", date(2024, 12, 31), date(2027, 8, 31))
    actuals = SOURCES["partnerships.majors_two_enterprises"].compute([2023, 2024, 2025], None)
    assert {year: actual.group for year, actual in actuals.items()} == {
        2023: 0,
        2024: 100,
        2025: 0,
    }


def test_a_major_matches_agreements_on_its_name_with_spaces_trimmed(school_a, firms):
    major(school_a, "机电技术应用")
    for firm in firms:
        agreement(school_a, firm, " 机电技术应用 ", date(2022, 9, 1), date(2027, 8, 31))
    assert indicator_actual(indicator("partnerships.majors_two_enterprises")).group == 100


def test_the_sources_take_the_same_queries_for_two_majors_or_forty(school_a, school_b, firms):
    def queries(count):
        Major.objects.all().delete()
        for n in range(count):
            school = school_a if n % 2 else school_b
            major(school, f"专业{n}")
            agreement(school, firms[n % 2], f"专业{n}", date(2022, 9, 1), date(2027, 8, 31))
        with CaptureQueriesContext(connection) as captured:
            for code in (
                "partnerships.majors_leading_industry",
                "partnerships.majors_two_enterprises",
                "partnerships.majors_without_agreement",
            ):
                SOURCES[code].compute([2023, 2024], timezone.now())
        return len(captured)

    assert queries(2) == queries(40) <= 5


# --- as of a cut-off ------------------------------------------------------------------------------


def test_the_shares_are_worked_out_from_the_registers_as_they_stood_at_the_cut_off(school_a, firms):
    huanxin, shihua = firms
    machining = major(school_a, "机电技术应用", industry="none")
    major(school_a, "会计事务", industry="none")
    agreement(school_a, huanxin, "机电技术应用", date(2022, 9, 1), date(2027, 8, 31))
    cut_off = timezone.now()
    machining.leading_industry = "equipment"
    machining.save()
    agreement(school_a, shihua, "机电技术应用", date(2022, 9, 1), date(2027, 8, 31))
    major(school_a, "计算机应用", industry="digital")

    leading = indicator("partnerships.majors_leading_industry")
    assert indicator_actual(leading, as_of=cut_off).basis == "0 / 2"
    assert indicator_actual(leading).basis == "2 / 3"
    two = indicator("partnerships.majors_two_enterprises")
    assert indicator_actual(two, as_of=cut_off).basis == "0 / 2"
    assert indicator_actual(two).basis == "1 / 3"
    without = indicator("partnerships.majors_without_agreement")
    assert indicator_actual(without, as_of=cut_off).group == 1
    assert indicator_actual(without).group == 2


def test_an_agreement_deleted_after_the_cut_off_still_counts_as_of_then(school_a, firms):
    major(school_a, "机电技术应用")
    signed = [
        agreement(school_a, firm, "机电技术应用", date(2022, 9, 1), date(2027, 8, 31))
        for firm in firms
    ]
    cut_off = timezone.now()
    signed[1].delete()
    two = indicator("partnerships.majors_two_enterprises")
    assert indicator_actual(two, as_of=cut_off).group == 100
    assert indicator_actual(two).group == 0


def test_a_code_under_national_control_keeps_its_k(client_for, secretariat, school_a):
    data = {"member": school_a.pk, **VALID, "name": "学前教育", "code": "570102k"}
    response = client_for(secretariat).post(reverse("partnerships:majors-create"), data)
    assert response.status_code == 302
    assert Major.objects.get().code == "570102K"
