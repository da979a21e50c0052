"""Reads that depend on who is asking.

This is the one place a liaison's world is cut to their member: every view, export
and JSON endpoint gets its querysets through these functions."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Member, User
from .roles import Role


def scope_to_member(queryset: QuerySet, user: User, *, member_field: str = "member") -> QuerySet:
    """Cut any queryset to what the user may see: a liaison their member's rows, others all rows.

    A user without a role (or signed out) sees nothing.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    role = user.role
    if role is None:
        return queryset.none()
    if role == Role.LIAISON:
        if user.member_id is None:
            return queryset.none()
        return queryset.filter(**{member_field: user.member_id})
    return queryset


def members_for(user: User) -> QuerySet[Member]:
    return scope_to_member(Member.objects.all(), user, member_field="pk")


def member_get_for(user: User, pk: int) -> Member:
    return get_object_or_404(members_for(user), pk=pk)


def users_for(user: User) -> QuerySet[User]:
    return scope_to_member(User.objects.select_related("member"), user)


def user_get_for(user: User, pk: int) -> User:
    return get_object_or_404(users_for(user), pk=pk)
