"""Demo rewards: the 2024 Anqing rules and fund (安庆市〔2024〕91号), deduction rules the
secretariat set for 2020 and 2024, and a 2024 slice of records so that the 2024 summary has
content: order classes, student intakes, a provincial consortium and a provincial industry
college. Source schools and figures are invented for the demo. Idempotent."""

from datetime import date

from django.db import transaction

from jituan.demo import demo_record
from jituan.models import Member
from partnerships.models import Consortium, Enterprise, IndustryCollege, Level, OrderClass

from .models import DeductionRule, RewardFund, RewardRule, StudentIntake

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
        versions=[(CONSORTIUM_LISTED, {"level": Level.PROVINCIAL})],
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
            versions=[(SPRING, {"industry": industry, "level": level, "founded": YEAR})],
        )
        college.enterprises.set(Enterprise.objects.filter(name=firm))


def demo_seed(stdout) -> None:
    count = demo_seed_rewards()
    stdout.write(f"  {count} reward records of {YEAR}, with the {YEAR} reward and deduction rules")
