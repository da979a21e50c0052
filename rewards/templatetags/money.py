"""Whole yuan grouped in thousands whatever the locale: Django's zh-Hans formats do not group."""

from django import template

register = template.Library()


@register.filter
def grouped(value) -> str:
    return "" if value is None else f"{value:,}"


@register.filter
def yuan(value) -> str:
    return "" if value is None else f"¥{value:,}"
