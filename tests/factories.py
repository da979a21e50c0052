import factory

from jituan.models import Member, MemberContact, User
from jituan.roles import Role
from jituan.services import user_create


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"测试职业学校{n}")
    kind = Member.Kind.SECONDARY_VOCATIONAL
    group_role = Member.GroupRole.MEMBER
    location = Member.Location.URBAN


class MemberContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberContact

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = "0556-5300000"


PASSWORD = "correct-horse-battery"


def user_with_role(role: Role, *, member: Member | None = None, username: str = "") -> User:
    """Users go through the same service as the screens, so their groups are the real ones."""
    return user_create(
        username=username or f"{role}-{User.objects.count() + 1}",
        role=role,
        password=PASSWORD,
        name=f"{Role(role).label}用户",
        member=member,
    )


def certified(record, *, status: str = "certified", reason: str = "证明材料不全"):
    """Put a register record through certification as the screens do: submitted by the
    secretariat with an evidence file, then certified (or rejected, or left awaiting)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certification.services import (
        certification_certify,
        certification_reject,
        certification_submit,
    )

    certifier = User.objects.filter(username="certifier").first() or user_with_role(
        Role.SECRETARIAT, username="certifier"
    )
    evidence = SimpleUploadedFile("证明材料.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    certification = certification_submit(record=record, user=certifier, uploads=[evidence])
    if status == "certified":
        certification_certify(certification=certification, user=certifier)
    elif status == "rejected":
        certification_reject(certification=certification, user=certifier, reason=reason)
    return record
