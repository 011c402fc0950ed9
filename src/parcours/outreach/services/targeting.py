"""Ciblage : règle de l'organisme, import d'un extrait d'arrêts de travail, ciblages lancés
depuis le web (la vue confie l'exécution à ``outreach.tasks`` une fois la transaction validée)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from parcours.core import audit, clock, rejections
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.outreach import extract
from parcours.outreach.models import TargetingRule, TargetingRun
from parcours.outreach.services.targeting_feed import (
    BATCH,
    REJECTION_FIELDS,
    Candidate,
    Reading,
    execute_run,
    hash_nir,
    previous_import,
    rejections_path,
    targeting_rule,
)
from parcours.rules import events_extract as events_rules
from parcours.rules import sick_leave_extract as extract_rules
from parcours.rules import targeting

if TYPE_CHECKING:
    import datetime
    import os

    from django.core.files.uploadedfile import UploadedFile

    from parcours.core.models import Organisation, User

__all__ = [
    "BATCH",
    "REJECTION_FIELDS",
    "AlreadyImported",
    "fail_run",
    "previous_import",
    "record_rejections_read",
    "rejection_rows",
    "rejections_path",
    "run_events_extract",
    "run_sick_leave_extract",
    "run_targeting_file",
    "start_targeting_run",
    "store_upload",
    "targeting_rule",
    "update_targeting_rule",
]

#: lecteurs des fichiers d'une autre application (source → fonction ``run_*`` de même
#: signature que :func:`run_events_extract`) : l'observatoire y inscrit le fichier des retraités
#: (``observatory.apps``), sans que ce module importe l'observatoire (couches)
EXTERNAL_RUNNERS: dict[str, Callable[..., TargetingRun]] = {}


@transaction.atomic
def update_targeting_rule(*, actor: User, rule: TargetingRule, parameters: dict) -> TargetingRule:
    params, errors = targeting.clean_parameters(rule.code, parameters)
    if errors:
        raise BusinessError(errors)
    before = audit.snapshot(rule)
    rule.parameters = params
    rule.save(update_fields=["parameters", "updated_at"])
    audit.record_write(
        actor=actor, obj=rule, before=before, person_id=None, summary="Règle de ciblage modifiée"
    )
    return rule


def rejection_rows(run: TargetingRun) -> Iterator[list[Any]]:
    """Chaque motif de rejet du ciblage ``run`` (ligne, colonne, motif) : la liste complète
    écrite pendant l'import, ou, à défaut (ciblage antérieur), les motifs gardés en base."""
    path = rejections_path(run)
    if path.is_file():
        yield from rejections.read(path)
        return
    for error in run.errors:
        yield [error.get(f) for f in REJECTION_FIELDS]


@transaction.atomic
def record_rejections_read(*, actor: User, run: TargetingRun) -> None:
    """Le téléchargement des motifs de rejet (valeurs lues dans l'extrait) est journalisé."""
    audit.record(
        actor=actor,
        action=AuditEntry.Action.READ,
        obj=run,
        summary=f"Téléchargement des {run.error_count} motifs de rejet du ciblage n°{run.pk}",
        changes={"motifs": run.error_count},
    )


class AlreadyImported(Exception):
    def __init__(self, previous: TargetingRun) -> None:
        super().__init__("Fichier déjà importé")
        self.previous = previous


