"""Courriers et documents PDF des aides (WeasyPrint) : transmission, notification, commission."""

from pathlib import Path

from django.template.loader import render_to_string

from parcours.core import clock

CSS = Path(__file__).with_name("pdf.css")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML

    html = render_to_string(template, {"today": clock.today(), **context})
    return HTML(string=html, base_url=str(CSS.parent)).write_pdf(
        stylesheets=[WeasyCSS(filename=str(CSS))]
    )
