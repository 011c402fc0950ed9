"""Sections « contacts_accueil », « collectif », « signalements » et « offres », et les chiffres
d'entrée en relation du PDP (formats.md §5).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case as Case_
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from parcours.cases.models import Contact
from parcours.core.nomenclatures import (
    Emetteur,
    Programme,
    TypeCollectif,
)
from parcours.groups.models import Registration
from parcours.outreach.models import FrontLineContact, Referral, ServiceOffer
from parcours.rules import report as rules
from parcours.steering.report.scope import Scope, Section
from parcours.steering.report.sources import present_of_year, sessions_of_year


def _grouped(qs: QuerySet, dep_field, aggregates: dict, breakdown: bool) -> tuple[dict, dict]:
    """Les agrégats ``aggregates`` sur le territoire entier et, si demandé, par département
    (``dep_field`` : expression du département) — deux requêtes SQL."""
    total = qs.aggregate(**aggregates)
    by_dep = {}
    if breakdown:
        for row in qs.values(dep=dep_field).annotate(**aggregates).order_by():
            by_dep[row.pop("dep")] = row
    return total, by_dep


def front_line_of_year(scope: Scope) -> QuerySet:
    """Les contacts d'accueil datés dans l'année, du territoire (leur département)."""
    first, last = scope.bounds
    return FrontLineContact.objects.filter(
        Q(organisation_id=scope.organisation_id, date__gte=first, date__lte=last)
        & scope.dep_filter("departement_id")
    ).order_by()


def contacts_accueil(scope: Scope) -> Section:
    """Contacts d'accueil (``outreach.FrontLineContact``) datés dans l'année, par leur
    département."""
    total, by_dep = _grouped(
        front_line_of_year(scope), F("departement_id"), {"n": Count("id")}, scope.breakdown
    )
    return Section(total["n"] or 0, {d: r["n"] for d, r in by_dep.items()}, 0)


def _collectif_json(row: dict | None = None) -> dict:
    row = row or {}
    value = lambda k: int(row.get(k) or 0)  # noqa: E731
    return {
        "actions": value("actions"),
        "seances": value("seances"),
        "participants": value("participants"),
        "par_type": {
            t: {"seances": value(f"seances_{t}"), "participants": value(f"participants_{t}")}
            for t in TypeCollectif.values
        },
    }


def collectif(scope: Scope) -> Section:
    """Actions ayant une séance dans l'année, séances datées dans l'année, personnes distinctes
    présentes ; par type (séances, participants distincts). Une séance appartient au
    département de son action (``groups.GroupAction`` / ``Session`` / ``Registration``)."""
    session_aggregates = {
        "actions": Count("action", distinct=True),
        "seances": Count("id"),
        **{f"seances_{t}": Count("id", filter=Q(action__type=t)) for t in TypeCollectif.values},
    }
    present_aggregates = {
        "participants": Count("person", distinct=True),
        **{
            f"participants_{t}": Count("person", distinct=True, filter=Q(session__action__type=t))
            for t in TypeCollectif.values
        },
    }
    s_total, s_dep = _grouped(
        sessions_of_year(scope), F("action__departement_id"), session_aggregates, scope.breakdown
    )
    p_total, p_dep = _grouped(
        present_of_year(scope),
        F("session__action__departement_id"),
        present_aggregates,
        scope.breakdown,
    )
    by_dep = {
        dep: _collectif_json({**s_dep.get(dep, {}), **p_dep.get(dep, {})})
        for dep in set(s_dep) | set(p_dep)
    }
    return Section(_collectif_json({**s_total, **p_total}), by_dep, _collectif_json())


def _own_or_person_departement():
    """Le département d'un signalement ou d'une offre, à défaut celui de la personne."""
    return Coalesce(F("departement_id"), F("person__departement_id"))


def referrals_of_year(scope: Scope) -> QuerySet:
    """Les signalements (``outreach.Referral``) reçus dans l'année, du territoire."""
    first, last = scope.bounds
    return (
        Referral.objects.filter(
            organisation_id=scope.organisation_id, received_on__gte=first, received_on__lte=last
        )
        .annotate(dep=_own_or_person_departement())
        .filter(scope.dep_filter("dep"))
        .order_by()
    )


