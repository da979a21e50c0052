from django import template

from jituan import numbers

register = template.Library()
register.filter("figure", numbers.figure)
register.filter("percent", numbers.percent)
