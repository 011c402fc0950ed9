"""Détection et premiers contacts : écritures avec audit."""

import datetime
import json
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import connection, models, transaction
from django.utils import timezone

from parcours.core import audit, clock, crypto, messaging
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry
from parcours.core.nomenclatures import Canal, StatutOffre, TypeCollectif
from parcours.groups import services as group_services
from parcours.groups.models import Invitation
from parcours.outreach import extract
from parcours.outreach.models import (
    Appointment,
    AppointmentRequest,
    Campaign,
    FrontLineContact,
    Permanence,
    Referral,
    ServiceOffer,
    TargetingEntry,
    TargetingRule,
    TargetingRun,
)
from parcours.people.models import Person
from parcours.people.services import derive_search_keys
from parcours.rules import nir as nir_rules
from parcours.rules import offers as offer_rules
from parcours.rules import referral_workflow, targeting
from parcours.rules import sick_leave_extract as extract_rules
from parcours.rules.sick_leave_extract import ExtractRow


@transaction.atomic
def record_request(
    *, actor, person, received_on, channel: str = "", reason: str = "", assigned_to=None
) -> AppointmentRequest:
    if received_on > clock.today():
        raise BusinessError(
            {"received_on": "La date de la demande ne peut pas être dans le futur."}
        )
    request = AppointmentRequest.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        departement_id=person.departement_id,
        received_on=received_on,
        channel=channel,
        reason=reason,
        assigned_to=assigned_to,
        created_by=actor,
    )
    audit.record_write(
        actor=actor,
        obj=request,
        before=None,
        person_id=person.pk,
        summary="Demande de rendez-vous enregistrée",
    )
    return request


@transaction.atomic
def book_appointment(
    *,
    actor,
    person,
    staff,
    starts_at,
    mode: str,
    duration_minutes: int = 45,
    site=None,
    request: AppointmentRequest | None = None,
) -> Appointment:
    """Fixe un rendez-vous ; la demande liée passe à « rendez-vous fixé »."""
    if starts_at < clock.now():
        raise BusinessError({"starts_at": "Un rendez-vous se fixe dans le futur."})
    if request is not None and request.received_on > starts_at.date():
        raise BusinessError({"starts_at": "Le rendez-vous ne peut précéder la demande."})
    appointment = Appointment.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        staff=staff,
        request=request,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        site=site,
        created_by=actor,
    )
    if request is not None and request.status == AppointmentRequest.Status.EN_ATTENTE:
        before = audit.snapshot(request)
        request.status = AppointmentRequest.Status.PLANIFIEE
        request.save(update_fields=["status"])
        audit.record_write(
            actor=actor,
            obj=request,
            before=before,
            person_id=person.pk,
            summary="Demande satisfaite par un rendez-vous",
        )
    audit.record_write(
        actor=actor, obj=appointment, before=None, person_id=person.pk, summary="Rendez-vous fixé"
    )
    return appointment


@transaction.atomic
def set_appointment_status(*, actor, appointment: Appointment, status: str) -> Appointment:
    if (
        status in {Appointment.Status.HONORE, Appointment.Status.MANQUE}
        and appointment.starts_at > clock.now()
    ):
        raise BusinessError("Un rendez-vous à venir ne peut pas être marqué honoré ou manqué.")
    before = audit.snapshot(appointment)
    appointment.status = status
    appointment.save(update_fields=["status"])
    audit.record_write(
        actor=actor,
        obj=appointment,
        before=before,
        person_id=appointment.person_id,
        summary="Rendez-vous mis à jour",
    )
    return appointment


# --- Ciblage ------------------------------------------------------------------------------

BATCH = 2000


def targeting_rule(*, organisation, code: str = targeting.ARRET_LONG) -> TargetingRule:
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
def update_targeting_rule(*, actor, rule: TargetingRule, parameters: dict) -> TargetingRule:
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


