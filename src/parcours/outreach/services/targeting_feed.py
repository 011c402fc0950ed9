"""Le mécanisme commun des ciblages, pour toute règle et tout lecteur de fichier.

Un lecteur (extrait d'arrêts, fichier d'événements, fichier des retraités de l'observatoire) lit
son fichier, rejette les lignes invalides (:meth:`Reading.reject`), écarte les doublons de NIR
(:meth:`Reading.first_line`) et donne chaque ligne retenue par la règle à :meth:`Reading.select`
(un :class:`Candidate`). Le mécanisme fait le reste, par lots : personnes connues par empreinte du
NIR, visites à domicile (règles qui les regardent), exclusions (déjà en accompagnement ouvert du
programme, déjà sollicitées par une offre de service dans la période de la règle), fiches des
nouvelles personnes (``people.bulk``), lignes ``TargetingEntry`` et entrées d'audit.

:func:`execute_run` porte la sémantique commune : essai (rien n'écrit), un seul import réel par
fichier et par règle (empreinte SHA-256), tout ou rien dans une transaction, états et message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from parcours.core import audit, bulk, clock, crypto, rejections
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import Mode
from parcours.outreach import extract
from parcours.outreach.models import ServiceOffer, TargetingEntry, TargetingRule, TargetingRun
from parcours.people import bulk as people_bulk
from parcours.people.models import Person
from parcours.rules import targeting
from parcours.rules.extract_identity import Identity

if TYPE_CHECKING:
    import datetime
    import os

    from parcours.core.models import Organisation, User

BATCH = 2000
REJECTION_FIELDS = ("ligne", "colonne", "motif")
COUNT_FIELDS = (
    "lines",
    "valid",
    "rejected",
    "targeted",
    "already_known",
    "already_in_case",
    "already_offered",
    "new_people",
)


@dataclass
class Counts:
    lines: int = 0
    valid: int = 0
    rejected: int = 0
    targeted: int = 0
    already_known: int = 0
    already_in_case: int = 0
    already_offered: int = 0
    new_people: int = 0
    errors: rejections.Rejections = field(
        default_factory=lambda: rejections.Rejections(REJECTION_FIELDS)
    )

    def apply_to(self, run: TargetingRun) -> None:
        for name in COUNT_FIELDS:
            setattr(run, name, getattr(self, name))
        run.errors = self.errors.first
        run.error_count = self.errors.count
        run.error_summary = self.errors.summary()


@dataclass(frozen=True, slots=True)
class Candidate:
    """Une ligne valide retenue par la règle (avant les exclusions qui demandent la base)."""

    identity: Identity
    hashed: str  # empreinte du NIR (crypto.blind_index)
    departement: str
    sick_leave_start: datetime.date | None = None
    risk: str = ""
    score: int | None = None
    event: str = ""
    event_date: datetime.date | None = None
    #: faits de la règle, réévalués avec la dernière visite à domicile (règles qui la regardent)
    facts: Any = None


def rejections_path(run: TargetingRun) -> Path:
    """Le fichier de la liste complète des motifs de rejet du ciblage ``run``."""
    return rejections.path_for("ciblage", run.pk)


class Reading:
    """Ce qu'un lecteur reçoit : la règle, ses paramètres, les compteurs, la sélection."""

    def __init__(
        self,
        run: TargetingRun,
        params: dict,
        extraction_date: datetime.date,
        actor: User | None,
        write: bool,
        on_progress: Callable[[float], None] | None,
    ) -> None:
        self.run = run
        self.params = params
        self.extraction_date = extraction_date
        self.actor = actor
        self.write = write
        self.on_progress = on_progress
        self.counts = Counts()
        self.spec = targeting.RULES[run.rule_code]
        self._seen: dict[Any, int] = {}
        self._batch: list[Candidate] = []
        self._offered_since = targeting.offer_window_start(extraction_date, params)

    # --- lignes ---------------------------------------------------------------------------

    def reject(self, line: int, problems: list[tuple[str, str]]) -> None:
        self.counts.rejected += 1
        for column, reason in problems:
            self.counts.errors.add({"ligne": line, "colonne": column, "motif": reason})

    def first_line(self, key: Any, line: int) -> int | None:
        """La ligne où ``key`` (empreinte du NIR, ou plus) a déjà été vue, sinon ``None``."""
        first = self._seen.get(key)
        if first is None:
            self._seen[key] = line
        return first

    def select(self, candidate: Candidate) -> None:
        self._batch.append(candidate)
        if len(self._batch) >= BATCH:
            self.flush()

    # --- lots -----------------------------------------------------------------------------

    def _still_matches(
        self, candidate: Candidate, person_id: int | None, visits: dict[int, datetime.date]
    ) -> bool:
        """La règle réévaluée avec la dernière visite à domicile de la personne (connue)."""
        last = visits.get(person_id) if person_id is not None else None
        facts = dataclasses.replace(candidate.facts, last_home_visit=last)
        return targeting.evaluate(self.run.rule_code, facts, self.extraction_date, self.params)

    def flush(self) -> None:
        from parcours.cases.models import Case, Contact

        batch, self._batch = self._batch, []
        if not batch:
            return
        run, counts = self.run, self.counts
        organisation_id = run.organisation_id
        known = dict(
            Person.objects.filter(
                organisation_id=organisation_id,
                nir_hash__in=[c.hashed for c in batch],
                merged_into__isnull=True,
            ).values_list("nir_hash", "id")
        )
        ids = list(known.values())
        if self.spec.uses_home_visits:
            visits = dict(
                Contact.objects.filter(
                    organisation_id=organisation_id,
                    case__person_id__in=ids,
                    mode=Mode.VAD,
                    on__lte=self.extraction_date,
                )
                .values("case__person_id")
                .annotate(last=Max("on"))
                .values_list("case__person_id", "last")
            )
            batch = [c for c in batch if self._still_matches(c, known.get(c.hashed), visits)]
        in_case = set(
            Case.objects.filter(
                organisation_id=organisation_id,
                person_id__in=ids,
                programme=run.programme,
                state=Case.State.OUVERT,
            ).values_list("person_id", flat=True)
        )
        offered: set[int] = set()
        if self._offered_since is not None:
            offered = set(
                ServiceOffer.objects.filter(
                    organisation_id=organisation_id,
                    person_id__in=ids,
                    sent_on__gte=self._offered_since,
                ).values_list("person_id", flat=True)
            )
        new_people: list[Candidate] = []
        entries: list[tuple[Candidate, int, bool]] = []
        for candidate in batch:
            person_id = known.get(candidate.hashed)
            if person_id is not None and person_id in in_case:
                counts.already_in_case += 1
                continue
            if person_id is not None and person_id in offered:
                counts.already_offered += 1
                continue
            counts.targeted += 1
            if person_id is not None:
                counts.already_known += 1
                entries.append((candidate, person_id, True))
            else:
                counts.new_people += 1
                new_people.append(candidate)
        if self.write and new_people:
            created = _insert_people(run, new_people, self.actor)
            entries.extend((c, created[c.hashed], False) for c in new_people)
        if self.write and entries:
            _insert_entries(run, entries, self.actor)
            bulk.crash_point("ciblage")  # essais de reprise : un lot écrit, rien de validé


