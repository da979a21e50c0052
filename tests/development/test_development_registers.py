"""The development registers (social training, teacher development, research topics, colleges)
and students on roll: scoped to the liaison's member, refusing bad input in Chinese, and feeding
the indicators that had no source (training person-times, new teachers, research topics,
colleges, students on roll)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from development.models import College, ResearchTopic, TeacherDevelopment, TrainingCourse
from enrollment.models import StudentsOnRoll
from targets.models import Indicator, Plan
from targets.sources import indicator_actual

pytestmark = pytest.mark.django_db


def course(member, *, year=2020, person_times=500, title="农民工技能培训", **extra):
    values = {
        "member": member,
        "year": year,
        "title": title,
        "audience": TrainingCourse.Audience.MIGRANT,
        "starts_on": date(year, 5, 10),
        "ends_on": date(year, 5, 20),
        "days": 10,
        "person_times": person_times,
        **extra,
    }
    return TrainingCourse.objects.create(**values)


def records_of(school_a, school_b):
    """One record of each register for each school, A's texts marked 甲校, B's 乙校."""
    made = {}
    for school, mark in ((school_a, "甲校"), (school_b, "乙校")):
        made[school.pk] = {
            "training": course(school, title=f"{mark}培训班"),
            "teacher-development": TeacherDevelopment.objects.create(
                member=school, year=2020, kind="recruited", persons=2, notes=f"{mark}引进"
            ),
            "research-topics": ResearchTopic.objects.create(
                member=school, year=2020, title=f"{mark}课题", level="city"
            ),
            "colleges": College.objects.create(
                member=school, name=f"{mark}汽车学院", kind="secondary", founded=2020
            ),
        }
    return made


@pytest.mark.parametrize("slug", ["training", "teacher-development", "research-topics", "colleges"])
def test_a_liaison_sees_and_exports_only_their_own_member_s_records(
    client_for, liaison, school_a, school_b, slug
):
    made = records_of(school_a, school_b)
    client = client_for(liaison)
    listing = client.get(reverse(f"development:{slug}-list")).content.decode()
    assert school_a.name in listing and school_b.name not in listing and "乙校" not in listing
    export = client.get(reverse(f"development:{slug}-export"))
    cells = [
        str(cell.value)
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert school_a.name in cells
    assert not any("乙校" in text or school_b.name in text for text in cells)
    other = made[school_b.pk][slug]
    for url in (
        reverse(f"development:{slug}-update", args=[other.pk]),
        reverse(f"development:{slug}-history", args=[other.pk]),
    ):
        assert client.get(url).status_code == 404


def test_a_liaison_s_new_course_belongs_to_their_member(client_for, liaison, school_a, school_b):
    response = client_for(liaison).post(
        reverse("development:training-create"),
        {
            "member": school_b.pk,
            "year": 2020,
            "title": "家政服务培训",
            "audience": "public",
            "starts_on": "2020-06-01",
            "ends_on": "2020-06-05",
            "days": 5,
            "person_times": 120,
        },
    )
    assert response.status_code == 302
    assert TrainingCourse.objects.get().member == school_a


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"starts_on": "2019-12-20"}, "starts_on", "培训开始日期不在所填年度 2020 年内。"),
        ({"ends_on": "2020-05-01"}, "ends_on", "培训结束日期早于开始日期。"),
        ({"person_times": "9999999"}, "person_times", "不能超过 100000，请核对数字。"),
        ({"person_times": "-5"}, "person_times", "确保该值大于或等于0。"),
        ({"days": "400"}, "days", "不能超过 366，请核对数字。"),
        ({"year": "1999"}, "year", "确保该值大于或等于2000。"),
    ],
)
def test_a_bad_course_is_refused_in_chinese_and_nothing_written(
    client_for, secretariat, school_a, changes, field, message
):
    data = {
        "member": school_a.pk,
        "year": 2020,
        "title": "电工培训",
        "audience": "workers",
        "starts_on": "2020-05-10",
        "ends_on": "2020-05-20",
        "days": 10,
        "person_times": 300,
        **changes,
    }
    response = client_for(secretariat).post(reverse("development:training-create"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not TrainingCourse.objects.exists()


def test_a_second_row_for_the_same_member_year_and_level_is_refused(
    client_for, secretariat, school_a
):
    StudentsOnRoll.objects.create(member=school_a, year=2024, level="secondary", students=2100)
    response = client_for(secretariat).post(
        reverse("enrollment:students-create"),
        {"member": school_a.pk, "year": 2024, "level": "secondary", "students": 2200},
    )
    assert response.status_code == 200
    assert "该成员单位在该年度、该层次已有记录。" in response.content.decode()
    assert StudentsOnRoll.objects.get().students == 2100


def indicator(source, *, year=2020, kind=Indicator.Kind.ABSOLUTE, target=20000):
    plan = Plan.objects.get_or_create(year=year, defaults={"title": f"{year} 年重点工作"})[0]
    return Indicator.objects.create(
        plan=plan, code=source, name=source, unit="人次", kind=kind, target=target, source=source
    )


def test_training_person_times_add_up_per_member_and_for_the_group(school_a, school_b):
    course(school_a, person_times=600)
    course(school_a, person_times=400, title="第二期")
    course(school_b, person_times=250)
    course(school_b, year=2021, person_times=9000)  # another year
    actual = indicator_actual(indicator("development.training_person_times"))
    assert actual.group == 1250
    assert actual.per_member == {school_a.pk: 1000, school_b.pk: 250}


def test_a_course_entered_after_the_cut_off_is_not_in_the_figure_as_of_then(school_a):
    course(school_a, person_times=600)
    cut_off = timezone.now()
    course(school_a, person_times=400, title="后补录的培训")
    source = indicator("development.training_person_times")
    assert indicator_actual(source, as_of=cut_off).group == 600
    assert indicator_actual(source).group == 1000
    assert indicator_actual(source, as_of=cut_off - timedelta(days=1)).group is None


def test_new_teachers_count_recruits_and_subject_leaders_not_placements(school_a, school_b):
    TeacherDevelopment.objects.create(member=school_a, year=2020, kind="recruited", persons=3)
    TeacherDevelopment.objects.create(member=school_b, year=2020, kind="leaders", persons=2)
    TeacherDevelopment.objects.create(member=school_b, year=2020, kind="placed", persons=9)
    assert indicator_actual(indicator("development.new_teachers", target=20)).group == 5
    assert indicator_actual(indicator("development.teachers_placed", target=100)).group == 9


def test_topics_and_colleges_are_counted_in_their_year(school_a, school_b):
    for school in (school_a, school_b):
        ResearchTopic.objects.create(member=school, year=2020, title="课题", level="city")
    ResearchTopic.objects.create(member=school_a, year=2019, title="旧课题", level="city")
    College.objects.create(member=school_a, name="汽车学院", kind="secondary", founded=2020)
    College.objects.create(member=school_b, name="专业学院", kind="professional", founded=2020)
    assert indicator_actual(indicator("development.research_topics", target=10)).group == 2
    assert indicator_actual(indicator("development.colleges.secondary", target=8)).group == 1
    assert indicator_actual(indicator("development.colleges.professional", target=7)).group == 1


def test_students_on_roll_are_summed_per_level(school_a, school_b):
    for school, higher, secondary in ((school_a, 9000, 1200), (school_b, 5100, 900)):
        StudentsOnRoll.objects.create(member=school, year=2024, level="higher", students=higher)
        StudentsOnRoll.objects.create(
            member=school, year=2024, level="secondary", students=secondary
        )
    higher = indicator("enrollment.students.higher", year=2024, target=14000)
    assert indicator_actual(higher).group == 14100
    assert indicator_actual(indicator("enrollment.students.secondary", year=2024)).group == 2100


def test_the_secretariat_picks_a_register_as_an_indicator_s_source(client_for, secretariat):
    plan = Plan.objects.create(year=2020, title="2020 年重点工作")
    client = client_for(secretariat)
    url = reverse("targets:indicator-create") + f"?plan={plan.pk}"
    page = client.get(url).content.decode()
    assert '<option value="development.training_person_times">社会培训（人次）</option>' in page
    assert "选择某本台账：按成员维护的台账记录" in page
    response = client.post(
        url,
        {
            "code": "training",
            "name": "各类社会培训",
            "unit": "人次",
            "kind": "absolute",
            "source": "development.training_person_times",
            "target": "20000",
            "position": 0,
            "trajectory-TOTAL_FORMS": 0,
            "trajectory-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get().source == "development.training_person_times"


def test_the_higher_vocational_employment_rate_reads_only_higher_vocational_graduates(
    school_a, school_b
):
    from enrollment.models import GraduateCount

    GraduateCount.objects.create(
        member=school_a, year=2024, level="higher", graduates=1000, employed_locally=420
    )
    GraduateCount.objects.create(
        member=school_a, year=2024, level="secondary", graduates=300, employed_locally=240
    )
    GraduateCount.objects.create(
        member=school_b, year=2024, level="secondary", graduates=500, employed_locally=100
    )
    higher = indicator("graduates.local_rate.higher", year=2024, kind="rate", target=40)
    assert indicator_actual(higher).group == 42
    every_level = indicator("graduates.local_rate", year=2024, kind="rate", target=30)
    actual = indicator_actual(every_level)
    assert actual.basis == "760 / 1800"  # one member's two levels added, not overwritten
    assert actual.per_member[school_a.pk] == Decimal("50.8")  # 660 / 1300


def test_apprentices_are_an_indicator_source(school_a, school_b):
    from partnerships.models import ApprenticeshipCohort, Enterprise

    firm = Enterprise.objects.create(name="环新集团", industry="汽车")
    for school, apprentices in ((school_a, 1200), (school_b, 950)):
        ApprenticeshipCohort.objects.create(
            member=school, enterprise=firm, major="数控", year=2022, apprentices=apprentices
        )
    apprentices = indicator("partnerships.apprentices", year=2022, target=2000)
    assert indicator_actual(apprentices).group == 2150