def _signalements_json(row: dict | None = None) -> dict:
    row = row or {}
    return {
        "total": int(row.get("total") or 0),
        "par_emetteur": {e: int(row.get(f"emetteur_{e}") or 0) for e in Emetteur.values},
    }


def signalements(scope: Scope) -> Section:
    """Signalements datés dans l'année, par émetteur ; un signalement appartient à son
    département, à défaut à celui de la personne."""
    aggregates = {
        "total": Count("id"),
        **{f"emetteur_{e}": Count("id", filter=Q(emitter=e)) for e in Emetteur.values},
    }
    total, by_dep = _grouped(referrals_of_year(scope), F("dep"), aggregates, scope.breakdown)
    return Section(
        _signalements_json(total),
        {d: _signalements_json(r) for d, r in by_dep.items()},
        _signalements_json(),
    )


def _helped_between(first: str, days: int):
    """Vrai quand la personne de la ligne a un entretien ou une présence à une séance entre la
    date ``first`` (colonne) et ``days`` jours après, bornes comprises (organisme entier)."""
    last = ExpressionWrapper(OuterRef(first) + timedelta(days=days), output_field=DateField())
    contacts = Contact.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        case__person_id=OuterRef("person_id"),
        on__gte=OuterRef(first),
        on__lte=last,
    )
    sessions = Registration.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        person_id=OuterRef("person_id"),
        present=True,
        session__date__gte=OuterRef(first),
        session__date__lte=last,
    )
    return Q(Exists(contacts)) | Q(Exists(sessions))


def offers_of_year(scope: Scope) -> QuerySet:
    """Les offres de service (``outreach.ServiceOffer``) envoyées dans l'année, du territoire
    (département de l'offre, à défaut de la personne)."""
    first, last = scope.bounds
    return (
        ServiceOffer.objects.filter(
            organisation_id=scope.organisation_id, sent_on__gte=first, sent_on__lte=last
        )
        .annotate(dep=_own_or_person_departement())
        .filter(scope.dep_filter("dep"))
        .order_by()
    )


def followed_offers(scope: Scope) -> QuerySet:
    """Les offres de l'année suivies d'intervention dans ``rules.report.FOLLOW_DAYS`` jours."""
    return offers_of_year(scope).filter(_helped_between("sent_on", rules.FOLLOW_DAYS))


def _offres_json(row: dict | None = None) -> dict:
    row = row or {}
    sent, followed = int(row.get("envoyees") or 0), int(row.get("suivies") or 0)
    return {
        "envoyees": sent,
        "suivies_d_intervention": followed,
        "taux_pct": rules.pct(followed, sent),
    }


def offres(scope: Scope) -> Section:
    """Offres dont la date d'envoi est dans l'année ; suivies d'intervention : la personne a eu
    un entretien ou une présence à une séance dans ``rules.report.follow_window`` (90 jours,
    le jour d'envoi et le 90e compris)."""
    aggregates = {
        "envoyees": Count("id"),
        "suivies": Sum(
            Case_(
                When(_helped_between("sent_on", rules.FOLLOW_DAYS), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ),
    }
    total, by_dep = _grouped(offers_of_year(scope), F("dep"), aggregates, scope.breakdown)
    return Section(
        _offres_json(total), {d: _offres_json(r) for d, r in by_dep.items()}, _offres_json()
    )


def _distinct_people(qs: QuerySet, dep_field, breakdown: bool) -> Section:
    total, by_dep = _grouped(qs, dep_field, {"n": Count("person", distinct=True)}, breakdown)
    return Section(total["n"] or 0, {d: r["n"] for d, r in by_dep.items()}, 0)


def pdp_participants_information_collective(scope: Scope) -> Section:
    """Personnes distinctes présentes à une séance d'une action ``INFO_COLLECTIVE`` du programme
    PDP datée dans l'année."""
    present = present_of_year(scope).filter(
        session__action__type=TypeCollectif.INFO_COLLECTIVE,
        session__action__programme=Programme.PDP,
    )
    return _distinct_people(present, F("session__action__departement_id"), scope.breakdown)


def pdp_signales_service_medical(scope: Scope) -> Section:
    """Personnes distinctes ayant un signalement ``SERVICE_MEDICAL`` daté dans l'année."""
    referrals = referrals_of_year(scope).filter(emitter=Emetteur.SERVICE_MEDICAL)
    return _distinct_people(referrals, F("dep"), scope.breakdown)
