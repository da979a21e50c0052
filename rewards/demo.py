"""Demo rewards: the 2024 Anqing rules and fund (安庆市〔2024〕91号), deduction rules the
secretariat set for 2020 and 2024, and a 2024 slice of records so that the 2024 summary has
content: order classes, student intakes, a provincial consortium and a provincial industry
college. Source schools and figures are invented for the demo. Idempotent."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from assessment.demo import demo_assessment
from assessment.models import Assessment
from certification.models import Certification
from certification.registry import State
from certification.selectors import record_state
from certification.services import (
    certification_certify,
    certification_reject,
    certification_submit,
    may_submit,
)
from jituan.demo import demo_moment, demo_record
from jituan.models import Member, Notification, User
from jituan.roles import Role
from partnerships.models import Consortium, Enterprise, IndustryCollege, Level, OrderClass

from .models import DeductionRule, GradeRule, RewardFund, RewardRule, StudentIntake

YEAR = 2024
FUND = {"reward_fund": 5_000_000, "running_budget": 500_000}
# kind, label, amount, minimum class size
REWARD_RULES = [
    ("order_class", "校企合作班技能人才培养补助", 100_000, 20),
    ("source_school", "市内生源地学校输送生源奖励", 500, None),
    ("cross_city", "中职学校跨市招生奖励", 1_000, None),
    ("provincial_consortium", "省级产教联合体奖补", 500_000, None),
    ("national_consortium", "国家级产教联合体奖补", 1_000_000, None),
    ("provincial_college", "省级产业学院奖补", 300_000, None),
]
# kind, label, amount, threshold %
DEDUCTION_RULES = [
    ("missing", "未按期报送季度进展", 20_000, None),
    ("late", "逾期报送季度进展", 5_000, None),
    ("below_target", "量化指标完成低于目标", 10_000, 10),
]
# member, enterprise, kind, major, students (two classes under 20 earn nothing)
CLASSES = [
    ("安庆职业技术学院", "安徽环新集团有限公司", "named", "汽车制造与试验技术", 45),
    ("安庆职业技术学院", "中国石化安庆分公司", "order", "应用化工技术", 40),
    ("安庆技师学院", "安庆江淮汽车装配厂", "order", "汽车维修", 28),
    ("安庆工业学校", "安徽环新集团有限公司", "named", "机电技术应用", 26),
    ("安庆工业学校", "安庆数字科技有限公司", "order", "计算机应用", 19),
    ("安徽化工学校", "中国石化安庆分公司", "order", "化学工艺", 34),
    ("安徽理工学校", "安庆江淮汽车装配厂", "order", "汽车运用与维修", 22),
    ("桐城中华职业学校", "安徽华茂集团有限公司", "named", "服装设计与工艺", 24),
    ("太湖职业技术学校", "安徽华茂集团有限公司", "order", "服装设计与工艺", 16),
]
# receiving member, source school, from another city, students
INTAKES = [
    ("安庆工业学校", "安庆市第十五中学", False, 120),
    ("安庆工业学校", "铜陵市第五中学", True, 25),
    ("安徽化工学校", "安庆石化第一中学", False, 85),
    ("安徽化工学校", "池州市第十一中学", True, 40),
    ("安庆技师学院", "安庆市第十四中学", False, 70),
    ("江淮工业学校", "怀宁县独秀初级中学", False, 150),
    ("桐城中华职业学校", "桐城市龙眠中学", False, 96),
    ("皖江中等专业学校", "黄梅县第二中学", True, 30),
]
PROVINCIAL_CONSORTIUM = "安庆经济技术开发区产教联合体"


# When the demo's records were entered (their history is dated so): a year's money and rules in
# January, its classes and colleges in the spring, the consortium's provincial listing mid-year.
RULES_SET = date(YEAR, 1, 15)
SPRING = date(YEAR, 4, 1)
CONSORTIUM_LISTED = date(YEAR, 6, 28)


@transaction.atomic
def demo_seed_rewards() -> int:
    demo_record(RewardFund, lookup={"year": YEAR}, versions=[(RULES_SET, FUND)])
    for kind, label, amount, min_students in REWARD_RULES:
        demo_record(
            RewardRule,
            lookup={"year": YEAR, "kind": kind},
            versions=[
                (RULES_SET, {"label": label, "amount": amount, "min_students": min_students})
            ],
        )
    # The 2020 plan ties completion to money without a formula: the secretariat's own rules.
    for year in (2020, YEAR):
        for kind, label, amount, threshold in DEDUCTION_RULES:
            values = {"label": label, "amount": amount, "threshold_percent": threshold}
            demo_record(
                DeductionRule,
                lookup={"year": year, "kind": kind},
                versions=[(date(year, 1, 15), values)],
            )
    members = {m.name: m for m in Member.objects.all()}
    _classes(members)
    for member, school, cross_city, students in INTAKES:
        demo_record(
            StudentIntake,
            lookup={"member": members[member], "year": YEAR, "source_school": school},
            versions=[(RULES_SET, {"is_cross_city": cross_city, "students": students})],
        )
    _recognitions(members)
    return len(CLASSES) + len(INTAKES)


def _classes(members) -> None:
    firms = {firm.name: firm for firm in Enterprise.objects.all()}
    for member, firm, kind, major, students in CLASSES:
        demo_record(
            OrderClass,
            lookup={
                "member": members[member],
                "enterprise": firms[firm],
                "major": major,
                "year": YEAR,
            },
            versions=[(SPRING, {"kind": kind, "students": students})],
        )


def _recognitions(members) -> None:
    # The partnerships demo founds the zone consortia in 2024 unrated; one of them made it to
    # the provincial list that year.
    demo_record(
        Consortium,
        lookup={"name": PROVINCIAL_CONSORTIUM},
        versions=[(CONSORTIUM_LISTED, {"level": Level.PROVINCIAL, "level_year": YEAR})],
    )
    # The three existing industry colleges are the partnerships demo's; one named by its
    # enterprise (组建一批以企业冠名…的产业学院) was founded in 2024 and listed provincial.
    for member, name, industry, level, firm in (
        (
            "安庆职业技术学院",
            "环新汽车零部件产业学院",
            "汽车",
            Level.PROVINCIAL,
            "安徽环新集团有限公司",
        ),
    ):
        college = demo_record(
            IndustryCollege,
            lookup={"member": members[member], "name": name},
            versions=[
                (
                    SPRING,
                    {"industry": industry, "level": level, "level_year": YEAR, "founded": YEAR},
                )
            ],
        )
        college.enterprises.set(Enterprise.objects.filter(name=firm))


# The secretariat's certifications of 2024 (认定): most records certified in July on the
# evidence sent; a class and an intake still awaiting it, and a class rejected for its evidence.
# (model, lookup, submitted by the liaison of the record's member, outcome, reason)
CERTIFIED_ON = date(YEAR, 7, 15)
AWAITING = [
    ("order_class", {"member__name": "安徽理工学校", "major": "汽车运用与维修"}),
    ("intake", {"member__name": "江淮工业学校", "source_school": "怀宁县独秀初级中学"}),
]
REJECTED = (
    "order_class",
    {"member__name": "桐城中华职业学校", "major": "服装设计与工艺"},
    "冠名协议复印件未加盖企业公章，学生名册与学籍系统人数不符，请补充后重新提交。",
)
GRADE_RULES = [
    ("excellent", "年度考核优秀上浮奖补", 10),
    ("fail", "年度考核不合格不予奖补", -100),
]


def demo_seed_certifications() -> int:
    """Certify the 2024 records that earn money, as the demo's story has it (idempotent: a
    record that has a certification is left as it is)."""
    secretariat = User.objects.get(username="mishu")
    liaisons = {u.member_id: u for u in User.objects.filter(groups__name=Role.LIAISON)}
    models = {"order_class": OrderClass, "intake": StudentIntake}
    awaiting = [models[kind].objects.get(year=YEAR, **lookup) for kind, lookup in AWAITING]
    rejected = models[REJECTED[0]].objects.get(year=YEAR, **REJECTED[1])
    records = [
        *OrderClass.objects.filter(year=YEAR, students__gte=20),
        *StudentIntake.objects.filter(year=YEAR),
        *Consortium.objects.filter(level_year=YEAR),
        *IndustryCollege.objects.filter(level_year=YEAR),
    ]
    done = 0
    for record in records:
        if record_state(record).state != State.NOT_SUBMITTED:
            continue
        liaison = liaisons.get(getattr(record, "member_id", None))
        submitter = liaison if liaison and may_submit(liaison, record) else secretariat
        certification = certification_submit(
            record=record,
            user=submitter,
            uploads=[demo_evidence(record)],
            note="附合作协议、学生名册及相关证明材料。",
        )
        if record == rejected:
            certification_reject(certification=certification, user=secretariat, reason=REJECTED[2])
        elif record not in awaiting:
            certification_certify(certification=certification, user=secretariat)
        _backdate(certification)
        done += 1
    # Decided in July: their messages were read then, and are not today's news.
    Notification.objects.filter(kind=Notification.Kind.CERTIFICATION, read_at__isnull=True).update(
        read_at=demo_moment(CERTIFIED_ON)
    )
    return done


def _backdate(certification) -> None:
    """Dated as the demo's story has it, so a summary as of a day before shows them pending."""
    certification.refresh_from_db()
    moment = demo_moment(CERTIFIED_ON)
    submitted = demo_moment(date(YEAR, 7, 1))
    Certification.objects.filter(pk=certification.pk).update(
        submitted_at=submitted,
        decided_at=moment if certification.decided_at else None,
    )
    history = certification.history.order_by("history_date", "history_id")
    for index, version in enumerate(history):
        version.history_date = submitted if index == 0 else moment
        version.submitted_at = submitted
        version.decided_at = moment if version.decided_at else None
        version.save()


def demo_evidence(record) -> SimpleUploadedFile:
    """A one-page PDF standing for the scanned agreement or roster a liaison would attach."""
    return SimpleUploadedFile("证明材料.pdf", MINIMAL_PDF, content_type="application/pdf")


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_seed_assessment() -> None:
    for grade, label, percent in GRADE_RULES:
        demo_record(
            GradeRule,
            lookup={"year": YEAR, "grade": grade},
            versions=[(RULES_SET, {"label": label, "percent": percent})],
        )
    if not Assessment.objects.filter(year=YEAR).exists():
        demo_assessment(YEAR, user=User.objects.get(username="mishu"), today=date(YEAR, 12, 31))


def demo_seed(stdout) -> None:
    count = demo_seed_rewards()
    stdout.write(f"  {count} reward records of {YEAR}, with the {YEAR} reward and deduction rules")
    count = demo_seed_certifications()
    stdout.write(f"  {count} certifications of {YEAR}: most certified, two awaiting, one rejected")
    demo_seed_assessment()
    stdout.write(f"  the {YEAR} annual assessment, computed and confirmed, and its grade rules")
