from django import template

from packages.money import format_money

register = template.Library()


@register.filter
def money(amount):
    """{{ value|money }} → £2,500.00"""
    if amount is None or amount == "":
        return ""
    return format_money(amount)
