"""Écritures des orientations : envoyer (avec, au besoin, le consentement recueilli dans le même
écran), la réponse du destinataire par son lien, les relances à l'échéance, et la suite donnée
par un autre organisme de l'installation à l'orientation reçue chez lui comme signalement.

Le lien du destinataire est un jeton signé (HMAC, comme le lien personnel des actions
collectives) : la référence publique de l'orientation et la date d'émission du lien ; rien de
secret n'est rangé en base, et un lien réémis annule l'ancien.
"""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from parcours.core import audit, clock, crypto, messaging
from parcours.core.exceptions import BusinessError
from parcours.core.nomenclatures import Emetteur, Problematique, Programme
from parcours.rules import orientations as rules
from parcours.rules import sharing as sharing_rules
from parcours.sharing.models import Orientation, OrientationEvent
from parcours.sharing.services.consents import ensure_covered, record_consent, record_disclosure

if TYPE_CHECKING:
    from parcours.cases.models import Case, Contact
    from parcours.core.models import Organisation, User
    from parcours.outreach.models import FrontLineContact, Referral
    from parcours.partners.models import Partner, PartnerContact
    from parcours.people.models import Person
    from parcours.sharing.models import Consent

TOKEN_SALT = "parcours.sharing.lien-orientation"

#: l'émetteur (formats.md §1) d'un signalement venu d'un autre organisme, selon son type
EMITTER_OF_ORGANISATION_KIND = {
    "CPAM": Emetteur.CPAM,
    "CARSAT": Emetteur.RETRAITE,
    "CCAS": Emetteur.CCAS,
}


# --- Lien du destinataire -------------------------------------------------------------------------


def _signature(value: str) -> str:
    return salted_hmac(TOKEN_SALT, value, algorithm="sha256").hexdigest()[:32]


def make_token(orientation: Orientation) -> str:
    value = f"{orientation.reference}-{orientation.link_issued_on.toordinal()}"
    return f"{value}-{_signature(value)}"


def read_token(token: str) -> Orientation | None:
    """L'orientation du lien, ou ``None`` pour un lien falsifié, périmé ou réémis."""
    parts = (token or "").strip().lower().split("-")
    if len(parts) != 3 or not parts[1].isdigit() or not parts[0].isalnum():
        return None
    reference, ordinal, signature = parts
    if not constant_time_compare(signature, _signature(f"{reference}-{ordinal}")):
        return None
    try:
        issued = datetime.date.fromordinal(int(ordinal))
    except (ValueError, OverflowError):
        return None
    if rules.link_expired(issued, clock.today()):
        return None
    return (
        Orientation.objects.select_related("person", "partner", "consent", "organisation")
        .filter(reference=reference, link_issued_on=issued, partner__isnull=False)
        .first()
    )


def link_url(orientation: Orientation, base_url: str = "") -> str:
    """L'adresse du lien ; ``base_url`` (« https://parcours.exemple.fr ») vient de la requête ou,
    pour les relances en tâche de fond, du réglage ``PARCOURS_ADRESSE_PUBLIQUE``."""
    base = (base_url or getattr(settings, "PARCOURS_ADRESSE_PUBLIQUE", "")).rstrip("/")
    return base + reverse("orientation-lien", args=[make_token(orientation)])


def _message(orientation: Orientation, kind: str, base_url: str = "") -> messaging.Message | None:
    contact = orientation.partner_contact
    if orientation.partner_id is None or contact is None or "@" not in (contact.email or ""):
        return None
    body = render_to_string(
        "sharing/orientation_courriel.txt",
        {"orientation": orientation, "kind": kind, "url": link_url(orientation, base_url)},
    )
    subject = (
        "Relance : orientation en attente de votre réponse"
        if kind == "relance"
        else f"Orientation de {orientation.organisation.name}"
    )
    suffix = f"relance{orientation.reminder_count}" if kind == "relance" else "envoi"
    return messaging.Message(
        "EMAIL", contact.email, subject, body, f"O{orientation.reference}-{suffix}"
    )


# --- États ----------------------------------------------------------------------------------------


