"""Courriers PDF (WeasyPrint) : réponse à l'émetteur d'un signalement, lettres de campagne."""

from pathlib import Path

from parcours.core import clock, pdf

CSS_PATH = Path(__file__).resolve().parent / "templates" / "outreach" / "pdf" / "lettre.css"


def render_pdf(template: str, context: dict, *, user) -> bytes:
    """Un courrier de la détection, daté du jour, à l'en-tête de l'agent ``user``."""
    context = {"sender": sender_block(user), "today": clock.today(), **context}
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
