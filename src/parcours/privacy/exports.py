"""Le registre des traitements remis en fichier : PDF (PDF/UA, par ``core.pdf``) et JSON
(formats.md §8). Sans écriture : l'appelant journalise l'export."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from parcours.core.models import Organisation
from parcours.core.pdf import render_pdf
from parcours.privacy.queries import register as queries

PDF_CSS = Path(__file__).resolve().parent / "pdf" / "registre.css"


def register_pdf(organisation: Organisation, *, today: datetime.date) -> tuple[bytes, int]:
    """Le PDF du registre de l'organisme et son nombre de traitements."""
    rules = queries.retention_rules_of(organisation)
    processings = queries.register_of(organisation)
    rows = [
        (p, queries.register_row(p, rules), queries.split_lines(p.articles)) for p in processings
    ]
    pdf = render_pdf(
        "privacy/registre_pdf.html",
        {"organisation": organisation, "rows": rows, "today": today, "rules": rules},
        stylesheet=PDF_CSS,
    )
    return pdf, len(rows)


def register_json(organisation: Organisation) -> tuple[str, int]:
    """Le registre en JSON : une liste de traitements aux clés de formats.md §8."""
    rows = queries.register_rows(organisation)
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n", len(rows)
