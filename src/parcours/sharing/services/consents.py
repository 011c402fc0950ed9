"""Écritures du partage : consentements (enregistrement, retrait) et partages faits.

Les autres écritures qui font sortir une information (orientations, parcours partagés,
évaluations partagées) passent par ``ensure_covered`` avant d'écrire, puis par
``record_disclosure`` dans leur transaction : pas de partage sans base, pas de partage sans trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import models, transaction

from parcours.core import audit, clock
from parcours.core.exceptions import BusinessError
from parcours.core.models import AuditEntry, Organisation
from parcours.partners.models import Partner
from parcours.rules import sharing as rules
from parcours.sharing.models import Consent, Disclosure

if TYPE_CHECKING:
    from parcours.core.models import User
    from parcours.people.models import Person


def _refused(error: rules.SharingRefused) -> BusinessError:
    return BusinessError({error.field: error.message})


@transaction.atomic
def record_consent(
    *,
    actor: User,
    person: Person,
    categories: Iterable[str],
    purpose: str,
    given_on: date,
    method: str,
    given_by: str,
    representative_name: str = "",
    partners: Iterable[Partner] = (),
    organisations: Iterable[Organisation] = (),
) -> Consent:
    """Enregistre le consentement d'une personne de l'organisme de l'agent.

    Refus : catégorie inconnue ou aucune, aucun destinataire, partenaire d'un autre annuaire,
    l'organisme de l'agent lui-même comme destinataire, date dans l'avenir, représentant sans nom.
    """
    try:
        chosen = rules.check_categories(categories)
    except rules.SharingRefused as error:
        raise _refused(error) from None
    partners, organisations = list(partners), list(organisations)
    errors: dict[str, str] = {}
    if not partners and not organisations:
        errors["partners"] = "Nommez au moins un destinataire : un partenaire ou un organisme."
    if any(p.organisation_id != person.organisation_id for p in partners):
        errors["partners"] = "Ce partenaire n'est pas dans l'annuaire de l'organisme."
    if any(o.pk == person.organisation_id for o in organisations):
        errors["organisations"] = "L'organisme qui suit la personne n'a pas à être destinataire."
    if given_on > clock.today():
        errors["given_on"] = "Un consentement se date du jour où il a été donné, pas après."
    if method not in rules.METHODS:
        errors["method"] = "Indiquez comment le consentement a été donné."
    if given_by not in rules.GIVERS:
        errors["given_by"] = "Indiquez qui a donné le consentement."
    elif given_by == "REPRESENTANT" and not representative_name.strip():
        errors["representative_name"] = "Indiquez le nom du représentant légal."
    if not purpose.strip():
        errors["purpose"] = "Indiquez le but du partage."
    if errors:
        raise BusinessError(errors)
    consent = Consent.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        categories=chosen,
        purpose=purpose.strip(),
        given_on=given_on,
        method=method,
        given_by=given_by,
        representative_name=representative_name.strip() if given_by == "REPRESENTANT" else "",
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    consent.partners.set(partners)
    consent.organisations.set(organisations)
    audit.record_write(
        actor=actor,
        obj=consent,
        before=None,
        person_id=person.pk,
        summary="Consentement au partage enregistré",
    )
    return consent


@transaction.atomic
def withdraw_consent(
    *, actor: User, consent: Consent, on: date | None = None, reason: str = ""
) -> Consent:
    """Retire le consentement : dès ce jour, il ne couvre plus aucun partage (les accès qu'il
    ouvrait tombent aussitôt, puisque chacun le relit)."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    today = clock.today()
    on = on or today
    if consent.withdrawn_on is not None:
        raise BusinessError("Ce consentement est déjà retiré.")
    if on > today:
        raise BusinessError({"on": "Le retrait se date d'aujourd'hui au plus tard."})
    if on < consent.given_on:
        raise BusinessError({"on": "Le retrait ne peut précéder le consentement."})
    before = audit.snapshot(consent)
    consent.withdrawn_on = on
    consent.withdrawal_reason = reason.strip()
    consent.withdrawal_recorded_by = actor
    consent.save(update_fields=["withdrawn_on", "withdrawal_reason", "withdrawal_recorded_by"])
    audit.record_write(
        actor=actor,
        obj=consent,
        before=before,
        person_id=consent.person_id,
        summary="Consentement au partage retiré",
    )
    return consent