@dataclass
class _Counts:
    lines: int = 0
    valid: int = 0
    rejected: int = 0
    targeted: int = 0
    already_known: int = 0
    already_in_case: int = 0
    new_people: int = 0
    errors: list = field(default_factory=list)

    def apply_to(self, run: TargetingRun) -> None:
        for name in (
            "lines",
            "valid",
            "rejected",
            "targeted",
            "already_known",
            "already_in_case",
            "new_people",
            "errors",
        ):
            setattr(run, name, getattr(self, name))


class AlreadyImported(Exception):
    def __init__(self, previous: TargetingRun):
        super().__init__("Fichier déjà importé")
        self.previous = previous


def previous_import(organisation, sha256: str) -> TargetingRun | None:
    return TargetingRun.objects.filter(
        organisation=organisation,
        file_sha256=sha256,
        dry_run=False,
        status=TargetingRun.Status.TERMINE,
    ).first()


def run_sick_leave_extract(
    *,
    actor,
    organisation,
    path,
    extraction_date,
    dry_run: bool,
    file_name: str = "",
    run: TargetingRun | None = None,
    on_progress=None,
) -> TargetingRun:
    """Importe un extrait d'arrêts de travail (formats.md §3) et applique la règle ``ARRET_LONG``.

    Essai (``dry_run``) : rien n'est écrit (sauf ``run`` s'il est fourni, pour l'affichage).
    Import réel : une seule transaction (tout ou rien) qui crée les personnes inconnues (NIR
    par empreinte : jamais de doublon), une ligne ``TargetingEntry`` par personne ciblée et le
    ciblage lui-même ; un fichier déjà importé ne change rien (état « déjà importé »).
    ``HeaderError`` si le fichier est refusé (encodage, en-tête) : rien n'est écrit.
    """
    from pathlib import Path

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


def _process(run, path, params, extraction_date, actor, write, on_progress) -> _Counts:
    from parcours.cases.models import Case
    from parcours.core.models import Commune

    counts = _Counts()
    communes = dict(Commune.objects.values_list("code", "departement_id"))
    seen: dict[str, int] = {}
    batch: list[tuple[ExtractRow, str, str]] = []
    organisation_id = run.organisation_id
    if write:
        run.status = TargetingRun.Status.EN_COURS
        run.save()

    def flush():
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
        batch.clear()

    reader = extract.Reader(path)
    with reader:
        positions, _extra = extract_rules.check_header(reader.header)
        for line, values in reader.rows():
            counts.lines += 1
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
                counts.errors.extend(
                    {"ligne": line, "colonne": column, "motif": reason}
                    for column, reason in problems
                )
                continue
            counts.valid += 1
            departement = communes[row.commune]
            facts = targeting.SickLeaveFacts(row.sick_leave_start, row.birth_date, departement)
            if targeting.evaluate(run.rule_code, facts, extraction_date, params):
                batch.append((row, hashed, departement))
            if len(batch) >= BATCH:
                flush()
            if on_progress is not None and counts.lines % 5000 == 0:
                on_progress(reader.fraction())
        flush()
    return counts


