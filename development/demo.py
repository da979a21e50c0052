"""Demo development records for the Anqing schools: social training, teachers brought in and
placed, and research topics in 2020, 2023 and 2024, and the colleges of 2020, so that the plans'
training, new-teacher, research and college indicators have figures and their trends points:
training is about 21,000 person-times in 2020 (target 20,000), 35,000 in 2023 and 41,000 in 2024
(target 40,000 a year). Invented but stable (seeded by the school's name); each record's history
is dated the day its course ended or it was approved."""

import random
from datetime import date, timedelta

from django.db import transaction

from jituan.demo import demo_record
from jituan.models import Member

from .models import College, Level, ResearchTopic, TeacherDevelopment, TrainingCourse

COURSES = [
    ("企业新型学徒制培训", TrainingCourse.Audience.WORKERS, "安徽环新集团有限公司"),
    ("农民工职业技能提升培训", TrainingCourse.Audience.MIGRANT, ""),
    ("退役军人就业技能培训", TrainingCourse.Audience.VETERANS, ""),
    ("高素质农民培育", TrainingCourse.Audience.FARMERS, ""),
    ("家政服务与养老护理培训", TrainingCourse.Audience.PUBLIC, ""),
    ("化工安全生产培训", TrainingCourse.Audience.WORKERS, "中国石化安庆分公司"),
]
TOPICS = [
    ("安庆职业技术学院", "产教融合背景下订单班培养模式研究", Level.PROVINCIAL),
    ("安庆职业技术学院", "“1+X”证书制度试点路径研究", Level.PROVINCIAL),
    ("安庆职业技术学院", "高职扩招学生分类培养研究", Level.CITY),
    ("安庆技师学院", "新型学徒制在技工院校的实践研究", Level.CITY),
    ("安庆工业学校", "中高职贯通培养课程衔接研究", Level.CITY),
    ("安徽化工学校", "化工专业群对接地方产业研究", Level.CITY),
    ("安徽理工学校", "职业院校“双师型”教师培养研究", Level.CITY),
    ("桐城中华职业学校", "县域职业学校服务乡村振兴研究", Level.CITY),
    ("太湖职业技术学校", "县域中职学校专业布局优化研究", Level.SCHOOL),
    ("皖江中等专业学校", "中职学生本地就业意愿调查研究", Level.SCHOOL),
    ("大别山科技学校", "山区职业学校实训基地共享研究", Level.SCHOOL),
]
# member, topic, level, year: the 2024 opinion's themes (consortia, through-training, local
# employment, industry colleges, rural revitalisation)
LATER_TOPICS = [
    ("安庆职业技术学院", "市域产教联合体运行机制研究", Level.PROVINCIAL, 2023),
    ("安庆职业技术学院", "高职毕业生留地就业影响因素与对策研究", Level.CITY, 2023),
    ("安庆技师学院", "技工院校现场工程师培养模式研究", Level.CITY, 2023),
    ("安庆工业学校", "“3+2”中高职一体化课程体系构建研究", Level.CITY, 2023),
    ("安徽化工学校", "化工产业学院“六位一体”建设路径研究", Level.CITY, 2023),
    ("大别山科技学校", "山区中职学校服务乡村振兴人才培养研究", Level.SCHOOL, 2023),
    ("安庆职业技术学院", "“1+2+2+N”集团化办学治理结构研究", Level.PROVINCIAL, 2024),
    ("安庆职业技术学院", "汽车产业学院校企协同育人机制研究", Level.CITY, 2024),
    ("安庆技师学院", "“双师型”兼职教师人才库建设与管理研究", Level.CITY, 2024),
    ("安庆工业学校", "中职学校校企合作班质量评价研究", Level.CITY, 2024),
    ("安徽理工学校", "中职学校办学条件达标路径研究", Level.CITY, 2024),
    ("桐城中华职业学校", "高职专业学院县域办学模式研究", Level.SCHOOL, 2024),
    ("太湖职业技术学校", "县域中职学生本地就业创业指导研究", Level.SCHOOL, 2024),
]
COLLEGES = [
    ("安庆职业技术学院", "汽车学院", College.Kind.SECONDARY, "安徽环新集团有限公司"),
    ("安庆职业技术学院", "化工学院", College.Kind.SECONDARY, "中国石化安庆分公司"),
    ("安庆职业技术学院", "数字经济学院", College.Kind.SECONDARY, "安庆数字科技有限公司"),
    ("安庆技师学院", "智能制造学院", College.Kind.SECONDARY, ""),
    ("安庆工业学校", "机电工程学院", College.Kind.SECONDARY, ""),
    ("安徽化工学校", "石油化工学院", College.Kind.SECONDARY, "中国石化安庆分公司"),
    ("桐城中华职业学校", "安庆职院桐城专业学院", College.Kind.PROFESSIONAL, ""),
    ("太湖职业技术学校", "安庆职院太湖专业学院", College.Kind.PROFESSIONAL, ""),
    ("皖江中等专业学校", "安庆职院望江专业学院", College.Kind.PROFESSIONAL, ""),
    ("宿松县中德职业技术学校", "安庆职院宿松专业学院", College.Kind.PROFESSIONAL, ""),
    ("大别山科技学校", "安庆职院岳西专业学院", College.Kind.PROFESSIONAL, ""),
]