def hash_nir(nir: str) -> str:
    return crypto.blind_index(nir)


def _insert_people(
    run: TargetingRun, new_people: list[Candidate], actor: User | None
) -> dict[str, int]:
    """Les fiches des personnes ciblées inconnues, par le service en masse des personnes (mêmes
    clés de recherche et même chiffrement du NIR que ``people.services.create_person``) ;
    chacune est journalisée avec sa ligne de ciblage (``_insert_entries``)."""
    ids = people_bulk.create_people(
        actor=actor,
        organisation=run.organisation,
        people=[
            people_bulk.NewPerson(
                last_name=c.identity.last_name,
                first_names=c.identity.first_names,
                sex=c.identity.sex,
                birth_date=c.identity.birth_date,
                departement_id=c.departement,
                commune_id=c.identity.commune,
                nir=c.identity.nir,
                phone=c.identity.phone,
                address=c.identity.address,
                postal_code=c.identity.postal_code,
                email=c.identity.email,
                status=Person.Status.ASSURE,
            )
            for c in new_people
        ],
        audit=None,
    )
    return {c.hashed: pk for c, pk in zip(new_people, ids, strict=True)}


def _insert_entries(
    run: TargetingRun, entries: list[tuple[Candidate, int, bool]], actor: User | None
) -> None:
    """Une ligne par personne ciblée, et son entrée d'audit (création ou ciblage)."""
    bulk.insert_rows(
        TargetingEntry,
        [
            "organisation_id", "run_id", "person_id", "departement_id", "line",
            "sick_leave_start", "risk", "score", "event", "event_date", "already_known",
        ],
        [
            (
                run.organisation_id, run.pk, pid, c.departement, c.identity.line,
                c.sick_leave_start, c.risk, c.score, c.event, c.event_date, k,
            )
            for c, pid, k in entries
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
                f"Ciblage n°{run.pk} (ligne {c.identity.line}) : "
                + ("personne déjà connue ciblée" if known else "fiche créée"),
                {},
            )
            for c, pid, known in entries
        ],
    )  # fmt: skip


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


