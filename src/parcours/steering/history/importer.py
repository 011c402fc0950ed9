"""L'import d'historique de bout en bout : lire, valider, puis (hors essai) écrire, domaine par
domaine, les lignes valides qui n'ont pas déjà été importées, dans une seule transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from parcours.cases.models import Case, Contact, ContactAction, ContactProblem
from parcours.core import bulk
from parcours.core.models import Commune, Departement, Organisation, User
from parcours.groups.models import GroupAction, Registration, Session
from parcours.outreach.models import FrontLineContact, Referral, ServiceOffer
from parcours.people.models import Person
from parcours.steering.history import agents, cases, groups, outreach, people
from parcours.steering.history.context import Writer
from parcours.steering.history.reading import Report, Row, parse, read_bundle
from parcours.steering.history.validation import Context, Valid, validate
from parcours.steering.models import ExternalRef

#: fichier -> type de sa référence externe, dans l'ordre d'écriture
KINDS = {
    "agents.csv": ExternalRef.Kind.AGENT,
    "beneficiaires.csv": ExternalRef.Kind.BENEFICIAIRE,
    "accompagnements.csv": ExternalRef.Kind.ACCOMPAGNEMENT,
    "entretiens.csv": ExternalRef.Kind.ENTRETIEN,
    "actions_collectives.csv": ExternalRef.Kind.ACTION_COLLECTIVE,
    "seances.csv": ExternalRef.Kind.SEANCE,
    "participations.csv": ExternalRef.Kind.PARTICIPATION,
    "signalements.csv": ExternalRef.Kind.SIGNALEMENT,
    "offres.csv": ExternalRef.Kind.OFFRE,
    "contacts_accueil.csv": ExternalRef.Kind.CONTACT_ACCUEIL,
}


def run(
    path: str | Path,
    *,
    organisation: Organisation,
    dry_run: bool,
    actor: User | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> Report:
    """Valide le lot puis, hors essai, écrit les lignes valides non encore importées."""
    report = Report(dry_run=dry_run)
    raw = read_bundle(path)
    bundle: dict[str, list[Row]] = {}
    for name, content in raw.items():
        progress(f"Lecture de {name}…")
        rows = parse(name, content, report)
        if rows is not None:
            bundle[name] = rows
    if "beneficiaires.csv" not in bundle:
        return report
    ctx = Context(
        departements=set(Departement.objects.values_list("code", flat=True)),
        communes=set(Commune.objects.values_list("code", flat=True)),
        known=known_refs(organisation),
    )
    progress("Validation des lignes…")
    valid = validate(bundle, ctx, report)
    fresh = {name: _new(name, valid[name], ctx.known[kind], report) for name, kind in KINDS.items()}
    if not dry_run:
        write(
            fresh,
            organisation=organisation,
            actor=actor,
            known=ctx.known,
            report=report,
            progress=progress,
        )
    return report


def known_refs(organisation: Organisation) -> dict[str, dict[str, Any]]:
    """Ce qui a déjà été importé : type -> identifiant d'origine -> identifiant ; et les dates
    des accompagnements importés (``accompagnement_dates`` : (ouverture, clôture))."""
    known: dict[str, dict[str, Any]] = {k: {} for k in ExternalRef.Kind.values}
    known["accompagnement_dates"] = {}
    if organisation.pk is None:  # essai pour un organisme encore inexistant
        return known
    for kind, source, obj in ExternalRef.objects.filter(organisation=organisation).values_list(
        "kind", "source_id", "object_id"
    ):
        known[kind][source] = obj
    imported = Case.objects.filter(
        organisation=organisation,
        pk__in=ExternalRef.objects.filter(
            organisation=organisation, kind=ExternalRef.Kind.ACCOMPAGNEMENT
        ).values("object_id"),
    ).values_list("pk", "opened_on", "closed_on")
    by_pk = {pk: (opened, closed) for pk, opened, closed in imported}
    known["accompagnement_dates"] = {
        src: by_pk[pk] for src, pk in known["accompagnement"].items() if pk in by_pk
    }
    return known


def _new(name: str, rows: dict[str, Valid], known: dict[str, Any], report: Report) -> dict:
    fresh = {k: v for k, v in rows.items() if k not in known}
    report.already[name] = len(rows) - len(fresh)
    report.created[name] = len(fresh)
    return fresh


def write(
    fresh: dict[str, dict[str, Valid]],
    *,
    organisation: Organisation,
    actor: User | None,
    known: dict[str, dict[str, Any]],
    report: Report,
    progress: Callable[[str], None],
) -> None:
    """Écrit les lignes nouvelles de chaque fichier par les services « en masse » des
    domaines, leurs références externes, puis l'entrée d'audit de l'import (une seule)."""
    with transaction.atomic():
        w = Writer(
            organisation=organisation,
            actor=actor,
            progress=progress,
            known=known,
            audit=bulk.BatchAudit(
                organisation_id=organisation.pk,
                object_type="import_historique",
                summary="Import d'historique d'activité",
            ),
        )
        agents.write_agents(w, fresh["agents.csv"])
        people.write_people(w, fresh["beneficiaires.csv"])
        cases.write_cases(w, fresh["accompagnements.csv"])
        cases.write_contacts(w, fresh["entretiens.csv"])
        bulk.crash_point("historique")  # essais de reprise : bénéficiaires à entretiens écrits
        groups.write_group_actions(w, fresh["actions_collectives.csv"])
        groups.write_sessions(w, fresh["seances.csv"], fresh["participations.csv"])
        groups.write_attendances(w, fresh["participations.csv"])
        outreach.write_referrals(w, fresh["signalements.csv"])
        outreach.write_offers(w, fresh["offres.csv"])
        outreach.write_front_line(w, fresh["contacts_accueil.csv"])
        bulk.analyze([GroupAction, Session, Registration, Referral, ServiceOffer, FrontLineContact])
        progress("Statistiques du planificateur…")
        bulk.analyze([Person, Case, Contact, ContactAction, ContactProblem, ExternalRef])
        w.audit.record(
            actor=actor, changes={"crees": report.created, "deja_importes": report.already}
        )
