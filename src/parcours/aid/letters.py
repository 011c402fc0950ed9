"""Courriers et documents PDF des aides (WeasyPrint) : transmission, notification, commission."""

from pathlib import Path

from parcours.core import clock, pdf

CSS = Path(__file__).with_name("pdf.css")


def render_pdf(template: str, context: dict) -> bytes:
    """Un document des aides, daté du jour, avec sa feuille de style."""
    return pdf.render_pdf(template, {"today": clock.today(), **context}, stylesheet=CSS)