def _move(
    orientation: Orientation,
    target: str,
    *,
    actor: User | None,
    by_partner: bool = False,
    comment: str = "",
) -> Orientation:
    """Fait passer ``orientation`` (verrouillée par l'appelant) à ``target`` : l'étape, l'audit."""
    try:
        rules.check_transition(orientation.status, target)
    except rules.TransitionError as error:
        raise BusinessError({"status": error.message}) from None
    before = audit.snapshot(orientation)
    today = clock.today()
    OrientationEvent.objects.create(
        orientation=orientation,
        from_status=orientation.status,
        to_status=target,
        at=clock.now(),
        by_user=actor,
        by_partner=by_partner,
        comment=comment.strip(),
    )
    orientation.status = target
    if target == rules.RECUE and orientation.received_on is None:
        orientation.received_on = today
    if target in rules.ANSWERED and orientation.answered_on is None:
        orientation.answered_on = today
    if comment.strip() and target in rules.ANSWERED:
        orientation.answer_comment = comment.strip()
    orientation.save()
    audit.record_write(
        actor=actor,
        obj=orientation,
        before=before,
        person_id=orientation.person_id,
        summary=f"Orientation : {rules.LABELS[target].lower()}"
        + (" (réponse du destinataire)" if by_partner else ""),
    )
    return orientation


def consent_still_valid(orientation: Orientation, today: datetime.date | None = None) -> bool:
    """Le partage tient encore : mission légale, ou consentement en vigueur ce jour."""
    if orientation.basis == sharing_rules.MISSION_LEGALE:
        return True
    consent = orientation.consent
    return consent is not None and sharing_rules.is_active(
        consent.given_on, consent.withdrawn_on, today or clock.today()
    )


# --- Envoi ----------------------------------------------------------------------------------------


def _check_origin(
    person: Person,
    case: Case | None,
    contact: Contact | None,
    front_line_contact: FrontLineContact | None,
) -> dict[str, str]:
    errors = {}
    if case is not None and case.person_id != person.pk:
        errors["case"] = "Cet accompagnement n'est pas celui de la personne."
    if contact is not None and contact.case.person_id != person.pk:
        errors["contact"] = "Cet entretien n'est pas celui de la personne."
    if front_line_contact is not None and front_line_contact.person_id != person.pk:
        errors["front_line_contact"] = "Ce contact d'accueil n'est pas celui de la personne."
    return errors


@transaction.atomic
def send_orientation(
    *,
    actor: User,
    person: Person,
    reason: str,
    request: str,
    categories: list[str],
    basis: str,
    partner: Partner | None = None,
    organisation: Organisation | None = None,
    partner_contact: PartnerContact | None = None,
    consent: Consent | None = None,
    new_consent: dict | None = None,
    deadline: datetime.date | None = None,
    case: Case | None = None,
    contact: Contact | None = None,
    front_line_contact: FrontLineContact | None = None,
    sender: messaging.Sender | None = None,
    base_url: str = "",
) -> Orientation:
    """Oriente ``person`` vers ``partner`` (annuaire de l'organisme) ou ``organisation`` (un autre
    organisme de l'installation), et trace le partage dans la même transaction.

    Sous consentement : ``consent`` (en vigueur, nommant le destinataire, couvrant chaque
    catégorie) ou ``new_consent`` (``given_on``, ``method``, ``given_by``,
    ``representative_name`` : recueilli à l'instant, pour ce destinataire et ces catégories,
    enregistré par l'agent). Sans base ni consentement, rien n'est enregistré.
    """
    today = clock.today()
    errors: dict[str, str] = {}
    if person.organisation_id != actor.organisation_id:
        raise BusinessError("Personne inconnue dans cet organisme.")
    if (partner is None) == (organisation is None):
        errors["recipient"] = "Choisissez un destinataire : un partenaire ou un autre organisme."
    if partner is not None and partner.organisation_id != person.organisation_id:
        errors["recipient"] = "Ce partenaire n'est pas dans l'annuaire de l'organisme."
    if organisation is not None and organisation.pk == person.organisation_id:
        errors["recipient"] = "Choisissez un autre organisme que le vôtre."
    if partner_contact is not None and (
        partner is None or partner_contact.partner_id != partner.pk
    ):
        errors["partner_contact"] = "Ce contact n'est pas celui du partenaire choisi."
    if reason not in Problematique.values:
        errors["reason"] = "Indiquez le motif de l'orientation."
    if not request.strip():
        errors["request"] = "Indiquez ce qui est demandé au destinataire."
    outside = [c for c in categories if c not in rules.ORIENTATION_CATEGORIES]
    if outside:
        errors["categories"] = "Une orientation partage l'identité, la situation ou l'évaluation."
    elif organisation is not None and sharing_rules.IDENTITE not in categories:
        errors["categories"] = (
            "Vers un autre organisme, l'orientation partage au moins l'identité et les "
            "coordonnées : la personne y est retrouvée ou créée."
        )
    deadline = deadline or rules.default_deadline(today)
    if deadline < today:
        errors["deadline"] = "L'échéance de réponse ne peut pas être passée."
    errors |= _check_origin(person, case, contact, front_line_contact)
    if errors:
        raise BusinessError(errors)
    if new_consent is not None:
        if consent is not None:
            raise BusinessError({"consent": "Choisissez un consentement ou recueillez-en un."})
        basis = sharing_rules.CONSENTEMENT
        consent = record_consent(
            actor=actor,
            person=person,
            categories=categories,
            purpose=f"Orientation vers {partner or organisation} : "
            f"{Problematique(reason).label.lower()}",
            given_on=new_consent.get("given_on") or today,
            method=new_consent.get("method", ""),
            given_by=new_consent.get("given_by", ""),
            representative_name=new_consent.get("representative_name", ""),
            partners=[partner] if partner is not None else [],
            organisations=[organisation] if organisation is not None else [],
        )
    chosen = ensure_covered(
        basis=basis,
        categories=categories,
        consent=consent,
        person=person,
        partner=partner,
        organisation=organisation,
        today=today,
    )
    if case is None and contact is not None:
        case = contact.case
    orientation = Orientation.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        departement_id=person.departement_id,
        case=case,
        contact=contact,
        front_line_contact=front_line_contact,
        partner=partner,
        recipient_organisation=organisation,
        partner_contact=partner_contact,
        reason=reason,
        request=request.strip(),
        categories=chosen,
        basis=basis,
        consent=consent if basis == sharing_rules.CONSENTEMENT else None,
        first_deadline=deadline,
        deadline=deadline,
        sent_at=clock.now(),
        sent_on=today,
        reference=secrets.token_hex(8),
        link_issued_on=today,
        created_by=actor,
    )
    OrientationEvent.objects.create(
        orientation=orientation, to_status=rules.ENVOYEE, at=orientation.sent_at, by_user=actor
    )
    audit.record_write(
        actor=actor,
        obj=orientation,
        before=None,
        person_id=person.pk,
        summary=f"Orientation envoyée à {orientation.recipient}",
    )
    record_disclosure(
        actor=actor,
        person=person,
        basis=basis,
        consent=orientation.consent,
        categories=chosen,
        obj=orientation,
        label=f"Orientation vers {orientation.recipient}",
        partner=partner,
        organisation=organisation,
    )
    if organisation is not None:
        _land_in_organisation(actor=actor, orientation=orientation)
    message = _message(orientation, "envoi", base_url)
    if message is not None:
        messaging.send_after_commit(sender or messaging.get_sender(), [message])
    return orientation


