"""Courriers PDF (WeasyPrint) : réponse à l'émetteur d'un signalement, lettres de campagne."""

from pathlib import Path

from parcours.core import pdf

CSS_PATH = Path(__file__).resolve().parent / "templates" / "outreach" / "pdf" / "lettre.css"


def render_pdf(template: str, context: dict) -> bytes:
    """Un courrier de la détection, avec sa feuille de style."""
    return pdf.render_pdf(template, context, stylesheet=CSS_PATH)


def sender_block(user) -> dict:
    """L'en-tête : l'organisme et le lieu de rattachement de l'agent (adresse, commune)."""
    site = getattr(user, "site", None)
    return {
        "organisation": user.organisation,
        "site": site,
        "site_commune": site.commune.name if site is not None and site.commune_id else "",
        "agent": user,
    }
