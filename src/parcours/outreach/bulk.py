"""Signalements, campagnes, offres de service et contacts d'accueil créés en masse (imports),
par le moteur ``core/bulk.py``.

Invariants tenus ici comme dans ``services`` : un signalement ou une offre sans département
prend celui de la personne (formats.md §5) ; chaque offre a une référence unique (préfixe et
identifiant) ; un contact d'accueil est daté (jour et horodatage conscient du fuseau). Chaque
création est comptée dans l'audit du lot (:class:`parcours.core.bulk.BatchAudit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from parcours.core import bulk
from parcours.core.models import Organisation, User
from parcours.outreach.models import (
    Campaign,
    FrontLineContact,
    Referral,
    ServiceOffer,
    new_referral_reference,
)
from parcours.people.models import Person


@dataclass(slots=True)
class NewReferral:
    person_id: int
    emitter: str
    received_on: date
    reason: str
    programme: str
    status: str
    status_changed_on: date | None = None
    departement_id: str | None = None  # vide : celui de la personne


@dataclass(slots=True)
class NewCampaign:
    name: str
    channel: str
    proposal: str
    programme: str
    sent_on: date
    created_by_id: int


@dataclass(slots=True)
class NewOffer:
    campaign_id: int
    person_id: int
    sent_on: date
    channel: str
    status: str
    programme: str
    departement_id: str | None = None  # vide : celui de la personne


@dataclass(slots=True)
class NewFrontLineContact:
    at: datetime
    date: date
    departement_id: str
    agent_id: int
    channel: str
    reason: str
    answer: str
    person_id: int | None = None


def _departements(people: Iterable[int]) -> dict[int, str]:
    """Le département de chaque personne de ``people`` (une requête, aucune s'il n'y en a pas)."""
    wanted = set(people)
    if not wanted:
        return {}
    return dict(Person.objects.filter(pk__in=wanted).values_list("pk", "departement_id"))


@transaction.atomic(savepoint=False)
def create_referrals(
    *,
    actor: User | None,
    organisation: Organisation,
    referrals: Sequence[NewReferral],
    audit: bulk.BatchAudit,
) -> list[int]:
    """Crée les signalements ; leurs identifiants, dans l'ordre."""
    org_id = organisation.pk
    deps = _departements(r.person_id for r in referrals if not r.departement_id)
    ids = bulk.insert_records(
        Referral,
        [
            {
                "organisation_id": org_id,
                # une référence par ligne (core.bulk calcule une seule fois les défauts)
                "reference": new_referral_reference(),
                "person_id": r.person_id,
                "emitter": r.emitter,
                "received_on": r.received_on,
                "reason": r.reason,
                "programme": r.programme,
                "departement_id": r.departement_id or deps[r.person_id],
                "status": r.status,
                "status_changed_on": r.status_changed_on,
            }
            for r in referrals
        ],
    )
    audit.add("referral", len(ids))
    return ids


@transaction.atomic(savepoint=False)
def create_campaigns(
    *,
    actor: User | None,
    organisation: Organisation,
    campaigns: Sequence[NewCampaign],
    audit: bulk.BatchAudit,
) -> list[int]:
    """Crée les campagnes (sans envoi : leurs offres sont déjà parties) ; leurs identifiants."""
    org_id = organisation.pk
    ids = bulk.insert_records(
        Campaign,
        [
            {
                "organisation_id": org_id,
                "name": c.name,
                "channel": c.channel,
                "proposal": c.proposal,
                "programme": c.programme,
                "sent_on": c.sent_on,
                "created_by_id": c.created_by_id,
            }
            for c in campaigns
        ],
    )
    audit.add("campaign", len(ids))
    return ids


@transaction.atomic(savepoint=False)
def create_offers(
    *,
    actor: User | None,
    organisation: Organisation,
    offers: Sequence[NewOffer],
    reference_prefix: str,
    audit: bulk.BatchAudit,
) -> list[int]:
    """Crée les offres de service, de référence ``reference_prefix`` suivi de l'identifiant ;
    leurs identifiants, dans l'ordre."""
    org_id = organisation.pk
    deps = _departements(o.person_id for o in offers if not o.departement_id)
    ids = bulk.reserve_ids(ServiceOffer, len(offers))
    bulk.insert_records(
        ServiceOffer,
        [
            {
                "organisation_id": org_id,
                "campaign_id": o.campaign_id,
                "person_id": o.person_id,
                "reference": f"{reference_prefix}{pk}",
                "sent_on": o.sent_on,
                "channel": o.channel,
                "status": o.status,
                "programme": o.programme,
                "departement_id": o.departement_id or deps[o.person_id],
            }
            for o, pk in zip(offers, ids, strict=True)
        ],
        ids=ids,
    )
    audit.add("serviceoffer", len(ids))
    return ids


@transaction.atomic(savepoint=False)
def create_front_line_contacts(
    *,
    actor: User | None,
    organisation: Organisation,
    contacts: Sequence[NewFrontLineContact],
    audit: bulk.BatchAudit,
) -> list[int]:
    """Crée les contacts d'accueil ; leurs identifiants, dans l'ordre."""
    org_id = organisation.pk
    ids = bulk.insert_records(
        FrontLineContact,
        [
            {
                "organisation_id": org_id,
                "at": c.at,
                "date": c.date,
                "departement_id": c.departement_id,
                "agent_id": c.agent_id,
                "person_id": c.person_id,
                "channel": c.channel,
                "reason": c.reason,
                "answer": c.answer,
            }
            for c in contacts
        ],
    )
    audit.add("frontlinecontact", len(ids))
    return ids
