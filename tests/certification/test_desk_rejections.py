"""A liaison's desk lists their member's rejected certifications with the reason, until the
record is submitted again; never another member's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification.services import certification_submit
from partnerships.models import Enterprise, OrderClass
from tests.factories import certified

pytestmark = pytest.mark.django_db


def order_class(member, major):
    firm, _ = Enterprise.objects.get_or_create(name="安徽环新集团有限公司")
    return OrderClass.objects.create(
        member=member, enterprise=firm, major=major, year=2024, students=30
    )


def test_the_liaison_desk_lists_rejections_until_submitted_again(
    client_for, liaison, school_a, school_b
):
    own = certified(order_class(school_a, "数控技术"), status="rejected", reason="名册缺少盖章")
    certified(order_class(school_b, "化工工艺"), status="rejected", reason="乙校的理由")
    client = client_for(liaison)

    page = client.get("/").content.decode()

    assert 'data-testid="desk-rejections"' in page
    assert "名册缺少盖章" in page and "数控技术" in page
    assert "乙校的理由" not in page and "化工工艺" not in page

    certification_submit(
        record=own,
        user=liaison,
        uploads=[SimpleUploadedFile("名册.pdf", b"%PDF-1.4\n", "application/pdf")],
    )
    assert 'data-testid="desk-rejections"' not in client.get("/").content.decode()
