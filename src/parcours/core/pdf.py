"""Documents PDF (WeasyPrint) : le seul moteur des courriers, feuilles, procès-verbaux et rapports.

Un gabarit Django devient un PDF, avec la feuille de style du module qui le demande ; la réponse
HTTP l'affiche dans le navigateur (``inline``) sous un nom de fichier sans donnée personnelle.
"""

from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, stylesheet: Path | None = None) -> bytes:
    """Le PDF du gabarit ``template`` ; ``stylesheet`` : feuille CSS (et dossier de ses images)."""
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    if stylesheet is None:
        return HTML(string=html).write_pdf()
    return HTML(string=html, base_url=str(stylesheet.parent)).write_pdf(
        stylesheets=[CSS(filename=str(stylesheet))]
    )


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """Affiche le PDF dans le navigateur ; ``filename`` ne porte que des identifiants techniques."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
