"""Lectures du partage : les consentements d'une personne, ceux qui couvrent un destinataire."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q

from parcours.core import clock
from parcours.core.models import User
from parcours.core.nomenclatures import Fonction
from parcours.partners.models import Partner
from parcours.rules import sharing as rules
from parcours.sharing.models import Consent, EvaluationShare, SharedPathway

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from parcours.core.models import Organisation
    from parcours.people.models import Person


def active_consents(
    person: Person,
    today: date,
    *,
    partner: Partner | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[Consent]:
    """Les consentements de ``person`` en vigueur ``today`` (donnés, non retirés), pour ce
    destinataire s'il est nommé."""
    found = Consent.objects.filter(person=person, given_on__lte=today).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today)
    )
    if partner is not None:
        found = found.filter(partners=partner)
    if organisation is not None:
        found = found.filter(organisations=organisation)
    return found.distinct()


def with_status(consents, today: date) -> list[Consent]:
    """Les consentements, chacun avec son état du jour (``state``, ``state_label``)."""
    rows = list(consents)
    for consent in rows:
        consent.state = rules.status(consent.given_on, consent.withdrawn_on, today)
        consent.state_label = rules.STATUS_LABELS[consent.state]
    return rows


# --- Parcours partagés et évaluations reconnues ------------------------------------------------


def referent_candidates(person: Person, organisations) -> QuerySet[User]:
    """Les référents possibles d'un parcours : les AS et responsables actifs de l'organisme de
    la personne et des organismes participants."""
    return (
        User.objects.filter(
            Q(organisation_id=person.organisation_id) | Q(organisation__in=organisations),
            is_active=True,
            function__in=[Fonction.AS, Fonction.MANAGER],
        )
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def pathway_shares(
    pathway: SharedPathway, *, recipient_id: int | None
) -> QuerySet[EvaluationShare]:
    """Les évaluations de la personne partagées avec les organismes du parcours (avec
    ``recipient_id`` seulement : un organisme participant ne lit que celles qu'il a reçues),
    sous un consentement en vigueur."""
    today = clock.today()
    shares = EvaluationShare.objects.filter(
        evaluation__person_id=pathway.person_id, recipient_organisation__isnull=False
    ).filter(
        Q(consent__given_on__lte=today)
        & (Q(consent__withdrawn_on__isnull=True) | Q(consent__withdrawn_on__gt=today))
    )
    if recipient_id is not None:
        shares = shares.filter(recipient_organisation_id=recipient_id)
    return shares.select_related(
        "evaluation__evaluator", "evaluation__organisation", "recipient_organisation"
    ).order_by("-shared_at", "-pk")


def evaluation_recipients(evaluation, today: date) -> list[tuple[str, str, dict]]:
    """Les destinataires possibles d'une évaluation : (clé, libellé, arguments du service).

    Les organismes que nomme un consentement en vigueur qui couvre l'évaluation ; le
    département (partenaire de l'annuaire) en GIR 1 à 4, sur la mission légale ou sous un
    consentement qui le nomme."""
    found: list[tuple[str, str, dict]] = []
    consents = (
        active_consents(evaluation.person, today)
        .prefetch_related("organisations", "partners")
        .order_by("-given_on", "-pk")
    )
    for consent in consents:
        if rules.EVALUATION not in consent.categories:
            continue
        for organisation in consent.organisations.all():
            if organisation.pk == evaluation.organisation_id:
                continue
            found.append(
                (
                    f"o{organisation.pk}-c{consent.pk}",
                    f"{organisation.name} (consentement du {consent.given_on:%d/%m/%Y})",
                    {"organisation": organisation, "consent": consent},
                )
            )
    if evaluation.gir <= rules.DEPARTEMENT_GIR_MAX:
        for partner in Partner.objects.filter(
            organisation_id=evaluation.organisation_id,
            kind=Partner.Kind.DEPARTEMENT,
            active=True,
        ).order_by("name"):
            found.append(
                (
                    f"p{partner.pk}",
                    f"{partner.name} (mission légale, GIR 1 à 4)",
                    {"partner": partner, "consent": None, "basis": rules.MISSION_LEGALE},
                )
            )
    return found
