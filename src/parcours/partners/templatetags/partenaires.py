"""Montants et écarts des pages de subventions, écrits à la française."""

from decimal import Decimal

from django import template

from parcours.rules import subsidies as rules

register = template.Library()


@register.filter
def euros(value):
    """« 12 500 € », « 1 250,50 € » ; vide : « — »."""
    if value is None or value == "":
        return "—"
    return rules.euros(Decimal(value))


@register.filter
def ecart(value):
    """Un écart signé : « +3 », « −2 », « 0 »."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{-value}"
    return "0"


@register.filter
def pct(value):
    """« 62,5 % » ; vide : « — »."""
    if value is None:
        return "—"
    return f"{value}".replace(".", ",") + "\u00a0%"
