from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def chiffre(value):
    """12345 -> « 12 345 » ; 12.3 -> « 12,3 » ; texte inchangé."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return value


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
