"""Qui et quoi a dépassé sa durée de conservation, au jour de la purge (lectures seules).

**Dossiers clos** (anonymisés) — une fiche (non fusionnée, pas déjà anonymisée) qui a au moins un
accompagnement, tous clos, la dernière clôture strictement avant la coupure, et :

- aucune demande d'aide en cours (ni refusée ni payée), aucun prêt dont une échéance reste à
  rembourser, aucun indu pas entièrement recouvré ;
- rien de daté depuis la coupure : signalement reçu, offre envoyée, contact d'accueil,
  rendez-vous, demande de rendez-vous, évaluation, demande d'aide, séance collective, orientation
  envoyée ; aucun parcours partagé ouvert, aucun rendez-vous à venir, aucune demande de
  rendez-vous en attente. Une personne revenue vers le service depuis garde sa fiche.

**Personnes ciblées jamais jointes** — une fiche créée par un ciblage (une entrée « nouvelle
personne » d'un ciblage réel), dont le dernier ciblage qui l'a retenue date d'avant la coupure,
et que le service n'a jamais jointe : ni accompagnement, ni rendez-vous ou demande de rendez-vous,
ni signalement, ni contact d'accueil, ni invitation ou inscription à une action collective, ni
évaluation, ni demande d'aide, ni consentement, orientation ou parcours partagé, ni doublon
fusionné, ni fiche d'un historique importé, ni réponse (acceptée ou refusée) à une offre de
service. Sans aucune offre, elle est **supprimée** avec ses entrées de ciblage. Si une offre lui
a été envoyée restée sans réponse, la fiche est **anonymisée** à la place : l'offre est comptée
par le rapport d'activité (offres envoyées), qui ne doit pas changer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DecimalField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from parcours.aid.models import AidRequest, Evaluation, Instalment, Overpayment, Recovery
from parcours.cases.models import Case
from parcours.core.nomenclatures import StatutOffre
from parcours.groups.models import Invitation, Registration
from parcours.outreach.models import (
    Appointment,
    AppointmentRequest,
    FrontLineContact,
    Referral,
    ServiceOffer,
    TargetingEntry,
)
from parcours.people.models import Person
from parcours.rules import aid_workflow
from parcours.sharing.models import Consent, Disclosure, Orientation, SharedPathway
from parcours.steering.models import ExternalRef

#: états d'une demande d'aide qui n'est plus en cours
FINISHED_AID_REQUESTS = (aid_workflow.REFUSEE, aid_workflow.PAYEE)
#: une offre à laquelle la personne a répondu : elle a été jointe
ANSWERED_OFFERS = (StatutOffre.ACCEPTEE, StatutOffre.REFUSEE)


def start_of(day: datetime.date) -> datetime.datetime:
    """Minuit (heure de Paris) au début de ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _ids(qs: QuerySet, column: str = "person_id") -> set[int]:
    return set(qs.order_by().values_list(column, flat=True).distinct())


def _roots(organisation_id: int) -> QuerySet[Person]:
    return Person.objects.filter(
        organisation_id=organisation_id, merged_into__isnull=True, anonymised_on__isnull=True
    )


