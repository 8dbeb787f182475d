from django import template

from casefiles.models import Category, Presence

register = template.Library()


@register.filter
def category_label(value):
    return Category(value).label if value in Category.values else ""


@register.filter
def presence_label(value):
    return Presence(value).label if value in Presence.values else ""


@register.filter
def is_present(value):
    return value == Presence.PRESENT
