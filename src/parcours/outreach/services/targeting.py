"""Ciblage : règle de l'organisme, import d'un extrait d'arrêts de travail, ciblages lancés
depuis le web (la vue confie l'exécution à ``outreach.tasks`` une fois la transaction validée)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from parcours.core import audit, bulk, clock, crypto, rejections
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.outreach import extract
from parcours.outreach.models import TargetingEntry, TargetingRule, TargetingRun
from parcours.people import bulk as people_bulk
from parcours.people.models import Person
from parcours.rules import sick_leave_extract as extract_rules
from parcours.rules import targeting
from parcours.rules.sick_leave_extract import ExtractRow

if TYPE_CHECKING:
    import datetime
    import os

    from django.core.files.uploadedfile import UploadedFile

    from parcours.core.models import Organisation, User

BATCH = 2000


def targeting_rule(
    *, organisation: Organisation, code: str = targeting.ARRET_LONG
) -> TargetingRule:
    """La règle ``code`` de l'organisme, créée avec les paramètres par défaut au besoin."""
    spec = targeting.RULES[code]
    rule, _ = TargetingRule.objects.get_or_create(
        organisation=organisation,
        code=code,
        defaults={
            "name": spec.label,
            "programme": spec.programme,
            "parameters": dict(spec.defaults),
        },
    )
    return rule


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


REJECTION_FIELDS = ("ligne", "colonne", "motif")


@dataclass
class _Counts:
    lines: int = 0
    valid: int = 0
    rejected: int = 0
    targeted: int = 0
    already_known: int = 0
    already_in_case: int = 0
    new_people: int = 0
    errors: rejections.Rejections = field(
        default_factory=lambda: rejections.Rejections(REJECTION_FIELDS)
    )

    def apply_to(self, run: TargetingRun) -> None:
        for name in (
            "lines",
            "valid",
            "rejected",
            "targeted",
            "already_known",
            "already_in_case",
            "new_people",
        ):
            setattr(run, name, getattr(self, name))
        run.errors = self.errors.first
        run.error_count = self.errors.count
        run.error_summary = self.errors.summary()


def rejections_path(run: TargetingRun) -> Path:
    """Le fichier de la liste complète des motifs de rejet du ciblage ``run``."""
    return rejections.path_for("ciblage", run.pk)


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