def _open_money(organisation_id: int) -> set[int]:
    """Personnes avec une demande d'aide en cours, un prêt à rembourser, un indu à recouvrer."""
    requests = AidRequest.objects.filter(organisation_id=organisation_id)
    blocked = _ids(requests.exclude(state__in=FINISHED_AID_REQUESTS))
    blocked |= _ids(
        Instalment.objects.filter(request__organisation_id=organisation_id, repaid_on__isnull=True),
        "request__person_id",
    )
    recovered = (
        Recovery.objects.filter(overpayment=OuterRef("pk"))
        .order_by()
        .values("overpayment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(0, output_field=DecimalField(max_digits=10, decimal_places=2))
    overpayments = Overpayment.objects.filter(organisation_id=organisation_id).annotate(
        recovered=Coalesce(Subquery(recovered), zero)
    )
    blocked |= {
        person
        for person, amount, got in overpayments.values_list(
            "request__person_id", "amount", "recovered"
        )
        if got < amount
    }
    return blocked


def _active_since(organisation_id: int, since: datetime.date) -> set[int]:
    """Personnes avec quelque chose daté depuis ``since`` (ou encore en cours)."""
    org = {"organisation_id": organisation_id}
    since_at = start_of(since)
    active = _ids(Referral.objects.filter(received_on__gte=since, **org))
    active |= _ids(
        ServiceOffer.objects.filter(sent_on__gte=since, campaign__organisation_id=organisation_id)
    )
    active |= _ids(FrontLineContact.objects.filter(date__gte=since, **org, person__isnull=False))
    active |= _ids(Appointment.objects.filter(starts_at__gte=since_at, **org))
    active |= _ids(
        AppointmentRequest.objects.filter(
            Q(received_on__gte=since)
            | Q(
                status__in=[
                    AppointmentRequest.Status.EN_ATTENTE,
                    AppointmentRequest.Status.PLANIFIEE,
                ]
            ),
            **org,
        )
    )
    active |= _ids(Evaluation.objects.filter(evaluated_on__gte=since, **org))
    active |= _ids(AidRequest.objects.filter(received_on__gte=since, **org))
    active |= _ids(
        Registration.objects.filter(
            session__date__gte=since, session__action__organisation_id=organisation_id
        )
    )
    active |= _ids(
        Orientation.objects.filter(sent_on__gte=since, person__organisation_id=organisation_id)
    )
    active |= _ids(
        SharedPathway.objects.filter(
            state=SharedPathway.State.OUVERT, person__organisation_id=organisation_id
        )
    )
    return active


def closed_files(organisation_id: int, cutoff: datetime.date) -> list[int]:
    """Les fiches dont le dossier clos a dépassé sa durée de conservation (voir le module)."""
    dormant = (
        Case.objects.filter(
            organisation_id=organisation_id,
            person__merged_into__isnull=True,
            person__anonymised_on__isnull=True,
        )
        .order_by()
        .values("person_id")
        .annotate(open=Count("pk", filter=Q(state=Case.State.OUVERT)), last=Max("closed_on"))
        .filter(open=0, last__lt=cutoff)
        .values_list("person_id", flat=True)
    )
    candidates = set(dormant)
    if not candidates:
        return []
    candidates -= _open_money(organisation_id)
    candidates -= _active_since(organisation_id, cutoff)
    return sorted(candidates)


@dataclass
class UnreachedTargets:
    #: supprimées (rien d'autre que leurs entrées de ciblage)
    delete: list[int] = field(default_factory=list)
    #: anonymisées : une offre envoyée, restée sans réponse, que compte le rapport
    anonymise: list[int] = field(default_factory=list)


def unreached_targets(organisation_id: int, cutoff: datetime.date) -> UnreachedTargets:
    """Les personnes ciblées jamais jointes dont la durée de conservation est échue."""
    cutoff_at = start_of(cutoff)
    entries = TargetingEntry.objects.filter(organisation_id=organisation_id)
    created = _ids(entries.filter(already_known=False))
    if not created:
        return UnreachedTargets()
    recent = _ids(entries.filter(run__created_at__gte=cutoff_at))
    candidates = created - recent
    candidates &= set(
        _roots(organisation_id).filter(pk__in=candidates).values_list("pk", flat=True)
    )
    if not candidates:
        return UnreachedTargets()
    org = {"organisation_id": organisation_id}
    reached = _ids(Case.objects.filter(**org))
    reached |= _ids(Appointment.objects.filter(**org))
    reached |= _ids(AppointmentRequest.objects.filter(**org))
    reached |= _ids(Referral.objects.filter(**org))
    reached |= _ids(FrontLineContact.objects.filter(**org, person__isnull=False))
    reached |= _ids(Invitation.objects.filter(person__organisation_id=organisation_id))
    reached |= _ids(Registration.objects.filter(person__organisation_id=organisation_id))
    reached |= _ids(Evaluation.objects.filter(**org))
    reached |= _ids(AidRequest.objects.filter(**org))
    person_org = {"person__organisation_id": organisation_id}
    for model in (Consent, Orientation, SharedPathway, Disclosure):
        reached |= _ids(model.objects.filter(**person_org))
    reached |= _ids(
        Person.objects.filter(organisation_id=organisation_id, merged_into__isnull=False),
        "merged_into_id",
    )
    reached |= _ids(
        ExternalRef.objects.filter(**org, kind=ExternalRef.Kind.BENEFICIAIRE), "object_id"
    )
    offers = ServiceOffer.objects.filter(person_id__in=candidates)
    reached |= _ids(offers.filter(status__in=ANSWERED_OFFERS))
    unreached = candidates - reached
    with_offers = _ids(offers) & unreached
    return UnreachedTargets(delete=sorted(unreached - with_offers), anonymise=sorted(with_offers))
