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


@register.filter
def euros(value):
    """Decimal('1234.5') -> « 1 234,50 € » (centimes seulement s'il y en a)."""
    from parcours.rules.aid_rules import euros as format_euros

    return "—" if value is None else format_euros(value)


@register.filter
def valeur(value, kind):
    """Une valeur du rapport selon sa nature : euros, pourcentage, jours ou effectif."""
    if value is None:
        return "—"
    if kind == "euros":
        return euros(value)
    if kind == "pct":
        number = f"{Decimal(value).quantize(Decimal('0.1')):,}".replace(",", "\u202f")
        return number.replace(".", ",") + "\u202f%"
    return chiffre(value)