def names_recipient(
    consent: Consent, *, partner: Partner | None = None, organisation: Organisation | None = None
) -> bool:
    if partner is not None:
        return consent.partners.filter(pk=partner.pk).exists()
    if organisation is not None:
        return consent.organisations.filter(pk=organisation.pk).exists()
    return False


def ensure_covered(
    *,
    basis: str,
    categories: Iterable[str],
    consent: Consent | None,
    person: Person,
    partner: Partner | None = None,
    organisation: Organisation | None = None,
    today: date | None = None,
) -> list[str]:
    """Vérifie qu'un partage vers ``partner`` ou ``organisation`` a sa base ; rend les
    catégories dans l'ordre de la liste, ou lève ``BusinessError`` (message français).

    Sous consentement : il est celui de la personne, en vigueur ce jour, nomme le destinataire
    et couvre chaque catégorie demandée."""
    today = today or clock.today()
    categories = list(categories)
    if consent is not None and consent.person_id != person.pk:
        raise BusinessError({"consent": "Ce consentement n'est pas celui de cette personne."})
    try:
        rules.check_basis(
            basis=basis,
            requested=categories,
            consent_categories=consent.categories if consent is not None else None,
            consent_given_on=consent.given_on if consent is not None else None,
            consent_withdrawn_on=consent.withdrawn_on if consent is not None else None,
            today=today,
        )
    except rules.SharingRefused as error:
        raise _refused(error) from None
    if (
        basis == rules.CONSENTEMENT
        and consent is not None
        and not names_recipient(consent, partner=partner, organisation=organisation)
    ):
        raise BusinessError(
            {"consent": "Ce consentement ne nomme pas ce destinataire : le partage est refusé."}
        )
    return rules.check_categories(categories)


def record_disclosure(
    *,
    actor: User,
    person: Person,
    basis: str,
    consent: Consent | None,
    categories: Iterable[str],
    obj: models.Model,
    label: str,
    partner: Partner | None = None,
    organisation: Organisation | None = None,
) -> Disclosure:
    """Trace un partage fait, dans la transaction de l'écriture qui partage (à appeler après
    ``ensure_covered``). Vers un autre organisme, le journal de l'organisme destinataire reçoit
    aussi sa ligne : chacun voit chez lui ce qui a été échangé."""
    disclosure = Disclosure.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        basis=basis,
        consent=consent if basis == rules.CONSENTEMENT else None,
        partner=partner,
        recipient_organisation=organisation,
        categories=rules.check_categories(categories),
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        label=label[:200],
        at=clock.now(),
        actor=actor,
    )
    audit.record_write(actor=actor, obj=disclosure, before=None, person_id=person.pk, summary=label)
    if organisation is not None:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=disclosure,
            organisation_id=organisation.pk,
            summary=f"Partage reçu d'un autre organisme : {label}",
        )
    return disclosure


def record_cross_read(*, actor: User, obj: models.Model, person: Person, summary: str) -> None:
    """Une lecture par un agent d'un autre organisme (parcours partagé, évaluation reconnue) :
    une ligne au journal de chaque côté, celui du lecteur et celui qui détient la personne
    (la personne n'est nommée que dans le journal de son organisme)."""
    audit.record(
        actor=actor,
        action=AuditEntry.Action.READ,
        obj=obj,
        organisation_id=actor.organisation_id,
        summary=summary,
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.READ,
        obj=obj,
        organisation_id=person.organisation_id,
        person_id=person.pk,
        summary=f"Lu par un autre organisme : {summary}",
    )
