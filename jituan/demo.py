"""The Anqing demo group: members from fixtures/demo and one user per role. Idempotent."""

import copy
import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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


# --- register records with a past ---------------------------------------------------------------
# Reports are worked out from what was known by their cut-off (jituan.history.records_as_of), so
# the demo's register records carry the days they would have been entered on: a year's quotas at
# the plan's approval, actual enrollment in the autumn, and so on.


def demo_moment(day: date) -> datetime:
    """9 a.m. that day in the group's time zone, never later than now."""
    return min(timezone.make_aware(datetime.combine(day, time(9))), timezone.now())


def demo_record(
    model,
    *,
    lookup: dict,
    versions: list[tuple[date, dict]],
    save: Callable | None = None,
):
    """The record lookup finds, created or brought up to date so that its history reads as the
    demo's timeline: each version (a day, and the values known by then on top of the previous
    version's) is dated that day. save(record) writes it (default: record.save()).

    Rerunnable: a record that already has its values is not saved again, so a second seed adds
    no history; a value the demo now sets differently is a change of today (or of the last
    version's day, when the record's history ends before it). A record kept from before
    history was recorded gets the timeline's versions back-dated before the one the migration
    gave it."""
    save = save or (lambda record: record.save())
    states = _demo_states(versions)
    record = model.objects.filter(**lookup).first()
    if record is None:
        record = model(**lookup)
        for moment, values in states:
            _demo_save(record, values, moment, save)
        return record
    if not record.history.filter(history_date__lte=states[0][0]).exists():
        _demo_backdate(record, states)
    moment, values = states[-1]
    if _demo_differs(record, values):
        latest = record.history.latest().history_date
        _demo_save(record, values, moment if latest < moment else timezone.now(), save)
    return record


def _demo_states(versions) -> list[tuple[datetime, dict]]:
    states, values = [], {}
    for day, changes in versions:
        values = {**values, **changes}
        states.append((demo_moment(day), values))
    return states


def _demo_save(record, values: dict, moment: datetime, save: Callable) -> None:
    for name, value in values.items():
        setattr(record, name, value)
    record._history_date = moment  # simple_history keeps reading it: removed after the save
    try:
        save(record)
    finally:
        del record._history_date


def _demo_backdate(record, states) -> None:
    for number, (moment, values) in enumerate(states):
        version = copy.copy(record)
        for name, value in values.items():
            setattr(version, name, value)
        type(record).history.bulk_history_create([version], update=number > 0, default_date=moment)


def _demo_differs(record, values: dict) -> bool:
    for name, value in values.items():
        field = record._meta.get_field(name)
        if getattr(record, name) != (value if field.is_relation else field.to_python(value)):
            return True
    return False


def demo_seed(stdout) -> None:
    count = demo_seed_members()
    demo_seed_users()
    stdout.write(f"Demo data: {count} members of the Anqing group.")


def print_logins(stdout) -> None:
    stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        member = f" — {login.member}" if login.member else ""
        stdout.write(f"  {login.username:<10} {login.role.label}{member}")
