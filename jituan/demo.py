"""The Anqing demo group: members from fixtures/demo and one user per role. Idempotent."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Member, MemberContact, User
from .roles import Role
from .services import member_save, user_create, user_update

MEMBERS_CSV = Path(settings.BASE_DIR) / "fixtures" / "demo" / "anqing-members.csv"
DEMO_PASSWORD = "jituan-demo-2020"
LIAISON_MEMBER = "安庆工业学校"


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    username: str
    name: str
    member: str = ""


DEMO_LOGINS = [
    DemoLogin(Role.SECRETARIAT, "mishu", "张玉国"),
    DemoLogin(Role.LIAISON, "lianluo", "陈晓燕", LIAISON_MEMBER),
    DemoLogin(Role.LEADERSHIP, "lingdao", "王进"),
    DemoLogin(Role.ADMIN, "guanli", "系统管理员"),
]


@transaction.atomic
def demo_seed_members() -> int:
    with MEMBERS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        _member_upsert(row)
    return len(rows)


def _member_upsert(row: dict) -> Member:
    member = Member.objects.filter(name=row["name"]).first() or Member(name=row["name"])
    member.short_name = row["short_name"]
    member.kind = row["kind"]
    member.group_role = row["group_role"]
    member.location = row["location"]
    member.county = row["county"]
    member.is_council_member = row["is_council_member"] == "1"
    member_save(member=member)
    MemberContact.objects.update_or_create(
        member=member,
        name=row["contact_name"],
        defaults={"title": row["contact_title"], "phone": row["contact_phone"], "is_primary": True},
    )
    return member


@transaction.atomic
def demo_seed_users() -> list[DemoLogin]:
    for login in DEMO_LOGINS:
        member = Member.objects.get(name=login.member) if login.member else None
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user_create(
                username=login.username,
                role=login.role,
                password=DEMO_PASSWORD,
                name=login.name,
                member=member,
            )
        else:
            user_update(user=user, role=login.role, member=member, name=login.name)
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return DEMO_LOGINS


def demo_seed(stdout) -> None:
    count = demo_seed_members()
    demo_seed_users()
    stdout.write(f"Demo data: {count} members of the Anqing group.")


def print_logins(stdout) -> None:
    stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        member = f" — {login.member}" if login.member else ""
        stdout.write(f"  {login.username:<10} {login.role.label}{member}")
