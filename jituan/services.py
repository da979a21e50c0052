"""Writes for the group's core: roles, people, members.

Views, commands and imports all call these."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.utils.translation import gettext as _

from .models import Member, User
from .roles import ROLE_PERMISSIONS, STAFF_ROLES, Role


def roles_sync() -> None:
    """Create the four role groups and give each exactly the permissions ROLE_PERMISSIONS lists."""
    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(grants))


def _permissions_for(grants) -> list[Permission]:
    permissions = []
    for app_label, model, actions in grants:
        queryset = Permission.objects.filter(content_type__app_label=app_label)
        if model != "*":
            queryset = queryset.filter(content_type__model=model)
        for permission in queryset:
            if permission.codename.split("_", 1)[0] in actions:
                permissions.append(permission)
    return permissions


def _role_validate(*, role: str, member: Member | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role == Role.LIAISON and member is None:
        raise ValidationError({"member": _("A liaison must be bound to exactly one member.")})
    if role != Role.LIAISON and member is not None:
        raise ValidationError({"member": _("Only liaisons are bound to a member.")})


def _role_apply(user: User, role: str) -> None:
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    user.__dict__.pop("_role", None)


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    member: Member | None = None,
) -> User:
    _role_validate(role=role, member=member)
    user = User(username=username, name=name, email=email, phone=phone, member=member)
    user.is_staff = role in STAFF_ROLES
    user.set_password(password)
    user.full_clean()
    user.save()
    _role_apply(user, role)
    return user


@transaction.atomic
def user_update(*, user: User, role: str, member: Member | None = None, **fields) -> User:
    _role_validate(role=role, member=member)
    for field, value in fields.items():
        setattr(user, field, value)
    user.member = member
    user.is_staff = role in STAFF_ROLES or user.is_superuser
    user.full_clean()
    user.save()
    _role_apply(user, role)
    return user


@transaction.atomic
def member_save(*, member: Member, contacts: BaseInlineFormSet | None = None) -> Member:
    """Save a member and, in the same transaction, its contacts edited alongside it."""
    member.full_clean()
    member.save()
    if contacts is not None:
        contacts.instance = member
        contacts.save()
    return member


def user_set_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
