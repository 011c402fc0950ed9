"""Lectures de la protection des données : durées de conservation d'un organisme, lignes du
registre au format du contrat (formats.md §8). Jamais d'écriture."""

from __future__ import annotations

from parcours.core.models import Organisation
from parcours.privacy.models import Processing, RetentionRules
from parcours.rules.retention import DEFAULTS

#: les clés d'une ligne du registre exporté (formats.md §8), dans l'ordre
REGISTER_KEYS = (
    "traitement",
    "finalite",
    "base_legale",
    "categories_donnees",
    "categories_personnes",
    "destinataires",
    "duree_conservation",
)


def retention_rules_of(organisation: Organisation | int) -> RetentionRules:
    """Les durées enregistrées de l'organisme, ou (sans rien écrire) celles par défaut de
    formats.md §8 tant que l'administrateur ne les a pas enregistrées.

    C'est la lecture à utiliser partout (purge comprise) : un organisme sans ligne
    ``RetentionRules`` applique les valeurs par défaut.
    """
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    saved = RetentionRules.objects.filter(organisation_id=organisation_id).first()
    return saved or RetentionRules(organisation_id=organisation_id, **DEFAULTS)


def _years(n: int) -> str:
    return f"{n} an{'s' if n > 1 else ''}"


def retention_text(processing: Processing, rules: RetentionRules) -> str:
    """La durée de conservation d'une ligne : la durée de l'organisme qu'elle applique, puis son
    complément."""
    R = Processing.RetentionRule
    texts: dict[str, str] = {
        R.CLOSED_FILES: f"{_years(rules.closed_files_years)} après la dernière clôture (aucun "
        "accompagnement, aucune aide, aucun prêt ni indu en cours), puis anonymisation",
        R.UNREACHED_TARGETS: f"{rules.unreached_targets_months} mois après le ciblage pour "
        "les personnes jamais jointes, puis suppression",
        R.IMPORT_FILES: f"{rules.import_files_months} mois pour les fichiers déposés, puis "
        "suppression",
        R.AUDIT: f"{_years(rules.audit_years)}, puis suppression",
    }
    parts = [texts[processing.retention_rule]] if processing.retention_rule else []
    if processing.retention.strip():
        parts.append(processing.retention.strip())
    text = " ; ".join(parts)
    return text[:1].upper() + text[1:]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def legal_basis_text(processing: Processing) -> str:
    """Base légale (article 6), condition de l'article 9 s'il y a des données de santé, textes."""
    parts = [f"RGPD : {processing.get_legal_basis_display()}"]
    if processing.health_condition.strip():
        parts.append(f"données de santé : {processing.health_condition.strip()}")
    articles = split_lines(processing.articles)
    if articles:
        parts.append("textes : " + " ; ".join(articles))
    return " ; ".join(parts)


def register_row(processing: Processing, rules: RetentionRules) -> dict[str, object]:
    """Une ligne du registre avec exactement les clés de formats.md §8 ; les catégories et les
    destinataires en listes (une entrée par ligne saisie)."""
    return {
        "traitement": processing.name,
        "finalite": processing.purpose,
        "base_legale": legal_basis_text(processing),
        "categories_donnees": split_lines(processing.data_categories),
        "categories_personnes": split_lines(processing.people_categories),
        "destinataires": split_lines(processing.recipients),
        "duree_conservation": retention_text(processing, rules),
    }


def register_of(organisation: Organisation) -> list[Processing]:
    """Les lignes enregistrées du registre de l'organisme, par nom."""
    return list(Processing.objects.filter(organisation=organisation).order_by("name", "pk"))


def register_rows(organisation: Organisation) -> list[dict[str, object]]:
    """Le registre exporté (formats.md §8) : une liste de lignes."""
    rules = retention_rules_of(organisation)
    return [register_row(p, rules) for p in register_of(organisation)]


def retention_rules_saved(organisation: Organisation) -> bool:
    """L'organisme a-t-il enregistré ses durées (sinon : les valeurs par défaut s'appliquent) ?"""
    return RetentionRules.objects.filter(organisation=organisation).exists()


def register_summary(organisation: Organisation) -> list[dict[str, object]]:
    """Le registre en bref, pour la page d'accueil : nom, base légale, données de santé, durée."""
    rules = retention_rules_of(organisation)
    return [
        {
            "pk": p.pk,
            "name": p.name,
            "legal_basis": p.get_legal_basis_display(),
            "health": bool(p.health_condition.strip()),
            "retention": retention_text(p, rules),
        }
        for p in register_of(organisation)
    ]
