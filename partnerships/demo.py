"""Demo partnerships: a dozen order classes, training bases, agreements and the two consortia.
Enterprises and figures are invented for the demo (the seeds name no firms)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jituan.demo import demo_record
from jituan.models import Member

from .models import (
    CertificatePilot,
    Consortium,
    CooperationAgreement,
    Enterprise,
    OrderClass,
    TrainingBase,
)

ENTERPRISES = [
    ("中国石化安庆分公司", "石油化工", True),
    ("安徽环新集团有限公司", "汽车零部件", True),
    ("安徽华茂集团有限公司", "纺织服装", False),
    ("安庆江淮汽车装配厂", "汽车", False),
    ("安庆数字科技有限公司", "电子信息", False),
]
# member, enterprise, major, students
CLASSES = [
    ("安庆职业技术学院", "安徽环新集团有限公司", "汽车制造与试验技术", 42),
    ("安庆职业技术学院", "中国石化安庆分公司", "应用化工技术", 38),
    ("安庆职业技术学院", "安庆数字科技有限公司", "软件技术", 30),
    ("安庆技师学院", "安庆江淮汽车装配厂", "汽车维修", 26),
    ("安庆技师学院", "安徽环新集团有限公司", "数控加工", 18),
    ("安庆工业学校", "安徽环新集团有限公司", "机电技术应用", 24),
    ("安庆工业学校", "安庆数字科技有限公司", "计算机应用", 15),
    ("安徽化工学校", "中国石化安庆分公司", "化学工艺", 32),
    ("安徽理工学校", "安庆江淮汽车装配厂", "汽车运用与维修", 21),
    ("安庆建筑工程学校", "安徽华茂集团有限公司", "建筑装饰", 12),
    ("桐城中华职业学校", "安徽华茂集团有限公司", "服装设计与工艺", 28),
    ("太湖职业技术学校", "安徽华茂集团有限公司", "服装设计与工艺", 22),
]
BASES = [
    ("安庆市职业教育公共实训中心", "public", "安庆职业技术学院", None),
    ("开放型技能实训基地", "public", "安庆技师学院", None),
    ("智能制造公共实训基地", "public", "安庆工业学校", None),
    ("化工安全公共实训基地", "public", "安徽化工学校", None),
    ("环新集团生产性实训基地", "enterprise", "安庆职业技术学院", "安徽环新集团有限公司"),
    ("石化生产性实训基地", "enterprise", "安徽化工学校", "中国石化安庆分公司"),
    ("江淮汽车生产性实训基地", "enterprise", "安庆技师学院", "安庆江淮汽车装配厂"),
    ("工业机器人共享实训室", "shared_lab", "安庆工业学校", None),
    ("建筑信息模型共享实训室", "shared_lab", "安庆建筑工程学校", None),
]


# When the demo's records were entered (their history is dated so): the firms before the year's
# classes, the classes, bases and pilots in the spring of their year, agreements when they start.
ENTERPRISES_KNOWN = date(2020, 3, 1)
SPRING_2020 = date(2020, 4, 1)
CONSORTIA_FOUNDED = date(2024, 4, 1)


@transaction.atomic
def demo_seed_partnerships() -> int:
    firms = {}
    for name, industry, integration in ENTERPRISES:
        firms[name] = demo_record(
            Enterprise,
            lookup={"name": name},
            versions=[
                (
                    ENTERPRISES_KNOWN,
                    {"industry": industry, "is_integration_enterprise": integration},
                )
            ],
        )
    members = {m.name: m for m in Member.objects.all()}
    for member, firm, major, students in CLASSES:
        demo_record(
            OrderClass,
            lookup={
                "member": members[member],
                "enterprise": firms[firm],
                "major": major,
                "year": 2020,
            },
            versions=[(SPRING_2020, {"students": students})],
        )
    for name, kind, member, firm in BASES:
        values = {
            "kind": kind,
            "member": members[member],
            "year": 2020,
            "enterprise": firms.get(firm),
        }
        demo_record(TrainingBase, lookup={"name": name}, versions=[(SPRING_2020, values)])
    _agreements(members, firms)
    for certificate, member in (
        ("汽车运用与维修", "安庆职业技术学院"),
        ("Web前端开发", "安庆工业学校"),
        ("物流管理", "安徽理工学校"),
    ):
        demo_record(
            CertificatePilot,
            lookup={"member": members[member], "certificate": certificate, "year": 2020},
            versions=[(SPRING_2020, {"students": 40})],
        )
    for name, lead in (
        ("安庆经济技术开发区产教联合体", "安庆经济技术开发区产教联合体"),
        ("安庆高新技术产业开发区产教联合体", "安庆高新技术产业开发区产教联合体"),
    ):
        # Founded unrated; the level is what recognition changes later (rewards/demo.py).
        values = {"scope": "city", "member": members[lead], "founded": 2024}
        demo_record(Consortium, lookup={"name": name}, versions=[(CONSORTIA_FOUNDED, values)])
    return len(CLASSES)


def _agreements(members, firms) -> None:
    today = timezone.localdate()
    for member, firm, major, _students in CLASSES:
        ends = date(today.year + 2, 8, 31)
        if major == "数控加工":
            ends = today + timedelta(days=45)  # one about to expire, for the flag
        starts = date(2020, 9, 1)
        demo_record(
            CooperationAgreement,
            lookup={"member": members[member], "enterprise": firms[firm], "major": major},
            versions=[(starts, {"starts_on": starts, "ends_on": ends})],
        )


def demo_seed(stdout) -> None:
    stdout.write(f"  {demo_seed_partnerships()} order classes, with training bases and agreements")