def previous_import(organisation: Organisation, sha256: str) -> TargetingRun | None:
    return TargetingRun.objects.filter(
        organisation=organisation,
        file_sha256=sha256,
        dry_run=False,
        status=TargetingRun.Status.TERMINE,
    ).first()


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

    Essai (``dry_run``) : rien n'est écrit (sauf ``run`` s'il est fourni, pour l'affichage).
    Import réel : une seule transaction (tout ou rien) qui crée les personnes inconnues (NIR
    par empreinte : jamais de doublon), une ligne ``TargetingEntry`` par personne ciblée et le
    ciblage lui-même ; un fichier déjà importé ne change rien (état « déjà importé »).
    ``HeaderError`` si le fichier est refusé (encodage, en-tête) : rien n'est écrit.
    """
    path = Path(path)
    rule = targeting_rule(organisation=organisation, code=targeting.ARRET_LONG)
    params, errors = targeting.clean_parameters(rule.code, rule.parameters)
    if errors:
        raise BusinessError(errors)
    sha256 = extract.fingerprint(path)
    if run is None:
        run = TargetingRun(
            organisation=organisation,
            created_by=actor if actor is not None and actor.pk else None,
            file_name=file_name or path.name,
            extraction_date=extraction_date,
            dry_run=dry_run,
        )
    run.rule = rule
    run.rule_code = rule.code
    run.parameters = params
    run.programme = rule.programme
    run.file_sha256 = sha256
    previous = previous_import(organisation, sha256)
    write = not dry_run and previous is None
    if write:
        with transaction.atomic():
            counts = _process(run, path, params, extraction_date, actor, True, on_progress)
            counts.apply_to(run)
            run.status = TargetingRun.Status.TERMINE
            run.progress = 100
            run.finished_at = clock.now()
            run.message = ""
            run.save()
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=run,
                summary=(
                    f"Ciblage n°{run.pk} : {run.targeted} personnes ciblées, "
                    f"{run.new_people} fiches créées"
                ),
                changes={"resume": {k: v for k, v in run.summary().items() if k != "erreurs"}},
            )
        return run
    counts = _process(run, path, params, extraction_date, actor, False, on_progress)
    counts.apply_to(run)
    run.progress = 100
    run.finished_at = clock.now()
    if previous is not None:
        run.message = (
            f"Ce fichier a déjà été importé le {timezone.localtime(previous.finished_at):%d/%m/%Y} "
            f"(ciblage n°{previous.pk}) : "
            + ("cet essai le relit sans rien écrire." if dry_run else "rien n'a été modifié.")
        )
    run.status = (
        TargetingRun.Status.TERMINE
        if dry_run or previous is None
        else TargetingRun.Status.DEJA_IMPORTE
    )
    if run.pk is not None:
        run.save()
    return run


def _process(
    run: TargetingRun,
    path: Path,
    params: dict,
    extraction_date: datetime.date,
    actor: User | None,
    write: bool,
    on_progress: Callable[[float], None] | None,
) -> _Counts:
    counts = _Counts()
    if write:
        run.status = TargetingRun.Status.EN_COURS
        run.save()
    if run.pk is not None:
        counts.errors = rejections.Rejections(REJECTION_FIELDS, path=rejections_path(run))
    try:
        _read(counts, run, path, params, extraction_date, actor, write, on_progress)
    except BaseException:
        counts.errors.discard()
        raise
    counts.errors.close()
    return counts


def _read(
    counts: _Counts,
    run: TargetingRun,
    path: Path,
    params: dict,
    extraction_date: datetime.date,
    actor: User | None,
    write: bool,
    on_progress: Callable[[float], None] | None,
) -> None:
    from parcours.cases.models import Case
    from parcours.core.models import Commune

    communes = dict(Commune.objects.values_list("code", "departement_id"))
    seen: dict[str, int] = {}
    batch: list[tuple[ExtractRow, str, str]] = []
    organisation_id = run.organisation_id

    def flush() -> None:
        if not batch:
            return
        hashes = [h for _, h, _ in batch]
        known = dict(
            Person.objects.filter(
                organisation_id=organisation_id, nir_hash__in=hashes, merged_into__isnull=True
            ).values_list("nir_hash", "id")
        )
        in_case = set(
            Case.objects.filter(
                organisation_id=organisation_id,
                person_id__in=list(known.values()),
                programme=run.programme,
                state=Case.State.OUVERT,
            ).values_list("person_id", flat=True)
        )
        new_people: list[tuple[ExtractRow, str, str]] = []
        entries: list[tuple[ExtractRow, int, str, bool]] = []
        for row, hashed, departement in batch:
            person_id = known.get(hashed)
            if person_id is not None and person_id in in_case:
                counts.already_in_case += 1
                continue
            counts.targeted += 1
            if person_id is not None:
                counts.already_known += 1
                entries.append((row, person_id, departement, True))
            else:
                counts.new_people += 1
                new_people.append((row, hashed, departement))
        if write and new_people:
            ids = _insert_people(run, new_people, actor)
            entries.extend((row, ids[h], dep, False) for row, h, dep in new_people)
        if write and entries:
            _insert_entries(run, entries, actor)
            bulk.crash_point("ciblage")  # essais de reprise : un lot écrit, rien de validé
        batch.clear()

    reader = extract.Reader(path)
    with reader:
        positions, _extra = extract_rules.check_header(reader.header)
        for line, values in reader.rows():
            counts.lines += 1
            if on_progress is not None and counts.lines % 5000 == 0:
                on_progress(reader.fraction())  # rejetée ou non : un extrait invalide avance aussi
            row, problems = extract_rules.parse_row(
                values, line, positions, communes, extraction_date
            )
            if row is not None:
                hashed = crypto.blind_index(row.nir)
                first = seen.get(hashed)
                if first is not None:
                    problems = [("nir", f"même NIR qu'à la ligne {first}")]
                    row = None
                else:
                    seen[hashed] = line
            if row is None:
                counts.rejected += 1
                for column, reason in problems:
                    counts.errors.add({"ligne": line, "colonne": column, "motif": reason})
                continue
            counts.valid += 1
            departement = communes[row.commune]
            facts = targeting.SickLeaveFacts(row.sick_leave_start, row.birth_date, departement)
            if targeting.evaluate(run.rule_code, facts, extraction_date, params):
                batch.append((row, hashed, departement))
            if len(batch) >= BATCH:
                flush()
        flush()


def _insert_people(
    run: TargetingRun, new_people: list[tuple[ExtractRow, str, str]], actor: User | None
) -> dict[str, int]:
    """Les fiches des personnes ciblées inconnues, par le service en masse des personnes (mêmes
    clés de recherche et même chiffrement du NIR que ``people.services.create_person``) ;
    chacune est journalisée avec sa ligne de ciblage (``_insert_entries``)."""
    ids = people_bulk.create_people(
        actor=actor,
        organisation=run.organisation,
        people=[
            people_bulk.NewPerson(
                last_name=row.last_name,
                first_names=row.first_names,
                sex=row.sex,
                birth_date=row.birth_date,
                departement_id=departement,
                commune_id=row.commune,
                nir=row.nir,
                phone=row.phone,
                address=row.address,
                postal_code=row.postal_code,
                email=row.email,
                status=Person.Status.ASSURE,
            )
            for row, _hashed, departement in new_people
        ],
        audit=None,
    )
    return {hashed: pk for (_, hashed, _), pk in zip(new_people, ids, strict=True)}


def _insert_entries(
    run: TargetingRun, entries: list[tuple[ExtractRow, int, str, bool]], actor: User | None
) -> None:
    """Une ligne par personne ciblée, et son entrée d'audit (création ou ciblage)."""
    bulk.insert_rows(
        TargetingEntry,
        [
            "organisation_id", "run_id", "person_id", "departement_id", "line",
            "sick_leave_start", "risk", "already_known",
        ],
        [
            (run.organisation_id, run.pk, pid, dep, row.line, row.sick_leave_start, row.risk, k)
            for row, pid, dep, k in entries
        ],
    )  # fmt: skip
    at = clock.now()
    actor_id = actor.pk if actor is not None and actor.pk else None
    bulk.insert_rows(
        AuditEntry,
        [
            "organisation_id", "actor_id", "at", "action", "object_type", "object_id",
            "person_id", "summary", "changes",
        ],
        [
            (
                run.organisation_id, actor_id, at,
                AuditEntry.Action.UPDATE.value if known else AuditEntry.Action.CREATE.value,
                "person", str(pid), pid,
                f"Ciblage n°{run.pk} (ligne {row.line}) : "
                + ("personne déjà connue ciblée" if known else "fiche créée"),
                {},
            )
            for row, pid, _dep, known in entries
        ],
    )  # fmt: skip


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
    path = directory / f"{uuid.uuid4().hex}.csv"
    with open(path, "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return str(path), Path(uploaded.name or "extrait.csv").name[:255]


@transaction.atomic
def start_targeting_run(
    *,
    actor: User,
    organisation: Organisation,
    file_path: str,
    file_name: str,
    extraction_date: datetime.date,
    dry_run: bool,
) -> TargetingRun:
    """Crée le ciblage (essai ou réel), « en attente » : l'appelant confie son exécution à la
    tâche de fond une fois la transaction validée (``outreach.tasks.run_after_commit``)."""
    rule = targeting_rule(organisation=organisation)
    run = TargetingRun.objects.create(
        organisation=organisation,
        rule=rule,
        rule_code=rule.code,
        parameters=rule.parameters,
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
