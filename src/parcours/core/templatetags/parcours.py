import datetime

from django import template
from django.utils import timezone

from parcours.rules import wording

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


@register.filter
def compte(n, noun: str) -> str:
    """``{{ n|compte:"une séance" }}`` : « aucune séance », « 1 séance », « 2 séances »."""
    return wording.count(int(n or 0), noun)


@register.filter
def ne(sex) -> str:
    """``{{ person.sex|ne }} le …`` : « né », « née », ou « né·e » si le sexe n'est pas connu."""
    return wording.born(sex)


@register.filter
def date_lettres(day, option: str = ""):
    """``{{ d|date_lettres }}`` → « 1er mai 2026 » ; ``:"jour"`` → « vendredi 1er mai 2026 » ;
    ``:"jour sans année"`` → « vendredi 1er mai ». Chaque date écrite en toutes lettres."""
    if not day:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return wording.long_date(day, weekday="jour" in option, year="sans année" not in option)