def _fast_insert(model, names: list[str], rows: list[tuple]) -> None:
    """INSERT multi-lignes sans instancier de modèles (l'ORM coûte 10× le SQL sur 100 000
    lignes) ; dates, horodatages et JSON passent par la préparation de leur champ."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    prepare = [
        f.get_db_prep_save
        if isinstance(f, (models.DateField, models.JSONField, models.DecimalField))
        else None
        for f in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        # COPY : le plus rapide, sans analyse d'une longue requête à chaque lot ; psycopg
        # adapte lui-même dates et horodatages (conscients du fuseau), le JSON passe en texte.
        json_columns = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        with connection.cursor() as cursor:
            sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    if json_columns:
                        row = list(row)
                        for i in json_columns:
                            row[i] = json.dumps(row[i])
                    copy.write_row(row)
        return
    # Au plus ~30 000 paramètres par requête (limites : 32 766 pour SQLite ≥ 3.32, 65 535
    # pour PostgreSQL) et 1 000 lignes.
    size = max(1, min(1000, 30000 // len(fields)))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Noms de table et de colonnes du modèle ; les valeurs passent en paramètres.
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = []
            for row in chunk:
                params.extend(
                    value if conv is None else conv(value, connection)
                    for conv, value in zip(prepare, row, strict=True)
                )
            cursor.execute(head + ", ".join([one] * len(chunk)), params)


PERSON_COLUMNS = [
    "organisation_id", "last_name", "birth_name", "first_names", "sex", "birth_date",
    "address", "postal_code", "commune_id", "departement_id", "phone", "email",
    "preferred_channel", "language", "status", "family_situation", "housing", "employment",
    "legal_protection", "long_term_illness", "nir_encrypted", "nir_hash", "nir_masked",
    "last_name_key", "birth_name_key", "first_name_key", "name_phonetic", "phone_digits",
    "version", "created_at", "updated_at", "created_by_id",
]  # fmt: skip


def _insert_people(run, new_people, actor) -> dict[str, int]:
    """Les fiches des personnes ciblées inconnues : mêmes clés de recherche et même
    chiffrement du NIR que ``people.services.create_person``."""
    now = clock.now()
    actor_id = actor.pk if actor is not None and actor.pk else None
    rows = []
    for row, hashed, departement in new_people:
        person = SimpleNamespace(
            last_name=row.last_name, birth_name="", first_names=row.first_names, phone=row.phone
        )
        derive_search_keys(person)
        rows.append(
            (
                run.organisation_id, row.last_name, "", row.first_names, row.sex,
                row.birth_date, row.address, row.postal_code, row.commune, departement,
                row.phone, row.email, "", "", Person.Status.ASSURE.value, "", "", "",
                False, False, crypto.encrypt(row.nir), hashed, nir_rules.mask(row.nir),
                person.last_name_key, person.birth_name_key, person.first_name_key,
                person.name_phonetic, person.phone_digits, 1, now, now, actor_id,
            )
        )  # fmt: skip
    if connection.vendor == "postgresql":
        # Identifiants réservés d'avance dans la séquence : pas de relecture après COPY.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Person._meta.db_table, len(rows)],
            )
            reserved = [r[0] for r in cursor.fetchall()]
        _fast_insert(
            Person,
            ["id", *PERSON_COLUMNS],
            [(pk, *row) for pk, row in zip(reserved, rows, strict=True)],
        )
        return {hashed: pk for (_, hashed, _), pk in zip(new_people, reserved, strict=True)}
    _fast_insert(Person, PERSON_COLUMNS, rows)
    return dict(
        Person.objects.filter(
            organisation_id=run.organisation_id,
            nir_hash__in=[h for _, h, _ in new_people],
            merged_into__isnull=True,
        ).values_list("nir_hash", "id")
    )


def _insert_entries(run, entries, actor) -> None:
    """Une ligne par personne ciblée, et son entrée d'audit (création ou ciblage)."""
    _fast_insert(
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
    _fast_insert(
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


def store_upload(*, uploaded, directory) -> tuple[str, str]:
    """Enregistre un fichier envoyé, par morceaux (jamais entier en mémoire) : (chemin, nom)."""
    import uuid
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}.csv"
    with open(path, "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return str(path), Path(uploaded.name).name[:255]


@transaction.atomic
def start_targeting_run(
    *, actor, organisation, file_path: str, file_name: str, extraction_date, dry_run: bool
) -> TargetingRun:
    """Crée le ciblage (essai ou réel) et confie son exécution à une tâche de fond."""
    from parcours.outreach.tasks import run_targeting

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
    run_targeting.enqueue(run.pk)
    run.refresh_from_db()
    return run


# --- Signalements -------------------------------------------------------------------------


def _open_case_for(person, programme):
    """L'accompagnement ouvert de la personne : celui du programme d'abord, sinon le plus
    récent."""
    from parcours.cases.models import Case

    cases = Case.objects.filter(person=person, state=Case.State.OUVERT).order_by("-opened_on")
    return cases.filter(programme=programme).first() or cases.first()


@transaction.atomic
def record_referral(
    *,
    actor,
    person,
    emitter: str,
    received_on,
    reason: str,
    programme: str,
    priority: str = Referral.Priority.NORMALE,
    emitter_name: str = "",
    emitter_address: str = "",
) -> Referral:
    """Enregistre un signalement. Si la personne a un accompagnement ouvert, il va à son AS
    référente (pris en charge, rattaché à l'accompagnement) au lieu d'en ouvrir un autre."""
    if received_on > clock.today():
        raise BusinessError({"received_on": "La date de réception ne peut pas être dans le futur."})
    referral = Referral(
        organisation_id=person.organisation_id,
        person=person,
        emitter=emitter,
        emitter_name=emitter_name,
        emitter_address=emitter_address,
        received_on=received_on,
        reason=reason,
        priority=priority,
        programme=programme,
        departement_id=person.departement_id,
        created_by=actor,
    )
    case = _open_case_for(person, programme)
    if case is not None and case.referent_id:
        referral.case = case
        referral.assigned_to_id = case.referent_id
        referral.status = Referral.Status.PRIS_EN_CHARGE
        referral.status_changed_on = clock.today()
    referral.save()
    audit.record_write(
        actor=actor,
        obj=referral,
        before=None,
        person_id=person.pk,
        summary="Signalement enregistré"
        + (" (transmis à l'AS de l'accompagnement en cours)" if referral.case_id else ""),
    )
    return referral


@transaction.atomic
def assign_referral(*, actor, referral: Referral, social_worker) -> Referral:
    """Confie le signalement à une AS (prise en charge) ou le réattribue."""
    if social_worker is None:
        raise BusinessError({"social_worker": "Choisissez l'AS qui prend en charge."})
    if (
        social_worker.organisation_id != referral.organisation_id
        or social_worker.function != "AS"
        or not social_worker.departements.filter(code=referral.departement_id).exists()
    ):
        raise BusinessError(
            {"social_worker": "Choisissez une AS qui intervient dans le département."}
        )
    before = audit.snapshot(referral)
    if referral.status == Referral.Status.RECU:
        try:
            referral_workflow.check_transition(
                referral.status, Referral.Status.PRIS_EN_CHARGE, has_social_worker=True
            )
        except referral_workflow.TransitionError as error:
            raise BusinessError(error.message) from None
        referral.status = Referral.Status.PRIS_EN_CHARGE
        referral.status_changed_on = clock.today()
    elif referral.status != Referral.Status.PRIS_EN_CHARGE:
        raise BusinessError("Seul un signalement reçu ou pris en charge peut être attribué.")
    referral.assigned_to = social_worker
    referral.save()
    audit.record_write(
        actor=actor,
        obj=referral,
        before=before,
        person_id=referral.person_id,
        summary=f"Signalement confié à {social_worker}",
    )
    return referral


@transaction.atomic
def set_referral_status(*, actor, referral: Referral, status: str) -> Referral:
    try:
        referral_workflow.check_transition(
            referral.status, status, has_social_worker=referral.assigned_to_id is not None
        )
    except referral_workflow.TransitionError as error:
        raise BusinessError({"status": error.message}) from None
    before = audit.snapshot(referral)
    referral.status = status
    referral.status_changed_on = clock.today()
    referral.save(update_fields=["status", "status_changed_on"])
    audit.record_write(
        actor=actor,
        obj=referral,
        before=before,
        person_id=referral.person_id,
        summary=f"Signalement : {Referral.Status(status).label.lower()}",
    )
    return referral


@transaction.atomic
def record_answer_to_emitter(*, actor, referral: Referral) -> Referral:
    if not referral_workflow.can_answer_emitter(referral.status):
        raise BusinessError("Répondez à l'émetteur une fois le signalement pris en charge.")
    before = audit.snapshot(referral)
    referral.answered_on = clock.today()
    referral.save(update_fields=["answered_on"])
    audit.record_write(
        actor=actor,
        obj=referral,
        before=before,
        person_id=referral.person_id,
        summary="Réponse envoyée à l'émetteur du signalement",
    )
    return referral


# --- Accueil ------------------------------------------------------------------------------


@transaction.atomic
def record_front_line_contact(
    *,
    actor,
    channel: str,
    reason: str,
    answer: str,
    departement_id: str,
    person=None,
    new_person: dict | None = None,
    partner: str = "",
    message: str = "",
    recipient=None,
    duration_minutes: int = 5,
    site=None,
    offer: ServiceOffer | None = None,
) -> FrontLineContact:
    """Un contact d'accueil ; ``new_person`` crée la fiche dans la même transaction.

    Avec ``offer`` (la personne rappelle avec la référence de son courrier), le contact porte
    sur la personne de l'offre, et un rendez-vous fixé rend l'offre « acceptée ».
    """
    from parcours.people.services import create_person

    if offer is not None:
        person, new_person = offer.person, None
    errors = {}
    if answer == FrontLineContact.Answer.ORIENTATION and not partner.strip():
        errors["partner"] = "Indiquez le partenaire vers lequel la personne est orientée."
    if answer == FrontLineContact.Answer.MESSAGE_AS and recipient is None:
        errors["recipient"] = "Choisissez l'AS à qui transmettre le message."
    if answer == FrontLineContact.Answer.RENDEZ_VOUS and person is None and not new_person:
        errors["person"] = "Un rendez-vous se fixe pour une personne identifiée."
    if errors:
        raise BusinessError(errors)
    if new_person:
        person = create_person(
            actor=actor, organisation_id=actor.organisation_id, data=new_person, nir=None
        )
    now = clock.now()
    contact = FrontLineContact.objects.create(
        organisation_id=actor.organisation_id,
        at=now,
        date=timezone.localdate(now),
        departement_id=person.departement_id if person is not None else departement_id,
        site=site if site is not None else getattr(actor, "site", None),
        agent=actor,
        person=person,
        channel=channel,
        reason=reason,
        answer=answer,
        partner=partner,
        message=message,
        recipient=recipient,
        duration_minutes=duration_minutes,
    )
    audit.record_write(
        actor=actor,
        obj=contact,
        before=None,
        person_id=person.pk if person is not None else None,
        summary="Contact d'accueil noté"
        + (f" (offre de service {offer.reference})" if offer is not None else ""),
    )
    if (
        offer is not None
        and answer == FrontLineContact.Answer.RENDEZ_VOUS
        and offer_rules.transition_error(offer.status, StatutOffre.ACCEPTEE) is None
    ):
        set_offer_status(actor=actor, offer=offer, status=StatutOffre.ACCEPTEE)
    return contact


# --- Campagnes et offres de service -------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    actor,
    name: str,
    channel: str,
    proposal: str,
    programme: str,
    people,
    run: TargetingRun | None = None,
    phone: str = "",
    sent_on=None,
    sender=None,
    group_action=None,
    link=None,
) -> Campaign:
    """Une campagne et une offre « envoyée » par personne (référence personnelle unique).

    Courriel et SMS : seules les personnes qui ont un courriel (un téléphone) sont retenues et
    le message part par l'expéditeur configuré (``core.messaging``) ; courrier : les lettres
    sont le PDF de la campagne ; téléphone : la liste d'appels est la page de la campagne.

    Proposition « réunion d'information collective » : ``group_action`` (une réunion
    d'information de l'organisme) reçoit une invitation par personne (``groups.services.invite``,
    origine « ciblage ou campagne ») ; courriers et messages portent le lien personnel
    d'inscription (``link(invitation)`` donne l'adresse complète du lien).
    """
    people = list(people)
    if proposal == Campaign.Proposal.REUNION:
        if group_action is None:
            raise BusinessError({"group_action": "Choisissez la réunion d'information proposée."})
        if (
            group_action.organisation_id != actor.organisation_id
            or group_action.type != TypeCollectif.INFO_COLLECTIVE
        ):
            raise BusinessError(
                {"group_action": "Cette action n'est pas une réunion d'information de l'organisme."}
            )
    else:
        group_action = None
    if channel == Canal.EMAIL:
        people = [p for p in people if p.email]
    elif channel == Canal.SMS:
        people = [p for p in people if p.phone]
    if not people:
        raise BusinessError(
            "La campagne ne concerne aucune personne"
            + (" joignable par ce canal." if channel in {Canal.EMAIL, Canal.SMS} else ".")
        )
    sent_on = sent_on or clock.today()
    campaign = Campaign.objects.create(
        organisation_id=actor.organisation_id,
        name=name,
        run=run,
        channel=channel,
        proposal=proposal,
        group_action=group_action,
        programme=programme,
        phone=phone,
        sent_on=sent_on,
        created_by=actor,
    )
    offers = ServiceOffer.objects.bulk_create(
        [
            ServiceOffer(
                organisation_id=actor.organisation_id,
                campaign=campaign,
                person=person,
                reference=f"OS{campaign.pk:04d}-{i:05d}",
                sent_on=sent_on,
                channel=channel,
                programme=programme,
                departement_id=person.departement_id,
            )
            for i, person in enumerate(people, 1)
        ]
    )
    audit.record_write(
        actor=actor, obj=campaign, before=None, person_id=None, summary="Campagne créée"
    )
    if group_action is not None:
        group_services.invite(
            actor=actor,
            action=group_action,
            people=people,
            source=Invitation.Source.CIBLAGE,
            channel=channel,
        )
    if channel in {Canal.EMAIL, Canal.SMS}:
        _send_offers(campaign, offers, sender or messaging.get_sender(), link=link)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                organisation_id=actor.organisation_id,
                actor=actor,
                at=clock.now(),
                action=AuditEntry.Action.CREATE,
                object_type="serviceoffer",
                object_id=str(offer.pk),
                person_id=offer.person_id,
                summary=f"Offre de service {offer.reference} (campagne n°{campaign.pk})",
            )
            for offer in offers
        ]
    )
    return campaign


