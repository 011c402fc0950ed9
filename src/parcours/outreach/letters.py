"""Courriers PDF (WeasyPrint) : réponse à l'émetteur d'un signalement, lettres de campagne."""

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings

from parcours.core import clock, pdf
from parcours.rules import letters as letter_rules
from parcours.rules.postal import is_usable_address

CSS_PATH = Path(__file__).resolve().parent / "templates" / "outreach" / "pdf" / "lettre.css"


def render_pdf(template: str, context: dict, *, user) -> bytes:
    """Un courrier de la détection, daté du jour, à l'en-tête de l'agent ``user``."""
    context = {"sender": sender_block(user), "today": clock.today(), **context}
    return pdf.render_pdf(template, context, stylesheet=CSS_PATH)


def has_postal_address(person) -> bool:
    """La personne a une adresse où envoyer un courrier (``person.commune`` chargée)."""
    commune = person.commune.name if person.commune_id else ""
    return is_usable_address(person.address, person.postal_code, commune)


def in_background(count: int) -> bool:
    """Un lot de ``count`` courriers se prépare en tâche de fond (réglage
    ``PARCOURS_LETTERS_BACKGROUND_FROM``, par défaut ``rules.letters.BACKGROUND_FROM``)."""
    limit = getattr(settings, "PARCOURS_LETTERS_BACKGROUND_FROM", letter_rules.BACKGROUND_FROM)
    return letter_rules.in_background(count, limit)


def split_by_address(offers: Sequence) -> tuple[list, list]:
    """(offres à poster, offres sans adresse postale utilisable) : les secondes n'ont pas de
    courrier, la page de la campagne les liste à part pour un appel ou une visite."""
    addressed: list = []
    unaddressed: list = []
    for offer in offers:
        (addressed if has_postal_address(offer.person) else unaddressed).append(offer)
    return addressed, unaddressed


def campaign_letters_pdf(
    campaign,
    offers: Sequence,
    *,
    user,
    reminder: bool,
    sessions: Sequence = (),
    links: dict[int, str] | None = None,
) -> bytes:
    """Un courrier par offre (déjà limitées aux personnes qui ont une adresse), chacun paginé
    depuis 1 ; ``links`` : le lien personnel d'inscription par personne (réunion)."""
    common = {
        "sender": sender_block(user),
        "today": clock.today(),
        "campaign": campaign,
        "reminder": reminder,
        "sessions": sessions,
    }
    links = links or {}
    return pdf.render_pdf_batch(
        "outreach/pdf/lettre_campagne.html",
        ({**common, "offer": offer, "link": links.get(offer.person_id, "")} for offer in offers),
        stylesheet=CSS_PATH,
    )


def sender_block(user) -> dict:
    """L'en-tête : l'organisme et le lieu de rattachement de l'agent (adresse, commune)."""
    site = getattr(user, "site", None)
    return {
        "organisation": user.organisation,
        "site": site,
        "site_commune": site.commune.name if site is not None and site.commune_id else "",
        "agent": user,
    }
