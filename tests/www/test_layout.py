"""Une seule mise en page : un fil d'Ariane (``partials/fil_ariane.html``), pas de lien
« Retour » en tête de page à sa place ; des tableaux DSFR qui défilent dans leur cadre."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "parcours"
TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))


def test_one_breadcrumb_partial():
    owners = [t for t in TEMPLATES if "fr-breadcrumb" in t.read_text()]
    assert [t.relative_to(SRC).as_posix() for t in owners] == ["templates/partials/fil_ariane.html"]


def test_no_back_link_stands_for_a_breadcrumb():
    """Un lien « flèche gauche » juste après ``{% block content %}`` imite un fil d'Ariane."""
    offenders = [
        t.relative_to(SRC).as_posix()
        for t in TEMPLATES
        if re.search(r"\{% block content %\}\s*<p><a [^>]*fr-icon-arrow-left-line", t.read_text())
    ]
    assert offenders == []


def test_tables_scroll_inside_their_frame():
    css = (SRC / "core/static/parcours/parcours.css").read_text()
    assert re.search(r"\.fr-table__container\s*\{\s*position:\s*relative;", css)


def test_every_table_sits_in_a_dsfr_scrolling_frame():
    """L'ancien balisage (``<div class="fr-table"><table>``) ne défile pas : le tableau passe
    par ``fr-table__wrapper`` > ``fr-table__container`` > ``fr-table__content``."""
    legacy = re.compile(r'<div class="fr-table(?: [^"]*)?">\s*<table')
    offenders = [t.relative_to(SRC).as_posix() for t in TEMPLATES if legacy.search(t.read_text())]
    assert offenders == []
