from django import template

from exercises import scores

register = template.Library()


@register.filter
def percent(value):
    """`{{ stats.best|percent }}`: a percentage rounded as on every other page ("" for no score)."""
    rounded = scores.percent(value)
    return "" if rounded is None else rounded
