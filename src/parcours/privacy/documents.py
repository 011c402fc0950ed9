"""Le PDF de l'export du droit d'accès (WeasyPrint par ``core/pdf.py``, PDF/UA-1)."""

from pathlib import Path

from parcours.core import pdf

CSS = Path(__file__).with_name("pdf.css")


def render_access_pdf(context: dict) -> bytes:
    return pdf.render_pdf("privacy/pdf/acces.html", context, stylesheet=CSS)
