"""Le PDF de l'export du droit d'accès (WeasyPrint par ``core/pdf.py``, PDF/UA-1)."""

from parcours.core import pdf


def render_access_pdf(context: dict) -> bytes:
    return pdf.render_pdf("privacy/pdf/acces.html", context, stylesheet=pdf.LETTER_CSS)
