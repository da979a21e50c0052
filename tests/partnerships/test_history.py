"""「历史记录」 of partnership records: firms by name, yes/no in Chinese."""

import pytest
from django.urls import reverse

from partnerships.models import Enterprise, OrderClass

pytestmark = pytest.mark.django_db


def test_it_shows_firms_by_name_and_yes_no_in_chinese(client_for, secretariat, school_a):
    firm = Enterprise.objects.create(name="安徽环新集团有限公司", industry="汽车零部件")
    other = Enterprise.objects.create(name="中国石化安庆分公司", industry="石油化工")
    row = OrderClass.objects.create(
        member=school_a, enterprise=firm, major="机电技术应用", year=2020, students=18
    )
    client = client_for(secretariat)
    data = {"member": school_a.pk, "enterprise": other.pk, "kind": "order", "major": row.major}
    client.post(
        reverse("partnerships:order-classes-update", args=[row.pk]),
        data | {"year": 2020, "students": 24},
    )
    client.post(
        reverse("partnerships:enterprises-update", args=[firm.pk]),
        {"name": firm.name, "industry": firm.industry, "is_integration_enterprise": "on"},
    )

    page = client.get(reverse("partnerships:order-classes-history", args=[row.pk]))
    assert page.context["entries"][0].changes == [
        ("企业", "安徽环新集团有限公司", "中国石化安庆分公司"),
        ("学生人数", "18", "24"),
    ]
    page = client.get(reverse("partnerships:enterprises-history", args=[firm.pk]))
    assert page.context["entries"][0].changes == [("产教融合型企业", "否", "是")]
    assert '<del class="text-muted">否</del> → 是' in page.content.decode()
