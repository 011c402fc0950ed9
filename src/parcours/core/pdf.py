"""Documents PDF (WeasyPrint) : le seul moteur des courriers, feuilles, procès-verbaux et rapports.

Un gabarit Django devient un PDF, avec la feuille de style du module qui le demande ; la réponse
HTTP l'affiche dans le navigateur (``inline``) sous un nom de fichier sans donnée personnelle.

Chaque PDF est balisé pour l'accessibilité (PDF/UA-1 : arbre de structure, langue du document
prise dans ``<html lang>``), pour qu'un lecteur d'écran le lise dans l'ordre. Une série de
courriers (``render_pdf_batch``) met chaque courrier dans son propre document, paginé depuis 1,
puis assemble les pages : la feuille de style et les polices ne sont chargées qu'une fois.
"""

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string

#: Variante PDF de tous les documents : PDF/UA-1 (balisé, accessible).
PDF_VARIANT = "pdf/ua-1"


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


#: la feuille des courriers et documents de l'organisme (aides, droit d'accès…)
LETTER_CSS = Path(__file__).with_name("pdf.css")


@cache
def _stylesheet(path: Path, mtime: float):
    """La feuille ``path`` analysée une fois (``mtime`` : relue si le fichier change)."""
    from weasyprint import CSS

    return CSS(filename=str(path), font_config=_font_config())


def _document(html: str, stylesheet: Path | None):
    from weasyprint import HTML

    base_url = str(stylesheet.parent) if stylesheet is not None else None
    sheets = [_stylesheet(stylesheet, stylesheet.stat().st_mtime)] if stylesheet else []
    return HTML(string=html, base_url=base_url).render(
        stylesheets=sheets, font_config=_font_config(), pdf_variant=PDF_VARIANT
    )


def render_pdf(template: str, context: dict, *, stylesheet: Path | None = None) -> bytes:
    """Le PDF du gabarit ``template`` ; ``stylesheet`` : feuille CSS (et dossier de ses images)."""
    html = render_to_string(template, context)
    return _document(html, stylesheet).write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf_batch(
    template: str, contexts: Iterable[dict], *, stylesheet: Path | None = None
) -> bytes:
    """Un PDF de plusieurs courriers : ``template`` rendu pour chaque contexte de ``contexts``,
    chaque courrier paginé à part (« Page 1 / 2 » du courrier, pas du lot), dans l'ordre."""
    documents = [_document(render_to_string(template, c), stylesheet) for c in contexts]
    if not documents:
        raise ValueError("Aucun courrier à assembler.")
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(pdf_variant=PDF_VARIANT)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """Affiche le PDF dans le navigateur ; ``filename`` ne porte que des identifiants techniques."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