@transaction.atomic
def demo_seed_development() -> int:
    members = {m.name: m for m in Member.objects.all()}
    schools = list(Member.objects.schools().order_by("name"))
    courses = 0
    # 2020: ~21,000 person-times against 20,000; 2023: ~35,000; 2024: ~41,000 against 40,000.
    for year, scale, last_month in ((2020, 1.0, 12), (2023, 1.73, 12), (2024, 2.06, 12)):
        for school in schools:
            rng = random.Random(f"{school.name}{year}")
            months = sorted(rng.randint(3, last_month - 1) for _course in range(3))
            for index, month in enumerate(months):
                title, audience, enterprise = COURSES[rng.randrange(len(COURSES))]
                starts = date(year, month, rng.randint(1, 20))
                days = rng.randint(3, 20)
                demo_record(
                    TrainingCourse,
                    lookup={"member": school, "year": year, "title": f"{title}（第{index + 1}期）"},
                    versions=[
                        (
                            starts + timedelta(days=days),
                            {
                                "audience": audience,
                                "enterprise": enterprise,
                                "starts_on": starts,
                                "ends_on": starts + timedelta(days=days),
                                "days": days,
                                "person_times": round(rng.randint(300, 700) * scale),
                            },
                        )
                    ],
                )
                courses += 1
    for school in schools:
        _teacher_development(school)
    demo_record(
        TeacherDevelopment,
        lookup={"member": members["安庆职业技术学院"], "year": 2020, "kind": "leaders"},
        versions=[(date(2020, 9, 1), {"persons": 3})],
    )
    for member, title, level in TOPICS:
        demo_record(
            ResearchTopic,
            lookup={"member": members[member], "title": title},
            versions=[(date(2020, 6, 30), {"year": 2020, "level": level})],
        )
    for member, title, level, year in LATER_TOPICS:
        demo_record(
            ResearchTopic,
            lookup={"member": members[member], "title": title},
            versions=[(date(year, 6, 30), {"year": year, "level": level})],
        )
    for member, name, kind, enterprise in COLLEGES:
        demo_record(
            College,
            lookup={"member": members[member], "name": name},
            versions=[
                (date(2020, 9, 1), {"kind": kind, "enterprise": enterprise, "founded": 2020})
            ],
        )
    return courses


def _teacher_development(school: Member) -> None:
    """Teachers recruited and placed in enterprises in 2020; in 2023 and 2024 also part-time
    teachers from the opinion's pool of skilled people (“双师型”兼职教师人才库)."""
    rng = random.Random(school.name)
    for kind, persons in (
        (TeacherDevelopment.Kind.RECRUITED, rng.randint(0, 2)),
        (TeacherDevelopment.Kind.PLACED, rng.randint(4, 12)),
    ):
        demo_record(
            TeacherDevelopment,
            lookup={"member": school, "year": 2020, "kind": kind},
            versions=[(date(2020, 12, 10), {"persons": persons})],
        )
    for year in (2023, 2024):
        later = random.Random(f"{school.name}{year}教师")
        for kind, persons in (
            (TeacherDevelopment.Kind.RECRUITED, later.randint(1, 3)),
            (TeacherDevelopment.Kind.PLACED, later.randint(6, 15)),
            (TeacherDevelopment.Kind.PART_TIME, later.randint(2, 8)),
        ):
            demo_record(
                TeacherDevelopment,
                lookup={"member": school, "year": year, "kind": kind},
                versions=[(date(year, 12, 10), {"persons": persons})],
            )


def demo_seed(stdout) -> None:
    stdout.write(f"  {demo_seed_development()} training courses, teachers, topics and colleges")
