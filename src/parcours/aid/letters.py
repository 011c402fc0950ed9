"""Courriers et documents PDF des aides (WeasyPrint) : transmission, notification, commission."""

from parcours.core import clock, pdf


def render_pdf(template: str, context: dict) -> bytes:
    """Un document des aides, daté du jour, avec sa feuille de style."""
    return pdf.render_pdf(template, {"today": clock.today(), **context}, stylesheet=pdf.LETTER_CSS)