@transaction.atomic
def set_offer_status(*, actor, offer: ServiceOffer, status: str) -> ServiceOffer:
    message = offer_rules.transition_error(offer.status, status)
    if message:
        raise BusinessError({"status": message})
    before = audit.snapshot(offer)
    offer.status = status
    if status in {StatutOffre.ACCEPTEE, StatutOffre.REFUSEE}:
        offer.answered_on = clock.today()
    offer.save(update_fields=["status", "answered_on"])
    audit.record_write(
        actor=actor,
        obj=offer,
        before=before,
        person_id=offer.person_id,
        summary=f"Offre {offer.reference} : {StatutOffre(status).label.lower()}",
    )
    return offer


@transaction.atomic
def accept_offers_on_registration(*, actor, action, person) -> int:
    """La personne s'inscrit à une séance de ``action`` : ses offres de service sans réponse
    qui proposaient cette réunion passent « acceptée ». Appelé par ``groups.services.register``
    dans la même transaction ; renvoie le nombre d'offres acceptées."""
    offers = ServiceOffer.objects.filter(
        campaign__group_action=action,
        person=person,
        status__in=[StatutOffre.ENVOYEE, StatutOffre.SANS_REPONSE],
    )
    accepted = 0
    for offer in offers:
        set_offer_status(actor=actor, offer=offer, status=StatutOffre.ACCEPTEE)
        accepted += 1
    return accepted


