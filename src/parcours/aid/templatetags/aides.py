from decimal import Decimal

from django import template

from parcours.rules.aid_rules import euros as _euros

register = template.Library()


@register.filter
def euros(value):
    """« 1 300 € », « 161,85 € » ; vide reste vide."""
    if value is None or value == "":
        return "—"
    return _euros(Decimal(value))