# --- Vers un autre organisme : un signalement chez lui --------------------------------------------


def _target_person(*, actor: User, orientation: Orientation) -> Person:
    """La personne chez l'organisme destinataire : la fiche de même NIR (empreinte) s'il en a
    une, sinon une fiche créée avec l'identité partagée."""
    from parcours.people.models import Person
    from parcours.people.services import IDENTITY_FIELDS, create_person

    source = orientation.person
    target = orientation.recipient_organisation
    if source.nir_hash:
        found = (
            Person.objects.filter(
                organisation=target, nir_hash=source.nir_hash, merged_into__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    shared = ["last_name", "birth_name", "first_names", "sex", "birth_date", "address"]
    shared += ["postal_code", "commune", "departement", "phone", "email", "preferred_channel"]
    if sharing_rules.SITUATION in orientation.categories:
        shared += ["status", "family_situation", "housing", "employment", "legal_protection"]
    data = {f: getattr(source, f) for f in shared if f in IDENTITY_FIELDS}
    nir = crypto.decrypt(source.nir_encrypted) if source.nir_encrypted else None
    assert target is not None
    return create_person(actor=actor, organisation_id=target.pk, data=data, nir=nir)


def _land_in_organisation(*, actor: User, orientation: Orientation) -> Referral:
    from parcours.outreach.services import record_referral

    person = _target_person(actor=actor, orientation=orientation)
    programme = orientation.case.programme if orientation.case is not None else Programme.AUTRE
    referral = record_referral(
        actor=actor,
        person=person,
        emitter=EMITTER_OF_ORGANISATION_KIND.get(orientation.organisation.kind, Emetteur.AUTRE),
        emitter_name=orientation.organisation.name,
        received_on=orientation.sent_on,
        reason=(
            f"Orientation de {orientation.organisation.name} — "
            f"{orientation.get_reason_display()} : {orientation.request}"
        )[:500],
        programme=programme,
    )
    orientation.incoming_referral = referral
    orientation.save(update_fields=["incoming_referral"])
    if referral.status != "RECU":
        # transmis d'emblée à l'AS d'un accompagnement ouvert chez le destinataire : pris en charge
        on_referral_status(actor=actor, referral=referral, status=referral.status)
    return referral


#: état d'un signalement chez l'organisme destinataire -> état de l'orientation
STATUS_OF_REFERRAL = {
    "PRIS_EN_CHARGE": rules.RECUE,
    "RENCONTRE": rules.ACCEPTEE,
    "REFUS": rules.REFUSEE,
    "REORIENTE": rules.REFUSEE,
}


def on_referral_status(*, actor: User | None, referral: Referral, status: str) -> None:
    """Crochet de la détection : le signalement né d'une orientation a changé d'état chez
    l'organisme destinataire ; l'orientation suit (dans la même transaction). Un passage que la
    table des orientations n'autorise pas (déjà acceptée, clôturée) est ignoré."""
    target = STATUS_OF_REFERRAL.get(status)
    if target is None:
        return
    orientation = (
        Orientation.objects.select_for_update(of=("self",))
        .filter(incoming_referral_id=referral.pk)
        .first()
    )
    if orientation is None or orientation.status == target:
        return
    if target not in rules.allowed_targets(orientation.status):
        return
    label = {
        "PRIS_EN_CHARGE": "Pris en charge",
        "RENCONTRE": "Personne rencontrée",
        "REFUS": "Refus de la personne",
        "REORIENTE": "Réorientée ailleurs",
    }[status]
    _move(
        orientation,
        target,
        actor=actor,
        by_partner=True,
        comment=f"{label} par {referral.organisation.name if referral.organisation_id else ''}",
    )


# --- Réponse du partenaire par son lien -----------------------------------------------------------


@transaction.atomic
def answer_by_link(*, orientation: Orientation, status: str, comment: str = "") -> Orientation:
    """Le partenaire accuse réception ou répond (lien sans compte). Refus si le partage ne
    tient plus (consentement retiré) ou si l'état demandé n'est pas de son ressort."""
    orientation = (
        Orientation.objects.select_for_update(of=("self",))
        .select_related("consent")
        .get(pk=orientation.pk)
    )
    if not consent_still_valid(orientation):
        raise BusinessError("Le consentement de la personne a été retiré : l'accès est fermé.")
    if status not in rules.PARTNER_TARGETS:
        raise BusinessError({"status": "Choisissez l'une des réponses proposées."})
    if status in {rules.REFUSEE} and not comment.strip():
        raise BusinessError({"comment": "Dites en quelques mots pourquoi vous refusez."})
    return _move(orientation, status, actor=None, by_partner=True, comment=comment)


@transaction.atomic
def close_orientation(*, actor: User, orientation: Orientation, comment: str = "") -> Orientation:
    """L'agent qui suit la personne clôt une orientation acceptée ou refusée."""
    orientation = Orientation.objects.select_for_update(of=("self",)).get(pk=orientation.pk)
    return _move(orientation, rules.CLOTUREE, actor=actor, comment=comment)


# --- Relances -------------------------------------------------------------------------------------


def send_due_reminders(
    *,
    today: datetime.date | None = None,
    sender: messaging.Sender | None = None,
    base_url: str = "",
) -> int:
    """Relance chaque orientation dont l'échéance est passée sans réponse : ``RELANCEE``, une
    nouvelle échéance, un courriel au contact du partenaire ; l'agent qui l'a envoyée la voit sur
    « Mon activité ». Une transaction par orientation ; rend le nombre de relances."""
    today = today or clock.today()
    sender = sender or messaging.get_sender()
    candidates = Orientation.objects.filter(
        status__in=sorted(rules.AWAITING), deadline__lt=today
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(candidates):
        with transaction.atomic():
            orientation = (
                Orientation.objects.select_for_update(of=("self",))
                .select_related("partner_contact", "organisation", "consent")
                .get(pk=pk)
            )
            if not rules.reminder_due(
                orientation.status, orientation.deadline, orientation.last_reminder_on, today
            ):
                continue
            if not consent_still_valid(orientation, today):
                continue
            orientation.reminder_count += 1
            orientation.last_reminder_on = today
            orientation.deadline = rules.next_deadline_after_reminder(today)
            _move(
                orientation,
                rules.RELANCEE,
                actor=None,
                comment="Échéance dépassée sans réponse : relance envoyée.",
            )
            message = _message(orientation, "relance", base_url)
            if message is not None:
                messaging.send_after_commit(sender, [message])
            done += 1
    return done