@transaction.atomic
def remind_offer(*, actor, offer: ServiceOffer) -> ServiceOffer:
    if not offer_rules.can_remind(offer.status):
        raise BusinessError("Une offre qui a reçu une réponse ne se relance pas.")
    before = audit.snapshot(offer)
    offer.reminders += 1
    offer.last_reminder_on = clock.today()
    offer.save(update_fields=["reminders", "last_reminder_on"])
    audit.record_write(
        actor=actor,
        obj=offer,
        before=before,
        person_id=offer.person_id,
        summary=f"Relance de l'offre {offer.reference}",
    )
    return offer


# --- Agenda -------------------------------------------------------------------------------


@transaction.atomic
def add_permanence(*, actor, staff, weekday, start, end, slot_minutes=45, mode, site=None):
    if end <= start:
        raise BusinessError({"end": "La fin doit suivre le début."})
    if slot_minutes < 10:
        raise BusinessError({"slot_minutes": "Un créneau dure au moins 10 minutes."})
    permanence = Permanence.objects.create(
        organisation_id=staff.organisation_id,
        staff=staff,
        site=site,
        mode=mode,
        weekday=weekday,
        start=start,
        end=end,
        slot_minutes=slot_minutes,
    )
    # (les heures ne passent pas par audit.snapshot, qui ne sait pas sérialiser un time)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=permanence,
        summary="Plage de rendez-vous ajoutée",
        changes={
            "staff": {"avant": None, "apres": staff.pk},
            "weekday": {"avant": None, "apres": weekday},
            "start": {"avant": None, "apres": start.isoformat()},
            "end": {"avant": None, "apres": end.isoformat()},
            "slot_minutes": {"avant": None, "apres": slot_minutes},
        },
    )
    return permanence


