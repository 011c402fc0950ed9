from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}`` : la valeur, ou une liste vide."""
    if not mapping:
        return []
    return mapping.get(key, [])


@register.inclusion_tag("partials/fil_ariane.html")
def fil_ariane(*items):
    """``{% fil_ariane "Personnes" url "Fiche" %}`` : couples libellé, lien ; le dernier est la
    page courante (sans lien)."""
    items = list(items)
    current = items.pop()
    return {"links": list(zip(items[::2], items[1::2], strict=True)), "current": current}