def run_sick_leave_extract(
    *,
    actor: User | None,
    organisation: Organisation,
    path: str | os.PathLike[str],
    extraction_date: datetime.date,
    dry_run: bool,
    file_name: str = "",
    run: TargetingRun | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> TargetingRun:
    """Importe un extrait d'arrêts de travail (formats.md §3) et applique la règle ``ARRET_LONG``.

    Sémantique commune (essai, un import par fichier, tout ou rien) : ``execute_run``.
    ``HeaderError`` si le fichier est refusé (encodage, en-tête) : rien n'est écrit.
    """
    return execute_run(
        code=targeting.ARRET_LONG,
        read=_read_sick_leave,
        actor=actor,
        organisation=organisation,
        path=path,
        extraction_date=extraction_date,
        dry_run=dry_run,
        file_name=file_name,
        run=run,
        on_progress=on_progress,
    )


def run_events_extract(
    *,
    actor: User | None,
    organisation: Organisation,
    path: str | os.PathLike[str],
    extraction_date: datetime.date,
    dry_run: bool,
    code: str,
    file_name: str = "",
    run: TargetingRun | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> TargetingRun:
    """Un fichier d'événements (formats.md §6.4) passé dans la règle d'événement ``code`` (une
    règle du catalogue de source ``evenements``) : même sémantique que l'extrait d'arrêts. Les
    lignes valides d'un autre événement ne sont pas retenues ; seules les lignes retenues (après
    exclusions) deviennent des fiches."""
    if code not in targeting.RULES or targeting.RULES[code].source != "evenements":
        raise BusinessError({"code": f"« {code} » n'est pas une règle du fichier d'événements."})
    return execute_run(
        code=code,
        read=_read_events,
        actor=actor,
        organisation=organisation,
        path=path,
        extraction_date=extraction_date,
        dry_run=dry_run,
        file_name=file_name,
        run=run,
        on_progress=on_progress,
    )


def run_targeting_file(*, code: str, year: int | None = None, **kwargs: Any) -> TargetingRun:
    """Le ciblage de la règle ``code`` sur son fichier, quel que soit le genre du fichier
    (``year`` : l'année du fichier des retraités, pour son score)."""
    source = targeting.RULES[code].source
    if source == "extrait_arrets":
        return run_sick_leave_extract(**kwargs)
    if source == "evenements":
        return run_events_extract(code=code, **kwargs)
    runner = EXTERNAL_RUNNERS.get(source)
    if runner is None:
        raise BusinessError({"code": f"Aucun lecteur pour les fichiers « {source} »."})
    return runner(code=code, year=year, **kwargs)


def _csv_rows(
    reading: Reading, path: Path, check_header: Callable, parse_row: Callable
) -> Iterator[tuple[Any, str]]:
    """Les lignes valides d'un CSV de ciblage et leur département ; les autres sont rejetées."""
    from parcours.core.models import Commune

    communes = dict(Commune.objects.values_list("code", "departement_id"))
    with extract.Reader(path) as reader:
        positions, _extra = check_header(reader.header)
        for line, values in reader.rows():
            reading.counts.lines += 1
            if reading.on_progress is not None and reading.counts.lines % 5000 == 0:
                reading.on_progress(reader.fraction())  # un extrait invalide avance aussi
            row, problems = parse_row(values, line, positions, communes, reading.extraction_date)
            if row is None:
                reading.reject(line, problems)
                continue
            yield row, communes[row.commune]


def _read_sick_leave(reading: Reading, path: Path) -> None:
    for row, departement in _csv_rows(
        reading, path, extract_rules.check_header, extract_rules.parse_row
    ):
        hashed = hash_nir(row.nir)
        first = reading.first_line(hashed, row.line)
        if first is not None:
            reading.reject(row.line, [("nir", f"même NIR qu'à la ligne {first}")])
            continue
        reading.counts.valid += 1
        facts = targeting.SickLeaveFacts(row.sick_leave_start, row.birth_date, departement)
        if targeting.evaluate(
            reading.run.rule_code, facts, reading.extraction_date, reading.params
        ):
            reading.select(
                Candidate(
                    identity=row.identity,
                    hashed=hashed,
                    departement=departement,
                    sick_leave_start=row.sick_leave_start,
                    risk=row.risk,
                )
            )


def _read_events(reading: Reading, path: Path) -> None:
    code = reading.run.rule_code
    for row, departement in _csv_rows(
        reading, path, events_rules.check_header, events_rules.parse_row
    ):
        hashed = hash_nir(row.nir)
        first = reading.first_line((hashed, row.event), row.line)
        if first is not None:
            reading.reject(row.line, [("nir", f"même NIR et même événement qu'à la ligne {first}")])
            continue
        reading.counts.valid += 1
        facts = targeting.EventFacts(row.event, row.event_date, row.birth_date, departement)
        # une règle qui regarde les visites à domicile est réévaluée par lot (personnes connues)
        if targeting.evaluate(code, facts, reading.extraction_date, reading.params):
            reading.select(
                Candidate(
                    identity=row.identity,
                    hashed=hashed,
                    departement=departement,
                    event=row.event,
                    event_date=row.event_date,
                    facts=facts,
                )
            )


def fail_run(*, run_id: int, status: str, message: str) -> None:
    """Un ciblage refusé ou en échec : rien d'autre n'a été écrit (transaction annulée)."""
    TargetingRun.objects.filter(pk=run_id).update(
        status=status, message=message, progress=100, finished_at=clock.now()
    )


def store_upload(*, uploaded: UploadedFile, directory: str | os.PathLike[str]) -> tuple[str, str]:
    """Enregistre un fichier envoyé, par morceaux (jamais entier en mémoire) : (chemin, nom)."""
    import uuid

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    name = Path(uploaded.name or "extrait.csv").name[:255]
    suffix = ".parquet" if name.lower().endswith(".parquet") else ".csv"
    path = directory / f"{uuid.uuid4().hex}{suffix}"
    with open(path, "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return str(path), name


@transaction.atomic
def start_targeting_run(
    *,
    actor: User,
    organisation: Organisation,
    file_path: str,
    file_name: str,
    extraction_date: datetime.date,
    dry_run: bool,
    code: str = targeting.ARRET_LONG,
    year: int | None = None,
) -> TargetingRun:
    """Crée le ciblage (essai ou réel) de la règle ``code``, « en attente » : l'appelant confie
    son exécution à la tâche de fond une fois la transaction validée
    (``outreach.tasks.run_after_commit``). ``year`` : l'année du fichier des retraités."""
    rule = targeting_rule(organisation=organisation, code=code)
    applied = {"annee": year} if year is not None else {}
    run = TargetingRun.objects.create(
        organisation=organisation,
        rule=rule,
        rule_code=rule.code,
        parameters=rule.parameters | applied,
        programme=rule.programme,
        dry_run=dry_run,
        file_name=file_name,
        file_path=file_path,
        extraction_date=extraction_date,
        created_by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=run,
        before=None,
        person_id=None,
        summary="Ciblage demandé (essai)" if dry_run else "Ciblage demandé (import réel)",
    )
    return run