def send_reminders(*, actor, day, sender=None) -> int:
    """Rappels des rendez-vous prévus le jour ``day`` qui n'en ont pas encore eu."""
    from django.utils.formats import date_format

    sender = sender or messaging.get_sender()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    due = Appointment.objects.filter(
        status=Appointment.Status.PREVU,
        reminded_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    ).select_related("person", "site", "staff")
    sent = 0
    for appointment in due:
        person = appointment.person
        when = date_format(timezone.localtime(appointment.starts_at), "l j F à H\\hi")
        where = f" ({appointment.site.name})" if appointment.site_id else ""
        body = (
            f"Bonjour, nous vous rappelons votre rendez-vous avec le service social le {when}"
            f"{where}, avec {appointment.staff.get_full_name()}. En cas d'empêchement, "
            "merci de nous prévenir."
        )
        if person.phone:
            sender.send(
                messaging.Message(
                    "SMS", person.phone, "Rappel de rendez-vous", body, f"RDV{appointment.pk}"
                )
            )
        elif person.email:
            sender.send(
                messaging.Message(
                    "EMAIL", person.email, "Rappel de rendez-vous", body, f"RDV{appointment.pk}"
                )
            )
        else:
            continue
        with transaction.atomic():
            before = audit.snapshot(appointment)
            appointment.reminded_at = clock.now()
            appointment.save(update_fields=["reminded_at"])
            audit.record_write(
                actor=actor,
                obj=appointment,
                before=before,
                person_id=person.pk,
                summary="Rappel de rendez-vous envoyé",
            )
        sent += 1
    return sent