def previous_import(
    organisation: Organisation, sha256: str, code: str | None = None
) -> TargetingRun | None:
    """L'import réel terminé de ce fichier (pour la règle ``code`` si elle est donnée)."""
    runs = TargetingRun.objects.filter(
        organisation=organisation,
        file_sha256=sha256,
        dry_run=False,
        status=TargetingRun.Status.TERMINE,
    )
    if code is not None:
        runs = runs.filter(rule_code=code)
    return runs.first()


Reader = Callable[[Reading, Path], None]


def execute_run(
    *,
    code: str,
    read: Reader,
    actor: User | None,
    organisation: Organisation,
    path: str | os.PathLike[str],
    extraction_date: datetime.date,
    dry_run: bool,
    file_name: str = "",
    run: TargetingRun | None = None,
    on_progress: Callable[[float], None] | None = None,
    fingerprint: Callable[[Path], str] = extract.fingerprint,
    applied: dict | None = None,
) -> TargetingRun:
    """Applique la règle ``code`` de l'organisme au fichier ``path`` lu par ``read``.

    Essai (``dry_run``) : rien n'est écrit (sauf ``run`` s'il est fourni, pour l'affichage).
    Import réel : une seule transaction (tout ou rien) qui crée les personnes inconnues (NIR
    par empreinte : jamais de doublon), une ligne ``TargetingEntry`` par personne ciblée et le
    ciblage lui-même ; un fichier déjà importé pour cette règle ne change rien (« déjà
    importé »). ``applied`` complète les paramètres enregistrés sur le ciblage (l'année du
    fichier des retraités). ``HeaderError`` si le fichier est refusé : rien n'est écrit.
    """
    path = Path(path)
    rule = targeting_rule(organisation=organisation, code=code)
    params, errors = targeting.clean_parameters(rule.code, rule.parameters)
    if errors:
        raise BusinessError(errors)
    sha256 = fingerprint(path)
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
    run.parameters = params | (applied or {})
    run.programme = rule.programme
    run.file_sha256 = sha256
    previous = previous_import(organisation, sha256, rule.code)
    write = not dry_run and previous is None
    if write:
        with transaction.atomic():
            counts = _process(run, path, params, extraction_date, actor, True, on_progress, read)
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
    counts = _process(run, path, params, extraction_date, actor, False, on_progress, read)
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
    read: Reader,
) -> Counts:
    if write:
        run.status = TargetingRun.Status.EN_COURS
        run.save()
    reading = Reading(run, params, extraction_date, actor, write, on_progress)
    if run.pk is not None:
        reading.counts.errors = rejections.Rejections(REJECTION_FIELDS, path=rejections_path(run))
    try:
        read(reading, path)
        reading.flush()
    except BaseException:
        reading.counts.errors.discard()
        raise
    reading.counts.errors.close()
    return reading.counts