@transaction.atomic
def appointment_took_place(*, actor, appointment: Appointment):
    """« A eu lieu » : le rendez-vous est honoré et devient un entretien de l'accompagnement
    ouvert de la personne (celui dont l'agent est référent d'abord)."""
    from parcours.cases.models import Case
    from parcours.cases.services import record_contact

    cases = Case.objects.filter(person_id=appointment.person_id, state=Case.State.OUVERT)
    case = (
        cases.filter(referent_id=appointment.staff_id).first()
        or cases.order_by("-opened_on").first()
    )
    if case is None:
        raise BusinessError(
            "La personne n'a pas d'accompagnement ouvert : ouvrez-en un pour y noter l'entretien."
        )
    set_appointment_status(actor=actor, appointment=appointment, status=Appointment.Status.HONORE)
    return record_contact(
        actor=actor,
        case=case,
        on=timezone.localdate(appointment.starts_at),
        mode=appointment.mode,
        duration_minutes=appointment.duration_minutes,
        site=appointment.site,
        staff=appointment.staff,
    )


def send_answer_email(*, actor, referral: Referral, sender=None) -> Referral:
    """Répond à l'émetteur par courriel (adresse de réponse), par l'expéditeur configuré."""
    from django.template.loader import render_to_string

    address = referral.emitter_address.strip()
    if "@" not in address:
        raise BusinessError("L'émetteur n'a pas d'adresse de courriel.")
    if not referral_workflow.can_answer_emitter(referral.status):
        raise BusinessError("Répondez à l'émetteur une fois le signalement pris en charge.")
    body = render_to_string(
        "outreach/reponse_signalement.txt",
        {"referral": referral, "organisation": referral.person.organisation},
    )
    (sender or messaging.get_sender()).send(
        messaging.Message(
            "EMAIL", address, "Suite donnée à votre signalement", body, f"S{referral.pk}"
        )
    )
    return record_answer_to_emitter(actor=actor, referral=referral)


def campaign_invitations(campaign: Campaign, offers) -> dict[int, Invitation]:
    """Les invitations à la réunion proposée par ``campaign``, par personne des ``offers``."""
    if campaign.group_action_id is None:
        return {}
    return {
        i.person_id: i
        for i in Invitation.objects.filter(
            action_id=campaign.group_action_id, person_id__in=[o.person_id for o in offers]
        )
    }


def _send_offers(campaign: Campaign, offers, sender, link=None) -> None:
    by_id = {o.pk: o for o in offers}
    people = Person.objects.in_bulk([o.person_id for o in offers])
    invitations = campaign_invitations(campaign, offers)
    sessions = (
        list(campaign.group_action.sessions.filter(date__gte=clock.today()).select_related("site"))
        if campaign.group_action_id
        else []
    )
    dates = "; ".join(f"{s.date:%d/%m/%Y} à {s.start_time:%H:%M}, {s.place}" for s in sessions)
    for offer in by_id.values():
        person = people[offer.person_id]
        invitation = invitations.get(offer.person_id)
        if campaign.proposal == Campaign.Proposal.REUNION and invitation is not None:
            body = (
                f"Bonjour, le service social de {campaign.organisation.name} vous invite à une "
                f"réunion d'information collective, gratuite : {campaign.group_action.title}"
                + (f" ({dates})" if dates else "")
                + ". Inscrivez-vous avec votre lien personnel : "
                + (link(invitation) if link else group_services.make_token(invitation))
                + (f" ou appelez le {campaign.phone}" if campaign.phone else "")
                + f" (référence {offer.reference})."
            )
            to = person.email if campaign.channel == Canal.EMAIL else person.phone
            sender.send(
                messaging.Message(
                    campaign.channel,
                    to,
                    "Une réunion d'information pour vous",
                    body,
                    offer.reference,
                )
            )
            continue
        if campaign.proposal == Campaign.Proposal.RENDEZ_VOUS:
            ask = "vous propose un rendez-vous pour faire le point avec vous"
        else:
            ask = "peut vous aider"
        body = (
            f"Bonjour, le service social de {campaign.organisation.name} {ask}. "
            f"C'est gratuit et confidentiel. Appelez-nous"
            + (f" au {campaign.phone}" if campaign.phone else "")
            + f" en donnant la référence {offer.reference}."
        )
        to = person.email if campaign.channel == Canal.EMAIL else person.phone
        sender.send(
            messaging.Message(
                campaign.channel, to, "Le service social peut vous aider", body, offer.reference
            )
        )


@transaction.atomic
def remind_campaign(*, actor, campaign: Campaign, offers, sender=None, link=None) -> int:
    """Relance les offres sans réponse de ``offers`` (déjà filtrées par les droits de l'agent) :
    les offres envoyées depuis 30 jours passent d'abord « sans réponse » ; courriel et SMS
    repartent par l'expéditeur ; pour le courrier, la relance est notée (nouveau PDF)."""
    today = clock.today()
    to_remind = [o for o in offers if offer_rules.can_remind(o.status)]
    for offer in to_remind:
        if offer_rules.is_overdue(offer.status, offer.sent_on, today):
            set_offer_status(actor=actor, offer=offer, status=StatutOffre.SANS_REPONSE)
        remind_offer(actor=actor, offer=offer)
    if campaign.channel in {Canal.EMAIL, Canal.SMS} and to_remind:
        _send_offers(campaign, to_remind, sender or messaging.get_sender(), link=link)
    return len(to_remind)
